import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../../test/app.ts';
import { makeMember, makeOrg, type TestOrg } from '../../../test/factories.ts';
import { type Client, signIn } from '../../../test/http.ts';
import type { TChannelRuleSet } from './channel-rule-sets.schema.ts';

const getApp = setupTestApp();
type ErrorBody = { error: { code: string; fields?: Record<string, string[]> } };

let org: TestOrg;
let marketer: Client;

const PARTNER_RULE = {
  id: 'partner-dentalportal',
  when: [{ field: 'utm_source', equals: 'dentalportal' }],
  result: { channel: 'aggregators', source: 'dentalportal' },
};

beforeAll(async () => {
  const testApp = getApp();
  org = await makeOrg(testApp);
  const member = await makeMember(testApp, org.orgId, 'marketer');
  marketer = await signIn(testApp, member.email, member.password);
});

describe('the channel rules editor (issue 7, item 3)', () => {
  it('tries draft rules on sample touches, then saves them in front of the defaults', async () => {
    const touch = { utm_source: 'dentalportal', utm_medium: 'listing' };
    const before = await marketer.post<{ results: { channel: string; ruleId: string }[] }>(
      '/api/v1/analytics/channel-rules/test',
      { touches: [touch] },
    );
    expect(before.body.results[0]).toMatchObject({
      channel: 'other_tagged',
      ruleId: 'other-tagged',
    });
    const draft = await marketer.post<{ results: { channel: string; ruleId: string }[] }>(
      '/api/v1/analytics/channel-rules/test',
      { touches: [touch], rules: [PARTNER_RULE] },
    );
    expect(draft.body.results[0]).toMatchObject({
      channel: 'aggregators',
      ruleId: PARTNER_RULE.id,
    });

    const empty = await marketer.get<TChannelRuleSet>('/api/v1/analytics/channel-rules');
    expect(empty.body).toMatchObject({ rules: [], version: 0 });
    expect(empty.body.defaults.length).toBeGreaterThan(40);
    const saved = await marketer.call<TChannelRuleSet>('PUT', '/api/v1/analytics/channel-rules', {
      body: { rules: [PARTNER_RULE], expectedVersion: 0 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(1);
    const stored = await marketer.post<{ results: { channel: string }[] }>(
      '/api/v1/analytics/channel-rules/test',
      { touches: [touch] },
    );
    expect(stored.body.results[0]?.channel).toBe('aggregators');
  });

  it('refuses a stale version with a conflict', async () => {
    const stale = await marketer.call<ErrorBody>('PUT', '/api/v1/analytics/channel-rules', {
      body: { rules: [], expectedVersion: 0 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
  });

  it('names the field of a bad rule: nested quantifiers, repeated ids, unknown fields', async () => {
    const answer = await marketer.call<ErrorBody>('PUT', '/api/v1/analytics/channel-rules', {
      body: {
        rules: [
          { id: 'a', when: [{ field: 'referrer', regex: '(a+)+$' }], result: { channel: 'x' } },
          { id: 'a', when: [{ field: 'nope', equals: 'x' }], result: { channel: 'Bad Name' } },
        ],
      },
    });
    expect(answer.status).toBe(400);
    const fields = Object.keys(answer.body.error.fields ?? {});
    expect(fields).toEqual(
      expect.arrayContaining(['rules.0.when.0.regex', 'rules.1.when.0', 'rules.1.result.channel']),
    );
    const twice = await marketer.call<ErrorBody>('PUT', '/api/v1/analytics/channel-rules', {
      body: { rules: [PARTNER_RULE, PARTNER_RULE] },
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.fields?.['rules.1.id']).toEqual(['is used twice']);
  });

  it('lets the front desk neither read nor change the rules', async () => {
    const testApp = getApp();
    const desk = await makeMember(testApp, org.orgId, 'front_desk');
    const client = await signIn(testApp, desk.email, desk.password);
    expect((await client.get('/api/v1/analytics/channel-rules')).status).toBe(403);
    const put = await client.call('PUT', '/api/v1/analytics/channel-rules', {
      body: { rules: [] },
    });
    expect(put.status).toBe(403);
  });
});
