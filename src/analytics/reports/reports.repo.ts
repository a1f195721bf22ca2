// The report queries: de-identified aggregates only. Sessions, conversions and spend are summed
// per key (channel → source → campaign → keyword) and, for trends, per day/week/month; no query
// here reads a contact, a name, a phone or an email.

import { type Tx, toNumber } from '../../platform/db/db.ts';
import { type SqlFragment, sql } from '../../platform/db/sql.ts';

/** Days are the clinic's days: Moscow time (UTC+3, no daylight saving). */
export const REPORT_TIME_ZONE = 'Europe/Moscow';

export const DIMENSIONS = ['channel', 'source', 'campaign', 'keyword'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Bucket = 'day' | 'week' | 'month';

export type ReportFilter = {
  orgId: string;
  /** Inclusive local dates, YYYY-MM-DD. */
  from: string;
  to: string;
  channel?: string | undefined;
};

export type AggregateRow = {
  channel: string;
  source: string;
  campaign: string;
  keyword: string;
  bucket: string | null;
  spendKopecks: number;
  unattributableSpendKopecks: number;
  siteVisits: number;
  leads: number;
  calls: number;
  bookings: number;
  clinicVisits: number;
  newPatients: number;
  payments: number;
  revenueKopecks: number;
};

/**
 * The key columns a dimension groups by: source means channel and source; campaign means
 * channel and campaign; keyword adds the keyword. (Spend rows name the cabinet, not the
 * visit's utm_source, so campaigns are not split by source.)
 */
const KEYS_OF: Record<Dimension, readonly string[]> = {
  channel: ['channel'],
  source: ['channel', 'source'],
  campaign: ['channel', 'campaign'],
  keyword: ['channel', 'campaign', 'keyword'],
};

function keyColumns(dimension: Dimension, alias: string): SqlFragment {
  const keys = KEYS_OF[dimension];
  const parts = DIMENSIONS.map((column) =>
    keys.includes(column)
      ? sql`coalesce(${sql.unsafeRaw(`${alias}.${column}`)}, '') AS ${sql.unsafeRaw(column)}`
      : sql`''::text AS ${sql.unsafeRaw(column)}`,
  );
  return sql.join(parts, ', ');
}

function bucketOf(bucket: Bucket | null, localDay: SqlFragment): SqlFragment {
  if (bucket === null) return sql`NULL::text`;
  return sql`to_char(date_trunc(${bucket}, ${localDay}), 'YYYY-MM-DD')`;
}

function localDay(column: string): SqlFragment {
  return sql`(${sql.unsafeRaw(column)} AT TIME ZONE ${REPORT_TIME_ZONE})::date`;
}

/** The instant a local date starts. */
function startOf(day: string): SqlFragment {
  return sql`(${day}::date::timestamp AT TIME ZONE ${REPORT_TIME_ZONE})`;
}

function endOf(day: string): SqlFragment {
  return sql`((${day}::date + 1)::timestamp AT TIME ZONE ${REPORT_TIME_ZONE})`;
}

/**
 * Spend, site visits and conversions per key (and bucket). Spend entered for a period is spread
 * evenly over its days in whole kopecks, the remainder one kopeck a day to its first days, so a
 * month's entry counted by day adds up to the entry.
 */
export async function aggregateReport(
  tx: Tx,
  filter: ReportFilter,
  dimension: Dimension,
  bucket: Bucket | null,
): Promise<AggregateRow[]> {
  const { orgId, from, to } = filter;
  const channelOf = (alias: string) =>
    filter.channel ? sql`AND ${sql.unsafeRaw(`${alias}.channel`)} = ${filter.channel}` : sql.empty;
  const rows = await tx.query<Record<string, string | number | null>>(sql`
    WITH sessions AS (
      SELECT ${keyColumns(dimension, 's')}, ${bucketOf(bucket, localDay('s.started_at'))} AS bucket,
        count(*) AS site_visits
      FROM analytics_sessions s
      WHERE s.org_id = ${orgId} AND s.started_at >= ${startOf(from)} AND s.started_at < ${endOf(to)}
        ${channelOf('s')}
      GROUP BY 1, 2, 3, 4, 5
    ), conversions AS (
      SELECT ${keyColumns(dimension, 'c')}, ${bucketOf(bucket, localDay('c.occurred_at'))} AS bucket,
        count(*) FILTER (WHERE c.kind = 'lead') AS leads,
        count(*) FILTER (WHERE c.kind = 'call') AS calls,
        count(*) FILTER (WHERE c.kind = 'booking') AS bookings,
        count(*) FILTER (WHERE c.kind = 'visit') AS clinic_visits,
        count(*) FILTER (WHERE c.kind = 'visit' AND c.is_first_of_kind) AS new_patients,
        count(*) FILTER (WHERE c.kind = 'payment') AS payments,
        coalesce(sum(c.value_kopecks) FILTER (WHERE c.kind = 'payment'), 0) AS revenue
      FROM analytics_conversions c
      WHERE c.org_id = ${orgId} AND c.occurred_at >= ${startOf(from)}
        AND c.occurred_at < ${endOf(to)} ${channelOf('c')}
      GROUP BY 1, 2, 3, 4, 5
    ), spend_days AS (
      SELECT e.channel, e.source, e.campaign, e.keyword, e.is_unattributable, d.day,
        e.amount_kopecks / (e.period_end - e.period_start + 1)
          + CASE WHEN d.day - e.period_start < e.amount_kopecks % (e.period_end - e.period_start + 1)
            THEN 1 ELSE 0 END AS amount
      FROM spend_entries e
      CROSS JOIN LATERAL (
        SELECT g::date AS day FROM generate_series(greatest(e.period_start, ${from}::date),
          least(e.period_end, ${to}::date), interval '1 day') AS g
      ) d
      WHERE e.org_id = ${orgId} AND e.period_end >= ${from}::date AND e.period_start <= ${to}::date
        ${channelOf('e')}
    ), spend AS (
      SELECT ${keyColumns(dimension, 'p')}, ${bucketOf(bucket, sql`p.day`)} AS bucket,
        sum(p.amount) AS spend,
        sum(p.amount) FILTER (WHERE p.is_unattributable) AS unattributable
      FROM spend_days p
      GROUP BY 1, 2, 3, 4, 5
    )
    SELECT channel, source, campaign, keyword, bucket,
      sum(spend) AS spend, sum(unattributable) AS unattributable, sum(site_visits) AS site_visits,
      sum(leads) AS leads, sum(calls) AS calls, sum(bookings) AS bookings,
      sum(clinic_visits) AS clinic_visits, sum(new_patients) AS new_patients,
      sum(payments) AS payments, sum(revenue) AS revenue
    FROM (
      SELECT channel, source, campaign, keyword, bucket, 0 AS spend, 0 AS unattributable,
        site_visits, 0 AS leads, 0 AS calls, 0 AS bookings, 0 AS clinic_visits,
        0 AS new_patients, 0 AS payments, 0 AS revenue FROM sessions
      UNION ALL
      SELECT channel, source, campaign, keyword, bucket, 0, 0, 0, leads, calls, bookings,
        clinic_visits, new_patients, payments, revenue FROM conversions
      UNION ALL
      SELECT channel, source, campaign, keyword, bucket, spend, coalesce(unattributable, 0),
        0, 0, 0, 0, 0, 0, 0, 0 FROM spend
    ) everything
    GROUP BY channel, source, campaign, keyword, bucket
    ORDER BY bucket NULLS FIRST, channel, source, campaign, keyword`);
  const number = (value: string | number | null | undefined) =>
    value === null || value === undefined ? 0 : toNumber(value);
  return rows.map((row) => ({
    channel: String(row.channel),
    source: String(row.source),
    campaign: String(row.campaign),
    keyword: String(row.keyword),
    bucket: row.bucket === null ? null : String(row.bucket),
    spendKopecks: number(row.spend),
    unattributableSpendKopecks: number(row.unattributable),
    siteVisits: number(row.site_visits),
    leads: number(row.leads),
    calls: number(row.calls),
    bookings: number(row.bookings),
    clinicVisits: number(row.clinic_visits),
    newPatients: number(row.new_patients),
    payments: number(row.payments),
    revenueKopecks: number(row.revenue),
  }));
}

export const CONVERSION_GOALS = ['lead', 'booking', 'visit', 'new_patient', 'payment'] as const;
export type ConversionGoal = (typeof CONVERSION_GOALS)[number];

function goalFilter(goal: ConversionGoal): SqlFragment {
  if (goal === 'new_patient') return sql`c.kind = 'visit' AND c.is_first_of_kind`;
  return sql`c.kind = ${goal}`;
}

export type PathRow = { path: string; conversions: number; value: number };

/**
 * Conversions of a goal in the period, grouped by their path of channels within the lookback
 * window: the aggregated rows every attribution model reads. The path was stored with the
 * conversion (oldest touch first), so 10 million events are never re-read here.
 */
export async function aggregateConversionPaths(
  tx: Tx,
  filter: ReportFilter,
  goal: ConversionGoal,
  lookbackDays: number,
): Promise<PathRow[]> {
  const rows = await tx.query<{
    path: string;
    conversions: number | string;
    value: number | string;
  }>(sql`
    SELECT path, count(*) AS conversions, coalesce(sum(value_kopecks), 0) AS value
    FROM (
      SELECT c.value_kopecks, coalesce((
        SELECT string_agg(touch.value ->> 'channel', ' > ' ORDER BY touch.ordinality)
        FROM jsonb_array_elements(c.path) WITH ORDINALITY AS touch(value, ordinality)
        WHERE (touch.value ->> 'at')::timestamptz >= c.occurred_at - make_interval(days => ${lookbackDays})
      ), '') AS path
      FROM analytics_conversions c
      WHERE c.org_id = ${filter.orgId} AND ${goalFilter(goal)}
        AND c.occurred_at >= ${startOf(filter.from)} AND c.occurred_at < ${endOf(filter.to)}
    ) paths
    GROUP BY path`);
  return rows.map((row) => ({
    path: row.path,
    conversions: toNumber(row.conversions),
    value: toNumber(row.value),
  }));
}

export type ConversionRow = {
  id: string;
  kind: string;
  occurredAt: Date;
  contactId: string | null;
  channel: string;
  source: string | null;
  campaign: string | null;
  keyword: string | null;
  valueKopecks: number | null;
  isFirstOfKind: boolean;
  pathLength: number;
};

/** The conversions behind a report row, newest first: the drill-down. */
export async function findConversionPage(
  tx: Tx,
  filter: ReportFilter & {
    kind?: string | undefined;
    campaign?: string | undefined;
    page: number;
    pageSize: number;
  },
): Promise<{ rows: ConversionRow[]; total: number }> {
  const where = sql`c.org_id = ${filter.orgId} AND c.occurred_at >= ${startOf(filter.from)}
    AND c.occurred_at < ${endOf(filter.to)}
    ${filter.channel ? sql`AND c.channel = ${filter.channel}` : sql.empty}
    ${filter.kind ? sql`AND c.kind = ${filter.kind}` : sql.empty}
    ${filter.campaign !== undefined ? sql`AND coalesce(c.campaign, '') = ${filter.campaign}` : sql.empty}`;
  const [count] = await tx.query<{ total: number | string }>(
    sql`SELECT count(*) AS total FROM analytics_conversions c WHERE ${where}`,
  );
  const rows = await tx.query<{
    id: string;
    kind: string;
    occurred_at: Date;
    contact_id: string | null;
    channel: string;
    source: string | null;
    campaign: string | null;
    keyword: string | null;
    value_kopecks: number | string | null;
    is_first_of_kind: boolean;
    path_length: number | string;
  }>(sql`
    SELECT c.id, c.kind, c.occurred_at, c.contact_id, c.channel, c.source, c.campaign, c.keyword,
      c.value_kopecks, c.is_first_of_kind, jsonb_array_length(c.path) AS path_length
    FROM analytics_conversions c WHERE ${where}
    ORDER BY c.occurred_at DESC, c.id
    LIMIT ${filter.pageSize} OFFSET ${(filter.page - 1) * filter.pageSize}`);
  return {
    total: toNumber(count?.total ?? 0),
    rows: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      occurredAt: new Date(row.occurred_at),
      contactId: row.contact_id,
      channel: row.channel,
      source: row.source,
      campaign: row.campaign,
      keyword: row.keyword,
      valueKopecks: row.value_kopecks === null ? null : toNumber(row.value_kopecks),
      isFirstOfKind: row.is_first_of_kind,
      pathLength: toNumber(row.path_length),
    })),
  };
}
