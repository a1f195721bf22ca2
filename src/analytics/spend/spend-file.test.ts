import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseDay, parseKopecks, readSpendFile, vatOfHeader } from './spend-file.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/spend');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

describe('spend amounts and days', () => {
  it('reads roubles as written in Russian and English exports into whole kopecks', () => {
    expect(parseKopecks('3 456,78')).toBe(345_678);
    expect(parseKopecks('1\u00a0200,5')).toBe(120_050);
    expect(parseKopecks('1,234.56')).toBe(123_456);
    expect(parseKopecks('1.234,56')).toBe(123_456);
    expect(parseKopecks('987.65 ₽')).toBe(98_765);
    expect(parseKopecks('12.345')).toBe(1_235);
    expect(parseKopecks('--')).toBe(0);
    expect(parseKopecks('-5')).toBeNull();
    expect(parseKopecks('abc')).toBeNull();
    expect(parseKopecks('')).toBeNull();
  });

  it('reads ISO and Russian dates and refuses impossible ones', () => {
    expect(parseDay('2026-03-01')).toBe('2026-03-01');
    expect(parseDay('01.03.2026')).toBe('2026-03-01');
    expect(parseDay('1/3/26')).toBe('2026-03-01');
    expect(parseDay('31.02.2026')).toBeNull();
    expect(parseDay('March 1')).toBeNull();
  });

  it('tells VAT from the cost column’s name', () => {
    expect(vatOfHeader('Расход (руб., с НДС)')).toBe('included');
    expect(vatOfHeader('Расход (руб., без НДС)')).toBe('excluded');
    expect(vatOfHeader('Потрачено, ₽')).toBeNull();
  });
});

describe('cabinet formats by their headers', () => {
  it('detects each cabinet and nothing else', () => {
    expect(
      detectFormat(['День', 'Кампания', '№ Кампании', 'Условие показа', 'Расход (руб.)']),
    ).toBe('yandex_direct');
    expect(detectFormat(['Date', 'CampaignName', 'CampaignId', 'Criterion', 'Cost'])).toBe(
      'yandex_direct',
    );
    expect(detectFormat(['Дата', 'Кампания', 'ID кампании', 'Потрачено, ₽'])).toBe('vk_ads');
    expect(detectFormat(['Day', 'Campaign', 'Keyword', 'Currency code', 'Cost'])).toBe(
      'google_ads',
    );
    expect(detectFormat(['Период', 'Площадка', 'Сумма'])).toBeNull();
  });

  it('reads a Yandex Direct report past its title and total lines, VAT from the header', () => {
    const parsed = readSpendFile(fixture('yandex-direct.csv'));
    expect(parsed.format).toBe('yandex_direct');
    expect(parsed.vatFromHeader).toBe('included');
    expect(parsed.errors).toEqual([]);
    expect(parsed.skippedLines).toBe(1);
    expect(parsed.rows).toEqual([
      {
        line: 3,
        day: '2026-03-01',
        campaign: 'Имплантация | Поиск',
        keyword: 'имплантация зубов цена',
        amountKopecks: 345_678,
      },
      {
        line: 4,
        day: '2026-03-01',
        campaign: 'Имплантация | Поиск',
        keyword: 'имплант под ключ',
        amountKopecks: 120_000,
      },
      {
        line: 5,
        day: '2026-03-02',
        campaign: 'Имплантация | Поиск',
        keyword: 'имплантация зубов цена',
        amountKopecks: 310_050,
      },
      {
        line: 6,
        day: '2026-03-02',
        campaign: 'Брекеты | РСЯ',
        keyword: '',
        amountKopecks: 200_000,
      },
    ]);
  });

  it('reports each bad VK Ads row by line and column and keeps the good ones', () => {
    const parsed = readSpendFile(fixture('vk-ads.csv'));
    expect(parsed.format).toBe('vk_ads');
    expect(parsed.rows.map((row) => row.amountKopecks)).toEqual([150_050, 49_950, 160_000]);
    expect(parsed.errors).toEqual([
      { line: 5, column: 'Дата', message: expect.stringContaining('31.02.2026') },
      { line: 6, column: 'Потрачено, ₽', message: expect.stringContaining('-5') },
    ]);
  });

  it('refuses a foreign currency in a Google Ads report', () => {
    const parsed = readSpendFile(fixture('google-ads.csv'));
    expect(parsed.format).toBe('google_ads');
    expect(parsed.rows.map((row) => row.amountKopecks)).toEqual([123_456, 98_765]);
    expect(parsed.errors).toEqual([
      { line: 6, column: 'Currency code', message: 'is USD; only roubles are accepted' },
    ]);
    expect(parsed.skippedLines).toBe(1);
  });

  it('reads an unknown export only with a mapping', () => {
    expect(() => readSpendFile(fixture('generic.csv'))).toThrow(/map the columns/);
    const parsed = readSpendFile(fixture('generic.csv'), {
      mapping: { date: 'Период', cost: 'Сумма', campaign: 'Площадка' },
    });
    expect(parsed.format).toBe('generic');
    expect(parsed.rows.map((row) => [row.day, row.campaign, row.amountKopecks])).toEqual([
      ['2026-03-01', 'Доктор рядом', 500_000],
      ['2026-03-02', 'Доктор рядом', 500_050],
    ]);
  });
});
