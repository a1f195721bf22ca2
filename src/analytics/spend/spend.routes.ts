import { orgCtx } from '../../platform/http/ctx.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  SPEND_IMPORT_PATH,
  ZManualSpendBody,
  ZSpendEntry,
  ZSpendEntryPage,
  ZSpendImportBody,
  ZSpendImportPage,
  ZSpendImportQuery,
  ZSpendImportResult,
  ZSpendParams,
  ZSpendQuery,
} from './spend.schema.ts';
import {
  addManualSpend,
  changeManualSpend,
  findSpend,
  findSpendImports,
  importSpend,
  removeSpend,
} from './spend.service.ts';

const TAG = 'Analytics: spend';

export const spendRoutes = [
  defineRoute({
    method: 'post',
    path: SPEND_IMPORT_PATH,
    summary:
      'Import an ad cabinet’s spend export (Yandex Direct, VK Ads, Google Ads told by the header; any other with a column mapping), CSV/TSV or XLSX; dryRun previews with per-row errors and stores nothing',
    tag: TAG,
    access: { permission: 'analytics.spend' },
    body: ZSpendImportBody,
    responses: { 200: ZSpendImportResult, 201: ZSpendImportResult },
    handler: async ({ auth, body }, c) => {
      const result = await importSpend(orgCtx(c, auth), body);
      return { status: result.dryRun ? 200 : 201, body: result };
    },
  }),
  defineRoute({
    method: 'get',
    path: SPEND_IMPORT_PATH,
    summary: 'Spend imports, newest first',
    tag: TAG,
    access: { permission: 'analytics.spend' },
    query: ZSpendImportQuery,
    responses: { 200: ZSpendImportPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findSpendImports(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/analytics/spend',
    summary: 'Spend entries overlapping a period, with their sum',
    tag: TAG,
    access: { permission: 'analytics.spend' },
    query: ZSpendQuery,
    responses: { 200: ZSpendEntryPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findSpend(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/analytics/spend',
    summary: 'Enter spend for a period by hand (TV, outdoor, print, radio …)',
    tag: TAG,
    access: { permission: 'analytics.spend' },
    body: ZManualSpendBody,
    responses: { 201: ZSpendEntry },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await addManualSpend(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/analytics/spend/:spendId',
    summary: 'Change a manual spend entry',
    tag: TAG,
    access: { permission: 'analytics.spend' },
    params: ZSpendParams,
    body: ZManualSpendBody,
    responses: { 200: ZSpendEntry },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await changeManualSpend(orgCtx(c, auth), params.spendId, body),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/analytics/spend/:spendId',
    summary: 'Remove a spend entry (manual or imported)',
    tag: TAG,
    access: { permission: 'analytics.spend' },
    params: ZSpendParams,
    responses: { 204: null },
    handler: async ({ auth, params }, c) => {
      await removeSpend(orgCtx(c, auth), params.spendId);
      return { status: 204 };
    },
  }),
];
