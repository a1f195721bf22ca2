import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import {
  ZAct,
  ZActIdParams,
  ZActPage,
  ZBasis,
  ZBasisBody,
  ZBasisIdParams,
  ZBasisList,
  ZBasisQuery,
  ZHold,
  ZHoldBody,
  ZHoldIdParams,
  ZHoldPage,
  ZHoldQuery,
  ZListQuery,
  ZPurposeCodeParams,
  ZPurposeRetention,
  ZPurposeRetentionList,
  ZReleaseBody,
  ZRunBody,
  ZRunPage,
  ZRunResult,
  ZTaskPage,
  ZTaskQuery,
  ZTriggersBody,
} from './retention.schema.ts';
import {
  endBasis,
  exportAct,
  findActs,
  findBases,
  findHolds,
  findRetentionSettings,
  findRuns,
  findTasks,
  getAct,
  placeHold,
  recordBasis,
  releaseHold,
  runRetention,
  setPurposeTriggers,
} from './retention.service.ts';

const TAG = 'Retention and destruction';
const READ = { permission: 'retention.read' } as const;
const MANAGE = { permission: 'retention.manage' } as const;

function download(exported: { body: string | Buffer; contentType: string; filename: string }) {
  const isHtml = exported.contentType.startsWith('text/html');
  return new Response(
    typeof exported.body === 'string' ? exported.body : new Uint8Array(exported.body),
    {
      status: 200,
      headers: {
        'content-type': exported.contentType,
        'content-disposition': `${isHtml ? 'inline' : 'attachment'}; filename="${exported.filename}"`,
        'cache-control': 'no-store',
        // The printable page needs its inline styles and nothing else.
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'self'",
      },
    },
  );
}

export const retentionRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/retention/purposes',
    summary:
      'Each purpose with its retention term (from the registry) and "purpose achieved" triggers',
    tag: TAG,
    access: READ,
    responses: { 200: ZPurposeRetentionList },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await findRetentionSettings(orgCtx(c, auth)),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/retention/purposes/:purposeCode/triggers',
    summary: 'Replace a purpose’s "purpose achieved" triggers (lead_lost, no_activity_days)',
    tag: TAG,
    access: MANAGE,
    params: ZPurposeCodeParams,
    body: ZTriggersBody,
    responses: { 200: ZPurposeRetention },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await setPurposeTriggers(orgCtx(c, auth), params.purposeCode, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/retention/holds',
    summary: 'Legal holds, newest first; isActive filters those in force',
    tag: TAG,
    access: READ,
    query: ZHoldQuery,
    responses: { 200: ZHoldPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findHolds(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/retention/holds',
    summary:
      'Place a legal hold on one contact or (contactId null) on the whole organization: nothing held is destroyed',
    tag: TAG,
    access: MANAGE,
    body: ZHoldBody,
    responses: { 201: ZHold },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await placeHold(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/retention/holds/:holdId/release',
    summary: 'Release a legal hold, with a reason (releasing twice keeps the first release)',
    tag: TAG,
    access: MANAGE,
    params: ZHoldIdParams,
    body: ZReleaseBody,
    responses: { 200: ZHold },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await releaseHold(orgCtx(c, auth), params.holdId, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/retention/bases',
    summary:
      'A contact’s bases other than consent (contract, medical care, legal duty) and their terms',
    tag: TAG,
    access: READ,
    query: ZBasisQuery,
    responses: { 200: ZBasisList },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findBases(orgCtx(c, auth), query.contactId),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/retention/bases',
    summary:
      'Record that a contact is processed for a non-consent purpose (a contract, medical care): kept while its term runs',
    tag: TAG,
    access: MANAGE,
    body: ZBasisBody,
    responses: { 201: ZBasis },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await recordBasis(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/retention/bases/:basisId/end',
    summary:
      'End a basis (contract fulfilled, care finished): the purpose is achieved, destruction in 30 days',
    tag: TAG,
    access: MANAGE,
    params: ZBasisIdParams,
    responses: { 200: ZBasis },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await endBasis(orgCtx(c, auth), params.basisId),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/retention/tasks',
    summary: 'Destruction tasks: pending and held first by due date, then decided ones',
    tag: TAG,
    access: READ,
    query: ZTaskQuery,
    responses: { 200: ZTaskPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findTasks(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/retention/runs',
    summary: 'Executed retention runs, newest first',
    tag: TAG,
    access: READ,
    query: ZListQuery,
    responses: { 200: ZRunPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findRuns(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/retention/run',
    summary:
      'Run retention now: mode preview lists who would be destroyed, held or kept and changes nothing; execute destroys and writes the act',
    tag: TAG,
    access: MANAGE,
    body: ZRunBody,
    responses: { 200: ZRunResult },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: await runRetention(orgCtx(c, auth), { isDryRun: body.mode === 'preview' }),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/retention/acts',
    summary: 'Destruction acts, newest first (kept three years)',
    tag: TAG,
    access: READ,
    query: ZListQuery,
    responses: { 200: ZActPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findActs(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/retention/acts/:actId',
    summary:
      'One destruction act with its event-log extract and signature check; names destroyed subjects, so the read is logged',
    tag: TAG,
    access: READ,
    params: ZActIdParams,
    responses: { 200: ZAct },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getAct(orgCtx(c, auth), params.actId),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/retention/acts/:actId/html',
    summary: 'The act and extract as a printable HTML page',
    tag: TAG,
    access: READ,
    params: ZActIdParams,
    responses: { 200: z.string().describe('text/html') },
    handler: async ({ auth, params }, c) =>
      download(await exportAct(orgCtx(c, auth), params.actId, 'html')),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/retention/acts/:actId/pdf',
    summary: 'The act and extract as a PDF document',
    tag: TAG,
    access: READ,
    params: ZActIdParams,
    responses: { 200: z.string().describe('application/pdf') },
    handler: async ({ auth, params }, c) =>
      download(await exportAct(orgCtx(c, auth), params.actId, 'pdf')),
  }),
];
