import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

/** The organization of a sent message by its Message-ID (a definer function). */
export async function messageOrgByMessageId(tx: Tx, messageId: string): Promise<string | null> {
  const [row] = await tx.query<{ org_id: string | null }>(
    sql`SELECT outbound_message_org_by_message_id(${messageId}) AS org_id`,
  );
  return row?.org_id ?? null;
}

export async function findEmailByMessageId(
  tx: Tx,
  messageId: string,
): Promise<{ id: string; contactId: string } | null> {
  const [row] = await tx.query<{ id: string; contact_id: string }>(sql`
    SELECT id, contact_id FROM outbound_messages
    WHERE message_id = ${messageId} AND channel = 'email' AND status <> 'refused'
    ORDER BY created_at LIMIT 1`);
  return row ? { id: row.id, contactId: row.contact_id } : null;
}

/** Records one report; false when this message already has one of this kind (a replay). */
export async function insertMailFeedback(
  tx: Tx,
  row: {
    orgId: string;
    outboundMessageId: string;
    contactId: string;
    kind: 'complaint' | 'bounce';
    source: string;
    at: Date;
  },
): Promise<boolean> {
  const inserted = await tx.execute(sql`
    INSERT INTO mail_feedback (org_id, outbound_message_id, contact_id, kind, source, received_at)
    VALUES (${row.orgId}, ${row.outboundMessageId}, ${row.contactId}, ${row.kind}, ${row.source},
            ${row.at})
    ON CONFLICT (outbound_message_id, kind) DO NOTHING`);
  return inserted > 0;
}

/** Emails sent, complaints and bounces since a moment, for the complaint rate. */
export async function countMailFeedback(
  tx: Tx,
  since: Date,
): Promise<{ sent: number; complaints: number; bounces: number }> {
  const [row] = await tx.query<{ sent: unknown; complaints: unknown; bounces: unknown }>(sql`
    SELECT
      (SELECT count(*) FROM outbound_messages
        WHERE channel = 'email' AND status IN ('sent', 'delivered') AND created_at >= ${since}) AS sent,
      (SELECT count(*) FROM mail_feedback WHERE kind = 'complaint' AND received_at >= ${since})
        AS complaints,
      (SELECT count(*) FROM mail_feedback WHERE kind = 'bounce' AND received_at >= ${since})
        AS bounces`);
  return {
    sent: Number(row?.sent ?? 0),
    complaints: Number(row?.complaints ?? 0),
    bounces: Number(row?.bounces ?? 0),
  };
}
