// Time to erase one subject in an organization of 1,000,000 contacts on PostgreSQL: the real
// erasure service (data map, key store, de-identification, audit) over a database filled to
// size. Builds its own databases and data; prints readable figures and ends with one line of
// JSON.
//
//   npm run bench:erasure                      # uses postgres://postgres@127.0.0.1:5432/postgres
//   BENCH_CONTACTS=200000 BENCH_ERASE=100 npm run bench:erasure
//   BENCH_DATABASE_URL=postgres://… BENCH_KEEP=1 npm run bench:erasure
import { randomBytes } from 'node:crypto';
import { eraseSubject } from '../src/erasure/erasure.service.ts';
import { createForm } from '../src/forms/forms.service.ts';
import { submitForm } from '../src/forms/submissions.service.ts';
import { createOrgWithOwner, systemCtx } from '../src/orgs/auth.service.ts';
import { deriveKeys } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/db.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPostgres } from '../src/platform/db/postgres.ts';
import { sql } from '../src/platform/db/sql.ts';
import { withTx } from '../src/platform/db/tx.ts';
import { keyStoreOn } from '../src/platform/keystore.ts';
import { createPurpose, saveProfile } from '../src/purposes/purposes.service.ts';
import {
  ADVERTISING_PURPOSE,
  formBody,
  PROCESSING_PURPOSE,
  TEST_PROFILE,
} from '../test/capture-factories.ts';
import { BASE_URL, bar, databaseUrl, log } from './bench-lib.ts';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const ERASE = Number(process.env.BENCH_ERASE ?? 200);
const BATCH = 100_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * The crowd around the measured subjects: contacts with a submission, a lead and a consent
 * entry each, and their wrapped keys in the key store, written by set-based INSERTs.
 */
async function fillCrowd(
  db: Db,
  keysDb: Db,
  ids: { orgId: string; formId: string; purposeId: string; versionId: string; count: number },
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
      INSERT INTO submissions (id, org_id, form_id, form_version, idempotency_key, contact_id,
          fields_enc, attribution)
        SELECT gen_random_uuid(), '${ids.orgId}', '${ids.formId}', 1, 'crowd-' || n, id, NULL,
          jsonb_build_object('utm_source', CASE WHEN n % 3 = 0 THEN 'yandex' ELSE 'vk' END)
        FROM crowd;
      INSERT INTO leads (org_id, contact_id, status, source, attribution)
        SELECT '${ids.orgId}', id, 'new', CASE WHEN n % 3 = 0 THEN 'yandex' ELSE 'vk' END, '{}'
        FROM crowd;
      INSERT INTO consent_journal (org_id, event, contact_id, purpose_id, purpose_version_id,
          channel, evidence_enc, at, content_sha256)
        SELECT '${ids.orgId}', 'given', id, '${ids.purposeId}', '${ids.versionId}', 'web_form',
          decode(md5('ev' || n), 'hex'), now(), md5('c' || n) FROM crowd;`);
    const rows = await db.query<{ id: string }>(sql`SELECT id FROM crowd`);
    await keysDb.execute(sql`
      INSERT INTO subject_keys (subject_id, org_id, wrapped_key)
      SELECT id, ${ids.orgId}::uuid, decode(md5(id::text), 'hex')
      FROM unnest(${rows.map((row) => row.id)}::uuid[]) AS id`);
    log(`      ${bar(end, ids.count)}`);
  }
}

async function main(): Promise<void> {
  const name = `soglasie_bench_erasure_${Date.now()}`;
  const admin = openPostgres(BASE_URL, { max: 1 });
  await admin.executeScript(`CREATE DATABASE "${name}"`);
  await admin.executeScript(`CREATE DATABASE "${name}_keys"`);
  const db = openPostgres(databaseUrl(name), { max: 4 });
  const keysDb = openPostgres(databaseUrl(`${name}_keys`), { max: 2 });
  try {
    log('[1/4] migrating fresh data and key store databases…');
    await migrate(db);
    const keyStore = await keyStoreOn(keysDb);
    const keys = deriveKeys(randomBytes(32), keyStore);
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
    const deps = { db, keys, publicUrl: 'http://127.0.0.1' };
    const ctx = systemCtx(deps, { orgId: org.id, now: new Date() });
    await saveProfile(ctx, TEST_PROFILE);
    const processing = await createPurpose(ctx, PROCESSING_PURPOSE);
    const advertising = await createPurpose(ctx, ADVERTISING_PURPOSE);
    const form = await createForm(ctx, formBody(`bench-${randomBytes(3).toString('hex')}`));

    const crowd = Math.max(0, CONTACTS - ERASE);
    log(`[2/4] filling ${crowd.toLocaleString('en')} contacts with their records and keys…`);
    const [version] = await db.query<{ id: string }>(
      sql`SELECT id FROM purpose_versions WHERE purpose_id = ${processing.id}`,
    );
    await fillCrowd(db, keysDb, {
      orgId: org.id,
      formId: form.id,
      purposeId: processing.id,
      versionId: version?.id ?? '',
      count: crowd,
    });

    log(`[3/4] submitting ${ERASE} subjects through the real form path…`);
    const subjects: string[] = [];
    for (let index = 0; index < ERASE; index += 1) {
      const result = await submitForm(
        { ...deps, now: new Date() },
        {
          formSlug: form.slug,
          values: {
            name: `Пациент ${index}`,
            phone: `+7903${String(1_000_000 + index).padStart(7, '0')}`,
            email: `patient${index}@clinic.test`,
          },
          consents: {
            [processing.code]: { isGiven: true, documentId: processing.document?.id ?? null },
            [advertising.code]: { isGiven: true, documentId: advertising.document?.id ?? null },
          },
          idempotencyKey: null,
          attribution: { utm_source: 'yandex', yclid: String(index) },
          client: { ip: '203.0.113.7', userAgent: 'bench', pageUrl: 'https://clinic.test/' },
        },
      );
      const [row] = await db.query<{ contact_id: string }>(
        sql`SELECT contact_id FROM submissions WHERE id = ${result.submissionId}`,
      );
      if (row) subjects.push(row.contact_id);
    }
    await db.executeScript('ANALYZE');
    const [{ contacts } = { contacts: 0 }] = await db.query<{ contacts: number }>(
      sql`SELECT count(*)::int AS contacts FROM contacts`,
    );

    log(`[4/4] erasing ${subjects.length} subjects one by one…`);
    const timings: number[] = [];
    for (const contactId of subjects) {
      const began = performance.now();
      await withTx(db, { orgId: org.id }, (tx) =>
        eraseSubject(tx, { ...ctx, now: new Date() }, { contactId, reason: 'benchmark' }),
      );
      timings.push(performance.now() - began);
    }
    const sorted = [...timings].sort((a, b) => a - b);
    const median = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const mean = timings.reduce((sum, value) => sum + value, 0) / Math.max(1, timings.length);
    log('');
    log(`contacts in the organization  ${contacts.toLocaleString('en')}`);
    log(`subjects erased               ${subjects.length}`);
    log(`erase time, median            ${median.toFixed(1)} ms   (target: under 200 ms)`);
    log(`erase time, p99               ${p99.toFixed(1)} ms`);
    log(`erase time, mean              ${mean.toFixed(1)} ms`);
    process.stdout.write(
      `${JSON.stringify({
        contacts,
        erased: subjects.length,
        erase_ms_median: Number(median.toFixed(2)),
        erase_ms_p99: Number(p99.toFixed(2)),
        erase_ms_mean: Number(mean.toFixed(2)),
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
