import type { Tx } from '../../platform/db/db.ts';
import { toNumber } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';

// Rows are scoped by row-level security to the transaction's organization.

export type ChecklistRecord = {
  id: string;
  year: number;
  completedAt: Date | null;
  completedBy: string | null;
  createdAt: Date;
};

export type ItemRecord = {
  id: string;
  code: string;
  checkStatus: 'passed' | 'failed' | 'not_available' | null;
  checkSummary: string | null;
  checkDetails: Record<string, unknown> | null;
  checkedAt: Date | null;
  closedAt: Date | null;
  closedBy: string | null;
  note: string | null;
};

export type EvidenceRecord = {
  id: string;
  itemId: string;
  kind: 'file' | 'document' | 'check';
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  documentId: string | null;
  checkStatus: string | null;
  checkSummary: string | null;
  note: string | null;
  createdBy: string | null;
  createdAt: Date;
};

export async function findChecklist(tx: Tx, year: number): Promise<ChecklistRecord | null> {
  const [row] = await tx.query<{
    id: string;
    year: number;
    completed_at: Date | null;
    completed_by: string | null;
    created_at: Date;
  }>(sql`SELECT id, year, completed_at, completed_by, created_at FROM audit_checklists
         WHERE org_id = app_current_org() AND year = ${year}`);
  if (!row) return null;
  return {
    id: row.id,
    year: row.year,
    completedAt: row.completed_at ? new Date(row.completed_at) : null,
    completedBy: row.completed_by,
    createdAt: new Date(row.created_at),
  };
}

export async function insertChecklist(
  tx: Tx,
  row: { id: string; orgId: string; year: number; codes: readonly string[]; at: Date },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO audit_checklists (id, org_id, year, created_at)
    VALUES (${row.id}, ${row.orgId}, ${row.year}, ${row.at})`);
  for (const code of row.codes) {
    await tx.execute(sql`
      INSERT INTO audit_items (org_id, checklist_id, code) VALUES (${row.orgId}, ${row.id}, ${code})`);
  }
}

type StoredItem = {
  id: string;
  code: string;
  check_status: ItemRecord['checkStatus'];
  check_summary: string | null;
  check_details: Record<string, unknown> | null;
  checked_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  note: string | null;
};

export async function findItems(tx: Tx, checklistId: string): Promise<ItemRecord[]> {
  const rows = await tx.query<StoredItem>(sql`
    SELECT id, code, check_status, check_summary, check_details, checked_at, closed_at,
      closed_by, note
    FROM audit_items WHERE org_id = app_current_org() AND checklist_id = ${checklistId}`);
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    checkStatus: row.check_status,
    checkSummary: row.check_summary,
    checkDetails: row.check_details,
    checkedAt: row.checked_at ? new Date(row.checked_at) : null,
    closedAt: row.closed_at ? new Date(row.closed_at) : null,
    closedBy: row.closed_by,
    note: row.note,
  }));
}

export async function saveCheckResult(
  tx: Tx,
  itemId: string,
  result: { status: string; summary: string; details: Record<string, unknown>; at: Date },
): Promise<void> {
  await tx.execute(sql`
    UPDATE audit_items SET check_status = ${result.status}, check_summary = ${result.summary},
      check_details = ${JSON.stringify(result.details)}::jsonb, checked_at = ${result.at}
    WHERE id = ${itemId}`);
}

export async function closeItem(
  tx: Tx,
  itemId: string,
  input: { userId: string | null; note: string | null; at: Date },
): Promise<void> {
  await tx.execute(sql`
    UPDATE audit_items SET closed_at = ${input.at}, closed_by = ${input.userId},
      note = ${input.note}
    WHERE id = ${itemId}`);
}

export async function reopenItem(tx: Tx, itemId: string): Promise<void> {
  await tx.execute(
    sql`UPDATE audit_items SET closed_at = NULL, closed_by = NULL WHERE id = ${itemId}`,
  );
}

export async function completeChecklist(
  tx: Tx,
  checklistId: string,
  input: { userId: string | null; at: Date },
): Promise<void> {
  await tx.execute(sql`
    UPDATE audit_checklists SET completed_at = ${input.at}, completed_by = ${input.userId}
    WHERE id = ${checklistId}`);
}

type StoredEvidence = {
  id: string;
  item_id: string;
  kind: EvidenceRecord['kind'];
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  document_id: string | null;
  check_status: string | null;
  check_summary: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Date;
};

export async function findEvidence(tx: Tx, itemIds: readonly string[]): Promise<EvidenceRecord[]> {
  if (itemIds.length === 0) return [];
  const rows = await tx.query<StoredEvidence>(sql`
    SELECT id, item_id, kind, file_name, content_type, size_bytes, sha256, document_id,
      check_status, check_summary, note, created_by, created_at
    FROM audit_evidence
    WHERE org_id = app_current_org() AND item_id IN (${sql.join(itemIds)})
    ORDER BY seq`);
  return rows.map((row) => ({
    id: row.id,
    itemId: row.item_id,
    kind: row.kind,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes === null ? null : toNumber(row.size_bytes),
    sha256: row.sha256,
    documentId: row.document_id,
    checkStatus: row.check_status,
    checkSummary: row.check_summary,
    note: row.note,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
  }));
}

export async function findEvidenceFile(
  tx: Tx,
  evidenceId: string,
): Promise<{ fileName: string; contentType: string; content: Uint8Array; sha256: string } | null> {
  const [row] = await tx.query<{
    file_name: string;
    content_type: string | null;
    content: Uint8Array;
    sha256: string;
  }>(sql`
    SELECT file_name, content_type, content, sha256 FROM audit_evidence
    WHERE org_id = app_current_org() AND id = ${evidenceId} AND kind = 'file'`);
  if (!row) return null;
  return {
    fileName: row.file_name,
    contentType: row.content_type ?? 'application/octet-stream',
    content: row.content,
    sha256: row.sha256,
  };
}

export async function insertEvidence(
  tx: Tx,
  row: {
    id: string;
    orgId: string;
    itemId: string;
    kind: EvidenceRecord['kind'];
    fileName?: string | null;
    contentType?: string | null;
    content?: Uint8Array | null;
    sha256?: string | null;
    documentId?: string | null;
    checkStatus?: string | null;
    checkSummary?: string | null;
    note?: string | null;
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO audit_evidence (id, org_id, item_id, kind, file_name, content_type, size_bytes,
      content, sha256, document_id, check_status, check_summary, note, created_by, created_at)
    VALUES (${row.id}, ${row.orgId}, ${row.itemId}, ${row.kind}, ${row.fileName ?? null},
      ${row.contentType ?? null}, ${row.content ? row.content.length : null},
      ${row.content ?? null}, ${row.sha256 ?? null}, ${row.documentId ?? null},
      ${row.checkStatus ?? null}, ${row.checkSummary ?? null}, ${row.note ?? null},
      ${row.createdBy}, ${row.at})`);
}

