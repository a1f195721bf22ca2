import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { ZFormBody, ZFormSlugParams, ZFormUpdateBody, ZFormView } from './forms.schema.ts';
import { changeForm, createForm, findFormList, getForm } from './forms.service.ts';

const TAG = 'Forms';

export const formRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/forms',
    summary: 'Forms with their hosted URL, embed code and minimization warnings',
    tag: TAG,
    access: { permission: 'forms.read' },
    responses: { 200: z.object({ items: z.array(ZFormView) }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await findFormList(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/forms',
    summary: 'Create a form; a checkbox bound to two documents is refused (R-C2)',
    tag: TAG,
    access: { permission: 'forms.manage' },
    body: ZFormBody,
    responses: { 201: ZFormView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await createForm(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/forms/:slug',
    summary: 'One form',
    tag: TAG,
    access: { permission: 'forms.read' },
    params: ZFormSlugParams,
    responses: { 200: ZFormView },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getForm(orgCtx(c, auth), params.slug),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/forms/:slug',
    summary: 'Change a form (its version goes up; past submissions keep theirs)',
    tag: TAG,
    access: { permission: 'forms.manage' },
    params: ZFormSlugParams,
    body: ZFormUpdateBody,
    responses: { 200: ZFormView },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await changeForm(orgCtx(c, auth), params.slug, body),
    }),
  }),
];
