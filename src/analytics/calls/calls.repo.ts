import type { Tx } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';
import type { TelephonyProvider } from './telephony-adapters.ts';

// ─── Integrations ────────────────────────────────────────────────────────────

export type IntegrationRow = {
  id: string;
  provider: TelephonyProvider;
  name: string;
  apiKey: string | null;
  secretEnc: Uint8Array;
  isActive: boolean;
  lastEventAt: Date | null;
  createdAt: Date;
};

type StoredIntegration = {
  id: string;
  provider: TelephonyProvider;
  name: string;
  api_key: string | null;
  secret_enc: Uint8Array;
  is_active: boolean;
  last_event_at: Date | null;
  created_at: Date;
};

function toIntegration(row: StoredIntegration): IntegrationRow {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    apiKey: row.api_key,
    secretEnc: row.secret_enc,
    isActive: row.is_active,
    lastEventAt: row.last_event_at,
    createdAt: row.created_at,
  };
}

export async function findIntegrations(tx: Tx): Promise<IntegrationRow[]> {
  const rows = await tx.query<StoredIntegration>(
    sql`SELECT * FROM telephony_integrations ORDER BY created_at, id`,
  );
  return rows.map(toIntegration);
}

export async function findIntegration(tx: Tx, id: string): Promise<IntegrationRow | null> {
  const rows = await tx.query<StoredIntegration>(
    sql`SELECT * FROM telephony_integrations WHERE id = ${id}`,
  );
  return rows[0] ? toIntegration(rows[0]) : null;
}

