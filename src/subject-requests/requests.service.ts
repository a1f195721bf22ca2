import { randomUUID } from 'node:crypto';
import { recordAccess, recordAudit } from '../access-log/access-log.service.ts';
import { type WithdrawalChannel, withdrawConsentInTx } from '../consent/consent.service.ts';
import { scheduleChaining } from '../consent/journal.service.ts';
import { activeBlocks, blockSubject } from '../contacts/blocks.service.ts';
import { contactErasure, readContacts } from '../contacts/contacts.service.ts';
import { eraseSubject } from '../erasure/erasure.service.ts';
import { openField, orgKeyring, sealField, subjectKeys } from '../keys/keys.service.ts';
import { queueMail } from '../messaging/mail-outbox.service.ts';
import { describeActors, memberRoleOf } from '../orgs/members.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can, type Permission } from '../platform/permissions.ts';
import { findActivePurposes } from '../purposes/purposes.service.ts';
import { type DraftKind, draftLetter, letterHeader, requestReference } from './answer-drafts.ts';
import { answerHtml, extensionNotice, refusalLetter } from './answer-templates.ts';
import {
  CLOCKS,
  type ClockType,
  computeDeadline,
  countWorkingDays,
  type Deadline,
  earliestDeadline,
  extend,
  isClockType,
  toMoscowDate,
} from './clock.ts';
import {
  clearRepeatsOf,
  type EventRecord,
  findEvents,
  findRecentRequestsOf,
  findRequest,
  findRequestPage,
  insertEvent,
  insertRequest,
  type Jurisdiction,
  type NoticeChannel,
  OPEN_STATUSES,
  type RequestRecord,
  type RequestSource,
  type RequestStatus,
  type RequestType,
  type SealedWith,
  updateRequest,
  type VerificationMethod,
} from './requests.repo.ts';
import type {
  TAnswerBody,
  TExtendBody,
  TIntakeBody,
  TRefuseBody,
  TRequestDetail,
  TRequester,
  TRequestQuery,
  TRequestSummary,
  TVerificationBody,
} from './requests.schema.ts';

export type { Jurisdiction, RequestSource, RequestType };
export { requestReference };

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

function refuse(rule: string, message: string, details: Record<string, unknown> = {}): never {
  throw new AppError('rule_violated', message, { details: { rule, ...details } });
}

// ---------------------------------------------------------------------------------------------
// Clocks

/** The 152-FZ clock of each request type (REQUIREMENTS 1.9). */
export const RU_CLOCKS: Record<RequestType, ClockType> = {
  access: 'access', // Art. 14 p.3, Art. 20 p.1–2: 10 wd (+5)
  correction: 'correction', // Art. 20 p.3: 7 wd
  stop: 'stop', // Art. 21 p.5.1: 10 wd (+5)
  deletion: 'unlawful-destroy', // Art. 20 p.3: 7 wd (unlawfully obtained or not needed)
  withdrawal: 'withdrawal-destroy', // Art. 21 p.5: 30 days to destroy
  rkn: 'rkn-request', // Art. 20 p.4: 10 wd (+5)
};

/**
 * The due date of a request: the 152-FZ clock of its type, the GDPR month for EU subjects, and
 * the earlier of the two when both apply (R-G2). Requests from Roskomnadzor run on 152-FZ only.
 */
export function requestDeadline(
  type: RequestType,
  jurisdiction: Jurisdiction,
  receivedAt: Date,
): Deadline {
  const russian = computeDeadline({ type: RU_CLOCKS[type], receivedAt });
  if (type === 'rkn' || jurisdiction === 'ru') return russian;
  const gdpr = computeDeadline({ type: 'gdpr-access', receivedAt });
  return jurisdiction === 'gdpr' ? gdpr : earliestDeadline([russian, gdpr]);
}

export function effectiveDueDate(request: Pick<RequestRecord, 'dueDate' | 'extendedDueDate'>) {
  return request.extendedDueDate ?? request.dueDate;
}

