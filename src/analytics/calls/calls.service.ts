import { randomUUID } from 'node:crypto';
import { recordAccess, recordAudit } from '../../access-log/access-log.service.ts';
import type { TJournalEntry } from '../../consent/consent.schema.ts';
import { recordStaffConsent } from '../../consent/consent.service.ts';
import { captureContact, normalizePhone, readContacts } from '../../contacts/contacts.service.ts';
import {
  type OrgKeyring,
  openField,
  orgKeyring,
  sealField,
  subjectKeys,
} from '../../keys/keys.service.ts';
import { createLead, reattributeLead } from '../../leads/leads.service.ts';
import { systemCtx } from '../../orgs/auth.service.ts';
import { actorUserId, type Ctx } from '../../platform/context.ts';
import { blindIndex, decrypt, encrypt, type Keys } from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import type { Page } from '../../platform/http/params.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import { toMoscowDate } from '../../subject-requests/clock.service.ts';
import { closeTasksFor, findOpenTasksOf, openTaskOnce } from '../../tasks/tasks.service.ts';
import {
  type CallRow,
  type CallStatus,
  findCall,
  findCallPage,
  findCallReport,
  insertCallEvent,
  integrationOrgId,
  lockOrCreateCall,
  type ReportRow,
  saveCall,
  saveQuality,
  touchIntegration,
} from './calls.repo.ts';
import type {
  TCallConsentBody,
  TCallQuery,
  TCallReport,
  TCallReportQuery,
  TCallView,
  TQualityBody,
  TWebhookAnswer,
} from './calls.schema.ts';
import { findLeaseAt, findNumberByValue } from './numbers.repo.ts';
import { openIntegration, type ResolvedIntegration } from './numbers.service.ts';
import type { AdapterResult, CallEvent, TelephonyProvider } from './telephony-adapters.ts';

export const CALLBACK_TASK = 'calls.callback';
export const UNKNOWN_CHANNEL = 'unknown';

export type WebhookDeps = { db: Db; keys: Keys; publicUrl: string; now: Date };

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

// ─── Webhooks ────────────────────────────────────────────────────────────────

const orgCache = new Map<string, { at: number; orgId: string | null }>();
const ORG_TTL_MS = 60_000;

async function orgOfIntegration(
  db: Db,
  id: string,
  provider: TelephonyProvider,
): Promise<string | null> {
  const cacheKey = `${provider}:${id}`;
  const cached = orgCache.get(cacheKey);
  if (cached && Date.now() - cached.at < ORG_TTL_MS) return cached.orgId;
  const orgId = await withTx(db, { orgId: null }, (tx) => integrationOrgId(tx, id, provider));
  if (orgCache.size > 10_000) orgCache.clear();
  orgCache.set(cacheKey, { at: Date.now(), orgId });
  return orgId;
}

/**
 * A telephony webhook: the integration is found (404 when unknown or off), the adapter checks
 * the provider's signature with its secret and reads the events (4xx and nothing stored when it
 * refuses), then every event is applied in one transaction. A replayed event is recognized by
 * its key and changes nothing; events applied in any order give the same call.
 */
export async function receiveCallWebhook(
  deps: WebhookDeps,
  input: {
    provider: TelephonyProvider;
    integrationId: string;
    requestId: string | null;
    adapt: (integration: ResolvedIntegration) => AdapterResult;
  },
): Promise<TWebhookAnswer> {
  const orgId = await orgOfIntegration(deps.db, input.integrationId, input.provider);
  if (!orgId) throw new AppError('not_found', 'No such integration');
  const ctx = systemCtx(deps, {
    orgId,
    now: deps.now,
    requestId: input.requestId,
    route: `POST /hooks/calls/${input.provider}/:id`,
    actor: { type: 'system', label: `telephony:${input.provider}` },
  });
  return withTx(deps.db, { orgId }, async (tx) => {
    const integration = await openIntegration(tx, ctx, input.integrationId);
    if (!integration) throw new AppError('not_found', 'No such integration');
    const adapted = input.adapt(integration);
    if (!adapted.ok) {
      throw new AppError(adapted.refusal.code, adapted.refusal.message, {
        ...(adapted.refusal.fields ? { fields: adapted.refusal.fields } : {}),
      });
    }
    let accepted = 0;
    let duplicates = 0;
    const keyring = adapted.events.length > 0 ? await orgKeyring(tx, ctx) : null;
    for (const event of adapted.events) {
      if (!keyring) break;
      const isApplied = await applyCallEvent(tx, ctx, keyring, integration, event);
      if (isApplied) accepted += 1;
      else duplicates += 1;
    }
    if (accepted > 0) await touchIntegration(tx, integration.id, deps.now);
    return { accepted, duplicates, ignored: adapted.ignored };
  });
}

