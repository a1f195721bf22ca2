import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

type Window = { contactIds: readonly string[]; atOrBefore: Date | null; limit: number };

export type LeadEvent = {
  id: string;
  status: string;
  source: string;
  attribution: Record<string, string>;
  formId: string | null;
  at: Date;
};

export async function findLeadEvents(tx: Tx, filter: Window): Promise<LeadEvent[]> {
  const rows = await tx.query<{
    id: string;
    status: string;
    source: string;
    attribution: Record<string, string>;
    form_id: string | null;
    created_at: Date;
  }>(sql`
    SELECT id, status, source, attribution, form_id, created_at FROM leads
    WHERE contact_id = ANY(${[...filter.contactIds]}::uuid[])
      AND (${filter.atOrBefore}::timestamptz IS NULL OR created_at <= ${filter.atOrBefore})
    ORDER BY created_at DESC LIMIT ${filter.limit}`);
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    source: row.source,
    attribution: row.attribution,
    formId: row.form_id,
    at: row.created_at,
  }));
}

export type StageChangeEvent = {
  id: string;
  leadId: string;
  fromStage: string | null;
  toStage: string;
  fromAt: Date;
  lostReason: string | null;
  cause: string;
  at: Date;
};

export async function findStageChangeEvents(tx: Tx, filter: Window): Promise<StageChangeEvent[]> {
  const rows = await tx.query<{
    id: string;
    lead_id: string;
    from_stage: string | null;
    to_stage: string;
    from_at: Date;
    lost_reason: string | null;
    cause: string;
    at: Date;
  }>(sql`
    SELECT e.id, e.lead_id, e.from_stage, e.to_stage, e.from_at, e.lost_reason, e.cause, e.at
    FROM lead_stage_events e JOIN leads l ON l.id = e.lead_id
    WHERE l.contact_id = ANY(${[...filter.contactIds]}::uuid[])
      AND (${filter.atOrBefore}::timestamptz IS NULL OR e.at <= ${filter.atOrBefore})
    ORDER BY e.at DESC LIMIT ${filter.limit}`);
  return rows.map((row) => ({
    id: row.id,
    leadId: row.lead_id,
    fromStage: row.from_stage,
    toStage: row.to_stage,
    fromAt: row.from_at,
    lostReason: row.lost_reason,
    cause: row.cause,
    at: row.at,
  }));
}
