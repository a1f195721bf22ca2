// Every report table as CSV (semicolon-separated, UTF-8 with BOM, as Russian Excel opens it) or
// XLSX. Only what the report endpoints answer goes in: aggregates, no person's data.

import ExcelJS from 'exceljs';
import type { Ctx } from '../../platform/context.ts';
import type { TExportQuery, TMetrics } from './reports.schema.ts';
import { getAttribution, getChannelReport, getTrend } from './reports.service.ts';

type Cell = string | number | null;
export type Table = { name: string; header: string[]; rows: Cell[][] };

const rub = (kopecks: number | null): number | null => (kopecks === null ? null : kopecks / 100);

const METRIC_HEADER = [
  'Расход, ₽',
  'Визиты на сайт',
  'Заявки',
  'Звонки',
  'Цена заявки, ₽',
  'Записи',
  'Приёмы',
  'Новые пациенты',
  'CAC, ₽',
  'Оплаты',
  'Выручка, ₽',
  'ROMI, %',
];

function metricCells(metrics: TMetrics): Cell[] {
  return [
    rub(metrics.spendKopecks),
    metrics.siteVisits,
    metrics.leads,
    metrics.calls,
    rub(metrics.costPerLeadKopecks),
    metrics.bookings,
    metrics.clinicVisits,
    metrics.newPatients,
    rub(metrics.cacKopecks),
    metrics.payments,
    rub(metrics.revenueKopecks),
    metrics.romiPercent,
  ];
}

export async function buildExportTable(ctx: Ctx, query: TExportQuery): Promise<Table> {
  const period = { from: query.from, to: query.to, channel: query.channel };
  switch (query.table) {
    case 'channels': {
      const report = await getChannelReport(ctx, {
        ...period,
        dimension: query.dimension,
        sort: 'spend',
        order: 'desc',
        compare: 'none',
      });
      return {
        name: `channels-${report.period.from}-${report.period.to}`,
        header: ['Канал', 'Источник', 'Кампания', 'Ключевая фраза', ...METRIC_HEADER],
        rows: report.rows.map((row) => [
          row.channel,
          row.source,
          row.campaign,
          row.keyword,
          ...metricCells(row),
        ]),
      };
    }
    case 'trend': {
      const trend = await getTrend(ctx, { ...period, bucket: query.bucket });
      return {
        name: `trend-${trend.period.from}-${trend.period.to}`,
        header: ['Период', ...METRIC_HEADER],
        rows: trend.points.map((point) => [point.bucket, ...metricCells(point)]),
      };
    }
    case 'funnel': {
      const report = await getChannelReport(ctx, {
        ...period,
        dimension: 'channel',
        sort: 'spend',
        order: 'desc',
        compare: 'none',
      });
      return {
        name: `funnel-${report.period.from}-${report.period.to}`,
        header: ['Шаг', 'Количество', 'Конверсия из предыдущего шага'],
        rows: report.funnel.map((step) => [step.step, step.count, step.rate]),
      };
    }
    case 'attribution': {
      const result = await getAttribution(ctx, {
        ...period,
        goal: query.goal,
        lookbackDays: query.lookbackDays,
        halfLifeDays: query.halfLifeDays,
        model: query.model,
      });
      const models = Object.keys(result.conversions);
      return {
        name: `attribution-${result.period.from}-${result.period.to}`,
        header: [
          'Канал',
          ...models.map((model) => `${model}: конверсии`),
          ...models.map((model) => `${model}: ценность, ₽`),
        ],
        rows: result.channels.map((channel) => [
          channel,
          ...models.map((model) => result.conversions[model]?.[channel] ?? 0),
          ...models.map((model) => rub(result.valueKopecks[model]?.[channel] ?? 0)),
        ]),
      };
    }
  }
}

function csvCell(cell: Cell): string {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? String(cell).replace('.', ',') : cell;
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && typeof cell === 'string' ? `'${text}` : text;
  return /[;"\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function tableToCsv(table: Table): string {
  const lines = [table.header, ...table.rows].map((row) => row.map(csvCell).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function tableToXlsx(table: Table): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(table.name.slice(0, 31));
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((column) => {
    column.width = 16;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
