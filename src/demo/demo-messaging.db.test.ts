import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeOrg } from '../../test/factories.ts';
import { listSuppressions } from '../messaging/suppressions.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { seedDemoCapture } from './demo-capture.ts';
import { seedDemoSuppressions } from './demo-messaging.ts';

const getApp = setupTestApp();

describe('demo suppressions', () => {
  it('seeds unsubscribes, a provider refusal and a complaint, once', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const ctx = {
      ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
      publicUrl: testApp.deps.publicUrl,
    };
    await seedDemoCapture(ctx);
    expect(await seedDemoSuppressions(ctx)).toEqual({ suppressed: 4 });
    const list = await listSuppressions(ctx, { page: 1, pageSize: 10 });
    expect(list.items.map((item) => item.reason).sort()).toEqual([
      'complaint',
      'provider_refused',
      'unsubscribed',
      'unsubscribed',
    ]);
    expect(await seedDemoSuppressions(ctx)).toEqual({ suppressed: 0 });
  });
});
