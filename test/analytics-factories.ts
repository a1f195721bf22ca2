import { randomUUID } from 'node:crypto';
import { sql } from '../src/platform/db/sql.ts';
import type { TestApp } from './app.ts';

/** A small seeded generator (mulberry32), so generated analytics data repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SeedSession = {
  id: string;
  visitorId: string;
  at: Date;
  utmSource: string | null;
  utmMedium: string | null;
  channel: string;
  source: string | null;
  campaign: string | null;
  keyword: string | null;
};
export type SeedConversion = {
  id: string;
  kind: 'lead' | 'booking' | 'visit' | 'payment';
  at: Date;
  visitorId: string;
  contactId: string | null;
  valueKopecks: number | null;
  isFirstOfKind: boolean;
  path: SeedSession[];
};
export type SeedSpend = {
  channel: string;
  campaign: string;
  start: string;
  end: string;
  amountKopecks: number;
  isUnattributable: boolean;
};

type Touch = Pick<
  SeedSession,
  'utmSource' | 'utmMedium' | 'channel' | 'source' | 'campaign' | 'keyword'
>;
const TOUCHES: Touch[] = [
  {
    utmSource: 'yandex',
    utmMedium: 'cpc',
    channel: 'yandex_direct',
    source: 'yandex',
    campaign: 'implants',
    keyword: 'имплантация',
  },
  {
    utmSource: 'yandex',
    utmMedium: 'cpc',
    channel: 'yandex_direct',
    source: 'yandex',
    campaign: 'braces',
    keyword: null,
  },
  {
    utmSource: 'vk_ads',
    utmMedium: 'cpm',
    channel: 'vk_ads',
    source: 'vk_ads',
    campaign: 'retarget',
    keyword: null,
  },
  {
    utmSource: 'dentalportal',
    utmMedium: 'listing',
    channel: 'other_tagged',
    source: 'dentalportal',
    campaign: null,
    keyword: null,
  },
  {
    utmSource: null,
    utmMedium: null,
    channel: 'direct',
    source: null,
    campaign: null,
    keyword: null,
  },
];

/**
 * Visitors with sessions through March 2026 (some late in the evening, which is the next day
 * in Moscow), conversions after them with their stored paths, and spend: daily cabinet rows and
 * a manual outdoor entry for a longer period.
 */
