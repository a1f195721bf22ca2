import { describe, expect, it } from 'vitest';
import { attributeAggregated, attributeAll, MODEL_NAMES } from './attribution-models.ts';
import {
  aggregatePaths,
  applyLookback,
  DAY_MS,
  pathFromChannels,
  pathOfJourney,
} from './attribution-paths.ts';
import { roundCredits } from './credits.ts';
import { attributeMarkov, conversionProbability, countTransitions } from './markov-model.ts';
import { attributeShapley } from './shapley-model.ts';

// The worked example of docs/attribution.md: three channels, four aggregated paths.
//   P1  yandex > vk > direct   2 conversions, 0 nulls, value 6000
//   P2  vk > vk > direct       1 conversion,  1 null,  value 3000
//   P3  yandex                 0 conversions, 2 nulls
//   P4  direct                 1 conversion,  0 nulls, value 1000
// Totals: 4 conversions, 3 nulls, value 10000.
const EXAMPLE = [
  { path: 'yandex > vk > direct', conversions: 2, nulls: 0, value: 6000 },
  { path: 'vk > vk > direct', conversions: 1, nulls: 1, value: 3000 },
  { path: 'yandex', conversions: 0, nulls: 2, value: 0 },
  { path: 'direct', conversions: 1, nulls: 0, value: 1000 },
];

function expectCredits(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [channel, credit] of Object.entries(expected)) {
    expect(actual[channel], channel).toBeCloseTo(credit, 9);
  }
}

