// The directors' check: the spend no model can attribute (offline channels, brand) spread over
// all new clients of the period and added to each channel's modelled cost per client, so the
// figure a director computes on the back of an envelope sits beside the model's.

import { AppError, type FieldErrors } from '../../platform/errors.ts';

export type ChannelSpend = {
  channel: string;
  /** What the channel cost in the period, in kopecks. */
  spendKopecks: number;
  /** New clients credited to the channel by the chosen model; fractional under most models. */
  newClients: number;
};

export type DirectorsCheckInput = {
  channels: readonly ChannelSpend[];
  /** Spend on channels no model can attribute (TV, outdoor, print, radio, brand), in kopecks. */
  unattributableSpendKopecks: number;
  /** Every new client of the period, attributed or not. */
  allNewClients: number;
};

export type ChannelCheck = ChannelSpend & {
  /** spend / modelled new clients, rounded to the kopeck; null without clients. */
  modelledCacKopecks: number | null;
  /** modelled CAC + the unattributable spend per new client; null when either is undefined. */
  directorsCacKopecks: number | null;
};

export type DirectorsCheck = {
  channels: ChannelCheck[];
  /** unattributable spend / all new clients, rounded to the kopeck; null without clients. */
  unattributablePerClientKopecks: number | null;
  /** Everything spent over every new client: the one figure no attribution can move. */
  blended: { spendKopecks: number; newClients: number; cacKopecks: number | null };
};

function isKopecks(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount >= 0;
}

function isCount(amount: number): boolean {
  return Number.isFinite(amount) && amount >= 0;
}

/**
 * Money stays in integer kopecks; a quotient is rounded half up to the kopeck once. The
 * directors' CAC is the sum of the two rounded figures shown next to it, so the table adds up
 * as printed (it may differ by a kopeck from rounding the exact sum).
 */
function perClient(spendKopecks: number, clients: number): number | null {
  return clients > 0 ? Math.round(spendKopecks / clients) : null;
}

export function computeDirectorsCheck(input: DirectorsCheckInput): DirectorsCheck {
  const fields: FieldErrors = {};
  input.channels.forEach((channel, index) => {
    if (!isKopecks(channel.spendKopecks)) {
      fields[`channels.${index}.spendKopecks`] = ['must be a whole number of kopecks ≥ 0'];
    }
    if (!isCount(channel.newClients)) fields[`channels.${index}.newClients`] = ['must be ≥ 0'];
  });
  if (!isKopecks(input.unattributableSpendKopecks)) {
    fields.unattributableSpendKopecks = ['must be a whole number of kopecks ≥ 0'];
  }
  if (!isCount(input.allNewClients)) fields.allNewClients = ['must be ≥ 0'];
  const modelled = input.channels.reduce((sum, channel) => sum + channel.newClients, 0);
  if (isCount(input.allNewClients) && modelled > input.allNewClients * (1 + 1e-9) + 1e-9) {
    fields.allNewClients = [`is below the ${modelled} new clients credited to the channels`];
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError('validation_failed', "the directors' check input is invalid", { fields });
  }
  const overhead = perClient(input.unattributableSpendKopecks, input.allNewClients);
  const spendKopecks =
    input.channels.reduce((sum, channel) => sum + channel.spendKopecks, 0) +
    input.unattributableSpendKopecks;
  return {
    channels: input.channels.map((channel) => {
      const modelledCac = perClient(channel.spendKopecks, channel.newClients);
      return {
        ...channel,
        modelledCacKopecks: modelledCac,
        directorsCacKopecks:
          modelledCac === null || overhead === null ? null : modelledCac + overhead,
      };
    }),
    unattributablePerClientKopecks: overhead,
    blended: {
      spendKopecks,
      newClients: input.allNewClients,
      cacKopecks: perClient(spendKopecks, input.allNewClients),
    },
  };
}