export async function seedAnalytics(
  testApp: TestApp,
  orgId: string,
  options: { seed: number; visitors: number; contactIds?: readonly string[] },
): Promise<{ sessions: SeedSession[]; conversions: SeedConversion[]; spend: SeedSpend[] }> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const siteId = randomUUID();
  await testApp.db.execute(sql`
    INSERT INTO analytics_sites (id, org_id, site_key, name)
    VALUES (${siteId}, ${orgId}, ${`key${siteId.replaceAll('-', '')}`}, 'Сайт клиники')`);
  const sessions: SeedSession[] = [];
  const conversions: SeedConversion[] = [];
  const start = Date.UTC(2026, 2, 1);
  let linked = 0;
  for (let index = 0; index < options.visitors; index += 1) {
    const visitorId = randomUUID();
    const first = start + Math.floor(random() * 28) * 86_400_000;
    const visits: SeedSession[] = [];
    const count = 1 + Math.floor(random() * 3);
    for (let visit = 0; visit < count; visit += 1) {
      // Half past nine in the evening UTC is half past midnight in Moscow: the next day.
      const hour = pick([6, 10, 14, 21.5]);
      const at = new Date(first + visit * 86_400_000 + hour * 3_600_000);
      visits.push({ id: randomUUID(), visitorId, at, ...pick(TOUCHES) });
    }
    sessions.push(...visits);
    await testApp.db.execute(sql`
      INSERT INTO analytics_visitors (org_id, id, site_id, kind, first_seen_at, last_seen_at)
      VALUES (${orgId}, ${visitorId}, ${siteId}, 'first_party', ${visits[0]?.at}, ${visits.at(-1)?.at})`);
    const last = visits.at(-1)?.at.getTime() ?? first;
    const steps: { kind: SeedConversion['kind']; offsetHours: number }[] = [];
    if (random() < 0.6) {
      steps.push({ kind: 'lead', offsetHours: 0.2 });
      if (random() < 0.7) {
        steps.push({ kind: 'booking', offsetHours: 1 });
        if (random() < 0.8) {
          steps.push({ kind: 'visit', offsetHours: 50 });
          if (random() < 0.9) steps.push({ kind: 'payment', offsetHours: 51 });
        }
      }
    }
    // The seeded people are the first visitors who convert.
    const contactId = steps.length > 0 ? (options.contactIds?.[linked] ?? null) : null;
    if (contactId) linked += 1;
    for (const step of steps) {
      const at = new Date(last + step.offsetHours * 3_600_000);
      conversions.push({
        id: randomUUID(),
        kind: step.kind,
        at,
        visitorId,
        contactId,
        valueKopecks:
          step.kind === 'payment' ? 100 * (2_000 + Math.floor(random() * 80_000)) : null,
        isFirstOfKind: step.kind === 'visit' ? random() < 0.8 : true,
        path: visits.filter((session) => session.at.getTime() <= at.getTime()),
      });
    }
  }
  for (let offset = 0; offset < sessions.length; offset += 500) {
    const chunk = sessions.slice(offset, offset + 500);
    await testApp.db.execute(sql`
      INSERT INTO analytics_sessions (org_id, id, site_id, visitor_id, started_at, last_seen_at,
        utm_source, utm_medium, utm_campaign, utm_term, channel, source, campaign, keyword, rule_id)
      SELECT ${orgId}, s.id, ${siteId}, s.visitor_id, s.at, s.at, s.utm_source, s.utm_medium,
        s.campaign, s.keyword, s.channel, s.source, s.campaign, s.keyword, 'seed'
      FROM unnest(${chunk.map((s) => s.id)}::uuid[], ${chunk.map((s) => s.visitorId)}::uuid[],
        ${chunk.map((s) => s.at.toISOString())}::timestamptz[], ${chunk.map((s) => s.utmSource)}::text[],
        ${chunk.map((s) => s.utmMedium)}::text[], ${chunk.map((s) => s.channel)}::text[],
        ${chunk.map((s) => s.source)}::text[], ${chunk.map((s) => s.campaign)}::text[],
        ${chunk.map((s) => s.keyword)}::text[])
        AS s(id, visitor_id, at, utm_source, utm_medium, channel, source, campaign, keyword)`);
  }
  for (const conversion of conversions) {
    const credited =
      [...conversion.path].reverse().find((touch) => touch.channel !== 'direct') ?? null;
    const path = conversion.path.map((touch) => ({
      at: touch.at.toISOString(),
      channel: touch.channel,
      source: touch.source,
      campaign: touch.campaign,
      keyword: touch.keyword,
    }));
    await testApp.db.execute(sql`
      INSERT INTO analytics_conversions (org_id, id, kind, reference, occurred_at, contact_id,
        visitor_id, value_kopecks, is_first_of_kind, channel, source, campaign, keyword, path)
      VALUES (${orgId}, ${conversion.id}, ${conversion.kind}, ${conversion.id}, ${conversion.at},
        ${conversion.contactId}, ${conversion.visitorId}, ${conversion.valueKopecks},
        ${conversion.isFirstOfKind}, ${credited?.channel ?? 'direct'}, ${credited?.source ?? null},
        ${credited?.campaign ?? null}, ${credited?.keyword ?? null}, ${JSON.stringify(path)}::jsonb)`);
  }
  const spend: SeedSpend[] = [];
  for (let day = 1; day <= 31; day += 1) {
    const date = `2026-03-${String(day).padStart(2, '0')}`;
    spend.push({
      channel: 'yandex_direct',
      campaign: 'implants',
      start: date,
      end: date,
      amountKopecks: 100 * (1000 + Math.floor(random() * 5000)) + 37,
      isUnattributable: false,
    });
    spend.push({
      channel: 'vk_ads',
      campaign: 'retarget',
      start: date,
      end: date,
      amountKopecks: 100 * (500 + Math.floor(random() * 2000)),
      isUnattributable: false,
    });
  }
  spend.push({
    channel: 'outdoor',
    campaign: 'Билборд',
    start: '2026-02-15',
    end: '2026-03-16',
    amountKopecks: 3_000_001,
    isUnattributable: true,
  });
  for (const entry of spend) {
    await testApp.db.execute(sql`
      INSERT INTO spend_entries (org_id, origin, channel, source, campaign, period_start,
        period_end, amount_kopecks, vat, is_unattributable, created_at, updated_at)
      VALUES (${orgId}, 'manual', ${entry.channel}, ${entry.channel}, ${entry.campaign},
        ${entry.start}, ${entry.end}, ${entry.amountKopecks}, 'not_stated',
        ${entry.isUnattributable}, now(), now())`);
  }
  return { sessions, conversions, spend };
}
