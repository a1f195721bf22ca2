// Audience resolution with consent checks for 1,000,000 contacts on PostgreSQL (a segment's
// set-based match, then the one outbound gate for the whole audience), and single-send gate
// checks per second. Builds its own database; prints readable figures and ends with one line
// of JSON.
//
//   npm run bench:gate                       # uses postgres://postgres@127.0.0.1:5432/postgres
//   BENCH_CONTACTS=200000 BENCH_SINGLE=500 npm run bench:gate
//   BENCH_DATABASE_URL=postgres://… BENCH_KEEP=1 npm run bench:gate
import { randomBytes } from 'node:crypto';
import { checkOutbound } from '../src/messaging/gate.service.ts';
import {
  createSegment,
  getSegmentInTx,
  previewAudience,
} from '../src/messaging/segments.service.ts';
import { createOrgWithOwner, systemCtx } from '../src/orgs/auth.service.ts';
import { deriveKeys } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/db.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPostgres } from '../src/platform/db/postgres.ts';
import { sql } from '../src/platform/db/sql.ts';
import { withTx } from '../src/platform/db/tx.ts';
import { keyStoreOn } from '../src/platform/keystore.ts';
import { createPurpose, saveProfile } from '../src/purposes/purposes.service.ts';
import { ADVERTISING_PURPOSE, TEST_PROFILE } from '../test/capture-factories.ts';
import { BASE_URL, bar, databaseUrl, log, median } from './bench-lib.ts';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 100_000;

/**
 * Contacts with an email (sealed-looking bytes), a lead, and a journal history for the
 * advertising purpose: most gave consent, every tenth then withdrew, every seventh never
 * consented. Written by set-based INSERTs.
 */
async function fillContacts(
  db: Db,
  ids: { orgId: string; purposeId: string; versionId: string; count: number },
): Promise<void> {
  for (let start = 0; start < ids.count; start += BATCH) {
    const end = Math.min(ids.count, start + BATCH);
    await db.executeScript(`
      CREATE TEMP TABLE IF NOT EXISTS crowd (n int, id uuid);
      TRUNCATE crowd;
      INSERT INTO crowd SELECT n, gen_random_uuid() FROM generate_series(${start + 1}, ${end}) AS n;
      INSERT INTO contacts (id, org_id, name_enc, phone_enc, email_enc, phone_index, email_index)
        SELECT id, '${ids.orgId}', decode(md5('n' || n), 'hex'), decode(md5('p' || n), 'hex'),
          decode(md5('e' || n), 'hex'), md5('phone' || n), md5('email' || n) FROM crowd;
      INSERT INTO leads (org_id, contact_id, status, source, attribution)
        SELECT '${ids.orgId}', id, CASE WHEN n % 4 = 0 THEN 'visited' ELSE 'new' END,
          CASE WHEN n % 3 = 0 THEN 'yandex' ELSE 'vk' END, '{}'
        FROM crowd;
      INSERT INTO consent_journal (org_id, event, contact_id, purpose_id, purpose_version_id,
          channel, at, content_sha256)
        SELECT '${ids.orgId}', 'given', id, '${ids.purposeId}', '${ids.versionId}', 'web_form',
          now() - interval '30 days', md5('c' || n) || md5('c' || n)
        FROM crowd WHERE n % 7 <> 0;
      INSERT INTO consent_journal (org_id, event, contact_id, purpose_id, purpose_version_id,
          channel, at, content_sha256)
        SELECT '${ids.orgId}', 'withdrawn', id, '${ids.purposeId}', '${ids.versionId}', 'staff',
          now() - interval '1 day', md5('w' || n) || md5('w' || n)
        FROM crowd WHERE n % 7 <> 0 AND n % 10 = 0;`);
    log(`      ${bar(end, ids.count)}`);
  }
}

