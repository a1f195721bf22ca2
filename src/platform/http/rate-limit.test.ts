import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rate-limit.ts';

const MINUTE = 60_000;
const perIp = (key: string) => ({ key, rule: { limit: 3, windowMs: MINUTE } });

describe('sliding-window limiter', () => {
  it('lets the limit through in a window and refuses the next with the wait until one expires', () => {
    const limiter = new SlidingWindowLimiter();
    expect(limiter.take([perIp('ip:a')], 0).isAllowed).toBe(true);
    expect(limiter.take([perIp('ip:a')], 10_000).isAllowed).toBe(true);
    expect(limiter.take([perIp('ip:a')], 20_000).isAllowed).toBe(true);
    expect(limiter.take([perIp('ip:a')], 30_000)).toEqual({
      isAllowed: false,
      retryAfterSeconds: 30,
    });
    // Another key has its own window.
    expect(limiter.take([perIp('ip:b')], 30_000).isAllowed).toBe(true);
    // The window slides: once the first hit is a minute old, one more is allowed.
    expect(limiter.take([perIp('ip:a')], MINUTE).isAllowed).toBe(true);
    expect(limiter.take([perIp('ip:a')], MINUTE + 1).isAllowed).toBe(false);
  });

  it('counts a request against no rule when any of its rules refuses it', () => {
    const limiter = new SlidingWindowLimiter();
    const form = { key: 'form:x', rule: { limit: 1, windowMs: MINUTE } };
    expect(limiter.take([perIp('ip:a'), form], 0).isAllowed).toBe(true);
    expect(limiter.take([perIp('ip:a'), form], 1).isAllowed).toBe(false);
    expect(limiter.take([perIp('ip:a'), form], 2).isAllowed).toBe(false);
    // The refused ones did not use up the address's own allowance of 3.
    expect(limiter.take([perIp('ip:a')], 3).isAllowed).toBe(true);
    expect(limiter.take([perIp('ip:a')], 4).isAllowed).toBe(true);
    expect(limiter.take([perIp('ip:a')], 5).isAllowed).toBe(false);
  });

  it('forgets keys whose window has passed once it holds many', () => {
    const limiter = new SlidingWindowLimiter();
    for (let index = 0; index <= 10_001; index += 1) limiter.take([perIp(`ip:${index}`)], 0);
    expect(limiter.size).toBe(10_002);
    limiter.take([perIp('ip:late')], 2 * MINUTE);
    expect(limiter.size).toBe(1);
  });
});
