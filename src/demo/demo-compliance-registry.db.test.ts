import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { getNotice } from '../compliance/rkn-notice/rkn-notice.service.ts';
import { listServices } from '../compliance/services/services.service.ts';
import type { Ctx } from '../platform/context.ts';
import { seedDemoComplianceRegistry } from './demo-compliance-registry.ts';

const getApp = setupTestApp();

describe('demo services register and RKN notice', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let ctx: Ctx;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    ctx = { ...org.ctx, now: testApp.clock.now() };
  });

  it('fills the notice data, Russian services and one foreign, a filed notice and an open update task', async () => {
    const seeded = await seedDemoComplianceRegistry(ctx);
    expect(seeded.serviceIds).toHaveLength(4);
    expect(seeded.taskIds).toHaveLength(1);
    const services = await listServices(ctx);
    expect(services.filter((service) => service.crossBorder.isForeign).map((s) => s.name)).toEqual([
      'WhatsApp',
    ]);
    expect(
      services
        .filter((service) => !service.crossBorder.isForeign)
        .every((s) => s.contractReference),
    ).toBe(true);
    const notice = await getNotice(ctx);
    expect(notice.lastFiling).not.toBeNull();
    expect(notice.isChangedSinceFiled).toBe(true);
    expect(notice.fields.databaseLocations).toHaveLength(2);
    expect(notice.fields.crossBorder.isPerformed).toBe(true);
    expect(notice.openTasks).toEqual([
      expect.objectContaining({ title: 'Обновить уведомление в РКН', isOverdue: false }),
    ]);
    // The only gap left is the cross-border notice for WhatsApp.
    expect(notice.gaps.map((gap) => gap.code)).toEqual(['cross_border_notice_missing']);
    // A second run adds nothing.
    expect(await seedDemoComplianceRegistry(ctx)).toEqual({ serviceIds: [], taskIds: [] });
  });
});
