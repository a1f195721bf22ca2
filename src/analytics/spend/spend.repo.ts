import { type Tx, toNumber } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';
import type { TSpendQuery } from './spend.schema.ts';
import type { SpendFormat, SpendRow, VatMode } from './spend-file.ts';

// Rows are scoped by row-level security to the transaction's organization; the explicit
// org_id conditions help the planner use the indexes.

export type SpendEntryRow = {
  id: string;
  origin: 'import' | 'manual';
  importId: string | null;
  channel: string;
  source: string;
  campaign: string;
  keyword: string;
  periodStart: string;
  periodEnd: string;
  amountKopecks: number;
  vat: VatMode;
  isUnattributable: boolean;
  note: string;
  createdAt: Date;
};

type StoredEntry = {
  id: string;
  origin: 'import' | 'manual';
  import_id: string | null;
  channel: string;
  source: string;
  campaign: string;
  keyword: string;
  period_start: string;
  period_end: string;
  amount_kopecks: number | string;
  vat: VatMode;
  is_unattributable: boolean;
  note: string;
  created_at: Date;
};

const ENTRY_COLUMNS = sql`id, origin, import_id, channel, source, campaign, keyword,
  period_start::text AS period_start, period_end::text AS period_end, amount_kopecks, vat,
  is_unattributable, note, created_at`;

function toEntry(row: StoredEntry): SpendEntryRow {
  return {
    id: row.id,
    origin: row.origin,
    importId: row.import_id,
    channel: row.channel,
    source: row.source,
    campaign: row.campaign,
    keyword: row.keyword,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    amountKopecks: toNumber(row.amount_kopecks),
    vat: row.vat,
    isUnattributable: row.is_unattributable,
    note: row.note,
    createdAt: new Date(row.created_at),
  };
}

/** How many stored cabinet rows share a day, campaign and keyword with these. */
export async function countReplacedRows(
  tx: Tx,
  orgId: string,
  channel: string,
  rows: readonly SpendRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const [row] = await tx.query<{ count: number | string }>(sql`
    SELECT count(*) AS count
    FROM spend_entries e
    JOIN unnest(${rows.map((item) => item.day)}::date[], ${rows.map((item) => item.campaign)}::text[],
      ${rows.map((item) => item.keyword)}::text[]) AS r(day, campaign, keyword)
      ON e.period_start = r.day AND e.campaign = r.campaign AND e.keyword = r.keyword
    WHERE e.org_id = ${orgId} AND e.origin = 'import' AND e.channel = ${channel}`);
  return toNumber(row?.count ?? 0);
}

export type ImportInsert = {
  orgId: string;
  format: SpendFormat;
  channel: string;
  source: string;
  fileName: string | null;
  rowsTotal: number;
  rowsFailed: number;
  vat: VatMode;
  rows: readonly SpendRow[];
  createdBy: string | null;
  createdByToken: string | null;
  at: Date;
};

/** Stores the import and its rows; a day of a campaign and keyword imported before is replaced. */
export async function insertSpendImport(tx: Tx, input: ImportInsert): Promise<string> {
  const days = input.rows.map((row) => row.day).sort();
  const amount = input.rows.reduce((sum, row) => sum + row.amountKopecks, 0);
  const [created] = await tx.query<{ id: string }>(sql`
    INSERT INTO spend_imports (org_id, format, channel, file_name, rows_total, rows_imported,
      rows_failed, amount_kopecks, period_start, period_end, vat, created_by, created_by_token,
      created_at)
    VALUES (${input.orgId}, ${input.format}, ${input.channel}, ${input.fileName},
      ${input.rowsTotal}, ${input.rows.length}, ${input.rowsFailed}, ${amount},
      ${days[0] ?? null}, ${days.at(-1) ?? null}, ${input.vat}, ${input.createdBy},
      ${input.createdByToken}, ${input.at})
    RETURNING id`);
  const importId = created?.id ?? '';
  // One statement per 5,000 rows: arrays through unnest, not one INSERT per row.
  for (let start = 0; start < input.rows.length; start += 5000) {
    const chunk = input.rows.slice(start, start + 5000);
    await tx.execute(sql`
      INSERT INTO spend_entries (org_id, origin, import_id, channel, source, campaign, keyword,
        period_start, period_end, amount_kopecks, vat, created_by, created_at, updated_at)
      SELECT ${input.orgId}, 'import', ${importId}, ${input.channel}, ${input.source},
        r.campaign, r.keyword, r.day, r.day, r.amount, ${input.vat}, ${input.createdBy},
        ${input.at}, ${input.at}
      FROM unnest(${chunk.map((row) => row.day)}::date[], ${chunk.map((row) => row.campaign)}::text[],
        ${chunk.map((row) => row.keyword)}::text[], ${chunk.map((row) => row.amountKopecks)}::bigint[])
        AS r(day, campaign, keyword, amount)
      ON CONFLICT (org_id, channel, period_start, campaign, keyword) WHERE origin = 'import'
      DO UPDATE SET import_id = EXCLUDED.import_id, amount_kopecks = EXCLUDED.amount_kopecks,
        vat = EXCLUDED.vat, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at`);
  }
  return importId;
}