// Checks over tables another module owns: present only once its migration is applied.

export async function tableExists(tx: Tx, table: string): Promise<boolean> {
  const [row] = await tx.query<{ found: string | null }>(
    sql`SELECT to_regclass(${`public.${table}`})::text AS found`,
  );
  return Boolean(row?.found);
}

/** The newest Roskomnadzor notice filing and the open "update the notice" tasks. */
export async function rknNoticeState(
  tx: Tx,
  taskKind: string,
): Promise<{ lastFiledOn: string | null; openTasks: number; hasTasks: boolean }> {
  const [filing] = await tx.query<{ filed_on: string }>(sql`
    SELECT filed_on::text AS filed_on FROM rkn_notice_filings
    WHERE org_id = app_current_org() ORDER BY created_at DESC LIMIT 1`);
  const hasTasks = await tableExists(tx, 'tasks');
  let openTasks = 0;
  if (hasTasks) {
    const [count] = await tx.query<{ count: unknown }>(sql`
      SELECT count(*) AS count FROM tasks
      WHERE org_id = app_current_org() AND kind = ${taskKind} AND status = 'open'`);
    openTasks = toNumber(count?.count ?? 0);
  }
  return { lastFiledOn: filing?.filed_on ?? null, openTasks, hasTasks };
}

/** Active foreign services, and published forms whose first destination is one of them. */
export async function serviceLocalization(tx: Tx): Promise<{
  foreignServices: { name: string; country: string }[];
  formsWithForeignPrimary: string[];
}> {
  const foreign = await tx.query<{ id: string; name: string; country: string }>(sql`
    SELECT id, name, country FROM compliance_services
    WHERE org_id = app_current_org() AND archived_at IS NULL AND country <> 'RU'
    ORDER BY name`);
  const forms = await tx.query<{ slug: string }>(sql`
    SELECT f.slug FROM forms f
    JOIN compliance_services s ON s.id::text = f.definition -> 'destinations' ->> 0
    WHERE f.org_id = app_current_org() AND f.status = 'published' AND s.country <> 'RU'
    ORDER BY f.slug`);
  return {
    foreignServices: foreign.map((row) => ({ name: row.name, country: row.country })),
    formsWithForeignPrimary: forms.map((row) => row.slug),
  };
}

/** Organizations whose last completed audit is a year old or more (ids and when). */
export async function auditReminderOrgs(tx: Tx, before: Date): Promise<string[]> {
  const rows = await tx.query<{ org_id: string }>(
    sql`SELECT org_id FROM audit_reminder_orgs(${before})`,
  );
  return rows.map((row) => row.org_id);
}

export async function lastCompletedChecklist(
  tx: Tx,
): Promise<{ id: string; year: number; completedAt: Date } | null> {
  const [row] = await tx.query<{ id: string; year: number; completed_at: Date }>(sql`
    SELECT id, year, completed_at FROM audit_checklists
    WHERE org_id = app_current_org() AND completed_at IS NOT NULL
    ORDER BY completed_at DESC LIMIT 1`);
  return row ? { id: row.id, year: row.year, completedAt: new Date(row.completed_at) } : null;
}
