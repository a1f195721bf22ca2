// Call tracking on PostgreSQL: number-lease operations per second (new leases from a dynamic
// pool, then heartbeats renewing them) and telephony webhook events per second (signed generic
// events through the HTTP app: start with a new caller — contact, lead, sealed number —, answer
// and end of each call). Builds its own database; prints readable figures and ends with one
// line of JSON.
//
//   npm run bench:calltracking              # uses postgres://postgres@127.0.0.1:5432/postgres
//   BENCH_LEASES=2000 BENCH_CALLS=1000 BENCH_CONCURRENCY=16 npm run bench:calltracking
//   BENCH_DATABASE_URL=postgres://… BENCH_KEEP=1 npm run bench:calltracking
import { randomBytes } from 'node:crypto';
import { leaseNumber } from '../src/analytics/calls/leases.service.ts';
import {
  saveCallTrackingSettings,
  saveIntegration,
  saveNumber,
  savePool,
} from '../src/analytics/calls/numbers.service.ts';
import { genericSignature } from '../src/analytics/calls/telephony-adapters.ts';
import { createApp } from '../src/app.ts';
import { createAuthenticator, createOrgWithOwner, systemCtx } from '../src/orgs/auth.service.ts';
import { deriveKeys } from '../src/platform/crypto.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPostgres } from '../src/platform/db/postgres.ts';
import { keyStoreOn } from '../src/platform/keystore.ts';
import { createLogger } from '../src/platform/log.ts';
import { BASE_URL, bar, databaseUrl, log } from './bench-lib.ts';