function isOpen(status: RequestStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Working days from today to the due date; negative once it has passed. Null if unknown. */
export function workingDaysLeft(today: string, due: string): number | null {
  try {
    return due >= today ? countWorkingDays(today, due) : -countWorkingDays(due, today);
  } catch {
    // A date outside the shipped production calendar.
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Sealing: the subject's key when the contact is known, else the organization key.

type Sealer = { sealedWith: SealedWith; key: Buffer };

async function sealerFor(tx: Tx, ctx: Ctx, contactId: string | null): Promise<Sealer> {
  const keyring = await orgKeyring(tx, ctx);
  if (contactId) {
    const key = (await subjectKeys(tx, keyring, [contactId])).get(contactId);
    if (key) return { sealedWith: 'subject', key };
  }
  return { sealedWith: 'org', key: keyring.key };
}

/** The key that opens a request's sealed fields; null once the subject was shredded. */
async function openerFor(
  tx: Tx,
  ctx: Ctx,
  contactId: string | null,
  sealedWith: SealedWith,
): Promise<Buffer | null> {
  const keyring = await orgKeyring(tx, ctx);
  if (sealedWith === 'org') return keyring.key;
  if (!contactId) return null;
  return (await subjectKeys(tx, keyring, [contactId])).get(contactId) ?? null;
}

function seal(key: Buffer, value: unknown, binding: string): Buffer {
  return sealField(key, JSON.stringify(value), binding);
}

function unseal<T>(key: Buffer | null, sealed: Uint8Array | null, binding: string): T | null {
  if (!key || !sealed) return null;
  try {
    return JSON.parse(openField(key, sealed, binding)) as T;
  } catch {
    return null;
  }
}

const binding = (requestId: string, column: string) => `subject_requests:${requestId}:${column}`;
const eventBinding = (eventId: string) => `subject_request_events:${eventId}:note`;

type StoredDetails = { text: string | null; sourceRef: string | null };
type StoredVerification = {
  documentNumber: string | null;
  documentIssuer: string | null;
  documentIssuedOn: string | null;
  relationship: string | null;
};

function addEvent(
  tx: Tx,
  ctx: Ctx,
  request: { id: string },
  key: Buffer | null,
  input: {
    kind: string;
    from: RequestStatus | null;
    to: RequestStatus | null;
    details?: Record<string, unknown>;
    note?: string | null | undefined;
  },
): void {
  const id = randomUUID();
  insertEvent(tx, {
    id,
    orgId: ctx.orgId,
    requestId: request.id,
    at: ctx.now,
    kind: input.kind,
    fromStatus: input.from,
    toStatus: input.to,
    actorUserId: actorUserId(ctx.actor),
    actorLabel:
      ctx.actor.type === 'system'
        ? ctx.actor.label
        : ctx.actor.type === 'token'
          ? `token:${ctx.actor.tokenId}`
          : null,
    details: input.details ?? {},
    noteEnc: input.note && key ? seal(key, input.note, eventBinding(id)) : null,
  });
}

// ---------------------------------------------------------------------------------------------
// Filing a request

export type FileRequestInput = {
  contactId: string | null;
  type: RequestType;
  source: RequestSource;
  jurisdiction: Jurisdiction;
  receivedAt: Date;
  details: string | null;
  purposeId: string | null;
  requester?: TRequester | null;
  sourceRef?: string | null;
  verification?: TVerificationBody | null;
};

const REPEAT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * R-S3 (152-FZ Art. 14 p.4–5): a request of the same type from the same person within 30 days of
 * an earlier one is a repeat — flagged, never dropped — unless the earlier answer was incomplete.
 */
async function findRepeatOf(
  tx: Tx,
  ctx: Ctx,
  input: { contactId: string | null; type: RequestType; receivedAt: Date },
): Promise<RequestRecord | null> {
  if (!input.contactId) return null;
  const earlier = await findRecentRequestsOf(tx, {
    orgId: ctx.orgId,
    contactId: input.contactId,
    type: input.type,
    since: new Date(input.receivedAt.getTime() - REPEAT_WINDOW_DAYS * DAY_MS),
    until: input.receivedAt,
  });
  if (earlier.some((request) => request.isAnswerIncomplete)) return null;
  // Point at the original request, not at another repeat of it.
  return earlier.find((request) => !request.isRepeat) ?? earlier[0] ?? null;
}

async function fileRequestInTx(
  tx: Tx,
  ctx: Ctx,
  input: FileRequestInput,
): Promise<{ id: string; dueDate: string; isRepeat: boolean; blockId: string | null }> {
  if (input.contactId) {
    const contact = await contactErasure(tx, input.contactId);
    if (!contact) throw new AppError('not_found', 'No such contact');
  }
  if (input.receivedAt.getTime() > ctx.now.getTime() + 60_000) {
    throw new AppError('validation_failed', 'A request cannot be received in the future', {
      fields: { receivedAt: ['Must not be in the future'] },
    });
  }
  const id = randomUUID();
  const deadline = requestDeadline(input.type, input.jurisdiction, input.receivedAt);
  const repeatOf = await findRepeatOf(tx, ctx, input);
  const sealer = await sealerFor(tx, ctx, input.contactId);
  const verification = input.verification ?? null;
  const isVerified =
    (verification !== null && verification.method !== 'none') ||
    // The portal identifies the person by a one-time code sent to their address on record.
    (input.source === 'portal' && input.contactId !== null);
  const method: VerificationMethod = verification
    ? verification.method
    : input.source === 'portal' && input.contactId
      ? 'portal_code'
      : 'none';
  const status: RequestStatus =
    input.source === 'portal' ? 'received' : isVerified ? 'in_progress' : 'verifying';
  const requester =
    input.requester && Object.keys(input.requester).length > 0 ? input.requester : null;
  await insertRequest(tx, {
    id,
    orgId: ctx.orgId,
    contactId: input.contactId,
    type: input.type,
    source: input.source,
    jurisdiction: input.jurisdiction,
    status,
    receivedAt: input.receivedAt,
    dueClock: deadline.type,
    dueDate: deadline.dueDate,
    isCalendarConfirmed: deadline.calendarConfirmed,
    sealedWith: sealer.sealedWith,
    requesterEnc: requester ? seal(sealer.key, requester, binding(id, 'requester')) : null,
    detailsEnc:
      input.details || input.sourceRef
        ? seal(
            sealer.key,
            {
              text: input.details ?? null,
              sourceRef: input.sourceRef ?? null,
            } satisfies StoredDetails,
            binding(id, 'details'),
          )
        : null,
    verificationMethod: method,
    verificationEnc: verification ? sealVerification(sealer.key, id, verification) : null,
    verifiedAt: isVerified ? ctx.now : null,
    verifiedBy: isVerified ? actorUserId(ctx.actor) : null,
    isRepeat: repeatOf !== null,
    repeatOf: repeatOf?.id ?? null,
    purposeId: input.purposeId,
    createdBy: actorUserId(ctx.actor),
    at: ctx.now,
  });
  addEvent(tx, ctx, { id }, sealer.key, {
    kind: 'received',
    from: null,
    to: status,
    details: {
      type: input.type,
      source: input.source,
      jurisdiction: input.jurisdiction,
      dueDate: deadline.dueDate,
      clock: deadline.type,
      isRepeat: repeatOf !== null,
      repeatOf: repeatOf?.id ?? null,
      verificationMethod: method,
    },
  });
  await recordAudit(tx, ctx, {
    action: 'subject_request.received',
    entityType: 'subject_request',
    entityId: id,
    details: {
      type: input.type,
      source: input.source,
      contactId: input.contactId,
      dueDate: deadline.dueDate,
      isRepeat: repeatOf !== null,
    },
  });
  // R-S6: the law gives 10 working days to stop, but the product stops at once — from this
  // transaction's commit, every outbound check for the person refuses. The due date still shows.
  let blockId: string | null = null;
  if (input.type === 'stop' && input.contactId) {
    blockId = await stopProcessing(
      tx,
      ctx,
      { id, contactId: input.contactId, purposeId: input.purposeId },
      sealer.key,
    );
  }
  return { id, dueDate: deadline.dueDate, isRepeat: repeatOf !== null, blockId };
}

async function stopProcessing(
  tx: Tx,
  ctx: Ctx,
  request: { id: string; contactId: string; purposeId: string | null },
  key: Buffer | null,
): Promise<string> {
  const live = (await activeBlocks(tx, ctx, request.contactId)).find(
    (block) =>
      block.kind === 'stopped' &&
      (block.purposeId === null || block.purposeId === request.purposeId),
  );
  if (live) return live.id;
  const blockId = await blockSubject(tx, ctx, {
    contactId: request.contactId,
    kind: 'stopped',
    purposeId: request.purposeId,
    reason: `Subject request ${requestReference(request.id)}: demand to stop processing`,
    requestId: request.id,
  });
  await updateRequest(tx, request.id, { outcome: { blockId } }, ctx.now);
  addEvent(tx, ctx, request, key, {
    kind: 'processing_stopped',
    from: null,
    to: null,
    details: { blockId, purposeId: request.purposeId },
  });
  return blockId;
}

function sealVerification(key: Buffer, requestId: string, body: TVerificationBody): Buffer | null {
  const stored: StoredVerification = {
    documentNumber: body.documentNumber ?? null,
    documentIssuer: body.documentIssuer ?? null,
    documentIssuedOn: body.documentIssuedOn ?? null,
    relationship: body.relationship ?? null,
  };
  return Object.values(stored).some((value) => value !== null)
    ? seal(key, stored, binding(requestId, 'verification'))
    : null;
}

/**
 * Registers a data-subject request inside the caller's transaction (the privacy portal's, or the
 * staff intake's): due date from the clock engine, the repeat flag (R-S3), the event trail and
 * the audit row; a demand to stop processing takes effect at once (R-S6).
 */
export async function createSubjectRequest(
  tx: Tx,
  ctx: Ctx,
  input: {
    contactId: string | null;
    type: RequestType;
    source: RequestSource;
    jurisdiction: Jurisdiction;
    receivedAt: Date;
    details: string | null;
    purposeId: string | null;
  },
): Promise<{ id: string; dueDate: string; isRepeat: boolean }> {
  const { id, dueDate, isRepeat } = await fileRequestInTx(tx, ctx, input);
  return { id, dueDate, isRepeat };
}

const WITHDRAWAL_CHANNELS: Record<RequestSource, WithdrawalChannel> = {
  portal: 'portal',
  phone: 'phone',
  paper: 'paper',
  email: 'email',
  staff: 'staff',
};

/** Staff intake: a request taken by phone, on paper or by email, with the identity record. */
export async function fileSubjectRequest(
  ctx: Ctx,
  body: TIntakeBody,
): Promise<{ id: string; dueDate: string; isRepeat: boolean }> {
  assertCan(ctx, 'requests.manage');
  let isWithdrawalNew = false;
  const created = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    let purposeId: string | null = null;
    if (body.purposeCode) {
      const [active] = await findActivePurposes(tx, ctx.publicUrl, [body.purposeCode]);
      if (!active) {
        throw new AppError('validation_failed', 'No such purpose', {
          fields: { purposeCode: ['No such purpose'] },
        });
      }
      purposeId = active.purpose.id;
    }
    const filed = await fileRequestInTx(tx, ctx, {
      contactId: body.contactId ?? null,
      type: body.type,
      source: body.source,
      jurisdiction: body.jurisdiction,
      receivedAt: body.receivedAt ? new Date(body.receivedAt) : ctx.now,
      details: body.details ?? null,
      purposeId,
      requester: body.requester ?? null,
      sourceRef: body.sourceRef ?? null,
      verification: body.verification ?? null,
    });
    // R-C6: a withdrawal takes effect when it is received; the 30-day clock is for destruction.
    if (body.type === 'withdrawal' && body.contactId && purposeId) {
      const withdrawn = await withdrawConsentInTx(tx, ctx, {
        contactId: body.contactId,
        purposeId,
        channel: WITHDRAWAL_CHANNELS[body.source],
        evidence: body.sourceRef
          ? { note: `Subject request ${requestReference(filed.id)}`, scanRef: body.sourceRef }
          : { note: `Subject request ${requestReference(filed.id)}` },
      });
      isWithdrawalNew = withdrawn.isNew;
      await updateRequest(
        tx,
        filed.id,
        { outcome: { withdrawalEntryId: withdrawn.entryId } },
        ctx.now,
      );
    }
    return filed;
  });
  if (isWithdrawalNew) void scheduleChaining(ctx.db, ctx.orgId);
  return { id: created.id, dueDate: created.dueDate, isRepeat: created.isRepeat };
}

// ---------------------------------------------------------------------------------------------
// Reading

function summaryOf(
  request: RequestRecord,
  today: string,
  subjectName: string | null,
): TRequestSummary {
  const due = effectiveDueDate(request);
  const open = isOpen(request.status);
  return {
    id: request.id,
    reference: requestReference(request.id),
    contactId: request.contactId,
    subjectName,
    type: request.type,
    source: request.source,
    jurisdiction: request.jurisdiction,
    status: request.status,
    receivedAt: request.receivedAt.toISOString(),
    dueDate: request.dueDate,
    effectiveDueDate: due,
    workingDaysLeft: open ? workingDaysLeft(today, due) : null,
    isOverdue: open && due < today,
    isRepeat: request.isRepeat,
    isCalendarConfirmed: request.isCalendarConfirmed,
    assignedTo: request.assignedTo,
  };
}

/** Names for the queue: the contact's, else the name the requester gave. Logged reads. */
async function subjectNames(
  tx: Tx,
  ctx: Ctx,
  requests: readonly RequestRecord[],
): Promise<Map<string, string | null>> {
  const names = new Map<string, string | null>();
  // Auditors see the queue and its deadlines, not who asked.
  if (!can(ctx.role, 'requests.manage') || !can(ctx.role, 'contacts.read')) return names;
  const contactIds = [...new Set(requests.flatMap((request) => request.contactId ?? []))];
  const contacts =
    contactIds.length > 0 ? await readContacts(tx, ctx, contactIds, 'list') : new Map();
  const keyring = await orgKeyring(tx, ctx);
  const keys = await subjectKeys(tx, keyring, contactIds);
  const readRequesters: string[] = [];
  for (const request of requests) {
    const contactName = request.contactId ? (contacts.get(request.contactId)?.name ?? null) : null;
    let name = contactName;
    if (!name && request.requesterEnc) {
      const key =
        request.sealedWith === 'org' ? keyring.key : (keys.get(request.contactId ?? '') ?? null);
      name =
        unseal<TRequester>(key, request.requesterEnc, binding(request.id, 'requester'))?.name ??
        null;
      readRequesters.push(request.id);
    }
    names.set(request.id, name);
  }
  if (readRequesters.length > 0) {
    await recordAccess(tx, ctx, {
      subjectType: 'subject_request',
      subjectIds: readRequesters,
      fields: ['requester.name'],
      reason: 'list',
    });
  }
  return names;
}

/** The queue, most urgent first. */
export async function findSubjectRequests(ctx: Ctx, query: TRequestQuery) {
  assertCan(ctx, 'requests.read');
  const today = toMoscowDate(ctx.now);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findRequestPage(tx, {
      orgId: ctx.orgId,
      status: query.status,
      type: query.type,
      contactId: query.contactId,
      overdueBefore: query.isOverdue ? today : undefined,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const names = await subjectNames(tx, ctx, rows);
    return {
      items: rows.map((row) => summaryOf(row, today, names.get(row.id) ?? null)),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  });
}

async function loadRequest(
  tx: Tx,
  ctx: Ctx,
  requestId: string,
  options: { forUpdate?: boolean } = {},
): Promise<RequestRecord> {
  const request = await findRequest(tx, ctx.orgId, requestId, options);
  if (!request) throw new AppError('not_found', 'No such request');
  return request;
}

/** One request with its identity record, answer and timeline; reading it is logged. */
export async function getSubjectRequest(ctx: Ctx, requestId: string): Promise<TRequestDetail> {
  assertCan(ctx, 'requests.read');
  const today = toMoscowDate(ctx.now);
  const { request, events, detail } = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const request = await loadRequest(tx, ctx, requestId);
    const events = await findEvents(tx, ctx.orgId, requestId);
    const mayRead = can(ctx.role, 'requests.manage');
    const key = mayRead ? await openerFor(tx, ctx, request.contactId, request.sealedWith) : null;
    const answerKey =
      mayRead && request.answerSealedWith
        ? await openerFor(tx, ctx, request.contactId, request.answerSealedWith)
        : null;
    const names = await subjectNames(tx, ctx, [request]);
    if (mayRead) {
      await recordAccess(tx, ctx, {
        subjectType: 'subject_request',
        subjectIds: [request.id],
        fields: ['requester', 'details', 'verification', 'answer', 'events.note'],
        reason: 'card',
      });
    }
    return {
      request,
      events,
      detail: {
        key,
        answerKey,
        mayRead,
        subjectName: names.get(request.id) ?? null,
      },
    };
  });
  const { key, answerKey, mayRead } = detail;
  const requester = unseal<TRequester>(key, request.requesterEnc, binding(request.id, 'requester'));
  const details = unseal<StoredDetails>(key, request.detailsEnc, binding(request.id, 'details'));
  const verification = unseal<StoredVerification>(
    key,
    request.verificationEnc,
    binding(request.id, 'verification'),
  );
  const answer = unseal<string>(answerKey, request.answerEnc, binding(request.id, 'answer'));
  const actorOf = await describeActors(
    ctx,
    events.map((event) => ({ ...event, actorTokenId: null })),
  );
  const clockType = isClockType(request.dueClock) ? request.dueClock : RU_CLOCKS[request.type];
  return {
    ...summaryOf(request, today, detail.subjectName),
    clock: {
      type: clockType,
      basis: CLOCKS[clockType].basis,
      isExtendable: CLOCKS[RU_CLOCKS[request.type]].isExtendable && request.jurisdiction !== 'gdpr',
    },
    purposeId: request.purposeId,
    personalDataState: !mayRead ? 'hidden' : key ? 'shown' : 'shredded',
    requester: requester
      ? {
          name: requester.name ?? null,
          email: requester.email ?? null,
          phone: requester.phone ?? null,
          address: requester.address ?? null,
        }
      : null,
    details: details?.text ?? null,
    sourceRef: details?.sourceRef ?? null,
    verification: {
      method: request.verificationMethod,
      documentNumber: verification?.documentNumber ?? null,
      documentIssuer: verification?.documentIssuer ?? null,
      documentIssuedOn: verification?.documentIssuedOn ?? null,
      relationship: verification?.relationship ?? null,
      verifiedAt: request.verifiedAt?.toISOString() ?? null,
      verifiedBy: request.verifiedBy,
    },
    extension:
      request.extendedDueDate && request.extensionNoticeChannel && request.extensionNoticeSentAt
        ? {
            byWorkingDays: request.extensionDays ?? 0,
            reason: mayRead ? (request.extensionReason ?? '') : '',
            dueDate: request.extendedDueDate,
            noticeChannel: request.extensionNoticeChannel,
            noticeRef: request.extensionNoticeRef,
            noticeSentAt: request.extensionNoticeSentAt.toISOString(),
            mailId: request.extensionMailId,
          }
        : null,
    repeatOf: request.repeatOf,
    isAnswerIncomplete: request.isAnswerIncomplete,
    answer: request.answeredAt
      ? {
          text: answer,
          channel: request.answerChannel,
          reference: request.answerRef,
          mailId: request.answerMailId,
          at: request.answeredAt.toISOString(),
        }
      : null,
    outcome: request.outcome,
    closedAt: request.closedAt?.toISOString() ?? null,
    events: events.map((event) => eventView(event, key, actorOf)),
  };
}

