import type { Tx } from '../platform/db/db.ts';
import { toNumber } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';
import type { CampaignStatus } from './campaigns.schema.ts';

export type CampaignRecord = {
  id: string;
  name: string;
  segmentId: string;
  segmentName: string | null;
  purposeId: string;
  purposeCode: string;
  channel: 'email' | 'sms';
  subject: string | null;
  body: string;
  ratePerMinute: number;
  status: CampaignStatus;
  audienceCount: number;
  excluded: Record<string, number>;
  launchedBy: string | null;
  launchedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
};

type CampaignRow = {
  id: string;
  name: string;
  segment_id: string;
  segment_name: string | null;
  purpose_id: string;
  purpose_code: string;
  channel: 'email' | 'sms';
  subject: string | null;
  body: string;
  rate_per_minute: number;
  status: CampaignStatus;
  audience_count: number;
  excluded: Record<string, number>;
  launched_by: string | null;
  launched_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
};

const SELECT_CAMPAIGN = sql`
  SELECT k.id, k.name, k.segment_id, s.name AS segment_name, k.purpose_id, p.code AS purpose_code,
    k.channel, k.subject, k.body, k.rate_per_minute, k.status, k.audience_count, k.excluded,
    k.launched_by, k.launched_at, k.finished_at, k.created_at
  FROM campaigns k
  JOIN purposes p ON p.id = k.purpose_id
  LEFT JOIN segments s ON s.id = k.segment_id`;

const toCampaign = (row: CampaignRow): CampaignRecord => ({
  id: row.id,
  name: row.name,
  segmentId: row.segment_id,
  segmentName: row.segment_name,
  purposeId: row.purpose_id,
  purposeCode: row.purpose_code,
  channel: row.channel,
  subject: row.subject,
  body: row.body,
  ratePerMinute: row.rate_per_minute,
  status: row.status,
  audienceCount: row.audience_count,
  excluded: row.excluded,
  launchedBy: row.launched_by,
  launchedAt: row.launched_at,
  finishedAt: row.finished_at,
  createdAt: row.created_at,
});

export async function insertCampaign(
  tx: Tx,
  row: {
    id: string;
    orgId: string;
    name: string;
    segmentId: string;
    purposeId: string;
    channel: 'email' | 'sms';
    subject: string | null;
    body: string;
    ratePerMinute: number;
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO campaigns (id, org_id, name, segment_id, purpose_id, channel, subject, body,
      rate_per_minute, created_by, created_at, updated_at)
    VALUES (${row.id}, ${row.orgId}, ${row.name}, ${row.segmentId}, ${row.purposeId}, ${row.channel},
      ${row.subject}, ${row.body}, ${row.ratePerMinute}, ${row.createdBy}, ${row.at}, ${row.at})`);
}

export async function updateDraft(
  tx: Tx,
  row: {
    id: string;
    name: string;
    segmentId: string;
    purposeId: string;
    channel: 'email' | 'sms';
    subject: string | null;
    body: string;
    ratePerMinute: number;
    at: Date;
  },
): Promise<boolean> {
  const changed = await tx.execute(sql`
    UPDATE campaigns SET name = ${row.name}, segment_id = ${row.segmentId},
      purpose_id = ${row.purposeId}, channel = ${row.channel}, subject = ${row.subject},
      body = ${row.body}, rate_per_minute = ${row.ratePerMinute}, updated_at = ${row.at}
    WHERE id = ${row.id} AND status = 'draft'`);
  return changed > 0;
}

export async function findCampaignById(
  tx: Tx,
  id: string,
  forUpdate = false,
): Promise<CampaignRecord | null> {
  const lock = forUpdate ? sql`FOR UPDATE OF k` : sql.empty;
  const [row] = await tx.query<CampaignRow>(sql`${SELECT_CAMPAIGN} WHERE k.id = ${id} ${lock}`);
  return row ? toCampaign(row) : null;
}

export async function findCampaignRows(tx: Tx): Promise<CampaignRecord[]> {
  const rows = await tx.query<CampaignRow>(
    sql`${SELECT_CAMPAIGN} ORDER BY k.created_at DESC, k.id LIMIT 500`,
  );
  return rows.map(toCampaign);
}

export async function findSendingCampaigns(tx: Tx): Promise<CampaignRecord[]> {
  const rows = await tx.query<CampaignRow>(
    sql`${SELECT_CAMPAIGN} WHERE k.status = 'sending' ORDER BY k.launched_at, k.id`,
  );
  return rows.map(toCampaign);
}

export async function markLaunched(
  tx: Tx,
  row: {
    id: string;
    launchedBy: string;
    filters: unknown;
    excluded: Record<string, number>;
    audienceCount: number;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    UPDATE campaigns SET status = 'sending', launched_by = ${row.launchedBy}, launched_at = ${row.at},
      launched_filters = ${JSON.stringify(row.filters)}::jsonb,
      excluded = ${JSON.stringify(row.excluded)}::jsonb, audience_count = ${row.audienceCount},
      finished_at = CASE WHEN ${row.audienceCount}::int = 0 THEN ${row.at}::timestamptz END,
      updated_at = ${row.at}
    WHERE id = ${row.id}`);
}

