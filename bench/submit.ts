// Form submissions per second against a running server on PostgreSQL, with the machine's raw
// INSERT rate as the reference. Builds its own database and data; prints readable figures and
// ends with one line of JSON.
//
//   npm run bench:submit                       # uses postgres://postgres@127.0.0.1:5432/postgres
//   BENCH_DATABASE_URL=postgres://… npm run bench:submit
//   BENCH_SECONDS=20 BENCH_CONCURRENCY=32 npm run bench:submit
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { createForm } from '../src/forms/forms.service.ts';
import { createOrgWithOwner, systemCtx } from '../src/orgs/auth.service.ts';
import { deriveKeys } from '../src/platform/crypto.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPostgres } from '../src/platform/db/postgres.ts';
import { sql } from '../src/platform/db/sql.ts';
import { openKeyStore } from '../src/platform/keystore.ts';
import { createPurpose, saveProfile } from '../src/purposes/purposes.service.ts';
import {
  ADVERTISING_PURPOSE,
  formBody,
  PROCESSING_PURPOSE,
  TEST_PROFILE,
} from '../test/capture-factories.ts';
import { BASE_URL, databaseUrl, log } from './bench-lib.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const MASTER_KEY = randomBytes(32);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function prepare(url: string) {
  log('[1/4] migrating a fresh database…');
  const db = openPostgres(url, { max: 2 });
  await migrate(db);
  log('[2/4] building the organization, purposes and form…');
  // The key store the server opens for this database (its `_keys` neighbour).
  const keyStore = await openKeyStore({ databaseUrl: url, keystoreUrl: undefined, dataDir: '' });
  const keys = deriveKeys(MASTER_KEY, keyStore);
  const { org } = await createOrgWithOwner(
    { db, keys },
    {
      orgSlug: `bench-${randomBytes(3).toString('hex')}`,
      orgName: 'Бенчмарк',
      owner: { email: 'bench@clinic.test', name: 'Бенчмарк', password: 'bench-password-1' },
      now: new Date(),
      actorLabel: 'bench',
    },
  );
  const ctx = systemCtx(
    { db, keys, publicUrl: 'http://127.0.0.1' },
    { orgId: org.id, now: new Date() },
  );
  await saveProfile(ctx, TEST_PROFILE);
  const processing = await createPurpose(ctx, PROCESSING_PURPOSE);
  await createPurpose(ctx, ADVERTISING_PURPOSE);
  const form = await createForm(ctx, formBody(`bench-${randomBytes(3).toString('hex')}`));
  await keyStore.close();
  return { db, slug: form.slug, documentId: processing.document?.id ?? '' };
}

