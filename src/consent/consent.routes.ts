import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import {
  ZContactConsentParams,
  ZEntryIdParams,
  ZExportQuery,
  ZJournalPage,
  ZJournalQuery,
  ZProof,
  ZRecordedConsent,
  ZStaffConsentBody,
  ZVerification,
  ZWithdrawBody,
  ZWithdrawParams,
} from './consent.schema.ts';
import { recordStaffConsent, withdrawConsent } from './consent.service.ts';
import { exportJournal, findJournal, getProof, verifyJournal } from './journal.service.ts';

const TAG = 'Consent journal';

export const consentRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/consent/journal',
    summary:
      'The consent journal, newest first; evidence (IP, user agent, recording, scan) is decrypted only for roles that record consent, and each read is logged',
    tag: TAG,
    access: { permission: 'consent.read' },
    query: ZJournalQuery,
    responses: { 200: ZJournalPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findJournal(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/consent/journal/verify',
    summary:
      'Chain pending entries, then recompute every content hash, link and checkpoint signature; names the first broken position',
    tag: TAG,
    access: { permission: 'consent.read' },
    responses: { 200: ZVerification },
    handler: async ({ auth }, c) => ({ status: 200, body: await verifyJournal(orgCtx(c, auth)) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/consent/journal/export',
    summary:
      'The journal for an inspection: CSV (UTF-8 with BOM, semicolons) or a printable HTML page with checkpoints, public key and verification result',
    tag: TAG,
    access: { permission: 'consent.read' },
    query: ZExportQuery,
    responses: { 200: z.string().describe('text/csv or text/html') },
    handler: async ({ auth, query }, c) => {
      const exported = await exportJournal(orgCtx(c, auth), query);
      return new Response(exported.body, {
        status: 200,
        headers: {
          'content-type': exported.contentType,
          'content-disposition': `${query.format === 'html' ? 'inline' : 'attachment'}; filename="${exported.filename}"`,
          'cache-control': 'no-store',
        },
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/consent/journal/:entryId/proof',
    summary:
      'Proof of one consent: the exact document text, its hash, the chain link, the links to the nearest signed checkpoint and the public key',
    tag: TAG,
    access: { permission: 'consent.read' },
    params: ZEntryIdParams,
    responses: { 200: ZProof },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getProof(orgCtx(c, auth), params.entryId),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/contacts/:contactId/consents',
    summary:
      'Record a consent taken by phone (recording and script version) or on paper (signed scan)',
    tag: TAG,
    access: { permission: 'consent.record' },
    params: ZContactConsentParams,
    body: ZStaffConsentBody,
    responses: { 201: ZRecordedConsent },
    handler: async ({ auth, params, body }, c) => ({
      status: 201,
      body: await recordStaffConsent(orgCtx(c, auth), params.contactId, body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/contacts/:contactId/consents/:purposeCode/withdraw',
    summary: 'Record a withdrawal of consent taken by staff (a repeated one returns the first)',
    tag: TAG,
    access: { permission: 'consent.record' },
    params: ZWithdrawParams,
    body: ZWithdrawBody,
    responses: { 200: ZRecordedConsent, 201: ZRecordedConsent },
    handler: async ({ auth, params, body }, c) => {
      const result = await withdrawConsent(orgCtx(c, auth), { ...params, body });
      return { status: result.isNew ? 201 : 200, body: result };
    },
  }),
];