export async function setCampaignStatus(
  tx: Tx,
  row: { id: string; from: readonly CampaignStatus[]; to: CampaignStatus; at: Date },
): Promise<boolean> {
  const isFinal = row.to === 'completed' || row.to === 'cancelled';
  const changed = await tx.execute(sql`
    UPDATE campaigns SET status = ${row.to}, updated_at = ${row.at},
      finished_at = ${isFinal ? row.at : null}
    WHERE id = ${row.id} AND status = ANY(${[...row.from]}::text[])`);
  return changed > 0;
}

/** Freezes the audience: one queue row per recipient, written in one statement. */
export async function countRecipientsByStatus(
  tx: Tx,
  campaignIds: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const result = new Map<string, Record<string, number>>();
  if (campaignIds.length === 0) return result;
  const rows = await tx.query<{ campaign_id: string; status: string; count: unknown }>(sql`
    SELECT campaign_id, status, count(*) AS count FROM campaign_recipients
    WHERE campaign_id = ANY(${[...campaignIds]}::uuid[]) GROUP BY campaign_id, status`);
  for (const row of rows) {
    const counts = result.get(row.campaign_id) ?? {};
    counts[row.status] = toNumber(row.count);
    result.set(row.campaign_id, counts);
  }
  return result;
}

export type ClaimedRecipient = { id: string; contactId: string; attempts: number };

export async function markRecipientSent(
  tx: Tx,
  input: { id: string; messageId: string; at: Date },
): Promise<void> {
  await tx.execute(sql`
    UPDATE campaign_recipients SET status = 'sent', message_id = ${input.messageId},
      sent_at = ${input.at}, lease_until = NULL, last_error = NULL
    WHERE id = ${input.id}`);
}

