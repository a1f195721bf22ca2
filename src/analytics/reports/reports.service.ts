import type { Ctx } from '../../platform/context.ts';
import { blindIndex } from '../../platform/crypto.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { attributeAll } from '../attribution/attribution-models.ts';
import { DAY_MS, parsePathKey, pathFromChannels } from '../attribution/attribution-paths.ts';
import { roundCredits } from '../attribution/credits.ts';
import { computeDirectorsCheck } from '../attribution/directors-check.ts';
import {
  type AggregateRow,
  aggregateConversionPaths,
  aggregateReport,
  findConversionPage,
  REPORT_TIME_ZONE,
  type ReportFilter,
} from './reports.repo.ts';
import type {
  TAttributionQuery,
  TAttributionReport,
  TChannelReport,
  TConversionsQuery,
  TMetrics,
  TReportQuery,
  TReportRow,
  TTrend,
  TTrendQuery,
} from './reports.schema.ts';

// Every figure here is an aggregate of de-identified rows: the marketer role reads all of it
// (R-L6: no name, phone or email reaches a role that does not need it).
function assertCanRead(ctx: Ctx): void {
  if (!can(ctx.role, 'analytics.reports')) {
    throw new AppError('forbidden', 'This role lacks analytics.reports');
  }
}

/** Today in the clinic's time zone. */
function localToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: REPORT_TIME_ZONE }).format(now);
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function periodOf(
  ctx: Ctx,
  query: { from?: string | undefined; to?: string | undefined },
): { from: string; to: string } {
  const to = query.to ?? localToday(ctx.now);
  return { from: query.from ?? addDays(to, -29), to };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
}

function perUnit(kopecks: number, count: number): number | null {
  return count > 0 ? Math.round(kopecks / count) : null;
}

type Counts = Omit<AggregateRow, 'channel' | 'source' | 'campaign' | 'keyword' | 'bucket'>;

const ZERO: Counts = {
  spendKopecks: 0,
  unattributableSpendKopecks: 0,
  siteVisits: 0,
  leads: 0,
  calls: 0,
  bookings: 0,
  clinicVisits: 0,
  newPatients: 0,
  payments: 0,
  revenueKopecks: 0,
};

function addCounts(left: Counts, right: Counts): Counts {
  const sum = { ...left };
  for (const key of Object.keys(ZERO) as (keyof Counts)[]) sum[key] += right[key];
  return sum;
}

/** The derived figures: cost per lead, CAC, ROMI and the step conversions. */
export function metricsOf(counts: Counts): TMetrics {
  return {
    spendKopecks: counts.spendKopecks,
    siteVisits: counts.siteVisits,
    leads: counts.leads,
    calls: counts.calls,
    costPerLeadKopecks: perUnit(counts.spendKopecks, counts.leads),
    bookings: counts.bookings,
    clinicVisits: counts.clinicVisits,
    newPatients: counts.newPatients,
    cacKopecks: perUnit(counts.spendKopecks, counts.newPatients),
    payments: counts.payments,
    revenueKopecks: counts.revenueKopecks,
    romiPercent:
      counts.spendKopecks > 0
        ? Math.round(((counts.revenueKopecks - counts.spendKopecks) / counts.spendKopecks) * 1000) /
          10
        : null,
    conversion: {
      visitToLead: ratio(counts.leads, counts.siteVisits),
      leadToBooking: ratio(counts.bookings, counts.leads),
      bookingToVisit: ratio(counts.clinicVisits, counts.bookings),
      visitToPayment: ratio(counts.payments, counts.clinicVisits),
    },
  };
}

const SORT_VALUE: Record<TReportQuery['sort'], (row: TReportRow) => number | null> = {
  spend: (row) => row.spendKopecks,
  siteVisits: (row) => row.siteVisits,
  leads: (row) => row.leads,
  costPerLead: (row) => row.costPerLeadKopecks,
  bookings: (row) => row.bookings,
  clinicVisits: (row) => row.clinicVisits,
  newPatients: (row) => row.newPatients,
  cac: (row) => row.cacKopecks,
  revenue: (row) => row.revenueKopecks,
  romi: (row) => row.romiPercent,
};

async function totalsOf(ctx: Ctx, filter: ReportFilter): Promise<Counts> {
  const rows = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    aggregateReport(tx, filter, 'channel', null),
  );
  return rows.reduce(addCounts, ZERO);
}

