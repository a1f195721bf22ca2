import { z } from 'zod';
import { pageOf, ZPageQuery } from '../platform/http/params.ts';

export const ZContactView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  /** True once the subject's key was destroyed: the data is gone for good. */
  isShredded: z.boolean(),
  /**
   * A live restriction: 'blocked' (R-D1, for a check — the data is shown to the privacy
   * officer only) or 'stopped' (R-S6, nothing is sent); null when processing runs.
   */
  restriction: z.enum(['blocked', 'stopped']).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Set when this contact was merged into another: the card shows that one. */
  mergedInto: z.string().nullable(),
});
export type TContactView = z.infer<typeof ZContactView>;

export const ZContactQuery = z.strictObject({
  ...ZPageQuery,
  /**
   * A phone number or an email, matched exactly through the blind indexes, or words of a name
   * matched by their starts through the name's blind index.
   */
  q: z.string().trim().max(200).optional(),
  /** Contacts with a lead in this pipeline stage. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .optional(),
  /** Contacts with a lead from this source (utm_source, referrer host or "direct"). */
  source: z.string().max(200).optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
});
export type TContactQuery = z.infer<typeof ZContactQuery>;

export const ZContactPage = pageOf(ZContactView).extend({
  /** True when more contacts match than were counted: `total` is a lower bound. */
  isTotalCapped: z.boolean(),
});
export const ZContactIdParams = z.strictObject({ id: z.uuid() });

export const ZBlockView = z.object({
  id: z.string(),
  kind: z.enum(['blocked', 'stopped']),
  purposeId: z.string().nullable(),
  reason: z.string(),
  requestId: z.string().nullable(),
  createdAt: z.string(),
});
export type TBlockView = z.infer<typeof ZBlockView>;

export const ZBlockBody = z.strictObject({
  kind: z.enum(['blocked', 'stopped']),
  /** One purpose (its code); absent for every purpose. */
  purposeCode: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .optional(),
  reason: z.string().trim().min(3).max(1000),
});
export type TBlockBody = z.infer<typeof ZBlockBody>;

export const ZLiftBody = z.strictObject({ reason: z.string().trim().min(3).max(1000) });
export const ZBlockParams = z.strictObject({ id: z.uuid(), blockId: z.uuid() });

export const ZNoteBody = z.strictObject({ body: z.string().trim().min(1).max(5000) });
export const ZNoteView = z.object({
  id: z.string(),
  contactId: z.string(),
  body: z.string(),
  authorUserId: z.string().nullable(),
  createdAt: z.string(),
});
export type TNoteView = z.infer<typeof ZNoteView>;
export const ZNoteParams = z.strictObject({ id: z.uuid(), noteId: z.uuid() });

export const ZMergeBody = z.strictObject({
  /** The contact that stays. */
  survivorId: z.uuid(),
  /** The duplicate merged into it. */
  mergedId: z.uuid(),
});
export const ZMergeView = z.object({
  id: z.string(),
  survivorId: z.string(),
  mergedId: z.string(),
  mergedAt: z.string(),
  undoUntil: z.string(),
  undoneAt: z.string().nullable(),
  canUndo: z.boolean(),
  /** Rows the merge moved (or the undo moved back). */
  movedRows: z.number().int(),
});
export type TMergeView = z.infer<typeof ZMergeView>;
export const ZMergeParams = z.strictObject({ mergeId: z.uuid() });

export const ZDuplicateQuery = z.strictObject({
  ...ZPageQuery,
  contactId: z.uuid().optional(),
});
export const ZDuplicatePage = pageOf(
  z.object({
    contact: ZContactView,
    other: ZContactView,
    reasons: z.array(z.enum(['same_phone', 'same_email', 'same_name'])),
  }),
);
