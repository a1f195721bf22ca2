import { z } from 'zod';
import { pageOf, ZPageQuery } from '../platform/http/params.ts';

export const ZLeadQuery = z.strictObject({
  ...ZPageQuery,
  source: z.string().max(200).optional(),
  /** A pipeline stage code. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .optional(),
  /** Leads assigned to this member; "none" for unassigned ones. */
  assignee: z.union([z.uuid(), z.literal('none')]).optional(),
});
export type TLeadQuery = z.infer<typeof ZLeadQuery>;

export const ZLeadView = z.object({
  id: z.string(),
  status: z.string(),
  source: z.string(),
  attribution: z.record(z.string(), z.string()),
  formId: z.string().nullable(),
  createdAt: z.string(),
  assigneeUserId: z.string().nullable(),
  lostReason: z.string().nullable(),
  stageChangedAt: z.string().nullable(),
  firstResponseAt: z.string().nullable(),
  contactId: z.string(),
  /** Null for roles that work on de-identified data (marketers). */
  contact: z
    .object({
      id: z.string(),
      name: z.string().nullable(),
      phone: z.string().nullable(),
      email: z.string().nullable(),
    })
    .nullable(),
});
export type TLeadView = z.infer<typeof ZLeadView>;
export const ZLeadPage = pageOf(ZLeadView);
