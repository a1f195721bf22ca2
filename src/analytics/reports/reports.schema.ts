import { z } from 'zod';
import { pageOf, ZPageQuery } from '../../platform/http/params.ts';
import { MODEL_NAMES } from '../attribution/attribution-models.ts';
import { CONVERSION_GOALS, DIMENSIONS } from './reports.repo.ts';

const ZDay = z.iso.date();
const ZChannel = z.string().regex(/^[a-z0-9][a-z0-9_]{0,63}$/);

const ZPeriod = {
  from: ZDay.optional().describe(
    'First day, inclusive (Moscow time); 30 days before `to` by default',
  ),
  to: ZDay.optional().describe('Last day, inclusive; today by default'),
  channel: ZChannel.optional(),
};

function checkPeriod(
  query: { from?: string | undefined; to?: string | undefined },
  context: z.RefinementCtx,
) {
  if (query.from && query.to && query.from > query.to) {
    context.addIssue({ code: 'custom', path: ['from'], message: 'is after `to`' });
  }
  if (
    query.from &&
    query.to &&
    Date.parse(query.to) - Date.parse(query.from) > 3 * 366 * 86_400_000
  ) {
    context.addIssue({
      code: 'custom',
      path: ['to'],
      message: 'a report covers three years at most',
    });
  }
}

export const ZReportQuery = z
  .strictObject({
    ...ZPeriod,
    dimension: z.enum(DIMENSIONS).default('channel'),
    sort: z
      .enum([
        'spend',
        'siteVisits',
        'leads',
        'costPerLead',
        'bookings',
        'clinicVisits',
        'newPatients',
        'cac',
        'revenue',
        'romi',
      ])
      .default('spend'),
    order: z.enum(['asc', 'desc']).default('desc'),
    compare: z
      .enum(['previous', 'none'])
      .default('previous')
      .describe('Also compute the period of the same length just before'),
  })
  .superRefine(checkPeriod);
export type TReportQuery = z.infer<typeof ZReportQuery>;

export const ZTrendQuery = z
  .strictObject({ ...ZPeriod, bucket: z.enum(['day', 'week', 'month']).default('day') })
  .superRefine(checkPeriod);
export type TTrendQuery = z.infer<typeof ZTrendQuery>;

export const ZAttributionQuery = z
  .strictObject({
    ...ZPeriod,
    goal: z.enum(CONVERSION_GOALS).default('new_patient'),
    lookbackDays: z.coerce.number().int().min(1).max(365).default(90),
    halfLifeDays: z.coerce.number().min(0.1).max(365).default(7),
    model: z
      .enum(MODEL_NAMES)
      .default('last_non_direct')
      .describe('The model of the directors’ check'),
  })
  .superRefine(checkPeriod);
export type TAttributionQuery = z.infer<typeof ZAttributionQuery>;

export const ZConversionsQuery = z
  .strictObject({
    ...ZPeriod,
    ...ZPageQuery,
    kind: z.enum(['lead', 'call', 'booking', 'visit', 'payment']).optional(),
    campaign: z.string().max(200).optional(),
  })
  .superRefine(checkPeriod);
export type TConversionsQuery = z.infer<typeof ZConversionsQuery>;

export const EXPORT_TABLES = ['channels', 'trend', 'funnel', 'attribution'] as const;
export const ZExportQuery = z
  .strictObject({
    ...ZPeriod,
    table: z.enum(EXPORT_TABLES),
    format: z.enum(['csv', 'xlsx']).default('csv'),
    dimension: z.enum(DIMENSIONS).default('channel'),
    bucket: z.enum(['day', 'week', 'month']).default('day'),
    goal: z.enum(CONVERSION_GOALS).default('new_patient'),
    lookbackDays: z.coerce.number().int().min(1).max(365).default(90),
    halfLifeDays: z.coerce.number().min(0.1).max(365).default(7),
    model: z.enum(MODEL_NAMES).default('last_non_direct'),
  })
  .superRefine(checkPeriod);
export type TExportQuery = z.infer<typeof ZExportQuery>;

