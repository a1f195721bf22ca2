import { type Tx, toNumber } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';

// Rows are scoped by row-level security to the transaction's organization; the explicit
// org_id conditions only help the planner use the (org_id, …) indexes.

export type RequestType = 'access' | 'correction' | 'withdrawal' | 'stop' | 'deletion' | 'rkn';
export type RequestSource = 'portal' | 'phone' | 'paper' | 'email' | 'staff';
export type Jurisdiction = 'ru' | 'gdpr' | 'both';
export type RequestStatus =
  | 'received'
  | 'verifying'
  | 'in_progress'
  | 'extended'
  | 'answered'
  | 'refused'
  | 'closed';
export type VerificationMethod =
  | 'document'
  | 'signed_email'
  | 'esign'
  | 'portal_code'
  | 'in_person'
  | 'none';
export type NoticeChannel = 'email' | 'paper' | 'phone' | 'portal';
export type SealedWith = 'subject' | 'org';

export type RequestRecord = {
  id: string;
  orgId: string;
  contactId: string | null;
  type: RequestType;
  source: RequestSource;
  jurisdiction: Jurisdiction;
  status: RequestStatus;
  receivedAt: Date;
  dueClock: string;
  dueDate: string;
  isCalendarConfirmed: boolean;
  extendedDueDate: string | null;
  extensionDays: number | null;
  extensionReason: string | null;
  extensionNoticeChannel: NoticeChannel | null;
  extensionNoticeRef: string | null;
  extensionNoticeSentAt: Date | null;
  extensionMailId: string | null;
  sealedWith: SealedWith;
  requesterEnc: Uint8Array | null;
  detailsEnc: Uint8Array | null;
  verificationMethod: VerificationMethod;
  verificationEnc: Uint8Array | null;
  verifiedAt: Date | null;
  verifiedBy: string | null;
  isRepeat: boolean;
  repeatOf: string | null;
  isAnswerIncomplete: boolean;
  purposeId: string | null;
  answerSealedWith: SealedWith | null;
  answerEnc: Uint8Array | null;
  answerChannel: NoticeChannel | null;
  answerRef: string | null;
  answerMailId: string | null;
  answeredAt: Date | null;
  outcome: Record<string, unknown>;
  closedAt: Date | null;
  assignedTo: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
};

type StoredRequest = {
  id: string;
  org_id: string;
  contact_id: string | null;
  type: RequestType;
  source: RequestSource;
  jurisdiction: Jurisdiction;
  status: RequestStatus;
  received_at: Date;
  due_clock: string;
  due_date: string;
  is_calendar_confirmed: boolean;
  extended_due_date: string | null;
  extension_days: number | null;
  extension_reason: string | null;
  extension_notice_channel: NoticeChannel | null;
  extension_notice_ref: string | null;
  extension_notice_sent_at: Date | null;
  extension_mail_id: string | null;
  sealed_with: SealedWith;
  requester_enc: Uint8Array | null;
  details_enc: Uint8Array | null;
  verification_method: VerificationMethod;
  verification_enc: Uint8Array | null;
  verified_at: Date | null;
  verified_by: string | null;
  is_repeat: boolean;
  repeat_of: string | null;
  is_answer_incomplete: boolean;
  purpose_id: string | null;
  answer_sealed_with: SealedWith | null;
  answer_enc: Uint8Array | null;
  answer_channel: NoticeChannel | null;
  answer_ref: string | null;
  answer_mail_id: string | null;
  answered_at: Date | null;
  outcome: Record<string, unknown> | string;
  closed_at: Date | null;
  assigned_to: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
};

