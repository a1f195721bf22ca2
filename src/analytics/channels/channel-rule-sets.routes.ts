import { orgCtx } from '../../platform/http/ctx.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  ZChannelRuleSet,
  ZChannelRulesTest,
  ZSaveChannelRulesBody,
  ZTestChannelRulesBody,
} from './channel-rule-sets.schema.ts';
import {
  getChannelRules,
  saveChannelRules,
  testChannelRules,
} from './channel-rule-sets.service.ts';

const TAG = 'Analytics: channel rules';

export const channelRuleRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/analytics/channel-rules',
    summary: 'The organization’s own channel rules, the defaults after them, and the channels',
    tag: TAG,
    access: { permission: 'analytics.reports' },
    responses: { 200: ZChannelRuleSet },
    handler: async ({ auth }, c) => ({ status: 200, body: await getChannelRules(orgCtx(c, auth)) }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/analytics/channel-rules',
    summary:
      'Replace the organization’s own channel rules; stored touchpoints are re-classified in the same transaction',
    tag: TAG,
    access: { permission: 'analytics.rules' },
    body: ZSaveChannelRulesBody,
    responses: { 200: ZChannelRuleSet },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: await saveChannelRules(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/analytics/channel-rules/test',
    summary: 'Classify sample touches with draft (or the stored) rules, without saving',
    tag: TAG,
    access: { permission: 'analytics.reports' },
    body: ZTestChannelRulesBody,
    responses: { 200: ZChannelRulesTest },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: await testChannelRules(orgCtx(c, auth), body),
    }),
  }),
];