function eventView(
  event: EventRecord,
  key: Buffer | null,
  actorOf: (ref: {
    actorUserId: string | null;
    actorTokenId: string | null;
    actorLabel: string | null;
  }) => { label: string },
) {
  return {
    id: event.id,
    at: event.at.toISOString(),
    kind: event.kind,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    actor: {
      userId: event.actorUserId,
      label: actorOf({
        actorUserId: event.actorUserId,
        actorTokenId: null,
        actorLabel: event.actorLabel,
      }).label,
    },
    details: event.details,
    note: unseal<string>(key, event.noteEnc, eventBinding(event.id)),
  };
}

// ---------------------------------------------------------------------------------------------
// Acting on a request

type Change = {
  tx: Tx;
  request: RequestRecord;
  key: Buffer | null;
};

/** Runs one staff action on a request, locked, with its event and audit row. */
async function changeRequest<T>(
  ctx: Ctx,
  requestId: string,
  work: (change: Change) => Promise<T>,
): Promise<T> {
  assertCan(ctx, 'requests.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const request = await loadRequest(tx, ctx, requestId, { forUpdate: true });
    const key = await openerFor(tx, ctx, request.contactId, request.sealedWith);
    return work({ tx, request, key });
  });
}

function assertOpen(request: RequestRecord): void {
  if (!isOpen(request.status)) {
    refuse('request_finished', `The request is ${request.status} already`, {
      status: request.status,
    });
  }
}

