import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { ZTimelinePage, ZTimelineQuery } from './timeline.schema.ts';
import { contactTimeline } from './timeline.service.ts';

export const timelineRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/contacts/:id/timeline',
    summary:
      'The contact timeline, newest first: submissions, consents, leads and stage changes, messages, notes, tasks and what other domains add (the opening is logged)',
    tag: 'Contacts',
    access: { permission: 'contacts.read' },
    params: z.strictObject({ id: z.uuid() }),
    query: ZTimelineQuery,
    responses: { 200: ZTimelinePage },
    handler: async ({ auth, params, query }, c) => ({
      status: 200,
      body: await contactTimeline(orgCtx(c, auth), params.id, query),
    }),
  }),
];
