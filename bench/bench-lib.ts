// What every benchmark shares: where its database lives, stderr progress and medians.

/** The server a benchmark creates its own database on. */
export const BASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** Progress and readable figures go to stderr; stdout keeps the JSON line. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** BASE_URL with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A text progress bar: `[#####.....] 500/1,000`. */
export function bar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
