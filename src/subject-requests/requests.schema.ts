import { z } from 'zod';
import { pageOf, ZPageQuery, ZUuid } from '../platform/http/params.ts';

export const REQUEST_TYPES = [
  'access',
  'correction',
  'withdrawal',
  'stop',
  'deletion',
  'rkn',
] as const;
export const REQUEST_SOURCES = ['portal', 'phone', 'paper', 'email', 'staff'] as const;
export const JURISDICTIONS = ['ru', 'gdpr', 'both'] as const;
export const REQUEST_STATUSES = [
  'received',
  'verifying',
  'in_progress',
  'extended',
  'answered',
  'refused',
  'closed',
] as const;
export const VERIFICATION_METHODS = [
  'document',
  'signed_email',
  'esign',
  'portal_code',
  'in_person',
  'none',
] as const;
export const NOTICE_CHANNELS = ['email', 'paper', 'phone', 'portal'] as const;

const ZText = (max: number) => z.string().trim().min(1).max(max);
const ZIsoDate = z.iso.date();

/** The person who asked, as they gave themselves; personal data, stored sealed. */
export const ZRequester = z.strictObject({
  name: ZText(300).optional(),
  email: z.string().trim().max(254).pipe(z.email()).optional(),
  phone: ZText(50).optional(),
  address: ZText(500).optional(),
});
export type TRequester = z.infer<typeof ZRequester>;

/**
 * How identity was checked (152-FZ Art. 14 p.3, R-S3): the ID document's number, issuer and
 * date, and what confirms the relationship with the operator (a contract or an appointment).
 */
export const ZVerificationBody = z.strictObject({
  method: z.enum(VERIFICATION_METHODS),
  documentNumber: ZText(100).optional(),
  documentIssuer: ZText(300).optional(),
  documentIssuedOn: ZIsoDate.optional(),
  relationship: ZText(500).optional(),
  note: ZText(2000).optional(),
});
export type TVerificationBody = z.infer<typeof ZVerificationBody>;

/** Staff intake of a request that came by phone, on paper (scan reference) or by email. */
export const ZIntakeBody = z.strictObject({
  contactId: ZUuid.optional(),
  type: z.enum(REQUEST_TYPES),
  source: z.enum(['phone', 'paper', 'email', 'staff']),
  jurisdiction: z.enum(JURISDICTIONS).default('ru'),
  /** When the request was received; now when left out. */
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  purposeCode: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .optional(),
  requester: ZRequester.optional(),
  details: ZText(5000).optional(),
  /** The paper scan, the email message id or the call recording. */
  sourceRef: ZText(500).optional(),
  verification: ZVerificationBody.optional(),
});
export type TIntakeBody = z.infer<typeof ZIntakeBody>;

