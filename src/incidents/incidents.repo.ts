import { type Tx, toNumber } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';
import type { IncidentKind, IncidentStatus, IncidentStep } from './incidents.schema.ts';

// Rows are scoped by row-level security to the transaction's organization; the explicit
// org_id conditions only help the planner use the (org_id, …) indexes.

/** The sealed free-text columns, by field name. */
export const SEALED_COLUMNS = {
  description: 'description_enc',
  causes: 'causes_enc',
  harm: 'harm_enc',
  measures: 'measures_enc',
  contactPerson: 'contact_person_enc',
  investigation: 'investigation_enc',
  responsiblePersons: 'responsible_persons_enc',
  resolution: 'resolution_enc',
} as const;
export type SealedField = keyof typeof SEALED_COLUMNS;

/** The columns each step fills: when it was sent or done, and the evidence reference. */
export const STEP_COLUMNS = {
  notice24h: { at: 'notice_24h_sent_at', evidence: 'notice_24h_evidence' },
  report72h: { at: 'report_72h_sent_at', evidence: 'report_72h_evidence' },
  gdprNotice: { at: 'gdpr_notice_sent_at', evidence: 'gdpr_notice_evidence' },
  processingStopped: { at: 'processing_stopped_at', evidence: 'processing_stopped_evidence' },
  dataDestroyed: { at: 'data_destroyed_at', evidence: 'data_destroyed_evidence' },
} as const satisfies Record<IncidentStep, { at: string; evidence: string }>;

