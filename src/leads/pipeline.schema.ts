import { z } from 'zod';
import { ZPeriodQuery } from '../platform/http/params.ts';
import { ZLeadView } from './leads.schema.ts';

/** The stages every organization has; other domains move leads to them by code. */
export const SYSTEM_STAGE_CODES = [
  'new',
  'contacted',
  'booked',
  'visited',
  'paid',
  'lost',
] as const;
export type TSystemStage = (typeof SYSTEM_STAGE_CODES)[number];

export const LOST_REASONS = [
  'no_answer',
  'price',
  'chose_other',
  'not_relevant',
  'duplicate',
  'spam',
  'other',
] as const;
export type TLostReason = (typeof LOST_REASONS)[number];
export const ZLostReason = z.enum(LOST_REASONS);

const ZStageCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'stage_code');

export const ZStageView = z.object({
  code: z.string(),
  title: z.string(),
  position: z.number().int(),
  kind: z.enum(['open', 'won', 'lost']),
  isSystem: z.boolean(),
  isArchived: z.boolean(),
});
export type TStageView = z.infer<typeof ZStageView>;
export const ZStageList = z.object({ items: z.array(ZStageView) });

/** The whole list in board order: system stages must all be present; others may be added. */
export const ZSaveStagesBody = z.strictObject({
  stages: z
    .array(
      z.strictObject({
        code: ZStageCode,
        title: z.string().trim().min(1).max(60),
        isArchived: z.boolean().default(false),
      }),
    )
    .min(SYSTEM_STAGE_CODES.length)
    .max(30),
});
export type TSaveStagesBody = z.infer<typeof ZSaveStagesBody>;

export const ZMoveStageBody = z
  .strictObject({
    stage: ZStageCode,
    /** Required when the stage is "lost". */
    lostReason: ZLostReason.optional(),
  })
  .refine((body) => body.stage !== 'lost' || body.lostReason !== undefined, {
    message: 'required',
    path: ['lostReason'],
  });
export type TMoveStageBody = z.infer<typeof ZMoveStageBody>;

export const ZAssignBody = z.strictObject({ userId: z.uuid().nullable() });
export const ZLeadIdParams = z.strictObject({ id: z.uuid() });

export const ZStageEventView = z.object({
  id: z.string(),
  leadId: z.string(),
  fromStage: z.string().nullable(),
  toStage: z.string(),
  at: z.string(),
  /** Seconds the lead spent in fromStage. */
  durationSeconds: z.number(),
  lostReason: z.string().nullable(),
  cause: z.string(),
  actorUserId: z.string().nullable(),
});
export type TStageEventView = z.infer<typeof ZStageEventView>;
export const ZStageEventList = z.object({ items: z.array(ZStageEventView) });

export const ZBoardQuery = z.strictObject({
  perStage: z.coerce.number().int().min(1).max(100).default(20),
  assignee: z.uuid().optional(),
  source: z.string().max(200).optional(),
});
export type TBoardQuery = z.infer<typeof ZBoardQuery>;

export const ZBoard = z.object({
  columns: z.array(
    z.object({ stage: ZStageView, total: z.number().int(), items: z.array(ZLeadView) }),
  ),
});
export type TBoard = z.infer<typeof ZBoard>;

export const ZPipelineReportQuery = z.strictObject({ ...ZPeriodQuery });
export const ZPipelineReport = z.object({
  from: z.string(),
  to: z.string(),
  firstResponse: z.object({
    leads: z.number().int(),
    answered: z.number().int(),
    avgSeconds: z.number().nullable(),
    medianSeconds: z.number().nullable(),
  }),
  stageDurations: z.array(
    z.object({
      stage: z.string(),
      count: z.number().int(),
      avgSeconds: z.number(),
      medianSeconds: z.number(),
    }),
  ),
});
export type TPipelineReport = z.infer<typeof ZPipelineReport>;