// A `date` column comes back as 'YYYY-MM-DD' from both drivers; keep a Date from any other
// configuration as its calendar date.
function dateText(value: string | Date | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

function toRequest(row: StoredRequest): RequestRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    contactId: row.contact_id,
    type: row.type,
    source: row.source,
    jurisdiction: row.jurisdiction,
    status: row.status,
    receivedAt: row.received_at,
    dueClock: row.due_clock,
    dueDate: dateText(row.due_date) ?? '',
    isCalendarConfirmed: row.is_calendar_confirmed,
    extendedDueDate: dateText(row.extended_due_date),
    extensionDays: row.extension_days === null ? null : toNumber(row.extension_days),
    extensionReason: row.extension_reason,
    extensionNoticeChannel: row.extension_notice_channel,
    extensionNoticeRef: row.extension_notice_ref,
    extensionNoticeSentAt: row.extension_notice_sent_at,
    extensionMailId: row.extension_mail_id,
    sealedWith: row.sealed_with,
    requesterEnc: row.requester_enc,
    detailsEnc: row.details_enc,
    verificationMethod: row.verification_method,
    verificationEnc: row.verification_enc,
    verifiedAt: row.verified_at,
    verifiedBy: row.verified_by,
    isRepeat: row.is_repeat,
    repeatOf: row.repeat_of,
    isAnswerIncomplete: row.is_answer_incomplete,
    purposeId: row.purpose_id,
    answerSealedWith: row.answer_sealed_with,
    answerEnc: row.answer_enc,
    answerChannel: row.answer_channel,
    answerRef: row.answer_ref,
    answerMailId: row.answer_mail_id,
    answeredAt: row.answered_at,
    outcome:
      typeof row.outcome === 'string'
        ? (JSON.parse(row.outcome) as Record<string, unknown>)
        : row.outcome,
    closedAt: row.closed_at,
    assignedTo: row.assigned_to,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type RequestInsert = {
  id: string;
  orgId: string;
  contactId: string | null;
  type: RequestType;
  source: RequestSource;
  jurisdiction: Jurisdiction;
  status: RequestStatus;
  receivedAt: Date;
  dueClock: string;
  dueDate: string;
  isCalendarConfirmed: boolean;
  sealedWith: SealedWith;
  requesterEnc: Uint8Array | null;
  detailsEnc: Uint8Array | null;
  verificationMethod: VerificationMethod;
  verificationEnc: Uint8Array | null;
  verifiedAt: Date | null;
  verifiedBy: string | null;
  isRepeat: boolean;
  repeatOf: string | null;
  purposeId: string | null;
  createdBy: string | null;
  at: Date;
};

export async function insertRequest(tx: Tx, row: RequestInsert): Promise<void> {
  await tx.execute(sql`
    INSERT INTO subject_requests (id, org_id, contact_id, type, source, jurisdiction, status,
      received_at, due_clock, due_date, is_calendar_confirmed, sealed_with, requester_enc,
      details_enc, verification_method, verification_enc, verified_at, verified_by, is_repeat,
      repeat_of, purpose_id, created_by, created_at, updated_at)
    VALUES (${row.id}, ${row.orgId}, ${row.contactId}, ${row.type}, ${row.source},
      ${row.jurisdiction}, ${row.status}, ${row.receivedAt}, ${row.dueClock}, ${row.dueDate},
      ${row.isCalendarConfirmed}, ${row.sealedWith}, ${row.requesterEnc}, ${row.detailsEnc},
      ${row.verificationMethod}, ${row.verificationEnc}, ${row.verifiedAt}, ${row.verifiedBy},
      ${row.isRepeat}, ${row.repeatOf}, ${row.purposeId}, ${row.createdBy}, ${row.at}, ${row.at})`);
}

export async function findRequest(
  tx: Tx,
  orgId: string,
  requestId: string,
  options: { forUpdate?: boolean } = {},
): Promise<RequestRecord | null> {
  const rows = await tx.query<StoredRequest>(sql`
    SELECT * FROM subject_requests WHERE org_id = ${orgId} AND id = ${requestId}
    ${options.forUpdate ? sql`FOR UPDATE` : sql.empty}`);
  return rows[0] ? toRequest(rows[0]) : null;
}

/** Earlier requests of one contact and type received since `since`, newest first (R-S3). */
export async function findRecentRequestsOf(
  tx: Tx,
  input: { orgId: string; contactId: string; type: RequestType; since: Date; until: Date },
): Promise<RequestRecord[]> {
  const rows = await tx.query<StoredRequest>(sql`
    SELECT * FROM subject_requests
    WHERE org_id = ${input.orgId} AND contact_id = ${input.contactId} AND type = ${input.type}
      AND received_at >= ${input.since} AND received_at <= ${input.until}
    ORDER BY received_at DESC, created_at DESC`);
  return rows.map(toRequest);
}

export const OPEN_STATUSES: readonly RequestStatus[] = [
  'received',
  'verifying',
  'in_progress',
  'extended',
];

export type RequestFilter = {
  orgId: string;
  status?: RequestStatus | 'open' | undefined;
  type?: RequestType | undefined;
  contactId?: string | undefined;
  /** Open requests whose due date is before this date. */
  overdueBefore?: string | undefined;
  limit: number;
  offset: number;
};

const EFFECTIVE_DUE = sql`COALESCE(extended_due_date, due_date)`;

function filterOf(filter: RequestFilter): SqlFragment {
  const parts: SqlFragment[] = [sql`org_id = ${filter.orgId}`];
  if (filter.status === 'open') parts.push(sql`status = ANY(${OPEN_STATUSES as string[]})`);
  else if (filter.status) parts.push(sql`status = ${filter.status}`);
  if (filter.type) parts.push(sql`type = ${filter.type}`);
  if (filter.contactId) parts.push(sql`contact_id = ${filter.contactId}`);
  if (filter.overdueBefore) {
    parts.push(sql`status = ANY(${OPEN_STATUSES as string[]})`);
    parts.push(sql`${EFFECTIVE_DUE} < ${filter.overdueBefore}::date`);
  }
  return sql.join(parts, ' AND ');
}

/** A page of requests, the most urgent first: open ones by due date, then the finished ones. */
export async function findRequestPage(
  tx: Tx,
  filter: RequestFilter,
): Promise<{ rows: RequestRecord[]; total: number }> {
  const where = filterOf(filter);
  const rows = await tx.query<StoredRequest>(sql`
    SELECT * FROM subject_requests WHERE ${where}
    ORDER BY (status = ANY(${OPEN_STATUSES as string[]})) DESC, ${EFFECTIVE_DUE} ASC,
      received_at ASC, id
    LIMIT ${filter.limit} OFFSET ${filter.offset}`);
  const [count] = await tx.query<{ n: number | string }>(
    sql`SELECT count(*) AS n FROM subject_requests WHERE ${where}`,
  );
  return { rows: rows.map(toRequest), total: toNumber(count?.n ?? 0) };
}

/** Open requests of the organization, for the reminder job. */
export async function findOpenRequests(tx: Tx, orgId: string): Promise<RequestRecord[]> {
  const rows = await tx.query<StoredRequest>(sql`
    SELECT * FROM subject_requests
    WHERE org_id = ${orgId} AND status = ANY(${OPEN_STATUSES as string[]})
    ORDER BY ${EFFECTIVE_DUE}`);
  return rows.map(toRequest);
}

export async function openRequestOrgs(tx: Tx): Promise<string[]> {
  const rows = await tx.query<{ org_id: string }>(
    sql`SELECT org_id FROM open_subject_request_orgs()`,
  );
  return rows.map((row) => row.org_id);
}

export type RequestChange = Partial<{
  contactId: string | null;
  status: RequestStatus;
  extendedDueDate: string;
  extensionDays: number;
  extensionReason: string;
  extensionNoticeChannel: NoticeChannel;
  extensionNoticeRef: string | null;
  extensionNoticeSentAt: Date;
  extensionMailId: string | null;
  verificationMethod: VerificationMethod;
  verificationEnc: Uint8Array | null;
  verifiedAt: Date | null;
  verifiedBy: string | null;
  isRepeat: boolean;
  isAnswerIncomplete: boolean;
  answerSealedWith: SealedWith;
  answerEnc: Uint8Array;
  answerChannel: NoticeChannel;
  answerRef: string | null;
  answerMailId: string | null;
  answeredAt: Date;
  outcome: Record<string, unknown>;
  closedAt: Date;
  assignedTo: string | null;
}>;

const COLUMNS: Record<keyof RequestChange, string> = {
  contactId: 'contact_id',
  status: 'status',
  extendedDueDate: 'extended_due_date',
  extensionDays: 'extension_days',
  extensionReason: 'extension_reason',
  extensionNoticeChannel: 'extension_notice_channel',
  extensionNoticeRef: 'extension_notice_ref',
  extensionNoticeSentAt: 'extension_notice_sent_at',
  extensionMailId: 'extension_mail_id',
  verificationMethod: 'verification_method',
  verificationEnc: 'verification_enc',
  verifiedAt: 'verified_at',
  verifiedBy: 'verified_by',
  isRepeat: 'is_repeat',
  isAnswerIncomplete: 'is_answer_incomplete',
  answerSealedWith: 'answer_sealed_with',
  answerEnc: 'answer_enc',
  answerChannel: 'answer_channel',
  answerRef: 'answer_ref',
  answerMailId: 'answer_mail_id',
  answeredAt: 'answered_at',
  outcome: 'outcome',
  closedAt: 'closed_at',
  assignedTo: 'assigned_to',
};

export async function updateRequest(
  tx: Tx,
  requestId: string,
  change: RequestChange,
  at: Date,
): Promise<void> {
  const sets = (Object.keys(change) as (keyof RequestChange)[]).map((key) => {
    const value = change[key];
    const column = sql.unsafeRaw(COLUMNS[key]);
    if (key === 'outcome') return sql`${column} = ${JSON.stringify(value)}::jsonb`;
    return sql`${column} = ${value ?? null}`;
  });
  sets.push(sql`updated_at = ${at}`);
  await tx.execute(
    sql`UPDATE subject_requests SET ${sql.join(sets, ', ')} WHERE id = ${requestId}`,
  );
}

/** Clears the repeat flag of the requests that repeat `requestId` (its answer was incomplete). */
export async function clearRepeatsOf(tx: Tx, requestId: string, at: Date): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(sql`
    UPDATE subject_requests SET is_repeat = false, updated_at = ${at}
    WHERE repeat_of = ${requestId} AND is_repeat RETURNING id`);
  return rows.map((row) => row.id);
}

