// Data-driven attribution by the first-order Markov chain's removal effect, solved exactly on
// the absorbing chain (a linear system), not by simulating journeys.

import type { ConversionPath } from './attribution-paths.ts';
import { compensatedSum, createCreditLedger, type ModelCredits } from './credits.ts';

/** Transition counts of the first-order chain: `start`, one state per channel, two ends. */
export type MarkovCounts = {
  channels: string[];
  /** transitions[from][to] over states 0 = start, 1…n = channels[0…n−1]. */
  transitions: number[][];
  /** Paths ending in a conversion after each state (index as in `transitions`). */
  toConversion: number[];
  /** Paths ending without conversion after each state. */
  toNull: number[];
};

/**
 * Counts transitions: a path standing for `conversions + nulls` journeys adds that many to
 * start → c₁, c₁ → c₂, …, and `conversions` to c_last → conversion, `nulls` to c_last → null.
 * Repeats of a channel (a → a) are kept: a self-loop does not change where the chain ends.
 */
export function countTransitions(
  paths: readonly ConversionPath[],
  channels: readonly string[],
): MarkovCounts {
  const stateOf = new Map(channels.map((channel, index) => [channel, index + 1]));
  const size = channels.length + 1;
  const transitions = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const toConversion = new Array<number>(size).fill(0);
  const toNull = new Array<number>(size).fill(0);
  for (const path of paths) {
    const journeys = path.conversions + path.nulls;
    if (journeys === 0 || path.touches.length === 0) continue;
    let from = 0;
    for (const touch of path.touches) {
      const to = stateOf.get(touch.channel);
      if (to === undefined) throw new Error(`channel "${touch.channel}" is not in the chain`);
      const row = transitions[from];
      if (row) row[to] = (row[to] ?? 0) + journeys;
      from = to;
    }
    toConversion[from] = (toConversion[from] ?? 0) + path.conversions;
    toNull[from] = (toNull[from] ?? 0) + path.nulls;
  }
  return { channels: [...channels], transitions, toConversion, toNull };
}

/**
 * Solves A·x = b by Gaussian elimination with partial pivoting; A is square and, for an
 * absorbing chain, nonsingular.
 */
function solveLinearSystem(matrix: number[][], rightSide: number[]): number[] {
  const size = rightSide.length;
  const rows = matrix.map((row, index) => [...row, rightSide[index] ?? 0]);
  for (let column = 0; column < size; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < size; row += 1) {
      if (Math.abs(rows[row]?.[column] ?? 0) > Math.abs(rows[pivot]?.[column] ?? 0)) pivot = row;
    }
    const pivotRow = rows[pivot];
    if (!pivotRow || Math.abs(pivotRow[column] ?? 0) < 1e-300) {
      throw new Error('the chain is not absorbing: singular system');
    }
    rows[pivot] = rows[column] ?? [];
    rows[column] = pivotRow;
    for (let row = column + 1; row < size; row += 1) {
      const current = rows[row] ?? [];
      const factor = (current[column] ?? 0) / (pivotRow[column] ?? 1);
      if (factor === 0) continue;
      for (let k = column; k <= size; k += 1) {
        current[k] = (current[k] ?? 0) - factor * (pivotRow[k] ?? 0);
      }
    }
  }
  const solution = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row -= 1) {
    const current = rows[row] ?? [];
    let sum = current[size] ?? 0;
    for (let k = row + 1; k < size; k += 1) sum -= (current[k] ?? 0) * (solution[k] ?? 0);
    solution[row] = sum / (current[row] ?? 1);
  }
  return solution;
}

/**
 * The probability of reaching conversion from `start`, with the channels in `removed` taken out
 * of the chain: a transition into a removed channel goes to null instead.
 *
 * For each transient state i (start and every kept channel) with out_i its outgoing count,
 *   p_i = conv_i / out_i + Σ_j (count_ij / out_i) · p_j        (j kept channels)
 * i.e. (I − Q)·p = b, solved exactly. Every state lies on an observed path that ends, so the
 * chain is absorbing and I − Q is invertible.
 */
export function conversionProbability(
  counts: MarkovCounts,
  removed: ReadonlySet<string> = new Set(),
): number {
  const kept = [0];
  counts.channels.forEach((channel, index) => {
    if (!removed.has(channel)) kept.push(index + 1);
  });
  const position = new Map(kept.map((state, index) => [state, index]));
  const matrix = kept.map(() => new Array<number>(kept.length).fill(0));
  const rightSide = new Array<number>(kept.length).fill(0);
  kept.forEach((state, row) => {
    const transitionRow = counts.transitions[state] ?? [];
    const conversions = counts.toConversion[state] ?? 0;
    const outgoing = compensatedSum([...transitionRow, conversions, counts.toNull[state] ?? 0]);
    const matrixRow = matrix[row] ?? [];
    matrixRow[row] = 1;
    if (outgoing === 0) return; // a channel seen only in empty paths: it never converts
    rightSide[row] = conversions / outgoing;
    transitionRow.forEach((count, target) => {
      const column = position.get(target);
      if (count === 0 || column === undefined) return;
      matrixRow[column] = (matrixRow[column] ?? 0) - count / outgoing;
    });
  });
  return solveLinearSystem(matrix, rightSide)[0] ?? 0;
}

export type MarkovResult = ModelCredits & {
  /** P(conversion) from start with every channel in place. */
  conversionProbability: number;
  /** Removal effect per channel: 1 − P(conversion without it) / P(conversion). */
  removalEffects: Record<string, number>;
};

/**
 * Removal-effect attribution: credit_c = total conversions × RE_c / Σ RE, and the same shares of
 * the total value. With no conversion at all every credit is 0.
 */
export function attributeMarkov(
  paths: readonly ConversionPath[],
  channels: readonly string[],
): MarkovResult {
  const counts = countTransitions(paths, channels);
  const base = conversionProbability(counts);
  const removalEffects: Record<string, number> = {};
  for (const channel of channels) {
    removalEffects[channel] =
      base > 0 ? Math.max(0, 1 - conversionProbability(counts, new Set([channel])) / base) : 0;
  }
  const totalConversions = compensatedSum(paths.map((path) => path.conversions));
  const totalValue = compensatedSum(paths.map((path) => path.value));
  const effectSum = compensatedSum(Object.values(removalEffects));
  const ledger = createCreditLedger(channels);
  if (effectSum > 0) {
    for (const channel of channels) {
      const share = (removalEffects[channel] ?? 0) / effectSum;
      ledger.credit(channel, share * totalConversions, share * totalValue);
    }
  }
  return { ...ledger.result(), conversionProbability: base, removalEffects };
}
