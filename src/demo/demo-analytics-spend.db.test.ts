import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeOrg } from '../../test/factories.ts';
import { getChannelReport } from '../analytics/reports/reports.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { seedDemoSpend } from './demo-analytics-spend.ts';

const getApp = setupTestApp();

describe('demo spend', () => {
  it('imports six months of cabinet exports and monthly fees for every channel of the story', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const ctx = {
      ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
      publicUrl: testApp.deps.publicUrl,
    };
    const seeded = await seedDemoSpend(ctx);
    expect(seeded.manual).toBe(25);
    expect(seeded.rows).toBeGreaterThan(182 * 6);
    const report = await getChannelReport(ctx, {
      dimension: 'channel',
      sort: 'spend',
      order: 'desc',
      compare: 'none',
      from: '2025-09-01',
      to: '2026-03-01',
    });
    const channels = report.rows.map((row) => row.channel);
    expect(channels[0]).toBe('yandex_direct');
    expect(channels).toEqual(
      expect.arrayContaining(['vk_ads', 'google_ads', 'maps', 'aggregators', 'outdoor', 'radio']),
    );
    expect(report.unattributableSpendKopecks).toBeGreaterThan(0);
  });
});