// Events

export type EventInsert = {
  id: string;
  orgId: string;
  requestId: string;
  at: Date;
  kind: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  actorUserId: string | null;
  actorLabel: string | null;
  details: Record<string, unknown>;
  noteEnc: Uint8Array | null;
};

export function insertEvent(tx: Tx, event: EventInsert): void {
  tx.defer(sql`
    INSERT INTO subject_request_events (id, org_id, request_id, at, kind, from_status, to_status,
      actor_user_id, actor_label, details, note_enc)
    VALUES (${event.id}, ${event.orgId}, ${event.requestId}, ${event.at}, ${event.kind}, ${event.fromStatus},
      ${event.toStatus}, ${event.actorUserId}, ${event.actorLabel},
      ${JSON.stringify(event.details)}::jsonb, ${event.noteEnc})`);
}

export type EventRecord = {
  id: string;
  requestId: string;
  at: Date;
  kind: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  actorUserId: string | null;
  actorLabel: string | null;
  details: Record<string, unknown>;
  noteEnc: Uint8Array | null;
};

export async function findEvents(tx: Tx, orgId: string, requestId: string): Promise<EventRecord[]> {
  const rows = await tx.query<{
    id: string;
    request_id: string;
    at: Date;
    kind: string;
    from_status: RequestStatus | null;
    to_status: RequestStatus | null;
    actor_user_id: string | null;
    actor_label: string | null;
    details: Record<string, unknown> | string;
    note_enc: Uint8Array | null;
  }>(sql`
    SELECT id, request_id, at, kind, from_status, to_status, actor_user_id, actor_label, details,
      note_enc
    FROM subject_request_events WHERE org_id = ${orgId} AND request_id = ${requestId}
    ORDER BY seq`);
  return rows.map((row) => ({
    id: row.id,
    requestId: row.request_id,
    at: row.at,
    kind: row.kind,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    actorUserId: row.actor_user_id,
    actorLabel: row.actor_label,
    details:
      typeof row.details === 'string'
        ? (JSON.parse(row.details) as Record<string, unknown>)
        : row.details,
    noteEnc: row.note_enc,
  }));
}