const LEASES = Number(process.env.BENCH_LEASES ?? 4_000);
const HEARTBEATS = Number(process.env.BENCH_HEARTBEATS ?? 2);
const CALLS = Number(process.env.BENCH_CALLS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECRET = 'bench-secret-0123456789';

/** Runs `work(i)` for i in [0, total) with `CONCURRENCY` in flight; seconds taken. */
async function run(label: string, total: number, work: (index: number) => Promise<void>) {
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const index = next;
      next += 1;
      await work(index);
      done += 1;
      if (done % 250 === 0 || done === total)
        process.stderr.write(`\r${label} ${bar(done, total)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  process.stderr.write('\n');
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const name = `soglasie_bench_calls_${randomBytes(3).toString('hex')}`;
  const admin = openPostgres(BASE_URL, { max: 1 });
  await admin.executeScript(`CREATE DATABASE "${name}"`);
  await admin.executeScript(`CREATE DATABASE "${name}_keys"`);
  const db = openPostgres(databaseUrl(name), { max: CONCURRENCY });
  const keysDb = openPostgres(databaseUrl(`${name}_keys`), { max: 4 });
  try {
    log(`database ${name}: migrating`);
    await migrate(db);
    const keys = deriveKeys(randomBytes(32), await keyStoreOn(keysDb));
    const publicUrl = 'http://bench.local';
    const now = new Date();
    const { org } = await createOrgWithOwner(
      { db, keys, publicUrl },
      {
        orgSlug: 'bench-calls',
        orgName: 'Клиника',
        owner: { email: 'owner@bench.local', name: 'Владелец', password: 'bench-password-1' },
        now,
        actorLabel: 'bench',
      },
    );
    const ctx = { ...systemCtx({ db, keys, publicUrl }, { orgId: org.id, now }), publicUrl };
    const settings = await saveCallTrackingSettings(ctx, {
      replaceNumbers: ['+74951234567'],
      replaceSelector: null,
    });
    const pool = await savePool(ctx, null, {
      name: 'Сайт',
      hosts: [],
      channels: [],
      holdSeconds: 120,
      quarantineSeconds: 300,
      fallbackNumber: null,
      isActive: true,
    });
    const poolSize = LEASES + 100;
    log(`building a pool of ${poolSize.toLocaleString('en')} numbers`);
    await db.executeScript(`
      INSERT INTO tracking_numbers (id, org_id, number, provider, kind, pool_id, created_at, updated_at)
      SELECT gen_random_uuid(), '${org.id}', '+7958' || lpad(n::text, 7, '0'), 'generic', 'dynamic',
        '${pool.id}', now(), now()
      FROM generate_series(1, ${poolSize}) AS n;
      ANALYZE tracking_numbers;`);
    await saveNumber(ctx, null, {
      number: '+74957770001',
      provider: 'generic',
      kind: 'static',
      channel: 'vk',
      hosts: [],
      isActive: true,
    });

    // Leases: every visit a new lease, then heartbeats renewing each.
    const leaseIds: string[] = new Array(LEASES);
    const deps = { db, keys, publicUrl, now };
    const sources = ['yandex', 'vk', 'google', 'telegram'];
    const acquireSeconds = await run('new leases ', LEASES, async (index) => {
      const answer = await leaseNumber(
        { ...deps, now: new Date() },
        {
          key: settings.publicKey,
          sessionId: `bench-session-${index}`,
          url: 'https://clinic.example/implants',
          utm_source: sources[index % sources.length],
          utm_medium: 'cpc',
          utm_campaign: `campaign-${index % 20}`,
        },
        { ip: '127.0.0.1', userAgent: 'bench' },
      );
      if (answer.kind !== 'dynamic' || !answer.leaseId) throw new Error('A lease was refused');
      leaseIds[index] = answer.leaseId;
    });
    const beats = LEASES * HEARTBEATS;
    const beatSeconds = await run('heartbeats ', beats, async (index) => {
      const leaseId = leaseIds[index % LEASES];
      const answer = await leaseNumber(
        { ...deps, now: new Date() },
        { key: settings.publicKey, ...(leaseId ? { leaseId } : {}) },
        { ip: '127.0.0.1', userAgent: 'bench' },
      );
      if (answer.leaseId !== leaseId) throw new Error('A heartbeat did not renew its lease');
    });
    const leaseOps = LEASES + beats;
    const leasesPerSecond = leaseOps / (acquireSeconds + beatSeconds);

    // Webhooks: three signed events per call, each its own request, through the HTTP app.
    const integration = await saveIntegration(ctx, null, {
      provider: 'generic',
      name: 'АТС',
      secret: SECRET,
      isActive: true,
    });
    const app = createApp({
      db,
      keys,
      logger: createLogger({ level: 'silent' }),
      authenticator: createAuthenticator({ db, keys }),
      now: () => new Date(),
      cookieSecure: 'false',
      trustProxy: false,
      publicUrl,
      webRoot: null,
    });
    const hook = `/hooks/calls/generic/${integration.id}`;
    const events = CALLS * 3;
    const started = Date.now();
    const eventSeconds = await run('webhook events ', events, async (index) => {
      const call = Math.floor(index / 3);
      const step = index % 3;
      const at = new Date(started + call * 1000 + step * 10_000).toISOString();
      const event =
        step === 0
          ? {
              id: `${call}-s`,
              callId: `call-${call}`,
              type: 'start',
              at,
              callerNumber: `+7916${String(call).padStart(7, '0')}`,
              calledNumber: '+74957770001',
            }
          : step === 1
            ? { id: `${call}-a`, callId: `call-${call}`, type: 'answer', at, manager: '101' }
            : {
                id: `${call}-e`,
                callId: `call-${call}`,
                type: 'end',
                at,
                durationSeconds: 20,
                talkSeconds: 10,
                status: 'answered',
              };
      const body = JSON.stringify({ events: [event] });
      const response = await app.request(hook, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': genericSignature(SECRET, body),
        },
        body,
      });
      if (response.status !== 200) {
        throw new Error(`Webhook answered ${response.status}: ${await response.text()}`);
      }
    });
    const eventsPerSecond = events / eventSeconds;

    log('');
    log(
      `pool                          ${poolSize.toLocaleString('en')} numbers, concurrency ${CONCURRENCY}`,
    );
    log(
      `new leases                    ${LEASES.toLocaleString('en')} in ${acquireSeconds.toFixed(2)} s = ${Math.round(LEASES / acquireSeconds).toLocaleString('en')}/s`,
    );
    log(
      `heartbeats                    ${beats.toLocaleString('en')} in ${beatSeconds.toFixed(2)} s = ${Math.round(beats / beatSeconds).toLocaleString('en')}/s`,
    );
    log(
      `lease operations              ${Math.round(leasesPerSecond).toLocaleString('en')}/s (target ≥ 1,000)`,
    );
    log(
      `webhook events                ${events.toLocaleString('en')} in ${eventSeconds.toFixed(2)} s = ${Math.round(eventsPerSecond).toLocaleString('en')}/s (target ≥ 1,000)`,
    );
    process.stdout.write(
      `${JSON.stringify({
        leases_per_s: Math.round(leasesPerSecond),
        new_leases_per_s: Math.round(LEASES / acquireSeconds),
        heartbeats_per_s: Math.round(beats / beatSeconds),
        webhook_events_per_s: Math.round(eventsPerSecond),
        leases: leaseOps,
        webhook_events: events,
        concurrency: CONCURRENCY,
      })}\n`,
    );
  } finally {
    await db.close();
    await keysDb.close();
    if (!process.env.BENCH_KEEP) {
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}_keys" WITH (FORCE)`);
    }
    await admin.close();
  }
}

await main();
