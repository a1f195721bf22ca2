import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

// Rows are scoped by row-level security to the transaction's organization.

export type TaskReason =
  | 'consent_withdrawn'
  | 'purpose_achieved'
  | 'term_ended'
  | 'request'
  | 'unlawful';
export type TaskStatus = 'pending' | 'done' | 'kept_other_basis' | 'held' | 'cancelled';

export type TaskRecord = {
  id: string;
  contactId: string;
  purposeId: string | null;
  reason: TaskReason;
  sourceRef: string | null;
  receivedAt: Date;
  dueAt: Date;
  status: TaskStatus;
  outcome: Record<string, unknown>;
  runId: string | null;
  actId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
};

type StoredTask = {
  id: string;
  contact_id: string;
  purpose_id: string | null;
  reason: TaskReason;
  source_ref: string | null;
  received_at: Date;
  due_at: Date;
  status: TaskStatus;
  outcome: Record<string, unknown>;
  run_id: string | null;
  act_id: string | null;
  created_at: Date;
  decided_at: Date | null;
};

const TASK_COLUMNS = sql`id, contact_id, purpose_id, reason, source_ref, received_at, due_at,
  status, outcome, run_id, act_id, created_at, decided_at`;

function toTask(row: StoredTask): TaskRecord {
  return {
    id: row.id,
    contactId: row.contact_id,
    purposeId: row.purpose_id,
    reason: row.reason,
    sourceRef: row.source_ref,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    status: row.status,
    outcome: row.outcome,
    runId: row.run_id,
    actId: row.act_id,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}

export async function insertTask(
  tx: Tx,
  orgId: string,
  task: {
    contactId: string;
    purposeId: string | null;
    reason: TaskReason;
    sourceRef: string | null;
    receivedAt: Date;
    dueAt: Date;
    createdAt: Date;
  },
): Promise<string> {
  const [row] = await tx.query<{ id: string }>(sql`
    INSERT INTO destruction_tasks (org_id, contact_id, purpose_id, reason, source_ref,
      received_at, due_at, created_at)
    VALUES (${orgId}, ${task.contactId}, ${task.purposeId}, ${task.reason}, ${task.sourceRef},
      ${task.receivedAt}, ${task.dueAt}, ${task.createdAt})
    RETURNING id`);
  if (!row) throw new Error('The destruction task was not stored');
  return row.id;
}

/** A pending task for the same subject, purpose and reason, if one is already scheduled. */
export async function findPendingTask(
  tx: Tx,
  input: { contactId: string; purposeId: string | null; reason: TaskReason },
): Promise<TaskRecord | null> {
  const rows = await tx.query<StoredTask>(sql`
    SELECT ${TASK_COLUMNS} FROM destruction_tasks
    WHERE contact_id = ${input.contactId} AND reason = ${input.reason} AND status = 'pending'
      AND purpose_id IS NOT DISTINCT FROM ${input.purposeId}::uuid
    ORDER BY due_at LIMIT 1`);
  const [row] = rows;
  return row ? toTask(row) : null;
}
