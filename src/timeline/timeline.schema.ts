import { z } from 'zod';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';

/**
 * One item of a contact's timeline. `kind` names what happened ('consent', 'lead_stage',
 * 'appointment' …) and the UI renders `data` by kind; `data` holds ids, codes, titles of the
 * organization's own things and amounts — never a person's name, phone, email or free text,
 * except where the kind is itself the person's record (a note), read under the access log.
 */
export const ZTimelineItem = z.object({
  kind: z.string(),
  id: z.string(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TTimelineItem = z.infer<typeof ZTimelineItem>;

export const ZTimelineQuery = z.strictObject({
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Only these kinds, comma-separated. */
  kinds: z
    .string()
    .max(500)
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional(),
});
export type TTimelineQuery = z.infer<typeof ZTimelineQuery>;

export const ZTimelinePage = z.object({
  items: z.array(ZTimelineItem),
  nextCursor: z.string().nullable(),
  /** Every kind the timeline can show (for the filter). */
  kinds: z.array(z.string()),
});
export type TTimelinePage = z.infer<typeof ZTimelinePage>;

/** What a source returns: its own kind is added by the timeline. */
export type TimelineEntry = { id: string; at: Date; data: Record<string, unknown> };

export type TimelineLoad = {
  /**
   * The person's contact ids: the contact and the contacts merged into it (their consent
   * journal entries keep pointing at the merged id).
   */
  contactIds: readonly string[];
  /** Items at or before this time (inclusive); null for the newest. */
  atOrBefore: Date | null;
  /** At most this many, newest first. */
  limit: number;
};

/**
 * A domain's contribution to the contact timeline. Add one in the domain's own
 * `*-timeline.service.ts` and list it in src/timeline/timeline-sources.ts (docs/crm.md).
 * `load` runs inside the timeline's transaction, which already checked that the caller may
 * read the contact and wrote the access-log row for the card.
 */
export type TimelineSource = {
  kind: string;
  /** A permission beyond contacts.read that the caller needs to see this kind, if any. */
  load(tx: Tx, ctx: Ctx, query: TimelineLoad): Promise<TimelineEntry[]>;
};