export type SpendImportRow = {
  id: string;
  format: SpendFormat;
  channel: string;
  fileName: string | null;
  rowsTotal: number;
  rowsImported: number;
  rowsFailed: number;
  amountKopecks: number;
  periodStart: string | null;
  periodEnd: string | null;
  vat: VatMode;
  createdAt: Date;
};

export async function findSpendImportPage(
  tx: Tx,
  orgId: string,
  page: { page: number; pageSize: number },
): Promise<{ rows: SpendImportRow[]; total: number }> {
  const rows = await tx.query<{
    id: string;
    format: SpendFormat;
    channel: string;
    file_name: string | null;
    rows_total: number;
    rows_imported: number;
    rows_failed: number;
    amount_kopecks: number | string;
    period_start: string | null;
    period_end: string | null;
    vat: VatMode;
    created_at: Date;
    total: number | string;
  }>(sql`
    SELECT id, format, channel, file_name, rows_total, rows_imported, rows_failed, amount_kopecks,
      period_start::text AS period_start, period_end::text AS period_end, vat, created_at,
      count(*) OVER () AS total
    FROM spend_imports WHERE org_id = ${orgId}
    ORDER BY created_at DESC, id
    LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`);
  return {
    rows: rows.map((row) => ({
      id: row.id,
      format: row.format,
      channel: row.channel,
      fileName: row.file_name,
      rowsTotal: toNumber(row.rows_total),
      rowsImported: toNumber(row.rows_imported),
      rowsFailed: toNumber(row.rows_failed),
      amountKopecks: toNumber(row.amount_kopecks),
      periodStart: row.period_start,
      periodEnd: row.period_end,
      vat: row.vat,
      createdAt: new Date(row.created_at),
    })),
    total: toNumber(rows[0]?.total ?? 0),
  };
}

function entryFilter(orgId: string, query: Omit<TSpendQuery, 'page' | 'pageSize'>) {
  return sql`e.org_id = ${orgId}
    ${query.from ? sql`AND e.period_end >= ${query.from}::date` : sql.empty}
    ${query.to ? sql`AND e.period_start <= ${query.to}::date` : sql.empty}
    ${query.channel ? sql`AND e.channel = ${query.channel}` : sql.empty}
    ${query.origin ? sql`AND e.origin = ${query.origin}` : sql.empty}`;
}

export async function findSpendEntryPage(
  tx: Tx,
  orgId: string,
  query: TSpendQuery,
): Promise<{ rows: SpendEntryRow[]; total: number; amountKopecks: number }> {
  const [totals] = await tx.query<{ total: number | string; amount: number | string | null }>(sql`
    SELECT count(*) AS total, sum(amount_kopecks) AS amount
    FROM spend_entries e WHERE ${entryFilter(orgId, query)}`);
  const rows = await tx.query<StoredEntry>(sql`
    SELECT ${ENTRY_COLUMNS} FROM spend_entries e WHERE ${entryFilter(orgId, query)}
    ORDER BY period_start DESC, channel, campaign, keyword, id
    LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`);
  return {
    rows: rows.map(toEntry),
    total: toNumber(totals?.total ?? 0),
    amountKopecks: toNumber(totals?.amount ?? 0),
  };
}

export type ManualInsert = {
  orgId: string;
  channel: string;
  campaign: string;
  periodStart: string;
  periodEnd: string;
  amountKopecks: number;
  vat: VatMode;
  isUnattributable: boolean;
  note: string;
  createdBy: string | null;
  at: Date;
};

export async function insertManualSpend(tx: Tx, input: ManualInsert): Promise<SpendEntryRow> {
  const [row] = await tx.query<StoredEntry>(sql`
    INSERT INTO spend_entries (org_id, origin, channel, source, campaign, period_start, period_end,
      amount_kopecks, vat, is_unattributable, note, created_by, created_at, updated_at)
    VALUES (${input.orgId}, 'manual', ${input.channel}, ${input.channel}, ${input.campaign},
      ${input.periodStart}, ${input.periodEnd}, ${input.amountKopecks}, ${input.vat},
      ${input.isUnattributable}, ${input.note}, ${input.createdBy}, ${input.at}, ${input.at})
    RETURNING ${ENTRY_COLUMNS}`);
  if (!row) throw new Error('INSERT returned no row');
  return toEntry(row);
}

export async function updateManualSpend(
  tx: Tx,
  id: string,
  input: Omit<ManualInsert, 'createdBy'>,
): Promise<SpendEntryRow | null> {
  const [row] = await tx.query<StoredEntry>(sql`
    UPDATE spend_entries SET channel = ${input.channel}, source = ${input.channel},
      campaign = ${input.campaign}, period_start = ${input.periodStart},
      period_end = ${input.periodEnd}, amount_kopecks = ${input.amountKopecks},
      vat = ${input.vat}, is_unattributable = ${input.isUnattributable}, note = ${input.note},
      updated_at = ${input.at}
    WHERE org_id = ${input.orgId} AND id = ${id} AND origin = 'manual'
    RETURNING ${ENTRY_COLUMNS}`);
  return row ? toEntry(row) : null;
}

/** Removes one entry (manual or imported); true when it existed. */
export async function deleteSpendEntry(tx: Tx, orgId: string, id: string): Promise<boolean> {
  return (
    (await tx.execute(sql`DELETE FROM spend_entries WHERE org_id = ${orgId} AND id = ${id}`)) > 0
  );
}
