// Data-driven attribution by the Shapley value of a cooperative game between channels.
//
// The game ("set" variant): v(S) = the conversions (or value) of the converting paths whose set
// of channels is a subset of S. Order and repeats inside a path do not enter, and paths without
// a conversion add 0 to every v(S), so null paths do not enter this model (the Markov model is
// the one that learns from them). v(all channels) = all conversions, so by the efficiency of the
// Shapley value the credits add up to the total.

import type { ConversionPath } from './attribution-paths.ts';
import { createCreditLedger, type ModelCredits } from './credits.ts';

/**
 * The coalitions are enumerated exactly up to this many converting channels: 2^n coalitions,
 * each extra channel doubles time and memory. At 20 that is 1,048,576 coalitions (two arrays of
 * 8 MB, about 40 million additions); at 30 it would be 16 GB. Above it the unanimity identity
 * below is used, which gives the same values for this game.
 */
export const SHAPLEY_COALITION_LIMIT = 20;

export type ShapleyMethod = 'coalitions' | 'unanimity';

/**
 * The Shapley value of every channel:
 *   φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))
 * over the n channels that appear on a converting path (the others get 0).
 *
 * `coalitions` computes v for every S (a subset-sum transform over the exact-set totals) and then
 * the sum above. `unanimity` uses that v is a sum of unanimity games, one per converting path
 * with channel set T: each gives conversions / |T| to each member of T. Both are exact; the
 * tests check they agree.
 */
export function attributeShapley(
  paths: readonly ConversionPath[],
  channels: readonly string[],
  method: ShapleyMethod | 'auto' = 'auto',
): ModelCredits & { method: ShapleyMethod } {
  const converting = paths.filter(
    (path) => path.touches.length > 0 && (path.conversions !== 0 || path.value !== 0),
  );
  const playerSet = new Set<string>();
  for (const path of converting) for (const touch of path.touches) playerSet.add(touch.channel);
  const players = [...playerSet];
  const chosen: ShapleyMethod =
    method === 'auto'
      ? players.length <= SHAPLEY_COALITION_LIMIT
        ? 'coalitions'
        : 'unanimity'
      : method;
  const ledger = createCreditLedger(channels);
  if (chosen === 'unanimity') {
    for (const path of converting) {
      const members = [...new Set(path.touches.map((touch) => touch.channel))];
      for (const channel of members) {
        ledger.credit(channel, path.conversions / members.length, path.value / members.length);
      }
    }
    return { ...ledger.result(), method: chosen };
  }
  if (players.length > SHAPLEY_COALITION_LIMIT) {
    throw new Error(
      `${players.length} channels: over ${SHAPLEY_COALITION_LIMIT} for the exact coalition sum`,
    );
  }
  const count = players.length;
  const bit = new Map(players.map((channel, index) => [channel, 1 << index]));
  const size = 1 << count;
  // Totals per exact channel set, then v(S) = Σ over the sets T ⊆ S (subset-sum transform).
  const conversions = new Float64Array(size);
  const value = new Float64Array(size);
  for (const path of converting) {
    let mask = 0;
    for (const touch of path.touches) mask |= bit.get(touch.channel) ?? 0;
    conversions[mask] = (conversions[mask] ?? 0) + path.conversions;
    value[mask] = (value[mask] ?? 0) + path.value;
  }
  for (let index = 0; index < count; index += 1) {
    const flag = 1 << index;
    for (let mask = 0; mask < size; mask += 1) {
      if (mask & flag) {
        conversions[mask] = (conversions[mask] ?? 0) + (conversions[mask ^ flag] ?? 0);
        value[mask] = (value[mask] ?? 0) + (value[mask ^ flag] ?? 0);
      }
    }
  }
  // weight[s] = s! (n − s − 1)! / n! = 1 / (n · C(n − 1, s)).
  const weight: number[] = [];
  let binomial = 1;
  for (let members = 0; members < count; members += 1) {
    weight.push(1 / (count * binomial));
    binomial = (binomial * (count - 1 - members)) / (members + 1);
  }
  const popcount = new Uint8Array(size);
  for (let mask = 1; mask < size; mask += 1)
    popcount[mask] = (popcount[mask >> 1] ?? 0) + (mask & 1);
  players.forEach((channel, index) => {
    const flag = 1 << index;
    let conversionCredit = 0;
    let valueCredit = 0;
    for (let mask = 0; mask < size; mask += 1) {
      if (mask & flag) continue;
      const coefficient = weight[popcount[mask] ?? 0] ?? 0;
      conversionCredit +=
        coefficient * ((conversions[mask | flag] ?? 0) - (conversions[mask] ?? 0));
      valueCredit += coefficient * ((value[mask | flag] ?? 0) - (value[mask] ?? 0));
    }
    ledger.credit(channel, conversionCredit, valueCredit);
  });
  return { ...ledger.result(), method: chosen };
}
