import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { computeDirectorsCheck } from './directors-check.ts';

describe("the directors' check", () => {
  it('adds the unattributable spend per new client to each modelled CAC', () => {
    // Yandex Direct: 300,000.00 ₽ for 40 modelled clients → 7,500.00 ₽.
    // VK Ads: 100,000.00 ₽ for 12.5 clients (Markov credits are fractional) → 8,000.00 ₽.
    // Maps: 10,000.01 ₽ for 3 clients → 1,000,001 / 3 = 333,333.67 kopecks → 333,334.
    // Offline and brand: 200,000.00 ₽ over all 80 new clients → 2,500.00 ₽ each.
    // Directors' CAC: 7,500 + 2,500 = 10,000 ₽; 8,000 + 2,500 = 10,500 ₽; 3,333.34 + 2,500.
    // Telegram Ads: 5,000.00 ₽ and no modelled client → no CAC (not zero, not infinity).
    // Blended: (30,000,000 + 10,000,000 + 1,000,001 + 500,000 + 20,000,000) kopecks / 80
    // = 768,750.0125 → 768,750 kopecks.
    const check = computeDirectorsCheck({
      channels: [
        { channel: 'yandex_direct', spendKopecks: 30_000_000, newClients: 40 },
        { channel: 'vk_ads', spendKopecks: 10_000_000, newClients: 12.5 },
        { channel: 'maps', spendKopecks: 1_000_001, newClients: 3 },
        { channel: 'telegram_ads', spendKopecks: 500_000, newClients: 0 },
      ],
      unattributableSpendKopecks: 20_000_000,
      allNewClients: 80,
    });
    expect(check.unattributablePerClientKopecks).toBe(250_000);
    expect(
      check.channels.map((row) => [row.channel, row.modelledCacKopecks, row.directorsCacKopecks]),
    ).toEqual([
      ['yandex_direct', 750_000, 1_000_000],
      ['vk_ads', 800_000, 1_050_000],
      ['maps', 333_334, 583_334],
      ['telegram_ads', null, null],
    ]);
    expect(check.blended).toEqual({
      spendKopecks: 61_500_001,
      newClients: 80,
      cacKopecks: 768_750,
    });
  });

  it('leaves the directors’ figure empty when the period has no new client', () => {
    const check = computeDirectorsCheck({
      channels: [{ channel: 'vk_ads', spendKopecks: 100, newClients: 0 }],
      unattributableSpendKopecks: 5,
      allNewClients: 0,
    });
    expect(check.unattributablePerClientKopecks).toBeNull();
    expect(check.blended.cacKopecks).toBeNull();
  });

  it('refuses fractional kopecks and more modelled clients than the period had', () => {
    const attempt = () =>
      computeDirectorsCheck({
        channels: [{ channel: 'vk_ads', spendKopecks: 10.5, newClients: 11 }],
        unattributableSpendKopecks: -1,
        allNewClients: 10,
      });
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (error) {
      expect((error as AppError).fields).toEqual({
        'channels.0.spendKopecks': ['must be a whole number of kopecks ≥ 0'],
        unattributableSpendKopecks: ['must be a whole number of kopecks ≥ 0'],
        allNewClients: ['is below the 11 new clients credited to the channels'],
      });
    }
  });
});
