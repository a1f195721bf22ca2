import { createHash, createPublicKey } from 'node:crypto';
import { recordAccess, recordAudit } from '../access-log/access-log.service.ts';
import { activeBlocksOf } from '../contacts/blocks.service.ts';
import {
  type OrgKeyring,
  openField,
  orgKeyring,
  signWithOrgKey,
  subjectKeys,
} from '../keys/keys.service.ts';
import { findOrg, systemCtx } from '../orgs/auth.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import type { Db, Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import { can, type Permission } from '../platform/permissions.ts';
import { documentUrl, getProfileForDocuments } from '../purposes/purposes.service.ts';
import {
  type ChainLink,
  type CheckpointRecord,
  countUnchainedEntries,
  findChainedAmong,
  findChainedEntries,
  findChainHead,
  findChainPath,
  findCheckpointCovering,
  findCheckpoints,
  findDocumentTexts,
  findJournalEntry,
  findJournalForExport,
  findJournalKeys,
  findJournalPage,
  findLastCheckpoint,
  findOrgIdsWithJournal,
  insertChainLinks,
  insertCheckpoint,
  type JournalListRecord,
  type JournalRecord,
  lockChain,
} from './consent.repo.ts';
import type {
  TCheckpoint,
  TEvidence,
  TExportQuery,
  TJournalEntry,
  TJournalQuery,
  TProof,
  TVerification,
} from './consent.schema.ts';
import { checkpointMessage, GENESIS_HASH, linkHash } from './journal-hash.ts';
import { renderJournalCsv, renderJournalHtml } from './journal-render.ts';
import {
  ChainWalk,
  checkCheckpoints,
  contentOfRecord,
  describeBreak,
  earlierBreak,
} from './journal-verify.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

// Chaining

// Journal rows read per step of a chainer run.
const CHAIN_PAGE = 1000;
// A quick run reads at most this many pages, so its transaction stays short; the next run
// (the next submission, the hourly job, a verification) takes the rest.
const QUICK_MAX_PAGES = 50;
// How far below the head's seq a quick run looks for entries that committed late. seq is one
// sequence for every organization, so this is "journal entries written anywhere while the late
// transaction was open": far more than a transaction here lives through.
export const LATE_COMMIT_WINDOW = 2000;

/**
 * The advisory lock key of an organization's chain: 64 bits of a hash of a namespaced org id,
 * so it cannot meet the migration lock or another domain's per-organization lock.
 */