export async function assignSubjectRequest(
  ctx: Ctx,
  requestId: string,
  userId: string | null,
): Promise<void> {
  await changeRequest(ctx, requestId, async ({ tx, request, key }) => {
    if (request.status === 'closed') refuse('request_finished', 'The request is closed');
    if (userId) {
      const role = await memberRoleOf(tx, ctx, userId);
      if (!role)
        throw new AppError('validation_failed', 'Not a member', {
          fields: { userId: ['Not a member of the organization'] },
        });
      if (!can(role, 'requests.manage')) {
        refuse('assignee_cannot_manage', 'The member’s role cannot work on requests', { role });
      }
    }
    const status: RequestStatus = request.status === 'received' ? 'verifying' : request.status;
    await updateRequest(tx, request.id, { assignedTo: userId, status }, ctx.now);
    addEvent(tx, ctx, request, key, {
      kind: 'assigned',
      from: request.status,
      to: status,
      details: { assignedTo: userId },
    });
    await recordAudit(tx, ctx, {
      action: 'subject_request.assigned',
      entityType: 'subject_request',
      entityId: request.id,
      details: { assignedTo: userId },
    });
  });
}

/** Records how the person's identity was checked (R-S3). */
export async function verifySubjectRequest(
  ctx: Ctx,
  requestId: string,
  body: TVerificationBody,
): Promise<void> {
  await changeRequest(ctx, requestId, async ({ tx, request, key }) => {
    assertOpen(request);
    if (!key) refuse('contact_destroyed', 'The subject’s data was destroyed');
    if (body.method === 'document' && !body.documentNumber) {
      throw new AppError('validation_failed', 'A document check names the document', {
        fields: { documentNumber: ['Give the ID document number'] },
      });
    }
    const isVerified = body.method !== 'none';
    const status: RequestStatus = isVerified
      ? request.status === 'extended'
        ? 'extended'
        : 'in_progress'
      : 'verifying';
    await updateRequest(
      tx,
      request.id,
      {
        verificationMethod: body.method,
        verificationEnc: sealVerification(key, request.id, body),
        verifiedAt: isVerified ? ctx.now : null,
        verifiedBy: isVerified ? actorUserId(ctx.actor) : null,
        status,
      },
      ctx.now,
    );
    addEvent(tx, ctx, request, key, {
      kind: 'verified',
      from: request.status,
      to: status,
      details: { method: body.method },
      note: body.note,
    });
    await recordAudit(tx, ctx, {
      action: 'subject_request.verified',
      entityType: 'subject_request',
      entityId: request.id,
      details: { method: body.method },
    });
  });
}