const earlier = (current: Date | null, next: Date | undefined): Date | null =>
  next && (!current || next < current) ? next : current;
const later = (current: Date | null, next: Date | undefined): Date | null =>
  next && (!current || next > current) ? next : current;
const larger = (current: number | null, next: number | undefined): number | null =>
  next !== undefined && (current === null || next > current) ? next : current;

function statusOf(call: Pick<CallRow, 'endedAt' | 'answeredAt'>): CallStatus {
  if (call.endedAt) return call.answeredAt ? 'answered' : 'missed';
  return call.answeredAt ? 'in_progress' : 'ringing';
}

function phoneIndexOf(keys: Keys, orgId: string, phone: string): string {
  // The same index as the contact's phone, so a call and its contact are found alike.
  return blindIndex(keys.indexKey, `${orgId}:phone`, phone);
}

/**
 * One event merged into its call. Times only move earlier (start, answer) or later (end),
 * durations only grow, and the status follows from the times, so the result does not depend on
 * the order events arrive in.
 */
async function applyCallEvent(
  tx: Tx,
  ctx: Ctx,
  keyring: OrgKeyring,
  integration: ResolvedIntegration,
  event: CallEvent,
): Promise<boolean> {
  const { call, isNew } = await lockOrCreateCall(tx, {
    id: randomUUID(),
    orgId: ctx.orgId,
    integrationId: integration.id,
    externalId: event.callKey,
    at: ctx.now,
  });
  const isFresh = await insertCallEvent(tx, {
    orgId: ctx.orgId,
    integrationId: integration.id,
    eventKey: event.eventKey,
    callId: call.id,
    kind: event.kind,
    at: event.at,
    receivedAt: ctx.now,
  });
  if (!isFresh) return false;
  const next: CallRow = { ...call };
  if (!next.calledNumber && event.calledNumber) {
    next.calledNumber = normalizePhone(event.calledNumber);
  }
  next.startedAt = earlier(next.startedAt, event.startedAt);
  if (event.kind === 'start') next.startedAt = earlier(next.startedAt, event.at);
  if (event.kind === 'answer') {
    next.answeredAt = earlier(next.answeredAt, event.at);
    next.manager = next.manager ?? event.manager?.slice(0, 120) ?? null;
  }
  if (event.kind === 'end') {
    next.endedAt = later(next.endedAt, event.at);
    next.durationSeconds = larger(next.durationSeconds, event.durationSeconds);
    next.talkSeconds = larger(next.talkSeconds, event.talkSeconds);
    next.endReason = event.endReason?.slice(0, 80) ?? next.endReason;
    next.manager = next.manager ?? event.manager?.slice(0, 120) ?? null;
    if (event.outcome === 'answered' && !next.answeredAt) {
      next.answeredAt = new Date(event.at.getTime() - (event.talkSeconds ?? 0) * 1000);
    }
  }
  next.status = statusOf(next);
  next.lastEventAt = later(next.lastEventAt, event.at);

  // The caller: a contact found by the number's blind index, or a new one and its lead.
  const callerPhone = event.callerNumber ? normalizePhone(event.callerNumber) : null;
  let subjectKey: Buffer | null = null;
  let isNewContact = false;
  if (!next.contactId && callerPhone) {
    const captured = await captureContact(tx, ctx, keyring, { phone: callerPhone });
    next.contactId = captured.contactId;
    subjectKey = captured.subjectKey;
    isNewContact = captured.isNew;
    next.callerEnc = sealField(subjectKey, callerPhone, `calls:${call.id}:caller`);
    next.callerIndex = phoneIndexOf(ctx.keys, ctx.orgId, callerPhone);
    if (next.recordingEnc) {
      // A recording that came before the caller was sealed under the organization's key.
      const ref = openRecording(keyring, null, call.id, next.recordingEnc);
      if (ref) next.recordingEnc = sealField(subjectKey, ref, `calls:${call.id}:recording`);
    }
  }
  if (event.kind === 'recording' && event.recordingRef) {
    if (next.contactId && !subjectKey) {
      subjectKey = (await subjectKeys(tx, keyring, [next.contactId])).get(next.contactId) ?? null;
    }
    next.recordingEnc = subjectKey
      ? sealField(subjectKey, event.recordingRef, `calls:${call.id}:recording`)
      : encrypt(keyring.key, event.recordingRef, `calls:${call.id}:recording:org`);
  }

  const before = { channel: call.channel, campaign: call.campaign, matchKind: call.matchKind };
  await matchCall(tx, next);
  if (isNewContact && next.contactId) {
    next.isFirstTime = true;
    next.leadId = await createLead(tx, ctx, {
      contactId: next.contactId,
      submissionId: null,
      formId: null,
      attribution: leadAttribution(next),
      source: leadSource(next),
    });
  } else if (
    next.isFirstTime &&
    next.leadId &&
    (before.channel !== next.channel ||
      before.campaign !== next.campaign ||
      before.matchKind !== next.matchKind)
  ) {
    await reattributeLead(tx, {
      leadId: next.leadId,
      source: leadSource(next),
      attribution: leadAttribution(next),
    });
  }
  await saveCall(tx, next, ctx.now);

  if (next.status === 'missed' && call.status !== 'missed') {
    await openTaskOnce(tx, ctx, {
      kind: CALLBACK_TASK,
      title: 'Перезвонить: пропущенный звонок',
      dueDate: toMoscowDate(ctx.now),
      relatedType: 'call',
      relatedId: call.id,
      details: { callId: call.id, contactId: next.contactId, channel: next.channel },
    });
  }
  if (call.status === 'missed' && next.status === 'answered') {
    await closeTasksFor(tx, ctx, {
      kind: CALLBACK_TASK,
      relatedType: 'call',
      relatedId: call.id,
      details: { reason: 'answered' },
    });
  }
  if (isNew) {
    await recordAudit(tx, ctx, {
      action: 'call.received',
      entityType: 'call',
      entityId: call.id,
      details: { integrationId: integration.id, provider: integration.provider },
    });
  }
  return true;
}

