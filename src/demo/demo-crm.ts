import { submitForm } from '../forms/submissions.service.ts';
import { findLeadsForDemo } from '../leads/leads.service.ts';
import { moveLeadStage, type TLostReason } from '../leads/pipeline.service.ts';
import type { Ctx } from '../platform/context.ts';
import { withTx } from '../platform/db/tx.ts';
import { findPurposeList } from '../purposes/purposes.service.ts';
import { DEMO_FORM_SLUG } from './demo-capture.ts';

const FIRST_NAMES = [
  'Ирина',
  'Алексей',
  'Ольга',
  'Дмитрий',
  'Наталья',
  'Сергей',
  'Екатерина',
  'Андрей',
  'Татьяна',
  'Михаил',
  'Светлана',
  'Артём',
  'Анастасия',
  'Павел',
  'Юлия',
  'Николай',
  'Мария',
  'Владимир',
  'Елена',
  'Максим',
];
const LAST_NAMES = [
  ['Соколов', 'Соколова'],
  ['Иванов', 'Иванова'],
  ['Кузнецов', 'Кузнецова'],
  ['Попов', 'Попова'],
  ['Васильев', 'Васильева'],
  ['Петров', 'Петрова'],
  ['Смирнов', 'Смирнова'],
  ['Новиков', 'Новикова'],
  ['Морозов', 'Морозова'],
  ['Волков', 'Волкова'],
  ['Фёдоров', 'Фёдорова'],
  ['Лебедев', 'Лебедева'],
  ['Козлов', 'Козлова'],
  ['Егоров', 'Егорова'],
  ['Павлов', 'Павлова'],
  ['Семёнов', 'Семёнова'],
] as const;
const FEMALE = new Set([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);

// Channels of a clinic with their share of leads (weights) and realistic UTM tags.
const CHANNELS: Array<{ weight: number; attribution: Record<string, string> }> = [
  {
    weight: 24,
    attribution: {
      utm_source: 'yandex',
      utm_medium: 'cpc',
      utm_campaign: 'stomatologiya-poisk',
      utm_term: 'лечение зубов',
    },
  },
  {
    weight: 10,
    attribution: { utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'implanty-rsya' },
  },
  { weight: 9, attribution: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand' } },
  {
    weight: 9,
    attribution: { utm_source: 'vk', utm_medium: 'social', utm_campaign: 'akciya-gigiena' },
  },
  { weight: 8, attribution: { utm_source: 'yandex_maps', utm_medium: 'maps' } },
  { weight: 6, attribution: { utm_source: '2gis', utm_medium: 'maps' } },
  { weight: 9, attribution: { utm_source: 'prodoctorov', utm_medium: 'aggregator' } },
  { weight: 4, attribution: { utm_source: 'napopravku', utm_medium: 'aggregator' } },
  { weight: 11, attribution: { referrer: 'https://yandex.ru/' } },
  { weight: 4, attribution: { referrer: 'https://www.google.com/' } },
  { weight: 6, attribution: {} },
];

// How far leads get: the share that stops at each stage (the rest are lost with a reason).
const FUNNEL: Array<{ stage: string; share: number }> = [
  { stage: 'new', share: 0.06 },
  { stage: 'contacted', share: 0.14 },
  { stage: 'booked', share: 0.1 },
  { stage: 'visited', share: 0.12 },
  { stage: 'paid', share: 0.38 },
];
const LOST_REASONS: TLostReason[] = ['no_answer', 'price', 'chose_other', 'not_relevant', 'spam'];

const DAY = 86_400_000;
const MINUTE = 60_000;

function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function weighted<T extends { weight: number }>(random: () => number, items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let left = random() * total;
  for (const item of items) {
    left -= item.weight;
    if (left <= 0) return item;
  }
  return items[items.length - 1] as T;
}

export type DemoCrmResult = { contacts: number; moves: number; seconds: number };

/**
 * The demo clinic's patient base: `count` people (5,000 by default) who left a request over
 * the last six months from the clinic's channels, through the real submission path (consents in
 * the journal, contacts sealed), then moved through the pipeline at realistic intervals —
 * answered within minutes to hours, booked, came, paid, or lost with a reason.
 */
export async function seedDemoCrm(
  ctx: Ctx,
  options: { count?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<DemoCrmResult> {
  const started = Date.now();
  const count = options.count ?? 5000;
  const random = generator(20_260_601);
  const purposes = await findPurposeList(ctx);
  const documentOf = (code: string) =>
    purposes.find((purpose) => purpose.code === code)?.document?.id ?? null;
  const span = 182 * DAY;
  for (let index = 0; index < count; index += 1) {
    // Older first, so the journal and the leads are in time order.
    const at = new Date(
      ctx.now.getTime() -
        span +
        Math.floor((index / count) * span) +
        Math.floor(random() * 6 * 3_600_000),
    );
    const nameIndex = Math.floor(random() * FIRST_NAMES.length);
    const last = pick(random, LAST_NAMES)[FEMALE.has(nameIndex) ? 1 : 0];
    const phone = `+7926${String(index).padStart(7, '0')}`;
    await submitForm(
      { db: ctx.db, keys: ctx.keys, publicUrl: ctx.publicUrl, now: at },
      {
        formSlug: DEMO_FORM_SLUG,
        values: {
          name: `${FIRST_NAMES[nameIndex]} ${last}`,
          phone,
          ...(random() < 0.5 ? { email: `patient${index}@mail.example` } : {}),
        },
        consents: {
          appointment: { isGiven: true, documentId: documentOf('appointment') },
          ...(random() < 0.4
            ? { marketing: { isGiven: true, documentId: documentOf('marketing') } }
            : {}),
        },
        idempotencyKey: `demo-crm-${index}`,
        attribution: weighted(random, CHANNELS).attribution,
        client: {
          ip: '198.51.100.24',
          userAgent: 'Mozilla/5.0 (demo)',
          pageUrl: 'https://zdorovaya-semya.example/',
        },
      },
    );
    if (options.onProgress && (index + 1) % 100 === 0) options.onProgress(index + 1, count);
  }
  const moves = await movePipeline(ctx, random);
  return { contacts: count, moves, seconds: (Date.now() - started) / 1000 };
}

/** Moves every demo lead along the funnel, stage by stage, at the times it would have moved. */
async function movePipeline(ctx: Ctx, random: () => number): Promise<number> {
  const leads = await findLeadsForDemo(ctx);
  let moves = 0;
  const batchSize = 250;
  for (let start = 0; start < leads.length; start += batchSize) {
    const batch = leads.slice(start, start + batchSize);
    moves += await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
      let done = 0;
      for (const lead of batch) {
        const roll = random();
        let cumulative = 0;
        const last = FUNNEL.find((step) => {
          cumulative += step.share;
          return roll < cumulative;
        });
        const path = ['contacted', 'booked', 'visited', 'paid'];
        const stop = last ? path.indexOf(last.stage) : path.indexOf(pick(random, path.slice(0, 3)));
        let at = lead.createdAt.getTime();
        const steps = last?.stage === 'new' ? [] : path.slice(0, stop + 1);
        const delays = [
          () => (5 + random() * 180) * MINUTE,
          () => (0.2 + random() * 2) * DAY,
          () => (1 + random() * 10) * DAY,
          () => (0.1 + random() * 0.3) * DAY,
        ];
        for (const [position, stage] of steps.entries()) {
          at += (delays[position] ?? delays[0])?.() ?? MINUTE;
          if (at > ctx.now.getTime()) break;
          await moveLeadStage(
            tx,
            { ...ctx, now: new Date(at) },
            { leadId: lead.id, stage, cause: 'demo' },
          );
          done += 1;
        }
        if (!last && at + DAY < ctx.now.getTime()) {
          await moveLeadStage(
            tx,
            { ...ctx, now: new Date(at + DAY) },
            {
              leadId: lead.id,
              stage: 'lost',
              lostReason: pick(random, LOST_REASONS),
              cause: 'demo',
            },
          );
          done += 1;
        }
      }
      return done;
    });
  }
  return moves;
}
