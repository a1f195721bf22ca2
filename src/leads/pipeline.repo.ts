import { type Tx, toNumber } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

// Rows are scoped by row-level security to the transaction's organization.

export type StageKind = 'open' | 'won' | 'lost';

export type StageRow = {
  id: string;
  code: string;
  title: string;
  position: number;
  kind: StageKind;
  isSystem: boolean;
  archivedAt: Date | null;
};

type StoredStage = {
  id: string;
  code: string;
  title: string;
  position: number;
  kind: StageKind;
  is_system: boolean;
  archived_at: Date | null;
};

function toStage(row: StoredStage): StageRow {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    position: Number(row.position),
    kind: row.kind,
    isSystem: row.is_system,
    archivedAt: row.archived_at,
  };
}

export async function findStages(tx: Tx): Promise<StageRow[]> {
  const rows = await tx.query<StoredStage>(sql`
    SELECT id, code, title, position, kind, is_system, archived_at FROM pipeline_stages
    ORDER BY position, code`);
  return rows.map(toStage);
}

export async function insertStagesOnce(
  tx: Tx,
  orgId: string,
  stages: ReadonlyArray<Omit<StageRow, 'id' | 'archivedAt'>>,
): Promise<void> {
  if (stages.length === 0) return;
  const values = stages.map(
    (stage) =>
      sql`(${orgId}::uuid, ${stage.code}, ${stage.title}, ${stage.position}::int, ${stage.kind}, ${stage.isSystem})`,
  );
  await tx.execute(sql`
    INSERT INTO pipeline_stages (org_id, code, title, position, kind, is_system)
    VALUES ${sql.join(values)} ON CONFLICT (org_id, code) DO NOTHING`);
}

export async function updateStage(
  tx: Tx,
  stage: { code: string; title: string; position: number; archivedAt: Date | null },
): Promise<void> {
  await tx.execute(sql`
    UPDATE pipeline_stages SET title = ${stage.title}, position = ${stage.position},
      archived_at = ${stage.archivedAt}
    WHERE code = ${stage.code}`);
}

export type LeadStageRow = {
  id: string;
  contactId: string;
  status: string;
  createdAt: Date;
  stageChangedAt: Date | null;
  firstResponseAt: Date | null;
};

type StoredLeadStage = {
  id: string;
  contact_id: string;
  status: string;
  created_at: Date;
  stage_changed_at: Date | null;
  first_response_at: Date | null;
};

function toLeadStage(row: StoredLeadStage): LeadStageRow {
  return {
    id: row.id,
    contactId: row.contact_id,
    status: row.status,
    createdAt: row.created_at,
    stageChangedAt: row.stage_changed_at,
    firstResponseAt: row.first_response_at,
  };
}

/** The lead, locked for the stage change so two movers serialize. */
export async function findLeadForMove(tx: Tx, leadId: string): Promise<LeadStageRow | null> {
  const rows = await tx.query<StoredLeadStage>(sql`
    SELECT id, contact_id, status, created_at, stage_changed_at, first_response_at
    FROM leads WHERE id = ${leadId} FOR UPDATE`);
  return rows[0] ? toLeadStage(rows[0]) : null;
}

/** The contact's leads, newest first, locked. */
export async function findLeadsOfContactForMove(
  tx: Tx,
  contactId: string,
): Promise<LeadStageRow[]> {
  const rows = await tx.query<StoredLeadStage>(sql`
    SELECT id, contact_id, status, created_at, stage_changed_at, first_response_at
    FROM leads WHERE contact_id = ${contactId} ORDER BY created_at DESC, id FOR UPDATE`);
  return rows.map(toLeadStage);
}

export async function setLeadStage(
  tx: Tx,
  change: {
    leadId: string;
    stage: string;
    lostReason: string | null;
    at: Date;
    firstResponseAt: Date | null;
  },
): Promise<void> {
  await tx.execute(sql`
    UPDATE leads SET status = ${change.stage}, lost_reason = ${change.lostReason},
      stage_changed_at = ${change.at},
      first_response_at = COALESCE(first_response_at, ${change.firstResponseAt}::timestamptz)
    WHERE id = ${change.leadId}`);
}

export async function insertStageEvent(
  tx: Tx,
  event: {
    orgId: string;
    leadId: string;
    fromStage: string | null;
    toStage: string;
    fromAt: Date;
    at: Date;
    lostReason: string | null;
    cause: string;
    actorUserId: string | null;
    actorLabel: string | null;
  },
): Promise<void> {
  tx.defer(sql`
    INSERT INTO lead_stage_events (org_id, lead_id, from_stage, to_stage, from_at, at, lost_reason,
      cause, actor_user_id, actor_label)
    VALUES (${event.orgId}, ${event.leadId}, ${event.fromStage}, ${event.toStage}, ${event.fromAt},
      ${event.at}, ${event.lostReason}, ${event.cause}, ${event.actorUserId}, ${event.actorLabel})`);
}

