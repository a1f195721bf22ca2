import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeOrg } from '../../test/factories.ts';
import { callReport, findCalls } from '../analytics/calls/calls.service.ts';
import { findPoolViews } from '../analytics/calls/numbers.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { seedDemoCallTracking } from './demo-calltracking.ts';

const getApp = setupTestApp();

describe('demo call tracking', () => {
  it('seeds a pool and six months of calls from paid search, static channels and unknown sources', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const ctx = {
      ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
      publicUrl: testApp.deps.publicUrl,
    };
    await seedDemoCallTracking(ctx);
    const pools = await findPoolViews(ctx);
    expect(pools).toEqual([expect.objectContaining({ numbers: 4 })]);
    const report = await callReport(ctx, {
      from: new Date(ctx.now.getTime() - 200 * 86_400_000).toISOString(),
      by: 'channel',
    });
    const channels = report.rows.map((row) => row.channel);
    expect(channels).toEqual(expect.arrayContaining(['yandex_direct', 'vk', 'maps', 'unknown']));
    expect(report.totals.calls).toBe(140);
    expect(report.totals.missed).toBeGreaterThan(0);
    const missed = await findCalls(ctx, { page: 1, pageSize: 50, status: 'missed' });
    expect(missed.items.every((call) => call.callbackTaskId !== null)).toBe(true);
    const dynamic = await findCalls(ctx, { page: 1, pageSize: 5, match: 'dynamic' });
    expect(dynamic.items[0]?.campaign).toBeTruthy();
  });
});