export async function insertIntegration(
  tx: Tx,
  orgId: string,
  row: Omit<IntegrationRow, 'createdAt' | 'lastEventAt'>,
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO telephony_integrations (id, org_id, provider, name, api_key, secret_enc, is_active,
      created_at, updated_at)
    VALUES (${row.id}, ${orgId}, ${row.provider}, ${row.name}, ${row.apiKey}, ${row.secretEnc},
      ${row.isActive}, ${at}, ${at})`);
}

export async function updateIntegration(
  tx: Tx,
  row: Omit<IntegrationRow, 'createdAt' | 'lastEventAt' | 'provider'>,
  at: Date,
): Promise<number> {
  return tx.execute(sql`
    UPDATE telephony_integrations SET name = ${row.name}, api_key = ${row.apiKey},
      secret_enc = ${row.secretEnc}, is_active = ${row.isActive}, updated_at = ${at}
    WHERE id = ${row.id}`);
}

export async function integrationOrgId(
  tx: Tx,
  id: string,
  provider: TelephonyProvider,
): Promise<string | null> {
  const rows = await tx.query<{ org_id: string | null }>(
    sql`SELECT telephony_integration_org(${id}::uuid, ${provider}) AS org_id`,
  );
  return rows[0]?.org_id ?? null;
}

export async function touchIntegration(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.execute(sql`
    UPDATE telephony_integrations SET last_event_at = ${at}
    WHERE id = ${id} AND (last_event_at IS NULL OR last_event_at < ${at})`);
}

// ─── Calls ───────────────────────────────────────────────────────────────────

export type CallStatus = 'ringing' | 'in_progress' | 'answered' | 'missed';
export type MatchKind = 'dynamic' | 'static' | 'unknown';

export type CallRow = {
  id: string;
  integrationId: string;
  externalId: string;
  calledNumber: string | null;
  trackingNumberId: string | null;
  contactId: string | null;
  callerEnc: Uint8Array | null;
  callerIndex: string | null;
  leadId: string | null;
  isFirstTime: boolean;
  startedAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  talkSeconds: number | null;
  status: CallStatus;
  endReason: string | null;
  manager: string | null;
  recordingEnc: Uint8Array | null;
  matchKind: MatchKind;
  leaseId: string | null;
  sessionId: string | null;
  visitorId: string | null;
  channel: string;
  source: string | null;
  campaign: string | null;
  keyword: string | null;
  qualityScore: number | null;
  qualityChecklist: Record<string, boolean>;
  qualityNoteEnc: Uint8Array | null;
  qualityCheckedAt: Date | null;
  lastEventAt: Date | null;
  createdAt: Date;
};

type StoredCall = {
  id: string;
  integration_id: string;
  external_id: string;
  called_number: string | null;
  tracking_number_id: string | null;
  contact_id: string | null;
  caller_enc: Uint8Array | null;
  caller_index: string | null;
  lead_id: string | null;
  is_first_time: boolean;
  started_at: Date | null;
  answered_at: Date | null;
  ended_at: Date | null;
  duration_seconds: number | null;
  talk_seconds: number | null;
  status: CallStatus;
  end_reason: string | null;
  manager: string | null;
  recording_enc: Uint8Array | null;
  match_kind: MatchKind;
  lease_id: string | null;
  session_id: string | null;
  visitor_id: string | null;
  channel: string;
  source: string | null;
  campaign: string | null;
  keyword: string | null;
  quality_score: number | null;
  quality_checklist: Record<string, boolean>;
  quality_note_enc: Uint8Array | null;
  quality_checked_at: Date | null;
  last_event_at: Date | null;
  created_at: Date;
};

function toCall(row: StoredCall): CallRow {
  return {
    id: row.id,
    integrationId: row.integration_id,
    externalId: row.external_id,
    calledNumber: row.called_number,
    trackingNumberId: row.tracking_number_id,
    contactId: row.contact_id,
    callerEnc: row.caller_enc,
    callerIndex: row.caller_index,
    leadId: row.lead_id,
    isFirstTime: row.is_first_time,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    durationSeconds: row.duration_seconds,
    talkSeconds: row.talk_seconds,
    status: row.status,
    endReason: row.end_reason,
    manager: row.manager,
    recordingEnc: row.recording_enc,
    matchKind: row.match_kind,
    leaseId: row.lease_id,
    sessionId: row.session_id,
    visitorId: row.visitor_id,
    channel: row.channel,
    source: row.source,
    campaign: row.campaign,
    keyword: row.keyword,
    qualityScore: row.quality_score,
    qualityChecklist: row.quality_checklist,
    qualityNoteEnc: row.quality_note_enc,
    qualityCheckedAt: row.quality_checked_at,
    lastEventAt: row.last_event_at,
    createdAt: row.created_at,
  };
}

/** The call of a provider's id, locked for this transaction; created (ringing) when new. */
export async function lockOrCreateCall(
  tx: Tx,
  input: { id: string; orgId: string; integrationId: string; externalId: string; at: Date },
): Promise<{ call: CallRow; isNew: boolean }> {
  const inserted = await tx.query<StoredCall>(sql`
    INSERT INTO calls (id, org_id, integration_id, external_id, status, created_at, updated_at)
    VALUES (${input.id}, ${input.orgId}, ${input.integrationId}, ${input.externalId}, 'ringing',
      ${input.at}, ${input.at})
    ON CONFLICT (org_id, integration_id, external_id) DO NOTHING RETURNING *`);
  if (inserted[0]) return { call: toCall(inserted[0]), isNew: true };
  const rows = await tx.query<StoredCall>(sql`
    SELECT * FROM calls WHERE integration_id = ${input.integrationId}
      AND external_id = ${input.externalId} FOR UPDATE`);
  if (!rows[0]) throw new Error('A call that conflicted was not found');
  return { call: toCall(rows[0]), isNew: false };
}

/** Records the event once; false when it was seen before (a replay). */
export async function insertCallEvent(
  tx: Tx,
  input: {
    orgId: string;
    integrationId: string;
    eventKey: string;
    callId: string;
    kind: string;
    at: Date;
    receivedAt: Date;
  },
): Promise<boolean> {
  const rows = await tx.query<{ call_id: string }>(sql`
    INSERT INTO call_events (org_id, integration_id, event_key, call_id, kind, at, received_at)
    VALUES (${input.orgId}, ${input.integrationId}, ${input.eventKey}, ${input.callId}, ${input.kind},
      ${input.at}, ${input.receivedAt})
    ON CONFLICT (org_id, integration_id, event_key) DO NOTHING RETURNING call_id`);
  return rows.length > 0;
}

export async function saveCall(tx: Tx, call: CallRow, at: Date): Promise<void> {
  await tx.execute(sql`
    UPDATE calls SET called_number = ${call.calledNumber}, tracking_number_id = ${call.trackingNumberId},
      contact_id = ${call.contactId}, caller_enc = ${call.callerEnc}, caller_index = ${call.callerIndex},
      lead_id = ${call.leadId}, is_first_time = ${call.isFirstTime}, started_at = ${call.startedAt},
      answered_at = ${call.answeredAt}, ended_at = ${call.endedAt},
      duration_seconds = ${call.durationSeconds}, talk_seconds = ${call.talkSeconds},
      status = ${call.status}, end_reason = ${call.endReason}, manager = ${call.manager},
      recording_enc = ${call.recordingEnc}, match_kind = ${call.matchKind}, lease_id = ${call.leaseId},
      session_id = ${call.sessionId}, visitor_id = ${call.visitorId}, channel = ${call.channel},
      source = ${call.source}, campaign = ${call.campaign}, keyword = ${call.keyword},
      last_event_at = ${call.lastEventAt}, updated_at = ${at}
    WHERE id = ${call.id}`);
}

export async function findCall(tx: Tx, id: string): Promise<CallRow | null> {
  const rows = await tx.query<StoredCall>(sql`SELECT * FROM calls WHERE id = ${id}`);
  return rows[0] ? toCall(rows[0]) : null;
}

export type CallFilter = {
  from?: Date | undefined;
  to?: Date | undefined;
  status?: CallStatus | undefined;
  channel?: string | undefined;
  numberId?: string | undefined;
  match?: MatchKind | undefined;
  isFirstTime?: boolean | undefined;
};

function whereOf(filter: CallFilter) {
  const conditions = [sql`TRUE`];
  if (filter.from) conditions.push(sql`coalesce(started_at, created_at) >= ${filter.from}`);
  if (filter.to) conditions.push(sql`coalesce(started_at, created_at) < ${filter.to}`);
  if (filter.status) conditions.push(sql`status = ${filter.status}`);
  if (filter.channel) conditions.push(sql`channel = ${filter.channel}`);
  if (filter.numberId) conditions.push(sql`tracking_number_id = ${filter.numberId}`);
  if (filter.match) conditions.push(sql`match_kind = ${filter.match}`);
  if (filter.isFirstTime !== undefined) conditions.push(sql`is_first_time = ${filter.isFirstTime}`);
  return sql.join(conditions, ' AND ');
}

export async function findCallPage(
  tx: Tx,
  filter: CallFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: CallRow[]; total: number }> {
  const rows = await tx.query<StoredCall & { total: number | string }>(sql`
    SELECT *, count(*) OVER () AS total FROM calls WHERE ${whereOf(filter)}
    ORDER BY coalesce(started_at, created_at) DESC, id LIMIT ${page.limit} OFFSET ${page.offset}`);
  return { rows: rows.map(toCall), total: rows[0] ? Number(rows[0].total) : 0 };
}

export async function saveQuality(
  tx: Tx,
  input: {
    id: string;
    score: number | null;
    checklist: Record<string, boolean>;
    noteEnc: Uint8Array | null;
    checkedBy: string | null;
    at: Date;
  },
): Promise<number> {
  return tx.execute(sql`
    UPDATE calls SET quality_score = ${input.score},
      quality_checklist = ${JSON.stringify(input.checklist)}::jsonb,
      quality_note_enc = ${input.noteEnc}, quality_checked_by = ${input.checkedBy},
      quality_checked_at = ${input.at}, updated_at = ${input.at}
    WHERE id = ${input.id}`);
}

export type ReportRow = {
  channel: string;
  campaign: string | null;
  calls: number;
  answered: number;
  missed: number;
  firstTime: number;
  averageTalkSeconds: number;
};

export async function findCallReport(
  tx: Tx,
  input: { from: Date; to: Date; byCampaign: boolean },
): Promise<ReportRow[]> {
  const campaign = input.byCampaign ? sql`campaign` : sql`NULL::text`;
  const rows = await tx.query<{
    channel: string;
    campaign: string | null;
    calls: number | string;
    answered: number | string;
    missed: number | string;
    first_time: number | string;
    average_talk: number | string | null;
  }>(sql`
    SELECT channel, ${campaign} AS campaign, count(*) AS calls,
      count(*) FILTER (WHERE status = 'answered') AS answered,
      count(*) FILTER (WHERE status = 'missed') AS missed,
      count(*) FILTER (WHERE is_first_time) AS first_time,
      round(avg(talk_seconds) FILTER (WHERE status = 'answered')) AS average_talk
    FROM calls
    WHERE coalesce(started_at, created_at) >= ${input.from}
      AND coalesce(started_at, created_at) < ${input.to}
    GROUP BY 1, 2 ORDER BY calls DESC, channel, campaign`);
  return rows.map((row) => ({
    channel: row.channel,
    campaign: row.campaign,
    calls: Number(row.calls),
    answered: Number(row.answered),
    missed: Number(row.missed),
    firstTime: Number(row.first_time),
    averageTalkSeconds: Number(row.average_talk ?? 0),
  }));
}