/**
 * The channel table: per channel (or source, campaign, keyword) spend, site visits, leads,
 * cost per lead, bookings, clinic visits, new patients, CAC, revenue, ROMI and the conversion of
 * each step; totals, the funnel, and the same totals for the period just before.
 */
export async function getChannelReport(ctx: Ctx, query: TReportQuery): Promise<TChannelReport> {
  assertCanRead(ctx);
  const period = periodOf(ctx, query);
  const filter = { orgId: ctx.orgId, ...period, channel: query.channel };
  const aggregates = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    aggregateReport(tx, filter, query.dimension, null),
  );
  const totals = aggregates.reduce<Counts>(addCounts, ZERO);
  const sortValue = SORT_VALUE[query.sort];
  const direction = query.order === 'asc' ? 1 : -1;
  const rows = aggregates
    .map((row) => ({
      channel: row.channel,
      source: row.source,
      campaign: row.campaign,
      keyword: row.keyword,
      ...metricsOf(row),
    }))
    .sort((left, right) => {
      const a = sortValue(left);
      const b = sortValue(right);
      if (a === b)
        return `${left.channel}${left.campaign}`.localeCompare(`${right.channel}${right.campaign}`);
      if (a === null) return 1;
      if (b === null) return -1;
      return (a - b) * direction;
    });
  let comparison: TChannelReport['comparison'] = null;
  if (query.compare === 'previous') {
    const days = (Date.parse(period.to) - Date.parse(period.from)) / DAY_MS + 1;
    const previous = { from: addDays(period.from, -days), to: addDays(period.from, -1) };
    const before = metricsOf(await totalsOf(ctx, { ...filter, ...previous }));
    const now = metricsOf(totals);
    const change: Record<string, number | null> = {};
    for (const key of [
      'spendKopecks',
      'siteVisits',
      'leads',
      'bookings',
      'clinicVisits',
      'newPatients',
      'revenueKopecks',
      'costPerLeadKopecks',
      'cacKopecks',
    ] as const) {
      const old = before[key];
      const current = now[key];
      change[key] =
        old === null || current === null || old === 0
          ? null
          : Math.round(((current - old) / old) * 1000) / 10;
    }
    comparison = { period: previous, totals: before, change };
  }
  return {
    period,
    dimension: query.dimension,
    rows,
    totals: metricsOf(totals),
    unattributableSpendKopecks: totals.unattributableSpendKopecks,
    funnel: funnelOf(totals),
    comparison,
  };
}

export function funnelOf(totals: Counts): TChannelReport['funnel'] {
  const steps: [string, number][] = [
    ['site_visits', totals.siteVisits],
    ['leads', totals.leads],
    ['bookings', totals.bookings],
    ['clinic_visits', totals.clinicVisits],
    ['payments', totals.payments],
  ];
  return steps.map(([step, count], index) => ({
    step,
    count,
    rate: index === 0 ? null : ratio(count, steps[index - 1]?.[1] ?? 0),
  }));
}

/** Spend, visits, conversions and revenue by day, week or month. */
export async function getTrend(ctx: Ctx, query: TTrendQuery): Promise<TTrend> {
  assertCanRead(ctx);
  const period = periodOf(ctx, query);
  const rows = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    aggregateReport(
      tx,
      { orgId: ctx.orgId, ...period, channel: query.channel },
      'channel',
      query.bucket,
    ),
  );
  const buckets = new Map<string, Counts>();
  for (const row of rows) {
    const key = row.bucket ?? period.from;
    buckets.set(key, addCounts(buckets.get(key) ?? ZERO, row));
  }
  return {
    period,
    bucket: query.bucket,
    points: [...buckets.entries()]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([bucket, counts]) => ({ bucket, ...metricsOf(counts) })),
  };
}

/**
 * Every attribution model over the stored conversion paths of a goal, side by side, and the
 * directors' check: spend no model can credit (offline, brand) over all new patients, added to
 * each channel's modelled CAC.
 */
