// Reading an ad cabinet's spend export: the format is told by its header row, every data row
// becomes a day × campaign × keyword amount in kopecks or an error naming its line and column.
// Pure: text in, rows and errors out; the service stores them.

import { parse } from 'csv-parse/sync';

export const SPEND_FORMATS = ['yandex_direct', 'vk_ads', 'google_ads', 'generic'] as const;
export type SpendFormat = (typeof SPEND_FORMATS)[number];
export const VAT_MODES = ['included', 'excluded', 'not_stated'] as const;
export type VatMode = (typeof VAT_MODES)[number];

/** Which column holds what; names as in the file's header (any case). */
export type ColumnMapping = {
  date: string;
  campaign?: string | undefined;
  keyword?: string | undefined;
  cost: string;
  currency?: string | undefined;
};

export type SpendRow = {
  /** 1-based line of the file. */
  line: number;
  day: string;
  campaign: string;
  keyword: string;
  amountKopecks: number;
};

export type RowError = { line: number; column: string | null; message: string };

export type ParsedSpendFile = {
  format: SpendFormat;
  /** The VAT mode the cost column names, or null when it does not say. */
  vatFromHeader: VatMode | null;
  header: string[];
  mapping: ColumnMapping;
  rows: SpendRow[];
  errors: RowError[];
  /** Total and subtotal lines ("Итого", "Total rows: 12") that were skipped. */
  skippedLines: number;
};

type Aliases = { date: string[]; campaign: string[]; keyword: string[]; cost: string[] };

/**
 * The headers each cabinet's export is known by. Yandex Direct: the report wizard («Мастер
 * отчётов», CSV or TSV) and the Reports API (TSV). VK Ads: statistics download of ads.vk.com.
 * Google Ads: the report editor's CSV, Russian or English interface. docs/analytics-reports.md
 * lists them as users see them.
 */
export const FORMAT_HEADERS: Record<
  Exclude<SpendFormat, 'generic'>,
  Aliases & { markers: string[] }
> = {
  yandex_direct: {
    date: ['день', 'дата', 'date'],
    campaign: ['кампания', 'название кампании', 'campaignname'],
    keyword: ['условие показа', 'ключевая фраза', 'фраза', 'criterion', 'keyword'],
    cost: [
      'расход (руб.)',
      'расход (руб., с ндс)',
      'расход (руб., без ндс)',
      'расход, ₽',
      'расход, ₽ (с ндс)',
      'расход, ₽ (без ндс)',
      'расход',
      'cost',
    ],
    markers: ['№ кампании', 'campaignid', 'условие показа', 'criterion', 'criterionid'],
  },
  google_ads: {
    date: ['day', 'день', 'date', 'дата'],
    campaign: ['campaign', 'кампания'],
    keyword: ['keyword', 'search keyword', 'ключевое слово'],
    cost: ['cost', 'стоимость', 'расходы'],
    markers: ['currency code', 'код валюты'],
  },
  vk_ads: {
    date: ['дата', 'день', 'date'],
    campaign: ['кампания', 'название кампании', 'campaign', 'campaign name'],
    keyword: ['ключевая фраза', 'keyword'],
    cost: ['потрачено, ₽', 'потрачено', 'списано, ₽', 'списано', 'spent', 'spent, ₽', 'расход, ₽'],
    markers: [
      'потрачено, ₽',
      'потрачено',
      'списано, ₽',
      'spent',
      'spent, ₽',
      'id кампании',
      'campaign id',
      'группа объявлений',
      'ad group',
    ],
  },
};

const CURRENCY_HEADERS = ['currency code', 'код валюты', 'валюта', 'currency'];
const TOTAL_LINE = /^(итого|всего|total|totals|total rows)(?=$|[\s:,.])/i;
const FORMAT_ORDER = ['yandex_direct', 'google_ads', 'vk_ads'] as const;

