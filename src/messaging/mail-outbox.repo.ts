import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type OutboxRow = {
  id: string;
  contactId: string;
  kind: string;
  subject: string;
  recipientEnc: Uint8Array;
  bodyEnc: Uint8Array;
  attempts: number;
};

export async function insertOutbox(
  tx: Tx,
  row: Omit<OutboxRow, 'attempts'> & { orgId: string; at: Date },
): Promise<void> {
  tx.defer(sql`
    INSERT INTO mail_outbox (id, org_id, kind, contact_id, recipient_enc, subject, body_enc, next_attempt_at, created_at)
    VALUES (${row.id}, ${row.orgId}, ${row.kind}, ${row.contactId}, ${row.recipientEnc}, ${row.subject},
            ${row.bodyEnc}, ${row.at}, ${row.at})`);
}

/** Due messages, locked so that two senders never send one twice. */
export async function lockDue(tx: Tx, now: Date, limit: number): Promise<OutboxRow[]> {
  const rows = await tx.query<{
    id: string;
    contact_id: string;
    kind: string;
    subject: string;
    recipient_enc: Uint8Array;
    body_enc: Uint8Array;
    attempts: number;
  }>(sql`
    SELECT id, contact_id, kind, subject, recipient_enc, body_enc, attempts FROM mail_outbox
    WHERE status = 'pending' AND next_attempt_at <= ${now}
    ORDER BY next_attempt_at LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`);
  return rows.map((row) => ({
    id: row.id,
    contactId: row.contact_id,
    kind: row.kind,
    subject: row.subject,
    recipientEnc: row.recipient_enc,
    bodyEnc: row.body_enc,
    attempts: row.attempts,
  }));
}

export async function markOutbox(
  tx: Tx,
  id: string,
  change: {
    status: 'pending' | 'sent' | 'failed' | 'dropped';
    attempts: number;
    nextAttemptAt: Date;
    error: string | null;
    sentAt: Date | null;
  },
): Promise<void> {
  await tx.execute(sql`
    UPDATE mail_outbox SET status = ${change.status}, attempts = ${change.attempts},
      next_attempt_at = ${change.nextAttemptAt}, last_error = ${change.error}, sent_at = ${change.sentAt}
    WHERE id = ${id}`);
}

export async function pendingMailOrgs(tx: Tx, now: Date): Promise<string[]> {
  const rows = await tx.query<{ org_id: string }>(
    sql`SELECT org_id FROM pending_mail_orgs(${now})`,
  );
  return rows.map((row) => row.org_id);
}