export async function getAttribution(
  ctx: Ctx,
  query: TAttributionQuery,
): Promise<TAttributionReport> {
  assertCanRead(ctx);
  const period = periodOf(ctx, query);
  const filter = { orgId: ctx.orgId, ...period, channel: undefined };
  const { pathRows, newPatientRows, spendRows } = await withTx(
    ctx.db,
    { orgId: ctx.orgId },
    async (tx) => ({
      pathRows: await aggregateConversionPaths(tx, filter, query.goal, query.lookbackDays),
      newPatientRows:
        query.goal === 'new_patient'
          ? null
          : await aggregateConversionPaths(tx, filter, 'new_patient', query.lookbackDays),
      spendRows: await aggregateReport(tx, filter, 'channel', null),
    }),
  );
  const options = { halfLifeMs: query.halfLifeDays * DAY_MS, lookbackMs: null };
  const toPaths = (rows: typeof pathRows) =>
    rows.map((row) =>
      pathFromChannels(row.path === '' ? [] : parsePathKey(row.path), {
        conversions: row.conversions,
        nulls: 0,
        value: row.value,
      }),
    );
  const result = attributeAll(toPaths(pathRows), options);
  const conversions: Record<string, Record<string, number>> = {};
  const valueKopecks: Record<string, Record<string, number>> = {};
  for (const [model, credits] of Object.entries(result.models)) {
    conversions[model] = roundCredits(credits.conversions, 2);
    valueKopecks[model] = roundCredits(credits.value, 0);
  }
  // The directors' check reads new patients under the chosen model.
  const newPatients = newPatientRows ? attributeAll(toPaths(newPatientRows), options) : result;
  const credited = newPatients.models[query.model].conversions;
  const allNewClients = Math.round(newPatients.totals.conversions);
  const unattributable = spendRows.reduce((sum, row) => sum + row.unattributableSpendKopecks, 0);
  const channelSpend = new Map<string, number>();
  for (const row of spendRows) {
    const attributable = row.spendKopecks - row.unattributableSpendKopecks;
    if (attributable > 0 || credited[row.channel] !== undefined) {
      channelSpend.set(row.channel, (channelSpend.get(row.channel) ?? 0) + attributable);
    }
  }
  for (const channel of Object.keys(credited))
    channelSpend.set(channel, channelSpend.get(channel) ?? 0);
  const check = computeDirectorsCheck({
    channels: [...channelSpend.entries()]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([channel, spendKopecks]) => ({
        channel,
        spendKopecks,
        newClients: Math.min(credited[channel] ?? 0, allNewClients),
      })),
    unattributableSpendKopecks: unattributable,
    allNewClients,
  });
  return {
    period,
    goal: query.goal,
    lookbackDays: query.lookbackDays,
    halfLifeDays: query.halfLifeDays,
    channels: result.channels,
    totals: {
      paths: result.totals.paths,
      conversions: result.totals.conversions,
      valueKopecks: result.totals.value,
    },
    conversions,
    valueKopecks,
    markov: result.markov,
    directorsCheck: {
      model: query.model,
      channels: check.channels.map((channel) => ({
        ...channel,
        newClients: Math.round(channel.newClients * 100) / 100,
      })),
      unattributableSpendKopecks: unattributable,
      unattributablePerClientKopecks: check.unattributablePerClientKopecks,
      allNewClients,
      blended: check.blended,
    },
  };
}

/**
 * A pseudonymous id for a lead: a keyed hash of the contact, stable for the organization, that
 * tells leads apart without naming anyone and cannot be turned back into the contact.
 */
export function pseudonymOf(ctx: Ctx, contactId: string): string {
  return `L-${blindIndex(ctx.keys.indexKey, 'analytics-lead', `${ctx.orgId}:${contactId}`).slice(0, 12)}`;
}

/**
 * The conversions behind a report row. Staff who may open contacts get the contact id; the
 * marketer gets only the pseudonym (R-L6: de-identified data for analytics).
 */
export async function findReportConversions(ctx: Ctx, query: TConversionsQuery) {
  assertCanRead(ctx);
  const period = periodOf(ctx, query);
  const { rows, total } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findConversionPage(tx, { orgId: ctx.orgId, ...period, ...query }),
  );
  const mayOpenContacts = can(ctx.role, 'contacts.read');
  return {
    items: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      occurredAt: row.occurredAt.toISOString(),
      lead: row.contactId
        ? {
            pseudonym: pseudonymOf(ctx, row.contactId),
            contactId: mayOpenContacts ? row.contactId : null,
          }
        : null,
      channel: row.channel,
      source: row.source,
      campaign: row.campaign,
      keyword: row.keyword,
      valueKopecks: row.valueKopecks,
      isFirstOfKind: row.isFirstOfKind,
      pathLength: row.pathLength,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}