export async function markRecipientsSkipped(
  tx: Tx,
  rows: readonly { id: string; reason: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    UPDATE campaign_recipients r SET status = 'skipped', skip_reason = s.reason, lease_until = NULL
    FROM unnest(${rows.map((row) => row.id)}::uuid[], ${rows.map((row) => row.reason)}::text[])
      AS s (id, reason)
    WHERE r.id = s.id`);
}

export async function markRecipientFailed(
  tx: Tx,
  input: { id: string; isFinal: boolean; error: string },
): Promise<void> {
  await tx.execute(sql`
    UPDATE campaign_recipients SET status = ${input.isFinal ? 'failed' : 'pending'},
      last_error = ${input.error}, lease_until = NULL
    WHERE id = ${input.id}`);
}

export async function hasUnfinishedRecipients(tx: Tx, campaignId: string): Promise<boolean> {
  const [row] = await tx.query<{ found: number }>(sql`
    SELECT 1 AS found FROM campaign_recipients
    WHERE campaign_id = ${campaignId} AND status IN ('pending', 'sending') LIMIT 1`);
  return Boolean(row);
}

export async function sendingCampaignOrgs(tx: Tx): Promise<string[]> {
  const rows = await tx.query<{ org_id: string }>(sql`SELECT org_id FROM sending_campaign_orgs()`);
  return rows.map((row) => row.org_id);
}

export async function findCampaignMessages(
  tx: Tx,
  input: { campaignId: string; status?: string; limit: number; offset: number },
): Promise<{
  rows: {
    id: string;
    contactId: string;
    status: string;
    gateReason: string | null;
    consentEntryId: string | null;
    messageId: string | null;
    createdAt: Date;
    sentAt: Date | null;
  }[];
  total: number;
}> {
  const status = input.status ? sql`AND status = ${input.status}` : sql.empty;
  const rows = await tx.query<{
    id: string;
    contact_id: string;
    status: string;
    gate_reason: string | null;
    consent_entry_id: string | null;
    message_id: string | null;
    created_at: Date;
    sent_at: Date | null;
  }>(sql`
    SELECT id, contact_id, status, gate_reason, consent_entry_id, message_id, created_at, sent_at
    FROM outbound_messages WHERE campaign_id = ${input.campaignId} ${status}
    ORDER BY created_at DESC, id LIMIT ${input.limit} OFFSET ${input.offset}`);
  const [count] = await tx.query<{ total: unknown }>(sql`
    SELECT count(*) AS total FROM outbound_messages WHERE campaign_id = ${input.campaignId} ${status}`);
  return {
    rows: rows.map((row) => ({
      id: row.id,
      contactId: row.contact_id,
      status: row.status,
      gateReason: row.gate_reason,
      consentEntryId: row.consent_entry_id,
      messageId: row.message_id,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    })),
    total: toNumber(count?.total ?? 0),
  };
}

/**
 * Claims the next recipients of a campaign for sending: pending ones, and ones whose lease ran
 * out (a sender that died mid-batch). SKIP LOCKED keeps two senders off the same rows.
 */
export async function claimRecipients(
  tx: Tx,
  input: { campaignId: string; limit: number; leaseSeconds: number },
): Promise<ClaimedRecipient[]> {
  // The database clock decides leases, so every process agrees on when one ran out.
  const rows = await tx.query<{ id: string; contact_id: string; attempts: number }>(sql`
    UPDATE campaign_recipients r SET status = 'sending',
      lease_until = clock_timestamp() + make_interval(secs => ${input.leaseSeconds}),
      attempts = r.attempts + 1
    WHERE r.id IN (
      SELECT id FROM campaign_recipients
      WHERE campaign_id = ${input.campaignId}
        AND (status = 'pending' OR (status = 'sending' AND lease_until < clock_timestamp()))
      LIMIT ${input.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING r.id, r.contact_id, r.attempts`);
  return rows.map((row) => ({ id: row.id, contactId: row.contact_id, attempts: row.attempts }));
}

export async function releaseRecipients(tx: Tx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`
    UPDATE campaign_recipients SET status = 'pending', lease_until = NULL,
      attempts = greatest(attempts - 1, 0)
    WHERE id = ANY(${[...ids]}::uuid[]) AND status = 'sending'`);
}

export type CampaignMessageRow = {
  id: string;
  orgId: string;
  contactId: string;
  channel: 'email' | 'sms';
  purposeId: string;
  campaignId: string;
  basis: string | null;
  consentEntryId: string | null;
  gateReason: string | null;
  status: 'sent' | 'refused' | 'failed';
  messageId: string | null;
  provider?: string | null;
  providerId?: string | null;
  recipientEnc: Uint8Array | null;
  lastError: string | null;
  at: Date;
};

/** Rows of the send log (outbound_messages) for a campaign's messages, in one statement. */
export async function insertCampaignMessages(
  tx: Tx,
  rows: readonly CampaignMessageRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    (row) => sql`(${row.id}::uuid, ${row.orgId}::uuid, ${row.contactId}::uuid, ${row.channel},
      ${row.purposeId}::uuid, ${row.basis}, ${row.consentEntryId}::uuid, ${row.gateReason},
      ${row.status}, ${row.messageId}, ${row.provider ?? null}, ${row.providerId ?? null},
      ${row.campaignId}::uuid, ${row.recipientEnc}::bytea,
      ${row.lastError}, ${row.at}::timestamptz,
      ${row.status === 'sent' ? row.at : null}::timestamptz)`,
  );
  await tx.execute(sql`
    INSERT INTO outbound_messages (id, org_id, contact_id, channel, purpose_id, basis,
      consent_entry_id, gate_reason, status, message_id, provider, provider_id, campaign_id,
      recipient_enc, last_error,
      created_at, sent_at)
    VALUES ${sql.join(values, ', ')}`);
}