async function main(): Promise<void> {
  const name = `soglasie_bench_gate_${Date.now()}`;
  const admin = openPostgres(BASE_URL, { max: 1 });
  await admin.executeScript(`CREATE DATABASE "${name}"`);
  await admin.executeScript(`CREATE DATABASE "${name}_keys"`);
  const db = openPostgres(databaseUrl(name), { max: 4 });
  const keysDb = openPostgres(databaseUrl(`${name}_keys`), { max: 2 });
  try {
    log('[1/4] migrating a fresh database…');
    await migrate(db);
    const keys = deriveKeys(randomBytes(32), await keyStoreOn(keysDb));
    const { org, userId } = await createOrgWithOwner(
      { db, keys },
      {
        orgSlug: `bench-${randomBytes(3).toString('hex')}`,
        orgName: 'Бенчмарк',
        owner: { email: 'bench@clinic.test', name: 'Бенчмарк', password: 'bench-password-1' },
        now: new Date(),
        actorLabel: 'bench',
      },
    );
    const deps = { db, keys, publicUrl: 'http://127.0.0.1' };
    const ctx = {
      ...systemCtx(deps, { orgId: org.id, now: new Date() }),
      actor: { type: 'user' as const, userId, sessionId: null },
    };
    await saveProfile(ctx, TEST_PROFILE);
    const advertising = await createPurpose(ctx, ADVERTISING_PURPOSE);
    const [version] = await db.query<{ id: string }>(
      sql`SELECT id FROM purpose_versions WHERE purpose_id = ${advertising.id}`,
    );

    log(`[2/4] filling ${CONTACTS.toLocaleString('en')} contacts with leads and journal entries…`);
    await fillContacts(db, {
      orgId: org.id,
      purposeId: advertising.id,
      versionId: version?.id ?? '',
      count: CONTACTS,
    });
    await db.executeScript('VACUUM ANALYZE');
    const [{ contacts } = { contacts: 0 }] = await db.query<{ contacts: number }>(
      sql`SELECT count(*)::int AS contacts FROM contacts`,
    );
    const [{ entries } = { entries: 0 }] = await db.query<{ entries: number }>(
      sql`SELECT count(*)::int AS entries FROM consent_journal`,
    );

    log(
      `[3/4] resolving the audience of a segment (every contact with an email), ${ROUNDS} times…`,
    );
    const segment = await createSegment(ctx, {
      name: 'Все с почтой',
      purposeCode: advertising.code,
      filters: { hasEmail: true },
    });
    const timings: number[] = [];
    let audience = { matched: 0, included: 0, excluded: {} as Record<string, number> };
    for (let round = 0; round < ROUNDS; round += 1) {
      const began = performance.now();
      const result = await withTx(db, { orgId: org.id }, async (tx) => {
        const found = await getSegmentInTx(tx, { ...ctx, now: new Date() }, segment.id);
        return previewAudience(
          tx,
          { ...ctx, now: new Date() },
          { ...found, channel: 'email' },
          { page: 1, pageSize: 50 },
        );
      });
      timings.push(performance.now() - began);
      audience = {
        matched: result.matched,
        included: result.included,
        excluded: result.excluded,
      };
      log(`      round ${round + 1}: ${timings.at(-1)?.toFixed(0)} ms`);
    }
    const audienceMs = median(timings);

    log(`[4/4] single-send gate checks, ${SINGLE.toLocaleString('en')} in a row…`);
    const sample = await db.query<{ id: string }>(
      sql`SELECT id FROM contacts ORDER BY random() LIMIT ${SINGLE}`,
    );
    const began = performance.now();
    let allowed = 0;
    for (const { id } of sample) {
      const answer = await withTx(db, { orgId: org.id }, (tx) =>
        checkOutbound(
          tx,
          { ...ctx, now: new Date() },
          {
            contactId: id,
            purposeCode: advertising.code,
            channel: 'email',
          },
        ),
      );
      if (answer.allowed) allowed += 1;
    }
    const singleMs = performance.now() - began;
    const perSecond = sample.length / (singleMs / 1000);

    log('');
    log(`contacts                         ${contacts.toLocaleString('en')}`);
    log(`journal entries                  ${entries.toLocaleString('en')}`);
    log(`audience matched by the segment  ${audience.matched.toLocaleString('en')}`);
    log(`audience allowed by the gate     ${audience.included.toLocaleString('en')}`);
    log(`left out, by reason              ${JSON.stringify(audience.excluded)}`);
    log(`audience resolution, median      ${audienceMs.toFixed(0)} ms   (target: under 2,000 ms)`);
    log(
      `single-send gate checks          ${perSecond.toFixed(0)} per second (${allowed} of ${sample.length} allowed, one transaction each)`,
    );
    process.stdout.write(
      `${JSON.stringify({
        contacts,
        journal_entries: entries,
        audience_matched: audience.matched,
        audience_included: audience.included,
        audience_ms: Number(audienceMs.toFixed(1)),
        audience_ms_rounds: timings.map((value) => Number(value.toFixed(1))),
        gate_checks: sample.length,
        gate_checks_per_s: Number(perSecond.toFixed(1)),
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
