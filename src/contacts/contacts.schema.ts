import { z } from 'zod';
import { pageOf, ZPageQuery } from '../platform/http/params.ts';

export const ZContactView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  /** True once the subject's key was destroyed: the data is gone for good. */
  isShredded: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TContactView = z.infer<typeof ZContactView>;

export const ZContactQuery = z.strictObject({
  ...ZPageQuery,
  /** A phone number or an email, matched exactly through the blind indexes. */
  q: z.string().trim().max(200).optional(),
});
export type TContactQuery = z.infer<typeof ZContactQuery>;

export const ZContactPage = pageOf(ZContactView);
export const ZContactIdParams = z.strictObject({ id: z.uuid() });
