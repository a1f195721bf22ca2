import { type Tx, toNumber } from '../platform/db/db.ts';
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

export async function findTaskPage(
  tx: Tx,
  query: { status?: TaskStatus; contactId?: string; limit: number; offset: number },
): Promise<{ rows: TaskRecord[]; total: number }> {
  const conditions = [sql`TRUE`];
  if (query.status) conditions.push(sql`status = ${query.status}`);
  if (query.contactId) conditions.push(sql`contact_id = ${query.contactId}`);
  const where = sql.join(conditions, ' AND ');
  const rows = await tx.query<StoredTask>(sql`
    SELECT ${TASK_COLUMNS} FROM destruction_tasks WHERE ${where}
    ORDER BY (status IN ('pending', 'held')) DESC, due_at, created_at DESC
    LIMIT ${query.limit} OFFSET ${query.offset}`);
  const [count] = await tx.query<{ total: number | string }>(
    sql`SELECT count(*) AS total FROM destruction_tasks WHERE ${where}`,
  );
  return { rows: rows.map(toTask), total: toNumber(count?.total ?? 0) };
}

/** Tasks the run must look at: pending or held ones that are due. */
export async function findDueTasks(tx: Tx, now: Date): Promise<TaskRecord[]> {
  const rows = await tx.query<StoredTask>(sql`
    SELECT ${TASK_COLUMNS} FROM destruction_tasks
    WHERE status IN ('pending', 'held') AND due_at <= ${now}
    ORDER BY due_at, id`);
  return rows.map(toTask);
}

/** Tasks of some subjects (the run's decision reads the whole history of each). */
export async function findTasksOfContacts(
  tx: Tx,
  contactIds: readonly string[],
): Promise<TaskRecord[]> {
  if (contactIds.length === 0) return [];
  const rows = await tx.query<StoredTask>(sql`
    SELECT ${TASK_COLUMNS} FROM destruction_tasks WHERE contact_id = ANY(${[...contactIds]}::uuid[])`);
  return rows.map(toTask);
}

