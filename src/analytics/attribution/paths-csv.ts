// Reading aggregated paths from CSV (`path,conversions,nulls,value`), every row checked, every
// problem reported with its line and column.

import { parse } from 'csv-parse/sync';
import { type AggregatedPathRow, PATH_SEPARATOR, parsePathKey } from './attribution-paths.ts';

export const PATH_COLUMNS = ['path', 'conversions', 'nulls', 'value'] as const;
type PathColumn = (typeof PATH_COLUMNS)[number];

export const MAX_CHANNEL_LENGTH = 100;
export const MAX_PATH_TOUCHES = 1000;

export type PathsCsvError = { line: number; column: PathColumn | null; reason: string };

export type PathsCsvResult =
  | { ok: true; rows: AggregatedPathRow[] }
  | { ok: false; errors: PathsCsvError[] };

const WHOLE_NUMBER = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function checkPath(text: string): string | null {
  if (text === '') return 'is empty';
  const channels = parsePathKey(text);
  if (channels.some((channel) => channel === '')) {
    return `has an empty channel (channels are separated by "${PATH_SEPARATOR}")`;
  }
  if (channels.length > MAX_PATH_TOUCHES) return `has over ${MAX_PATH_TOUCHES} touches`;
  const long = channels.find((channel) => channel.length > MAX_CHANNEL_LENGTH);
  if (long) return `channel ${quoted(long)} is over ${MAX_CHANNEL_LENGTH} characters`;
  return null;
}

/**
 * Parses the CSV text. The header must name the four columns (in any order, nothing else).
 * `conversions` and `nulls` are whole numbers ≥ 0, `value` a number ≥ 0 with a dot for decimals
 * and 0 when there is no conversion. Blank lines are skipped; repeated paths are kept as
 * separate rows (the models add them up).
 */
export function parsePathsCsv(text: string): PathsCsvResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as typeof records; // `info: true` wraps each record with its line numbers
  } catch (error) {
    const line =
      error && typeof error === 'object' && 'lines' in error && typeof error.lines === 'number'
        ? error.lines
        : 1;
    return {
      ok: false,
      errors: [{ line, column: null, reason: error instanceof Error ? error.message : 'bad CSV' }],
    };
  }
  const [header, ...body] = records;
  if (!header)
    return { ok: false, errors: [{ line: 1, column: null, reason: 'the file is empty' }] };
  const names = header.record.map((name) => name.toLowerCase());
  const missing = PATH_COLUMNS.filter((column) => !names.includes(column));
  const unknown = names.filter((name) => !(PATH_COLUMNS as readonly string[]).includes(name));
  const duplicated = names.filter((name, index) => names.indexOf(name) !== index);
  if (missing.length > 0 || unknown.length > 0 || duplicated.length > 0) {
    const problems = [
      missing.length > 0 ? `missing ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown ${unknown.map(quoted).join(', ')}` : '',
      duplicated.length > 0 ? `repeated ${duplicated.join(', ')}` : '',
    ].filter(Boolean);
    return {
      ok: false,
      errors: [
        {
          line: header.info.lines,
          column: null,
          reason: `the header must be ${PATH_COLUMNS.join(',')}: ${problems.join('; ')}`,
        },
      ],
    };
  }
  const index = Object.fromEntries(PATH_COLUMNS.map((column) => [column, names.indexOf(column)]));
  const errors: PathsCsvError[] = [];
  const rows: AggregatedPathRow[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.length !== names.length) {
      errors.push({
        line,
        column: null,
        reason: `has ${record.length} fields, the header has ${names.length}`,
      });
      continue;
    }
    const cell = (column: PathColumn): string => record[index[column] ?? -1] ?? '';
    const rowErrors: PathsCsvError[] = [];
    const pathProblem = checkPath(cell('path'));
    if (pathProblem) rowErrors.push({ line, column: 'path', reason: pathProblem });
    const counts: Record<'conversions' | 'nulls', number> = { conversions: 0, nulls: 0 };
    for (const column of ['conversions', 'nulls'] as const) {
      const raw = cell(column);
      if (!WHOLE_NUMBER.test(raw) || !Number.isSafeInteger(Number(raw))) {
        rowErrors.push({
          line,
          column,
          reason: `must be a whole number ≥ 0, got ${quoted(raw)}`,
        });
      } else {
        counts[column] = Number(raw);
      }
    }
    const rawValue = cell('value');
    let value = 0;
    if (!DECIMAL.test(rawValue) || !Number.isFinite(Number(rawValue))) {
      rowErrors.push({
        line,
        column: 'value',
        reason: `must be a number ≥ 0 with a dot for decimals, got ${quoted(rawValue)}`,
      });
    } else {
      value = Number(rawValue);
      if (
        value > 0 &&
        counts.conversions === 0 &&
        !rowErrors.some((e) => e.column === 'conversions')
      ) {
        rowErrors.push({ line, column: 'value', reason: 'must be 0 when conversions is 0' });
      }
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({
      path: parsePathKey(cell('path')).join(PATH_SEPARATOR),
      conversions: counts.conversions,
      nulls: counts.nulls,
      value,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, rows };
}

export function formatCsvError(error: PathsCsvError): string {
  return `line ${error.line}${error.column ? `, column ${error.column}` : ''}: ${error.reason}`;
}
