import { actorTokenId, actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can } from '../platform/permissions.ts';
import { findAccess, findAudit, insertAccess, insertAudit } from './access-log.repo.ts';
import type { TAccessQuery, TAuditQuery } from './access-log.schema.ts';

export type AuditInput = {
  action: string;
  entityType: string;
  entityId?: string | null;
  /** Ids, codes and changed field names only: never personal data in clear. */
  details?: Record<string, unknown>;
};

/** Records a change in the caller's transaction, so the act and its record commit together. */
export async function recordAudit(tx: Tx, ctx: Ctx, input: AuditInput): Promise<void> {
  await insertAudit(tx, {
    orgId: ctx.orgId,
    actorUserId: actorUserId(ctx.actor),
    actorTokenId: actorTokenId(ctx.actor),
    actorLabel: ctx.actor.type === 'system' ? ctx.actor.label : null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    details: input.details ?? {},
    requestId: ctx.requestId,
    at: ctx.now,
  });
}

export type AccessInput = {
  subjectType: string;
  subjectIds: readonly string[];
  fields: readonly string[];
  /** Why it was read: 'card', 'list', 'search', 'export', 'log_review' … */
  reason: string;
};

/**
 * Records a read of personal data in the transaction that read it
 * (152-FZ Art. 19, R-L6: registration of actions with personal data).
 */
export async function recordAccess(tx: Tx, ctx: Ctx, input: AccessInput): Promise<void> {
  await insertAccess(tx, {
    orgId: ctx.orgId,
    actorUserId: actorUserId(ctx.actor),
    actorTokenId: actorTokenId(ctx.actor),
    actorLabel: ctx.actor.type === 'system' ? ctx.actor.label : null,
    subjectType: input.subjectType,
    subjectIds: [...new Set(input.subjectIds)],
    fields: input.fields,
    reason: input.reason,
    route: ctx.route,
    requestId: ctx.requestId,
    at: ctx.now,
  });
}

function assertCanReadLogs(ctx: Ctx): void {
  if (!can(ctx.role, 'logs.read')) {
    throw new AppError(
      'forbidden',
      'Only the owner, administrators, the privacy officer and auditors read the logs',
    );
  }
}

export async function findAuditLog(ctx: Ctx, query: TAuditQuery) {
  assertCanReadLogs(ctx);
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findAudit(tx, query));
}

export async function findAccessLog(ctx: Ctx, query: TAccessQuery) {
  assertCanReadLogs(ctx);
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findAccess(tx, query));
}