export async function decideTask(
  tx: Tx,
  input: {
    id: string;
    status: TaskStatus;
    outcome: Record<string, unknown>;
    runId: string;
    actId: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    UPDATE destruction_tasks SET status = ${input.status}, outcome = ${JSON.stringify(input.outcome)}::jsonb,
      run_id = ${input.runId}, act_id = ${input.actId}, decided_at = ${input.at}
    WHERE id = ${input.id}`);
}

// Triggers

export type TriggerRecord = { purposeId: string; kind: string; days: number | null };

export async function findTriggers(tx: Tx): Promise<TriggerRecord[]> {
  const rows = await tx.query<{ purpose_id: string; kind: string; days: number | null }>(
    sql`SELECT purpose_id, kind, days FROM retention_triggers ORDER BY kind`,
  );
  return rows.map((row) => ({ purposeId: row.purpose_id, kind: row.kind, days: row.days }));
}

export async function replaceTriggers(
  tx: Tx,
  orgId: string,
  purposeId: string,
  triggers: readonly { kind: string; days: number | null }[],
  at: Date,
): Promise<void> {
  await tx.execute(sql`DELETE FROM retention_triggers WHERE purpose_id = ${purposeId}`);
  for (const trigger of triggers) {
    await tx.execute(sql`
      INSERT INTO retention_triggers (org_id, purpose_id, kind, days, created_at, updated_at)
      VALUES (${orgId}, ${purposeId}, ${trigger.kind}, ${trigger.days}, ${at}, ${at})`);
  }
}

// Legal holds

export type HoldRecord = {
  id: string;
  contactId: string | null;
  reason: string;
  untilAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  releasedAt: Date | null;
  releaseReason: string | null;
};

type StoredHold = {
  id: string;
  contact_id: string | null;
  reason: string;
  until_at: Date | null;
  created_by: string | null;
  created_at: Date;
  released_at: Date | null;
  release_reason: string | null;
};

function toHold(row: StoredHold): HoldRecord {
  return {
    id: row.id,
    contactId: row.contact_id,
    reason: row.reason,
    untilAt: row.until_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    releasedAt: row.released_at,
    releaseReason: row.release_reason,
  };
}

const HOLD_COLUMNS = sql`id, contact_id, reason, until_at, created_by, created_at, released_at,
  release_reason`;

export async function insertHold(
  tx: Tx,
  orgId: string,
  hold: {
    contactId: string | null;
    reason: string;
    untilAt: Date | null;
    createdBy: string | null;
    at: Date;
  },
): Promise<string> {
  const [row] = await tx.query<{ id: string }>(sql`
    INSERT INTO legal_holds (org_id, contact_id, reason, until_at, created_by, created_at)
    VALUES (${orgId}, ${hold.contactId}, ${hold.reason}, ${hold.untilAt}, ${hold.createdBy}, ${hold.at})
    RETURNING id`);
  if (!row) throw new Error('The legal hold was not stored');
  return row.id;
}

export async function findHold(tx: Tx, id: string): Promise<HoldRecord | null> {
  const [row] = await tx.query<StoredHold>(
    sql`SELECT ${HOLD_COLUMNS} FROM legal_holds WHERE id = ${id}`,
  );
  return row ? toHold(row) : null;
}

export async function releaseHoldRow(
  tx: Tx,
  input: { id: string; by: string | null; reason: string; at: Date },
): Promise<void> {
  await tx.execute(sql`
    UPDATE legal_holds SET released_at = ${input.at}, released_by = ${input.by},
      release_reason = ${input.reason}
    WHERE id = ${input.id} AND released_at IS NULL`);
}

export async function findHoldPage(
  tx: Tx,
  query: { isActive?: boolean; now: Date; limit: number; offset: number },
): Promise<{ rows: HoldRecord[]; total: number }> {
  const active = sql`(released_at IS NULL AND (until_at IS NULL OR until_at > ${query.now}))`;
  const where =
    query.isActive === undefined ? sql`TRUE` : query.isActive ? active : sql`NOT ${active}`;
  const rows = await tx.query<StoredHold>(sql`
    SELECT ${HOLD_COLUMNS} FROM legal_holds WHERE ${where}
    ORDER BY created_at DESC, id LIMIT ${query.limit} OFFSET ${query.offset}`);
  const [count] = await tx.query<{ total: number | string }>(
    sql`SELECT count(*) AS total FROM legal_holds WHERE ${where}`,
  );
  return { rows: rows.map(toHold), total: toNumber(count?.total ?? 0) };
}

/** Holds in force now: org-wide ones (contact_id NULL) and the subjects'. */
export async function findActiveHolds(tx: Tx, now: Date): Promise<HoldRecord[]> {
  const rows = await tx.query<StoredHold>(sql`
    SELECT ${HOLD_COLUMNS} FROM legal_holds
    WHERE released_at IS NULL AND (until_at IS NULL OR until_at > ${now})`);
  return rows.map(toHold);
}

// Bases other than consent

export type BasisRecord = {
  id: string;
  contactId: string;
  purposeId: string;
  reference: string | null;
  startedAt: Date;
  lastActivityAt: Date;
  endedAt: Date | null;
};

type StoredBasis = {
  id: string;
  contact_id: string;
  purpose_id: string;
  reference: string | null;
  started_at: Date;
  last_activity_at: Date;
  ended_at: Date | null;
};

function toBasis(row: StoredBasis): BasisRecord {
  return {
    id: row.id,
    contactId: row.contact_id,
    purposeId: row.purpose_id,
    reference: row.reference,
    startedAt: row.started_at,
    lastActivityAt: row.last_activity_at,
    endedAt: row.ended_at,
  };
}

const BASIS_COLUMNS = sql`id, contact_id, purpose_id, reference, started_at, last_activity_at, ended_at`;

export async function insertBasis(
  tx: Tx,
  orgId: string,
  basis: {
    contactId: string;
    purposeId: string;
    reference: string | null;
    createdBy: string | null;
    at: Date;
  },
): Promise<string> {
  const [row] = await tx.query<{ id: string }>(sql`
    INSERT INTO processing_bases (org_id, contact_id, purpose_id, reference, started_at,
      last_activity_at, created_by, created_at)
    VALUES (${orgId}, ${basis.contactId}, ${basis.purposeId}, ${basis.reference}, ${basis.at},
      ${basis.at}, ${basis.createdBy}, ${basis.at})
    RETURNING id`);
  if (!row) throw new Error('The basis was not stored');
  return row.id;
}

export async function findBasesOfContacts(
  tx: Tx,
  contactIds: readonly string[],
): Promise<BasisRecord[]> {
  if (contactIds.length === 0) return [];
  const rows = await tx.query<StoredBasis>(sql`
    SELECT ${BASIS_COLUMNS} FROM processing_bases WHERE contact_id = ANY(${[...contactIds]}::uuid[])
    ORDER BY started_at`);
  return rows.map(toBasis);
}

export async function findBasis(tx: Tx, id: string): Promise<BasisRecord | null> {
  const [row] = await tx.query<StoredBasis>(
    sql`SELECT ${BASIS_COLUMNS} FROM processing_bases WHERE id = ${id}`,
  );
  return row ? toBasis(row) : null;
}

export async function endBasisRow(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.execute(
    sql`UPDATE processing_bases SET ended_at = ${at} WHERE id = ${id} AND ended_at IS NULL`,
  );
}

// Runs and acts

/** One run per organization at a time: a manual run and the daily job never overlap. */
export async function lockRetention(tx: Tx, orgId: string): Promise<void> {
  await tx.query(sql`SELECT pg_advisory_xact_lock(hashtext(${`retention:${orgId}`}))`);
}

export async function insertRun(
  tx: Tx,
  orgId: string,
  run: { id: string; startedAt: Date; actorLabel: string | null; actorUserId: string | null },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO retention_runs (id, org_id, started_at, actor_label, actor_user_id)
    VALUES (${run.id}, ${orgId}, ${run.startedAt}, ${run.actorLabel}, ${run.actorUserId})`);
}