export const ZRequestQuery = z.strictObject({
  ...ZPageQuery,
  status: z.enum([...REQUEST_STATUSES, 'open']).optional(),
  type: z.enum(REQUEST_TYPES).optional(),
  contactId: ZUuid.optional(),
  isOverdue: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
export type TRequestQuery = z.infer<typeof ZRequestQuery>;

export const ZRequestParams = z.strictObject({ requestId: ZUuid });

export const ZAssignBody = z.strictObject({ userId: ZUuid.nullable() });

export const ZNoticeBody = z.discriminatedUnion('channel', [
  /** Mailed to the subject's address on record, from the queue. */
  z.strictObject({ channel: z.literal('email') }),
  /** Sent by post, told by phone or posted to the portal: the reference proves it. */
  z.strictObject({ channel: z.enum(['paper', 'phone', 'portal']), reference: ZText(500) }),
]);

export const ZExtendBody = z.strictObject({
  byWorkingDays: z.number().int().min(1).max(100),
  reason: z.string().max(2000),
  notice: ZNoticeBody.optional(),
  /** The notice text; the generated one when left out. */
  noticeText: ZText(20_000).optional(),
});
export type TExtendBody = z.infer<typeof ZExtendBody>;

export const ZAnswerBody = z.strictObject({
  text: ZText(100_000),
  delivery: ZNoticeBody,
  /** Correction: which fields were corrected and how (no personal data in the field names). */
  correctionNote: ZText(2000).optional(),
});
export type TAnswerBody = z.infer<typeof ZAnswerBody>;

export const ZRefuseBody = z.strictObject({
  motivation: ZText(5000),
  text: ZText(100_000).optional(),
  delivery: ZNoticeBody,
});
export type TRefuseBody = z.infer<typeof ZRefuseBody>;

export const ZNoteBody = z.strictObject({ note: ZText(2000).optional() });

export const ZDraftQuery = z.strictObject({
  kind: z.enum(['answer', 'refusal', 'extension']).default('answer'),
  motivation: ZText(5000).optional(),
  reason: ZText(2000).optional(),
  byWorkingDays: z.coerce.number().int().min(1).max(5).optional(),
});
export type TDraftQuery = z.infer<typeof ZDraftQuery>;

export const ZDownloadQuery = z.strictObject({ format: z.enum(['txt', 'html']).default('txt') });

export const ZRequestSummary = z.object({
  id: z.string(),
  reference: z.string(),
  contactId: z.string().nullable(),
  /** The person's name, for roles that read contacts; null otherwise or when unknown. */
  subjectName: z.string().nullable(),
  type: z.enum(REQUEST_TYPES),
  source: z.enum(REQUEST_SOURCES),
  jurisdiction: z.enum(JURISDICTIONS),
  status: z.enum(REQUEST_STATUSES),
  receivedAt: z.string(),
  dueDate: z.string(),
  /** The due date in force: the extended one after an extension. */
  effectiveDueDate: z.string(),
  /** Working days left until the due date (negative once overdue); null when finished. */
  workingDaysLeft: z.number().int().nullable(),
  isOverdue: z.boolean(),
  isRepeat: z.boolean(),
  isCalendarConfirmed: z.boolean(),
  assignedTo: z.string().nullable(),
});
export type TRequestSummary = z.infer<typeof ZRequestSummary>;
export const ZRequestPage = pageOf(ZRequestSummary);

export const ZRequestEvent = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string(),
  fromStatus: z.enum(REQUEST_STATUSES).nullable(),
  toStatus: z.enum(REQUEST_STATUSES).nullable(),
  actor: z.object({ userId: z.string().nullable(), label: z.string().nullable() }),
  details: z.record(z.string(), z.unknown()),
  note: z.string().nullable(),
});

export const ZRequestDetail = ZRequestSummary.extend({
  clock: z.object({ type: z.string(), basis: z.string(), isExtendable: z.boolean() }),
  purposeId: z.string().nullable(),
  /** 'shown'; 'hidden' for roles that see the queue only; 'shredded' once the key is destroyed. */
  personalDataState: z.enum(['shown', 'hidden', 'shredded']),
  requester: z
    .object({
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      address: z.string().nullable(),
    })
    .nullable(),
  details: z.string().nullable(),
  sourceRef: z.string().nullable(),
  verification: z.object({
    method: z.enum(VERIFICATION_METHODS),
    documentNumber: z.string().nullable(),
    documentIssuer: z.string().nullable(),
    documentIssuedOn: z.string().nullable(),
    relationship: z.string().nullable(),
    verifiedAt: z.string().nullable(),
    verifiedBy: z.string().nullable(),
  }),
  extension: z
    .object({
      byWorkingDays: z.number().int(),
      reason: z.string(),
      dueDate: z.string(),
      noticeChannel: z.enum(NOTICE_CHANNELS),
      noticeRef: z.string().nullable(),
      noticeSentAt: z.string(),
      mailId: z.string().nullable(),
    })
    .nullable(),
  repeatOf: z.string().nullable(),
  isAnswerIncomplete: z.boolean(),
  answer: z
    .object({
      text: z.string().nullable(),
      channel: z.enum(NOTICE_CHANNELS).nullable(),
      reference: z.string().nullable(),
      mailId: z.string().nullable(),
      at: z.string(),
    })
    .nullable(),
  outcome: z.record(z.string(), z.unknown()),
  closedAt: z.string().nullable(),
  events: z.array(ZRequestEvent),
});
export type TRequestDetail = z.infer<typeof ZRequestDetail>;

export const ZCreatedRequest = z.object({
  id: z.string(),
  dueDate: z.string(),
  isRepeat: z.boolean(),
});

export const ZDraft = z.object({ kind: z.string(), text: z.string() });

export const ZNotification = z.object({
  id: z.string(),
  kind: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  text: z.string(),
  due: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const ZNotificationPage = pageOf(ZNotification).extend({ unread: z.number().int() });
export const ZNotificationQuery = z.strictObject({
  ...ZPageQuery,
  isUnreadOnly: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
export const ZNotificationParams = z.strictObject({ notificationId: ZUuid });
