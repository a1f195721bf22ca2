import { describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import {
  contactOfSubmission,
  entriesOfSubmission,
  submitWithConsents,
  tamperJournal,
} from '../../test/journal-factories.ts';
import { destroySubjectKey } from '../keys/keys.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import type { Ctx } from '../platform/context.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { findChainedEntries } from './consent.repo.ts';
import { recordConsentEvents } from './consent.service.ts';
import {
  CHECKPOINT_MAX_AGE_MS,
  chainJournal,
  checkpointJournals,
  LATE_COMMIT_WINDOW,
  scheduleChaining,
  signCheckpoint,
  verifyJournal,
} from './journal.service.ts';
import { contentHash, linkHash } from './journal-hash.ts';
import { contentOfRecord } from './journal-verify.ts';

const getApp = setupTestApp();

function ctxOf(testApp: TestApp, orgId: string, now = testApp.clock.now()): Ctx {
  return systemCtx(testApp.deps, { orgId, now, actor: { type: 'system', label: 'test' } });
}

type ChainRow = { position: number; entry_id: string; prev_hash: string; link_hash: string };

async function chainRows(testApp: TestApp, orgId: string): Promise<ChainRow[]> {
  const rows = await withTx(testApp.db, { orgId }, (tx) =>
    tx.query<ChainRow>(
      sql`SELECT position, entry_id, prev_hash, link_hash FROM consent_chain ORDER BY position`,
    ),
  );
  return rows.map((row) => ({ ...row, position: Number(row.position) }));
}

async function journalIds(testApp: TestApp, orgId: string): Promise<string[]> {
  const rows = await withTx(testApp.db, { orgId }, (tx) =>
    tx.query<{ id: string }>(sql`SELECT id FROM consent_journal ORDER BY seq`),
  );
  return rows.map((row) => row.id);
}

describe('consent journal chain', () => {
  it('links concurrent recordings into one gap-free chain holding every entry exactly once', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const recordings = 12;
    // Submissions commit concurrently, each scheduling a chainer; more chainers race them.
    await Promise.all([
      ...Array.from({ length: recordings }, (_, index) =>
        submitWithConsents(testApp, org, { isAdvertisingGiven: index % 2 === 0 }),
      ),
      chainJournal(testApp.db, org.orgId),
      chainJournal(testApp.db, org.orgId),
      scheduleChaining(testApp.db, org.orgId),
    ]);
    await chainJournal(testApp.db, org.orgId, { shouldWait: true });

    const ids = await journalIds(testApp, org.orgId);
    const chain = await chainRows(testApp, org.orgId);
    expect(ids).toHaveLength(recordings + recordings / 2);
    expect(chain.map((row) => row.position)).toEqual(ids.map((_, index) => index + 1));
    expect(chain.map((row) => row.entry_id).sort()).toEqual([...ids].sort());
    expect(chain[0]?.prev_hash).toBe('0'.repeat(64));
    for (let index = 1; index < chain.length; index += 1) {
      expect(chain[index]?.prev_hash).toBe(chain[index - 1]?.link_hash);
    }
    const verification = await verifyJournal(ctxOf(testApp, org.orgId));
    expect(verification).toMatchObject({
      isIntact: true,
      entries: ids.length,
      unchained: 0,
      firstBroken: null,
      head: { position: ids.length, linkHash: chain.at(-1)?.link_hash },
    });
  });

  it('chains an entry that commits late after later ones, once, and still verifies', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const first = await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    await chainJournal(testApp.db, org.orgId, { shouldWait: true });
    // An entry whose seq is lower than every chained one: a transaction that took its seq
    // early and committed late.
    const contactId = await contactOfSubmission(testApp, first.submissionId);
    const [template] = await testApp.db.query<Record<string, unknown>>(
      sql`SELECT * FROM consent_journal WHERE submission_id = ${first.submissionId}`,
    );
    if (!template) throw new Error('No journal entry');
    const lateId = '00000000-0000-4000-8000-00000000fa7e';
    const content = {
      id: lateId,
      orgId: org.orgId,
      event: 'withdrawn' as const,
      contactId,
      purposeId: String(template.purpose_id),
      purposeVersionId: String(template.purpose_version_id),
      documentId: null,
      documentSha256: null,
      channel: 'staff' as const,
      evidenceSha256: null,
      formId: null,
      submissionId: null,
      actorUserId: null,
      expiresAt: null,
      at: testApp.clock.now().toISOString(),
    };
    await testApp.db.execute(sql`
      INSERT INTO consent_journal (id, seq, org_id, event, contact_id, purpose_id,
        purpose_version_id, channel, at, content_sha256)
      OVERRIDING SYSTEM VALUE
      VALUES (${lateId}, 0, ${org.orgId}, 'withdrawn', ${contactId}, ${content.purposeId},
        ${content.purposeVersionId}, 'staff', ${content.at}, ${contentHash(content)})`);
    const result = await chainJournal(testApp.db, org.orgId);
    expect(result).toMatchObject({ chained: 1, isBusy: false, head: { position: 2 } });
    expect(await chainJournal(testApp.db, org.orgId)).toMatchObject({ chained: 0 });
    const chain = await chainRows(testApp, org.orgId);
    expect(chain.map((row) => row.entry_id)).toEqual([
      ...(await entriesOfSubmission(testApp, first.submissionId)),
      lateId,
    ]);
    expect(await verifyJournal(ctxOf(testApp, org.orgId))).toMatchObject({ isIntact: true });
  });

  it('leaves an entry older than the late-commit window to the thorough run, which chains it', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const first = await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    await chainJournal(testApp.db, org.orgId, { shouldWait: true });
    const contactId = await contactOfSubmission(testApp, first.submissionId);
    const [template] = await testApp.db.query<{ purpose_id: string; purpose_version_id: string }>(
      sql`SELECT purpose_id, purpose_version_id FROM consent_journal WHERE submission_id = ${first.submissionId}`,
    );
    if (!template) throw new Error('No journal entry');
    const straggler = '00000000-0000-4000-8000-0000000057a6';
    const content = {
      id: straggler,
      orgId: org.orgId,
      event: 'withdrawn' as const,
      contactId,
      purposeId: template.purpose_id,
      purposeVersionId: template.purpose_version_id,
      documentId: null,
      documentSha256: null,
      channel: 'staff' as const,
      evidenceSha256: null,
      formId: null,
      submissionId: null,
      actorUserId: null,
      expiresAt: null,
      at: testApp.clock.now().toISOString(),
    };
    await testApp.db.execute(sql`
      INSERT INTO consent_journal (id, seq, org_id, event, contact_id, purpose_id,
        purpose_version_id, channel, at, content_sha256)
      OVERRIDING SYSTEM VALUE
      VALUES (${straggler}, ${-2 * LATE_COMMIT_WINDOW}, ${org.orgId}, 'withdrawn', ${contactId},
        ${content.purposeId}, ${content.purposeVersionId}, 'staff', ${content.at},
        ${contentHash(content)})`);
    expect(await chainJournal(testApp.db, org.orgId, { shouldWait: true })).toMatchObject({
      chained: 0,
      isBusy: false,
    });
    expect(await verifyJournal(ctxOf(testApp, org.orgId))).toMatchObject({
      isIntact: true,
      entries: 2,
      unchained: 0,
    });
    expect((await chainRows(testApp, org.orgId)).at(-1)?.entry_id).toBe(straggler);
  });

  it('gives up at once when another transaction holds the organization’s chain lock', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await submitWithConsents(testApp, org);
    await chainJournal(testApp.db, org.orgId, { shouldWait: true });
    // Holding the lock inside a transaction while another chainer asks: only a server has a
    // second connection; PGlite runs one transaction at a time.
    if (testApp.db.kind !== 'postgres') return;
    const { chainLockKey } = await import('./journal.service.ts');
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = testApp.db.transaction(async (tx) => {
      await tx.query(sql`SELECT pg_advisory_xact_lock(${chainLockKey(org.orgId)}::bigint)`);
      locked();
      await held;
    });
    await isLocked;
    expect(await chainJournal(testApp.db, org.orgId)).toEqual({
      chained: 0,
      isBusy: true,
      head: null,
    });
    release();
    await holder;
  });
});

