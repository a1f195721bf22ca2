import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import {
  ZCampaign,
  ZCampaignBody,
  ZCampaignList,
  ZCampaignLog,
  ZCampaignLogQuery,
  ZCampaignParams,
  ZLaunchBody,
} from './campaigns.schema.ts';
import {
  changeCampaignStatus,
  createCampaign,
  findCampaignLog,
  findCampaigns,
  getCampaign,
  launchCampaign,
  previewCampaign,
  reviseCampaign,
} from './campaigns.service.ts';
import {
  ZAudiencePreview,
  ZPreviewQuery,
  ZSegment,
  ZSegmentBody,
  ZSegmentList,
  ZSegmentParams,
} from './segments.schema.ts';
import {
  createSegment,
  findSegments,
  previewSegment,
  removeSegment,
  reviseSegment,
} from './segments.service.ts';

const TAG = 'Campaigns';

const ZCampaignPreviewQuery = ZPreviewQuery.omit({ channel: true });

export const campaignRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/segments',
    summary: 'Saved segments (filters on contacts for a purpose)',
    tag: TAG,
    access: { permission: 'campaigns.read' },
    responses: { 200: ZSegmentList },
    handler: async ({ auth }, c) => ({ status: 200, body: await findSegments(orgCtx(c, auth)) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/segments',
    summary:
      'Save a segment; a health (special category) filter under an advertising purpose is refused with special_category_for_marketing (R-C5)',
    tag: TAG,
    access: { permission: 'campaigns.manage' },
    body: ZSegmentBody,
    responses: { 201: ZSegment },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await createSegment(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/segments/:segmentId',
    summary: 'Change a segment (the same rules as saving one)',
    tag: TAG,
    access: { permission: 'campaigns.manage' },
    params: ZSegmentParams,
    body: ZSegmentBody,
    responses: { 200: ZSegment },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await reviseSegment(orgCtx(c, auth), params.segmentId, body),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/segments/:segmentId',
    summary: 'Archive a segment (campaigns that used it keep it)',
    tag: TAG,
    access: { permission: 'campaigns.manage' },
    params: ZSegmentParams,
    responses: { 204: null },
    handler: async ({ auth, params }, c) => {
      await removeSegment(orgCtx(c, auth), params.segmentId);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/segments/:segmentId/preview',
    summary:
      'Who the segment reaches on a channel now: counts excluded per gate reason and a page of those included (names only for roles that read contacts; the read is logged)',
    tag: TAG,
    access: { permission: 'campaigns.read' },
    params: ZSegmentParams,
    query: ZPreviewQuery,
    responses: { 200: ZAudiencePreview },
    handler: async ({ auth, params, query }, c) => ({
      status: 200,
      body: await previewSegment(orgCtx(c, auth), params.segmentId, query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/campaigns',
    summary: 'Campaigns, newest first, with their progress',
    tag: TAG,
    access: { permission: 'campaigns.read' },
    responses: { 200: ZCampaignList },
    handler: async ({ auth }, c) => ({ status: 200, body: await findCampaigns(orgCtx(c, auth)) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/campaigns',
    summary:
      'Draft a campaign: segment, channel (email or SMS), text with {{name}}, rate per minute',
    tag: TAG,
    access: { permission: 'campaigns.manage' },
    body: ZCampaignBody,
    responses: { 201: ZCampaign },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await createCampaign(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/campaigns/:campaignId',
    summary: 'One campaign with its approver, exclusions and progress',
    tag: TAG,
    access: { permission: 'campaigns.read' },
    params: ZCampaignParams,
    responses: { 200: ZCampaign },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getCampaign(orgCtx(c, auth), params.campaignId),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/campaigns/:campaignId',
    summary: 'Change a draft campaign',
    tag: TAG,
    access: { permission: 'campaigns.manage' },
    params: ZCampaignParams,
    body: ZCampaignBody,
    responses: { 200: ZCampaign },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await reviseCampaign(orgCtx(c, auth), params.campaignId, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/campaigns/:campaignId/preview',
    summary: 'The draft’s audience now: exclusions per reason and a page of recipients',
    tag: TAG,
    access: { permission: 'campaigns.read' },
    params: ZCampaignParams,
    query: ZCampaignPreviewQuery,
    responses: { 200: ZAudiencePreview },
    handler: async ({ auth, params, query }, c) => ({
      status: 200,
      body: await previewCampaign(orgCtx(c, auth), params.campaignId, query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/campaigns/:campaignId/launch',
    summary:
      'Launch a draft: only a signed-in person, who is logged as the approver (R-A2); the audience is resolved through the gate and frozen',
    tag: TAG,
    access: { permission: 'campaigns.manage' },
    params: ZCampaignParams,
    body: ZLaunchBody,
    responses: { 200: ZCampaign },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await launchCampaign(orgCtx(c, auth), params.campaignId, body),
    }),
  }),
  ...(['pause', 'resume', 'cancel'] as const).map((act) =>
    defineRoute({
      method: 'post',
      path: `/api/v1/campaigns/:campaignId/${act}`,
      summary: {
        pause: 'Pause sending (the sender stops before its next batch)',
        resume: 'Resume a paused campaign (a person only, R-A2)',
        cancel: 'Cancel a draft or a campaign being sent; what was sent stays in the log',
      }[act],
      tag: TAG,
      access: { permission: 'campaigns.manage' },
      params: ZCampaignParams,
      responses: { 200: ZCampaign },
      handler: async ({ auth, params }, c) => ({
        status: 200,
        body: await changeCampaignStatus(orgCtx(c, auth), params.campaignId, act),
      }),
    }),
  ),
  defineRoute({
    method: 'get',
    path: '/api/v1/campaigns/:campaignId/log',
    summary:
      'The campaign’s send log: each message with its status and the consent entry that allowed it',
    tag: TAG,
    access: { permission: 'campaigns.read' },
    params: ZCampaignParams,
    query: ZCampaignLogQuery,
    responses: { 200: ZCampaignLog },
    handler: async ({ auth, params, query }, c) => ({
      status: 200,
      body: await findCampaignLog(orgCtx(c, auth), params.campaignId, query),
    }),
  }),
];
