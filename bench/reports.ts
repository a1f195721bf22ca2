// The channel report and every attribution model over 10,000,000 events (sessions and page
// views) and 200,000 conversions on PostgreSQL. Builds its own database with set-based INSERTs
// from generate_series; prints the machine's raw COPY rate as a reference, readable figures,
// and ends with one line of JSON.
//
//   npm run bench:reports                    # uses postgres://postgres@127.0.0.1:5432/postgres
//   BENCH_EVENTS=1000000 BENCH_CONVERSIONS=20000 npm run bench:reports
//   BENCH_DATABASE_URL=postgres://… BENCH_KEEP=1 npm run bench:reports
//
// Nothing is pre-aggregated by the benchmark: reports read the live tables (sessions,
// conversions, spend), and each conversion carries its path, materialized when it is recorded
// and re-materialized when the channel rules change (src/analytics/channels/reclassify.ts).
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { getAttribution, getChannelReport } from '../src/analytics/reports/reports.service.ts';
import { createOrgWithOwner, systemCtx } from '../src/orgs/auth.service.ts';
import type { Ctx } from '../src/platform/context.ts';
import { deriveKeys } from '../src/platform/crypto.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPostgres } from '../src/platform/db/postgres.ts';
import { keyStoreOn } from '../src/platform/keystore.ts';
import { BASE_URL, bar, databaseUrl, log, median } from './bench-lib.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 200_000);
const PAGE_VIEWS_PER_SESSION = 4;
const SESSIONS = Math.round(EVENTS / (1 + PAGE_VIEWS_PER_SESSION));
const PAGE_VIEWS = EVENTS - SESSIONS;
const VISITORS = Math.max(1, Math.round(SESSIONS / 4));
const DAYS = 180;
const BATCH = 500_000;
const COPY_ROWS = 1_000_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