describe('verification', () => {
  it('names an entry whose channel was edited in the database as the first broken one', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    for (let index = 0; index < 3; index += 1) await submitWithConsents(testApp, org);
    await chainJournal(testApp.db, org.orgId, { shouldWait: true });
    const untouched = await verifyJournal(ctxOf(testApp, org.orgId));
    expect(untouched).toMatchObject({ isIntact: true, entries: 6, firstBroken: null });

    const chain = await chainRows(testApp, org.orgId);
    const victim = chain[3];
    if (!victim) throw new Error('No fourth entry');
    await tamperJournal(testApp, victim.entry_id, 'channel');
    const broken = await verifyJournal(ctxOf(testApp, org.orgId));
    expect(broken).toMatchObject({
      isIntact: false,
      entries: 6,
      firstBroken: {
        entryId: victim.entry_id,
        position: 4,
        reason: 'content_hash_mismatch',
      },
    });
    expect(broken.firstBroken?.description).toContain(victim.entry_id);
  });

  it('names an entry whose time was moved, and ignores later untouched ones', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    for (let index = 0; index < 2; index += 1) await submitWithConsents(testApp, org);
    await signCheckpoint(ctxOf(testApp, org.orgId));
    const chain = await chainRows(testApp, org.orgId);
    const victim = chain[1];
    if (!victim) throw new Error('No second entry');
    await tamperJournal(testApp, victim.entry_id, 'at');
    expect((await verifyJournal(ctxOf(testApp, org.orgId))).firstBroken).toEqual(
      expect.objectContaining({ entryId: victim.entry_id, position: 2 }),
    );
  });

  it('reports a checkpoint whose signature was forged', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await submitWithConsents(testApp, org);
    const genuine = await signCheckpoint(ctxOf(testApp, org.orgId));
    expect(genuine).not.toBeNull();
    expect(await verifyJournal(ctxOf(testApp, org.orgId))).toMatchObject({
      isIntact: true,
      checkpoints: 1,
    });
    await submitWithConsents(testApp, org);
    await chainJournal(testApp.db, org.orgId, { shouldWait: true });
    const [head] = (await chainRows(testApp, org.orgId)).slice(-1);
    if (!head) throw new Error('No head');
    // A forger with database access but without the organization's private key.
    await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.execute(sql`
        INSERT INTO consent_checkpoints (org_id, position, link_hash, signed_at, signature)
        VALUES (${org.orgId}, ${head.position}, ${head.link_hash}, ${testApp.clock.now()},
                ${Buffer.alloc(64, 7)})`),
    );
    expect(await verifyJournal(ctxOf(testApp, org.orgId))).toMatchObject({
      isIntact: false,
      checkpoints: 2,
      firstBroken: {
        entryId: head.entry_id,
        position: head.position,
        reason: 'checkpoint_signature_invalid',
      },
    });
  });

  it('catches an edit whose hashes and link were all rewritten, through the signed checkpoint', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    await signCheckpoint(ctxOf(testApp, org.orgId));
    const [record] = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      findChainedEntries(tx, org.orgId, 0, 10),
    );
    if (!record?.entry) throw new Error('No chained entry');
    // Someone with database access edits the entry and recomputes its content hash and its
    // link, so the chain agrees with itself; only the signed head remembers the old link.
    const edited = { ...record.entry, channel: 'paper' as const };
    const editedContent = contentHash(contentOfRecord(edited));
    const editedLink = linkHash(record.prevHash, editedContent, record.entryId);
    await testApp.db.executeScript(`
      ALTER TABLE consent_journal DISABLE TRIGGER consent_journal_append_only;
      ALTER TABLE consent_chain DISABLE TRIGGER consent_chain_append_only;`);
    try {
      await testApp.db.execute(sql`
        UPDATE consent_journal SET channel = 'paper', content_sha256 = ${editedContent}
        WHERE id = ${record.entryId}`);
      await testApp.db.execute(
        sql`UPDATE consent_chain SET link_hash = ${editedLink} WHERE entry_id = ${record.entryId}`,
      );
    } finally {
      await testApp.db.executeScript(`
        ALTER TABLE consent_journal ENABLE TRIGGER consent_journal_append_only;
        ALTER TABLE consent_chain ENABLE TRIGGER consent_chain_append_only;`);
    }
    expect(await verifyJournal(ctxOf(testApp, org.orgId))).toMatchObject({
      isIntact: false,
      firstBroken: {
        entryId: record.entryId,
        position: 1,
        reason: 'checkpoint_link_mismatch',
      },
    });
  });

  it('stays intact after a subject is crypto-shredded (R-D5)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const submitted = await submitWithConsents(testApp, org);
    const contactId = await contactOfSubmission(testApp, submitted.submissionId);
    await destroySubjectKey(ctxOf(testApp, org.orgId), contactId);
    expect(await verifyJournal(ctxOf(testApp, org.orgId))).toMatchObject({
      isIntact: true,
      entries: 2,
    });
  });

  it('chains entries written by a caller’s own transaction before verifying them', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const submitted = await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    await chainJournal(testApp.db, org.orgId, { shouldWait: true });
    const contactId = await contactOfSubmission(testApp, submitted.submissionId);
    const ctx = ctxOf(testApp, org.orgId);
    const [template] = await testApp.db.query<{ purpose_id: string; purpose_version_id: string }>(
      sql`SELECT purpose_id, purpose_version_id FROM consent_journal WHERE submission_id = ${submitted.submissionId}`,
    );
    if (!template) throw new Error('No entry');
    await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      recordConsentEvents(tx, ctx, Buffer.alloc(32, 1), [
        {
          event: 'withdrawn',
          contactId,
          purposeId: template.purpose_id,
          purposeVersionId: template.purpose_version_id,
          documentId: null,
          documentSha256: null,
          channel: 'staff',
          evidence: { note: 'по телефону' },
        },
      ]),
    );
    expect(await verifyJournal(ctx)).toMatchObject({ isIntact: true, entries: 2, unchained: 0 });
  });
});