function leadSource(call: CallRow): string {
  if (call.matchKind === 'unknown') return UNKNOWN_CHANNEL;
  return call.source ?? call.channel;
}

function leadAttribution(call: CallRow): Record<string, string> {
  const attribution: Record<string, string> = { channel: call.channel, via: 'call' };
  if (call.source) attribution.utm_source = call.source;
  if (call.campaign) attribution.utm_campaign = call.campaign;
  if (call.keyword) attribution.utm_term = call.keyword;
  if (call.calledNumber) attribution.tracking_phone = call.calledNumber;
  if (call.sessionId) attribution.session_id = call.sessionId;
  if (call.visitorId) attribution.visitor_id = call.visitorId;
  return attribution;
}

/**
 * What brought the call: a dynamic number → the visit that held it when the call began (the
 * lease history outlives reuse); a static number → its channel and campaign; otherwise (the
 * clinic's own number, an unknown one, a dynamic number nobody held) → unknown source.
 */
async function matchCall(tx: Tx, call: CallRow): Promise<void> {
  const unknown = () => {
    call.matchKind = 'unknown';
    call.leaseId = null;
    call.sessionId = null;
    call.visitorId = null;
    call.channel = UNKNOWN_CHANNEL;
    call.source = null;
    call.campaign = null;
    call.keyword = null;
  };
  if (!call.calledNumber) {
    unknown();
    return;
  }
  const number = await findNumberByValue(tx, call.calledNumber);
  call.trackingNumberId = number?.id ?? null;
  if (!number) {
    unknown();
    return;
  }
  if (number.kind === 'static') {
    call.matchKind = 'static';
    call.leaseId = null;
    call.sessionId = null;
    call.visitorId = null;
    call.channel = number.channel ?? UNKNOWN_CHANNEL;
    call.source = null;
    call.campaign = number.campaign;
    call.keyword = null;
    return;
  }
  const at = call.startedAt ?? call.answeredAt ?? call.endedAt ?? call.lastEventAt;
  const lease = at ? await findLeaseAt(tx, number.id, at) : null;
  if (!lease) {
    unknown();
    return;
  }
  call.matchKind = 'dynamic';
  call.leaseId = lease.id;
  call.sessionId = lease.sessionId;
  call.visitorId = lease.visitorId;
  call.channel = lease.channel;
  call.source = lease.source;
  call.campaign = lease.campaign;
  call.keyword = lease.keyword;
}