export async function setLeadAssignee(
  tx: Tx,
  leadId: string,
  assigneeUserId: string | null,
): Promise<number> {
  return tx.execute(
    sql`UPDATE leads SET assignee_user_id = ${assigneeUserId} WHERE id = ${leadId}`,
  );
}

export type StageEventRow = {
  id: string;
  leadId: string;
  fromStage: string | null;
  toStage: string;
  fromAt: Date;
  at: Date;
  lostReason: string | null;
  cause: string;
  actorUserId: string | null;
  actorLabel: string | null;
};

type StoredEvent = {
  id: string;
  lead_id: string;
  from_stage: string | null;
  to_stage: string;
  from_at: Date;
  at: Date;
  lost_reason: string | null;
  cause: string;
  actor_user_id: string | null;
  actor_label: string | null;
};

function toEvent(row: StoredEvent): StageEventRow {
  return {
    id: row.id,
    leadId: row.lead_id,
    fromStage: row.from_stage,
    toStage: row.to_stage,
    fromAt: row.from_at,
    at: row.at,
    lostReason: row.lost_reason,
    cause: row.cause,
    actorUserId: row.actor_user_id,
    actorLabel: row.actor_label,
  };
}

export async function findStageEvents(
  tx: Tx,
  filter: { leadIds: readonly string[]; before?: { at: Date; id: string } | null; limit: number },
): Promise<StageEventRow[]> {
  if (filter.leadIds.length === 0) return [];
  const before = filter.before
    ? sql`AND (at, id::text) < (${filter.before.at}::timestamptz, ${filter.before.id}::text)`
    : sql.empty;
  const rows = await tx.query<StoredEvent>(sql`
    SELECT id, lead_id, from_stage, to_stage, from_at, at, lost_reason, cause, actor_user_id,
      actor_label
    FROM lead_stage_events WHERE lead_id = ANY(${[...filter.leadIds]}::uuid[]) ${before}
    ORDER BY at DESC, id::text DESC LIMIT ${filter.limit}`);
  return rows.map(toEvent);
}

/** Stage durations (seconds) of the changes in a period, per stage left. */
export async function findStageDurations(
  tx: Tx,
  period: { from: Date; to: Date },
): Promise<Array<{ stage: string; count: number; avgSeconds: number; medianSeconds: number }>> {
  const rows = await tx.query<{
    stage: string;
    count: number | string;
    avg_seconds: number | string;
    median_seconds: number | string;
  }>(sql`
    SELECT from_stage AS stage, count(*) AS count,
      avg(extract(epoch FROM at - from_at)) AS avg_seconds,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM at - from_at)) AS median_seconds
    FROM lead_stage_events
    WHERE from_stage IS NOT NULL AND at >= ${period.from} AND at <= ${period.to}
    GROUP BY from_stage`);
  return rows.map((row) => ({
    stage: row.stage,
    count: toNumber(row.count),
    avgSeconds: Number(row.avg_seconds),
    medianSeconds: Number(row.median_seconds),
  }));
}

/** First-response figures of the leads created in a period. */
export async function findFirstResponse(
  tx: Tx,
  period: { from: Date; to: Date },
): Promise<{
  leads: number;
  answered: number;
  avgSeconds: number | null;
  medianSeconds: number | null;
}> {
  const [row] = await tx.query<{
    leads: number | string;
    answered: number | string;
    avg_seconds: number | string | null;
    median_seconds: number | string | null;
  }>(sql`
    SELECT count(*) AS leads, count(first_response_at) AS answered,
      avg(extract(epoch FROM first_response_at - created_at)) AS avg_seconds,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))
        AS median_seconds
    FROM leads WHERE created_at >= ${period.from} AND created_at <= ${period.to}`);
  return {
    leads: toNumber(row?.leads ?? 0),
    answered: toNumber(row?.answered ?? 0),
    avgSeconds: row?.avg_seconds == null ? null : Number(row.avg_seconds),
    medianSeconds: row?.median_seconds == null ? null : Number(row.median_seconds),
  };
}

/** Leads per stage (all time), for the board's column counts and the funnel. */
export async function countLeadsByStage(
  tx: Tx,
  filter: { assigneeUserId?: string | null; source?: string | null },
): Promise<Map<string, number>> {
  const conditions = [sql`TRUE`];
  if (filter.assigneeUserId) conditions.push(sql`assignee_user_id = ${filter.assigneeUserId}`);
  if (filter.source) conditions.push(sql`source = ${filter.source}`);
  const rows = await tx.query<{ status: string; count: number | string }>(sql`
    SELECT status, count(*) AS count FROM leads WHERE ${sql.join(conditions, ' AND ')}
    GROUP BY status`);
  return new Map(rows.map((row) => [row.status, toNumber(row.count)]));
}
