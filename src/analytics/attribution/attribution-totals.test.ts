import { describe, expect, it } from 'vitest';
import { attributeAll, MODEL_NAMES } from './attribution-models.ts';
import {
  type ConversionPath,
  DAY_MS,
  pathFromChannels,
  pathOfJourney,
} from './attribution-paths.ts';
import { roundCredits } from './credits.ts';
import { attributeShapley } from './shapley-model.ts';

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const CHANNELS = [
  'direct',
  'yandex_direct',
  'yandex_organic',
  'vk_ads',
  'google_ads',
  'maps',
  'email',
];

function randomPaths(random: () => number, count: number, channelCount: number): ConversionPath[] {
  const pool = CHANNELS.slice(0, channelCount);
  const pick = () => pool[Math.floor(random() * pool.length)] ?? 'direct';
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(random() * 6);
    const conversions = Math.floor(random() * 4);
    return pathFromChannels(
      Array.from({ length }, pick),
      {
        conversions,
        nulls: Math.floor(random() * 5),
        // Odd kopeck amounts, to catch value lost to rounding.
        value: conversions === 0 ? 0 : Math.round(random() * 10_000_000) / 100,
      },
      Math.floor(random() * 3 * DAY_MS),
    );
  });
}

function total(credits: Record<string, number>): number {
  return Object.values(credits).reduce((sum, credit) => sum + credit, 0);
}

function expectTotals(result: ReturnType<typeof attributeAll>, label: string): void {
  for (const model of MODEL_NAMES) {
    const { conversions, value } = result.models[model];
    const tolerance = (amount: number) => 1e-9 * Math.max(1, amount);
    expect(
      Math.abs(total(conversions) - result.totals.conversions),
      `${label} ${model} conversions`,
    ).toBeLessThanOrEqual(tolerance(result.totals.conversions));
    expect(
      Math.abs(total(value) - result.totals.value),
      `${label} ${model} value`,
    ).toBeLessThanOrEqual(tolerance(result.totals.value));
    for (const credit of [...Object.values(conversions), ...Object.values(value)]) {
      expect(credit, `${label} ${model} non-negative`).toBeGreaterThanOrEqual(0);
    }
    // Rounded to kopecks (2 places) by largest remainder, the credits keep the rounded total.
    const rounded = roundCredits(value, 2);
    expect(Math.round(total(rounded) * 100), `${label} ${model} rounded`).toBe(
      Math.round(result.totals.value * 100),
    );
  }
}

describe('every model credits exactly the total conversions and value', () => {
  it('on 200 random path sets, with and without a lookback window', () => {
    const random = seeded(20261205);
    for (let round = 0; round < 200; round += 1) {
      const paths = randomPaths(
        random,
        1 + Math.floor(random() * 40),
        1 + (round % CHANNELS.length),
      );
      const expectedConversions = paths.reduce((sum, path) => sum + path.conversions, 0);
      const result = attributeAll(paths, {
        halfLifeMs: (1 + Math.floor(random() * 14)) * DAY_MS,
        lookbackMs: round % 2 === 0 ? null : (1 + Math.floor(random() * 5)) * DAY_MS,
      });
      // The window never loses a conversion: emptied paths convert under direct.
      expect(result.totals.conversions).toBe(expectedConversions);
      expectTotals(result, `round ${round}`);
    }
  });

  it('on random journeys with real timestamps', () => {
    const random = seeded(7);
    const start = Date.UTC(2026, 0, 1);
    const journeys = Array.from({ length: 500 }, () => {
      const touches = Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
        channel: CHANNELS[Math.floor(random() * CHANNELS.length)] ?? 'direct',
        at: new Date(start + random() * 60 * DAY_MS),
      }));
      const isConverted = random() < 0.4;
      return pathOfJourney({
        touches,
        conversion: isConverted
          ? { at: new Date(start + 60 * DAY_MS), value: Math.round(random() * 500_000) / 100 }
          : null,
      });
    });
    const result = attributeAll(journeys, { lookbackMs: 30 * DAY_MS, halfLifeMs: 7 * DAY_MS });
    expect(result.totals.conversions).toBe(journeys.filter((path) => path.conversions).length);
    expectTotals(result, 'journeys');
  });

  it('on about 200,000 conversions, where plain summation would drift', () => {
    const random = seeded(42);
    const paths = randomPaths(random, 2000, CHANNELS.length).map((path) => ({
      ...path,
      conversions: path.conversions * 67,
      value: path.value * 33.37,
    }));
    expectTotals(attributeAll(paths), 'large');
  });
});

describe('Shapley by coalitions equals the unanimity identity', () => {
  it('on random path sets of up to 7 channels', () => {
    const random = seeded(99);
    for (let round = 0; round < 50; round += 1) {
      const paths = randomPaths(
        random,
        1 + Math.floor(random() * 30),
        1 + (round % CHANNELS.length),
      );
      const channels = [...new Set(paths.flatMap((path) => path.touches.map((t) => t.channel)))];
      const coalitions = attributeShapley(paths, channels, 'coalitions');
      const unanimity = attributeShapley(paths, channels, 'unanimity');
      for (const channel of channels) {
        expect(coalitions.conversions[channel]).toBeCloseTo(
          unanimity.conversions[channel] ?? -1,
          9,
        );
        expect(coalitions.value[channel]).toBeCloseTo(unanimity.value[channel] ?? -1, 6);
      }
    }
  });

  it('at the 20-channel limit', () => {
    const random = seeded(2020);
    const pool = Array.from({ length: 20 }, (_, index) => `channel_${index}`);
    const paths = Array.from({ length: 300 }, () =>
      pathFromChannels(
        Array.from(
          { length: 1 + Math.floor(random() * 8) },
          () => pool[Math.floor(random() * pool.length)] ?? 'channel_0',
        ),
        { conversions: 1 + Math.floor(random() * 3), nulls: 0, value: 1000 },
      ),
    );
    const coalitions = attributeShapley(paths, pool, 'coalitions');
    const unanimity = attributeShapley(paths, pool, 'unanimity');
    for (const channel of pool) {
      expect(coalitions.conversions[channel]).toBeCloseTo(unanimity.conversions[channel] ?? -1, 7);
    }
  });
});
