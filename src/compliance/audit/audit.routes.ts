import { z } from 'zod';
import { orgCtx } from '../../platform/http/ctx.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  ZChecklist,
  ZCloseBody,
  ZEvidenceBody,
  ZEvidenceParams,
  ZItemParams,
  ZYearParams,
} from './audit.schema.ts';
import {
  attachEvidence,
  closeAuditItem,
  completeAudit,
  exportAuditReport,
  getChecklist,
  getEvidenceFile,
  openChecklist,
  reopenAuditItem,
  runChecks,
} from './audit.service.ts';

const TAG = 'Annual audit';
const READ = { permission: 'audit.read' } as const;
const MANAGE = { permission: 'audit.manage' } as const;

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
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'self'",
      },
    },
  );
}

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/audit/:year',
    summary:
      'The year’s audit checklist: every item with its automatic check result, evidence and state, and the progress',
    tag: TAG,
    access: READ,
    params: ZYearParams,
    responses: { 200: ZChecklist },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getChecklist(orgCtx(c, auth), params.year),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/audit/:year',
    summary: 'Open the year’s checklist (idempotent)',
    tag: TAG,
    access: MANAGE,
    params: ZYearParams,
    responses: { 200: ZChecklist },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await openChecklist(orgCtx(c, auth), params.year),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/audit/:year/checks',
    summary:
      'Run every automatic check now; each result is stored with its time and kept as evidence',
    tag: TAG,
    access: MANAGE,
    params: ZYearParams,
    responses: { 200: ZChecklist },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await runChecks(orgCtx(c, auth), params.year),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/audit/:year/items/:code/evidence',
    summary:
      'Attach evidence to an item: a file (base64, at most 180 KiB, stored with its SHA-256) or a generated document version',
    tag: TAG,
    access: MANAGE,
    params: ZItemParams,
    body: ZEvidenceBody,
    responses: { 200: ZChecklist },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await attachEvidence(orgCtx(c, auth), { year: params.year, code: params.code, body }),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/audit/:year/items/:code/close',
    summary:
      'Close an item: refused (422 audit_evidence_missing) without an attached artefact or a passing automatic check',
    tag: TAG,
    access: MANAGE,
    params: ZItemParams,
    body: ZCloseBody,
    responses: { 200: ZChecklist },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await closeAuditItem(orgCtx(c, auth), {
        year: params.year,
        code: params.code,
        note: body?.note,
      }),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/audit/:year/items/:code/reopen',
    summary: 'Reopen a closed item of an audit not yet completed',
    tag: TAG,
    access: MANAGE,
    params: ZItemParams,
    responses: { 200: ZChecklist },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await reopenAuditItem(orgCtx(c, auth), params),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/audit/:year/complete',
    summary:
      'Complete the year’s audit once every item is closed; the yearly reminder counts from here',
    tag: TAG,
    access: MANAGE,
    params: ZYearParams,
    responses: { 200: ZChecklist },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await completeAudit(orgCtx(c, auth), params.year),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/audit/:year/evidence/:evidenceId',
    summary: 'Download an uploaded evidence file as stored',
    tag: TAG,
    access: READ,
    params: ZEvidenceParams,
    responses: { 200: z.string().describe('the file') },
    handler: async ({ auth, params }, c) => {
      const file = await getEvidenceFile(orgCtx(c, auth), params.year, params.evidenceId);
      return new Response(new Uint8Array(file.content), {
        status: 200,
        headers: {
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="${encodeURIComponent(file.fileName)}"`,
          'x-content-sha256': file.sha256,
          'cache-control': 'no-store',
        },
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/audit/:year/report/html',
    summary: 'The audit report with its evidence list as a printable HTML page',
    tag: TAG,
    access: READ,
    params: ZYearParams,
    responses: { 200: z.string().describe('text/html') },
    handler: async ({ auth, params }, c) =>
      download(await exportAuditReport(orgCtx(c, auth), params.year, 'html')),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/audit/:year/report/pdf',
    summary: 'The audit report with its evidence list as a PDF',
    tag: TAG,
    access: READ,
    params: ZYearParams,
    responses: { 200: z.string().describe('application/pdf') },
    handler: async ({ auth, params }, c) =>
      download(await exportAuditReport(orgCtx(c, auth), params.year, 'pdf')),
  }),
];
