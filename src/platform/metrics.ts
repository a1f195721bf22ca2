import { timingSafeEqual } from 'node:crypto';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one process: HTTP requests, scheduled jobs, the process itself, and
 * gauges that a domain fills when scraped. Labels carry route patterns, job names and
 * status codes only — never a path with ids, a query string or anything about a person.
 */
export type Metrics = {
  readonly registry: Registry;
  observeRequest(request: { method: string; route: string; status: number; seconds: number }): void;
  observeJob(job: { name: string; ok: boolean; seconds: number; at: Date }): void;
  /** A gauge whose values are read at scrape time (at most once per `cacheMs`). */
  addGauge(gauge: {
    name: string;
    help: string;
    labelNames?: readonly string[];
    read(): Promise<Array<{ labels?: Record<string, string>; value: number }>>;
  }): void;
};

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'soglasie_' });
  const requests = new Counter({
    name: 'soglasie_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'soglasie_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'soglasie_job_runs_total',
    help: 'Scheduled job runs, by job and result (ok or error)',
    labelNames: ['job', 'result'] as const,
    registers: [registry],
  });
  const jobDurations = new Histogram({
    name: 'soglasie_job_duration_seconds',
    help: 'Time a scheduled job run took',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  const jobLastSuccess = new Gauge({
    name: 'soglasie_job_last_success_timestamp_seconds',
    help: 'When a scheduled job last finished without error (Unix time)',
    labelNames: ['job'] as const,
    registers: [registry],
  });

  return {
    registry,
    observeRequest({ method, route, status, seconds }) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      durations.observe({ method, route }, seconds);
    },
    observeJob({ name, ok, seconds, at }) {
      jobRuns.inc({ job: name, result: ok ? 'ok' : 'error' });
      jobDurations.observe({ job: name }, seconds);
      if (ok) jobLastSuccess.set({ job: name }, at.getTime() / 1000);
    },
    addGauge({ name, help, labelNames = [], read }) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          this.reset();
          for (const { labels, value } of await read()) {
            if (labels) this.set(labels, value);
            else this.set(value);
          }
        },
      });
    },
  };
}

/**
 * Whether a scrape may read the metrics: only with `Authorization: Bearer <METRICS_TOKEN>`,
 * compared in constant time. Without a configured token the endpoint does not exist.
 */
export function mayScrape(configured: string | undefined, header: string | undefined): boolean {
  if (!configured || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(configured);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
