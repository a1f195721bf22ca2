import { orgCtx } from '../../platform/http/ctx.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { ZRunSiteCheckBody, ZSiteCheckResult } from './site-check.schema.ts';
import { runSiteCheck } from './site-check.service.ts';

const TAG = 'Site check';

export const siteCheckRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/site-checks',
    summary:
      'Check a page of the operator’s site (a URL fetched server-side, private addresses refused; or pasted HTML): consent boxes, policy link, foreign services, cookie notice, clinic key pages, technical SEO; a score and findings with fixes',
    tag: TAG,
    access: { permission: 'site_check.run' },
    body: ZRunSiteCheckBody,
    responses: { 200: ZSiteCheckResult },
    handler: async ({ auth, body }, c) => {
      const limits = c.get('deps').siteCheck ?? {};
      return {
        status: 200,
        body: await runSiteCheck(orgCtx(c, auth), body, limits),
      };
    },
  }),
];