// Staff notifications

export type NotificationRecord = {
  id: string;
  userId: string | null;
  kind: string;
  entityType: string;
  entityId: string;
  text: string;
  due: string | null;
  createdAt: Date;
  readAt: Date | null;
  emailedAt: Date | null;
};

type StoredNotification = {
  id: string;
  user_id: string | null;
  kind: string;
  entity_type: string;
  entity_id: string;
  text: string;
  due: string | Date | null;
  created_at: Date;
  read_at: Date | null;
  emailed_at: Date | null;
};

function toNotification(row: StoredNotification): NotificationRecord {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    entityType: row.entity_type,
    entityId: row.entity_id,
    text: row.text,
    due: dateText(row.due),
    createdAt: row.created_at,
    readAt: row.read_at,
    emailedAt: row.emailed_at,
  };
}

/** Inserts a notification unless the same one exists; returns whether it was new. */
export async function insertNotification(
  tx: Tx,
  row: {
    orgId: string;
    userId: string | null;
    kind: string;
    entityType: string;
    entityId: string;
    text: string;
    due: string | null;
    at: Date;
  },
): Promise<boolean> {
  const inserted = await tx.query<{ id: string }>(sql`
    INSERT INTO staff_notifications (org_id, user_id, kind, entity_type, entity_id, text, due,
      created_at)
    VALUES (${row.orgId}, ${row.userId}, ${row.kind}, ${row.entityType}, ${row.entityId},
      ${row.text}, ${row.due}, ${row.at})
    ON CONFLICT (org_id, entity_type, entity_id, kind, due) DO NOTHING
    RETURNING id`);
  return inserted.length > 0;
}

