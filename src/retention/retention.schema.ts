import { z } from 'zod';
import { pageOf, ZPageQuery, ZUuid } from '../platform/http/params.ts';

export const TASK_REASONS = [
  'consent_withdrawn',
  'purpose_achieved',
  'term_ended',
  'request',
  'unlawful',
] as const;
export const TASK_STATUSES = ['pending', 'done', 'kept_other_basis', 'held', 'cancelled'] as const;

/**
 * "Purpose achieved" triggers (R-D3), data-driven: each kind says what it watches and whether it
 * takes a number of days. The run turns a fired trigger into a destruction task due 30 days later.
 */
export const TRIGGER_KINDS = {
  /** Every lead of the subject is closed as lost (leads.status = 'lost'). */
  lead_lost: { hasDays: false },
  /** No activity of the subject (lead, submission, consent event, basis) for `days` days. */
  no_activity_days: { hasDays: true },
} as const;
export type TriggerKind = keyof typeof TRIGGER_KINDS;
const TRIGGER_KIND_NAMES = Object.keys(TRIGGER_KINDS) as [TriggerKind, ...TriggerKind[]];

const ZPurposeCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'Latin lower case, digits and _');

export const ZPurposeCodeParams = z.strictObject({ purposeCode: ZPurposeCode });
export const ZHoldIdParams = z.strictObject({ holdId: ZUuid });
export const ZActIdParams = z.strictObject({ actId: ZUuid });
export const ZBasisIdParams = z.strictObject({ basisId: ZUuid });

export const ZTrigger = z.strictObject({
  kind: z.enum(TRIGGER_KIND_NAMES),
  days: z.number().int().min(1).max(36_500).nullable().default(null),
});
export type TTrigger = z.infer<typeof ZTrigger>;

export const ZTriggersBody = z
  .strictObject({ triggers: z.array(ZTrigger).max(TRIGGER_KIND_NAMES.length) })
  .superRefine((body, context) => {
    const seen = new Set<string>();
    body.triggers.forEach((trigger, index) => {
      if (seen.has(trigger.kind)) {
        context.addIssue({
          code: 'custom',
          path: ['triggers', index, 'kind'],
          message: 'Repeated',
        });
      }
      seen.add(trigger.kind);
      if (TRIGGER_KINDS[trigger.kind].hasDays !== (trigger.days !== null)) {
        context.addIssue({
          code: 'custom',
          path: ['triggers', index, 'days'],
          message: TRIGGER_KINDS[trigger.kind].hasDays ? 'Days are required' : 'Takes no days',
        });
      }
    });
  });
export type TTriggersBody = z.infer<typeof ZTriggersBody>;

export const ZPurposeRetention = z.object({
  purposeId: z.string(),
  code: z.string(),
  title: z.string(),
  kind: z.string(),
  legalBasis: z.string(),
  retentionDays: z.number().int(),
  isArchived: z.boolean(),
  triggers: z.array(z.object({ kind: z.enum(TRIGGER_KIND_NAMES), days: z.number().nullable() })),
});
export type TPurposeRetention = z.infer<typeof ZPurposeRetention>;
export const ZPurposeRetentionList = z.object({ items: z.array(ZPurposeRetention) });

// Legal holds

export const ZHoldBody = z.strictObject({
  /** Null or absent: the hold covers every subject of the organization. */
  contactId: ZUuid.nullable().default(null),
  reason: z.string().trim().min(3).max(1000),
  untilDate: z.iso.date().nullable().default(null),
});
export type THoldBody = z.infer<typeof ZHoldBody>;

export const ZReleaseBody = z.strictObject({ reason: z.string().trim().min(3).max(1000) });
export type TReleaseBody = z.infer<typeof ZReleaseBody>;

export const ZHold = z.object({
  id: z.string(),
  contactId: z.string().nullable(),
  reason: z.string(),
  untilAt: z.string().nullable(),
  isActive: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  releasedAt: z.string().nullable(),
  releaseReason: z.string().nullable(),
});
export type THold = z.infer<typeof ZHold>;
export const ZHoldQuery = z.strictObject({
  ...ZPageQuery,
  isActive: z.enum(['true', 'false']).optional(),
});
export type THoldQuery = z.infer<typeof ZHoldQuery>;
export const ZHoldPage = pageOf(ZHold);

// Bases other than consent