/** The subject's email and key for mail from the queue; refused when there is none. */
async function mailTarget(
  tx: Tx,
  ctx: Ctx,
  request: RequestRecord,
): Promise<{ contactId: string; subjectKey: Buffer; email: string }> {
  if (!request.contactId) {
    refuse('no_email_on_record', 'The request is not linked to a contact with an email address');
  }
  const contact = (await readContacts(tx, ctx, [request.contactId], 'subject_request_notice')).get(
    request.contactId,
  );
  const keyring = await orgKeyring(tx, ctx);
  const subjectKey = (await subjectKeys(tx, keyring, [request.contactId])).get(request.contactId);
  if (!contact?.email || !subjectKey) {
    refuse('no_email_on_record', 'No email address is on record for the subject');
  }
  return { contactId: request.contactId, subjectKey, email: contact.email };
}

/**
 * The one extension (R-S1, R-S5, R-S6: 152-FZ Art. 20 p.2, p.4; Art. 21 p.5.1): by at most five
 * working days, with a reason, and only together with the motivated notice to the subject — mailed
 * from the queue, or sent another way and referenced. Anything else is refused.
 */
export async function extendSubjectRequest(
  ctx: Ctx,
  requestId: string,
  body: TExtendBody,
): Promise<{ dueDate: string }> {
  return changeRequest(ctx, requestId, async ({ tx, request, key }) => {
    assertOpen(request);
    if (request.extendedDueDate) {
      refuse('extension_used', 'The request was extended already; the law allows one extension');
    }
    if (request.jurisdiction === 'gdpr') {
      refuse('extension_not_allowed', 'A GDPR-only request has no 152-FZ extension');
    }
    const base = computeDeadline({ type: RU_CLOCKS[request.type], receivedAt: request.receivedAt });
    // The clock engine refuses a clock that cannot be extended, more than 5 wd, or no reason.
    const extended = extend(base, { byWorkingDays: body.byWorkingDays, reason: body.reason });
    if (!body.notice) {
      refuse(
        'extension_notice_required',
        'An extension needs the motivated notice sent to the subject',
      );
    }
    const header = await letterHeader(tx, ctx, request, key);
    const text =
      body.noticeText ??
      extensionNotice(header, {
        reason: extended.extension?.reason ?? body.reason,
        byWorkingDays: body.byWorkingDays,
        newDueDate: extended.dueDate,
        oldDueDate: base.dueDate,
      });
    let mailId: string | null = null;
    if (body.notice.channel === 'email') {
      const target = await mailTarget(tx, ctx, request);
      mailId = await queueMail(tx, ctx, {
        contactId: target.contactId,
        subjectKey: target.subjectKey,
        kind: 'subject_request.extension',
        to: target.email,
        subject: `Продление срока ответа на запрос № ${requestReference(request.id)}`,
        text,
      });
    }
    await updateRequest(
      tx,
      request.id,
      {
        status: 'extended',
        extendedDueDate: extended.dueDate,
        extensionDays: body.byWorkingDays,
        extensionReason: extended.extension?.reason ?? body.reason.trim(),
        extensionNoticeChannel: body.notice.channel,
        extensionNoticeRef: body.notice.channel === 'email' ? null : body.notice.reference,
        extensionNoticeSentAt: ctx.now,
        extensionMailId: mailId,
      },
      ctx.now,
    );
    addEvent(tx, ctx, request, key, {
      kind: 'extended',
      from: request.status,
      to: 'extended',
      details: {
        byWorkingDays: body.byWorkingDays,
        dueDate: extended.dueDate,
        noticeChannel: body.notice.channel,
        mailId,
      },
      note: body.reason,
    });
    await recordAudit(tx, ctx, {
      action: 'subject_request.extended',
      entityType: 'subject_request',
      entityId: request.id,
      details: { byWorkingDays: body.byWorkingDays, dueDate: extended.dueDate, mailId },
    });
    return { dueDate: extended.dueDate };
  });
}