export async function finishRun(
  tx: Tx,
  run: {
    id: string;
    destroyed: number;
    kept: number;
    held: number;
    actsPurged: number;
    actId: string | null;
  },
): Promise<void> {
  await tx.execute(sql`
    UPDATE retention_runs SET destroyed_count = ${run.destroyed}, kept_count = ${run.kept},
      held_count = ${run.held}, acts_purged = ${run.actsPurged}, act_id = ${run.actId}
    WHERE id = ${run.id}`);
}

export type RunRecord = {
  id: string;
  startedAt: Date;
  actorLabel: string | null;
  actorUserId: string | null;
  destroyed: number;
  kept: number;
  held: number;
  actsPurged: number;
  actId: string | null;
};

export async function findRunPage(
  tx: Tx,
  query: { limit: number; offset: number },
): Promise<{ rows: RunRecord[]; total: number }> {
  const rows = await tx.query<{
    id: string;
    started_at: Date;
    actor_label: string | null;
    actor_user_id: string | null;
    destroyed_count: number;
    kept_count: number;
    held_count: number;
    acts_purged: number;
    act_id: string | null;
  }>(sql`
    SELECT id, started_at, actor_label, actor_user_id, destroyed_count, kept_count, held_count,
      acts_purged, act_id
    FROM retention_runs ORDER BY started_at DESC, id LIMIT ${query.limit} OFFSET ${query.offset}`);
  const [count] = await tx.query<{ total: number | string }>(
    sql`SELECT count(*) AS total FROM retention_runs`,
  );
  return {
    rows: rows.map((row) => ({
      id: row.id,
      startedAt: row.started_at,
      actorLabel: row.actor_label,
      actorUserId: row.actor_user_id,
      destroyed: row.destroyed_count,
      kept: row.kept_count,
      held: row.held_count,
      actsPurged: row.acts_purged,
      actId: row.act_id,
    })),
    total: toNumber(count?.total ?? 0),
  };
}