describe('the worked example, model by model', () => {
  const result = attributeAggregated(EXAMPLE, { halfLifeMs: DAY_MS });

  it('counts the totals and lists every channel', () => {
    expect(result.channels).toEqual(['direct', 'vk', 'yandex']);
    expect(result.totals).toEqual({ paths: 4, conversions: 4, nulls: 3, value: 10000 });
  });

  it('first touch credits the first channel of each converting path', () => {
    // P1 → yandex 2 (6000); P2 → vk 1 (3000); P4 → direct 1 (1000); P3 converts nothing.
    expectCredits(result.models.first.conversions, { direct: 1, vk: 1, yandex: 2 });
    expectCredits(result.models.first.value, { direct: 1000, vk: 3000, yandex: 6000 });
  });

  it('last touch credits the last channel', () => {
    // Every converting path ends in direct: 2 + 1 + 1 = 4, value 10000.
    expectCredits(result.models.last.conversions, { direct: 4, vk: 0, yandex: 0 });
    expectCredits(result.models.last.value, { direct: 10000, vk: 0, yandex: 0 });
  });

  it('last non-direct touch skips direct unless the path is direct only', () => {
    // P1 → vk 2 (6000); P2 → vk 1 (3000); P4 is direct only → direct 1 (1000).
    expectCredits(result.models.last_non_direct.conversions, { direct: 1, vk: 3, yandex: 0 });
    expectCredits(result.models.last_non_direct.value, { direct: 1000, vk: 9000, yandex: 0 });
  });

  it('linear splits each path evenly between its touches, repeats included', () => {
    // P1: 2 × 1/3 each → yandex 2/3, vk 2/3, direct 2/3 (value 2000 each).
    // P2: 1 × 1/3 per touch → vk 2/3, direct 1/3 (value 2000, 1000). P4: direct 1 (1000).
    // yandex 2/3; vk 2/3 + 2/3 = 4/3; direct 2/3 + 1/3 + 1 = 2.
    expectCredits(result.models.linear.conversions, { direct: 2, vk: 4 / 3, yandex: 2 / 3 });
    expectCredits(result.models.linear.value, { direct: 4000, vk: 4000, yandex: 2000 });
  });

  it('position-based gives 40/20/40', () => {
    // P1: yandex .4, vk .2, direct .4, × 2 → .8, .4, .8 (value 2400, 1200, 2400).
    // P2: vk .4 + .2 = .6, direct .4 (value 1800, 1200). P4: direct 1 (1000).
    // yandex .8; vk .4 + .6 = 1; direct .8 + .4 + 1 = 2.2.
    expectCredits(result.models.position_based.conversions, { direct: 2.2, vk: 1, yandex: 0.8 });
    expectCredits(result.models.position_based.value, { direct: 4600, vk: 3000, yandex: 2400 });
  });

  it('time decay halves a touch per half-life (one day here, touches one day apart)', () => {
    // Three touches 3, 2, 1 days old: 2^-3, 2^-2, 2^-1 ∝ 1/4, 1/2, 1 → 1/7, 2/7, 4/7.
    // P1 × 2: yandex 2/7, vk 4/7, direct 8/7 (value 6000/7, 12000/7, 24000/7).
    // P2 × 1: vk 1/7 + 2/7 = 3/7, direct 4/7 (value 9000/7, 12000/7). P4: direct 1 (1000).
    // yandex 2/7; vk 4/7 + 3/7 = 1; direct 8/7 + 4/7 + 1 = 19/7.
    expectCredits(result.models.time_decay.conversions, { direct: 19 / 7, vk: 1, yandex: 2 / 7 });
    expectCredits(result.models.time_decay.value, {
      direct: 43000 / 7,
      vk: 3000,
      yandex: 6000 / 7,
    });
  });

  it('Markov: removal effects from the absorbing chain, exactly', () => {
    // Transitions (journeys = conversions + nulls of each path):
    //   start → yandex 2 (P1) + 2 (P3) = 4, start → vk 2 (P2), start → direct 1 (P4); out 7
    //   yandex → vk 2, yandex → null 2; out 4
    //   vk → direct 2 (P1) + 2 (P2) = 4, vk → vk 2 (P2); out 6
    //   direct → conversion 2 + 1 + 1 = 4, direct → null 1; out 5
    // p(direct) = 4/5; p(vk) = 2/6 p(vk) + 4/6 p(direct) → p(vk) = 4/5; p(yandex) = 2/4 · 4/5 = 2/5
    // P = 4/7 · 2/5 + 2/7 · 4/5 + 1/7 · 4/5 = 8/35 + 8/35 + 4/35 = 20/35 = 4/7.
    // Without yandex: 2/7 · 4/5 + 1/7 · 4/5 = 12/35 → RE = 1 − 12/20 = 2/5.
    // Without vk: yandex → vk goes to null, p(yandex) = 0: 1/7 · 4/5 = 4/35 → RE = 1 − 4/20 = 4/5.
    // Without direct: every conversion passes direct → 0 → RE = 1.
    // Σ RE = 2/5 + 4/5 + 1 = 11/5; shares 2/11, 4/11, 5/11 of 4 conversions and of 10000.
    expect(result.markov.conversionProbability).toBeCloseTo(4 / 7, 12);
    expectCredits(result.markov.removalEffects, { direct: 1, vk: 4 / 5, yandex: 2 / 5 });
    expectCredits(result.models.markov.conversions, {
      direct: 20 / 11,
      vk: 16 / 11,
      yandex: 8 / 11,
    });
    expectCredits(result.models.markov.value, {
      direct: 50000 / 11,
      vk: 40000 / 11,
      yandex: 20000 / 11,
    });
  });

  it('Shapley: the set game over coalitions of the three channels', () => {
    // v(S) = conversions of converting paths whose channel set ⊆ S (Y yandex, V vk, D direct):
    //   sets: P1 {Y,V,D} 2, P2 {V,D} 1, P4 {D} 1 (P3 converts nothing and adds nothing)
    //   v(∅)=v(Y)=v(V)=v(YV)=0, v(D)=1, v(YD)=1, v(VD)=2, v(YVD)=4
    // Weights |S|!(3−|S|−1)!/3!: |S|=0 → 1/3, |S|=1 → 1/6, |S|=2 → 1/3.
    // φ_Y = 1/3·0 + 1/6·(v(YV)−v(V)) + 1/6·(v(YD)−v(D)) + 1/3·(v(YVD)−v(VD)) = 0+0+0+2/3 = 2/3
    // φ_V = 1/3·0 + 1/6·0 + 1/6·(2−1) + 1/3·(4−1) = 1/6 + 1 = 7/6
    // φ_D = 1/3·1 + 1/6·(1−0) + 1/6·(2−0) + 1/3·(4−0) = 2/6 + 1/6 + 2/6 + 8/6 = 13/6
    // Σ = 4/6 + 7/6 + 13/6 = 4. Value: v(D)=1000, v(YD)=1000, v(VD)=4000, v(YVD)=10000:
    // φ_Y = (10000−4000)/3 = 2000; φ_V = 3000/6 + 9000/3 = 3500;
    // φ_D = 1000/3 + 1000/6 + 4000/6 + 10000/3 = 27000/6 = 4500.
    expectCredits(result.models.shapley.conversions, { direct: 13 / 6, vk: 7 / 6, yandex: 2 / 3 });
    expectCredits(result.models.shapley.value, { direct: 4500, vk: 3500, yandex: 2000 });
    expect(result.shapleyMethod).toBe('coalitions');
  });

  it('takes the same rows keyed by path string', () => {
    const keyed = Object.fromEntries(EXAMPLE.map(({ path, ...counts }) => [path, counts]));
    const fromRecord = attributeAggregated(keyed, { halfLifeMs: DAY_MS });
    const fromMap = attributeAggregated(new Map(Object.entries(keyed)), { halfLifeMs: DAY_MS });
    expect(fromRecord.models).toEqual(result.models);
    expect(fromMap.models).toEqual(result.models);
  });

  it('credits every model with exactly the total conversions and value', () => {
    for (const model of MODEL_NAMES) {
      const credits = result.models[model];
      expect(Object.values(credits.conversions).reduce((a, b) => a + b, 0)).toBeCloseTo(4, 12);
      expect(Object.values(credits.value).reduce((a, b) => a + b, 0)).toBeCloseTo(10000, 9);
    }
  });
});