export const ZBasisBody = z.strictObject({
  contactId: ZUuid,
  purposeCode: ZPurposeCode,
  reference: z.string().trim().min(1).max(200).nullable().default(null),
});
export type TBasisBody = z.infer<typeof ZBasisBody>;
export const ZBasisQuery = z.strictObject({ contactId: ZUuid });
export const ZBasis = z.object({
  id: z.string(),
  contactId: z.string(),
  purposeCode: z.string(),
  legalBasis: z.string(),
  reference: z.string().nullable(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  endedAt: z.string().nullable(),
  termEndsAt: z.string(),
});
export type TBasis = z.infer<typeof ZBasis>;
export const ZBasisList = z.object({ items: z.array(ZBasis) });

// Tasks, runs, acts

export const ZTaskQuery = z.strictObject({
  ...ZPageQuery,
  status: z.enum(TASK_STATUSES).optional(),
  contactId: ZUuid.optional(),
});
export type TTaskQuery = z.infer<typeof ZTaskQuery>;
export const ZTask = z.object({
  id: z.string(),
  contactId: z.string(),
  purposeCode: z.string().nullable(),
  reason: z.enum(TASK_REASONS),
  sourceRef: z.string().nullable(),
  receivedAt: z.string(),
  dueAt: z.string(),
  status: z.enum(TASK_STATUSES),
  outcome: z.record(z.string(), z.unknown()),
  actId: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type TTask = z.infer<typeof ZTask>;
export const ZTaskPage = pageOf(ZTask);

/** preview: a dry run that lists who would be destroyed and changes nothing; execute: destroy. */
export const ZRunBody = z.strictObject({ mode: z.enum(['preview', 'execute']) });
export const ZPlannedSubject = z.object({
  contactId: z.string(),
  /** The name before destruction, for the privacy officer's check (the read is logged). */
  name: z.string().nullable(),
  decision: z.enum(['destroy', 'held', 'kept_other_basis', 'cancelled']),
  reasons: z.array(z.enum(TASK_REASONS)),
  keptFor: z.array(z.string()),
  dueAt: z.string(),
});
export const ZRunResult = z.object({
  runId: z.string().nullable(),
  isDryRun: z.boolean(),
  at: z.string(),
  subjects: z.array(ZPlannedSubject),
  destroyed: z.number().int(),
  held: z.number().int(),
  kept: z.number().int(),
  actId: z.string().nullable(),
  actNumber: z.number().int().nullable(),
  actsPurged: z.number().int(),
});
export type TRunResult = z.infer<typeof ZRunResult>;

export const ZRun = z.object({
  id: z.string(),
  startedAt: z.string(),
  actor: z.string(),
  destroyed: z.number().int(),
  kept: z.number().int(),
  held: z.number().int(),
  actsPurged: z.number().int(),
  actId: z.string().nullable(),
});
export const ZRunPage = pageOf(ZRun);
export const ZListQuery = z.strictObject({ ...ZPageQuery });
export type TListQuery = z.infer<typeof ZListQuery>;

export const ZActSummary = z.object({
  id: z.string(),
  number: z.number().int(),
  destroyedAt: z.string(),
  subjectsCount: z.number().int(),
  categories: z.array(z.string()),
  reasons: z.array(z.string()),
  keepUntil: z.string(),
});
export const ZActPage = pageOf(ZActSummary);

const ZPerson = z.object({ name: z.string(), position: z.string(), signature: z.string() });

/** Everything RKN Order No. 179 asks of an act and of the event-log extract (R-D6). */
export const ZActContent = z.object({
  number: z.number().int(),
  date: z.string(),
  operator: z.object({
    name: z.string(),
    address: z.string(),
    inn: z.string().nullable(),
    ogrn: z.string().nullable(),
  }),
  processors: z.array(z.object({ name: z.string(), address: z.string() })),
  subjects: z.array(
    z.object({
      contactId: z.string(),
      name: z.string().nullable(),
      phone: z.string().nullable(),
      email: z.string().nullable(),
    }),
  ),
  destroyedBy: z.array(ZPerson),
  categories: z.array(z.string()),
  informationSystem: z.string(),
  method: z.string(),
  reasons: z.array(z.object({ code: z.string(), text: z.string(), subjects: z.number().int() })),
  extract: z.object({
    informationSystem: z.string(),
    generatedAt: z.string(),
    entries: z.array(
      z.object({
        contactId: z.string(),
        subject: z.string(),
        categories: z.array(z.string()),
        reason: z.string(),
        destroyedAt: z.string(),
        operations: z.array(
          z.object({ table: z.string(), action: z.string(), rows: z.number().int() }),
        ),
      }),
    ),
  }),
});
export type TActContent = z.infer<typeof ZActContent>;

export const ZAct = ZActSummary.extend({
  content: ZActContent,
  contentSha256: z.string(),
  signature: z.string(),
  publicKey: z.string(),
  isSignatureValid: z.boolean(),
});
export type TAct = z.infer<typeof ZAct>;
