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
};

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
  };
}

export async function insertLead(
  tx: Tx,
  orgId: string,
  lead: Omit<LeadRecord, 'createdAt' | 'status'>,
  at: Date,
) {
  tx.defer(sql`
    INSERT INTO leads (id, org_id, contact_id, submission_id, form_id, source, attribution, created_at)
    VALUES (${lead.id}, ${orgId}, ${lead.contactId}, ${lead.submissionId}, ${lead.formId}, ${lead.source},
            ${JSON.stringify(lead.attribution)}::jsonb, ${at})`);
}

export async function findLeadPage(
  tx: Tx,
  page: { limit: number; offset: number; source?: string },
) {
  const where = page.source ? sql`WHERE source = ${page.source}` : sql.empty;
  const rows = await tx.query<Stored & { total: number | string }>(sql`
    SELECT *, count(*) OVER () AS total FROM leads ${where}
    ORDER BY created_at DESC, id LIMIT ${page.limit} OFFSET ${page.offset}`);
  return { rows: rows.map(toLead), total: rows[0] ? Number(rows[0].total) : 0 };
}

export async function findLeadBySubmission(
  tx: Tx,
  submissionId: string,
): Promise<LeadRecord | null> {
  const rows = await tx.query<Stored>(
    sql`SELECT * FROM leads WHERE submission_id = ${submissionId}`,
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