export async function findUnmailedNotifications(
  tx: Tx,
  orgId: string,
): Promise<NotificationRecord[]> {
  const rows = await tx.query<StoredNotification>(sql`
    SELECT * FROM staff_notifications
    WHERE org_id = ${orgId} AND emailed_at IS NULL AND read_at IS NULL
    ORDER BY created_at, id
    FOR UPDATE SKIP LOCKED`);
  return rows.map(toNotification);
}

export async function markNotificationsEmailed(
  tx: Tx,
  ids: readonly string[],
  at: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(
    sql`UPDATE staff_notifications SET emailed_at = ${at} WHERE id = ANY(${[...ids]}::uuid[])`,
  );
}

export async function findNotificationPage(
  tx: Tx,
  input: {
    orgId: string;
    userId: string | null;
    isUnreadOnly: boolean;
    limit: number;
    offset: number;
  },
): Promise<{ rows: NotificationRecord[]; total: number; unread: number }> {
  const mine = sql`org_id = ${input.orgId} AND (user_id IS NULL OR user_id = ${input.userId})`;
  const where = input.isUnreadOnly ? sql`${mine} AND read_at IS NULL` : mine;
  const rows = await tx.query<StoredNotification>(sql`
    SELECT * FROM staff_notifications WHERE ${where}
    ORDER BY (read_at IS NULL) DESC, created_at DESC, id
    LIMIT ${input.limit} OFFSET ${input.offset}`);
  const [count] = await tx.query<{ n: number | string; unread: number | string }>(sql`
    SELECT count(*) FILTER (WHERE ${where}) AS n,
      count(*) FILTER (WHERE read_at IS NULL) AS unread
    FROM staff_notifications WHERE ${mine}`);
  return {
    rows: rows.map(toNotification),
    total: toNumber(count?.n ?? 0),
    unread: toNumber(count?.unread ?? 0),
  };
}

export async function markNotificationRead(
  tx: Tx,
  input: { orgId: string; userId: string | null; id: string; at: Date },
): Promise<number> {
  return tx.execute(sql`
    UPDATE staff_notifications SET read_at = ${input.at}
    WHERE org_id = ${input.orgId} AND id = ${input.id} AND read_at IS NULL
      AND (user_id IS NULL OR user_id = ${input.userId})`);
}

export async function notificationExists(
  tx: Tx,
  input: { orgId: string; userId: string | null; id: string },
): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(sql`
    SELECT id FROM staff_notifications
    WHERE org_id = ${input.orgId} AND id = ${input.id}
      AND (user_id IS NULL OR user_id = ${input.userId})`);
  return rows.length > 0;
}
