import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { ZLeadPage, ZLeadQuery } from './leads.schema.ts';
import { findLeads } from './leads.service.ts';

export const leadRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/leads',
    summary: 'Leads newest first with their source; contacts shown only to roles that may see them',
    tag: 'Leads',
    access: { permission: 'leads.read' },
    query: ZLeadQuery,
    responses: { 200: ZLeadPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findLeads(orgCtx(c, auth), query),
    }),
  }),
];