describe('Markov on a path with a cycle', () => {
  it('solves the loop a → b → a exactly, where counting paths would not do', () => {
    // "a > b > a" converts once, "b" ends without conversion once.
    //   start → a 1, start → b 1; a → b 1, a → conv 1 (out 2); b → a 1, b → null 1 (out 2)
    // p(a) = 1/2 + 1/2 p(b), p(b) = 1/2 p(a) → p(a) = 1/2 + 1/4 p(a) → p(a) = 2/3, p(b) = 1/3
    // P = 1/2 · 2/3 + 1/2 · 1/3 = 1/2.
    // Without a: p(b) = 0 (b → a goes to null) → P = 0, RE_a = 1.
    // Without b: p(a) = 1/2 → P = 1/2 · 1/2 = 1/4, RE_b = 1 − 1/4 / 1/2 = 1/2.
    // Shares 2/3 and 1/3 of one conversion.
    const paths = [
      pathFromChannels(['a', 'b', 'a'], { conversions: 1, nulls: 0, value: 90 }),
      pathFromChannels(['b'], { conversions: 0, nulls: 1, value: 0 }),
    ];
    const counts = countTransitions(paths, ['a', 'b']);
    expect(conversionProbability(counts)).toBeCloseTo(1 / 2, 12);
    expect(conversionProbability(counts, new Set(['b']))).toBeCloseTo(1 / 4, 12);
    const markov = attributeMarkov(paths, ['a', 'b']);
    expectCredits(markov.removalEffects, { a: 1, b: 1 / 2 });
    expectCredits(markov.conversions, { a: 2 / 3, b: 1 / 3 });
    expectCredits(markov.value, { a: 60, b: 30 });
  });

  it('credits nothing when nothing converted', () => {
    const markov = attributeMarkov(
      [pathFromChannels(['a', 'b'], { conversions: 0, nulls: 3, value: 0 })],
      ['a', 'b'],
    );
    expect(markov.conversionProbability).toBe(0);
    expectCredits(markov.conversions, { a: 0, b: 0 });
  });
});

describe('Shapley beyond the coalition limit', () => {
  it('uses the unanimity identity with 22 channels and still credits the total', () => {
    const channels = Array.from({ length: 22 }, (_, index) => `c${String(index).padStart(2, '0')}`);
    const paths = [
      pathFromChannels(channels, { conversions: 22, nulls: 0, value: 2200 }),
      pathFromChannels(['c00', 'c01'], { conversions: 2, nulls: 5, value: 100 }),
    ];
    const shapley = attributeShapley(paths, channels);
    expect(shapley.method).toBe('unanimity');
    // c00 and c01: 22/22 + 2/2 = 2 each; every other channel 22/22 = 1.
    expect(shapley.conversions.c00).toBeCloseTo(2, 12);
    expect(shapley.conversions.c05).toBeCloseTo(1, 12);
    expect(shapley.value.c01).toBeCloseTo(100 + 50, 9);
    expect(() => attributeShapley(paths, channels, 'coalitions')).toThrow(/over 20/);
  });
});