export function chainLockKey(orgId: string): string {
  return createHash('sha256')
    .update(`consent_chain:${orgId}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

export type ChainResult = {
  /** Entries linked by this run. */
  chained: number;
  /** Another chainer held the organization's lock, so this run did nothing. */
  isBusy: boolean;
  head: { position: number; linkHash: string } | null;
};

/**
 * Links the organization's journal entries that are not chained yet (R-C3).
 *
 * Submissions insert journal rows with no lock: each entry commits on its own with the hash of
 * its own content, so concurrent submissions never queue behind one another. Linking happens
 * here, after commit, under a transaction-level advisory lock per organization: one chainer at
 * a time reads the current head, takes the committed entries missing from `consent_chain` in
 * `seq` order and appends them, position = previous + 1, link = sha256(prev link || content
 * hash || entry id), starting from 64 zeros. A chainer that finds the lock taken returns at
 * once: the holder links whatever has committed.
 *
 * The chain order is the chainer's order. It can differ from `seq` when transactions commit
 * out of order (seq 7 commits after seq 8 was chained, so 7 lands after 8). That is fine:
 * every entry is chained exactly once (`entry_id` is unique in `consent_chain`, and positions
 * are the primary key), and verification walks positions, not `seq`. What the chain proves is
 * that no entry changed or vanished after it was linked, and signed checkpoints pin the head.
 *
 * A quick run (after a submission) reads the journal only from a window below the head's seq,
 * so its cost does not grow with the journal. A thorough run (`isThorough`: verification,
 * proofs, checkpoints and the hourly job) reads the whole journal, so an entry that committed
 * later than the window allows is chained within the hour at worst, and always before anything
 * is verified or signed. Both read the journal page by page in `seq` order and look each page's
 * ids up in the chain's unique entry_id index.
 *
 * `shouldWait` blocks on the lock instead of giving up (those callers want a full chain).
 */
export async function chainJournal(
  db: Db,
  orgId: string,
  options: { shouldWait?: boolean; isThorough?: boolean } = {},
): Promise<ChainResult> {
  return withTx(db, { orgId }, async (tx) => {
    const isLocked = await lockChain(tx, chainLockKey(orgId), options.shouldWait ?? false);
    if (!isLocked) return { chained: 0, isBusy: true, head: null };
    // Read after the lock: the previous holder's links are committed and visible now.
    const stored = await findChainHead(tx, orgId);
    let head = stored ? { position: stored.position, linkHash: stored.linkHash } : null;
    // Every link holds a distinct entry: equal counts mean nothing is pending.
    if (options.isThorough && (await countUnchainedEntries(tx, orgId)) === 0) {
      return { chained: 0, isBusy: false, head };
    }
    const headSeq = stored?.entrySeq ?? null;
    let afterSeq = options.isThorough || headSeq === null ? null : headSeq - LATE_COMMIT_WINDOW;
    let chained = 0;
    for (let page = 0; options.isThorough || page < QUICK_MAX_PAGES; page += 1) {
      const rows = await findJournalKeys(tx, orgId, { afterSeq, limit: CHAIN_PAGE });
      const last = rows.at(-1);
      if (!last) break;
      const isChained = await findChainedAmong(
        tx,
        rows.map((row) => row.id),
      );
      let position = head?.position ?? 0;
      let prevHash = head?.linkHash ?? GENESIS_HASH;
      const links: ChainLink[] = rows
        .filter((row) => !isChained.has(row.id))
        .map((entry) => {
          position += 1;
          const link = linkHash(prevHash, entry.contentSha256, entry.id);
          const chainLink = { position, entryId: entry.id, prevHash, linkHash: link };
          prevHash = link;
          return chainLink;
        });
      await insertChainLinks(tx, orgId, links);
      if (links.length > 0) head = { position, linkHash: prevHash };
      chained += links.length;
      if (rows.length < CHAIN_PAGE) break;
      afterSeq = last.seq;
    }
    return { chained, isBusy: false, head };
  });
}

type ChainingRun = { isRequestedAgain: boolean; done: Promise<void> };
const chainingRuns = new WeakMap<Db, Map<string, ChainingRun>>();
const BUSY_RETRIES = 3;
const BUSY_RETRY_MS = 200;

/**
 * Chains an organization's journal in the background, after the transaction that wrote the
 * entries has committed. Never rejects: a failure is logged and the hourly job (or the next
 * submission) catches up. Calls for the same organization while a run is going fold into one
 * more pass of that run. When another process holds the lock, it may have read its batch just
 * before our entries committed, so the run looks again a few times after a pause.
 */
/** The pause between two chaining runs of one organization while submissions keep coming. */
const CHAIN_COALESCE_MS = 100;

export function scheduleChaining(db: Db, orgId: string, logger?: Logger): Promise<void> {
  let runs = chainingRuns.get(db);
  if (!runs) {
    runs = new Map();
    chainingRuns.set(db, runs);
  }
  const running = runs.get(orgId);
  if (running) {
    running.isRequestedAgain = true;
    return running.done;
  }
  const run: ChainingRun = { isRequestedAgain: true, done: Promise.resolve() };
  const ownRuns = runs;
  runs.set(orgId, run);
  run.done = (async () => {
    let busyRetries = 0;
    try {
      while (run.isRequestedAgain) {
        run.isRequestedAgain = false;
        const result = await chainJournal(db, orgId);
        if (result.isBusy && busyRetries < BUSY_RETRIES) {
          busyRetries += 1;
          await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS * busyRetries));
          run.isRequestedAgain = true;
        } else if (run.isRequestedAgain) {
          // Under a stream of submissions, let entries gather: one run links a batch instead
          // of every submission paying for a run of its own.
          await new Promise((resolve) => setTimeout(resolve, CHAIN_COALESCE_MS));
        }
      }
    } catch (error) {
      logger?.warn(
        { orgId, error: error instanceof Error ? error.message : String(error) },
        'consent journal chaining failed; the next run will link the entries',
      );
    } finally {
      ownRuns.delete(orgId);
    }
  })();
  return run.done;
}

// Checkpoints

function checkpointView(orgId: string, checkpoint: CheckpointRecord): TCheckpoint {
  const signedAt = checkpoint.signedAt.toISOString();
  return {
    id: checkpoint.id,
    position: checkpoint.position,
    linkHash: checkpoint.linkHash,
    signedAt,
    signature: Buffer.from(checkpoint.signature).toString('base64'),
    signedMessage: checkpointMessage({
      orgId,
      position: checkpoint.position,
      linkHash: checkpoint.linkHash,
      signedAt,
    }),
  };
}

async function signHead(tx: Tx, ctx: Ctx, keyring: OrgKeyring): Promise<CheckpointRecord | null> {
  const head = await findChainHead(tx, ctx.orgId);
  if (!head) return null;
  const signedAt = ctx.now;
  const signature = signWithOrgKey(
    keyring,
    checkpointMessage({
      orgId: ctx.orgId,
      position: head.position,
      linkHash: head.linkHash,
      signedAt: signedAt.toISOString(),
    }),
  );
  const checkpoint = { position: head.position, linkHash: head.linkHash, signedAt, signature };
  const id = await insertCheckpoint(tx, ctx.orgId, checkpoint);
  await recordAudit(tx, ctx, {
    action: 'consent_checkpoint.signed',
    entityType: 'consent_checkpoint',
    entityId: String(id),
    details: { position: head.position, linkHash: head.linkHash },
  });
  return { id, ...checkpoint };
}

/**
 * Signs the chain head (organization, position, link hash, time) with the organization's
 * Ed25519 key. A signed head pins every entry up to it: rewriting the journal and the chain
 * together no longer goes unnoticed. Null when the journal is empty.
 */
export async function signCheckpoint(ctx: Ctx): Promise<TCheckpoint | null> {
  assertCan(ctx, 'consent.read');
  await chainJournal(ctx.db, ctx.orgId, { shouldWait: true, isThorough: true });
  const checkpoint = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) =>
    signHead(tx, ctx, await orgKeyring(tx, ctx)),
  );
  return checkpoint ? checkpointView(ctx.orgId, checkpoint) : null;
}

export const CHECKPOINT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export type JobDeps = { db: Db; keys: Keys; publicUrl: string; logger?: Logger };

/**
 * The scheduled job: chains every organization's journal and signs a checkpoint where the head
 * moved since the last one and that one is at least a day old (so each journal that changes is
 * signed at least daily). One organization's failure does not stop the others.
 */
export async function checkpointJournals(
  deps: JobDeps,
  now: Date,
): Promise<{ organizations: number; signed: string[] }> {
  const orgIds = await withTx(deps.db, { orgId: null }, (tx) => findOrgIdsWithJournal(tx));
  const signed: string[] = [];
  for (const orgId of orgIds) {
    try {
      await chainJournal(deps.db, orgId, { shouldWait: true, isThorough: true });
      const ctx = systemCtx(deps, { orgId, now, actor: { type: 'system', label: 'scheduler' } });
      const checkpoint = await withTx(deps.db, { orgId }, async (tx) => {
        const head = await findChainHead(tx, orgId);
        const last = await findLastCheckpoint(tx, orgId);
        const isDue =
          head !== null &&
          (last === null ||
            (head.position > last.position &&
              now.getTime() - last.signedAt.getTime() >= CHECKPOINT_MAX_AGE_MS));
        return isDue ? signHead(tx, ctx, await orgKeyring(tx, ctx)) : null;
      });
      if (checkpoint) signed.push(orgId);
    } catch (error) {
      deps.logger?.error(
        { orgId, error: error instanceof Error ? error.message : String(error) },
        'consent journal checkpoint failed',
      );
    }
  }
  return { organizations: orgIds.length, signed };
}

// Verification

const VERIFY_BATCH = 2000;

async function loadDocumentHashes(
  tx: Tx,
  known: Map<string, string>,
  entries: readonly (JournalRecord | null)[],
): Promise<void> {
  const missing = [
    ...new Set(
      entries.flatMap((entry) =>
        entry?.documentId && !known.has(entry.documentId) ? [entry.documentId] : [],
      ),
    ),
  ];
  const texts = await findDocumentTexts(tx, missing);
  for (const [id, document] of texts) {
    known.set(id, createHash('sha256').update(document.body, 'utf8').digest('hex'));
  }
}

/**
 * Verifies the organization's journal (R-C3): chains what is pending, then recomputes every
 * entry's content hash from its row (evidence through the SHA-256 of its ciphertext), every
 * link and every checkpoint signature. Any edit of a journal row, a link or a consent document
 * shows up as the first broken position.
 */
export async function verifyJournal(ctx: Ctx): Promise<TVerification> {
  assertCan(ctx, 'consent.read');
  await chainJournal(ctx.db, ctx.orgId, { shouldWait: true, isThorough: true });
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    // Checkpoints first: every link they name was committed before them, so the walk sees it.
    const checkpoints = await findCheckpoints(tx, ctx.orgId);
    const documentHashes = new Map<string, string>();
    const walk = new ChainWalk({
      watchPositions: new Set(checkpoints.map((checkpoint) => checkpoint.position)),
      documentHashes,
    });
    let after = 0;
    for (;;) {
      const batch = await findChainedEntries(tx, ctx.orgId, after, VERIFY_BATCH);
      const last = batch.at(-1);
      if (!last) break;
      await loadDocumentHashes(
        tx,
        documentHashes,
        batch.map((record) => record.entry),
      );
      walk.add(batch);
      after = last.position;
    }
    const publicKey = checkpoints.length > 0 ? (await orgKeyring(tx, ctx)).signingPublicKey : null;
    const firstBroken = earlierBreak(
      walk.firstBreak,
      checkCheckpoints({ orgId: ctx.orgId, checkpoints, walk, publicKeyDer: publicKey }),
    );
    return {
      isIntact: firstBroken === null,
      entries: walk.entries,
      checkpoints: checkpoints.length,
      unchained: await countUnchainedEntries(tx, ctx.orgId),
      head: walk.head ? { position: walk.head.position, linkHash: walk.head.linkHash } : null,
      firstBroken: firstBroken ? { ...firstBroken, description: describeBreak(firstBroken) } : null,
      verifiedAt: ctx.now.toISOString(),
    };
  });
}

// Reading

const EMPTY_EVIDENCE: TEvidence = {
  ip: null,
  userAgent: null,
  pageUrl: null,
  recordingRef: null,
  scriptVersion: null,
  scanRef: null,
  note: null,
};

function evidenceBinding(entryId: string): string {
  return `consent_journal:${entryId}:evidence`;
}

function parseEvidence(text: string): TEvidence {
  const stored = JSON.parse(text) as Record<string, unknown>;
  const read = (key: string) => (typeof stored[key] === 'string' ? (stored[key] as string) : null);
  return {
    ip: read('ip'),
    userAgent: read('userAgent'),
    pageUrl: read('pageUrl'),
    recordingRef: read('recordingRef'),
    scriptVersion: read('scriptVersion'),
    scanRef: read('scanRef'),
    note: read('note'),
  };
}

export type OpenedEvidence = Pick<TJournalEntry, 'evidenceState' | 'evidence'>;

/**
 * Decrypts the evidence of entries for a role that records consent, and writes one access-log
 * row per person whose evidence was opened, in the reading transaction (R-L6). Other roles get
 * the entries without evidence.
 */
async function openEvidence(
  tx: Tx,
  ctx: Ctx,
  entries: readonly JournalRecord[],
  reason: string,
): Promise<Map<string, OpenedEvidence>> {
  const opened = new Map<string, OpenedEvidence>();
  const sealed = entries.filter((entry) => entry.evidenceEnc !== null);
  for (const entry of entries) {
    if (entry.evidenceEnc === null) opened.set(entry.id, { evidenceState: 'none', evidence: null });
    else opened.set(entry.id, { evidenceState: 'hidden', evidence: null });
  }
  if (sealed.length === 0 || !can(ctx.role, 'consent.record')) return opened;
  const keyring = await orgKeyring(tx, ctx);
  const keys = await subjectKeys(
    tx,
    keyring,
    sealed.map((entry) => entry.contactId),
  );
  // A blocked person's evidence stays closed to everyone but the privacy officer (R-D1).
  const blocks = await activeBlocksOf(
    tx,
    sealed.map((entry) => entry.contactId),
  );
  const isWithheld = (contactId: string) =>
    ctx.role !== 'privacy_officer' &&
    (blocks.get(contactId) ?? []).some((block) => block.kind === 'blocked');
  const readSubjects: string[] = [];
  for (const entry of sealed) {
    if (isWithheld(entry.contactId)) continue;
    const key = keys.get(entry.contactId);
    if (!key || !entry.evidenceEnc) {
      opened.set(entry.id, { evidenceState: 'shredded', evidence: null });
      continue;
    }
    let plain: string;
    try {
      plain = openField(key, entry.evidenceEnc, evidenceBinding(entry.id));
    } catch {
      // A ciphertext that does not open was altered: the entry is listed, verification names it.
      opened.set(entry.id, { evidenceState: 'unreadable', evidence: null });
      continue;
    }
    const evidence = parseEvidence(plain);
    opened.set(entry.id, { evidenceState: 'shown', evidence: { ...EMPTY_EVIDENCE, ...evidence } });
    readSubjects.push(entry.contactId);
  }
  await recordAccess(tx, ctx, {
    subjectType: 'contact',
    subjectIds: readSubjects,
    fields: ['consent_evidence'],
    reason,
  });
  return opened;
}

/** One journal entry as the API shows it. */
export function journalEntryView(
  publicUrl: string,
  entry: JournalListRecord,
  evidence: OpenedEvidence | undefined,
): TJournalEntry {
  return {
    id: entry.id,
    position: entry.position,
    linkHash: entry.linkHash,
    contentSha256: entry.contentSha256,
    event: entry.event,
    contactId: entry.contactId,
    purposeCode: entry.purposeCode,
    purposeVersion: entry.purposeVersion,
    documentId: entry.documentId,
    documentVersion: entry.documentVersion,
    documentSha256: entry.documentSha256,
    documentUrl: entry.documentId ? documentUrl(publicUrl, entry.documentId) : null,
    channel: entry.channel,
    formId: entry.formId,
    submissionId: entry.submissionId,
    actorUserId: entry.actorUserId,
    at: entry.at.toISOString(),
    expiresAt: entry.expiresAt?.toISOString() ?? null,
    evidenceState: evidence?.evidenceState ?? 'hidden',
    evidence: evidence?.evidence ?? null,
  };
}

/** The journal, newest first; evidence decrypted (and the read logged) for recording roles. */
export async function findJournal(ctx: Ctx, query: TJournalQuery) {
  assertCan(ctx, 'consent.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findJournalPage(tx, ctx.orgId, {
      contactId: query.contactId,
      purposeCode: query.purposeCode,
      event: query.event,
      from: query.from,
      to: query.to,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const evidence = await openEvidence(tx, ctx, rows, 'consent_journal');
    return {
      items: rows.map((row) => journalEntryView(ctx.publicUrl, row, evidence.get(row.id))),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  });
}

// Proof

const CONTENT_FIELDS = [
  'id',
  'orgId',
  'event',
  'contactId',
  'purposeId',
  'purposeVersionId',
  'documentId',
  'documentSha256',
  'channel',
  'evidenceSha256',
  'formId',
  'submissionId',
  'actorUserId',
  'expiresAt',
  'at',
] as const;

function publicKeyView(der: Buffer): TProof['publicKey'] {
  const pem = createPublicKey({ key: der, format: 'der', type: 'spki' })
    .export({ format: 'pem', type: 'spki' })
    .toString();
  return { algorithm: 'Ed25519', spkiBase64: der.toString('base64'), pem };
}

/**
 * What proves one consent to anyone (R-C3): the exact document text whose SHA-256 is the
 * stored hash, the entry's content and link, the links up to the nearest later signed
 * checkpoint, the signature and the organization's public key. When no checkpoint covers the
 * entry yet, one is signed now, so the proof is complete.
 */
export async function getProof(ctx: Ctx, entryId: string): Promise<TProof> {
  assertCan(ctx, 'consent.read');
  const found = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findJournalEntry(tx, ctx.orgId, entryId),
  );
  if (!found) throw new AppError('not_found', 'No such journal entry');
  if (found.position === null) {
    await chainJournal(ctx.db, ctx.orgId, { shouldWait: true, isThorough: true });
  }
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const entry = await findJournalEntry(tx, ctx.orgId, entryId);
    if (!entry || entry.position === null) {
      throw new Error('A journal entry was not chained');
    }
    const keyring = await orgKeyring(tx, ctx);
    const checkpoint =
      (await findCheckpointCovering(tx, ctx.orgId, entry.position)) ??
      (await signHead(tx, ctx, keyring));
    if (!checkpoint) throw new Error('The chain has no head to sign');
    const path = await findChainPath(tx, ctx.orgId, entry.position, checkpoint.position);
    const own = path[0];
    if (!own) throw new Error('The chain link of a journal entry is missing');
    const texts = await findDocumentTexts(tx, entry.documentId ? [entry.documentId] : []);
    const text = entry.documentId ? texts.get(entry.documentId) : undefined;
    const content = contentOfRecord(entry);
    return {
      entryId: entry.id,
      event: entry.event,
      channel: entry.channel,
      at: entry.at.toISOString(),
      purposeCode: entry.purposeCode,
      purposeVersion: entry.purposeVersion,
      content: {
        fields: [...CONTENT_FIELDS],
        values: CONTENT_FIELDS.map((field) => content[field]),
        sha256: entry.contentSha256,
      },
      document:
        text && entry.documentSha256
          ? {
              id: text.id,
              version: text.version,
              title: text.title,
              text: text.body,
              sha256: entry.documentSha256,
              url: documentUrl(ctx.publicUrl, text.id),
              isIntact:
                createHash('sha256').update(text.body, 'utf8').digest('hex') ===
                entry.documentSha256,
            }
          : null,
      chain: {
        position: own.position,
        prevHash: own.prevHash,
        linkHash: own.linkHash,
        formula: 'link_hash = sha256(prev_hash || content_sha256 || entry_id), hex text',
      },
      path: path.map((link) => ({
        position: link.position,
        entryId: link.entryId,
        contentSha256: link.contentSha256,
        linkHash: link.linkHash,
      })),
      checkpoint: checkpointView(ctx.orgId, checkpoint),
      publicKey: publicKeyView(keyring.signingPublicKey),
    };
  });
}

// Export

export type JournalExport = { contentType: string; filename: string; body: string };

/**
 * The journal for an inspection: CSV (UTF-8 with BOM) or a printable page with the operator,
 * the period, the entries, the signed checkpoints with the public key, and the verification
 * result. Evidence is included, decrypted, only for roles that record consent (the privacy
 * officer among them); each person whose evidence is exported gets an access-log row (R-L6).
 */
export async function exportJournal(ctx: Ctx, query: TExportQuery): Promise<JournalExport> {
  assertCan(ctx, 'consent.read');
  const verification = await verifyJournal(ctx);
  const org = await findOrg({ db: ctx.db, keys: ctx.keys }, ctx.orgId);
  const data = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const rows = await findJournalForExport(tx, ctx.orgId, { from: query.from, to: query.to });
    const evidence = await openEvidence(tx, ctx, rows, 'export');
    const checkpoints = await findCheckpoints(tx, ctx.orgId);
    const profile = await getProfileForDocuments(tx);
    const keyring = checkpoints.length > 0 ? await orgKeyring(tx, ctx) : null;
    await recordAudit(tx, ctx, {
      action: 'consent_journal.exported',
      entityType: 'consent_journal',
      entityId: ctx.orgId,
      details: {
        format: query.format,
        entries: rows.length,
        from: query.from ?? null,
        to: query.to ?? null,
        isIntact: verification.isIntact,
      },
    });
    return {
      entries: rows.map((row) => journalEntryView(ctx.publicUrl, row, evidence.get(row.id))),
      checkpoints: checkpoints.map((checkpoint) => checkpointView(ctx.orgId, checkpoint)),
      operator: {
        name: profile?.legalName ?? org?.name ?? '',
        address: profile?.address ?? null,
        inn: profile?.inn ?? null,
        ogrn: profile?.ogrn ?? null,
      },
      publicKey: keyring ? publicKeyView(keyring.signingPublicKey) : null,
    };
  });
  const hasEvidence = can(ctx.role, 'consent.record');
  const stamp = ctx.now.toISOString().slice(0, 10);
  const slug = org?.slug ?? ctx.orgId;
  const input = {
    ...data,
    hasEvidence,
    period: { from: query.from ?? null, to: query.to ?? null },
    generatedAt: ctx.now.toISOString(),
    verification,
  };
  if (query.format === 'html') {
    return {
      contentType: 'text/html; charset=utf-8',
      filename: `consent-journal-${slug}-${stamp}.html`,
      body: renderJournalHtml(input),
    };
  }
  return {
    contentType: 'text/csv; charset=utf-8',
    filename: `consent-journal-${slug}-${stamp}.csv`,
    body: renderJournalCsv(input),
  };
}
