import { type Tx, toNumber } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';
import type { JournalContent } from './journal-hash.ts';

// Rows are scoped by row-level security to the transaction's organization; the explicit
// org_id conditions only help the planner use the (org_id, …) indexes.

export type JournalInsert = JournalContent & {
  evidenceEnc: Uint8Array | null;
  contentSha256: string;
};

export async function insertJournalEntries(
  tx: Tx,
  entries: readonly JournalInsert[],
): Promise<void> {
  for (const entry of entries) {
    tx.defer(sql`
      INSERT INTO consent_journal (id, org_id, event, contact_id, purpose_id, purpose_version_id,
        document_id, document_sha256, channel, evidence_enc, form_id, submission_id, actor_user_id,
        expires_at, at, content_sha256)
      VALUES (${entry.id}, ${entry.orgId}, ${entry.event}, ${entry.contactId}, ${entry.purposeId},
        ${entry.purposeVersionId}, ${entry.documentId}, ${entry.documentSha256}, ${entry.channel},
        ${entry.evidenceEnc}, ${entry.formId}, ${entry.submissionId}, ${entry.actorUserId},
        ${entry.expiresAt}, ${entry.at}, ${entry.contentSha256})`);
  }
}

/** A journal row as stored. */
export type JournalRecord = {
  id: string;
  seq: number;
  orgId: string;
  event: JournalContent['event'];
  contactId: string;
  purposeId: string;
  purposeVersionId: string;
  documentId: string | null;
  documentSha256: string | null;
  channel: JournalContent['channel'];
  evidenceEnc: Uint8Array | null;
  formId: string | null;
  submissionId: string | null;
  actorUserId: string | null;
  expiresAt: Date | null;
  at: Date;
  contentSha256: string;
};

type StoredEntry = {
  id: string;
  seq: number | string;
  org_id: string;
  event: JournalContent['event'];
  contact_id: string;
  purpose_id: string;
  purpose_version_id: string;
  document_id: string | null;
  document_sha256: string | null;
  channel: JournalContent['channel'];
  evidence_enc: Uint8Array | null;
  form_id: string | null;
  submission_id: string | null;
  actor_user_id: string | null;
  expires_at: Date | null;
  at: Date;
  content_sha256: string;
};

const ENTRY_COLUMNS = sql`j.id, j.seq, j.org_id, j.event, j.contact_id, j.purpose_id,
  j.purpose_version_id, j.document_id, j.document_sha256, j.channel, j.evidence_enc, j.form_id,
  j.submission_id, j.actor_user_id, j.expires_at, j.at, j.content_sha256`;

function toEntry(row: StoredEntry): JournalRecord {
  return {
    id: row.id,
    seq: toNumber(row.seq),
    orgId: row.org_id,
    event: row.event,
    contactId: row.contact_id,
    purposeId: row.purpose_id,
    purposeVersionId: row.purpose_version_id,
    documentId: row.document_id,
    documentSha256: row.document_sha256,
    channel: row.channel,
    evidenceEnc: row.evidence_enc,
    formId: row.form_id,
    submissionId: row.submission_id,
    actorUserId: row.actor_user_id,
    expiresAt: row.expires_at,
    at: row.at,
    contentSha256: row.content_sha256,
  };
}

// Chain

/**
 * Takes the organization's chain lock for the rest of the transaction. Without `shouldWait`
 * it answers false at once when another transaction holds it.
 */
export async function lockChain(tx: Tx, lockKey: string, shouldWait: boolean): Promise<boolean> {
  if (shouldWait) {
    await tx.query(sql`SELECT pg_advisory_xact_lock(${lockKey}::bigint)`);
    return true;
  }
  const [row] = await tx.query<{ is_locked: boolean }>(
    sql`SELECT pg_try_advisory_xact_lock(${lockKey}::bigint) AS is_locked`,
  );
  return row?.is_locked === true;
}

