// Per-channel credit ledgers with compensated summation, and rounding that keeps the total.

/** Credits per channel, in conversions or in value. */
export type ChannelCredits = Record<string, number>;

/** What every model returns: each channel's share of the conversions and of their value. */
export type ModelCredits = { conversions: ChannelCredits; value: ChannelCredits };

type Accumulator = { sum: number; compensation: number };

/** Neumaier's compensated addition: the running error is carried instead of being dropped. */
function addTo(accumulator: Accumulator, term: number): void {
  const next = accumulator.sum + term;
  if (Math.abs(accumulator.sum) >= Math.abs(term)) {
    accumulator.compensation += accumulator.sum - next + term;
  } else {
    accumulator.compensation += term - next + accumulator.sum;
  }
  accumulator.sum = next;
}

/** A sum of many terms with the rounding error of each addition kept. */
export function compensatedSum(terms: Iterable<number>): number {
  const accumulator = { sum: 0, compensation: 0 };
  for (const term of terms) addTo(accumulator, term);
  return accumulator.sum + accumulator.compensation;
}

export type CreditLedger = {
  credit(channel: string, conversions: number, value: number): void;
  result(): ModelCredits;
};

/**
 * A ledger over a fixed set of channels. Every channel appears in the result, with 0 when it
 * earned nothing, so tables of several models line up.
 */
export function createCreditLedger(channels: readonly string[]): CreditLedger {
  const conversions = new Map<string, Accumulator>();
  const value = new Map<string, Accumulator>();
  for (const channel of channels) {
    conversions.set(channel, { sum: 0, compensation: 0 });
    value.set(channel, { sum: 0, compensation: 0 });
  }
  return {
    credit(channel, conversionCredit, valueCredit) {
      const conversionAccumulator = conversions.get(channel);
      const valueAccumulator = value.get(channel);
      if (!conversionAccumulator || !valueAccumulator) {
        throw new Error(`channel "${channel}" is not in the ledger`);
      }
      addTo(conversionAccumulator, conversionCredit);
      addTo(valueAccumulator, valueCredit);
    },
    result() {
      const resolve = (map: Map<string, Accumulator>): ChannelCredits =>
        Object.fromEntries(
          [...map].map(([channel, accumulator]) => [
            channel,
            accumulator.sum + accumulator.compensation,
          ]),
        );
      return { conversions: resolve(conversions), value: resolve(value) };
    },
  };
}

/**
 * Credits rounded to `decimals` places by the largest-remainder method: every credit is
 * floored to whole units of 10^-decimals, and the units still missing to reach the rounded
 * total go one each to the largest remainders (ties by channel name). The rounded credits
 * therefore add up to the rounded total exactly, in units; plain rounding of each credit can
 * miss it by up to half a unit per channel. Credits are assumed non-negative, as every model
 * here produces.
 */
export function roundCredits(credits: ChannelCredits, decimals: number): ChannelCredits {
  const scale = 10 ** decimals;
  const entries = Object.entries(credits).map(([channel, credit]) => {
    const scaled = credit * scale;
    // A credit within 1e-9 of a whole unit is that unit: floating noise must not cost a unit.
    const nearest = Math.round(scaled);
    const floor = Math.abs(scaled - nearest) < 1e-9 ? nearest : Math.floor(scaled);
    return { channel, units: floor, remainder: scaled - floor };
  });
  const totalUnits = Math.round(compensatedSum(Object.values(credits)) * scale);
  let missing = totalUnits - entries.reduce((sum, entry) => sum + entry.units, 0);
  const byRemainder = [...entries].sort(
    (left, right) =>
      right.remainder - left.remainder || left.channel.localeCompare(right.channel, 'en'),
  );
  for (const entry of byRemainder) {
    if (missing <= 0) break;
    entry.units += 1;
    missing -= 1;
  }
  return Object.fromEntries(entries.map((entry) => [entry.channel, entry.units / scale]));
}