function assertVerified(request: RequestRecord): void {
  // An answer about a person goes only to that person (152-FZ Art. 14 p.3): identity first.
  if (request.type === 'rkn') return;
  if (request.verificationMethod === 'none' || !request.verifiedAt) {
    refuse('identity_not_verified', 'Verify the requester’s identity before answering');
  }
}

/** Delivers a letter: queued mail to the address on record, or a reference to how it went. */
async function deliver(
  tx: Tx,
  ctx: Ctx,
  request: RequestRecord,
  delivery: TAnswerBody['delivery'],
  letter: { kind: string; subject: string; text: string },
): Promise<{ channel: NoticeChannel; reference: string | null; mailId: string | null }> {
  if (delivery.channel !== 'email') {
    return { channel: delivery.channel, reference: delivery.reference, mailId: null };
  }
  const target = await mailTarget(tx, ctx, request);
  const mailId = await queueMail(tx, ctx, {
    contactId: target.contactId,
    subjectKey: target.subjectKey,
    kind: letter.kind,
    to: target.email,
    subject: letter.subject,
    text: letter.text,
  });
  return { channel: 'email', reference: null, mailId };
}

/**
 * Answers a request and does what it asks: a stop holds processing (it already did at intake), a
 * withdrawal withdraws the consent, a correction is recorded, an access request gets its report.
 */
