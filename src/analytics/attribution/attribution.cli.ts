// `soglasie attribution`: every attribution model over aggregated paths from a CSV file. Pure
// computation: it reads no configuration and opens no database.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppError } from '../../platform/errors.ts';
import {
  type AttributionResult,
  attributeAggregated,
  DEFAULT_MODEL,
  MODEL_NAMES,
  type ModelName,
} from './attribution-models.ts';
import { DAY_MS } from './attribution-paths.ts';
import { type ChannelCredits, roundCredits } from './credits.ts';
import { formatCsvError, parsePathsCsv } from './paths-csv.ts';

export const ATTRIBUTION_HELP = `Usage: soglasie attribution --paths FILE.csv [--json] [--lookback-days N] [--half-life-days N]

Runs every attribution model over aggregated conversion paths and prints each channel's credited
conversions and value side by side. Reads no database (see docs/attribution.md).

The CSV has the header path,conversions,nulls,value: a path is its channels in order separated by
" > " (the channel "direct" is what last non-direct touch skips), then how many journeys on it
converted, how many did not, and the value of the conversions (a number, dot for decimals).

Options:
  --paths FILE          the CSV file (required)
  --json                print {"models": {model: {channel: conversions}}, "value": …, "totals": …}
  --lookback-days N     count only the last N touches of each path (touches are taken one day
                        apart, the last one a day before the conversion); default: all touches
  --half-life-days N    time decay's half-life in days (default 7), with the same one-day steps
  --help                show this help

Models: ${MODEL_NAMES.join(', ')} (default: ${DEFAULT_MODEL}).
`;

/** Decimal places in the output; rounding keeps each model's total (largest remainder). */
const JSON_DECIMALS = 6;
const TABLE_DECIMALS = 2;

const TABLE_LABELS: Record<ModelName, string> = {
  first: 'first',
  last: 'last',
  last_non_direct: 'last non-dir.',
  linear: 'linear',
  time_decay: 'time decay',
  position_based: 'position',
  markov: 'markov',
  shapley: 'shapley',
};

function invalid(message: string): never {
  throw new AppError('validation_failed', `${message} (see soglasie attribution --help)`);
}

function positiveNumber(raw: string | undefined, flag: string, isWhole: boolean): number | null {
  if (raw === undefined) return null;
  const pattern = isWhole ? /^\d+$/ : /^\d+(\.\d+)?$/;
  const value = Number(raw);
  if (!pattern.test(raw) || !(value > 0)) {
    invalid(`${flag} must be a ${isWhole ? 'whole ' : ''}number above 0, got "${raw}"`);
  }
  return value;
}

function roundedModels(
  result: AttributionResult,
  measure: 'conversions' | 'value',
  decimals: number,
): Record<ModelName, ChannelCredits> {
  return Object.fromEntries(
    MODEL_NAMES.map((model) => [model, roundCredits(result.models[model][measure], decimals)]),
  ) as Record<ModelName, ChannelCredits>;
}

export function attributionJson(
  result: AttributionResult,
  options: { lookbackDays: number | null; halfLifeDays: number },
): unknown {
  return {
    models: roundedModels(result, 'conversions', JSON_DECIMALS),
    value: roundedModels(result, 'value', JSON_DECIMALS),
    totals: result.totals,
    markov: {
      conversion_probability: result.markov.conversionProbability,
      removal_effects: result.markov.removalEffects,
    },
    options: {
      lookback_days: options.lookbackDays,
      half_life_days: options.halfLifeDays,
      touch_spacing_days: 1,
      shapley: `set variant, ${result.shapleyMethod}`,
    },
  };
}

function table(result: AttributionResult, measure: 'conversions' | 'value'): string {
  const rounded = roundedModels(result, measure, TABLE_DECIMALS);
  const width = Math.max(8, ...result.channels.map((channel) => channel.length)) + 2;
  const cell = (text: string) => text.padStart(14);
  const number = (value: number) => value.toFixed(TABLE_DECIMALS);
  const lines = [
    `${measure === 'conversions' ? 'Conversions' : 'Value'} credited per channel`,
    `${'channel'.padEnd(width)}${MODEL_NAMES.map((model) => cell(TABLE_LABELS[model])).join('')}`,
  ];
  for (const channel of result.channels) {
    lines.push(
      `${channel.padEnd(width)}${MODEL_NAMES.map((model) => cell(number(rounded[model][channel] ?? 0))).join('')}`,
    );
  }
  const total = result.totals[measure];
  lines.push(`${'total'.padEnd(width)}${MODEL_NAMES.map(() => cell(number(total))).join('')}`);
  return lines.join('\n');
}

export async function runAttributionCli(args: string[]): Promise<void> {
  let values: {
    paths?: string;
    json?: boolean;
    'lookback-days'?: string;
    'half-life-days'?: string;
    help?: boolean;
  };
  try {
    values = parseArgs({
      args,
      options: {
        paths: { type: 'string' },
        json: { type: 'boolean' },
        'lookback-days': { type: 'string' },
        'half-life-days': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    invalid(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(ATTRIBUTION_HELP);
    return;
  }
  if (!values.paths) invalid('--paths is required');
  const lookbackDays = positiveNumber(values['lookback-days'], '--lookback-days', true);
  const halfLifeDays = positiveNumber(values['half-life-days'], '--half-life-days', false) ?? 7;
  let text: string;
  try {
    text = await readFile(values.paths, 'utf8');
  } catch (error) {
    invalid(`--paths: cannot read ${values.paths}: ${error instanceof Error ? error.message : ''}`);
  }
  const parsed = parsePathsCsv(text);
  if (!parsed.ok) {
    const shown = parsed.errors.slice(0, 50).map((error) => `  ${formatCsvError(error)}`);
    const more = parsed.errors.length > 50 ? [`  … and ${parsed.errors.length - 50} more`] : [];
    throw new AppError(
      'validation_failed',
      `${values.paths} has ${parsed.errors.length} error(s):\n${[...shown, ...more].join('\n')}`,
    );
  }
  const result = attributeAggregated(parsed.rows, {
    lookbackMs: lookbackDays === null ? null : lookbackDays * DAY_MS,
    halfLifeMs: halfLifeDays * DAY_MS,
  });
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(attributionJson(result, { lookbackDays, halfLifeDays }))}\n`,
    );
    return;
  }
  process.stdout.write(
    [
      `${result.totals.paths} paths, ${result.totals.conversions} conversions, ${result.totals.nulls} without conversion, value ${result.totals.value}`,
      `Lookback: ${lookbackDays === null ? 'all touches' : `${lookbackDays} days`}; time decay half-life ${halfLifeDays} days (touches one day apart)`,
      '',
      table(result, 'conversions'),
      '',
      table(result, 'value'),
      '',
    ].join('\n'),
  );
}