/** A header cell as compared: lower case, ё as е, single spaces, no BOM or quotes. */
export function normalizeHeader(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .replace(/["«»]/g, '')
    .replace(/ё/gi, 'е')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function findColumn(header: readonly string[], names: readonly string[]): number {
  for (const name of names) {
    const index = header.indexOf(name);
    if (index >= 0) return index;
  }
  return -1;
}

/** The cabinet whose export has this header, or null. */
export function detectFormat(cells: readonly string[]): Exclude<SpendFormat, 'generic'> | null {
  const header = cells.map(normalizeHeader);
  for (const format of FORMAT_ORDER) {
    const known = FORMAT_HEADERS[format];
    const hasMarker = known.markers.some((marker) => header.includes(marker));
    if (
      hasMarker &&
      findColumn(header, known.date) >= 0 &&
      findColumn(header, known.cost) >= 0 &&
      findColumn(header, known.campaign) >= 0
    ) {
      return format;
    }
  }
  return null;
}

/** "с НДС" / "без НДС" / "incl. VAT" in the cost column's name. */
export function vatOfHeader(cost: string): VatMode | null {
  const text = normalizeHeader(cost);
  if (/без ндс|excl(\.|uding)? vat|without vat/.test(text)) return 'excluded';
  if (/с ндс|вкл(\.|ючая)? ндс|incl(\.|uding)? vat|with vat/.test(text)) return 'included';
  return null;
}

/**
 * Money as written in Russian and English exports ("1 234,56", "1234.56", "1,234.56 ₽") in
 * kopecks, rounded half up where a cabinet gives more than two decimals; null when unreadable
 * or negative. "--" and "-" (Yandex's "nothing") are zero.
 */
export function parseKopecks(raw: string): number | null {
  let text = raw.replace(/[\s\u00a0\u202f]/g, '').replace(/(₽|руб\.?|rub)$/i, '');
  if (text === '' || text === '-' || text === '--') return text === '' ? null : 0;
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal = lastComma > lastDot ? ',' : '.';
    const thousands = decimal === ',' ? '.' : ',';
    text = text.split(thousands).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    text = text.replace(',', '.');
  }
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const [whole = '0', fraction = ''] = text.split('.');
  const cents = Number((fraction + '00').slice(0, 2));
  const roundUp = fraction.length > 2 && Number(fraction[2]) >= 5 ? 1 : 0;
  const kopecks = Number(whole) * 100 + cents + roundUp;
  return Number.isSafeInteger(kopecks) ? kopecks : null;
}

/** "2026-03-01", "01.03.2026", "01/03/2026", "01.03.26" → "2026-03-01"; null otherwise. */
export function parseDay(raw: string): string | null {
  const text = raw.trim();
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const russian = /^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$/.exec(text);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (russian) {
    const shortYear = Number(russian[3]);
    year = (russian[3] ?? '').length === 2 ? 2000 + shortYear : shortYear;
    [month, day] = [Number(russian[2]), Number(russian[1])];
  } else {
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    year < 2000 ||
    year > 2100
  ) {
    return null;
  }
  return date.toISOString().slice(0, 10);
}

function readRecords(text: string, delimiter: string): string[][] {
  return parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
  }) as string[][];
}

