import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { checkDeliverability, createTxtResolver } from './deliverability.service.ts';
import { complaintReport } from './mail-feedback.service.ts';
import {
  ZAddSuppressionBody,
  ZComplaintReport,
  ZContactParams,
  ZDeliverabilityQuery,
  ZDeliverabilityReport,
  ZOutboundPanel,
  ZRemoveSuppressionBody,
  ZSuppressed,
  ZSuppressionPage,
  ZSuppressionParams,
  ZSuppressionQuery,
} from './messaging.schema.ts';
import { outboundOptionsOf } from './outbound.service.ts';
import { addSuppression, listSuppressions, removeSuppression } from './suppressions.service.ts';

const TAG = 'Messaging';

export const messagingRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/messaging/suppressions',
    summary:
      'The suppression list: who must get no advertising on which channel, and why (unsubscribed, refused through the operator, bounced, complaint, staff)',
    tag: TAG,
    access: { permission: 'messaging.read' },
    query: ZSuppressionQuery,
    responses: { 200: ZSuppressionPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await listSuppressions(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/messaging/suppressions',
    summary: 'Suppress a contact on a channel (a refusal received by phone or letter)',
    tag: TAG,
    access: { permission: 'messaging.manage' },
    body: ZAddSuppressionBody,
    responses: { 201: ZSuppressed },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await addSuppression(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/messaging/suppressions/:suppressionId/remove',
    summary:
      'Remove a suppression, with the reason kept in the audit log (a withdrawn consent stays withdrawn)',
    tag: TAG,
    access: { permission: 'messaging.manage' },
    params: ZSuppressionParams,
    body: ZRemoveSuppressionBody,
    responses: { 204: null },
    handler: async ({ auth, params, body }, c) => {
      await removeSuppression(orgCtx(c, auth), { id: params.suppressionId, reason: body.reason });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/messaging/deliverability',
    summary:
      'SPF, DKIM and DMARC of a sending domain, with findings; an error blocks bulk mail to Gmail and Yahoo (R-E2)',
    tag: TAG,
    access: { permission: 'messaging.read' },
    query: ZDeliverabilityQuery,
    responses: { 200: ZDeliverabilityReport },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await checkDeliverability(
        orgCtx(c, auth),
        createTxtResolver(c.get('deps').dnsServers),
        query,
      ),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/messaging/complaints',
    summary:
      'Email sent, spam complaints and late bounces over the last 30 days, and the complaint rate judged against the 0.3 % limit (R-E2)',
    tag: TAG,
    access: { permission: 'messaging.read' },
    responses: { 200: ZComplaintReport },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await complaintReport(orgCtx(c, auth)),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/contacts/:contactId/outbound',
    summary:
      'What may be sent to this person: for each purpose and channel the outbound check’s answer and why, and the latest messages',
    tag: TAG,
    access: { permission: 'messaging.read' },
    params: ZContactParams,
    responses: { 200: ZOutboundPanel },
    handler: async ({ auth, params }, c) => {
      const panel = await outboundOptionsOf(orgCtx(c, auth), params.contactId);
      return {
        status: 200,
        body: {
          options: panel.options,
          recent: panel.recent.map((row) => ({
            id: row.id,
            channel: row.channel,
            purposeId: row.purposeId,
            basis: row.basis,
            consentEntryId: row.consentEntryId,
            gateReason: row.gateReason,
            status: row.status,
            campaignId: row.campaignId,
            createdAt: row.createdAt.toISOString(),
            sentAt: row.sentAt?.toISOString() ?? null,
          })),
        },
      };
    },
  }),
];