describe('checkpoint job', () => {
  it('signs each journal whose head moved at least daily, and leaves the rest alone', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const quiet = await makeCaptureOrg(testApp);
    await submitWithConsents(testApp, org);
    const start = testApp.clock.now();
    const jobDeps = { db: testApp.db, keys: testApp.keys, publicUrl: testApp.deps.publicUrl };
    const checkpoints = (orgId: string) =>
      withTx(testApp.db, { orgId }, (tx) =>
        tx.query<{ position: number; signed_at: Date }>(
          sql`SELECT position, signed_at FROM consent_checkpoints ORDER BY id`,
        ),
      );

    const firstRun = await checkpointJournals(jobDeps, start);
    expect(firstRun.signed).toContain(org.orgId);
    expect(firstRun.signed).not.toContain(quiet.orgId);
    expect(await checkpoints(org.orgId)).toHaveLength(1);
    expect(await checkpoints(quiet.orgId)).toHaveLength(0);

    // Nothing new: no checkpoint, however long after.
    const idle = await checkpointJournals(jobDeps, new Date(start.getTime() + 3 * 86_400_000));
    expect(idle.signed).not.toContain(org.orgId);

    // The head moved, but the last checkpoint is younger than a day.
    await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    const hourLater = new Date(start.getTime() + 60 * 60 * 1000);
    expect((await checkpointJournals(jobDeps, hourLater)).signed).not.toContain(org.orgId);

    const dayLater = new Date(start.getTime() + CHECKPOINT_MAX_AGE_MS);
    expect((await checkpointJournals(jobDeps, dayLater)).signed).toContain(org.orgId);
    const signed = await checkpoints(org.orgId);
    expect(signed.map((row) => Number(row.position))).toEqual([2, 3]);
    expect(signed.at(-1)?.signed_at.toISOString()).toBe(dayLater.toISOString());
    expect(await verifyJournal(ctxOf(testApp, org.orgId, dayLater))).toMatchObject({
      isIntact: true,
      checkpoints: 2,
    });
  });
});