export type IncidentRow = {
  id: string;
  number: number;
  title: string;
  kind: IncidentKind;
  detectedAt: Date;
  sealed: Record<SealedField, Uint8Array | null>;
  affectedSubjectsCount: number | null;
  affectedCategories: string[];
  gdprApplies: boolean;
  due24hAt: Date;
  due72hAt: Date;
  dueStopAt: Date | null;
  dueDestroyAt: Date | null;
  steps: Record<IncidentStep, { at: Date | null; evidence: string | null }>;
  status: IncidentStatus;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

type StoredIncident = {
  id: string;
  number: number;
  title: string;
  kind: IncidentKind;
  detected_at: Date;
  description_enc: Uint8Array | null;
  causes_enc: Uint8Array | null;
  harm_enc: Uint8Array | null;
  measures_enc: Uint8Array | null;
  contact_person_enc: Uint8Array | null;
  investigation_enc: Uint8Array | null;
  responsible_persons_enc: Uint8Array | null;
  resolution_enc: Uint8Array | null;
  affected_subjects_count: number | null;
  affected_categories: string[];
  gdpr_applies: boolean;
  due_24h_at: Date;
  due_72h_at: Date;
  due_stop_at: Date | null;
  due_destroy_at: Date | null;
  notice_24h_sent_at: Date | null;
  notice_24h_evidence: string | null;
  report_72h_sent_at: Date | null;
  report_72h_evidence: string | null;
  gdpr_notice_sent_at: Date | null;
  gdpr_notice_evidence: string | null;
  processing_stopped_at: Date | null;
  processing_stopped_evidence: string | null;
  data_destroyed_at: Date | null;
  data_destroyed_evidence: string | null;
  status: IncidentStatus;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  total?: number | string;
};

const INCIDENT_COLUMNS = sql`id, number, title, kind, detected_at, description_enc, causes_enc,
  harm_enc, measures_enc, contact_person_enc, investigation_enc, responsible_persons_enc,
  resolution_enc, affected_subjects_count, affected_categories, gdpr_applies, due_24h_at,
  due_72h_at, due_stop_at, due_destroy_at, notice_24h_sent_at, notice_24h_evidence,
  report_72h_sent_at, report_72h_evidence, gdpr_notice_sent_at, gdpr_notice_evidence,
  processing_stopped_at, processing_stopped_evidence, data_destroyed_at, data_destroyed_evidence,
  status, closed_at, created_at, updated_at`;

function toIncident(row: StoredIncident): IncidentRow {
  return {
    id: row.id,
    number: toNumber(row.number),
    title: row.title,
    kind: row.kind,
    detectedAt: row.detected_at,
    sealed: {
      description: row.description_enc,
      causes: row.causes_enc,
      harm: row.harm_enc,
      measures: row.measures_enc,
      contactPerson: row.contact_person_enc,
      investigation: row.investigation_enc,
      responsiblePersons: row.responsible_persons_enc,
      resolution: row.resolution_enc,
    },
    affectedSubjectsCount:
      row.affected_subjects_count === null ? null : toNumber(row.affected_subjects_count),
    affectedCategories: row.affected_categories,
    gdprApplies: row.gdpr_applies,
    due24hAt: row.due_24h_at,
    due72hAt: row.due_72h_at,
    dueStopAt: row.due_stop_at,
    dueDestroyAt: row.due_destroy_at,
    steps: {
      notice24h: { at: row.notice_24h_sent_at, evidence: row.notice_24h_evidence },
      report72h: { at: row.report_72h_sent_at, evidence: row.report_72h_evidence },
      gdprNotice: { at: row.gdpr_notice_sent_at, evidence: row.gdpr_notice_evidence },
      processingStopped: {
        at: row.processing_stopped_at,
        evidence: row.processing_stopped_evidence,
      },
      dataDestroyed: { at: row.data_destroyed_at, evidence: row.data_destroyed_evidence },
    },
    status: row.status,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The next number in the organization's register. Two incidents created at once queue on a
 * transaction-level advisory lock, so numbers never repeat or skip.
 */
export async function nextIncidentNumber(tx: Tx, orgId: string): Promise<number> {
  await tx.query(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`incidents:${orgId}`}, 0))`);
  const [row] = await tx.query<{ next: number | string }>(
    sql`SELECT coalesce(max(number), 0) + 1 AS next FROM incidents WHERE org_id = ${orgId}`,
  );
  return row ? toNumber(row.next) : 1;
}

export type IncidentInsert = {
  id: string;
  orgId: string;
  number: number;
  title: string;
  kind: IncidentKind;
  detectedAt: Date;
  sealed: Partial<Record<SealedField, Uint8Array | null>>;
  affectedSubjectsCount: number | null;
  affectedCategories: string[];
  gdprApplies: boolean;
  due24hAt: Date;
  due72hAt: Date;
  dueStopAt: Date | null;
  dueDestroyAt: Date | null;
  createdBy: string | null;
  at: Date;
};

export async function insertIncident(tx: Tx, row: IncidentInsert): Promise<void> {
  await tx.execute(sql`
    INSERT INTO incidents (id, org_id, number, title, kind, detected_at, description_enc,
      causes_enc, harm_enc, measures_enc, contact_person_enc, affected_subjects_count,
      affected_categories, gdpr_applies, due_24h_at, due_72h_at, due_stop_at, due_destroy_at,
      created_by, created_at, updated_at)
    VALUES (${row.id}, ${row.orgId}, ${row.number}, ${row.title}, ${row.kind}, ${row.detectedAt},
      ${row.sealed.description ?? null}, ${row.sealed.causes ?? null}, ${row.sealed.harm ?? null},
      ${row.sealed.measures ?? null}, ${row.sealed.contactPerson ?? null},
      ${row.affectedSubjectsCount}, ${JSON.stringify(row.affectedCategories)}::jsonb,
      ${row.gdprApplies}, ${row.due24hAt}, ${row.due72hAt}, ${row.dueStopAt}, ${row.dueDestroyAt},
      ${row.createdBy}, ${row.at}, ${row.at})`);
}

export async function findIncident(
  tx: Tx,
  orgId: string,
  id: string,
  options: { isForUpdate?: boolean } = {},
): Promise<IncidentRow | null> {
  const [row] = await tx.query<StoredIncident>(sql`
    SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE org_id = ${orgId} AND id = ${id}
    ${options.isForUpdate ? sql`FOR UPDATE` : sql.empty}`);
  return row ? toIncident(row) : null;
}

export type IncidentChanges = {
  title?: string;
  kind?: IncidentKind;
  detectedAt?: Date;
  sealed?: Partial<Record<SealedField, Uint8Array | null>>;
  affectedSubjectsCount?: number | null;
  affectedCategories?: string[];
  gdprApplies?: boolean;
  due24hAt?: Date;
  due72hAt?: Date;
  dueStopAt?: Date | null;
  dueDestroyAt?: Date | null;
  step?: { step: IncidentStep; at: Date; evidence: string };
  status?: IncidentStatus;
  closedAt?: Date | null;
};

export async function updateIncident(
  tx: Tx,
  orgId: string,
  id: string,
  changes: IncidentChanges,
  at: Date,
): Promise<void> {
  const sets: SqlFragment[] = [sql`updated_at = ${at}`];
  if (changes.title !== undefined) sets.push(sql`title = ${changes.title}`);
  if (changes.kind !== undefined) sets.push(sql`kind = ${changes.kind}`);
  if (changes.detectedAt !== undefined) sets.push(sql`detected_at = ${changes.detectedAt}`);
  for (const [field, value] of Object.entries(changes.sealed ?? {})) {
    // Column names come from the SEALED_COLUMNS whitelist, never from input.
    const column = SEALED_COLUMNS[field as SealedField];
    sets.push(sql`${sql.unsafeRaw(column)} = ${value ?? null}`);
  }
  if (changes.affectedSubjectsCount !== undefined) {
    sets.push(sql`affected_subjects_count = ${changes.affectedSubjectsCount}`);
  }
  if (changes.affectedCategories !== undefined) {
    sets.push(sql`affected_categories = ${JSON.stringify(changes.affectedCategories)}::jsonb`);
  }
  if (changes.gdprApplies !== undefined) sets.push(sql`gdpr_applies = ${changes.gdprApplies}`);
  if (changes.due24hAt !== undefined) sets.push(sql`due_24h_at = ${changes.due24hAt}`);
  if (changes.due72hAt !== undefined) sets.push(sql`due_72h_at = ${changes.due72hAt}`);
  if (changes.dueStopAt !== undefined) sets.push(sql`due_stop_at = ${changes.dueStopAt}`);
  if (changes.dueDestroyAt !== undefined) sets.push(sql`due_destroy_at = ${changes.dueDestroyAt}`);
  if (changes.step) {
    const columns = STEP_COLUMNS[changes.step.step];
    sets.push(sql`${sql.unsafeRaw(columns.at)} = ${changes.step.at}`);
    sets.push(sql`${sql.unsafeRaw(columns.evidence)} = ${changes.step.evidence}`);
  }
  if (changes.status !== undefined) sets.push(sql`status = ${changes.status}`);
  if (changes.closedAt !== undefined) sets.push(sql`closed_at = ${changes.closedAt}`);
  await tx.execute(
    sql`UPDATE incidents SET ${sql.join(sets, ', ')} WHERE org_id = ${orgId} AND id = ${id}`,
  );
}

/** An SQL condition: some clock of the incident ran out at `now` without its step recorded. */
function overdueCondition(now: Date): SqlFragment {
  return sql`(status <> 'closed' AND (
    (notice_24h_sent_at IS NULL AND due_24h_at <= ${now})
    OR (report_72h_sent_at IS NULL AND due_72h_at <= ${now})
    OR (gdpr_applies AND gdpr_notice_sent_at IS NULL AND due_72h_at <= ${now})
    OR (due_stop_at IS NOT NULL AND processing_stopped_at IS NULL AND due_stop_at <= ${now})
    OR (due_destroy_at IS NOT NULL AND data_destroyed_at IS NULL AND due_destroy_at <= ${now})))`;
}

export type IncidentFilter = {
  status?: IncidentStatus | 'active' | undefined;
  kind?: IncidentKind | undefined;
  isOverdue?: boolean | undefined;
  now: Date;
  page: number;
  pageSize: number;
};

export async function findIncidentPage(
  tx: Tx,
  orgId: string,
  filter: IncidentFilter,
): Promise<{ rows: IncidentRow[]; total: number }> {
  const conditions: SqlFragment[] = [sql`org_id = ${orgId}`];
  if (filter.status === 'active') conditions.push(sql`status <> 'closed'`);
  else if (filter.status) conditions.push(sql`status = ${filter.status}`);
  if (filter.kind) conditions.push(sql`kind = ${filter.kind}`);
  if (filter.isOverdue === true) conditions.push(overdueCondition(filter.now));
  if (filter.isOverdue === false) conditions.push(sql`NOT ${overdueCondition(filter.now)}`);
  const where = sql.join(conditions, ' AND ');
  // Open incidents first, then the newest detection.
  const rows = await tx.query<StoredIncident>(sql`
    SELECT ${INCIDENT_COLUMNS}, count(*) OVER () AS total
    FROM incidents WHERE ${where}
    ORDER BY (status = 'closed'), detected_at DESC, number DESC
    LIMIT ${filter.pageSize} OFFSET ${(filter.page - 1) * filter.pageSize}`);
  let total = rows[0]?.total === undefined ? 0 : toNumber(rows[0].total);
  if (rows.length === 0 && filter.page > 1) {
    const [count] = await tx.query<{ total: number | string }>(
      sql`SELECT count(*) AS total FROM incidents WHERE ${where}`,
    );
    total = count ? toNumber(count.total) : 0;
  }
  return { rows: rows.map(toIncident), total };
}

/** Every incident not closed (a register holds few open ones at a time). */
export async function findActiveIncidents(tx: Tx, orgId: string): Promise<IncidentRow[]> {
  const rows = await tx.query<StoredIncident>(sql`
    SELECT ${INCIDENT_COLUMNS} FROM incidents
    WHERE org_id = ${orgId} AND status <> 'closed'
    ORDER BY detected_at`);
  return rows.map(toIncident);
}

// Records

export type IncidentRecordRow = {
  id: string;
  contactId: string | null;
  accessLogId: number | null;
  accessEntry: {
    at: Date;
    subjectType: string;
    subjectId: string;
    reason: string;
    actorUserId: string | null;
  } | null;
  createdAt: Date;
};

export async function findIncidentRecords(
  tx: Tx,
  orgId: string,
  incidentId: string,
): Promise<IncidentRecordRow[]> {
  const rows = await tx.query<{
    id: string;
    contact_id: string | null;
    access_log_id: number | string | null;
    created_at: Date;
    log_at: Date | null;
    subject_type: string | null;
    subject_id: string | null;
    reason: string | null;
    actor_user_id: string | null;
  }>(sql`
    SELECT r.id, r.contact_id, r.access_log_id, r.created_at, a.at AS log_at, a.subject_type,
           a.subject_id, a.reason, a.actor_user_id
    FROM incident_records r
    LEFT JOIN access_log a ON a.id = r.access_log_id AND a.org_id = r.org_id
    WHERE r.org_id = ${orgId} AND r.incident_id = ${incidentId}
    ORDER BY r.created_at, r.id`);
  return rows.map((row) => ({
    id: row.id,
    contactId: row.contact_id,
    accessLogId: row.access_log_id === null ? null : toNumber(row.access_log_id),
    accessEntry:
      row.log_at && row.subject_type !== null && row.subject_id !== null
        ? {
            at: row.log_at,
            subjectType: row.subject_type,
            subjectId: row.subject_id,
            reason: row.reason ?? '',
            actorUserId: row.actor_user_id,
          }
        : null,
    createdAt: row.created_at,
  }));
}

/** Of these contact ids, the ones that exist in the organization. */
export async function findExistingContactIds(
  tx: Tx,
  orgId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.query<{ id: string }>(
    sql`SELECT id FROM contacts WHERE org_id = ${orgId} AND id = ANY(${[...ids]}::uuid[])`,
  );
  return new Set(rows.map((row) => row.id));
}

/** Of these access-log ids, the ones in the organization's log (row-level security scopes it). */
export async function findExistingAccessLogIds(
  tx: Tx,
  orgId: string,
  ids: readonly number[],
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.query<{ id: number | string }>(
    sql`SELECT id FROM access_log WHERE org_id = ${orgId} AND id = ANY(${ids.map(String)}::bigint[])`,
  );
  return new Set(rows.map((row) => toNumber(row.id)));
}

/** Links records; ones linked already are skipped. Returns the ids of the new links. */
export async function insertIncidentRecords(
  tx: Tx,
  input: {
    orgId: string;
    incidentId: string;
    contactIds: readonly string[];
    accessLogIds: readonly number[];
    createdBy: string | null;
    at: Date;
  },
): Promise<{ contactIds: string[]; accessLogIds: number[] }> {
  const contacts =
    input.contactIds.length === 0
      ? []
      : await tx.query<{ contact_id: string }>(sql`
          INSERT INTO incident_records (org_id, incident_id, contact_id, created_by, created_at)
          SELECT ${input.orgId}, ${input.incidentId}, contact_id, ${input.createdBy}, ${input.at}
          FROM unnest(${[...input.contactIds]}::uuid[]) AS contact_id
          ON CONFLICT (incident_id, contact_id) WHERE contact_id IS NOT NULL DO NOTHING
          RETURNING contact_id`);
  const entries =
    input.accessLogIds.length === 0
      ? []
      : await tx.query<{ access_log_id: number | string }>(sql`
          INSERT INTO incident_records (org_id, incident_id, access_log_id, created_by, created_at)
          SELECT ${input.orgId}, ${input.incidentId}, access_log_id, ${input.createdBy}, ${input.at}
          FROM unnest(${input.accessLogIds.map(String)}::bigint[]) AS access_log_id
          ON CONFLICT (incident_id, access_log_id) WHERE access_log_id IS NOT NULL DO NOTHING
          RETURNING access_log_id`);
  return {
    contactIds: contacts.map((row) => row.contact_id),
    accessLogIds: entries.map((row) => toNumber(row.access_log_id)),
  };
}

export async function deleteIncidentRecord(
  tx: Tx,
  orgId: string,
  incidentId: string,
  recordId: string,
): Promise<{ contactId: string | null; accessLogId: number | null } | null> {
  const [row] = await tx.query<{
    contact_id: string | null;
    access_log_id: number | string | null;
  }>(
    sql`DELETE FROM incident_records
        WHERE org_id = ${orgId} AND incident_id = ${incidentId} AND id = ${recordId}
        RETURNING contact_id, access_log_id`,
  );
  if (!row) return null;
  return {
    contactId: row.contact_id,
    accessLogId: row.access_log_id === null ? null : toNumber(row.access_log_id),
  };
}

// Events

export type IncidentEventInsert = {
  orgId: string;
  incidentId: string;
  at: Date;
  actorUserId: string | null;
  actorTokenId: string | null;
  actorLabel: string | null;
  action: string;
  details: Record<string, unknown>;
};

export function insertIncidentEvent(tx: Tx, row: IncidentEventInsert): void {
  tx.defer(sql`
    INSERT INTO incident_events (org_id, incident_id, at, actor_user_id, actor_token_id,
      actor_label, action, details)
    VALUES (${row.orgId}, ${row.incidentId}, ${row.at}, ${row.actorUserId}, ${row.actorTokenId},
      ${row.actorLabel}, ${row.action}, ${JSON.stringify(row.details)}::jsonb)`);
}

export type IncidentEventRow = {
  id: number;
  at: Date;
  actorUserId: string | null;
  actorTokenId: string | null;
  actorLabel: string | null;
  action: string;
  details: Record<string, unknown>;
};

export async function findIncidentEvents(
  tx: Tx,
  orgId: string,
  incidentId: string,
): Promise<IncidentEventRow[]> {
  const rows = await tx.query<{
    id: number | string;
    at: Date;
    actor_user_id: string | null;
    actor_token_id: string | null;
    actor_label: string | null;
    action: string;
    details: Record<string, unknown>;
  }>(sql`
    SELECT id, at, actor_user_id, actor_token_id, actor_label, action, details
    FROM incident_events WHERE org_id = ${orgId} AND incident_id = ${incidentId}
    ORDER BY id`);
  return rows.map((row) => ({
    id: toNumber(row.id),
    at: row.at,
    actorUserId: row.actor_user_id,
    actorTokenId: row.actor_token_id,
    actorLabel: row.actor_label,
    action: row.action,
    details: row.details,
  }));
}
