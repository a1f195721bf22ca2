import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import {
  ZDocument,
  ZProfile,
  ZProfileBody,
  ZPurpose,
  ZPurposeBody,
  ZPurposeCodeParams,
  ZPurposeUpdateBody,
  ZPurposeVersion,
} from './purposes.schema.ts';
import {
  createPurpose,
  findPurposeList,
  getProfile,
  getPurpose,
  getPurposeHistory,
  revisePurpose,
  saveProfile,
} from './purposes.service.ts';

const TAG = 'Purposes and documents';

export const purposeRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/operator-profile',
    summary: 'The operator of personal data: what consent texts and the policy name',
    tag: TAG,
    access: { permission: 'purposes.read' },
    responses: { 200: z.object({ profile: ZProfile.nullable() }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { profile: await getProfile(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/operator-profile',
    summary: 'Save the operator profile (existing consent documents keep their text)',
    tag: TAG,
    access: { permission: 'profile.manage' },
    body: ZProfileBody,
    responses: { 200: z.object({ profile: ZProfile }) },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: { profile: await saveProfile(orgCtx(c, auth), body) },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/purposes',
    summary: 'The purpose registry with each purpose’s current version and consent document',
    tag: TAG,
    access: { permission: 'purposes.read' },
    responses: { 200: z.object({ items: z.array(ZPurpose) }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await findPurposeList(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/purposes',
    summary: 'Register a purpose; a consent-based one gets its consent document',
    tag: TAG,
    access: { permission: 'purposes.manage' },
    body: ZPurposeBody,
    responses: { 201: ZPurpose },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await createPurpose(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/purposes/:code',
    summary: 'One purpose with its current version and document',
    tag: TAG,
    access: { permission: 'purposes.read' },
    params: ZPurposeCodeParams,
    responses: { 200: ZPurpose },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getPurpose(orgCtx(c, auth), params.code),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/purposes/:code',
    summary: 'Revise a purpose: a new version and a new consent document; old ones stay',
    tag: TAG,
    access: { permission: 'purposes.manage' },
    params: ZPurposeCodeParams,
    body: ZPurposeUpdateBody,
    responses: { 200: ZPurpose },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await revisePurpose(orgCtx(c, auth), params.code, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/purposes/:code/history',
    summary: 'Every version of a purpose and every consent document it had',
    tag: TAG,
    access: { permission: 'purposes.read' },
    params: ZPurposeCodeParams,
    responses: {
      200: z.object({
        code: z.string(),
        kind: z.string(),
        versions: z.array(ZPurposeVersion),
        documents: z.array(ZDocument),
      }),
    },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getPurposeHistory(orgCtx(c, auth), params.code),
    }),
  }),
];
