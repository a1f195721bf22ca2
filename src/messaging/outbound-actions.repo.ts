import { type Tx, toNumber } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';

/** The gate's answer as stored with an action. */
export type StoredAnswer = {
  allowed: boolean;
  reason: string | null;
  basis: string | null;
  consentEntryId: string | null;
};

export type AnswerEntry = StoredAnswer & { position: number; contactId: string };

type StoredEntry = {
  position: number;
  contact_id: string;
  allowed: boolean;
  reason: string | null;
  basis: string | null;
  consent_entry_id: string | null;
};

function toEntry(row: StoredEntry): AnswerEntry {
  return {
    position: row.position,
    contactId: row.contact_id,
    allowed: row.allowed,
    reason: row.reason,
    basis: row.basis,
    consentEntryId: row.consent_entry_id,
  };
}

/** Entries of a call list or an export, in one statement per batch. */
function entryColumns(entries: readonly AnswerEntry[]) {
  return {
    positions: entries.map((entry) => entry.position),
    contacts: entries.map((entry) => entry.contactId),
    allowed: entries.map((entry) => entry.allowed),
    reasons: entries.map((entry) => entry.reason),
    bases: entries.map((entry) => entry.basis),
    consents: entries.map((entry) => entry.consentEntryId),
  };
}

function unnestEntries(entries: readonly AnswerEntry[]): SqlFragment {
  const columns = entryColumns(entries);
  return sql`unnest(${columns.positions}::integer[], ${columns.contacts}::uuid[],
    ${columns.allowed}::boolean[], ${columns.reasons}::text[], ${columns.bases}::text[],
    ${columns.consents}::uuid[])`;
}

// Call lists.

export type CallListRecord = {
  id: string;
  title: string;
  purposeCode: string;
  total: number;
  allowed: number;
  createdAt: Date;
};

type StoredList = {
  id: string;
  title: string;
  purpose_code: string;
  total: number | string;
  allowed: number | string;
  created_at: Date;
};

function toList(row: StoredList): CallListRecord {
  return {
    id: row.id,
    title: row.title,
    purposeCode: row.purpose_code,
    total: toNumber(row.total),
    allowed: toNumber(row.allowed),
    createdAt: row.created_at,
  };
}

export async function insertCallList(
  tx: Tx,
  input: {
    id: string;
    orgId: string;
    purposeId: string;
    title: string;
    filter: Record<string, unknown>;
    total: number;
    allowed: number;
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO call_lists
      (id, org_id, purpose_id, title, filter, total, allowed, created_by, created_at)
    VALUES (${input.id}, ${input.orgId}, ${input.purposeId}, ${input.title},
      ${JSON.stringify(input.filter)}::jsonb, ${input.total}, ${input.allowed},
      ${input.createdBy}, ${input.at})`);
}

export async function insertCallListEntries(
  tx: Tx,
  orgId: string,
  listId: string,
  entries: readonly AnswerEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx.execute(sql`
    INSERT INTO call_list_entries
      (org_id, call_list_id, position, contact_id, allowed, reason, basis, consent_entry_id)
    SELECT ${orgId}, ${listId}, e.* FROM ${unnestEntries(entries)}
      AS e(position, contact_id, allowed, reason, basis, consent_entry_id)`);
}

const LIST_SELECT = sql`
  SELECT l.id, l.title, p.code AS purpose_code, l.total, l.allowed, l.created_at
  FROM call_lists l JOIN purposes p ON p.id = l.purpose_id`;

export async function findCallListPage(tx: Tx, page: { limit: number; offset: number }) {
  const rows = await tx.query<StoredList & { full_count: number | string }>(sql`
    SELECT *, count(*) OVER () AS full_count FROM (${LIST_SELECT}) lists
    ORDER BY created_at DESC, id LIMIT ${page.limit} OFFSET ${page.offset}`);
  return { rows: rows.map(toList), total: rows[0] ? toNumber(rows[0].full_count) : 0 };
}

export async function findCallList(tx: Tx, id: string): Promise<CallListRecord | null> {
  const [row] = await tx.query<StoredList>(sql`${LIST_SELECT} WHERE l.id = ${id}`);
  return row ? toList(row) : null;
}

/** Refused entries per reason, for each of the given lists. */
export async function findCallListRefusals(
  tx: Tx,
  listIds: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const result = new Map<string, Record<string, number>>();
  if (listIds.length === 0) return result;
  const rows = await tx.query<{ call_list_id: string; reason: string; count: number | string }>(sql`
    SELECT call_list_id, reason, count(*) AS count FROM call_list_entries
    WHERE call_list_id = ANY(${[...listIds]}::uuid[]) AND NOT allowed
    GROUP BY call_list_id, reason`);
  for (const row of rows) {
    const counts = result.get(row.call_list_id) ?? {};
    counts[row.reason] = toNumber(row.count);
    result.set(row.call_list_id, counts);
  }
  return result;
}

export async function findCallListEntries(
  tx: Tx,
  listId: string,
  page: { limit: number; offset: number },
): Promise<AnswerEntry[]> {
  const rows = await tx.query<StoredEntry>(sql`
    SELECT position, contact_id, allowed, reason, basis, consent_entry_id FROM call_list_entries
    WHERE call_list_id = ${listId}
    ORDER BY position LIMIT ${page.limit} OFFSET ${page.offset}`);
  return rows.map(toEntry);
}

// CSV exports.

export type ExportRecord = {
  id: string;
  purposeCode: string;
  total: number;
  exported: number;
  excluded: Record<string, number>;
  createdBy: string | null;
  createdAt: Date;
  downloadedAt: Date | null;
};

type StoredExport = {
  id: string;
  purpose_code: string;
  total: number | string;
  exported: number | string;
  excluded: Record<string, number>;
  created_by: string | null;
  created_at: Date;
  downloaded_at: Date | null;
};

function toExport(row: StoredExport): ExportRecord {
  return {
    id: row.id,
    purposeCode: row.purpose_code,
    total: toNumber(row.total),
    exported: toNumber(row.exported),
    excluded: row.excluded,
    createdBy: row.created_by,
    createdAt: row.created_at,
    downloadedAt: row.downloaded_at,
  };
}

const EXPORT_SELECT = sql`
  SELECT x.id, p.code AS purpose_code, x.total, x.exported, x.excluded, x.created_by,
    x.created_at, x.downloaded_at
  FROM contact_exports x JOIN purposes p ON p.id = x.purpose_id`;

export async function insertExport(
  tx: Tx,
  input: {
    id: string;
    orgId: string;
    purposeId: string;
    filter: Record<string, unknown>;
    total: number;
    exported: number;
    excluded: Record<string, number>;
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO contact_exports
      (id, org_id, purpose_id, filter, total, exported, excluded, created_by, created_at)
    VALUES (${input.id}, ${input.orgId}, ${input.purposeId},
      ${JSON.stringify(input.filter)}::jsonb, ${input.total}, ${input.exported},
      ${JSON.stringify(input.excluded)}::jsonb, ${input.createdBy}, ${input.at})`);
}