describe('journeys with real times and the lookback window', () => {
  const day = (days: number) => new Date(Date.UTC(2026, 0, 1) + days * DAY_MS);

  it('decays by real ages: a touch two half-lives older weighs a quarter', () => {
    // Touches 14 and 0 days before the conversion, half-life 7 days: 2^-2 : 2^0 = 1 : 4.
    const path = pathOfJourney({
      touches: [
        { channel: 'vk', at: day(0) },
        { channel: 'yandex', at: day(14) },
      ],
      conversion: { at: day(14), value: 500 },
    });
    const result = attributeAll([path], { halfLifeMs: 7 * DAY_MS });
    expectCredits(result.models.time_decay.conversions, { vk: 1 / 5, yandex: 4 / 5 });
    expectCredits(result.models.time_decay.value, { vk: 100, yandex: 400 });
  });

  it('drops touches outside the window and after the conversion', () => {
    // vk 40 days before, yandex 10 days before, google after the conversion; 30-day window.
    const journey = {
      touches: [
        { channel: 'google', at: day(41) },
        { channel: 'vk', at: day(0) },
        { channel: 'yandex', at: day(30) },
      ],
      conversion: { at: day(40), value: 1 },
    };
    const path = applyLookback(pathOfJourney(journey), 30 * DAY_MS);
    expect(path.touches).toEqual([{ channel: 'yandex', ageMs: 10 * DAY_MS }]);
    const result = attributeAll([pathOfJourney(journey)], { lookbackMs: 30 * DAY_MS });
    expectCredits(result.models.first.conversions, { yandex: 1 });
  });

  it('keeps a conversion with no touch left in the window under direct', () => {
    const path = pathOfJourney({
      touches: [{ channel: 'vk', at: day(0) }],
      conversion: { at: day(100), value: 7 },
    });
    const result = attributeAll([path], { lookbackMs: 30 * DAY_MS });
    for (const model of MODEL_NAMES) {
      expectCredits(result.models[model].conversions, { direct: 1 });
    }
  });

  it('credits a conversion without any touch to direct and ignores an empty null path', () => {
    const result = attributeAll([
      pathOfJourney({ touches: [], conversion: { at: day(3), value: 40 } }),
      pathOfJourney({ touches: [], conversion: null }),
      pathOfJourney({
        touches: [{ channel: 'maps', at: day(1) }],
        conversion: { at: day(2), value: 60 },
      }),
    ]);
    expect(result.totals).toEqual({ paths: 2, conversions: 2, nulls: 0, value: 100 });
    for (const model of MODEL_NAMES) {
      expectCredits(result.models[model].conversions, { direct: 1, maps: 1 });
    }
  });

  it('keeps the last N touches of an aggregated path for a lookback of N days', () => {
    // Touches one day apart, the last a day before: a 2-day window keeps the last two.
    // P1 → vk > direct (first: vk 2), P2 → vk > direct (vk 1), P3 yandex (no conversion),
    // P4 direct (direct 1).
    const result = attributeAggregated(EXAMPLE, { lookbackMs: 2 * DAY_MS });
    expectCredits(result.models.first.conversions, { direct: 1, vk: 3, yandex: 0 });
  });

  it('aggregates journeys with the same channels into one row', () => {
    const journeys = [1, 2, 3].map((index) =>
      pathOfJourney({
        touches: [
          { channel: 'vk', at: day(0) },
          { channel: 'direct', at: day(index) },
        ],
        conversion: index === 3 ? null : { at: day(5), value: 100 * index },
      }),
    );
    expect(aggregatePaths(journeys)).toEqual([
      { path: 'vk > direct', conversions: 2, nulls: 1, value: 300 },
    ]);
  });
});

describe('rounding', () => {
  it('rounds by largest remainder so rounded credits keep the rounded total', () => {
    // Thirds of 1: plain rounding gives 0.33 × 3 = 0.99; largest remainder gives 0.34 to one.
    expect(roundCredits({ a: 1 / 3, b: 1 / 3, c: 1 / 3 }, 2)).toEqual({
      a: 0.34,
      b: 0.33,
      c: 0.33,
    });
    // 20/11, 16/11, 8/11 of 4 to 2 places: 181.81…, 145.45…, 72.72… hundredths → floors 181, 145,
    // 72 (398 of 400 units); the two missing units go to the largest remainders, .81 and .72.
    expect(roundCredits({ direct: 20 / 11, vk: 16 / 11, yandex: 8 / 11 }, 2)).toEqual({
      direct: 1.82,
      vk: 1.45,
      yandex: 0.73,
    });
  });
});
