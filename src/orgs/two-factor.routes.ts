import { defineRoute } from '../platform/http/route.ts';
import { signedIn } from './auth.routes.ts';
import {
  ZRecoveryCodes,
  ZTwoFactorCodeBody,
  ZTwoFactorDisableBody,
  ZTwoFactorSetup,
  ZTwoFactorSetupBody,
  ZTwoFactorStatus,
} from './orgs.schema.ts';
import {
  confirmTwoFactor,
  renewRecoveryCodes,
  startTwoFactorSetup,
  turnOffTwoFactor,
  twoFactorStatus,
} from './two-factor.service.ts';

const TAG = 'Accounts';

export const twoFactorRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/me/two-factor',
    summary: 'Whether sign-in asks for a code, and how many recovery codes are left',
    tag: TAG,
    access: 'user',
    responses: { 200: ZTwoFactorStatus },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await twoFactorStatus(c.get('deps'), signedIn(auth)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/me/two-factor/setup',
    summary:
      'Start turning on two-factor sign-in: a new secret and its QR code (needs the password)',
    tag: TAG,
    access: 'user',
    body: ZTwoFactorSetupBody,
    responses: { 200: ZTwoFactorSetup },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: await startTwoFactorSetup(c.get('deps'), signedIn(auth), body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/me/two-factor/confirm',
    summary: 'Confirm the new secret with a code; returns ten recovery codes, shown once',
    tag: TAG,
    access: 'user',
    body: ZTwoFactorCodeBody,
    responses: { 200: ZRecoveryCodes },
    handler: async ({ auth, body }, c) => {
      const deps = c.get('deps');
      return {
        status: 200,
        body: await confirmTwoFactor(deps, signedIn(auth), {
          code: body.code,
          now: deps.now(),
          requestId: c.get('requestId'),
        }),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/me/two-factor/recovery-codes',
    summary: 'Replace the recovery codes (needs a current code)',
    tag: TAG,
    access: 'user',
    body: ZTwoFactorCodeBody,
    responses: { 200: ZRecoveryCodes },
    handler: async ({ auth, body }, c) => {
      const deps = c.get('deps');
      return {
        status: 200,
        body: await renewRecoveryCodes(deps, signedIn(auth), {
          code: body.code,
          now: deps.now(),
          requestId: c.get('requestId'),
        }),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/me/two-factor/disable',
    summary: 'Turn two-factor sign-in off (needs the password and a code)',
    tag: TAG,
    access: 'user',
    body: ZTwoFactorDisableBody,
    responses: { 204: null },
    handler: async ({ auth, body }, c) => {
      const deps = c.get('deps');
      await turnOffTwoFactor(deps, signedIn(auth), {
        ...body,
        now: deps.now(),
        requestId: c.get('requestId'),
      });
      return { status: 204 };
    },
  }),
];