export async function insertExportEntries(
  tx: Tx,
  orgId: string,
  exportId: string,
  entries: readonly AnswerEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx.execute(sql`
    INSERT INTO contact_export_entries
      (org_id, export_id, position, contact_id, allowed, reason, basis, consent_entry_id)
    SELECT ${orgId}, ${exportId}, e.* FROM ${unnestEntries(entries)}
      AS e(position, contact_id, allowed, reason, basis, consent_entry_id)`);
}

export async function markExportDownloaded(tx: Tx, exportId: string, at: Date): Promise<void> {
  await tx.execute(
    sql`UPDATE contact_exports SET downloaded_at = ${at} WHERE id = ${exportId} AND downloaded_at IS NULL`,
  );
}

export async function findExport(tx: Tx, id: string): Promise<ExportRecord | null> {
  const [row] = await tx.query<StoredExport>(sql`${EXPORT_SELECT} WHERE x.id = ${id}`);
  return row ? toExport(row) : null;
}

export async function findExportPage(tx: Tx, page: { limit: number; offset: number }) {
  const rows = await tx.query<StoredExport & { full_count: number | string }>(sql`
    SELECT *, count(*) OVER () AS full_count FROM (${EXPORT_SELECT}) exports
    ORDER BY created_at DESC, id LIMIT ${page.limit} OFFSET ${page.offset}`);
  return { rows: rows.map(toExport), total: rows[0] ? toNumber(rows[0].full_count) : 0 };
}

/** Allowed entries of an export after a position, in order (the CSV is read page by page). */
export async function findAllowedExportEntries(
  tx: Tx,
  exportId: string,
  page: { afterPosition: number; limit: number },
): Promise<AnswerEntry[]> {
  const rows = await tx.query<StoredEntry>(sql`
    SELECT position, contact_id, allowed, reason, basis, consent_entry_id
    FROM contact_export_entries
    WHERE export_id = ${exportId} AND allowed AND position > ${page.afterPosition}
    ORDER BY position LIMIT ${page.limit}`);
  return rows.map(toEntry);
}

// Partners.

export type PartnerRecord = {
  id: string;
  name: string;
  url: string;
  country: string;
  secretEnc: Uint8Array;
  createdAt: Date;
  archivedAt: Date | null;
};

type StoredPartner = {
  id: string;
  name: string;
  url: string;
  country: string;
  secret_enc: Uint8Array;
  created_at: Date;
  archived_at: Date | null;
};

function toPartner(row: StoredPartner): PartnerRecord {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    country: row.country,
    secretEnc: row.secret_enc,
    createdAt: row.created_at,
    archivedAt: row.archived_at,
  };
}

