import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { ZContactIdParams, ZContactPage, ZContactQuery, ZContactView } from './contacts.schema.ts';
import { findContacts, getContact } from './contacts.service.ts';

export const contactRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/contacts',
    summary: 'Contacts, newest first; q finds a phone or email exactly (every read is logged)',
    tag: 'Contacts',
    access: { permission: 'contacts.read' },
    query: ZContactQuery,
    responses: { 200: ZContactPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findContacts(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/contacts/:id',
    summary: 'A contact card, decrypted (the opening is logged)',
    tag: 'Contacts',
    access: { permission: 'contacts.read' },
    params: ZContactIdParams,
    responses: { 200: ZContactView },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getContact(orgCtx(c, auth), params.id),
    }),
  }),
];
