import { z } from 'zod';
import { pageOf, ZPageQuery, ZUuid } from '../platform/http/params.ts';

export const INCIDENT_KINDS = [
  'leak',
  'unlawful_processing',
  'unauthorized_access',
  'loss',
  'other',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const INCIDENT_STATUSES = ['open', 'notified', 'investigated', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * The steps an incident's clocks wait for: the 24 h notice and 72 h report to Roskomnadzor
 * (R-D7), the GDPR notice to the supervisory authority (R-G5), and for unlawful processing
 * stopping it (3 wd) and destroying the data (10 wd, R-D2).
 */
export const INCIDENT_STEPS = [
  'notice24h',
  'report72h',
  'gdprNotice',
  'processingStopped',
  'dataDestroyed',
] as const;
export type IncidentStep = (typeof INCIDENT_STEPS)[number];

const ZText = (max: number) => z.string().trim().min(1).max(max);
const ZInstant = z.iso.datetime({ offset: true });

const ZEditableFields = {
  title: ZText(300).describe('Plain text: do not name people in the title'),
  kind: z.enum(INCIDENT_KINDS),
  detectedAt: ZInstant.describe('When the operator found out; the clocks count from here'),
  description: ZText(10_000).nullable(),
  causes: ZText(10_000).nullable(),
  harm: ZText(10_000).nullable(),
  measures: ZText(10_000).nullable(),
  contactPerson: ZText(1000).nullable(),
  investigation: ZText(20_000).nullable(),
  responsiblePersons: ZText(5000).nullable(),
  affectedSubjectsCount: z.number().int().min(0).max(1_000_000_000).nullable(),
  affectedCategories: z.array(ZText(200)).max(50),
  gdprApplies: z.boolean(),
};

export const ZCreateIncidentBody = z.strictObject({
  title: ZEditableFields.title,
  kind: ZEditableFields.kind,
  detectedAt: ZEditableFields.detectedAt,
  description: ZEditableFields.description.optional(),
  causes: ZEditableFields.causes.optional(),
  harm: ZEditableFields.harm.optional(),
  measures: ZEditableFields.measures.optional(),
  contactPerson: ZEditableFields.contactPerson.optional(),
  affectedSubjectsCount: ZEditableFields.affectedSubjectsCount.optional(),
  affectedCategories: ZEditableFields.affectedCategories.default([]),
  gdprApplies: ZEditableFields.gdprApplies.default(false),
});
export type TCreateIncidentBody = z.infer<typeof ZCreateIncidentBody>;

export const ZUpdateIncidentBody = z
  .strictObject({
    title: ZEditableFields.title.optional(),
    kind: ZEditableFields.kind.optional(),
    detectedAt: ZEditableFields.detectedAt.optional(),
    description: ZEditableFields.description.optional(),
    causes: ZEditableFields.causes.optional(),
    harm: ZEditableFields.harm.optional(),
    measures: ZEditableFields.measures.optional(),
    contactPerson: ZEditableFields.contactPerson.optional(),
    investigation: ZEditableFields.investigation.optional(),
    responsiblePersons: ZEditableFields.responsiblePersons.optional(),
    affectedSubjectsCount: ZEditableFields.affectedSubjectsCount.optional(),
    affectedCategories: ZEditableFields.affectedCategories.optional(),
    gdprApplies: ZEditableFields.gdprApplies.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });
export type TUpdateIncidentBody = z.infer<typeof ZUpdateIncidentBody>;

export const ZRecordStepBody = z.strictObject({
  step: z.enum(INCIDENT_STEPS),
  at: ZInstant.describe('When it was sent or done; not before detection, not in the future'),
  evidence: ZText(1000).describe(
    'Where the proof is: the portal’s incoming number, a letter’s registration number, a file',
  ),
});
export type TRecordStepBody = z.infer<typeof ZRecordStepBody>;

export const ZLinkRecordsBody = z
  .strictObject({
    contactIds: z.array(ZUuid).max(500).default([]),
    accessLogIds: z
      .array(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER))
      .max(500)
      .default([]),
  })
  .refine((body) => body.contactIds.length + body.accessLogIds.length > 0, {
    message: 'Name at least one contact or access-log entry',
  });
export type TLinkRecordsBody = z.infer<typeof ZLinkRecordsBody>;

export const ZCloseIncidentBody = z.strictObject({
  resolution: ZText(5000),
});
export type TCloseIncidentBody = z.infer<typeof ZCloseIncidentBody>;

export const ZIncidentParams = z.strictObject({ incidentId: ZUuid });
export const ZIncidentRecordParams = z.strictObject({ incidentId: ZUuid, recordId: ZUuid });

export const NOTICE_DOCUMENTS = ['notice-24h', 'report-72h'] as const;
export type NoticeDocument = (typeof NOTICE_DOCUMENTS)[number];
export const ZNoticeParams = z.strictObject({
  incidentId: ZUuid,
  document: z.enum(NOTICE_DOCUMENTS),
});
export const ZNoticeQuery = z.strictObject({
  download: z.enum(['0', '1', 'true', 'false']).optional(),
});

export const ZIncidentQuery = z.strictObject({
  ...ZPageQuery,
  status: z.enum([...INCIDENT_STATUSES, 'active']).optional(),
  kind: z.enum(INCIDENT_KINDS).optional(),
  isOverdue: z.enum(['true', 'false']).optional(),
});
export type TIncidentQuery = z.infer<typeof ZIncidentQuery>;

/** One clock: pending until due, overdue after it, done when its step is recorded. */
export const ZIncidentClock = z.object({
  step: z.enum(INCIDENT_STEPS),
  /** The clock engine's name (src/subject-requests/clock.ts). */
  clock: z.string(),
  basis: z.string(),
  dueAt: z.string(),
  /** For working-day clocks: the last Moscow day. */
  dueDate: z.string().nullable(),
  doneAt: z.string().nullable(),
  evidence: z.string().nullable(),
  state: z.enum(['pending', 'overdue', 'done', 'done_late', 'missed']),
});
export type TIncidentClock = z.infer<typeof ZIncidentClock>;

export const ZIncidentSummary = z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  status: z.enum(INCIDENT_STATUSES),
  detectedAt: z.string(),
  gdprApplies: z.boolean(),
  affectedSubjectsCount: z.number().int().nullable(),
  clocks: z.array(ZIncidentClock),
  /** The nearest clock still running or overdue; null when every one is done or closed. */
  nextClock: ZIncidentClock.nullable(),
  isOverdue: z.boolean(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TIncidentSummary = z.infer<typeof ZIncidentSummary>;
export const ZIncidentPage = pageOf(ZIncidentSummary);

export const ZIncidentRecord = z.object({
  id: z.string(),
  type: z.enum(['contact', 'access_log']),
  contactId: z.string().nullable(),
  accessLogId: z.number().int().nullable(),
  /** For an access-log entry: what it logged. */
  accessEntry: z
    .object({
      at: z.string(),
      subjectType: z.string(),
      subjectId: z.string(),
      reason: z.string(),
      actorUserId: z.string().nullable(),
    })
    .nullable(),
  createdAt: z.string(),
});
export type TIncidentRecord = z.infer<typeof ZIncidentRecord>;

export const ZIncidentEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({
    type: z.enum(['user', 'token', 'system']),
    id: z.string().nullable(),
    label: z.string(),
  }),
  action: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type TIncidentEvent = z.infer<typeof ZIncidentEvent>;

export const ZIncidentDetail = ZIncidentSummary.extend({
  description: z.string().nullable(),
  causes: z.string().nullable(),
  harm: z.string().nullable(),
  measures: z.string().nullable(),
  contactPerson: z.string().nullable(),
  investigation: z.string().nullable(),
  responsiblePersons: z.string().nullable(),
  affectedCategories: z.array(z.string()),
  resolution: z.string().nullable(),
  records: z.array(ZIncidentRecord),
  events: z.array(ZIncidentEvent),
  updatedAt: z.string(),
});
export type TIncidentDetail = z.infer<typeof ZIncidentDetail>;

export const ZIncidentOverview = z.object({
  openCount: z.number().int(),
  overdueCount: z.number().int(),
  /** Open incidents, the most urgent first (at most 5). */
  items: z.array(ZIncidentSummary),
});
export type TIncidentOverview = z.infer<typeof ZIncidentOverview>;