export async function insertPartner(
  tx: Tx,
  input: {
    id: string;
    orgId: string;
    name: string;
    url: string;
    country: string;
    secretEnc: Buffer;
    createdBy: string | null;
    at: Date;
  },
): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(sql`
    INSERT INTO partners (id, org_id, name, url, secret_enc, country, created_by, created_at)
    VALUES (${input.id}, ${input.orgId}, ${input.name}, ${input.url}, ${input.secretEnc},
      ${input.country}, ${input.createdBy}, ${input.at})
    ON CONFLICT (org_id, name) DO NOTHING RETURNING id`);
  return rows.length > 0;
}

export async function findPartners(tx: Tx): Promise<PartnerRecord[]> {
  const rows = await tx.query<StoredPartner>(
    sql`SELECT * FROM partners ORDER BY archived_at NULLS FIRST, name, id`,
  );
  return rows.map(toPartner);
}

export async function findPartner(tx: Tx, id: string): Promise<PartnerRecord | null> {
  const [row] = await tx.query<StoredPartner>(sql`SELECT * FROM partners WHERE id = ${id}`);
  return row ? toPartner(row) : null;
}

export async function archivePartnerRow(tx: Tx, id: string, at: Date): Promise<boolean> {
  const changed = await tx.execute(
    sql`UPDATE partners SET archived_at = ${at} WHERE id = ${id} AND archived_at IS NULL`,
  );
  return changed > 0;
}

// Transfers.

export type TransferStatus = 'refused' | 'sending' | 'delivered' | 'failed';

export type TransferRecord = StoredAnswer & {
  id: string;
  partnerId: string;
  partnerName: string;
  purposeCode: string;
  contactId: string;
  status: TransferStatus;
  httpStatus: number | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

type StoredTransfer = {
  id: string;
  partner_id: string;
  partner_name: string;
  purpose_code: string;
  contact_id: string;
  allowed: boolean;
  reason: string | null;
  basis: string | null;
  consent_entry_id: string | null;
  status: TransferStatus;
  http_status: number | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
};

function toTransfer(row: StoredTransfer): TransferRecord {
  return {
    id: row.id,
    partnerId: row.partner_id,
    partnerName: row.partner_name,
    purposeCode: row.purpose_code,
    contactId: row.contact_id,
    allowed: row.allowed,
    reason: row.reason,
    basis: row.basis,
    consentEntryId: row.consent_entry_id,
    status: row.status,
    httpStatus: row.http_status,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

const TRANSFER_SELECT = sql`
  SELECT t.id, t.partner_id, r.name AS partner_name, p.code AS purpose_code, t.contact_id,
    t.allowed, t.reason, t.basis, t.consent_entry_id, t.status, t.http_status, t.error,
    t.created_at, t.finished_at
  FROM transfers t JOIN partners r ON r.id = t.partner_id JOIN purposes p ON p.id = t.purpose_id`;

export async function insertTransfer(
  tx: Tx,
  input: StoredAnswer & {
    id: string;
    orgId: string;
    partnerId: string;
    purposeId: string;
    contactId: string;
    status: TransferStatus;
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO transfers (id, org_id, partner_id, purpose_id, contact_id, allowed, reason, basis,
      consent_entry_id, status, created_by, created_at, finished_at)
    VALUES (${input.id}, ${input.orgId}, ${input.partnerId}, ${input.purposeId},
      ${input.contactId}, ${input.allowed}, ${input.reason}, ${input.basis},
      ${input.consentEntryId}, ${input.status}, ${input.createdBy}, ${input.at},
      ${input.status === 'refused' ? input.at : null})`);
}

export async function finishTransfer(
  tx: Tx,
  input: {
    id: string;
    status: 'delivered' | 'failed';
    httpStatus: number | null;
    error: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    UPDATE transfers SET status = ${input.status}, http_status = ${input.httpStatus},
      error = ${input.error}, finished_at = ${input.at}
    WHERE id = ${input.id} AND status = 'sending'`);
}

export async function findTransfer(tx: Tx, id: string): Promise<TransferRecord | null> {
  const [row] = await tx.query<StoredTransfer>(sql`${TRANSFER_SELECT} WHERE t.id = ${id}`);
  return row ? toTransfer(row) : null;
}

export async function findTransferPage(
  tx: Tx,
  page: { limit: number; offset: number; contactId?: string | undefined },
) {
  const where = page.contactId ? sql`WHERE t.contact_id = ${page.contactId}` : sql.empty;
  const rows = await tx.query<StoredTransfer & { full_count: number | string }>(sql`
    SELECT *, count(*) OVER () AS full_count FROM (${TRANSFER_SELECT} ${where}) transfers
    ORDER BY created_at DESC, id LIMIT ${page.limit} OFFSET ${page.offset}`);
  return { rows: rows.map(toTransfer), total: rows[0] ? toNumber(rows[0].full_count) : 0 };
}
