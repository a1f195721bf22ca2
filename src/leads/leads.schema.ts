import { z } from 'zod';
import { pageOf, ZPageQuery } from '../platform/http/params.ts';

export const ZLeadQuery = z.strictObject({
  ...ZPageQuery,
  source: z.string().max(200).optional(),
});
export type TLeadQuery = z.infer<typeof ZLeadQuery>;

export const ZLeadView = z.object({
  id: z.string(),
  status: z.string(),
  source: z.string(),
  attribution: z.record(z.string(), z.string()),
  formId: z.string().nullable(),
  createdAt: z.string(),
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