// Channels with their share of sessions (in per mille) and campaigns.
const CHANNEL_CASE = `CASE
  WHEN h < 300 THEN 'yandex_direct' WHEN h < 420 THEN 'yandex_organic' WHEN h < 520 THEN 'vk_ads'
  WHEN h < 600 THEN 'google_ads' WHEN h < 680 THEN 'maps' WHEN h < 740 THEN 'aggregators'
  WHEN h < 780 THEN 'google_organic' WHEN h < 810 THEN 'telegram' WHEN h < 830 THEN 'email'
  ELSE 'direct' END`;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function main(): Promise<void> {
  const name = `soglasie_bench_reports_${Date.now()}`;
  const admin = openPostgres(BASE_URL, { max: 1 });
  await admin.executeScript(`CREATE DATABASE "${name}"`);
  await admin.executeScript(`CREATE DATABASE "${name}_keys"`);
  const db = openPostgres(databaseUrl(name), { max: 4 });
  const keysDb = openPostgres(databaseUrl(`${name}_keys`), { max: 2 });
  const copyFile = `/tmp/${name}.csv`;
  try {
    log('[1/6] migrating a fresh database…');
    await migrate(db);
    const keys = deriveKeys(randomBytes(32), await keyStoreOn(keysDb));
    const now = new Date();
    const { org } = await createOrgWithOwner(
      { db, keys },
      {
        orgSlug: `bench-${randomBytes(3).toString('hex')}`,
        orgName: 'Бенчмарк',
        owner: { email: 'bench@clinic.test', name: 'Бенчмарк', password: 'bench-password-1' },
        now,
        actorLabel: 'bench',
      },
    );
    const orgId = org.id;

    log(`[2/6] raw COPY rate for reference: ${COPY_ROWS.toLocaleString('en')} rows from a file…`);
    const lines: string[] = [];
    for (let n = 0; n < COPY_ROWS; n += 1) {
      lines.push(`${n},2026-03-01T10:00:00Z,yandex_direct,implants,${n % 97}`);
    }
    writeFileSync(copyFile, `${lines.join('\n')}\n`);
    await db.executeScript(
      'CREATE UNLOGGED TABLE bench_copy (n bigint, at timestamptz, channel text, campaign text, v int)',
    );
    const copy = await timed(() =>
      db.executeScript(`COPY bench_copy FROM '${copyFile}' WITH (FORMAT csv)`),
    );
    const copyRate = COPY_ROWS / (copy.ms / 1000);
    log(`      ${Math.round(copyRate).toLocaleString('en')} rows/s`);
    await db.executeScript('DROP TABLE bench_copy');

    log(
      `[3/6] ${SESSIONS.toLocaleString('en')} sessions of ${VISITORS.toLocaleString('en')} visitors over ${DAYS} days…`,
    );
    const siteId = '00000000-0000-4000-8000-000000000001';
    await db.executeScript(`
      INSERT INTO analytics_sites (id, org_id, site_key, name)
        VALUES ('${siteId}', '${orgId}', 'bench_site_key_0001', 'Бенчмарк');
      INSERT INTO analytics_visitors (org_id, id, site_id, kind, first_seen_at, last_seen_at)
        SELECT '${orgId}', md5('v' || n)::uuid, '${siteId}', 'first_party', now(), now()
        FROM generate_series(0, ${VISITORS - 1}) AS n;`);
    const started = Date.now() - DAYS * 86_400_000;
    for (let start = 0; start < SESSIONS; start += BATCH) {
      const end = Math.min(SESSIONS, start + BATCH) - 1;
      await db.executeScript(`
        INSERT INTO analytics_sessions (org_id, id, site_id, visitor_id, started_at, last_seen_at,
          page_views, utm_source, utm_medium, utm_campaign, channel, source, campaign, keyword, rule_id)
        SELECT '${orgId}', md5('s' || n)::uuid, '${siteId}', md5('v' || (n % ${VISITORS}))::uuid, at, at,
          ${PAGE_VIEWS_PER_SESSION}, channel, 'cpc', campaign, channel, channel, campaign,
          CASE WHEN channel = 'yandex_direct' THEN 'kw' || (n % 40) END, 'bench'
        FROM (
          SELECT n, to_timestamp(${started / 1000} + (n::bigint * ${DAYS * 86_400}) / ${SESSIONS}) AS at,
            ${CHANNEL_CASE} AS channel,
            CASE WHEN h % 3 = 0 THEN 'implants' WHEN h % 3 = 1 THEN 'braces' ELSE 'checkup' END AS campaign
          FROM (SELECT n, abs(hashtext('c' || n)) % 1000 AS h FROM generate_series(${start}, ${end}) AS n) hashed
        ) generated;`);
      log(`      ${bar(end + 1, SESSIONS)}`);
    }

    log(`[4/6] ${PAGE_VIEWS.toLocaleString('en')} page views…`);
    for (let start = 0; start < PAGE_VIEWS; start += BATCH * 2) {
      const end = Math.min(PAGE_VIEWS, start + BATCH * 2) - 1;
      await db.executeScript(`
        INSERT INTO analytics_page_views (org_id, session_id, at, url, path)
        SELECT '${orgId}', md5('s' || (n / ${PAGE_VIEWS_PER_SESSION}))::uuid,
          to_timestamp(${started / 1000} + (n::bigint * ${DAYS * 86_400}) / ${PAGE_VIEWS}),
          'https://clinic.example/services/' || (n % 50), '/services/' || (n % 50)
        FROM generate_series(${start}, ${end}) AS n;`);
      log(`      ${bar(end + 1, PAGE_VIEWS)}`);
    }

    log(`[5/6] ${CONVERSIONS.toLocaleString('en')} conversions with their paths, and spend…`);
    for (let start = 0; start < CONVERSIONS; start += BATCH / 5) {
      const end = Math.min(CONVERSIONS, start + BATCH / 5) - 1;
      await db.executeScript(`
        INSERT INTO analytics_conversions (org_id, id, kind, reference, occurred_at, visitor_id,
          value_kopecks, is_first_of_kind, channel, source, campaign, path)
        SELECT '${orgId}', md5('k' || n)::uuid, kind, 'ref' || n, at, md5('v' || (n % ${VISITORS}))::uuid,
          CASE WHEN kind = 'payment' THEN 100 * (3000 + abs(hashtext('p' || n)) % 60000) END,
          kind <> 'visit' OR n % 4 <> 0, last_channel, last_channel, 'implants', path
        FROM (
          SELECT n, at, kind, path,
            coalesce((SELECT t ->> 'channel' FROM jsonb_array_elements(path) WITH ORDINALITY AS e(t, o)
              WHERE t ->> 'channel' <> 'direct' ORDER BY o DESC LIMIT 1), 'direct') AS last_channel
          FROM (
            SELECT n, at,
              CASE WHEN n % 20 < 8 THEN 'lead' WHEN n % 20 < 13 THEN 'booking'
                WHEN n % 20 < 17 THEN 'visit' ELSE 'payment' END AS kind,
              (SELECT jsonb_agg(jsonb_build_object('at', at - make_interval(days => 3 * (3 - i)),
                'channel', (SELECT ${CHANNEL_CASE} FROM (SELECT abs(hashtext('t' || n || '-' || i)) % 1000 AS h) x),
                'source', NULL, 'campaign', 'implants', 'keyword', NULL) ORDER BY i)
               FROM generate_series(1, 1 + n % 4) AS i) AS path
            FROM (SELECT n, to_timestamp(${started / 1000} + (n::bigint * ${DAYS * 86_400}) / ${CONVERSIONS}) AS at
              FROM generate_series(${start}, ${end}) AS n) timed
          ) paths
        ) generated;`);
      log(`      ${bar(end + 1, CONVERSIONS)}`);
    }
    await db.executeScript(`
      INSERT INTO spend_entries (org_id, origin, channel, source, campaign, keyword, period_start,
        period_end, amount_kopecks, vat, is_unattributable, created_at, updated_at)
      SELECT '${orgId}', 'manual', channel, channel, campaign, '', day::date, day::date,
        100 * (500 + abs(hashtext(channel || campaign || day::date)) % 9000), 'included', false, now(), now()
      FROM unnest(ARRAY['yandex_direct', 'vk_ads', 'google_ads', 'maps', 'aggregators']) AS channel,
        unnest(ARRAY['implants', 'braces', 'checkup']) AS campaign,
        generate_series(current_date - ${DAYS}, current_date, interval '1 day') AS day;
      INSERT INTO spend_entries (org_id, origin, channel, source, campaign, period_start, period_end,
        amount_kopecks, vat, is_unattributable, created_at, updated_at)
      SELECT '${orgId}', 'manual', 'outdoor', 'outdoor', 'Билборды', month::date, month::date + 29, 15000000,
        'included', true, now(), now()
      FROM generate_series(current_date - ${DAYS}, current_date, interval '30 days') AS month;
      ANALYZE;`);

    log('[6/6] timing the channel report and the attribution models…');
    const ctx: Ctx = {
      ...systemCtx({ db, keys, publicUrl: 'http://127.0.0.1' }, { orgId, now }),
      role: 'owner',
    };
    const from = new Date(Date.now() - DAYS * 86_400_000).toISOString().slice(0, 10);
    const to = now.toISOString().slice(0, 10);
    const channelTimes: number[] = [];
    const campaignTimes: number[] = [];
    const attributionTimes: Record<string, number[]> = {};
    let rows = 0;
    let attributed = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const report = await timed(() =>
        getChannelReport(ctx, {
          from,
          to,
          dimension: 'channel',
          sort: 'spend',
          order: 'desc',
          compare: 'previous',
        }),
      );
      channelTimes.push(report.ms);
      rows = report.result.rows.length;
      const byCampaign = await timed(() =>
        getChannelReport(ctx, {
          from,
          to,
          dimension: 'keyword',
          sort: 'spend',
          order: 'desc',
          compare: 'none',
        }),
      );
      campaignTimes.push(byCampaign.ms);
      for (const goal of ['lead', 'new_patient', 'payment'] as const) {
        const attribution = await timed(() =>
          getAttribution(ctx, {
            from,
            to,
            goal,
            lookbackDays: 90,
            halfLifeDays: 7,
            model: 'last_non_direct',
          }),
        );
        attributionTimes[goal] = [...(attributionTimes[goal] ?? []), attribution.ms];
        if (goal === 'lead') attributed = attribution.result.totals.conversions;
      }
    }
    const channelMs = median(channelTimes);
    const keywordMs = median(campaignTimes);
    const perGoal = Object.fromEntries(
      Object.entries(attributionTimes).map(([goal, times]) => [goal, median(times)]),
    );
    const attributionMs = Math.max(...Object.values(perGoal));
    log('');
    log(
      `events                           ${EVENTS.toLocaleString('en')} (${SESSIONS.toLocaleString('en')} sessions, ${PAGE_VIEWS.toLocaleString('en')} page views)`,
    );
    log(`conversions                      ${CONVERSIONS.toLocaleString('en')}`);
    log(
      `raw COPY                         ${Math.round(copyRate).toLocaleString('en')} rows/s (reference)`,
    );
    log(
      `channel report, 180 days         ${channelMs.toFixed(0)} ms median of ${ROUNDS} (${rows} channels, with the previous period)   target: under 5,000 ms`,
    );
    log(`keyword report, 180 days         ${keywordMs.toFixed(0)} ms`);
    for (const [goal, ms] of Object.entries(perGoal)) {
      log(
        `attribution, all 8 models (${goal.padEnd(11)}) ${ms.toFixed(0)} ms   target: under 5,000 ms`,
      );
    }
    log(
      `(one call runs every model over the same paths, so each model answers within that time; ${attributed.toLocaleString('en')} leads attributed)`,
    );
    process.stdout.write(
      `${JSON.stringify({
        events: EVENTS,
        sessions: SESSIONS,
        page_views: PAGE_VIEWS,
        conversions: CONVERSIONS,
        raw_copy_rows_per_s: Math.round(copyRate),
        channel_report_ms: Number(channelMs.toFixed(1)),
        keyword_report_ms: Number(keywordMs.toFixed(1)),
        attribution_ms: Number(attributionMs.toFixed(1)),
        attribution_ms_by_goal: Object.fromEntries(
          Object.entries(perGoal).map(([goal, ms]) => [goal, Number(ms.toFixed(1))]),
        ),
      })}\n`,
    );
  } finally {
    rmSync(copyFile, { force: true });
    await db.close();
    await keysDb.close();
    if (!process.env.BENCH_KEEP) {
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}_keys" WITH (FORCE)`);
    }
    await admin.close();
  }
}

await main();
