import { orgCtx } from '../../platform/http/ctx.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  ZRunSiteCheckBody,
  ZSiteCheckPage,
  ZSiteCheckParams,
  ZSiteCheckQuery,
  ZSiteCheckResult,
} from './site-check.schema.ts';
import { findSiteChecks, getSiteCheck, runSiteCheck } from './site-check.service.ts';

const TAG = 'Site check';

export const siteCheckRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/site-checks',
    summary:
      'Check a page of the operator’s site (a URL fetched server-side, private addresses refused; or pasted HTML): consent boxes, policy link, foreign services, cookie notice, clinic key pages, technical SEO; a score and findings with fixes, kept in the history',
    tag: TAG,
    access: { permission: 'site_check.run' },
    body: ZRunSiteCheckBody,
    responses: { 201: ZSiteCheckResult },
    handler: async ({ auth, body }, c) => {
      const limits = c.get('deps').siteCheck ?? {};
      return {
        status: 201,
        body: await runSiteCheck(orgCtx(c, auth), body, limits),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/site-checks',
    summary: 'The organization’s site checks, newest first: score, counts and codes',
    tag: TAG,
    access: { permission: 'site_check.read' },
    query: ZSiteCheckQuery,
    responses: { 200: ZSiteCheckPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findSiteChecks(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/site-checks/:checkId',
    summary: 'One stored site check with its findings and fixes',
    tag: TAG,
    access: { permission: 'site_check.read' },
    params: ZSiteCheckParams,
    responses: { 200: ZSiteCheckResult },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getSiteCheck(orgCtx(c, auth), params.checkId),
    }),
  }),
];
