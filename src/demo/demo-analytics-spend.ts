// The demo clinic's advertising spend over six months, so the analytics dashboard tells a story
// a clinic owner recognizes: Yandex Direct on implants is the dearest channel and pays back
// best; VK Ads brings cheap leads that rarely become patients; Google Ads is a small test;
// the maps and ProDoctorov cost a monthly fee; a billboard and a radio month no model can credit.
// Cabinet spend goes through the same import as a real export (Yandex Direct, VK Ads, Google
// Ads formats); offline and monthly fees are manual entries.

import { addManualSpend, importSpend } from '../analytics/spend/spend.service.ts';
import type { Ctx } from '../platform/context.ts';

const DAY_MS = 86_400_000;
export const DEMO_SPEND_DAYS = 182;

function dayOf(time: number): Date {
  return new Date(time);
}
function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}
function russian(date: Date): string {
  return `${String(date.getUTCDate()).padStart(2, '0')}.${String(date.getUTCMonth() + 1).padStart(2, '0')}.${date.getUTCFullYear()}`;
}
function rub(kopecks: number, separator: ',' | '.'): string {
  return (kopecks / 100).toFixed(2).replace('.', separator);
}
/** A steady pseudo-random wobble, the same on every run. */
function wobble(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43_758.5453;
  return x - Math.floor(x);
}

export async function seedDemoSpend(ctx: Ctx): Promise<{ rows: number; manual: number }> {
  const end =
    Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate()) - DAY_MS;
  const days = Array.from({ length: DEMO_SPEND_DAYS }, (_, index) =>
    dayOf(end - (DEMO_SPEND_DAYS - 1 - index) * DAY_MS),
  );
  const yandex = [
    '"Отчет по кампаниям"',
    '"День";"Кампания";"№ Кампании";"Условие показа";"Показы";"Клики";"Расход (руб., с НДС)"',
  ];
  const keywords: [string, string, number][] = [
    ['Имплантация | Поиск', 'имплантация зубов цена', 320_000],
    ['Имплантация | Поиск', 'имплант под ключ', 180_000],
    ['Имплантация | Поиск', 'все на 4 импланта', 140_000],
    ['Брекеты | Поиск', 'брекеты взрослым', 150_000],
    ['Лечение кариеса | РСЯ', '--', 90_000],
  ];
  const vk = ['Дата,Кампания,ID кампании,Показы,Клики,"Потрачено, ₽"'];
  const google = ['Campaign report', 'Day,Campaign,Keyword,Currency code,Cost'];
  days.forEach((date, index) => {
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? 0.6 : 1;
    // Spend grows through the half-year as the clinic scales what works.
    const growth = 0.8 + (index / DEMO_SPEND_DAYS) * 0.4;
    keywords.forEach(([campaign, keyword, base], k) => {
      const amount = Math.round(base * weekend * growth * (0.8 + 0.4 * wobble(index * 7 + k)));
      const clicks = Math.round(amount / 9_000);
      yandex.push(
        `"${russian(date)}";"${campaign}";"7010${k < 3 ? 1 : k}";"${keyword}";"${clicks * 25}";"${clicks}";"${rub(amount, ',')}"`,
      );
    });
    const vkAmount = Math.round(110_000 * growth * (0.7 + 0.6 * wobble(index + 101)));
    vk.push(
      `${iso(date)},Ортодонтия ретаргетинг,51230,${Math.round(vkAmount / 40)},${Math.round(vkAmount / 2_500)},${rub(vkAmount, '.')}`,
    );
    if (index >= DEMO_SPEND_DAYS - 90) {
      const googleAmount = Math.round(40_000 * (0.7 + 0.6 * wobble(index + 303)));
      google.push(`${iso(date)},Implants Moscow,+implant +price,RUB,${rub(googleAmount, '.')}`);
    }
  });
  let rows = 0;
  for (const [fileName, content] of [
    ['direct-report.csv', yandex.join('\n')],
    ['vk-ads-statistics.csv', vk.join('\n')],
    ['google-ads-campaigns.csv', google.join('\n')],
  ] as const) {
    const result = await importSpend(ctx, { fileName, content, dryRun: false, skipInvalid: false });
    rows += result.rowsImported;
  }
  let manual = 0;
  const first = days[0] ?? dayOf(end);
  for (let month = 0; month < 6; month += 1) {
    const start = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + month, 1));
    const last = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
    const period = { periodStart: iso(start), periodEnd: iso(last) };
    const entries = [
      {
        channel: 'maps',
        campaign: 'Яндекс Бизнес, приоритетное размещение',
        amountKopecks: 2_500_000,
        isUnattributable: false,
      },
      {
        channel: 'maps',
        campaign: '2ГИС, рекламный кабинет',
        amountKopecks: 1_200_000,
        isUnattributable: false,
      },
      {
        channel: 'aggregators',
        campaign: 'ПроДокторов, тариф «Клиника»',
        amountKopecks: 3_500_000,
        isUnattributable: false,
      },
      {
        channel: 'outdoor',
        campaign: 'Билборд у метро',
        amountKopecks: 9_000_000,
        isUnattributable: true,
      },
      ...(month === 3
        ? [
            {
              channel: 'radio',
              campaign: 'Радио «Серебряный дождь», 30 с',
              amountKopecks: 18_000_000,
              isUnattributable: true,
            },
          ]
        : []),
    ];
    for (const entry of entries) {
      await addManualSpend(ctx, { ...entry, ...period, vat: 'included', note: '' });
      manual += 1;
    }
  }
  return { rows, manual };
}
