import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { AppEnv } from './app-env.ts';

/** At most `limit` requests in any `windowMs` milliseconds. */
export type RateRule = { limit: number; windowMs: number };

export type RateDecision = { isAllowed: boolean; retryAfterSeconds: number };

// Above this many keys, stale ones are swept on the next hit so that memory stays bounded.
const SWEEP_ABOVE = 10_000;

/**
 * An in-memory sliding-window log: the times of the requests let through in the last window,
 * per key. One process holds it; behind several app nodes each node limits on its own.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  /**
   * Counts one request against every rule, or none when any rule is exhausted: a request
   * refused by the per-form rule does not use up the caller's own allowance.
   */
  take(checks: readonly { key: string; rule: RateRule }[], nowMs: number): RateDecision {
    if (this.hits.size > SWEEP_ABOVE) this.sweep(nowMs, checks);
    let retryAfterMs = 0;
    const windows = checks.map(({ key, rule }) => {
      const recent = (this.hits.get(key) ?? []).filter((at) => at > nowMs - rule.windowMs);
      if (recent.length >= rule.limit) {
        const oldest = recent[recent.length - rule.limit] ?? nowMs;
        retryAfterMs = Math.max(retryAfterMs, oldest + rule.windowMs - nowMs);
      }
      return { key, recent };
    });
    const isAllowed = retryAfterMs === 0;
    for (const { key, recent } of windows) {
      if (isAllowed) recent.push(nowMs);
      if (recent.length > 0) this.hits.set(key, recent);
      else this.hits.delete(key);
    }
    return {
      isAllowed,
      retryAfterSeconds: isAllowed ? 0 : Math.max(1, Math.ceil(retryAfterMs / 1000)),
    };
  }

  get size(): number {
    return this.hits.size;
  }

  private sweep(nowMs: number, checks: readonly { rule: RateRule }[]): void {
    const longest = Math.max(60_000, ...checks.map((check) => check.rule.windowMs));
    for (const [key, times] of this.hits) {
      if ((times[times.length - 1] ?? 0) <= nowMs - longest) this.hits.delete(key);
    }
  }
}

/**
 * Refuses a request over any of its limits with 429 `rate_limited` and `Retry-After`.
 * `checks` names the keys (client address, target) and rules for this request.
 */
export function rateLimit(
  limiter: SlidingWindowLimiter,
  checks: (c: Context<AppEnv>) => { key: string; rule: RateRule }[],
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const decision = limiter.take(checks(c), c.get('deps').now().getTime());
    if (!decision.isAllowed) {
      throw new AppError('rate_limited', 'Too many requests; try again later', {
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
        details: { retryAfterSeconds: decision.retryAfterSeconds },
      });
    }
    await next();
  };
}
