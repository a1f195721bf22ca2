import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';

/**
 * A recurring job. Jobs hold no SQL: `run` calls a service. A job never overlaps itself: the
 * next run is timed from the end of the previous one.
 */
export type Job = {
  name: string;
  intervalMs: number;
  /** Also run shortly after start, not only once the first interval has passed. */
  shouldRunAtStart?: boolean;
  run: (now: Date) => Promise<unknown>;
};

export type Scheduler = {
  /** Stops every timer and waits for runs in progress to finish. */
  stop(): Promise<void>;
  /** Runs a job now (operations, tests), outside its timer. */
  runNow(name: string): Promise<void>;
};

/** Delay of the first run of a `shouldRunAtStart` job, to let the server finish starting. */
export const START_DELAY_MS = 5_000;

/**
 * Starts interval timers for the jobs of one process. A failing run is logged (name and error
 * message, never data) and the job runs again at its next interval. Timers are unref'd: the
 * scheduler alone does not keep a process alive.
 */
export function startScheduler(
  jobs: readonly Job[],
  options: { logger: Logger; now?: () => Date; startDelayMs?: number; metrics?: Metrics },
): Scheduler {
  const now = options.now ?? (() => new Date());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const running = new Set<Promise<void>>();
  let isStopped = false;

  const execute = (job: Job): Promise<void> => {
    const started = performance.now();
    const run = job
      .run(now())
      .then(() => {
        const ms = performance.now() - started;
        options.metrics?.observeJob({ name: job.name, ok: true, seconds: ms / 1000, at: now() });
        options.logger.debug({ job: job.name, ms: Math.round(ms) }, 'job done');
      })
      .catch((error: unknown) => {
        const seconds = (performance.now() - started) / 1000;
        options.metrics?.observeJob({ name: job.name, ok: false, seconds, at: now() });
        options.logger.error(
          { job: job.name, error: error instanceof Error ? error.message : String(error) },
          'job failed',
        );
      })
      .finally(() => {
        running.delete(run);
      });
    running.add(run);
    return run;
  };

  const schedule = (job: Job, delayMs: number): void => {
    if (isStopped) return;
    const timer = setTimeout(() => {
      timers.delete(job.name);
      void execute(job).then(() => schedule(job, job.intervalMs));
    }, delayMs);
    timer.unref?.();
    timers.set(job.name, timer);
  };

  for (const job of jobs) {
    schedule(job, job.shouldRunAtStart ? (options.startDelayMs ?? START_DELAY_MS) : job.intervalMs);
  }

  return {
    async stop() {
      isStopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all([...running]);
    },
    runNow(name) {
      const job = jobs.find((candidate) => candidate.name === name);
      if (!job) return Promise.reject(new Error(`No job named ${name}`));
      return execute(job);
    },
  };
}
