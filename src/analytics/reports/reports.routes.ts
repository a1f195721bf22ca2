import { orgCtx } from '../../platform/http/ctx.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  ZAttributionQuery,
  ZAttributionReport,
  ZChannelReport,
  ZConversionPage,
  ZConversionsQuery,
  ZExportQuery,
  ZReportQuery,
  ZTrend,
  ZTrendQuery,
} from './reports.schema.ts';
import {
  findReportConversions,
  getAttribution,
  getChannelReport,
  getTrend,
} from './reports.service.ts';
import { buildExportTable, tableToCsv, tableToXlsx } from './reports-export.ts';

const TAG = 'Analytics: reports';

export const reportRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/analytics/reports/channels',
    summary:
      'Spend, site visits, leads, cost per lead, bookings, clinic visits, new patients, CAC, revenue, ROMI and step conversions per channel / source / campaign / keyword; funnel; the previous period',
    tag: TAG,
    access: { permission: 'analytics.reports' },
    query: ZReportQuery,
    responses: { 200: ZChannelReport },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await getChannelReport(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/analytics/reports/trend',
    summary: 'The same figures by day, week or month',
    tag: TAG,
    access: { permission: 'analytics.reports' },
    query: ZTrendQuery,
    responses: { 200: ZTrend },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await getTrend(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/analytics/reports/attribution',
    summary:
      'Every attribution model over the stored conversion paths side by side (conversions and revenue per channel), with the directors’ check',
    tag: TAG,
    access: { permission: 'analytics.reports' },
    query: ZAttributionQuery,
    responses: { 200: ZAttributionReport },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await getAttribution(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/analytics/reports/conversions',
    summary:
      'The conversions behind a report row; a lead is a pseudonymous id (and a contact id only for roles that may open contacts)',
    tag: TAG,
    access: { permission: 'analytics.reports' },
    query: ZConversionsQuery,
    responses: { 200: ZConversionPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findReportConversions(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/analytics/reports/export',
    summary: 'A report table (channels, trend, funnel, attribution) as CSV or XLSX',
    tag: TAG,
    access: { permission: 'analytics.reports' },
    query: ZExportQuery,
    responses: { 200: null },
    handler: async ({ auth, query }, c) => {
      const table = await buildExportTable(orgCtx(c, auth), query);
      const name = `${table.name}.${query.format}`;
      const disposition = `attachment; filename="${name}"`;
      if (query.format === 'xlsx') {
        return new Response(new Uint8Array(await tableToXlsx(table)), {
          headers: {
            'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'content-disposition': disposition,
          },
        });
      }
      return new Response(tableToCsv(table), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition },
      });
    },
  }),
];
