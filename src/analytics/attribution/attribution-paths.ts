// Conversion paths: the ordered touches before a conversion (or before nothing), built from
// individual journeys with timestamps or from aggregated path strings, and the lookback window.

export const DIRECT_CHANNEL = 'direct';
export const DAY_MS = 86_400_000;
/** How an aggregated path string separates its channels: `yandex_direct > direct`. */
export const PATH_SEPARATOR = ' > ';

/** One touch: its channel and how long before the end of the path it happened. */
export type Touch = { channel: string; ageMs: number };

/**
 * A path, possibly standing for many identical journeys: `conversions` of them ended in a
 * conversion worth `value` in total, `nulls` ended without one.
 */
export type ConversionPath = {
  touches: readonly Touch[];
  conversions: number;
  nulls: number;
  value: number;
};

/** One person's journey with real times, as the event store will hand it over. */
export type Journey = {
  touches: readonly { channel: string; at: Date }[];
  /** The conversion that ended the journey, or null when it ended without one. */
  conversion: { at: Date; value: number } | null;
  /** Where a journey without conversion is measured from; its last touch by default. */
  observedUntil?: Date;
};

/** A row of aggregated paths, as in `path,conversions,nulls,value`. */
export type AggregatedPathRow = {
  path: string;
  conversions: number;
  nulls: number;
  value: number;
};

/** The channels of a path string, in order: `a > b > a` → `['a', 'b', 'a']`. */
export function parsePathKey(path: string): string[] {
  return path.split(PATH_SEPARATOR.trim()).map((channel) => channel.trim());
}

export function pathKeyOf(channels: readonly string[]): string {
  return channels.join(PATH_SEPARATOR);
}

/**
 * A path from channels alone, when times are unknown: touches are one step apart and the last
 * one is one step before the conversion, so the k-th touch from the end is k steps old.
 */
export function pathFromChannels(
  channels: readonly string[],
  counts: { conversions: number; nulls: number; value: number },
  stepMs: number = DAY_MS,
): ConversionPath {
  return {
    touches: channels.map((channel, index) => ({
      channel,
      ageMs: (channels.length - index) * stepMs,
    })),
    ...counts,
  };
}

/**
 * A single journey as a path of weight one. Ages are measured to the conversion, or for a
 * journey without one to `observedUntil` (its last touch by default); touches after the
 * conversion did not lead to it and are left out.
 */
export function pathOfJourney(journey: Journey): ConversionPath {
  const endAt =
    journey.conversion?.at.getTime() ??
    journey.observedUntil?.getTime() ??
    journey.touches.reduce((latest, touch) => Math.max(latest, touch.at.getTime()), 0);
  const touches = [...journey.touches]
    .sort((left, right) => left.at.getTime() - right.at.getTime())
    .map((touch) => ({ channel: touch.channel, ageMs: endAt - touch.at.getTime() }))
    .filter((touch) => touch.ageMs >= 0);
  return journey.conversion
    ? { touches, conversions: 1, nulls: 0, value: journey.conversion.value }
    : { touches, conversions: 0, nulls: 1, value: 0 };
}

/**
 * The lookback window: only touches at most `lookbackMs` before the end of the path count.
 * A path left without touches keeps its conversions under `direct` (the converting visit came
 * with nothing tracked inside the window, which is what Yandex Metrica calls a direct visit),
 * so that every model still credits all conversions.
 */
export function applyLookback(path: ConversionPath, lookbackMs: number): ConversionPath {
  const touches = path.touches.filter((touch) => touch.ageMs <= lookbackMs);
  if (touches.length === path.touches.length) return path;
  return {
    ...path,
    touches: touches.length > 0 ? touches : [{ channel: DIRECT_CHANNEL, ageMs: 0 }],
  };
}

/** Aggregated rows as paths (one day per step, see `pathFromChannels`). */
export function pathsFromRows(
  rows: readonly AggregatedPathRow[],
  stepMs: number = DAY_MS,
): ConversionPath[] {
  return rows.map((row) =>
    pathFromChannels(
      parsePathKey(row.path),
      { conversions: row.conversions, nulls: row.nulls, value: row.value },
      stepMs,
    ),
  );
}

/**
 * Paths with the same channel sequence summed into one row each, in first-seen order: what
 * reports pre-aggregate and what the CLI reads. Touch times are dropped.
 */
export function aggregatePaths(paths: readonly ConversionPath[]): AggregatedPathRow[] {
  const rows = new Map<string, AggregatedPathRow>();
  for (const path of paths) {
    const key = pathKeyOf(path.touches.map((touch) => touch.channel));
    const row = rows.get(key);
    if (row) {
      row.conversions += path.conversions;
      row.nulls += path.nulls;
      row.value += path.value;
    } else {
      rows.set(key, {
        path: key,
        conversions: path.conversions,
        nulls: path.nulls,
        value: path.value,
      });
    }
  }
  return [...rows.values()];
}
