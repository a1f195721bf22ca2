import { z } from 'zod';
import { pageOf, ZPageQuery, ZUuid } from '../../platform/http/params.ts';
import { SPEND_FORMATS, VAT_MODES } from './spend-file.ts';

export const SPEND_IMPORT_PATH = '/api/v1/analytics/spend/imports';
/** A cabinet's export for half a year by keyword runs to megabytes; base64 adds a third. */
export const SPEND_IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
const MAX_FILE_CHARS = 15_000_000;

/** Channels with no clicks to follow: spend entered by hand for a period. */
export const OFFLINE_CHANNELS = [
  { id: 'tv', en: 'TV', ru: 'Телевидение' },
  { id: 'outdoor', en: 'Outdoor', ru: 'Наружная реклама' },
  { id: 'print', en: 'Print', ru: 'Пресса' },
  { id: 'radio', en: 'Radio', ru: 'Радио' },
  { id: 'brand', en: 'Brand', ru: 'Бренд' },
] as const;
export const OFFLINE_CHANNEL_IDS: readonly string[] = OFFLINE_CHANNELS.map((channel) => channel.id);

export const ZChannelId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, up to 64');
const ZDay = z.iso.date();
const ZText200 = z.string().trim().max(200);
const ZVat = z.enum(VAT_MODES);

const ZColumnName = z.string().trim().min(1).max(200);
export const ZColumnMapping = z.strictObject({
  date: ZColumnName,
  cost: ZColumnName,
  campaign: ZColumnName.optional(),
  keyword: ZColumnName.optional(),
  currency: ZColumnName.optional(),
});

export const ZSpendImportBody = z
  .strictObject({
    fileName: z.string().trim().min(1).max(255).optional(),
    content: z
      .string()
      .min(1)
      .max(MAX_FILE_CHARS)
      .optional()
      .describe('The CSV or TSV text of the export'),
    contentBase64: z
      .string()
      .min(1)
      .max(MAX_FILE_CHARS)
      .regex(/^[A-Za-z0-9+/=\s]+$/, 'is not base64')
      .optional()
      .describe('An XLSX export, base64'),
    mapping: ZColumnMapping.optional().describe(
      'Which columns hold what, for an export whose header is not recognized (generic format)',
    ),
    channel: ZChannelId.optional().describe(
      'The channel the spend belongs to; required with a mapping, else the cabinet’s',
    ),
    vat: ZVat.optional().describe(
      'Whether amounts include VAT; the cost column’s name decides when it says (с НДС / без НДС)',
    ),
    dryRun: z.boolean().default(true).describe('Preview only: nothing is stored'),
    skipInvalid: z
      .boolean()
      .default(false)
      .describe('Store the valid rows even when some have errors'),
  })
  .superRefine((body, context) => {
    if ((body.content === undefined) === (body.contentBase64 === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['content'],
        message: 'Give either content (CSV) or contentBase64 (XLSX)',
      });
    }
    if (body.mapping && !body.channel) {
      context.addIssue({
        code: 'custom',
        path: ['channel'],
        message: 'Name the channel of a mapped file',
      });
    }
  });
export type TSpendImportBody = z.infer<typeof ZSpendImportBody>;

const ZRowError = z.object({
  line: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});

export const ZSpendPreviewRow = z.object({
  line: z.number().int(),
  day: z.string(),
  campaign: z.string(),
  keyword: z.string(),
  amountKopecks: z.number().int(),
});

export const ZSpendImportResult = z.object({
  dryRun: z.boolean(),
  importId: z.uuid().nullable(),
  format: z.enum(SPEND_FORMATS),
  channel: z.string(),
  vat: ZVat,
  header: z.array(z.string()),
  mapping: ZColumnMapping,
  rowsTotal: z.number().int(),
  rowsValid: z.number().int(),
  rowsImported: z.number().int(),
  skippedLines: z.number().int(),
  errors: z.array(ZRowError),
  amountKopecks: z.number().int(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  /** Stored rows of the same day, campaign and keyword that this import replaces. */
  replaces: z.number().int(),
  /** The first rows, as they would be stored. */
  preview: z.array(ZSpendPreviewRow),
});
export type TSpendImportResult = z.infer<typeof ZSpendImportResult>;

export const ZSpendImportSummary = z.object({
  id: z.uuid(),
  format: z.enum(SPEND_FORMATS),
  channel: z.string(),
  fileName: z.string().nullable(),
  rowsTotal: z.number().int(),
  rowsImported: z.number().int(),
  rowsFailed: z.number().int(),
  amountKopecks: z.number().int(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  vat: ZVat,
  createdAt: z.string(),
});
export const ZSpendImportPage = pageOf(ZSpendImportSummary);
export const ZSpendImportQuery = z.strictObject({ ...ZPageQuery });

export const ZSpendEntry = z.object({
  id: z.uuid(),
  origin: z.enum(['import', 'manual']),
  importId: z.uuid().nullable(),
  channel: z.string(),
  source: z.string(),
  campaign: z.string(),
  keyword: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  amountKopecks: z.number().int(),
  vat: ZVat,
  isUnattributable: z.boolean(),
  note: z.string(),
  createdAt: z.string(),
});
export type TSpendEntry = z.infer<typeof ZSpendEntry>;
export const ZSpendEntryPage = pageOf(ZSpendEntry).extend({ amountKopecks: z.number().int() });

export const ZSpendQuery = z.strictObject({
  ...ZPageQuery,
  from: ZDay.optional(),
  to: ZDay.optional(),
  channel: ZChannelId.optional(),
  origin: z.enum(['import', 'manual']).optional(),
});
export type TSpendQuery = z.infer<typeof ZSpendQuery>;

const ZAmount = z
  .number()
  .int('whole kopecks')
  .min(0)
  .max(1_000_000_000_000)
  .describe('RUB in kopecks');

export const ZManualSpendBody = z
  .strictObject({
    channel: ZChannelId,
    campaign: ZText200.default(''),
    periodStart: ZDay,
    periodEnd: ZDay,
    amountKopecks: ZAmount,
    vat: ZVat,
    isUnattributable: z
      .boolean()
      .optional()
      .describe('No model can credit it (offline, brand); default: true for offline channels'),
    note: z.string().trim().max(500).default(''),
  })
  .superRefine((body, context) => {
    if (body.periodEnd < body.periodStart) {
      context.addIssue({ code: 'custom', path: ['periodEnd'], message: 'is before the start' });
    }
    const days = (Date.parse(body.periodEnd) - Date.parse(body.periodStart)) / 86_400_000;
    if (days > 366) {
      context.addIssue({
        code: 'custom',
        path: ['periodEnd'],
        message: 'a period is a year at most',
      });
    }
  });
export type TManualSpendBody = z.infer<typeof ZManualSpendBody>;

export const ZSpendParams = z.strictObject({ spendId: ZUuid });