function openRecording(
  keyring: OrgKeyring,
  subjectKey: Buffer | null,
  callId: string,
  sealed: Uint8Array,
): string | null {
  try {
    return subjectKey
      ? openField(subjectKey, sealed, `calls:${callId}:recording`)
      : decrypt(keyring.key, sealed, `calls:${callId}:recording:org`);
  } catch {
    return null;
  }
}

// ─── The call log ────────────────────────────────────────────────────────────

async function callViews(tx: Tx, ctx: Ctx, rows: CallRow[]): Promise<TCallView[]> {
  const showsContacts = can(ctx.role, 'contacts.read');
  const contactIds = [...new Set(rows.flatMap((row) => (row.contactId ? [row.contactId] : [])))];
  const contacts =
    showsContacts && contactIds.length > 0
      ? await readContacts(tx, ctx, contactIds, 'call_log')
      : new Map();
  const tasks = new Map<string, string>();
  for (const row of rows.filter((call) => call.status === 'missed')) {
    const [task] = await findOpenTasksOf(tx, ctx, CALLBACK_TASK, 'call', row.id);
    if (task) tasks.set(row.id, task.id);
  }
  return rows.map((row) => {
    const contact = row.contactId ? contacts.get(row.contactId) : undefined;
    return {
      id: row.id,
      status: row.status,
      startedAt: row.startedAt?.toISOString() ?? null,
      answeredAt: row.answeredAt?.toISOString() ?? null,
      endedAt: row.endedAt?.toISOString() ?? null,
      durationSeconds: row.durationSeconds,
      talkSeconds: row.talkSeconds,
      endReason: row.endReason,
      manager: row.manager,
      calledNumber: row.calledNumber,
      trackingNumberId: row.trackingNumberId,
      matchKind: row.matchKind,
      channel: row.channel,
      source: row.source,
      campaign: row.campaign,
      keyword: row.keyword,
      sessionId: row.sessionId,
      visitorId: row.visitorId,
      isFirstTime: row.isFirstTime,
      leadId: row.leadId,
      hasRecording: row.recordingEnc !== null,
      contact: contact ? { id: contact.id, name: contact.name, phone: contact.phone } : null,
      quality: {
        score: row.qualityScore,
        checklist: row.qualityChecklist,
        checkedAt: row.qualityCheckedAt?.toISOString() ?? null,
      },
      callbackTaskId: tasks.get(row.id) ?? null,
    };
  });
}

/** The call log with its filters; caller names and numbers only for roles that read contacts. */
export async function findCalls(ctx: Ctx, query: TCallQuery): Promise<Page<TCallView>> {
  assertCan(ctx, 'call_tracking.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findCallPage(
      tx,
      {
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        status: query.status,
        channel: query.channel,
        numberId: query.numberId,
        match: query.match,
        isFirstTime: query.isFirstTime === undefined ? undefined : query.isFirstTime === 'true',
      },
      { limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
    );
    return {
      items: await callViews(tx, ctx, rows),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  });
}

export async function getCall(ctx: Ctx, callId: string): Promise<TCallView> {
  assertCan(ctx, 'call_tracking.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await findCall(tx, callId);
    if (!row) throw new AppError('not_found', 'No such call');
    const [view] = await callViews(tx, ctx, [row]);
    if (!view) throw new Error('A call view was not built');
    return view;
  });
}

/** The recording's address: a read of personal data, written to the access log. */
export async function openCallRecording(ctx: Ctx, callId: string): Promise<{ url: string }> {
  assertCan(ctx, 'calls.recordings');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const call = await findCall(tx, callId);
    if (!call) throw new AppError('not_found', 'No such call');
    if (!call.recordingEnc) throw new AppError('not_found', 'The call has no recording');
    const keyring = await orgKeyring(tx, ctx);
    const subjectKey = call.contactId
      ? ((await subjectKeys(tx, keyring, [call.contactId])).get(call.contactId) ?? null)
      : null;
    if (call.contactId && !subjectKey) {
      throw new AppError('rule_violated', 'The caller’s data was destroyed', {
        details: { rule: 'contact_destroyed' },
      });
    }
    const url = openRecording(keyring, subjectKey, call.id, call.recordingEnc);
    if (!url) throw new AppError('not_found', 'The recording cannot be read');
    await recordAccess(tx, ctx, {
      subjectType: call.contactId ? 'contact' : 'call',
      subjectIds: [call.contactId ?? call.id],
      fields: ['call_recording'],
      reason: 'recording',
    });
    return { url };
  });
}

