import { recordAccess } from '../access-log/access-log.service.ts';
import { assertCanReadContact, identityOf } from '../contacts/contacts.service.ts';
import type { Ctx } from '../platform/context.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type {
  TimelineSource,
  TTimelineItem,
  TTimelinePage,
  TTimelineQuery,
} from './timeline.schema.ts';
import { TIMELINE_SOURCES } from './timeline-sources.ts';

type Cursor = { at: Date; kind: string; id: string };

function encodeCursor(item: TTimelineItem): string {
  return Buffer.from(JSON.stringify([item.at, item.kind, item.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const [at, kind, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [
      string,
      string,
      string,
    ];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || typeof kind !== 'string' || typeof id !== 'string') {
      throw new Error('bad cursor');
    }
    return { at: date, kind, id };
  } catch {
    throw new AppError('validation_failed', 'Not a cursor of this timeline', {
      fields: { cursor: ['invalid'] },
    });
  }
}

/** Timeline order: newest first; ties by kind, then id, so pages never skip or repeat. */
function compareItems(left: TTimelineItem, right: TTimelineItem): number {
  if (left.at !== right.at) return left.at < right.at ? 1 : -1;
  if (left.kind !== right.kind) return left.kind < right.kind ? 1 : -1;
  if (left.id === right.id) return 0;
  return left.id < right.id ? 1 : -1;
}

function isAfterCursor(item: TTimelineItem, cursor: Cursor): boolean {
  return (
    compareItems(item, {
      kind: cursor.kind,
      id: cursor.id,
      at: cursor.at.toISOString(),
      data: {},
    }) > 0
  );
}

export function timelineKinds(): string[] {
  return TIMELINE_SOURCES.map((source) => source.kind);
}

/**
 * A contact's timeline: every source's items merged newest first, one page at a time. Each
 * source reads at most a page (plus ties) at or before the cursor; the merge drops what earlier
 * pages showed. The opening is written to the access log with the card's reason.
 */
export async function contactTimeline(
  ctx: Ctx,
  contactId: string,
  query: TTimelineQuery,
  sources: readonly TimelineSource[] = TIMELINE_SOURCES,
): Promise<TTimelinePage> {
  assertCanReadContact(ctx);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const wanted = query.kinds ? new Set(query.kinds.split(',')) : null;
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const identity = await identityOf(tx, ctx, contactId);
    const chosen = sources.filter((source) => !wanted || wanted.has(source.kind));
    // Ties at the cursor's instant come back again and are dropped below.
    const load = {
      contactIds: identity,
      atOrBefore: cursor?.at ?? null,
      limit: query.limit + 20,
    };
    const loaded: TTimelineItem[] = [];
    for (const source of chosen) {
      const entries = await source.load(tx, ctx, load);
      for (const entry of entries) {
        loaded.push({
          kind: source.kind,
          id: entry.id,
          at: entry.at.toISOString(),
          data: entry.data,
        });
      }
    }
    const ordered = loaded
      .filter((item) => !cursor || isAfterCursor(item, cursor))
      .sort(compareItems);
    const items = ordered.slice(0, query.limit);
    const last = items[items.length - 1];
    await recordAccess(tx, ctx, {
      subjectType: 'contact',
      subjectIds: identity,
      fields: ['timeline'],
      reason: 'card',
    });
    return {
      items,
      nextCursor: ordered.length > query.limit && last ? encodeCursor(last) : null,
      kinds: sources.map((source) => source.kind),
    };
  });
}
