import { type Tx, toNumber } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';

// Rows are scoped by row-level security to the transaction's organization.

export type TaskRow = {
  id: string;
  kind: string;
  title: string;
  dueDate: string | null;
  status: 'open' | 'done';
  assigneeUserId: string | null;
  relatedType: string | null;
  relatedId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
  closedAt: Date | null;
  closedBy: string | null;
};

const COLUMNS = sql`id, kind, title, due_date::text AS due_date, status, assignee_user_id,
  related_type, related_id, details, created_at, closed_at, closed_by`;

type Stored = {
  id: string;
  kind: string;
  title: string;
  due_date: string | null;
  status: 'open' | 'done';
  assignee_user_id: string | null;
  related_type: string | null;
  related_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
};

function toTask(row: Stored): TaskRow {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    dueDate: row.due_date,
    status: row.status,
    assigneeUserId: row.assignee_user_id,
    relatedType: row.related_type,
    relatedId: row.related_id,
    details: row.details,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
  };
}

export type NewTask = {
  id: string;
  orgId: string;
  kind: string;
  title: string;
  dueDate: string | null;
  assigneeUserId: string | null;
  relatedType: string | null;
  relatedId: string | null;
  details: Record<string, unknown>;
  createdBy: string | null;
  at: Date;
};

/** Inserts an open task unless one of the same kind is open for the same entity; true if new. */
export async function insertTaskOnce(tx: Tx, task: NewTask): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(sql`
    INSERT INTO tasks (id, org_id, kind, title, due_date, status, assignee_user_id, related_type,
      related_id, details, created_by, created_at)
    VALUES (${task.id}, ${task.orgId}, ${task.kind}, ${task.title}, ${task.dueDate}::date, 'open',
      ${task.assigneeUserId}, ${task.relatedType}, ${task.relatedId},
      ${JSON.stringify(task.details)}::jsonb, ${task.createdBy}, ${task.at})
    ON CONFLICT (org_id, kind, related_type, related_id) WHERE status = 'open' AND related_id IS NOT NULL
    DO NOTHING
    RETURNING id`);
  return rows.length > 0;
}

export async function findTask(tx: Tx, id: string, isForUpdate = false): Promise<TaskRow | null> {
  const lock = isForUpdate ? sql` FOR UPDATE` : sql.empty;
  const rows = await tx.query<Stored>(sql`SELECT ${COLUMNS} FROM tasks WHERE id = ${id}${lock}`);
  return rows[0] ? toTask(rows[0]) : null;
}

export async function findOpenTasksFor(
  tx: Tx,
  kind: string,
  relatedType: string,
  relatedId: string,
): Promise<TaskRow[]> {
  const rows = await tx.query<Stored>(sql`
    SELECT ${COLUMNS} FROM tasks WHERE status = 'open' AND kind = ${kind}
      AND related_type = ${relatedType} AND related_id = ${relatedId}
    ORDER BY created_at`);
  return rows.map(toTask);
}

export async function closeTaskRow(
  tx: Tx,
  id: string,
  closedBy: string | null,
  at: Date,
  details: Record<string, unknown>,
): Promise<void> {
  await tx.execute(sql`
    UPDATE tasks SET status = 'done', closed_at = ${at}, closed_by = ${closedBy},
      details = details || ${JSON.stringify(details)}::jsonb
    WHERE id = ${id} AND status = 'open'`);
}

export async function findTaskPage(
  tx: Tx,
  filter: {
    status?: 'open' | 'done' | undefined;
    kind?: string | undefined;
    overdueBefore?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ rows: TaskRow[]; total: number }> {
  const conditions: SqlFragment[] = [sql`true`];
  if (filter.status) conditions.push(sql`status = ${filter.status}`);
  if (filter.kind) conditions.push(sql`kind = ${filter.kind}`);
  if (filter.overdueBefore) {
    conditions.push(sql`status = 'open' AND due_date < ${filter.overdueBefore}::date`);
  }
  const where = sql.join(conditions, ' AND ');
  const rows = await tx.query<Stored>(sql`
    SELECT ${COLUMNS} FROM tasks WHERE ${where}
    ORDER BY (status = 'open') DESC, due_date NULLS LAST, created_at DESC, id
    LIMIT ${filter.limit} OFFSET ${filter.offset}`);
  const [count] = await tx.query<{ total: unknown }>(
    sql`SELECT count(*) AS total FROM tasks WHERE ${where}`,
  );
  return { rows: rows.map(toTask), total: toNumber(count?.total ?? 0) };
}