export async function answerSubjectRequest(
  ctx: Ctx,
  requestId: string,
  body: TAnswerBody,
): Promise<void> {
  let isWithdrawalNew = false;
  await changeRequest(ctx, requestId, async ({ tx, request, key }) => {
    assertOpen(request);
    assertVerified(request);
    const outcome: Record<string, unknown> = { ...request.outcome };
    let answerSealer: Sealer | null = key
      ? { sealedWith: request.sealedWith, key }
      : await sealerFor(tx, ctx, null);
    // Deliver first: mail is sealed under the subject's key, which erasure destroys.
    const delivered =
      request.type === 'deletion' && body.delivery.channel === 'email'
        ? refuse(
            'answer_channel_unavailable',
            'After erasure no address remains to mail to: deliver the confirmation on paper, by phone or through the portal',
          )
        : await deliver(tx, ctx, request, body.delivery, {
            kind: 'subject_request.answer',
            subject: `Ответ на запрос № ${requestReference(request.id)}`,
            text: body.text,
          });
    switch (request.type) {
      case 'stop': {
        if (request.contactId) {
          outcome.blockId = await stopProcessing(
            tx,
            ctx,
            { id: request.id, contactId: request.contactId, purposeId: request.purposeId },
            key,
          );
        }
        break;
      }
      case 'withdrawal': {
        if (request.contactId && request.purposeId) {
          const withdrawn = await withdrawConsentInTx(tx, ctx, {
            contactId: request.contactId,
            purposeId: request.purposeId,
            channel: WITHDRAWAL_CHANNELS[request.source],
            evidence: { note: `Subject request ${requestReference(request.id)}` },
          });
          isWithdrawalNew = withdrawn.isNew;
          outcome.withdrawalEntryId = withdrawn.entryId;
        }
        break;
      }
      case 'correction': {
        outcome.isCorrected = true;
        break;
      }
      case 'deletion': {
        if (!request.contactId) {
          refuse('contact_required', 'Link the request to a contact before erasing');
        }
        const erased = await eraseSubject(tx, ctx, {
          contactId: request.contactId,
          reason: `Subject request ${requestReference(request.id)} (152-FZ Art. 20 p.3)`,
        });
        outcome.erasure = {
          erasedAt: erased.erasedAt.toISOString(),
          categories: erased.categories,
          tables: erased.tables,
        };
        // The subject's key is gone: the confirmation is kept under the organization key.
        answerSealer = await sealerFor(tx, ctx, null);
        break;
      }
      case 'access':
      case 'rkn':
        break;
    }
    await updateRequest(
      tx,
      request.id,
      {
        status: 'answered',
        answerSealedWith: answerSealer.sealedWith,
        answerEnc: seal(answerSealer.key, body.text, binding(request.id, 'answer')),
        answerChannel: delivered.channel,
        answerRef: delivered.reference,
        answerMailId: delivered.mailId,
        answeredAt: ctx.now,
        outcome,
      },
      ctx.now,
    );
    addEvent(tx, ctx, request, answerSealer.key, {
      kind: 'answered',
      from: request.status,
      to: 'answered',
      details: { channel: delivered.channel, mailId: delivered.mailId, type: request.type },
      note: body.correctionNote,
    });
    await recordAudit(tx, ctx, {
      action: 'subject_request.answered',
      entityType: 'subject_request',
      entityId: request.id,
      details: {
        type: request.type,
        channel: delivered.channel,
        mailId: delivered.mailId,
        outcome: Object.keys(outcome),
      },
    });
  });
  if (isWithdrawalNew) void scheduleChaining(ctx.db, ctx.orgId);
}

