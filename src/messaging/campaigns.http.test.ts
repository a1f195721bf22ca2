import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeMember } from '../../test/factories.ts';
import { bearerClient, type Client, signIn } from '../../test/http.ts';

const getApp = setupTestApp();

let org: CaptureOrg;
let owner: Client;
let segmentId: string;
let campaignId: string;

beforeAll(async () => {
  org = await makeCaptureOrg(getApp());
  owner = await signIn(getApp(), org.owner.email, org.owner.password);
  const segment = await owner.post<{ id: string }>('/api/v1/segments', {
    name: 'С почтой',
    purposeCode: 'marketing',
    filters: { hasEmail: true },
  });
  expect(segment.status).toBe(201);
  segmentId = segment.body.id;
  const campaign = await owner.post<{ id: string; status: string }>('/api/v1/campaigns', {
    name: 'Акция',
    segmentId,
    channel: 'email',
    subject: 'Скидка',
    body: 'Здравствуйте, {{name}}!',
  });
  expect(campaign.body.status).toBe('draft');
  campaignId = campaign.body.id;
});

describe('campaigns over HTTP', () => {
  it('refuses a health segment under an advertising purpose with its rule (R-C5)', async () => {
    const answer = await owner.post<{ error: { code: string; details: { rule: string } } }>(
      '/api/v1/segments',
      { name: 'Диагноз', purposeCode: 'marketing', filters: { dataCategories: ['health'] } },
    );
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({
      code: 'rule_violated',
      details: { rule: 'special_category_for_marketing' },
    });
  });

  it('lets a marketer build and preview without names, and keeps the front desk out', async () => {
    const marketer = await makeMember(getApp(), org.orgId, 'marketer');
    const client = await signIn(getApp(), marketer.email, marketer.password);
    const preview = await client.get<{ items: { name: string | null }[] }>(
      `/api/v1/segments/${segmentId}/preview?channel=email`,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.items.every((item) => item.name === null)).toBe(true);
    const frontDesk = await makeMember(getApp(), org.orgId, 'front_desk');
    const desk = await signIn(getApp(), frontDesk.email, frontDesk.password);
    expect((await desk.get('/api/v1/campaigns')).status).toBe(403);
    expect((await desk.post('/api/v1/segments', {})).status).toBe(403);
  });

  it('hides another organization’s campaigns and segments', async () => {
    const other = await makeCaptureOrg(getApp());
    const stranger = await signIn(getApp(), other.owner.email, other.owner.password);
    expect((await stranger.get(`/api/v1/campaigns/${campaignId}`)).status).toBe(404);
    expect((await stranger.get(`/api/v1/segments/${segmentId}/preview`)).status).toBe(404);
    expect(
      (await stranger.post(`/api/v1/campaigns/${campaignId}/launch`, { isConfirmed: true })).status,
    ).toBe(404);
  });

  it('refuses a launch by an API token: a person launches (R-A2)', async () => {
    const issued = await owner.post<{ secret: string }>('/api/v1/tokens', {
      name: 'Интеграция',
      role: 'admin',
    });
    const token = bearerClient(getApp(), issued.body.secret);
    const answer = await token.post<{ error: { code: string; details: { rule: string } } }>(
      `/api/v1/campaigns/${campaignId}/launch`,
      { isConfirmed: true },
    );
    expect(answer.status).toBe(403);
    expect(answer.body.error.details.rule).toBe('launch_needs_person');
    const launched = await owner.post<{ status: string; launchedBy: { name: string } }>(
      `/api/v1/campaigns/${campaignId}/launch`,
      { isConfirmed: true },
    );
    expect(launched.status).toBe(200);
    expect(launched.body.launchedBy.name).toBe(org.owner.name);
    const log = await owner.get<{ total: number }>(`/api/v1/campaigns/${campaignId}/log`);
    expect(log.status).toBe(200);
  });
});
