import { orgCtx } from '../../platform/http/ctx.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  ZAcknowledgeBody,
  ZAcknowledgementStatus,
  ZDocumentDetail,
  ZDocumentList,
  ZDocumentVersionList,
  ZGenerateBody,
  ZGenerateResult,
  ZKindParams,
  ZSettings,
  ZSettingsBody,
  ZVersionParams,
} from './documents.schema.ts';
import {
  acknowledgeDocument,
  findDocumentOverview,
  findVersionsOfKind,
  generateDocuments,
  getAcknowledgementStatus,
  getComplianceSettings,
  getDocumentVersion,
  saveComplianceSettings,
} from './documents.service.ts';

const TAG = 'Compliance documents';

export const complianceDocumentRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/documents',
    summary:
      'Every generated document kind: its newest version with hash and public link, the gaps that keep it from being generated, and whether the registry changed since',
    tag: TAG,
    access: { permission: 'documents.read' },
    responses: { 200: ZDocumentList },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await findDocumentOverview(orgCtx(c, auth)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/documents/generate',
    summary:
      'Generate or regenerate documents (all kinds unless listed): a new version only where the content hash changed; kinds with missing inputs are refused with their gaps',
    tag: TAG,
    access: { permission: 'documents.manage' },
    body: ZGenerateBody,
    responses: { 200: ZGenerateResult },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: await generateDocuments(orgCtx(c, auth), body ?? {}),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/documents/:kind/versions',
    summary: 'Every version of a document kind, newest first, each with its hash and permanent URL',
    tag: TAG,
    access: { permission: 'documents.read' },
    params: ZKindParams,
    responses: { 200: ZDocumentVersionList },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await findVersionsOfKind(orgCtx(c, auth), params.kind),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/documents/:kind/versions/:version',
    summary: 'One version: its canonical text (whose SHA-256 is the hash) and section list',
    tag: TAG,
    access: { permission: 'documents.read' },
    params: ZVersionParams,
    responses: { 200: ZDocumentDetail },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getDocumentVersion(orgCtx(c, auth), params.kind, params.version),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/acknowledgements',
    summary:
      'The document staff acknowledge (newest internal regulation, else policy), whether the caller did, and for managers who has and who has not',
    tag: TAG,
    access: 'user',
    responses: { 200: ZAcknowledgementStatus },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await getAcknowledgementStatus(orgCtx(c, auth)),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/acknowledgements/mine',
    summary:
      'Only the caller’s state: the document to acknowledge and whether they did (no staff list read)',
    tag: TAG,
    access: 'user',
    responses: { 200: ZAcknowledgementStatus },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await getAcknowledgementStatus(orgCtx(c, auth), { isOwnOnly: true }),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/acknowledgements',
    summary: 'Acknowledge the current version (who, when and its hash are recorded)',
    tag: TAG,
    access: 'user',
    body: ZAcknowledgeBody,
    responses: { 200: ZAcknowledgementStatus },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: await acknowledgeDocument(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/settings',
    summary: 'Compliance settings: whether staff must acknowledge before reading personal data',
    tag: TAG,
    access: { permission: 'documents.read' },
    responses: { 200: ZSettings },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await getComplianceSettings(orgCtx(c, auth)),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/compliance/settings',
    summary:
      'Require acknowledgement before access to personal data (off by default); needs a generated regulation or policy',
    tag: TAG,
    access: { permission: 'documents.manage' },
    body: ZSettingsBody,
    responses: { 200: ZSettings },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: await saveComplianceSettings(orgCtx(c, auth), body),
    }),
  }),
];
