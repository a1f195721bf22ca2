import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { contactErasure } from '../contacts/contacts.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can, type Permission } from '../platform/permissions.ts';
import {
  deleteSuppression,
  findSuppressionPage,
  findSuppressionsOf,
  insertSuppression,
  type SuppressionChannel,
  type SuppressionReason,
  type SuppressionRecord,
} from './suppressions.repo.ts';

export type { SuppressionChannel, SuppressionReason, SuppressionRecord };

export function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) {
    throw new AppError('forbidden', `This role lacks ${permission}`);
  }
}

/**
 * Puts a contact on the suppression list for a channel (R-A3, R-A4): from the commit of the
 * caller's transaction, every advertising send on that channel is refused `suppressed`.
 * Idempotent: a second suppression of the same contact and channel keeps the first one.
 */
export async function suppress(
  tx: Tx,
  ctx: Ctx,
  input: {
    contactId: string;
    channel: SuppressionChannel;
    reason: SuppressionReason;
    /** Where it came from: 'unsubscribe_link', 'sms:smsc', 'staff' … (no personal data). */
    source: string;
  },
): Promise<{ isNew: boolean }> {
  const id = await insertSuppression(tx, {
    id: randomUUID(),
    orgId: ctx.orgId,
    contactId: input.contactId,
    channel: input.channel,
    reason: input.reason,
    source: input.source,
    createdBy: actorUserId(ctx.actor),
    at: ctx.now,
  });
  if (!id) return { isNew: false };
  await recordAudit(tx, ctx, {
    action: 'suppression.added',
    entityType: 'contact',
    entityId: input.contactId,
    details: {
      suppressionId: id,
      channel: input.channel,
      reason: input.reason,
      source: input.source,
    },
  });
  return { isNew: true };
}

/** The suppression that stops advertising to this contact on `channel` ('all' covers every one). */
export function suppressionCovering(
  suppressions: readonly SuppressionRecord[],
  channel: string,
): SuppressionRecord | null {
  return (
    suppressions.find((row) => row.channel === channel) ??
    suppressions.find((row) => row.channel === 'all') ??
    null
  );
}

export async function isSuppressed(
  tx: Tx,
  _ctx: Ctx,
  input: { contactId: string; channel: string },
): Promise<boolean> {
  const rows = (await findSuppressionsOf(tx, [input.contactId])).get(input.contactId) ?? [];
  return suppressionCovering(rows, input.channel) !== null;
}

/** Suppressions of many contacts at once, grouped by contact (audiences). */
export function suppressionsOf(
  tx: Tx,
  contactIds: readonly string[],
): Promise<Map<string, SuppressionRecord[]>> {
  return findSuppressionsOf(tx, contactIds);
}

export type TSuppressionView = {
  id: string;
  contactId: string;
  channel: SuppressionChannel;
  reason: SuppressionReason;
  source: string;
  createdAt: string;
};

function viewOf(row: SuppressionRecord): TSuppressionView {
  return {
    id: row.id,
    contactId: row.contactId,
    channel: row.channel,
    reason: row.reason,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A page of the suppression list: ids, channels and reasons only, no personal data. */
export async function listSuppressions(
  ctx: Ctx,
  query: {
    channel?: SuppressionChannel | undefined;
    reason?: SuppressionReason | undefined;
    page: number;
    pageSize: number;
  },
): Promise<{ items: TSuppressionView[]; page: number; pageSize: number; total: number }> {
  assertCan(ctx, 'messaging.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const found = await findSuppressionPage(tx, {
      channel: query.channel ?? null,
      reason: query.reason ?? null,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: found.items.map(viewOf),
      page: query.page,
      pageSize: query.pageSize,
      total: found.total,
    };
  });
}

/** Staff put a contact on the list (a request by phone, a complaint received by letter). */
export async function addSuppression(
  ctx: Ctx,
  body: { contactId: string; channel: SuppressionChannel; note?: string | undefined },
): Promise<{ isNew: boolean }> {
  assertCan(ctx, 'messaging.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await contactErasure(tx, body.contactId))) {
      throw new AppError('not_found', 'No such contact');
    }
    return suppress(tx, ctx, {
      contactId: body.contactId,
      channel: body.channel,
      reason: 'staff',
      source: 'staff',
    });
  });
}

/**
 * Removes a suppression (the person asked to receive mailings again, or it was a mistake):
 * only with a reason, kept in the audit log. Removing it does not revive a withdrawn consent.
 */
export async function removeSuppression(
  ctx: Ctx,
  input: { id: string; reason: string },
): Promise<void> {
  assertCan(ctx, 'messaging.manage');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const removed = await deleteSuppression(tx, input.id);
    if (!removed) throw new AppError('not_found', 'No such suppression');
    await recordAudit(tx, ctx, {
      action: 'suppression.removed',
      entityType: 'contact',
      entityId: removed.contactId,
      details: {
        suppressionId: removed.id,
        channel: removed.channel,
        reason: removed.reason,
        removalReason: input.reason,
      },
    });
  });
}
