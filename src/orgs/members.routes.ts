import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { addMember, changeMemberRole, findMembers, removeMember } from './members.service.ts';
import {
  ZAddMemberBody,
  ZApiToken,
  ZChangeRoleBody,
  ZCreateTokenBody,
  ZMember,
  ZTokenIdParams,
  ZUserIdParams,
} from './orgs.schema.ts';
import { findTokens, issueToken, revokeToken } from './tokens.service.ts';

export const memberRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/members',
    summary: 'Staff of the current organization (a logged read of their names and emails)',
    tag: 'Members',
    access: { permission: 'members.read' },
    responses: { 200: z.object({ items: z.array(ZMember) }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await findMembers(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/members',
    summary: 'Add a person to the organization with a role',
    tag: 'Members',
    access: { permission: 'members.manage' },
    body: ZAddMemberBody,
    responses: { 201: ZMember },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await addMember(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/members/:userId',
    summary: 'Change a member’s role',
    tag: 'Members',
    access: { permission: 'members.manage' },
    params: ZUserIdParams,
    body: ZChangeRoleBody,
    responses: { 200: ZMember },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await changeMemberRole(orgCtx(c, auth), { userId: params.userId, role: body.role }),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/members/:userId',
    summary: 'Remove a member from the organization',
    tag: 'Members',
    access: { permission: 'members.manage' },
    params: ZUserIdParams,
    responses: { 204: null },
    handler: async ({ auth, params }, c) => {
      await removeMember(orgCtx(c, auth), { userId: params.userId });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/tokens',
    summary: 'API tokens of the organization (secrets are never shown again)',
    tag: 'API tokens',
    access: { permission: 'tokens.manage' },
    responses: { 200: z.object({ items: z.array(ZApiToken) }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await findTokens(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Issue an API token for an integration; the secret is returned once',
    tag: 'API tokens',
    access: { permission: 'tokens.manage' },
    body: ZCreateTokenBody,
    responses: { 201: z.object({ token: ZApiToken, secret: z.string() }) },
    handler: async ({ auth, body }, c) => {
      return { status: 201, body: await issueToken(orgCtx(c, auth), body) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/tokens/:id',
    summary: 'Revoke an API token',
    tag: 'API tokens',
    access: { permission: 'tokens.manage' },
    params: ZTokenIdParams,
    responses: { 204: null },
    handler: async ({ auth, params }, c) => {
      await revokeToken(orgCtx(c, auth), { id: params.id });
      return { status: 204 };
    },
  }),
];
