// Every attribution model side by side over the same paths: the one entry point for the CLI and
// the reports.

import {
  type AggregatedPathRow,
  applyLookback,
  type ConversionPath,
  DAY_MS,
  DIRECT_CHANNEL,
  pathsFromRows,
} from './attribution-paths.ts';
import { compensatedSum, type ModelCredits } from './credits.ts';
import {
  attributeByWeights,
  firstTouchWeights,
  lastNonDirectWeights,
  lastTouchWeights,
  linearWeights,
  positionBasedWeights,
  timeDecayWeights,
} from './heuristic-models.ts';
import { attributeMarkov } from './markov-model.ts';
import { attributeShapley, type ShapleyMethod } from './shapley-model.ts';

export const MODEL_NAMES = [
  'first',
  'last',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
  'markov',
  'shapley',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** Last non-direct touch is the default model, as in Yandex Metrica. */
export const DEFAULT_MODEL: ModelName = 'last_non_direct';
export const DEFAULT_HALF_LIFE_MS = 7 * DAY_MS;

export type AttributionOptions = {
  /** Touches older than this before the end of their path are dropped; no window by default. */
  lookbackMs?: number | null;
  /** Time decay's half-life; 7 days by default. */
  halfLifeMs?: number;
  /** The channel that last non-direct touch skips; `direct` by default. */
  directChannel?: string;
};

export type AttributionResult = {
  /** Every channel on a path after the lookback, sorted; each model reports each of them. */
  channels: string[];
  totals: { paths: number; conversions: number; nulls: number; value: number };
  models: Record<ModelName, ModelCredits>;
  markov: { conversionProbability: number; removalEffects: Record<string, number> };
  shapleyMethod: ShapleyMethod;
};

function channelsOf(paths: readonly ConversionPath[]): Set<string> {
  const channels = new Set<string>();
  for (const path of paths) for (const touch of path.touches) channels.add(touch.channel);
  return channels;
}

/** Runs every model over the paths. Credits of each model add up to the totals. */
export function attributeAll(
  paths: readonly ConversionPath[],
  options: AttributionOptions = {},
): AttributionResult {
  const lookbackMs = options.lookbackMs ?? null;
  const windowed =
    lookbackMs === null ? paths : paths.map((path) => applyLookback(path, lookbackMs));
  // A conversion with no touch at all (a walk-in, a call from an untracked number) is direct, as
  // one whose touches all fell outside the window; a null path without touches says nothing.
  const directChannel = options.directChannel ?? DIRECT_CHANNEL;
  const used = windowed.flatMap((path) => {
    if (path.touches.length > 0) return [path];
    if (path.conversions === 0 && path.value === 0) return [];
    return [{ ...path, touches: [{ channel: directChannel, ageMs: 0 }] }];
  });
  const channels = [...channelsOf(used)].sort((left, right) => left.localeCompare(right, 'en'));
  const markov = attributeMarkov(used, channels);
  const shapley = attributeShapley(used, channels);
  const byWeights = (weights: Parameters<typeof attributeByWeights>[2]) =>
    attributeByWeights(used, channels, weights);
  return {
    channels,
    totals: {
      paths: used.length,
      conversions: compensatedSum(used.map((path) => path.conversions)),
      nulls: compensatedSum(used.map((path) => path.nulls)),
      value: compensatedSum(used.map((path) => path.value)),
    },
    models: {
      first: byWeights(firstTouchWeights),
      last: byWeights(lastTouchWeights),
      last_non_direct: byWeights(lastNonDirectWeights(directChannel)),
      linear: byWeights(linearWeights),
      time_decay: byWeights(timeDecayWeights(options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS)),
      position_based: byWeights(positionBasedWeights),
      markov: { conversions: markov.conversions, value: markov.value },
      shapley: { conversions: shapley.conversions, value: shapley.value },
    },
    markov: {
      conversionProbability: markov.conversionProbability,
      removalEffects: markov.removalEffects,
    },
    shapleyMethod: shapley.method,
  };
}

/**
 * Every model over aggregated rows (`path` → conversions, nulls, value), given as a list of rows
 * or keyed by the path string. Times are not known,
 * so touches are taken one day apart, the last a day before the conversion: time decay then
 * halves a touch's weight every `halfLifeMs` / 1 day steps back, and a lookback of N days keeps
 * the last N touches of each path.
 */
export function attributeAggregated(
  rows:
    | readonly AggregatedPathRow[]
    | ReadonlyMap<string, Omit<AggregatedPathRow, 'path'>>
    | Readonly<Record<string, Omit<AggregatedPathRow, 'path'>>>,
  options: AttributionOptions = {},
): AttributionResult {
  const list = Array.isArray(rows)
    ? (rows as readonly AggregatedPathRow[])
    : [...(rows instanceof Map ? rows : Object.entries(rows))].map(([path, counts]) => ({
        path,
        ...counts,
      }));
  return attributeAll(pathsFromRows(list, DAY_MS), options);
}
