import { z } from 'zod';
import { orgCtx } from '../../platform/http/ctx.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { renderNoticePage } from './rkn-notice.page.ts';
import { renderNoticePdf } from './rkn-notice.pdf.ts';
import {
  ZFileNoticeBody,
  ZNoticeExportQuery,
  ZNoticeFilingList,
  ZNoticeSettings,
  ZNoticeSettingsBody,
  ZNoticeView,
} from './rkn-notice.schema.ts';
import {
  fileNotice,
  getNotice,
  getNoticeSettings,
  listNoticeFilings,
  saveNoticeSettings,
} from './rkn-notice.service.ts';

const TAG = 'Roskomnadzor notice';
const READ = { permission: 'rkn_notice.read' } as const;
const MANAGE = { permission: 'rkn_notice.manage' } as const;

export const rknNoticeRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/rkn-notice',
    summary:
      'The Roskomnadzor notice (152-FZ Art. 22 p.3) filled from the registry, profile and services: fields, gaps, fingerprint, whether it changed since filed, open tasks',
    tag: TAG,
    access: READ,
    responses: { 200: ZNoticeView },
    handler: async ({ auth }, c) => ({ status: 200, body: await getNotice(orgCtx(c, auth)) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/rkn-notice/export.json',
    summary: 'The notice as a JSON attachment',
    tag: TAG,
    access: READ,
    responses: { 200: ZNoticeView },
    handler: async ({ auth }, c) => {
      const notice = await getNotice(orgCtx(c, auth));
      return new Response(JSON.stringify(notice, null, 2), {
        status: 200,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="rkn-notice-${notice.generatedAt.slice(0, 10)}.json"`,
          'cache-control': 'no-store',
        },
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/rkn-notice/export.html',
    summary:
      'The notice as a printable HTML page in Russian; download=1 answers it as an attachment',
    tag: TAG,
    access: READ,
    query: ZNoticeExportQuery,
    responses: { 200: z.string().describe('text/html') },
    handler: async ({ auth, query }, c) => {
      const notice = await getNotice(orgCtx(c, auth));
      const isDownload = query.download === '1' || query.download === 'true';
      return new Response(renderNoticePage(notice), {
        status: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-disposition': `${isDownload ? 'attachment' : 'inline'}; filename="rkn-notice-${notice.generatedAt.slice(0, 10)}.html"`,
          'cache-control': 'no-store',
          'content-security-policy':
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'self'",
        },
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/rkn-notice/export.pdf',
    summary: 'The notice as a PDF (A4, Cyrillic in the embedded Roboto font)',
    tag: TAG,
    access: READ,
    responses: { 200: z.string().describe('application/pdf') },
    handler: async ({ auth }, c) => {
      const notice = await getNotice(orgCtx(c, auth));
      const pdf = await renderNoticePdf(notice);
      return new Response(new Uint8Array(pdf), {
        status: 200,
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `attachment; filename="rkn-notice-${notice.generatedAt.slice(0, 10)}.pdf"`,
          'cache-control': 'no-store',
        },
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/rkn-notice/settings',
    summary:
      'What the notice needs beyond the registry: database locations, start date, end condition, protection level, extra measures',
    tag: TAG,
    access: READ,
    responses: { 200: ZNoticeSettings },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await getNoticeSettings(orgCtx(c, auth)),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/compliance/rkn-notice/settings',
    summary:
      'Save the notice settings; a change to the notice fields opens "update the RKN notice" due in 10 working days',
    tag: TAG,
    access: MANAGE,
    body: ZNoticeSettingsBody,
    responses: { 200: ZNoticeView },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: await saveNoticeSettings(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/rkn-notice/filings',
    summary: 'Every filing of the notice, newest first, with the fingerprint of the fields filed',
    tag: TAG,
    access: READ,
    responses: { 200: ZNoticeFilingList },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await listNoticeFilings(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/rkn-notice/filings',
    summary:
      'Mark the notice as filed (date, reference): stores the filed fingerprint and closes the open update task',
    tag: TAG,
    access: MANAGE,
    body: ZFileNoticeBody,
    responses: { 201: ZNoticeView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await fileNotice(orgCtx(c, auth), body),
    }),
  }),
];