export async function nextActNumber(tx: Tx): Promise<number> {
  const [row] = await tx.query<{ last: number | string | null }>(
    sql`SELECT max(number) AS last FROM destruction_acts`,
  );
  return toNumber(row?.last ?? 0) + 1;
}

export type ActRecord = {
  id: string;
  number: number;
  runId: string;
  destroyedAt: Date;
  subjectsCount: number;
  categories: string[];
  reasons: string[];
  contentEnc: Uint8Array;
  contentSha256: string;
  signature: Uint8Array;
  signingPublicKey: Uint8Array;
  keepUntil: Date;
};

type StoredAct = {
  id: string;
  number: number;
  run_id: string;
  destroyed_at: Date;
  subjects_count: number;
  categories: string[];
  reasons: string[];
  content_enc: Uint8Array;
  content_sha256: string;
  signature: Uint8Array;
  signing_public_key: Uint8Array;
  keep_until: Date;
};

function toAct(row: StoredAct): ActRecord {
  return {
    id: row.id,
    number: row.number,
    runId: row.run_id,
    destroyedAt: row.destroyed_at,
    subjectsCount: row.subjects_count,
    categories: row.categories,
    reasons: row.reasons,
    contentEnc: row.content_enc,
    contentSha256: row.content_sha256,
    signature: row.signature,
    signingPublicKey: row.signing_public_key,
    keepUntil: row.keep_until,
  };
}

export async function insertAct(
  tx: Tx,
  orgId: string,
  act: Omit<ActRecord, 'contentEnc'> & { contentEnc: Buffer },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO destruction_acts (id, org_id, number, run_id, destroyed_at, subjects_count,
      categories, reasons, content_enc, content_sha256, signature, signing_public_key, keep_until)
    VALUES (${act.id}, ${orgId}, ${act.number}, ${act.runId}, ${act.destroyedAt},
      ${act.subjectsCount}, ${JSON.stringify(act.categories)}::jsonb,
      ${JSON.stringify(act.reasons)}::jsonb, ${act.contentEnc}, ${act.contentSha256},
      ${act.signature}, ${act.signingPublicKey}, ${act.keepUntil})`);
}

export async function findAct(tx: Tx, id: string): Promise<ActRecord | null> {
  const [row] = await tx.query<StoredAct>(sql`SELECT * FROM destruction_acts WHERE id = ${id}`);
  return row ? toAct(row) : null;
}

export async function findActPage(
  tx: Tx,
  query: { limit: number; offset: number },
): Promise<{ rows: ActRecord[]; total: number }> {
  const rows = await tx.query<StoredAct>(sql`
    SELECT * FROM destruction_acts ORDER BY number DESC LIMIT ${query.limit} OFFSET ${query.offset}`);
  const [count] = await tx.query<{ total: number | string }>(
    sql`SELECT count(*) AS total FROM destruction_acts`,
  );
  return { rows: rows.map(toAct), total: toNumber(count?.total ?? 0) };
}

/** Acts whose three years are over (R-D6); deleted by the run. */
export async function deleteExpiredActs(
  tx: Tx,
  now: Date,
): Promise<{ id: string; number: number }[]> {
  return tx.query<{ id: string; number: number }>(sql`
    DELETE FROM destruction_acts WHERE keep_until <= ${now} RETURNING id, number`);
}

/** Every organization, for the daily job (a narrow definer function: ids only). */
export async function findRetentionOrgIds(tx: Tx): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(sql`SELECT retention_org_ids() AS id`);
  return rows.map((row) => row.id);
}
