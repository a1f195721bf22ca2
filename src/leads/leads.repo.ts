import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type Attribution = Record<string, string>;

export type LeadRecord = {
  id: string;
  contactId: string;
  submissionId: string | null;
  formId: string | null;
  status: string;
  source: string;
  attribution: Attribution;
  createdAt: Date;
  assigneeUserId: string | null;
  lostReason: string | null;
  stageChangedAt: Date | null;
  firstResponseAt: Date | null;
};

type Stored = {
  id: string;
  contact_id: string;
  submission_id: string | null;
  form_id: string | null;
  status: string;
  source: string;
  attribution: Attribution;
  created_at: Date;
  assignee_user_id: string | null;
  lost_reason: string | null;
  stage_changed_at: Date | null;
  first_response_at: Date | null;
};

const COLUMNS = sql`id, contact_id, submission_id, form_id, status, source, attribution, created_at,
  assignee_user_id, lost_reason, stage_changed_at, first_response_at`;

function toLead(row: Stored): LeadRecord {
  return {
    id: row.id,
    contactId: row.contact_id,
    submissionId: row.submission_id,
    formId: row.form_id,
    status: row.status,
    source: row.source,
    attribution: row.attribution,
    createdAt: row.created_at,
    assigneeUserId: row.assignee_user_id,
    lostReason: row.lost_reason,
    stageChangedAt: row.stage_changed_at,
    firstResponseAt: row.first_response_at,
  };
}

export async function insertLead(
  tx: Tx,
  orgId: string,
  lead: Pick<LeadRecord, 'id' | 'contactId' | 'submissionId' | 'formId' | 'source' | 'attribution'>,
  at: Date,
) {
  tx.defer(sql`
    INSERT INTO leads (id, org_id, contact_id, submission_id, form_id, source, attribution, created_at)
    VALUES (${lead.id}, ${orgId}, ${lead.contactId}, ${lead.submissionId}, ${lead.formId}, ${lead.source},
            ${JSON.stringify(lead.attribution)}::jsonb, ${at})`);
}

export type LeadFilter = {
  source?: string | undefined;
  stage?: string | undefined;
  /** A member's id, or 'none' for unassigned leads. */
  assignee?: string | undefined;
  contactIds?: readonly string[] | undefined;
};

function leadConditions(filter: LeadFilter) {
  const conditions = [sql`TRUE`];
  if (filter.source) conditions.push(sql`source = ${filter.source}`);
  if (filter.stage) conditions.push(sql`status = ${filter.stage}`);
  if (filter.assignee === 'none') conditions.push(sql`assignee_user_id IS NULL`);
  else if (filter.assignee) conditions.push(sql`assignee_user_id = ${filter.assignee}`);
  if (filter.contactIds) conditions.push(sql`contact_id = ANY(${[...filter.contactIds]}::uuid[])`);
  return sql.join(conditions, ' AND ');
}

export async function findLeadPage(tx: Tx, page: LeadFilter & { limit: number; offset: number }) {
  const where = leadConditions(page);
  const [count] = await tx.query<{ total: number | string }>(
    sql`SELECT count(*) AS total FROM leads WHERE ${where}`,
  );
  const rows = await tx.query<Stored>(sql`
    SELECT ${COLUMNS} FROM leads WHERE ${where}
    ORDER BY created_at DESC, id LIMIT ${page.limit} OFFSET ${page.offset}`);
  return { rows: rows.map(toLead), total: count ? Number(count.total) : 0 };
}

export async function findLeadById(tx: Tx, leadId: string): Promise<LeadRecord | null> {
  const rows = await tx.query<Stored>(sql`SELECT ${COLUMNS} FROM leads WHERE id = ${leadId}`);
  return rows[0] ? toLead(rows[0]) : null;
}

/** The first leads of each stage (the board's columns), newest first: one index scan per stage. */
export async function findLeadsPerStage(
  tx: Tx,
  filter: LeadFilter & { stages: readonly string[]; perStage: number },
): Promise<LeadRecord[]> {
  if (filter.stages.length === 0) return [];
  const rows = await tx.query<Stored>(sql`
    SELECT picked.* FROM unnest(${[...filter.stages]}::text[]) AS stage (code)
    CROSS JOIN LATERAL (
      SELECT ${COLUMNS} FROM leads WHERE status = stage.code AND ${leadConditions(filter)}
      ORDER BY created_at DESC, id LIMIT ${filter.perStage}
    ) picked`);
  return rows.map(toLead);
}

export async function findLeadBySubmission(
  tx: Tx,
  submissionId: string,
): Promise<LeadRecord | null> {
  const rows = await tx.query<Stored>(
    sql`SELECT ${COLUMNS} FROM leads WHERE submission_id = ${submissionId}`,
  );
  return rows[0] ? toLead(rows[0]) : null;
}

/** Contacts with a lead matching the filter, most recent lead first, each once. */
export async function findContactIdsOfLeads(
  tx: Tx,
  filter: { status?: string; source?: string; limit: number },
): Promise<string[]> {
  const conditions = [sql`TRUE`];
  if (filter.status) conditions.push(sql`status = ${filter.status}`);
  if (filter.source) conditions.push(sql`source = ${filter.source}`);
  const rows = await tx.query<{ contact_id: string }>(sql`
    SELECT contact_id FROM leads WHERE ${sql.join(conditions, ' AND ')}
    GROUP BY contact_id ORDER BY max(created_at) DESC, contact_id LIMIT ${filter.limit}`);
  return rows.map((row) => row.contact_id);
}

/** A lead's source and attribution, when what brought it is learned later (a call's match). */
export async function updateLeadSource(
  tx: Tx,
  input: { id: string; source: string; attribution: Attribution },
): Promise<number> {
  return tx.execute(sql`
    UPDATE leads SET source = ${input.source}, attribution = ${JSON.stringify(input.attribution)}::jsonb
    WHERE id = ${input.id}`);
}

export async function findLeadTimes(tx: Tx): Promise<Array<{ id: string; createdAt: Date }>> {
  const rows = await tx.query<{ id: string; created_at: Date }>(
    sql`SELECT id, created_at FROM leads WHERE status = 'new' ORDER BY created_at, id`,
  );
  return rows.map((row) => ({ id: row.id, createdAt: row.created_at }));
}