export type ChainHead = {
  position: number;
  linkHash: string;
  /** The `seq` of the head's entry; null if its row is gone. */
  entrySeq: number | null;
};

export async function findChainHead(tx: Tx, orgId: string): Promise<ChainHead | null> {
  const [row] = await tx.query<{
    position: number | string;
    link_hash: string;
    seq: number | string | null;
  }>(sql`
    SELECT c.position, c.link_hash, j.seq
    FROM consent_chain c LEFT JOIN consent_journal j ON j.id = c.entry_id
    WHERE c.org_id = ${orgId}
    ORDER BY c.position DESC LIMIT 1`);
  return row
    ? {
        position: toNumber(row.position),
        linkHash: row.link_hash,
        entrySeq: row.seq === null ? null : toNumber(row.seq),
      }
    : null;
}

/**
 * Journal entries in `seq` order after a seq (all of them from the start when null), one page
 * at a time: a range scan of the (org_id, seq) index.
 */
export async function findJournalKeys(
  tx: Tx,
  orgId: string,
  options: { afterSeq: number | null; limit: number },
): Promise<{ id: string; seq: number; contentSha256: string }[]> {
  const after = options.afterSeq === null ? sql.empty : sql`AND j.seq > ${options.afterSeq}`;
  const rows = await tx.query<{ id: string; seq: number | string; content_sha256: string }>(sql`
    SELECT j.id, j.seq, j.content_sha256 FROM consent_journal j
    WHERE j.org_id = ${orgId} ${after}
    ORDER BY j.seq
    LIMIT ${options.limit}`);
  return rows.map((row) => ({
    id: row.id,
    seq: toNumber(row.seq),
    contentSha256: row.content_sha256,
  }));
}

/**
 * Which of these entries are chained already: lookups in the unique entry_id index. (A
 * NOT EXISTS anti-join here lets a planner with stale statistics rescan the whole chain for
 * every journal row, which turned a large backlog quadratic.)
 */
export async function findChainedAmong(tx: Tx, entryIds: readonly string[]): Promise<Set<string>> {
  if (entryIds.length === 0) return new Set();
  const rows = await tx.query<{ entry_id: string }>(sql`
    SELECT entry_id FROM consent_chain WHERE entry_id = ANY(${[...entryIds]}::uuid[])`);
  return new Set(rows.map((row) => row.entry_id));
}

/** Entries not chained yet: journal rows minus chain links (each link holds one entry). */
export async function countUnchainedEntries(tx: Tx, orgId: string): Promise<number> {
  const [row] = await tx.query<{ total: number | string }>(sql`
    SELECT (SELECT count(*) FROM consent_journal WHERE org_id = ${orgId})
         - (SELECT count(*) FROM consent_chain WHERE org_id = ${orgId}) AS total`);
  return row ? Math.max(0, toNumber(row.total)) : 0;
}

export type ChainLink = {
  position: number;
  entryId: string;
  prevHash: string;
  linkHash: string;
};

export async function insertChainLinks(
  tx: Tx,
  orgId: string,
  links: readonly ChainLink[],
): Promise<void> {
  if (links.length === 0) return;
  await tx.execute(sql`
    INSERT INTO consent_chain (org_id, position, entry_id, prev_hash, link_hash)
    VALUES ${sql.join(
      links.map(
        (link) =>
          sql`(${orgId}, ${link.position}, ${link.entryId}, ${link.prevHash}, ${link.linkHash})`,
      ),
    )}`);
}

export type ChainedRecord = ChainLink & { entry: JournalRecord | null };

/**
 * Chain links after a position with their entries (null when the row is gone). Two lookups by
 * key rather than a join: a planner with stale statistics hashed the whole journal for every
 * page of a long chain.
 */
