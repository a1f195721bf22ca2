import { type Tx, toNumber } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';
import type { FindingCode } from './site-check.codes.ts';

// Rows are scoped by row-level security to the transaction's organization; the explicit
// org_id conditions only help the planner use the (org_id, created_at) index.

export type StoredFinding = { code: FindingCode; evidence: string[] };

export type SiteCheckRow = {
  id: string;
  source: 'url' | 'html';
  url: string | null;
  finalUrl: string | null;
  score: number;
  isClinic: boolean;
  isFullPage: boolean;
  htmlBytes: number;
  counts: { high: number; medium: number; low: number };
  findings: StoredFinding[];
  createdAt: Date;
};

type StoredRow = {
  id: string;
  source: 'url' | 'html';
  url: string | null;
  final_url: string | null;
  score: number;
  is_clinic: boolean;
  is_full_page: boolean;
  html_bytes: number;
  high_count: number;
  medium_count: number;
  low_count: number;
  findings: StoredFinding[] | string;
  created_at: Date;
  total?: number | string;
};

const COLUMNS = sql`id, source, url, final_url, score, is_clinic, is_full_page, html_bytes,
  high_count, medium_count, low_count, findings, created_at`;

function toRow(row: StoredRow): SiteCheckRow {
  return {
    id: row.id,
    source: row.source,
    url: row.url,
    finalUrl: row.final_url,
    score: toNumber(row.score),
    isClinic: row.is_clinic,
    isFullPage: row.is_full_page,
    htmlBytes: toNumber(row.html_bytes),
    counts: {
      high: toNumber(row.high_count),
      medium: toNumber(row.medium_count),
      low: toNumber(row.low_count),
    },
    findings:
      typeof row.findings === 'string'
        ? (JSON.parse(row.findings) as StoredFinding[])
        : row.findings,
    createdAt: row.created_at,
  };
}

export async function insertSiteCheck(
  tx: Tx,
  input: Omit<SiteCheckRow, 'id' | 'createdAt'> & {
    orgId: string;
    checkedBy: string | null;
    checkedByToken: string | null;
    at: Date;
  },
): Promise<SiteCheckRow> {
  const [row] = await tx.query<StoredRow>(sql`
    INSERT INTO site_checks (org_id, source, url, final_url, score, is_clinic, is_full_page,
      html_bytes, high_count, medium_count, low_count, findings, checked_by, checked_by_token,
      created_at)
    VALUES (${input.orgId}, ${input.source}, ${input.url}, ${input.finalUrl}, ${input.score},
      ${input.isClinic}, ${input.isFullPage}, ${input.htmlBytes}, ${input.counts.high},
      ${input.counts.medium}, ${input.counts.low}, ${JSON.stringify(input.findings)}::jsonb,
      ${input.checkedBy}, ${input.checkedByToken}, ${input.at})
    RETURNING ${COLUMNS}`);
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return toRow(row);
}

export async function findSiteCheckPage(
  tx: Tx,
  orgId: string,
  page: { page: number; pageSize: number },
): Promise<{ rows: SiteCheckRow[]; total: number }> {
  const rows = await tx.query<StoredRow>(sql`
    SELECT ${COLUMNS}, count(*) OVER () AS total
    FROM site_checks WHERE org_id = ${orgId}
    ORDER BY created_at DESC, id
    LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`);
  let total = rows[0]?.total === undefined ? 0 : toNumber(rows[0].total);
  if (rows.length === 0 && page.page > 1) {
    const [count] = await tx.query<{ total: number | string }>(
      sql`SELECT count(*) AS total FROM site_checks WHERE org_id = ${orgId}`,
    );
    total = count ? toNumber(count.total) : 0;
  }
  return { rows: rows.map(toRow), total };
}

export async function findSiteCheck(
  tx: Tx,
  orgId: string,
  id: string,
): Promise<SiteCheckRow | null> {
  const [row] = await tx.query<StoredRow>(
    sql`SELECT ${COLUMNS} FROM site_checks WHERE org_id = ${orgId} AND id = ${id}`,
  );
  return row ? toRow(row) : null;
}
