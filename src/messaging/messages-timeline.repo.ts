import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type MessageEvent = {
  id: string;
  channel: string;
  status: string;
  gateReason: string | null;
  purposeCode: string;
  campaignId: string | null;
  at: Date;
};

/** Outbound messages to the contacts (the send log), newest first; no recipient, no text. */
export async function findMessageEvents(
  tx: Tx,
  filter: { contactIds: readonly string[]; atOrBefore: Date | null; limit: number },
): Promise<MessageEvent[]> {
  const rows = await tx.query<{
    id: string;
    channel: string;
    status: string;
    gate_reason: string | null;
    code: string;
    campaign_id: string | null;
    created_at: Date;
  }>(sql`
    SELECT m.id, m.channel, m.status, m.gate_reason, p.code, m.campaign_id, m.created_at
    FROM outbound_messages m JOIN purposes p ON p.id = m.purpose_id
    WHERE m.contact_id = ANY(${[...filter.contactIds]}::uuid[])
      AND (${filter.atOrBefore}::timestamptz IS NULL OR m.created_at <= ${filter.atOrBefore})
    ORDER BY m.created_at DESC LIMIT ${filter.limit}`);
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    status: row.status,
    gateReason: row.gate_reason,
    purposeCode: row.code,
    campaignId: row.campaign_id,
    at: row.created_at,
  }));
}
