import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import {
  ZBlockBody,
  ZBlockParams,
  ZBlockView,
  ZContactIdParams,
  ZContactPage,
  ZContactQuery,
  ZContactView,
  ZDuplicatePage,
  ZDuplicateQuery,
  ZLiftBody,
  ZMergeBody,
  ZMergeParams,
  ZMergeView,
  ZNoteBody,
  ZNoteParams,
  ZNoteView,
} from './contacts.schema.ts';
import {
  findContacts,
  findDuplicates,
  getContact,
  liftRestriction,
  listBlocks,
  restrictContact,
} from './contacts.service.ts';
import { mergeContacts, mergesOf, unmergeContacts } from './merge.service.ts';
import { addNote, removeNote } from './notes.service.ts';

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
    path: '/api/v1/contacts/duplicates',
    summary:
      'Pairs of contacts that look like one person (same phone, email or full name), by blind index',
    tag: 'Contacts',
    access: { permission: 'contacts.read' },
    query: ZDuplicateQuery,
    responses: { 200: ZDuplicatePage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findDuplicates(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/contacts/merges',
    summary:
      'Merge a duplicate into the contact that stays: every link moves, the journal is kept (undo within 30 days)',
    tag: 'Contacts',
    access: { permission: 'contacts.merge' },
    body: ZMergeBody,
    responses: { 201: ZMergeView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await mergeContacts(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/contacts/merges/:mergeId/undo',
    summary: 'Undo a merge within 30 days: both contacts and all their links come back',
    tag: 'Contacts',
    access: { permission: 'contacts.merge' },
    params: ZMergeParams,
    responses: { 200: ZMergeView },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await unmergeContacts(orgCtx(c, auth), params.mergeId),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/contacts/:id/merges',
    summary: 'Merges the contact took part in, newest first, with whether each can be undone',
    tag: 'Contacts',
    access: { permission: 'contacts.merge' },
    params: ZContactIdParams,
    responses: { 200: z.object({ items: z.array(ZMergeView) }) },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: { items: await mergesOf(orgCtx(c, auth), params.id) },
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
  defineRoute({
    method: 'get',
    path: '/api/v1/contacts/:id/blocks',
    summary: 'Live blocks (R-D1) and stops (R-S6) of a contact',
    tag: 'Contacts',
    access: { permission: 'contacts.read' },
    params: ZContactIdParams,
    responses: { 200: z.object({ items: z.array(ZBlockView) }) },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: { items: await listBlocks(orgCtx(c, auth), params.id) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/contacts/:id/blocks',
    summary: 'Block a contact for a check (R-D1) or stop processing (R-S6), at once',
    tag: 'Contacts',
    access: { permission: 'subjects.restrict' },
    params: ZContactIdParams,
    body: ZBlockBody,
    responses: { 201: ZBlockView },
    handler: async ({ auth, params, body }, c) => ({
      status: 201,
      body: await restrictContact(orgCtx(c, auth), params.id, body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/contacts/:id/blocks/:blockId/lift',
    summary: 'Lift a block or stop, with the reason',
    tag: 'Contacts',
    access: { permission: 'subjects.restrict' },
    params: ZBlockParams,
    body: ZLiftBody,
    responses: { 204: null },
    handler: async ({ auth, params, body }, c) => {
      await liftRestriction(orgCtx(c, auth), {
        contactId: params.id,
        blockId: params.blockId,
        reason: body.reason,
      });
      return { status: 204, body: null };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/contacts/:id/notes',
    summary: "Add a note to a contact (sealed under the person's key; shown on the timeline)",
    tag: 'Contacts',
    access: { permission: 'notes.write' },
    params: ZContactIdParams,
    body: ZNoteBody,
    responses: { 201: ZNoteView },
    handler: async ({ auth, params, body }, c) => ({
      status: 201,
      body: await addNote(orgCtx(c, auth), params.id, body.body),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/contacts/:id/notes/:noteId',
    summary: 'Remove a note (its author, or an owner or admin)',
    tag: 'Contacts',
    access: { permission: 'notes.write' },
    params: ZNoteParams,
    responses: { 204: null },
    handler: async ({ auth, params }, c) => {
      await removeNote(orgCtx(c, auth), { contactId: params.id, noteId: params.noteId });
      return { status: 204, body: null };
    },
  }),
];
