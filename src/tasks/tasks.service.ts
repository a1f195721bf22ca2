import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Page } from '../platform/http/params.ts';
import { can, type Permission } from '../platform/permissions.ts';
import { toMoscowDate } from '../subject-requests/clock.service.ts';
import {
  closeTaskRow,
  findOpenTasksFor,
  findTask,
  findTaskPage,
  insertTaskOnce,
  type TaskRow,
} from './tasks.repo.ts';
import type { TCloseTaskBody, TTask, TTaskQuery } from './tasks.schema.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

/**
 * Kinds whose task closes only through the action it asks for (filing the notice closes
 * "update the RKN notice"): closing it by hand would hide an unfinished duty.
 */
const CLOSED_BY_ACTION = /^compliance\./;

function view(row: TaskRow, now: Date): TTask {
  const today = toMoscowDate(now);
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    dueDate: row.dueDate,
    status: row.status,
    isOverdue: row.status === 'open' && row.dueDate !== null && row.dueDate < today,
    assigneeUserId: row.assigneeUserId,
    relatedType: row.relatedType,
    relatedId: row.relatedId,
    details: row.details,
    createdAt: row.createdAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    closedBy: row.closedBy,
  };
}

export type OpenTaskInput = {
  kind: string;
  title: string;
  /** A Moscow calendar date, YYYY-MM-DD. */
  dueDate: string | null;
  relatedType: string;
  relatedId: string;
  assigneeUserId?: string | null;
  details?: Record<string, unknown>;
};

/**
 * Opens a task inside the caller's transaction unless one of the same kind is already open for
 * the same entity (then nothing changes). Returns the open task and whether it is new.
 */
export async function openTaskOnce(
  tx: Tx,
  ctx: Ctx,
  input: OpenTaskInput,
): Promise<{ task: TTask; isNew: boolean }> {
  const id = randomUUID();
  const isNew = await insertTaskOnce(tx, {
    id,
    orgId: ctx.orgId,
    kind: input.kind,
    title: input.title,
    dueDate: input.dueDate,
    assigneeUserId: input.assigneeUserId ?? null,
    relatedType: input.relatedType,
    relatedId: input.relatedId,
    details: input.details ?? {},
    createdBy: actorUserId(ctx.actor),
    at: ctx.now,
  });
  if (isNew) {
    await recordAudit(tx, ctx, {
      action: 'task.opened',
      entityType: 'task',
      entityId: id,
      details: { kind: input.kind, dueDate: input.dueDate, relatedType: input.relatedType },
    });
  }
  const [open] = await findOpenTasksFor(tx, input.kind, input.relatedType, input.relatedId);
  if (!open) throw new Error('An open task just written was not found');
  return { task: view(open, ctx.now), isNew };
}

/** Closes the open tasks of a kind for an entity, inside the caller's transaction. */
export async function closeTasksFor(
  tx: Tx,
  ctx: Ctx,
  input: {
    kind: string;
    relatedType: string;
    relatedId: string;
    details?: Record<string, unknown>;
  },
): Promise<string[]> {
  const open = await findOpenTasksFor(tx, input.kind, input.relatedType, input.relatedId);
  for (const task of open) {
    await closeTaskRow(tx, task.id, actorUserId(ctx.actor), ctx.now, input.details ?? {});
    await recordAudit(tx, ctx, {
      action: 'task.closed',
      entityType: 'task',
      entityId: task.id,
      details: { kind: task.kind, ...(input.details ?? {}) },
    });
  }
  return open.map((task) => task.id);
}

/** Open tasks of a kind for an entity, for pages that show them next to their subject. */
export async function findOpenTasksOf(
  tx: Tx,
  ctx: Ctx,
  kind: string,
  relatedType: string,
  relatedId: string,
): Promise<TTask[]> {
  const rows = await findOpenTasksFor(tx, kind, relatedType, relatedId);
  return rows.map((row) => view(row, ctx.now));
}

export async function findTasks(ctx: Ctx, query: TTaskQuery): Promise<Page<TTask>> {
  assertCan(ctx, 'tasks.read');
  const isOverdue = query.isOverdue === 'true';
  const { rows, total } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findTaskPage(tx, {
      status: isOverdue ? 'open' : query.status,
      kind: query.kind,
      overdueBefore: isOverdue ? toMoscowDate(ctx.now) : undefined,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    }),
  );
  return {
    items: rows.map((row) => view(row, ctx.now)),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}

/** Closes a task by hand; compliance duties close only through their own action. */
export async function closeTask(ctx: Ctx, taskId: string, body: TCloseTaskBody): Promise<TTask> {
  assertCan(ctx, 'tasks.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const task = await findTask(tx, taskId, true);
    if (!task) throw new AppError('not_found', 'No such task');
    if (task.status === 'done') {
      throw new AppError('rule_violated', 'The task is already done', {
        details: { rule: 'task_done' },
      });
    }
    if (CLOSED_BY_ACTION.test(task.kind)) {
      throw new AppError('rule_violated', 'This task closes when its action is recorded', {
        details: { rule: 'task_closed_by_action', kind: task.kind },
      });
    }
    const details = body.note ? { note: body.note } : {};
    await closeTaskRow(tx, task.id, actorUserId(ctx.actor), ctx.now, details);
    await recordAudit(tx, ctx, {
      action: 'task.closed',
      entityType: 'task',
      entityId: task.id,
      details: { kind: task.kind },
    });
    const closed = await findTask(tx, task.id);
    if (!closed) throw new Error('A task just closed was not found');
    return view(closed, ctx.now);
  });
}
