import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeMember, makeOrg } from '../../test/factories.ts';
import { findCampaignLog, findCampaigns } from '../messaging/campaigns.service.ts';
import { findSegments } from '../messaging/segments.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { seedDemoCampaigns } from './demo-campaigns.ts';
import { seedDemoCapture } from './demo-capture.ts';
import { seedDemoSuppressions } from './demo-messaging.ts';

const getApp = setupTestApp();

describe('demo campaigns', () => {
  it('seeds segments, a draft and a campaign sent to the end with its log, once', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const marketer = await makeMember(testApp, org.orgId, 'marketer');
    const ctx = {
      ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
      publicUrl: testApp.deps.publicUrl,
    };
    await seedDemoCapture(ctx);
    await seedDemoSuppressions(ctx);
    const { sent } = await seedDemoCampaigns(ctx);
    expect(sent).toBeGreaterThan(0);
    expect((await findSegments(ctx)).items).toHaveLength(2);
    const campaigns = (await findCampaigns(ctx)).items;
    expect(campaigns.map((campaign) => campaign.status).sort()).toEqual(['completed', 'draft']);
    const done = campaigns.find((campaign) => campaign.status === 'completed');
    if (!done) throw new Error('no completed campaign');
    // A person launched it (R-A2), and its log names the consent of every message sent.
    expect(done.launchedBy?.userId).toBe(marketer.userId);
    expect(done.progress.sent).toBe(sent);
    const log = await findCampaignLog(ctx, done.id, { page: 1, pageSize: 200 });
    const delivered = log.items.filter((item) => item.status === 'sent');
    expect(delivered).toHaveLength(sent);
    expect(delivered.every((item) => item.consentEntryId && item.messageId)).toBe(true);
    expect(await seedDemoCampaigns(ctx)).toEqual({ sent: 0 });
  });
});
