import type { Tx } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';
import type { TSegmentFilters } from './segments.schema.ts';

export type SegmentRecord = {
  id: string;
  name: string;
  purposeId: string;
  filters: TSegmentFilters;
  createdAt: Date;
  updatedAt: Date;
};

type SegmentRow = {
  id: string;
  name: string;
  purpose_id: string;
  filters: TSegmentFilters;
  created_at: Date;
  updated_at: Date;
};

const toSegment = (row: SegmentRow): SegmentRecord => ({
  id: row.id,
  name: row.name,
  purposeId: row.purpose_id,
  filters: row.filters,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function insertSegment(
  tx: Tx,
  row: {
    id: string;
    orgId: string;
    name: string;
    purposeId: string;
    filters: TSegmentFilters;
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO segments (id, org_id, name, purpose_id, filters, created_by, created_at, updated_at)
    VALUES (${row.id}, ${row.orgId}, ${row.name}, ${row.purposeId}, ${JSON.stringify(row.filters)}::jsonb,
            ${row.createdBy}, ${row.at}, ${row.at})`);
}

export async function updateSegment(
  tx: Tx,
  row: { id: string; name: string; purposeId: string; filters: TSegmentFilters; at: Date },
): Promise<boolean> {
  const changed = await tx.execute(sql`
    UPDATE segments SET name = ${row.name}, purpose_id = ${row.purposeId},
      filters = ${JSON.stringify(row.filters)}::jsonb, updated_at = ${row.at}
    WHERE id = ${row.id} AND archived_at IS NULL`);
  return changed > 0;
}

export async function archiveSegment(tx: Tx, id: string, at: Date): Promise<boolean> {
  const changed = await tx.execute(
    sql`UPDATE segments SET archived_at = ${at} WHERE id = ${id} AND archived_at IS NULL`,
  );
  return changed > 0;
}

export async function findSegmentById(tx: Tx, id: string): Promise<SegmentRecord | null> {
  const [row] = await tx.query<SegmentRow>(sql`
    SELECT id, name, purpose_id, filters, created_at, updated_at FROM segments
    WHERE id = ${id} AND archived_at IS NULL`);
  return row ? toSegment(row) : null;
}

export async function findSegmentRows(tx: Tx): Promise<SegmentRecord[]> {
  const rows = await tx.query<SegmentRow>(sql`
    SELECT id, name, purpose_id, filters, created_at, updated_at FROM segments
    WHERE archived_at IS NULL ORDER BY created_at DESC, id LIMIT 500`);
  return rows.map(toSegment);
}

/** Which of these data category codes the organization's purposes mark as special (R-C5). */
export async function findSpecialCategoryCodes(
  tx: Tx,
  codes: readonly string[],
): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await tx.query<{ code: string }>(sql`
    SELECT DISTINCT category->>'code' AS code
    FROM purpose_versions, jsonb_array_elements(data_categories) AS category
    WHERE (category->>'isSpecial')::boolean AND category->>'code' = ANY(${[...codes]}::text[])`);
  return rows.map((row) => row.code);
}

/** A contact's current consent state for a purpose (the journal's projection, 0013). */
function latestEvent(purposeId: string): SqlFragment {
  return sql`(SELECT s.event, s.expires_at FROM consent_states s
    WHERE s.contact_id = c.id AND s.purpose_id = ${purposeId})`;
}

/**
 * A segment's filters as one set-based predicate on contacts `c`. Unordered: an ORDER BY on
 * random uuids turns a million-row sequential scan into random reads (bench/gate.ts); the
 * preview orders only the page it shows.
 */
type SegmentInput = { filters: TSegmentFilters; consentPurposeId: string | null; now: Date };

export function segmentWhere(input: SegmentInput): SqlFragment {
  const filters = input.filters;
  const where: SqlFragment[] = [sql`c.erased_at IS NULL`];
  if (filters.hasEmail !== undefined) {
    where.push(filters.hasEmail ? sql`c.email_index IS NOT NULL` : sql`c.email_index IS NULL`);
  }
  if (filters.hasPhone !== undefined) {
    where.push(filters.hasPhone ? sql`c.phone_index IS NOT NULL` : sql`c.phone_index IS NULL`);
  }
  if (filters.leadStatuses?.length) {
    where.push(sql`EXISTS (SELECT 1 FROM leads l WHERE l.org_id = c.org_id AND l.contact_id = c.id
      AND l.status = ANY(${filters.leadStatuses}::text[]))`);
  }
  if (filters.leadSources?.length) {
    where.push(sql`EXISTS (SELECT 1 FROM leads l WHERE l.org_id = c.org_id AND l.contact_id = c.id
      AND l.source = ANY(${filters.leadSources}::text[]))`);
  }
  if (filters.lastActivityFrom || filters.lastActivityTo) {
    const from = filters.lastActivityFrom
      ? new Date(`${filters.lastActivityFrom}T00:00:00Z`)
      : null;
    const to = filters.lastActivityTo
      ? new Date(new Date(`${filters.lastActivityTo}T00:00:00Z`).getTime() + 86_400_000)
      : null;
    const last = sql`GREATEST(
      (SELECT max(s.created_at) FROM submissions s WHERE s.org_id = c.org_id AND s.contact_id = c.id),
      (SELECT max(l.created_at) FROM leads l WHERE l.org_id = c.org_id AND l.contact_id = c.id))`;
    if (from) where.push(sql`${last} >= ${from}`);
    if (to) where.push(sql`${last} < ${to}`);
  }
  if (filters.consent && input.consentPurposeId) {
    const latest = latestEvent(input.consentPurposeId);
    switch (filters.consent.state) {
      case 'none':
        where.push(sql`NOT EXISTS ${latest}`);
        break;
      case 'withdrawn':
        where.push(sql`EXISTS (SELECT 1 FROM ${latest} e WHERE e.event = 'withdrawn')`);
        break;
      case 'given':
        where.push(sql`EXISTS (SELECT 1 FROM ${latest} e WHERE e.event IN ('given', 'renewed')
          AND (e.expires_at IS NULL OR e.expires_at > ${input.now}))`);
        break;
      case 'expired':
        where.push(sql`EXISTS (SELECT 1 FROM ${latest} e WHERE e.event = 'expired'
          OR (e.event IN ('given', 'renewed') AND e.expires_at <= ${input.now}))`);
        break;
    }
  }
  if (filters.dataCategories?.length) {
    where.push(sql`EXISTS (SELECT 1 FROM consent_journal j
      JOIN purpose_versions v ON v.id = j.purpose_version_id
      WHERE j.org_id = c.org_id AND j.contact_id = c.id AND j.event IN ('given', 'renewed')
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(v.data_categories) AS category
          WHERE category->>'code' = ANY(${filters.dataCategories}::text[])))`);
  }
  return sql.join(where, ' AND ');
}

/**
 * Memory for the sorts and hashes of one audience statement (a million contacts), for this
 * transaction only: with the default 4 MB PostgreSQL sorts on disk.
 */
export async function allowLargeAudience(tx: Tx): Promise<void> {
  // Compiling the statement (JIT) costs more than it saves on a plan this simple.
  await tx.query(sql`SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)`);
}