function startServer(url: string): Promise<{ child: ChildProcess; port: number }> {
  // BENCH_PROFILE=<dir> writes the server's CPU profile there, for finding hot spots.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE]
    : [];
  const child = spawn(process.execPath, [...profile, 'bin/soglasie.mjs', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      MASTER_KEY: MASTER_KEY.toString('hex'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '10',
      // One HTTP worker per core, as a two-core production install would run.
      WORKERS: process.env.WORKERS ?? String(availableParallelism()),
      SUBMIT_RATE_PER_IP: '1000000',
      SUBMIT_RATE_PER_FORM: '1000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = /running at http:\/\/[^:]+:(\d+)/.exec(output);
      if (match?.[1]) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

type Tally = { accepted: number; errors: number; latencies: number[] };

async function drive(
  port: number,
  slug: string,
  documentId: string,
  seconds: number,
  tally: Tally | null,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const deadline = performance.now() + seconds * 1000;
  let counter = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      counter += 1;
      const body = JSON.stringify({
        values: {
          name: 'Нагрузочный Тест',
          phone: `+7916${String(1_000_000 + ((counter * 7919 + Math.floor(Math.random() * 1e6)) % 8_999_999))}`,
        },
        consents: { appointment: { isGiven: true, documentId } },
        idempotency_key: randomUUID(),
        utm_source: 'yandex',
        utm_medium: 'cpc',
      });
      const started = performance.now();
      const status = await new Promise<number>((resolve) => {
        const request = http.request(
          {
            host: '127.0.0.1',
            port,
            path: `/f/${slug}/submit`,
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        request.on('error', () => resolve(0));
        request.end(body);
      });
      if (!tally) continue;
      if (status === 201) {
        tally.accepted += 1;
        tally.latencies.push(performance.now() - started);
      } else {
        tally.errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
}

function hasWrk(): boolean {
  if (process.env.BENCH_DRIVER === 'node') return false;
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk prints its version and exits 1; a missing binary throws ENOENT.
    return (error as { code?: string }).code !== 'ENOENT';
  }
}

function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value);
  if (!match) return Number.NaN;
  const amount = Number(match[1]);
  return match[2] === 'us' ? amount / 1000 : match[2] === 's' ? amount * 1000 : amount;
}

/**
 * wrk (C, epoll) as the load generator when the machine has it: on two cores a Node client
 * takes CPU from the server it measures. Each request carries a unique phone and key.
 */
function driveWithWrk(port: number, slug: string, documentId: string, seconds: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'soglasie-bench-'));
  const script = path.join(dir, 'submit.lua');
  writeFileSync(
    script,
    `local counter = 0
local thread_id = 0
function setup(thread) thread:set("id", tostring(math.random(1, 1e9))) end
function init(args) thread_id = id; math.randomseed(tonumber(id)) end
request = function()
  counter = counter + 1
  local phone = string.format("+7916%07d", math.random(1000000, 9999999))
  local key = string.format("%s-%d-%d", thread_id, counter, math.random(1, 1e9))
  local body = '{"values":{"name":"Нагрузочный Тест","phone":"' .. phone .. '"},"consents":{"appointment":{"isGiven":true,"documentId":"${documentId}"}},"idempotency_key":"' .. key .. '","utm_source":"yandex","utm_medium":"cpc"}'
  return wrk.format("POST", "/f/${slug}/submit", {["Content-Type"] = "application/json"}, body)
end
`,
  );
  const output = execFileSync(
    'wrk',
    [
      '-t2',
      `-c${CONCURRENCY}`,
      `-d${seconds}s`,
      '--latency',
      '-s',
      script,
      `http://127.0.0.1:${port}`,
    ],
    { encoding: 'utf8' },
  );
  const total = Number(/(\d+) requests in/.exec(output)?.[1] ?? 0);
  const failed = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const errors =
    failed +
    (socketErrors ? socketErrors.slice(1).reduce((sum, value) => sum + Number(value), 0) : 0);
  return {
    accepted: total - failed,
    errors,
    p50: toMs(/ 50%\s+(\S+)/.exec(output)?.[1] ?? ''),
    p99: toMs(/ 99%\s+(\S+)/.exec(output)?.[1] ?? ''),
  };
}

/** The reference: one comparable row per durable transaction, same concurrency. */
async function rawInsertRate(url: string, seconds: number): Promise<number> {
  const db = openPostgres(url, { max: CONCURRENCY });
  await db.executeScript(`CREATE TABLE bench_raw (
    id uuid PRIMARY KEY, org_id uuid NOT NULL, name_enc bytea, phone_enc bytea, phone_index text,
    attribution jsonb, created_at timestamptz NOT NULL)`);
  const orgId = randomUUID();
  const deadline = performance.now() + seconds * 1000;
  let inserted = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await db.execute(sql`INSERT INTO bench_raw VALUES (${randomUUID()}, ${orgId}, ${randomBytes(60)},
        ${randomBytes(45)}, ${randomBytes(32).toString('hex')}, ${'{"utm_source":"yandex"}'}::jsonb, now())`);
      inserted += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await db.close();
  return inserted / seconds;
}

async function main(): Promise<void> {
  const name = `soglasie_bench_${Date.now()}`;
  const admin = openPostgres(BASE_URL, { max: 1 });
  await admin.executeScript(`CREATE DATABASE "${name}"`);
  const url = databaseUrl(name);
  let server: ChildProcess | null = null;
  try {
    const settings = await admin.query<{ name: string; setting: string }>(
      sql`SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')`,
    );
    const { db, slug, documentId } = await prepare(url);
    log('[3/4] starting the server and driving submissions…');
    const started = await startServer(url);
    server = started.child;
    await drive(started.port, slug, documentId, WARMUP_SECONDS, null);
    const driver = hasWrk() ? 'wrk' : 'node';
    const tally: Tally = { accepted: 0, errors: 0, latencies: [] };
    const began = performance.now();
    let latency: { p50: number; p99: number } | null = null;
    if (driver === 'wrk') {
      const result = driveWithWrk(started.port, slug, documentId, SECONDS);
      tally.accepted = result.accepted;
      tally.errors = result.errors;
      latency = { p50: result.p50, p99: result.p99 };
    } else {
      await drive(started.port, slug, documentId, SECONDS, tally);
    }
    const elapsed = (performance.now() - began) / 1000;
    server.kill('SIGTERM');
    server = null;
    const [stored] = await db.query<{ leads: number }>(
      sql`SELECT count(*)::int AS leads FROM leads`,
    );
    await db.close();
    log('[4/4] measuring the raw INSERT reference…');
    const rawPerSecond = await rawInsertRate(url, Math.min(SECONDS, 10));
    const sorted = [...tally.latencies].sort((a, b) => a - b);
    const perSecond = tally.accepted / elapsed;
    const figures = {
      submissions_per_s: Math.round(perSecond),
      p50_ms: Number((latency?.p50 ?? percentile(sorted, 50)).toFixed(2)),
      p99_ms: Number((latency?.p99 ?? percentile(sorted, 99)).toFixed(2)),
      raw_insert_per_s: Math.round(rawPerSecond),
      ratio_to_raw_insert: Number((perSecond / rawPerSecond).toFixed(3)),
      accepted: tally.accepted,
      errors: tally.errors,
      leads_stored: stored?.leads ?? 0,
      concurrency: CONCURRENCY,
      load_generator: driver,
      seconds: Math.round(elapsed),
      target_submissions_per_s: 500,
    };
    const setting = (key: string) => settings.find((row) => row.name === key)?.setting ?? '?';
    log('');
    log(
      `PostgreSQL ${setting('server_version')}, fsync=${setting('fsync')}, synchronous_commit=${setting('synchronous_commit')}`,
    );
    log(
      `Accepted submissions:  ${figures.accepted} in ${figures.seconds} s, ${figures.errors} errors (${figures.leads_stored} leads stored incl. warm-up)`,
    );
    log(`Throughput:            ${figures.submissions_per_s} submissions/s (target ≥ 500)`);
    log(
      `Latency:               p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms at concurrency ${CONCURRENCY}`,
    );
    log(
      `Raw INSERT reference:  ${figures.raw_insert_per_s} rows/s (one row per durable transaction)`,
    );
    log(`Ratio:                 ${figures.ratio_to_raw_insert} of the raw INSERT rate`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    server?.kill('SIGTERM');
    await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.executeScript(`DROP DATABASE IF EXISTS "${name}_keys" WITH (FORCE)`);
    await admin.close();
  }
}

await main();
