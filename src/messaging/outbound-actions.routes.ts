import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import {
  ZCallListBody,
  ZCallListEntriesPage,
  ZCallListPage,
  ZCallListView,
  ZExportBody,
  ZExportPage,
  ZExportView,
  ZIdParams,
  ZOutboundPageQuery,
  ZPartnerBody,
  ZPartnerView,
  ZTransferBody,
  ZTransferPage,
  ZTransferQuery,
  ZTransferView,
} from './outbound-actions.schema.ts';
import {
  createCallList,
  createExport,
  exportCsv,
  findCallLists,
  findExports,
  getCallList,
  getExport,
} from './outbound-actions.service.ts';
import {
  archivePartner,
  createPartner,
  findTransfers,
  listPartners,
  transferContact,
} from './transfers.service.ts';

const TAG = 'Outbound actions';

export const outboundActionRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/call-lists',
    summary:
      'Build a call list for a purpose: each person checked for a call, refused ones kept with the reason',
    tag: TAG,
    access: { permission: 'call_lists.manage' },
    body: ZCallListBody,
    responses: { 201: ZCallListView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await createCallList(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/call-lists',
    summary: 'Call lists, newest first, with counts of allowed and refused entries',
    tag: TAG,
    access: { permission: 'call_lists.manage' },
    query: ZOutboundPageQuery,
    responses: { 200: ZCallListPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findCallLists(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/call-lists/:id',
    summary:
      'A page of a call list: names, phones of allowed entries only, the reason of refused ones (the reading is logged)',
    tag: TAG,
    access: { permission: 'call_lists.manage' },
    params: ZIdParams,
    query: ZOutboundPageQuery,
    responses: { 200: ZCallListEntriesPage },
    handler: async ({ auth, params, query }, c) => ({
      status: 200,
      body: await getCallList(orgCtx(c, auth), params.id, query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/contact-exports',
    summary:
      'Record an export of contacts for a purpose: each person checked, blocked ones skipped, the excluded counted per reason',
    tag: TAG,
    access: { permission: 'contacts.export' },
    body: ZExportBody,
    responses: { 201: ZExportView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await createExport(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/contact-exports',
    summary: 'Exports of contacts, newest first: who, when, purpose and counts',
    tag: TAG,
    access: { permission: 'contacts.export' },
    query: ZOutboundPageQuery,
    responses: { 200: ZExportPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findExports(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/contact-exports/:id',
    summary: 'One export with its exclusion breakdown',
    tag: TAG,
    access: { permission: 'contacts.export' },
    params: ZIdParams,
    responses: { 200: ZExportView },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getExport(orgCtx(c, auth), params.id),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/contact-exports/:id/csv',
    summary:
      'The export as CSV (UTF-8 with BOM, semicolons), streamed; counts in X-Export-* headers; one access-log row per person',
    tag: TAG,
    access: { permission: 'contacts.export' },
    params: ZIdParams,
    responses: { 200: z.string().describe('text/csv') },
    handler: async ({ auth, params }, c) => {
      const { record, body } = await exportCsv(orgCtx(c, auth), params.id);
      const excluded = Object.entries(record.excluded)
        .map(([reason, count]) => `${reason}=${count}`)
        .join(', ');
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="contacts-${record.purposeCode}-${record.id.slice(0, 8)}.csv"`,
          'cache-control': 'no-store',
          'x-export-total': String(record.total),
          'x-export-exported': String(record.exported),
          'x-export-excluded': excluded,
        },
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/partners',
    summary: 'Third parties data may be transferred to (secrets never shown)',
    tag: TAG,
    access: { permission: 'transfers.read' },
    responses: { 200: z.object({ items: z.array(ZPartnerView) }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await listPartners(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/partners',
    summary: 'Add a partner: name as in the purpose, webhook URL, signing secret, country',
    tag: TAG,
    access: { permission: 'partners.manage' },
    body: ZPartnerBody,
    responses: { 201: ZPartnerView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await createPartner(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/partners/:id/archive',
    summary: 'Archive a partner: no further transfers to it; its log stays',
    tag: TAG,
    access: { permission: 'partners.manage' },
    params: ZIdParams,
    responses: { 204: null },
    handler: async ({ auth, params }, c) => {
      await archivePartner(orgCtx(c, auth), params.id);
      return { status: 204, body: null };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/transfers',
    summary:
      "Transfer a contact's data to a partner by a signed webhook, if the outbound check allows; logged either way",
    tag: TAG,
    access: { permission: 'transfers.send' },
    body: ZTransferBody,
    responses: { 201: ZTransferView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await transferContact(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/transfers',
    summary: 'The transfers log: partner, purpose, the check’s answer and the HTTP status',
    tag: TAG,
    access: { permission: 'transfers.read' },
    query: ZTransferQuery,
    responses: { 200: ZTransferPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findTransfers(orgCtx(c, auth), query),
    }),
  }),
];
