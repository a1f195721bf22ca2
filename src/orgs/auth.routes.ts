import type { Authenticated } from '../platform/http/app-env.ts';
import { clearSessionCookies, clientIp, setSessionCookies } from '../platform/http/cookies.ts';
import { defineRoute } from '../platform/http/route.ts';
import {
  changePassword,
  completeTwoFactorLogin,
  login,
  logout,
  meOf,
  needsSetup,
  setupFirstOwner,
  switchOrg,
  updateProfile,
} from './auth.service.ts';
import {
  ZChangePasswordBody,
  ZLoginBody,
  ZLoginChallenge,
  ZMe,
  ZSetupBody,
  ZSetupState,
  ZSwitchOrgBody,
  ZTwoFactorLoginBody,
  ZUpdateMeBody,
} from './orgs.schema.ts';

const TAG = 'Accounts';

export function signedIn(auth: Authenticated | null): Authenticated {
  // The route's access rule guarantees it; this narrows the type.
  if (!auth) throw new Error('Route declared user access but has no identity');
  return auth;
}

export const authRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/setup',
    summary: 'Whether the first-run setup is still open',
    tag: TAG,
    access: 'public',
    responses: { 200: ZSetupState },
    handler: async (_input, c) => ({
      status: 200,
      body: { needsSetup: await needsSetup(c.get('deps')) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/setup',
    summary: 'Create the first organization and its owner (only while no account exists)',
    tag: TAG,
    access: 'public',
    body: ZSetupBody,
    responses: { 201: ZMe },
    handler: async ({ body }, c) => {
      const deps = c.get('deps');
      const result = await setupFirstOwner(deps, {
        ...body,
        now: deps.now(),
        requestId: c.get('requestId'),
      });
      setSessionCookies(c, result);
      return { status: 201, body: result.me };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/login',
    summary:
      'Sign in with email and password; sets the session cookie, or answers 202 with a challenge when the account has a second factor',
    tag: TAG,
    access: 'public',
    body: ZLoginBody,
    responses: { 200: ZMe, 202: ZLoginChallenge },
    handler: async ({ body }, c) => {
      const deps = c.get('deps');
      const result = await login(deps, {
        email: body.email,
        password: body.password,
        ip: clientIp(c),
        now: deps.now(),
        requestId: c.get('requestId'),
      });
      if ('twoFactor' in result) {
        return {
          status: 202,
          body: {
            twoFactor: 'required' as const,
            challenge: result.twoFactor.challenge,
            expiresAt: result.twoFactor.expiresAt.toISOString(),
          },
        };
      }
      setSessionCookies(c, result);
      return { status: 200, body: result.me };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/login/two-factor',
    summary:
      'Second step of a sign-in: a code from the authenticator app or a recovery code; sets the session cookie',
    tag: TAG,
    access: 'public',
    body: ZTwoFactorLoginBody,
    responses: { 200: ZMe },
    handler: async ({ body }, c) => {
      const deps = c.get('deps');
      const result = await completeTwoFactorLogin(deps, {
        challenge: body.challenge,
        code: body.code,
        ip: clientIp(c),
        now: deps.now(),
        requestId: c.get('requestId'),
      });
      setSessionCookies(c, result);
      return { status: 200, body: result.me };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'End the session',
    tag: TAG,
    access: 'user',
    responses: { 204: null },
    handler: async ({ auth }, c) => {
      const deps = c.get('deps');
      await logout(deps, signedIn(auth), deps.now(), c.get('requestId'));
      clearSessionCookies(c);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/me',
    summary: 'The signed-in user, their organizations, role and permissions',
    tag: TAG,
    access: 'user',
    responses: { 200: ZMe },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await meOf(c.get('deps'), signedIn(auth)),
    }),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/me',
    summary: 'Change own name or interface language',
    tag: TAG,
    access: 'user',
    body: ZUpdateMeBody,
    responses: { 200: ZMe },
    handler: async ({ auth, body }, c) => {
      const deps = c.get('deps');
      return {
        status: 200,
        body: await updateProfile(deps, signedIn(auth), {
          ...body,
          now: deps.now(),
          requestId: c.get('requestId'),
        }),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/switch-org',
    summary: 'Make another of the user’s organizations the current one',
    tag: TAG,
    access: 'user',
    body: ZSwitchOrgBody,
    responses: { 200: ZMe },
    handler: async ({ auth, body }, c) => {
      const deps = c.get('deps');
      return {
        status: 200,
        body: await switchOrg(deps, signedIn(auth), {
          orgId: body.orgId,
          now: deps.now(),
          requestId: c.get('requestId'),
        }),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/password',
    summary: 'Change own password; other sessions end',
    tag: TAG,
    access: 'user',
    body: ZChangePasswordBody,
    responses: { 204: null },
    handler: async ({ auth, body }, c) => {
      const deps = c.get('deps');
      await changePassword(deps, signedIn(auth), {
        ...body,
        now: deps.now(),
        requestId: c.get('requestId'),
      });
      return { status: 204 };
    },
  }),
];
