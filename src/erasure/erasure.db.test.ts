import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { setupTestApp, TEST_MASTER_KEY, type TestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import { contactOfSubmission, newPhone, submitWithConsents } from '../../test/journal-factories.ts';
import { databaseUrlFor } from '../../test/pg-url.ts';
import { verifyJournal } from '../consent/journal.service.ts';
import { readContacts } from '../contacts/contacts.service.ts';
import { orgKeyring, reshredErasedSubjects, subjectKeys } from '../keys/keys.service.ts';
import { checkOutbound } from '../messaging/gate.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import type { Ctx } from '../platform/context.ts';
import { deriveKeys } from '../platform/crypto.ts';
import type { Db } from '../platform/db/db.ts';
import { wrapPglite } from '../platform/db/pglite.ts';
import { openPostgres } from '../platform/db/postgres.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { keyStoreOn } from '../platform/keystore.ts';
import { DATA_MAP } from './data-map.ts';
import { collectSubjectData, eraseSubject, unmappedTables } from './erasure.service.ts';

const getApp = setupTestApp();
const run = promisify(execFile);

function ctxOf(testApp: TestApp, orgId: string): Ctx {
  return systemCtx(testApp.deps, {
    orgId,
    now: testApp.clock.now(),
    actor: { type: 'system', label: 'test' },
  });
}

/** A copy of the data database as a backup would hold it, opened beside the live key store. */
async function backupCopy(testApp: TestApp): Promise<{ db: Db; drop: () => Promise<void> }> {
  const { pglite, url } = testApp.testDb;
  if (pglite) {
    await pglite.exec('CHECKPOINT');
    const copy = await PGlite.create({ loadDataDir: await pglite.dumpDataDir('none') });
    const db = wrapPglite(copy);
    return { db, drop: () => db.close() };
  }
  if (!url || !process.env.DATABASE_URL) throw new Error('No database to copy');
  const name = `${new URL(url).pathname.slice(1)}_bak${randomBytes(2).toString('hex')}`;
  const admin = openPostgres(process.env.DATABASE_URL, { max: 1 });
  await admin.executeScript(`CREATE DATABASE "${name}"`);
  const copyUrl = databaseUrlFor(process.env.DATABASE_URL, name);
  const { stdout } = await run('pg_dump', ['--no-owner', '--format=custom', '--dbname', url], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  await new Promise<void>((resolve, reject) => {
    const child = execFile('pg_restore', ['--no-owner', '--dbname', copyUrl], (error) =>
      error ? reject(error) : resolve(),
    );
    child.stdin?.end(stdout);
  });
  const db = openPostgres(copyUrl, { max: 2 });
  return {
    db,
    async drop() {
      await db.close();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.close();
    },
  };
}

/** Every byte the database holds: PGlite's data directory, or a pg_dump of the server's. */
async function dumpDatabase(testApp: TestApp): Promise<Buffer> {
  const { pglite, url } = testApp.testDb;
  if (pglite) {
    await pglite.exec('CHECKPOINT');
    return Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
  }
  const { stdout } = await run('pg_dump', ['--no-owner', '--dbname', url ?? ''], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

async function leadsBySource(testApp: TestApp, orgId: string) {
  return withTx(testApp.db, { orgId }, (tx) =>
    tx.query<{ source: string; leads: number }>(sql`
      SELECT source, count(*)::int AS leads FROM leads GROUP BY source ORDER BY source`),
  );
}

describe('the data map', () => {
  it('declares every table of the schema, so erasure cannot forget one (R-D4)', async () => {
    const testApp = getApp();
    const tables = await testApp.db.query<{ table_name: string }>(sql`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    expect(unmappedTables(tables.map((row) => row.table_name))).toEqual([]);
  });

  it('maps every table linked to a contact as a subject table', async () => {
    const testApp = getApp();
    const linked = await testApp.db.query<{ table_name: string }>(sql`
      SELECT DISTINCT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'contact_id'`);
    const subjectTables = new Set(
      DATA_MAP.filter((entry) => entry.kind === 'subject').map((entry) => entry.table),
    );
    expect(
      linked.map((row) => row.table_name).filter((table) => !subjectTables.has(table)),
    ).toEqual([]);
  });
});

describe('erasure', () => {
  it('destroys a subject everywhere while the journal stays verifiable and reports keep their counts (R-D5)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const phone = newPhone();
    const erased = await submitWithConsents(testApp, org, { phone });
    const kept = await submitWithConsents(testApp, org);
    const erasedId = await contactOfSubmission(testApp, erased.submissionId);
    const keptId = await contactOfSubmission(testApp, kept.submissionId);
    const ctx = ctxOf(testApp, org.orgId);
    const before = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      collectSubjectData(tx, ctx, erasedId),
    );
    expect(before.tables.map((table) => table.table)).toEqual(
      expect.arrayContaining(['contacts', 'submissions', 'leads', 'consent_journal']),
    );
    const contactRow = before.tables.find((table) => table.table === 'contacts')?.rows[0];
    expect(contactRow).toMatchObject({ name: 'Ирина Соколова', phone });
    const reportBefore = await leadsBySource(testApp, org.orgId);
    const backup = await backupCopy(testApp);

    try {
      const result = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        eraseSubject(tx, ctx, { contactId: erasedId, reason: 'deletion request' }),
      );
      expect(result.tables).toEqual(
        expect.arrayContaining([
          { table: 'contacts', action: 'deidentified', rows: 1 },
          { table: 'consent_journal', action: 'shredded', rows: 2 },
        ]),
      );
      expect(result.categories.length).toBeGreaterThan(2);

      // Nothing readable is left in any mapped table.
      const after = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        collectSubjectData(tx, ctx, erasedId),
      );
      expect(after.erased).toBe(true);
      const text = JSON.stringify(after);
      expect(text).not.toContain('Ирина');
      expect(text).not.toContain(phone.slice(2));
      const [stored] = await testApp.db.query<Record<string, unknown>>(
        sql`SELECT name_enc, phone_enc, email_enc, phone_index, email_index FROM contacts WHERE id = ${erasedId}`,
      );
      expect(Object.values(stored ?? { missing: 1 }).every((value) => value === null)).toBe(true);
      const views = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        readContacts(tx, ctx, [erasedId, keptId], 'test'),
      );
      expect(views.get(erasedId)).toMatchObject({ name: null, phone: null, isShredded: true });
      expect(views.get(keptId)).toMatchObject({ name: 'Ирина Соколова', isShredded: false });

      // A raw dump of the database holds none of the person's values in clear.
      const dump = await dumpDatabase(testApp);
      expect(dump.includes(Buffer.from('yandex'))).toBe(true);
      for (const needle of [phone, phone.slice(2), 'Ирина Соколова']) {
        expect(dump.includes(Buffer.from(needle))).toBe(false);
      }

      // The chain still verifies, the channel report is unchanged, the gate refuses.
      expect(await verifyJournal(ctx)).toMatchObject({ isIntact: true });
      expect(await leadsBySource(testApp, org.orgId)).toEqual(reportBefore);
      const answer = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        checkOutbound(tx, ctx, { contactId: erasedId, purposeCode: 'marketing', channel: 'email' }),
      );
      expect(answer).toEqual({ allowed: false, reason: 'subject_erased' });

      // A backup taken before, opened next to the key store as it is now, cannot decrypt.
      const keysNow = deriveKeys(TEST_MASTER_KEY, testApp.testDb.keyStore);
      const fromBackup = await withTx(backup.db, { orgId: org.orgId }, async (tx) => {
        const [row] = await tx.query<{ phone_enc: Uint8Array | null }>(
          sql`SELECT phone_enc FROM contacts WHERE id = ${erasedId}`,
        );
        const keyring = await orgKeyring(tx, { keys: keysNow, orgId: org.orgId });
        return { row, keys: await subjectKeys(tx, keyring, [erasedId, keptId]) };
      });
      expect(fromBackup.row?.phone_enc).toBeInstanceOf(Uint8Array);
      expect(fromBackup.keys.get(erasedId)).toBeNull();
      expect(fromBackup.keys.get(keptId)).toBeInstanceOf(Buffer);
    } finally {
      await backup.drop();
    }
  });

  it('is idempotent and never revives the person, who can still be matched to past proof', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const phone = newPhone();
    const first = await submitWithConsents(testApp, org, { phone });
    const contactId = await contactOfSubmission(testApp, first.submissionId);
    const ctx = ctxOf(testApp, org.orgId);
    // A key store backup taken now, before the erasure.
    const wrapped = await testApp.testDb.keyStore.get(org.orgId, [contactId]);
    await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      eraseSubject(tx, ctx, { contactId, reason: 'retention' }),
    );
    // Restoring that older key store brings the key back; the next start destroys it again.
    const restored = await keyStoreOn(wrapPglite(await PGlite.create()));
    try {
      await restored.putMany([
        { orgId: org.orgId, subjectId: contactId, wrappedKey: wrapped.get(contactId) ?? null },
      ]);
      expect((await restored.get(org.orgId, [contactId])).get(contactId)).toBeInstanceOf(
        Uint8Array,
      );
      const keysRestored = deriveKeys(TEST_MASTER_KEY, restored);
      expect(await reshredErasedSubjects(testApp.db, keysRestored, new Date())).toBeGreaterThan(0);
      expect((await restored.get(org.orgId, [contactId])).get(contactId)).toBeNull();
    } finally {
      await restored.close();
    }
    const again = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      eraseSubject(tx, ctx, { contactId, reason: 'retention' }),
    );
    expect(again.tables.every((table) => table.rows === 0)).toBe(true);
    expect(again.categories).toEqual([]);

    const returning = await submitWithConsents(testApp, org, { phone });
    const newId = await contactOfSubmission(testApp, returning.submissionId);
    expect(newId).not.toBe(contactId);
    const [tombstone] = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ contact_id: string }>(sql`
        SELECT t.contact_id FROM subject_tombstones t JOIN contacts c ON c.id = ${newId}
        WHERE t.phone_index = c.phone_index`),
    );
    expect(tombstone?.contact_id).toBe(contactId);
  });
});
