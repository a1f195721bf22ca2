import { z } from 'zod';

const ZCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);
const ZDate = z.iso.date();

/** A segment's filters: every one given must hold (AND). Lists match any of their values. */
export const ZSegmentFilters = z.strictObject({
  hasEmail: z.boolean().optional(),
  hasPhone: z.boolean().optional(),
  /** Lead stage (leads.status) of any of the contact's leads. */
  leadStatuses: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  /** Lead source (leads.source) of any of the contact's leads. */
  leadSources: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
  /** Date of the contact's latest submission or lead (the last visit), inclusive, UTC days. */
  lastActivityFrom: ZDate.optional(),
  lastActivityTo: ZDate.optional(),
  /** Where the contact stands for a purpose in the consent journal. */
  consent: z
    .strictObject({
      purposeCode: ZCode,
      state: z.enum(['given', 'withdrawn', 'expired', 'none']),
    })
    .optional(),
  /**
   * Contacts who gave a consent covering one of these data categories (for example health).
   * A special category never serves an advertising purpose (R-C5).
   */
  dataCategories: z.array(ZCode).max(20).optional(),
});
export type TSegmentFilters = z.infer<typeof ZSegmentFilters>;

export const ZSegmentBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  purposeCode: ZCode,
  filters: ZSegmentFilters,
});
export type TSegmentBody = z.infer<typeof ZSegmentBody>;

export const ZSegment = z.object({
  id: z.string(),
  name: z.string(),
  purposeCode: z.string(),
  purposeTitle: z.string(),
  purposeKind: z.string(),
  filters: ZSegmentFilters,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TSegment = z.infer<typeof ZSegment>;

export const ZSegmentList = z.object({ items: z.array(ZSegment) });

export const ZSegmentParams = z.strictObject({ segmentId: z.uuid() });

export const ZPreviewQuery = z.strictObject({
  channel: z.enum(['email', 'sms']).default('email'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TPreviewQuery = z.infer<typeof ZPreviewQuery>;

/** Who is in and who is left out, and why: counts per gate reason and a page of those in. */
export const ZAudiencePreview = z.object({
  matched: z.number(),
  included: z.number(),
  excluded: z.record(z.string(), z.number()),
  items: z.array(
    z.object({
      contactId: z.string(),
      /** Shown to roles that read contacts; marketers get de-identified rows (R-C5). */
      name: z.string().nullable(),
      consentEntryId: z.string().nullable(),
    }),
  ),
  page: z.number(),
  pageSize: z.number(),
});
export type TAudiencePreview = z.infer<typeof ZAudiencePreview>;
