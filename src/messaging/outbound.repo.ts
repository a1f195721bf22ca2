import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type OutboundStatus =
  | 'queued'
  | 'sent'
  | 'refused'
  | 'failed'
  | 'delivered'
  | 'provider_refused';

export type OutboundRow = {
  id: string;
  orgId: string;
  contactId: string;
  channel: string;
  purposeId: string;
  basis: string | null;
  consentEntryId: string | null;
  gateReason: string | null;
  status: OutboundStatus;
  messageId: string | null;
  provider: string | null;
  providerId: string | null;
  campaignId: string | null;
  recipientEnc: Uint8Array | null;
  /** Advertising, or a service message about the person's own contract; marketing if absent. */
  messageKind?: 'marketing' | 'service';
  at: Date;
};

export async function insertOutboundMessage(tx: Tx, row: OutboundRow): Promise<void> {
  await tx.execute(sql`
    INSERT INTO outbound_messages (id, org_id, contact_id, channel, purpose_id, basis,
      consent_entry_id, gate_reason, status, message_id, provider, provider_id, campaign_id,
      recipient_enc, message_kind, created_at)
    VALUES (${row.id}, ${row.orgId}, ${row.contactId}, ${row.channel}, ${row.purposeId},
      ${row.basis}, ${row.consentEntryId}, ${row.gateReason}, ${row.status}, ${row.messageId},
      ${row.provider}, ${row.providerId}, ${row.campaignId}, ${row.recipientEnc},
      ${row.messageKind ?? 'marketing'}, ${row.at})`);
}

export async function markOutboundMessage(
  tx: Tx,
  id: string,
  change: {
    status: OutboundStatus;
    at: Date;
    provider?: string | null;
    providerId?: string | null;
    error?: string | null;
  },
): Promise<void> {
  await tx.execute(sql`
    UPDATE outbound_messages SET status = ${change.status}, status_at = ${change.at},
      sent_at = CASE WHEN ${change.status} = 'sent' THEN ${change.at}::timestamptz ELSE sent_at END,
      provider = COALESCE(${change.provider ?? null}::text, provider),
      provider_id = COALESCE(${change.providerId ?? null}::text, provider_id),
      last_error = ${change.error ?? null}
    WHERE id = ${id}`);
}

/** The organization of a provider's message (a definer function: callbacks carry no org). */
export async function outboundMessageOrgId(
  tx: Tx,
  provider: string,
  providerId: string,
): Promise<string | null> {
  const [row] = await tx.query<{ org_id: string | null }>(
    sql`SELECT outbound_message_org_id(${provider}, ${providerId}) AS org_id`,
  );
  return row?.org_id ?? null;
}

export async function findByProviderId(
  tx: Tx,
  provider: string,
  providerId: string,
): Promise<{ id: string; contactId: string; status: OutboundStatus; channel: string } | null> {
  const [row] = await tx.query<{
    id: string;
    contact_id: string;
    status: OutboundStatus;
    channel: string;
  }>(sql`
    SELECT id, contact_id, status, channel FROM outbound_messages
    WHERE provider = ${provider} AND provider_id = ${providerId}`);
  return row
    ? { id: row.id, contactId: row.contact_id, status: row.status, channel: row.channel }
    : null;
}

export type OutboundLogRow = {
  id: string;
  channel: string;
  purposeId: string;
  basis: string | null;
  consentEntryId: string | null;
  gateReason: string | null;
  status: OutboundStatus;
  campaignId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  statusAt: Date | null;
};

/** The latest messages to one contact (the contact card), newest first. */
export async function findMessagesOfContact(
  tx: Tx,
  contactId: string,
  limit: number,
): Promise<OutboundLogRow[]> {
  const rows = await tx.query<{
    id: string;
    channel: string;
    purpose_id: string;
    basis: string | null;
    consent_entry_id: string | null;
    gate_reason: string | null;
    status: OutboundStatus;
    campaign_id: string | null;
    created_at: Date;
    sent_at: Date | null;
    status_at: Date | null;
  }>(sql`
    SELECT id, channel, purpose_id, basis, consent_entry_id, gate_reason, status, campaign_id,
      created_at, sent_at, status_at
    FROM outbound_messages WHERE contact_id = ${contactId}
    ORDER BY created_at DESC, id LIMIT ${limit}`);
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    purposeId: row.purpose_id,
    basis: row.basis,
    consentEntryId: row.consent_entry_id,
    gateReason: row.gate_reason,
    status: row.status,
    campaignId: row.campaign_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    statusAt: row.status_at,
  }));
}