/** Script check of a call: a score, the checklist, a note sealed like the caller. */
export async function reviewCall(ctx: Ctx, callId: string, body: TQualityBody): Promise<TCallView> {
  assertCan(ctx, 'calls.review');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const call = await findCall(tx, callId);
    if (!call) throw new AppError('not_found', 'No such call');
    let noteEnc: Uint8Array | null = null;
    if (body.note) {
      const keyring = await orgKeyring(tx, ctx);
      const subjectKey = call.contactId
        ? ((await subjectKeys(tx, keyring, [call.contactId])).get(call.contactId) ?? null)
        : null;
      noteEnc = subjectKey
        ? sealField(subjectKey, body.note, `calls:${call.id}:quality_note`)
        : encrypt(keyring.key, body.note, `calls:${call.id}:quality_note:org`);
    }
    await saveQuality(tx, {
      id: call.id,
      score: body.score,
      checklist: body.checklist,
      noteEnc,
      checkedBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: 'call.reviewed',
      entityType: 'call',
      entityId: call.id,
      details: { score: body.score, checks: Object.keys(body.checklist).length },
    });
  });
  return getCall(ctx, callId);
}

/**
 * Consent given on the phone (R-C3): a journal entry for the caller whose evidence is this
 * call's recording and the version of the script the manager read out.
 */
export async function recordConsentFromCall(
  ctx: Ctx,
  callId: string,
  body: TCallConsentBody,
): Promise<{ entry: TJournalEntry; isNew: boolean }> {
  assertCan(ctx, 'consent.record');
  const { contactId, recordingRef } = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const call = await findCall(tx, callId);
    if (!call) throw new AppError('not_found', 'No such call');
    if (!call.contactId) {
      throw new AppError('rule_violated', 'The caller’s number is not known', {
        details: { rule: 'caller_unknown' },
      });
    }
    if (!call.recordingEnc) {
      throw new AppError('rule_violated', 'The call has no recording to prove the consent', {
        details: { rule: 'recording_required' },
      });
    }
    const keyring = await orgKeyring(tx, ctx);
    const subjectKey = (await subjectKeys(tx, keyring, [call.contactId])).get(call.contactId);
    const ref = subjectKey ? openRecording(keyring, subjectKey, call.id, call.recordingEnc) : null;
    if (!ref) {
      throw new AppError('rule_violated', 'The caller’s data was destroyed', {
        details: { rule: 'contact_destroyed' },
      });
    }
    return { contactId: call.contactId, recordingRef: `call:${call.id} ${ref}`.slice(0, 500) };
  });
  return recordStaffConsent(ctx, contactId, {
    channel: 'phone',
    purposeCode: body.purposeCode,
    recordingRef,
    scriptVersion: body.scriptVersion,
    ...(body.note ? { note: body.note } : {}),
  });
}

// ─── Per-channel calls ───────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

export async function callReport(ctx: Ctx, query: TCallReportQuery): Promise<TCallReport> {
  assertCan(ctx, 'call_tracking.read');
  // By default up to now, with a minute's grace for a PBX clock running ahead.
  const to = query.to ? new Date(query.to) : new Date(ctx.now.getTime() + 60_000);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  const rows = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findCallReport(tx, { from, to, byCampaign: query.by === 'campaign' }),
  );
  return { from: from.toISOString(), to: to.toISOString(), rows, totals: totalsOf(rows) };
}

function totalsOf(rows: readonly ReportRow[]): ReportRow {
  const answered = rows.reduce((sum, row) => sum + row.answered, 0);
  const talk = rows.reduce((sum, row) => sum + row.averageTalkSeconds * row.answered, 0);
  return {
    channel: 'total',
    campaign: null,
    calls: rows.reduce((sum, row) => sum + row.calls, 0),
    answered,
    missed: rows.reduce((sum, row) => sum + row.missed, 0),
    firstTime: rows.reduce((sum, row) => sum + row.firstTime, 0),
    averageTalkSeconds: answered > 0 ? Math.round(talk / answered) : 0,
  };
}

/** The generic webhook format read into call events, for callers that hold events already. */
export { type CallEvent, genericEvents } from './telephony-adapters.ts';
