// The rule-based models: each gives a path's touches weights that add up to 1, and a channel
// earns weight × conversions and weight × value from every path, summed over its touches.

import type { ConversionPath, Touch } from './attribution-paths.ts';
import { createCreditLedger, type ModelCredits } from './credits.ts';

export type TouchWeights = (touches: readonly Touch[]) => number[];

function oneAt(length: number, index: number): number[] {
  return Array.from({ length }, (_, position) => (position === index ? 1 : 0));
}

export const firstTouchWeights: TouchWeights = (touches) => oneAt(touches.length, 0);

export const lastTouchWeights: TouchWeights = (touches) =>
  oneAt(touches.length, touches.length - 1);

/** The last touch that is not `direct`; the last touch when the path is direct only. */
export function lastNonDirectWeights(directChannel: string): TouchWeights {
  return (touches) => {
    let index = touches.length - 1;
    while (index >= 0 && touches[index]?.channel === directChannel) index -= 1;
    return oneAt(touches.length, index >= 0 ? index : touches.length - 1);
  };
}

export const linearWeights: TouchWeights = (touches) => touches.map(() => 1 / touches.length);

/**
 * 40/20/40: 40 % to the first touch, 40 % to the last, 20 % split evenly between the touches in
 * between. One touch takes 100 %; two touches take 50 % each (there is no middle to give the
 * 20 % to, so it is split like the rest).
 */
export const positionBasedWeights: TouchWeights = (touches) => {
  const count = touches.length;
  if (count === 1) return [1];
  if (count === 2) return [0.5, 0.5];
  return touches.map((_, index) => (index === 0 || index === count - 1 ? 0.4 : 0.2 / (count - 2)));
};

/**
 * Time decay: a touch Δt before the conversion weighs 2^(−Δt / halfLife), normalized over the
 * path. Exponents are taken relative to the youngest touch, which cancels in the normalization
 * and keeps old touches from underflowing to a path of zero weights.
 */
export function timeDecayWeights(halfLifeMs: number): TouchWeights {
  return (touches) => {
    const youngest = Math.min(...touches.map((touch) => touch.ageMs));
    const raw = touches.map((touch) => 2 ** (-(touch.ageMs - youngest) / halfLifeMs));
    const total = raw.reduce((sum, weight) => sum + weight, 0);
    return raw.map((weight) => weight / total);
  };
}

/** Credits of a weighting rule over paths; `channels` lists every channel to report. */
export function attributeByWeights(
  paths: readonly ConversionPath[],
  channels: readonly string[],
  weightsOf: TouchWeights,
): ModelCredits {
  const ledger = createCreditLedger(channels);
  for (const path of paths) {
    if (path.touches.length === 0 || (path.conversions === 0 && path.value === 0)) continue;
    const weights = weightsOf(path.touches);
    path.touches.forEach((touch, index) => {
      const weight = weights[index] ?? 0;
      if (weight !== 0) {
        ledger.credit(touch.channel, weight * path.conversions, weight * path.value);
      }
    });
  }
  return ledger.result();
}