export async function findChainedEntries(
  tx: Tx,
  orgId: string,
  afterPosition: number,
  limit: number,
): Promise<ChainedRecord[]> {
  const links = await tx.query<{
    position: number | string;
    entry_id: string;
    prev_hash: string;
    link_hash: string;
  }>(sql`
    SELECT position, entry_id, prev_hash, link_hash FROM consent_chain
    WHERE org_id = ${orgId} AND position > ${afterPosition}
    ORDER BY position
    LIMIT ${limit}`);
  if (links.length === 0) return [];
  const entries = await tx.query<StoredEntry>(sql`
    SELECT ${ENTRY_COLUMNS} FROM consent_journal j
    WHERE j.id = ANY(${links.map((link) => link.entry_id)}::uuid[])`);
  const byId = new Map(entries.map((row) => [row.id, toEntry(row)]));
  return links.map((link) => ({
    position: toNumber(link.position),
    entryId: link.entry_id,
    prevHash: link.prev_hash,
    linkHash: link.link_hash,
    entry: byId.get(link.entry_id) ?? null,
  }));
}

/** The links from one position to another, for a proof a reader can recompute. */
export async function findChainPath(
  tx: Tx,
  orgId: string,
  fromPosition: number,
  toPosition: number,
): Promise<(ChainLink & { contentSha256: string })[]> {
  const rows = await tx.query<{
    position: number | string;
    entry_id: string;
    prev_hash: string;
    link_hash: string;
    content_sha256: string;
  }>(sql`
    SELECT c.position, c.entry_id, c.prev_hash, c.link_hash, j.content_sha256
    FROM consent_chain c JOIN consent_journal j ON j.id = c.entry_id
    WHERE c.org_id = ${orgId} AND c.position BETWEEN ${fromPosition} AND ${toPosition}
    ORDER BY c.position`);
  return rows.map((row) => ({
    position: toNumber(row.position),
    entryId: row.entry_id,
    prevHash: row.prev_hash,
    linkHash: row.link_hash,
    contentSha256: row.content_sha256,
  }));
}

// Checkpoints

export type CheckpointRecord = {
  id: number;
  position: number;
  linkHash: string;
  signedAt: Date;
  signature: Uint8Array;
};

type StoredCheckpoint = {
  id: number | string;
  position: number | string;
  link_hash: string;
  signed_at: Date;
  signature: Uint8Array;
};

function toCheckpoint(row: StoredCheckpoint): CheckpointRecord {
  return {
    id: toNumber(row.id),
    position: toNumber(row.position),
    linkHash: row.link_hash,
    signedAt: row.signed_at,
    signature: row.signature,
  };
}

export async function insertCheckpoint(
  tx: Tx,
  orgId: string,
  checkpoint: Omit<CheckpointRecord, 'id'>,
): Promise<number> {
  const [row] = await tx.query<{ id: number | string }>(sql`
    INSERT INTO consent_checkpoints (org_id, position, link_hash, signed_at, signature)
    VALUES (${orgId}, ${checkpoint.position}, ${checkpoint.linkHash}, ${checkpoint.signedAt},
            ${checkpoint.signature})
    RETURNING id`);
  if (!row) throw new Error('The checkpoint was not stored');
  return toNumber(row.id);
}

export async function findCheckpoints(tx: Tx, orgId: string): Promise<CheckpointRecord[]> {
  const rows = await tx.query<StoredCheckpoint>(sql`
    SELECT id, position, link_hash, signed_at, signature FROM consent_checkpoints
    WHERE org_id = ${orgId} ORDER BY position, id`);
  return rows.map(toCheckpoint);
}

export async function findLastCheckpoint(tx: Tx, orgId: string): Promise<CheckpointRecord | null> {
  const [row] = await tx.query<StoredCheckpoint>(sql`
    SELECT id, position, link_hash, signed_at, signature FROM consent_checkpoints
    WHERE org_id = ${orgId} ORDER BY signed_at DESC, id DESC LIMIT 1`);
  return row ? toCheckpoint(row) : null;
}