/** A motivated refusal (152-FZ Art. 14 p.6, Art. 20 p.2): the operator proves its grounds. */
export async function refuseSubjectRequest(
  ctx: Ctx,
  requestId: string,
  body: TRefuseBody,
): Promise<void> {
  await changeRequest(ctx, requestId, async ({ tx, request, key }) => {
    assertOpen(request);
    const header = await letterHeader(tx, ctx, request, key);
    const text = body.text ?? refusalLetter(header, { motivation: body.motivation });
    const delivered = await deliver(tx, ctx, request, body.delivery, {
      kind: 'subject_request.refusal',
      subject: `Ответ на запрос № ${requestReference(request.id)}`,
      text,
    });
    const sealer = key ? { sealedWith: request.sealedWith, key } : await sealerFor(tx, ctx, null);
    await updateRequest(
      tx,
      request.id,
      {
        status: 'refused',
        answerSealedWith: sealer.sealedWith,
        answerEnc: seal(sealer.key, text, binding(request.id, 'answer')),
        answerChannel: delivered.channel,
        answerRef: delivered.reference,
        answerMailId: delivered.mailId,
        answeredAt: ctx.now,
      },
      ctx.now,
    );
    addEvent(tx, ctx, request, sealer.key, {
      kind: 'refused',
      from: request.status,
      to: 'refused',
      details: { channel: delivered.channel, mailId: delivered.mailId },
      note: body.motivation,
    });
    await recordAudit(tx, ctx, {
      action: 'subject_request.refused',
      entityType: 'subject_request',
      entityId: request.id,
      details: { channel: delivered.channel, mailId: delivered.mailId },
    });
  });
}

/**
 * Marks a request's answer as incomplete (R-S3, 152-FZ Art. 14 p.5): a repeat of it within
 * 30 days is then a fresh request, and the ones already flagged lose the flag.
 */
export async function markAnswerIncomplete(
  ctx: Ctx,
  requestId: string,
  note: string | undefined,
): Promise<{ cleared: string[] }> {
  return changeRequest(ctx, requestId, async ({ tx, request, key }) => {
    await updateRequest(tx, request.id, { isAnswerIncomplete: true }, ctx.now);
    const cleared = await clearRepeatsOf(tx, request.id, ctx.now);
    addEvent(tx, ctx, request, key, {
      kind: 'answer_incomplete',
      from: null,
      to: null,
      details: { clearedRepeats: cleared },
      note,
    });
    for (const repeatId of cleared) {
      addEvent(tx, ctx, { id: repeatId }, null, {
        kind: 'repeat_cleared',
        from: null,
        to: null,
        details: { repeatOf: request.id },
      });
    }
    await recordAudit(tx, ctx, {
      action: 'subject_request.answer_incomplete',
      entityType: 'subject_request',
      entityId: request.id,
      details: { clearedRepeats: cleared },
    });
    return { cleared };
  });
}

export async function closeSubjectRequest(
  ctx: Ctx,
  requestId: string,
  note: string | undefined,
): Promise<void> {
  await changeRequest(ctx, requestId, async ({ tx, request, key }) => {
    if (request.status === 'closed') refuse('request_finished', 'The request is closed already');
    if (isOpen(request.status) && !note) {
      // Closing without an answer must say why (withdrawn by the person, a duplicate …).
      refuse('close_note_required', 'Say why a request without an answer is closed');
    }
    await updateRequest(tx, request.id, { status: 'closed', closedAt: ctx.now }, ctx.now);
    addEvent(tx, ctx, request, key, {
      kind: 'closed',
      from: request.status,
      to: 'closed',
      note,
    });
    await recordAudit(tx, ctx, {
      action: 'subject_request.closed',
      entityType: 'subject_request',
      entityId: request.id,
      details: { from: request.status },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Letters

/** A generated letter for the request, for staff to edit; reading the subject's data is logged. */
export async function draftSubjectRequestLetter(
  ctx: Ctx,
  requestId: string,
  input: {
    kind: DraftKind;
    motivation?: string | undefined;
    reason?: string | undefined;
    byWorkingDays?: number | undefined;
  },
): Promise<{ kind: DraftKind; text: string }> {
  assertCan(ctx, 'requests.manage');
  const text = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const request = await loadRequest(tx, ctx, requestId);
    const key = await openerFor(tx, ctx, request.contactId, request.sealedWith);
    return draftLetter(tx, ctx, request, key, {
      kind: input.kind,
      ...(input.motivation ? { motivation: input.motivation } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.byWorkingDays ? { byWorkingDays: input.byWorkingDays } : {}),
    });
  });
  return { kind: input.kind, text };
}

/** The answer as sent, as a text file or a printable page. */
export async function downloadSubjectRequestAnswer(
  ctx: Ctx,
  requestId: string,
  format: 'txt' | 'html',
): Promise<{ filename: string; contentType: string; body: string }> {
  assertCan(ctx, 'requests.manage');
  const text = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const request = await loadRequest(tx, ctx, requestId);
    if (!request.answerEnc || !request.answerSealedWith) {
      throw new AppError('not_found', 'The request has no answer yet');
    }
    const key = await openerFor(tx, ctx, request.contactId, request.answerSealedWith);
    const answer = unseal<string>(key, request.answerEnc, binding(request.id, 'answer'));
    if (answer === null) refuse('contact_destroyed', 'The answer was destroyed with the subject');
    await recordAccess(tx, ctx, {
      subjectType: 'subject_request',
      subjectIds: [request.id],
      fields: ['answer'],
      reason: 'export',
    });
    return answer;
  });
  const name = `answer-${requestReference(requestId)}`;
  return format === 'html'
    ? {
        filename: `${name}.html`,
        contentType: 'text/html; charset=utf-8',
        body: answerHtml(`Ответ на запрос № ${requestReference(requestId)}`, text),
      }
    : { filename: `${name}.txt`, contentType: 'text/plain; charset=utf-8', body: text };
}
