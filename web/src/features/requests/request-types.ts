import type { I18n } from '../../i18n/i18n-context.tsx';

export const REQUEST_TYPES = [
  'access',
  'correction',
  'withdrawal',
  'stop',
  'deletion',
  'rkn',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const REQUEST_STATUSES = [
  'received',
  'verifying',
  'in_progress',
  'extended',
  'answered',
  'refused',
  'closed',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const SOURCES = ['portal', 'phone', 'paper', 'email', 'staff'] as const;
export const INTAKE_SOURCES = ['phone', 'paper', 'email', 'staff'] as const;
export const JURISDICTIONS = ['ru', 'gdpr', 'both'] as const;
export const VERIFICATION_METHODS = [
  'document',
  'signed_email',
  'esign',
  'portal_code',
  'in_person',
  'none',
] as const;
export const NOTICE_CHANNELS = ['email', 'paper', 'phone', 'portal'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export type RequestSummary = {
  id: string;
  reference: string;
  contactId: string | null;
  subjectName: string | null;
  type: RequestType;
  source: string;
  jurisdiction: string;
  status: RequestStatus;
  receivedAt: string;
  dueDate: string;
  effectiveDueDate: string;
  workingDaysLeft: number | null;
  isOverdue: boolean;
  isRepeat: boolean;
  isCalendarConfirmed: boolean;
  assignedTo: string | null;
};

export type RequestEvent = {
  id: string;
  at: string;
  kind: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  actor: { userId: string | null; label: string | null };
  details: Record<string, unknown>;
  note: string | null;
};

export type RequestDetail = RequestSummary & {
  clock: { type: string; basis: string; isExtendable: boolean };
  purposeId: string | null;
  personalDataState: 'shown' | 'hidden' | 'shredded';
  requester: {
    name: string | null;
    email: string | null;
    phone: string | null;
    address: string | null;
  } | null;
  details: string | null;
  sourceRef: string | null;
  verification: {
    method: string;
    documentNumber: string | null;
    documentIssuer: string | null;
    documentIssuedOn: string | null;
    relationship: string | null;
    verifiedAt: string | null;
    verifiedBy: string | null;
  };
  extension: {
    byWorkingDays: number;
    reason: string;
    dueDate: string;
    noticeChannel: NoticeChannel;
    noticeRef: string | null;
    noticeSentAt: string;
    mailId: string | null;
  } | null;
  repeatOf: string | null;
  isAnswerIncomplete: boolean;
  answer: {
    text: string | null;
    channel: NoticeChannel | null;
    reference: string | null;
    mailId: string | null;
    at: string;
  } | null;
  outcome: Record<string, unknown>;
  closedAt: string | null;
  events: RequestEvent[];
};

export type Reminder = {
  id: string;
  kind: string;
  entityType: string;
  entityId: string;
  text: string;
  due: string | null;
  createdAt: string;
  readAt: string | null;
};

export function requestPath(id: string): string {
  return `/requests/${id}`;
}

export const OPEN_STATUSES: readonly RequestStatus[] = [
  'received',
  'verifying',
  'in_progress',
  'extended',
];

export const STATUS_COLOR: Record<RequestStatus, string> = {
  received: 'blue',
  verifying: 'grape',
  in_progress: 'cyan',
  extended: 'orange',
  answered: 'teal',
  refused: 'gray',
  closed: 'gray',
};

/** Urgency of a due date (overdue red, ≤ 2 working days orange, else none). */
export function urgencyColor(request: RequestSummary): string | undefined {
  if (!OPEN_STATUSES.includes(request.status)) return undefined;
  if (request.isOverdue) return 'red';
  if (request.workingDaysLeft !== null && request.workingDaysLeft <= 2) return 'orange';
  return undefined;
}

export const typeLabel = (i18n: I18n, value: RequestType) => i18n.t(`requests.type.${value}`);
export const statusLabel = (i18n: I18n, value: RequestStatus) => i18n.t(`requests.status.${value}`);
export const sourceLabel = (i18n: I18n, value: string) =>
  (SOURCES as readonly string[]).includes(value)
    ? i18n.t(`requests.source.${value as (typeof SOURCES)[number]}`)
    : value;
export const jurisdictionLabel = (i18n: I18n, value: string) =>
  (JURISDICTIONS as readonly string[]).includes(value)
    ? i18n.t(`requests.jurisdiction.${value as (typeof JURISDICTIONS)[number]}`)
    : value;
export const methodLabel = (i18n: I18n, value: string) =>
  (VERIFICATION_METHODS as readonly string[]).includes(value)
    ? i18n.t(`requests.method.${value as (typeof VERIFICATION_METHODS)[number]}`)
    : value;
export const channelLabel = (i18n: I18n, value: string) =>
  (NOTICE_CHANNELS as readonly string[]).includes(value)
    ? i18n.t(`requests.channel.${value as NoticeChannel}`)
    : value;
export const EVENT_KINDS = [
  'received',
  'assigned',
  'verified',
  'extended',
  'answered',
  'refused',
  'closed',
  'processing_stopped',
  'answer_incomplete',
  'repeat_cleared',
] as const;
export const eventLabel = (i18n: I18n, value: string) =>
  (EVENT_KINDS as readonly string[]).includes(value)
    ? i18n.t(`requests.event.${value as (typeof EVENT_KINDS)[number]}`)
    : value;

/** 'YYYY-MM-DD' shown as a local date without a time zone shift. */
export function dateOnly(i18n: I18n, date: string): string {
  return i18n.formatDate(`${date}T12:00:00Z`);
}
