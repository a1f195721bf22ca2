import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './log.ts';
import { createMetrics } from './metrics.ts';
import { type Job, startScheduler } from './scheduler.ts';

const HOUR = 60 * 60 * 1000;

function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

describe('scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-02T09:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a job every interval with the current time, the first at start when asked', async () => {
    const seen: string[] = [];
    const job: Job = {
      name: 'probe',
      intervalMs: HOUR,
      shouldRunAtStart: true,
      run: async (now) => {
        seen.push(now.toISOString());
      },
    };
    const scheduler = startScheduler([job], { logger: capturedLogger().logger, startDelayMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toEqual(['2026-03-02T09:00:00.010Z']);
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(seen).toHaveLength(3);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(seen).toHaveLength(3);
  });

  it('keeps running a job after a failed run, logging the failure', async () => {
    const { logger, lines } = capturedLogger();
    let calls = 0;
    const scheduler = startScheduler(
      [
        {
          name: 'flaky',
          intervalMs: HOUR,
          run: async () => {
            calls += 1;
            if (calls === 1) throw new Error('database went away');
          },
        },
      ],
      { logger },
    );
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(calls).toBe(2);
    expect(lines.join('')).toMatch(/"job":"flaky".*"error":"database went away".*job failed/);
    await scheduler.stop();
  });

  it('never overlaps a job with itself, and stop waits for the run in progress', async () => {
    let active = 0;
    let most = 0;
    let finished = 0;
    const scheduler = startScheduler(
      [
        {
          name: 'slow',
          intervalMs: 1000,
          run: async () => {
            active += 1;
            most = Math.max(most, active);
            await new Promise((resolve) => setTimeout(resolve, 5000));
            active -= 1;
            finished += 1;
          },
        },
      ],
      { logger: capturedLogger().logger },
    );
    await vi.advanceTimersByTimeAsync(20_000);
    expect(most).toBe(1);
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(5000);
    await stopped;
    expect(active).toBe(0);
    const afterStop = finished;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(finished).toBe(afterStop);
  });

  it('runs a job on demand by name', async () => {
    let calls = 0;
    const scheduler = startScheduler(
      [
        {
          name: 'manual',
          intervalMs: HOUR,
          run: async () => {
            calls += 1;
          },
        },
      ],
      { logger: capturedLogger().logger },
    );
    await scheduler.runNow('manual');
    expect(calls).toBe(1);
    await expect(scheduler.runNow('missing')).rejects.toThrow(/No job/);
    await scheduler.stop();
  });
});

describe('scheduler metrics', () => {
  it('counts runs by result and records the last success', async () => {
    const metrics = createMetrics();
    let shouldFail = false;
    const job: Job = {
      name: 'probe',
      intervalMs: HOUR,
      run: async () => {
        if (shouldFail) throw new Error('boom');
      },
    };
    const at = new Date('2026-03-02T09:00:00Z');
    const scheduler = startScheduler([job], {
      logger: capturedLogger().logger,
      metrics,
      now: () => at,
    });
    await scheduler.runNow('probe');
    shouldFail = true;
    await scheduler.runNow('probe');
    await scheduler.stop();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^soglasie_job_runs_total\{job="probe",result="ok"\} 1$/m);
    expect(text).toMatch(/^soglasie_job_runs_total\{job="probe",result="error"\} 1$/m);
    expect(text).toMatch(
      new RegExp(
        `^soglasie_job_last_success_timestamp_seconds\\{job="probe"\\} ${at.getTime() / 1000}$`,
        'm',
      ),
    );
  });
});