const nullableNumber = z.number().nullable();

export const ZMetrics = z.object({
  spendKopecks: z.number().int(),
  siteVisits: z.number().int(),
  leads: z.number().int(),
  calls: z.number().int(),
  costPerLeadKopecks: nullableNumber,
  bookings: z.number().int(),
  clinicVisits: z.number().int(),
  newPatients: z.number().int(),
  cacKopecks: nullableNumber,
  payments: z.number().int(),
  revenueKopecks: z.number().int(),
  /** (revenue − spend) / spend, in per cent. */
  romiPercent: nullableNumber,
  conversion: z.object({
    visitToLead: nullableNumber,
    leadToBooking: nullableNumber,
    bookingToVisit: nullableNumber,
    visitToPayment: nullableNumber,
  }),
});
export type TMetrics = z.infer<typeof ZMetrics>;

export const ZReportRow = ZMetrics.extend({
  channel: z.string(),
  source: z.string(),
  campaign: z.string(),
  keyword: z.string(),
});
export type TReportRow = z.infer<typeof ZReportRow>;

const ZPeriodOut = z.object({ from: z.string(), to: z.string() });

export const ZChannelReport = z.object({
  period: ZPeriodOut,
  dimension: z.enum(DIMENSIONS),
  rows: z.array(ZReportRow),
  totals: ZMetrics,
  unattributableSpendKopecks: z.number().int(),
  funnel: z.array(z.object({ step: z.string(), count: z.number().int(), rate: nullableNumber })),
  comparison: z
    .object({
      period: ZPeriodOut,
      totals: ZMetrics,
      /** Relative change of each total, in per cent; null where the previous one was 0. */
      change: z.record(z.string(), nullableNumber),
    })
    .nullable(),
});
export type TChannelReport = z.infer<typeof ZChannelReport>;

export const ZTrend = z.object({
  period: ZPeriodOut,
  bucket: z.enum(['day', 'week', 'month']),
  points: z.array(ZMetrics.extend({ bucket: z.string() })),
});
export type TTrend = z.infer<typeof ZTrend>;

const ZCredits = z.record(z.string(), z.number());
export const ZAttributionReport = z.object({
  period: ZPeriodOut,
  goal: z.enum(CONVERSION_GOALS),
  lookbackDays: z.number().int(),
  halfLifeDays: z.number(),
  channels: z.array(z.string()),
  totals: z.object({ paths: z.number().int(), conversions: z.number(), valueKopecks: z.number() }),
  /** Credited conversions per model and channel (2 decimals; each model adds up to the total). */
  conversions: z.record(z.string(), ZCredits),
  /** Credited value in kopecks per model and channel. */
  valueKopecks: z.record(z.string(), ZCredits),
  markov: z.object({ conversionProbability: z.number(), removalEffects: ZCredits }),
  directorsCheck: z.object({
    model: z.string(),
    channels: z.array(
      z.object({
        channel: z.string(),
        spendKopecks: z.number().int(),
        newClients: z.number(),
        modelledCacKopecks: nullableNumber,
        directorsCacKopecks: nullableNumber,
      }),
    ),
    unattributableSpendKopecks: z.number().int(),
    unattributablePerClientKopecks: nullableNumber,
    allNewClients: z.number().int(),
    blended: z.object({
      spendKopecks: z.number().int(),
      newClients: z.number(),
      cacKopecks: nullableNumber,
    }),
  }),
});
export type TAttributionReport = z.infer<typeof ZAttributionReport>;

export const ZConversionItem = z.object({
  id: z.string(),
  kind: z.string(),
  occurredAt: z.string(),
  /** The person behind it: a contact id for staff who may open contacts, else a pseudonym. */
  lead: z.object({ pseudonym: z.string(), contactId: z.string().nullable() }).nullable(),
  channel: z.string(),
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  keyword: z.string().nullable(),
  valueKopecks: z.number().int().nullable(),
  isFirstOfKind: z.boolean(),
  pathLength: z.number().int(),
});
export const ZConversionPage = pageOf(ZConversionItem);
