import type { Tx } from '../platform/db/db.ts';
import { toNumber } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';
import type { TAccessQuery, TAuditQuery } from './access-log.schema.ts';

export type AuditRow = {
  orgId: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  actorLabel: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
  at: Date;
};

export type AccessRow = {
  orgId: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  actorLabel: string | null;
  subjectType: string;
  subjectIds: readonly string[];
  fields: readonly string[];
  reason: string;
  route: string | null;
  requestId: string | null;
  at: Date;
};

export async function insertAudit(tx: Tx, row: AuditRow): Promise<void> {
  tx.defer(sql`
    INSERT INTO audit_log (org_id, at, actor_user_id, actor_token_id, actor_label, action,
                           entity_type, entity_id, details, request_id)
    VALUES (${row.orgId}, ${row.at}, ${row.actorUserId}, ${row.actorTokenId}, ${row.actorLabel}, ${row.action},
            ${row.entityType}, ${row.entityId}, ${JSON.stringify(row.details)}::jsonb,
            ${row.requestId})`);
}

/** One row per subject read: an export of 500 contacts is 500 rows (R-L6). */
export async function insertAccess(tx: Tx, row: AccessRow): Promise<void> {
  if (row.subjectIds.length === 0) return;
  tx.defer(sql`
    INSERT INTO access_log (org_id, at, actor_user_id, actor_token_id, actor_label, subject_type,
                            subject_id, fields, reason, route, request_id)
    SELECT ${row.orgId}, ${row.at}, ${row.actorUserId}, ${row.actorTokenId}, ${row.actorLabel}, ${row.subjectType},
           subject_id, ${[...row.fields]}::text[], ${row.reason}, ${row.route}, ${row.requestId}
    FROM unnest(${[...row.subjectIds]}::text[]) AS subject_id`);
}

type StoredAudit = {
  id: number | string;
  at: Date;
  actor_user_id: string | null;
  actor_token_id: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  details: Record<string, unknown>;
  request_id: string | null;
  total: number | string;
};

type StoredAccess = {
  id: number | string;
  at: Date;
  actor_user_id: string | null;
  actor_token_id: string | null;
  actor_label: string | null;
  subject_type: string;
  subject_id: string;
  fields: string[];
  reason: string;
  route: string | null;
  request_id: string | null;
  total: number | string;
};

function periodFilter(query: {
  from?: string | undefined;
  to?: string | undefined;
}): SqlFragment[] {
  const conditions: SqlFragment[] = [];
  if (query.from) conditions.push(sql`at >= ${query.from}::timestamptz`);
  if (query.to) conditions.push(sql`at < ${query.to}::timestamptz`);
  return conditions;
}

function where(conditions: SqlFragment[]): SqlFragment {
  return conditions.length > 0 ? sql`WHERE ${sql.join(conditions, ' AND ')}` : sql.empty;
}

// Rows are scoped by row-level security to the transaction's organization.
export async function findAudit(tx: Tx, query: TAuditQuery) {
  const conditions = periodFilter(query);
  if (query.action) conditions.push(sql`action = ${query.action}`);
  if (query.entityType) conditions.push(sql`entity_type = ${query.entityType}`);
  if (query.actorUserId) conditions.push(sql`actor_user_id = ${query.actorUserId}`);
  const rows = await tx.query<StoredAudit>(sql`
    SELECT id, at, actor_user_id, actor_token_id, actor_label, action, entity_type, entity_id, details,
           request_id, count(*) OVER () AS total
    FROM audit_log ${where(conditions)}
    ORDER BY at DESC, id DESC
    LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`);
  const total = rows[0] ? toNumber(rows[0].total) : await countRows(tx, 'audit', conditions);
  return {
    total,
    rows: rows.map((row) => ({
      id: toNumber(row.id),
      at: row.at,
      actorUserId: row.actor_user_id,
      actorTokenId: row.actor_token_id,
      actorLabel: row.actor_label,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      details: row.details,
      requestId: row.request_id,
    })),
  };
}

export async function findAccess(tx: Tx, query: TAccessQuery) {
  const conditions = periodFilter(query);
  if (query.subjectType) conditions.push(sql`subject_type = ${query.subjectType}`);
  if (query.subjectId) conditions.push(sql`subject_id = ${query.subjectId}`);
  if (query.actorUserId) conditions.push(sql`actor_user_id = ${query.actorUserId}`);
  const rows = await tx.query<StoredAccess>(sql`
    SELECT id, at, actor_user_id, actor_token_id, actor_label, subject_type, subject_id, fields, reason,
           route, request_id, count(*) OVER () AS total
    FROM access_log ${where(conditions)}
    ORDER BY at DESC, id DESC
    LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`);
  const total = rows[0] ? toNumber(rows[0].total) : await countRows(tx, 'access', conditions);
  return {
    total,
    rows: rows.map((row) => ({
      id: toNumber(row.id),
      at: row.at,
      actorUserId: row.actor_user_id,
      actorTokenId: row.actor_token_id,
      actorLabel: row.actor_label,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      fields: row.fields,
      reason: row.reason,
      route: row.route,
      requestId: row.request_id,
    })),
  };
}

// A page past the end has no rows to carry the window count.
async function countRows(
  tx: Tx,
  table: 'audit' | 'access',
  conditions: SqlFragment[],
): Promise<number> {
  const from = table === 'audit' ? sql`audit_log` : sql`access_log`;
  const [row] = await tx.query<{ total: number | string }>(
    sql`SELECT count(*) AS total FROM ${from} ${where(conditions)}`,
  );
  return row ? toNumber(row.total) : 0;
}
