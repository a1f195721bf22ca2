import { z } from 'zod';
import { orgCtx } from '../../platform/http/ctx.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  ZCatalogueBody,
  ZCatalogueEntry,
  ZCrossBorderNoticeBody,
  ZForeignRecipient,
  ZForeignRecipientList,
  ZPartnerParams,
  ZServiceBody,
  ZServiceList,
  ZServiceParams,
  ZServiceUpdateBody,
  ZServiceView,
} from './services.schema.ts';
import {
  addServiceFromCatalogue,
  archiveService,
  createService,
  getService,
  listCatalogue,
  listForeignRecipients,
  listServices,
  recordPartnerCrossBorderNotice,
  recordServiceCrossBorderNotice,
  updateService,
} from './services.service.ts';

const TAG = 'Services register';
const READ = { permission: 'services.read' } as const;
const MANAGE = { permission: 'services.manage' } as const;

export const serviceRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/services',
    summary:
      'The services register: every external service data passes through, with its server country, role, cross-border state, forms using it and warnings',
    tag: TAG,
    access: READ,
    query: z.strictObject({ includeArchived: z.enum(['true', 'false']).optional() }),
    responses: { 200: ZServiceList },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: {
        items: await listServices(orgCtx(c, auth), {
          includeArchived: query.includeArchived === 'true',
        }),
      },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/services/catalogue',
    summary:
      'The built-in catalogue (SBIS, Yandex 360, Tilda, amoCRM, 1C:CRM, Bitrix24, JivoSite; Google Sheets, Trello, Notion, Facebook, Instagram, WhatsApp, Telegram)',
    tag: TAG,
    access: READ,
    responses: { 200: z.object({ items: z.array(ZCatalogueEntry) }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await listCatalogue(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/services/catalogue',
    summary: 'Add a catalogue entry to the register with one click',
    tag: TAG,
    access: MANAGE,
    body: ZCatalogueBody,
    responses: { 201: ZServiceView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await addServiceFromCatalogue(orgCtx(c, auth), body.code),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/services',
    summary: 'Add a service to the register',
    tag: TAG,
    access: MANAGE,
    body: ZServiceBody,
    responses: { 201: ZServiceView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await createService(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/services/:serviceId',
    summary: 'One service of the register',
    tag: TAG,
    access: READ,
    params: ZServiceParams,
    responses: { 200: ZServiceView },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getService(orgCtx(c, auth), params.serviceId),
    }),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/compliance/services/:serviceId',
    summary:
      'Change a service; a foreign country is refused (foreign_primary_destination) while a form uses it as its first destination (R-L1)',
    tag: TAG,
    access: MANAGE,
    params: ZServiceParams,
    body: ZServiceUpdateBody,
    responses: { 200: ZServiceView },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await updateService(orgCtx(c, auth), params.serviceId, body),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/compliance/services/:serviceId',
    summary: 'Archive a service; refused (service_in_use) while a form forwards to it',
    tag: TAG,
    access: MANAGE,
    params: ZServiceParams,
    responses: { 200: ZServiceView },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await archiveService(orgCtx(c, auth), params.serviceId),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/services/:serviceId/cross-border-notice',
    summary:
      'Record the cross-border transfer notice (152-FZ Art. 12) for a foreign service: its facts and the day it was sent',
    tag: TAG,
    access: MANAGE,
    params: ZServiceParams,
    body: ZCrossBorderNoticeBody,
    responses: { 201: ZServiceView },
    handler: async ({ auth, params, body }, c) => ({
      status: 201,
      body: await recordServiceCrossBorderNotice(orgCtx(c, auth), params.serviceId, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/compliance/cross-border',
    summary:
      'Foreign recipients (services and partners outside Russia) with adequacy, notice date and the first day transfers are allowed',
    tag: TAG,
    access: READ,
    responses: { 200: ZForeignRecipientList },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await listForeignRecipients(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/compliance/cross-border/partners/:partnerId/notice',
    summary:
      'Record the cross-border transfer notice for a foreign partner; transfers to it are refused until then, and for a non-adequate country for 10 working days after',
    tag: TAG,
    access: MANAGE,
    params: ZPartnerParams,
    body: ZCrossBorderNoticeBody,
    responses: { 201: ZForeignRecipient },
    handler: async ({ auth, params, body }, c) => ({
      status: 201,
      body: await recordPartnerCrossBorderNotice(orgCtx(c, auth), params.partnerId, body),
    }),
  }),
];
