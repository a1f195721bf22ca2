import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { AppError } from '../platform/errors.ts';
import {
  type BlockKind,
  type BlockRecord,
  findLiveBlocks,
  insertBlock,
  liftBlockRow,
} from './blocks.repo.ts';

export type { BlockKind, BlockRecord };

/**
 * Holds processing of one subject, for one purpose or for every purpose (purposeId null):
 * 'blocked' for the time of a check (R-D1), 'stopped' on the subject's demand (R-S6). It takes
 * effect when the caller's transaction commits; every outbound check reads it from then on.
 */
export async function blockSubject(
  tx: Tx,
  ctx: Ctx,
  input: {
    contactId: string;
    kind: BlockKind;
    purposeId: string | null;
    reason: string;
    requestId: string | null;
  },
): Promise<string> {
  const id = randomUUID();
  await insertBlock(tx, {
    id,
    orgId: ctx.orgId,
    contactId: input.contactId,
    kind: input.kind,
    purposeId: input.purposeId,
    reason: input.reason,
    requestId: input.requestId,
    createdBy: actorUserId(ctx.actor),
    at: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: input.kind === 'blocked' ? 'subject.blocked' : 'subject.stopped',
    entityType: 'contact',
    entityId: input.contactId,
    details: { blockId: id, purposeId: input.purposeId, requestId: input.requestId },
  });
  return id;
}

export async function liftBlock(
  tx: Tx,
  ctx: Ctx,
  input: { blockId: string; reason: string },
): Promise<void> {
  const contactId = await liftBlockRow(tx, {
    id: input.blockId,
    liftedBy: actorUserId(ctx.actor),
    reason: input.reason,
    at: ctx.now,
  });
  if (!contactId) throw new AppError('not_found', 'No such live block');
  await recordAudit(tx, ctx, {
    action: 'subject.block_lifted',
    entityType: 'contact',
    entityId: contactId,
    details: { blockId: input.blockId },
  });
}

export async function activeBlocks(tx: Tx, _ctx: Ctx, contactId: string): Promise<BlockRecord[]> {
  return (await findLiveBlocks(tx, [contactId])).get(contactId) ?? [];
}

/** Live blocks of many contacts at once (lists, audiences). */
export function activeBlocksOf(
  tx: Tx,
  contactIds: readonly string[],
): Promise<Map<string, BlockRecord[]>> {
  return findLiveBlocks(tx, contactIds);
}

/** Whether a live block or stop covers this purpose (one naming no purpose covers all). */
export function blockCovering(
  blocks: readonly BlockRecord[],
  purposeId: string,
): BlockRecord | null {
  const covering = blocks.filter(
    (block) => block.purposeId === null || block.purposeId === purposeId,
  );
  return covering.find((block) => block.kind === 'blocked') ?? covering[0] ?? null;
}