/** The first checkpoint at or after a position: it covers every entry up to it. */
export async function findCheckpointCovering(
  tx: Tx,
  orgId: string,
  position: number,
): Promise<CheckpointRecord | null> {
  const [row] = await tx.query<StoredCheckpoint>(sql`
    SELECT id, position, link_hash, signed_at, signature FROM consent_checkpoints
    WHERE org_id = ${orgId} AND position >= ${position}
    ORDER BY position, id LIMIT 1`);
  return row ? toCheckpoint(row) : null;
}

/** Organizations with journal entries, across the scope (a definer function). */
export async function findOrgIdsWithJournal(tx: Tx): Promise<string[]> {
  const rows = await tx.query<{ org_id: string }>(
    sql`SELECT consent_journal_org_ids AS org_id FROM consent_journal_org_ids()`,
  );
  return rows.map((row) => row.org_id);
}

// Reading

export type JournalFilter = {
  contactId?: string | undefined;
  purposeCode?: string | undefined;
  event?: JournalContent['event'] | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

/** A journal entry with what it refers to: purpose code and version, document, chain link. */
export type JournalListRecord = JournalRecord & {
  purposeCode: string;
  purposeVersion: number;
  documentVersion: number | null;
  position: number | null;
  linkHash: string | null;
};

type StoredListEntry = StoredEntry & {
  purpose_code: string;
  purpose_version: number;
  document_version: number | null;
  position: number | string | null;
  link_hash: string | null;
  total?: number | string;
};

function toListEntry(row: StoredListEntry): JournalListRecord {
  return {
    ...toEntry(row),
    purposeCode: row.purpose_code,
    purposeVersion: row.purpose_version,
    documentVersion: row.document_version,
    position: row.position === null ? null : toNumber(row.position),
    linkHash: row.link_hash,
  };
}

function journalConditions(orgId: string, filter: JournalFilter): SqlFragment {
  const conditions = [sql`j.org_id = ${orgId}`];
  if (filter.contactId) conditions.push(sql`j.contact_id = ${filter.contactId}`);
  if (filter.purposeCode) conditions.push(sql`p.code = ${filter.purposeCode}`);
  if (filter.event) conditions.push(sql`j.event = ${filter.event}`);
  if (filter.from) conditions.push(sql`j.at >= ${filter.from}::timestamptz`);
  if (filter.to) conditions.push(sql`j.at < ${filter.to}::timestamptz`);
  return sql.join(conditions, ' AND ');
}

const LIST_FROM = sql`
  FROM consent_journal j
  JOIN purposes p ON p.id = j.purpose_id
  JOIN purpose_versions v ON v.id = j.purpose_version_id
  LEFT JOIN consent_documents d ON d.id = j.document_id
  LEFT JOIN consent_chain c ON c.entry_id = j.id`;

const LIST_COLUMNS = sql`${ENTRY_COLUMNS}, p.code AS purpose_code, v.version AS purpose_version,
  d.version AS document_version, c.position, c.link_hash`;

/** Newest first, one page. */
export async function findJournalPage(
  tx: Tx,
  orgId: string,
  filter: JournalFilter & { limit: number; offset: number },
): Promise<{ rows: JournalListRecord[]; total: number }> {
  const rows = await tx.query<StoredListEntry>(sql`
    SELECT ${LIST_COLUMNS}, count(*) OVER () AS total ${LIST_FROM}
    WHERE ${journalConditions(orgId, filter)}
    ORDER BY j.at DESC, j.seq DESC
    LIMIT ${filter.limit} OFFSET ${filter.offset}`);
  let total = rows[0]?.total === undefined ? 0 : toNumber(rows[0].total);
  if (rows.length === 0 && filter.offset > 0) {
    // A page past the end has no rows to carry the window count.
    const [counted] = await tx.query<{ total: number | string }>(sql`
      SELECT count(*) AS total ${LIST_FROM} WHERE ${journalConditions(orgId, filter)}`);
    total = counted ? toNumber(counted.total) : 0;
  }
  return { rows: rows.map(toListEntry), total };
}

/** Every entry of a period in chain order (entries not chained yet last), for an export. */
export async function findJournalForExport(
  tx: Tx,
  orgId: string,
  filter: JournalFilter,
): Promise<JournalListRecord[]> {
  const rows = await tx.query<StoredListEntry>(sql`
    SELECT ${LIST_COLUMNS} ${LIST_FROM}
    WHERE ${journalConditions(orgId, filter)}
    ORDER BY c.position NULLS LAST, j.seq`);
  return rows.map(toListEntry);
}

export async function findJournalEntry(
  tx: Tx,
  orgId: string,
  entryId: string,
): Promise<JournalListRecord | null> {
  const [row] = await tx.query<StoredListEntry>(sql`
    SELECT ${LIST_COLUMNS} ${LIST_FROM}
    WHERE j.org_id = ${orgId} AND j.id = ${entryId}`);
  return row ? toListEntry(row) : null;
}

/**
 * The latest event of a contact for a purpose: what a withdrawal refers to. Here and below, a
 * contact's entries include those of the contacts merged into it (one person).
 */
export async function findLatestEvent(
  tx: Tx,
  orgId: string,
  contactId: string,
  purposeId: string,
): Promise<JournalRecord | null> {
  const [row] = await tx.query<StoredEntry>(sql`
    SELECT ${ENTRY_COLUMNS} FROM consent_journal j
    WHERE j.org_id = ${orgId} AND j.contact_id IN (SELECT contact_identity(${contactId}::uuid)) AND j.purpose_id = ${purposeId}
    ORDER BY j.at DESC, j.seq DESC LIMIT 1`);
  return row ? toEntry(row) : null;
}

/** The latest 'given' or 'renewed' event, whose document a withdrawal refers to. */
export async function findLatestGrant(
  tx: Tx,
  orgId: string,
  contactId: string,
  purposeId: string,
): Promise<JournalRecord | null> {
  const [row] = await tx.query<StoredEntry>(sql`
    SELECT ${ENTRY_COLUMNS} FROM consent_journal j
    WHERE j.org_id = ${orgId} AND j.contact_id IN (SELECT contact_identity(${contactId}::uuid)) AND j.purpose_id = ${purposeId}
      AND j.event IN ('given', 'renewed')
    ORDER BY j.at DESC, j.seq DESC LIMIT 1`);
  return row ? toEntry(row) : null;
}

// What entries refer to

export type DocumentText = { id: string; version: number; title: string; body: string };

/** Consent documents by id: the texts entries point at, for proofs and verification. */
export async function findDocumentTexts(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, DocumentText>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<DocumentText>(sql`
    SELECT id, version, title, body FROM consent_documents WHERE id = ANY(${[...ids]}::uuid[])`);
  return new Map(rows.map((row) => [row.id, row]));
}

/** Whether a contact exists in the scoped organization (another's is invisible). */
export async function contactExists(tx: Tx, contactId: string): Promise<boolean> {
  const rows = await tx.query(sql`SELECT 1 FROM contacts WHERE id = ${contactId}`);
  return rows.length > 0;
}

/** The latest event per purpose for one contact: the consent state the gate reads. */
export async function findLatestEventsOfContact(
  tx: Tx,
  orgId: string,
  contactId: string,
): Promise<JournalRecord[]> {
  const rows = await tx.query<StoredEntry>(sql`
    SELECT DISTINCT ON (j.purpose_id) ${ENTRY_COLUMNS} FROM consent_journal j
    WHERE j.org_id = ${orgId} AND j.contact_id IN (SELECT contact_identity(${contactId}::uuid))
    ORDER BY j.purpose_id, j.at DESC, j.seq DESC`);
  return rows.map(toEntry);
}