/** The delimiter giving the header row with the most columns among the first lines. */
function chooseDelimiter(text: string): string {
  const head = text.split(/\r?\n/).slice(0, 12).join('\n');
  let best = ',';
  let bestCount = -1;
  for (const delimiter of ['\t', ';', ',']) {
    const count = head.split(delimiter).length;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

export type ReadSpendOptions = {
  /** Forces a mapping (the generic format); otherwise the header decides. */
  mapping?: ColumnMapping | undefined;
};

export class SpendFileError extends Error {
  constructor(
    message: string,
    readonly column: string | null = null,
  ) {
    super(message);
  }
}

/** A CSV or TSV export (the delimiter is guessed from the first lines). */
export function readSpendFile(text: string, options: ReadSpendOptions = {}): ParsedSpendFile {
  const delimiter = chooseDelimiter(text);
  let records: string[][];
  try {
    records = readRecords(text, delimiter);
  } catch (error) {
    throw new SpendFileError(`the file is not readable as CSV: ${(error as Error).message}`);
  }
  return readSpendRecords(records, options);
}

/** Finds the header (after title lines), reads every data row, collects per-row errors. */
export function readSpendRecords(
  records: readonly string[][],
  options: ReadSpendOptions = {},
): ParsedSpendFile {
  // Cabinets put a title and the period above the header: look at the first ten lines.
  let headerIndex = -1;
  let format: SpendFormat | null = null;
  let mapping: ColumnMapping | null = null;
  const wanted = options.mapping;
  for (let index = 0; index < Math.min(records.length, 10); index += 1) {
    const cells = (records[index] ?? []).map(normalizeHeader);
    if (wanted) {
      if (
        cells.includes(normalizeHeader(wanted.date)) &&
        cells.includes(normalizeHeader(wanted.cost))
      ) {
        headerIndex = index;
        format = 'generic';
        mapping = wanted;
        break;
      }
      continue;
    }
    const detected = detectFormat(records[index] ?? []);
    if (detected) {
      const known = FORMAT_HEADERS[detected];
      const pick = (names: string[]) => {
        const column = findColumn(cells, names);
        return column >= 0 ? cells[column] : undefined;
      };
      headerIndex = index;
      format = detected;
      mapping = {
        date: pick(known.date) ?? '',
        campaign: pick(known.campaign),
        keyword: pick(known.keyword),
        cost: pick(known.cost) ?? '',
        currency: pick(CURRENCY_HEADERS),
      };
      break;
    }
  }
  if (headerIndex < 0 || !format || !mapping) {
    throw new SpendFileError(
      wanted
        ? `no header row with the columns "${wanted.date}" and "${wanted.cost}" in the first ten lines`
        : 'the header is not that of a Yandex Direct, VK Ads or Google Ads export: map the columns',
    );
  }
  const rawHeader = records[headerIndex] ?? [];
  const header = rawHeader.map(normalizeHeader);
  const columnOf = (name: string | undefined): number =>
    name === undefined ? -1 : header.indexOf(normalizeHeader(name));
  const columns = {
    date: columnOf(mapping.date),
    campaign: columnOf(mapping.campaign),
    keyword: columnOf(mapping.keyword),
    cost: columnOf(mapping.cost),
    currency: columnOf(mapping.currency),
  };
  for (const key of ['campaign', 'keyword', 'currency'] as const) {
    if (mapping[key] !== undefined && columns[key] < 0) {
      throw new SpendFileError(`the header has no column "${mapping[key]}"`, key);
    }
  }
  const rows: SpendRow[] = [];
  const errors: RowError[] = [];
  let skippedLines = 0;
  const costName = rawHeader[columns.cost] ?? mapping.cost;
  for (let index = headerIndex + 1; index < records.length; index += 1) {
    const record = records[index] ?? [];
    const line = index + 1;
    if (record.every((cell) => cell.trim() === '')) continue;
    const first = (record[0] ?? '').trim();
    if (TOTAL_LINE.test(first) || TOTAL_LINE.test((record[columns.date] ?? '').trim())) {
      skippedLines += 1;
      continue;
    }
    const cell = (column: number) => (column >= 0 ? (record[column] ?? '').trim() : '');
    const rowErrors: RowError[] = [];
    const day = parseDay(cell(columns.date));
    if (!day) {
      rowErrors.push({
        line,
        column: rawHeader[columns.date] ?? mapping.date,
        message: `is not a date (2026-03-01 or 01.03.2026): "${cell(columns.date).slice(0, 40)}"`,
      });
    }
    const amount = parseKopecks(cell(columns.cost));
    if (amount === null) {
      rowErrors.push({
        line,
        column: costName,
        message: `is not an amount ≥ 0 in roubles: "${cell(columns.cost).slice(0, 40)}"`,
      });
    }
    const currency = cell(columns.currency).toUpperCase();
    if (currency !== '' && !['RUB', 'RUR', '₽', 'РУБ', 'РУБ.'].includes(currency)) {
      rowErrors.push({
        line,
        column: rawHeader[columns.currency] ?? 'currency',
        message: `is ${currency.slice(0, 10)}; only roubles are accepted`,
      });
    }
    const campaign = cell(columns.campaign);
    const keyword = cell(columns.keyword);
    for (const [name, value, column] of [
      ['campaign', campaign, columns.campaign],
      ['keyword', keyword, columns.keyword],
    ] as const) {
      if (value.length > 200) {
        rowErrors.push({
          line,
          column: rawHeader[column] ?? name,
          message: 'is longer than 200 characters',
        });
      }
    }
    if (rowErrors.length > 0 || !day || amount === null) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({
      line,
      day,
      campaign: campaign === '--' ? '' : campaign,
      keyword: keyword === '--' ? '' : keyword,
      amountKopecks: amount,
    });
  }
  return {
    format,
    vatFromHeader: vatOfHeader(costName),
    header: rawHeader.map((cell) => cell.replace(/^\uFEFF/, '').trim()),
    mapping,
    rows,
    errors,
    skippedLines,
  };
}

/** Rows of the same day, campaign and keyword summed (a cabinet may split them by ad). */
export function mergeSpendRows(rows: readonly SpendRow[]): SpendRow[] {
  const merged = new Map<string, SpendRow>();
  for (const row of rows) {
    const key = `${row.day}\u0000${row.campaign}\u0000${row.keyword}`;
    const existing = merged.get(key);
    if (existing) existing.amountKopecks += row.amountKopecks;
    else merged.set(key, { ...row });
  }
  return [...merged.values()];
}
