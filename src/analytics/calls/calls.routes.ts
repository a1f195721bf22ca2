import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { AppEnv } from '../../platform/http/app-env.ts';
import { clientIp } from '../../platform/http/cookies.ts';
import { orgCtx } from '../../platform/http/ctx.ts';
import { pageOf } from '../../platform/http/params.ts';
import { rateLimit, SlidingWindowLimiter } from '../../platform/http/rate-limit.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { callSnippet } from './call-snippet-bundle.ts';
import {
  ZCallConsentBody,
  ZCallQuery,
  ZCallReport,
  ZCallReportQuery,
  ZCallTrackingSettings,
  ZCallView,
  ZIntegrationBody,
  ZIntegrationView,
  ZLeaseAnswer,
  ZLeaseBody,
  ZNumberBody,
  ZNumberView,
  ZPoolBody,
  ZPoolView,
  ZQualityBody,
  ZRecordingView,
  ZSettingsBody,
  ZWebhookAnswer,
} from './calls.schema.ts';
import {
  callReport,
  findCalls,
  getCall,
  openCallRecording,
  receiveCallWebhook,
  recordConsentFromCall,
  reviewCall,
} from './calls.service.ts';
import { leaseNumber } from './leases.service.ts';
import {
  CALL_SNIPPET_PATH,
  findIntegrationViews,
  findNumberViews,
  findPoolViews,
  getCallTrackingSettings,
  saveCallTrackingSettings,
  saveIntegration,
  saveNumber,
  savePool,
} from './numbers.service.ts';
import {
  genericEvents,
  mangoEvents,
  verifyGenericSignature,
  ZGenericCallBody,
  zadarmaEvents,
} from './telephony-adapters.ts';

const TAG = 'Call tracking';

/** A provider batch is small; anything bigger is refused before it is read. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;
export const LEASE_BODY_LIMIT = 8 * 1024;
const MINUTE = 60_000;
/** Page loads and heartbeats per client address per minute: a person, not a scanner. */
const LEASES_PER_CLIENT = { limit: 120, windowMs: MINUTE };
/** Lease requests per snippet key per minute. */
const _LEASES_PER_KEY = { limit: 30_000, windowMs: MINUTE };
/** Events per integration per minute (a PBX reports in bursts). */
const EVENTS_PER_INTEGRATION = { limit: 12_000, windowMs: MINUTE };

const ZIdParams = z.strictObject({ id: z.uuid() });
const ZHookParams = z.strictObject({ id: z.uuid() });

// The raw body of a generic webhook, kept for the signature check after zod has read it.
const rawBodies = new WeakMap<Request, string>();

async function readJsonText(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  rawBodies.set(c.req.raw, text);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON');
  }
}

function deps(c: Context<AppEnv>) {
  const app = c.get('deps');
  return { db: app.db, keys: app.keys, publicUrl: app.publicUrl, now: app.now() };
}

export const callTrackingRoutes = [
  // ─── Settings, pools, numbers, integrations ───
  defineRoute({
    method: 'get',
    path: '/api/v1/call-tracking/settings',
    summary: 'The substitution snippet: its key and tag, the clinic numbers it replaces',
    tag: TAG,
    access: { permission: 'call_tracking.read' },
    responses: { 200: ZCallTrackingSettings },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await getCallTrackingSettings(orgCtx(c, auth)),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/call-tracking/settings',
    summary: 'Set the clinic numbers the snippet replaces on the site (and an optional selector)',
    tag: TAG,
    access: { permission: 'call_tracking.manage' },
    body: ZSettingsBody,
    responses: { 200: ZCallTrackingSettings },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: await saveCallTrackingSettings(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/call-tracking/pools',
    summary:
      'Dynamic number pools with their load now, the busiest hour of 14 days, the recommended size and exhaustions in 24 h',
    tag: TAG,
    access: { permission: 'call_tracking.read' },
    responses: { 200: z.object({ items: z.array(ZPoolView) }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await findPoolViews(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/call-tracking/pools',
    summary: 'Create a dynamic number pool',
    tag: TAG,
    access: { permission: 'call_tracking.manage' },
    body: ZPoolBody,
    responses: { 201: ZPoolView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await savePool(orgCtx(c, auth), null, body),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/call-tracking/pools/:id',
    summary: 'Change a pool',
    tag: TAG,
    access: { permission: 'call_tracking.manage' },
    params: ZIdParams,
    body: ZPoolBody,
    responses: { 200: ZPoolView },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await savePool(orgCtx(c, auth), params.id, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/call-tracking/numbers',
    summary: 'Tracking numbers: static ones bound to a channel, dynamic ones in pools',
    tag: TAG,
    access: { permission: 'call_tracking.read' },
    responses: { 200: z.object({ items: z.array(ZNumberView) }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await findNumberViews(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/call-tracking/numbers',
    summary: 'Add a tracking number',
    tag: TAG,
    access: { permission: 'call_tracking.manage' },
    body: ZNumberBody,
    responses: { 201: ZNumberView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await saveNumber(orgCtx(c, auth), null, body),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/call-tracking/numbers/:id',
    summary: 'Change a tracking number (switch it off with isActive=false; leases stay in history)',
    tag: TAG,
    access: { permission: 'call_tracking.manage' },
    params: ZIdParams,
    body: ZNumberBody,
    responses: { 200: ZNumberView },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await saveNumber(orgCtx(c, auth), params.id, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/call-tracking/integrations',
    summary: 'Telephony integrations and their webhook addresses (secrets are never returned)',
    tag: TAG,
    access: { permission: 'call_tracking.read' },
    responses: { 200: z.object({ items: z.array(ZIntegrationView) }) },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await findIntegrationViews(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/call-tracking/integrations',
    summary: 'Connect a virtual PBX: generic JSON, Mango Office or Zadarma',
    tag: TAG,
    access: { permission: 'telephony.manage' },
    body: ZIntegrationBody,
    responses: { 201: ZIntegrationView },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await saveIntegration(orgCtx(c, auth), null, body),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/call-tracking/integrations/:id',
    summary: 'Change an integration (a new secret replaces the old one)',
    tag: TAG,
    access: { permission: 'telephony.manage' },
    params: ZIdParams,
    body: ZIntegrationBody,
    responses: { 200: ZIntegrationView },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await saveIntegration(orgCtx(c, auth), params.id, body),
    }),
  }),

  // ─── Calls ───
  defineRoute({
    method: 'get',
    path: '/api/v1/calls',
    summary:
      'The call log, newest first; filters by period, status (missed = the missed-calls view), channel, number, match and first-time callers. Caller details only for roles that read contacts (access logged)',
    tag: TAG,
    access: { permission: 'call_tracking.read' },
    query: ZCallQuery,
    responses: { 200: pageOf(ZCallView) },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findCalls(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/calls/report',
    summary:
      'Calls per channel (or channel and campaign) in a period: calls, answered, missed, first-time callers, average talk time',
    tag: TAG,
    access: { permission: 'call_tracking.read' },
    query: ZCallReportQuery,
    responses: { 200: ZCallReport },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await callReport(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/calls/:id',
    summary: 'One call',
    tag: TAG,
    access: { permission: 'call_tracking.read' },
    params: ZIdParams,
    responses: { 200: ZCallView },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getCall(orgCtx(c, auth), params.id),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/calls/:id/recording',
    summary:
      'The recording’s address or provider reference; every read is written to the access log',
    tag: TAG,
    access: { permission: 'calls.recordings' },
    params: ZIdParams,
    responses: { 200: ZRecordingView },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await openCallRecording(orgCtx(c, auth), params.id),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/calls/:id/quality',
    summary: 'Script check of a call: a score 0–100, the checklist, a note',
    tag: TAG,
    access: { permission: 'calls.review' },
    params: ZIdParams,
    body: ZQualityBody,
    responses: { 200: ZCallView },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await reviewCall(orgCtx(c, auth), params.id, body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/calls/:id/consent',
    summary:
      'Record the caller’s consent given on this call: the journal entry’s evidence is the call recording and the script version read out (R-C3)',
    tag: TAG,
    access: { permission: 'consent.record' },
    params: ZIdParams,
    body: ZCallConsentBody,
    responses: { 201: z.object({ entryId: z.uuid() }) },
    handler: async ({ auth, params, body }, c) => {
      const result = await recordConsentFromCall(orgCtx(c, auth), params.id, body);
      return { status: 201, body: { entryId: result.entry.id } };
    },
  }),

  // ─── Public: the snippet's lease, the generic webhook ───
  defineRoute({
    method: 'post',
    path: '/t/calls/lease',
    summary:
      'The number a visitor’s page shows: a static number for the visit’s channel, or a dynamic number leased to the visit. Send `leaseId` again as a heartbeat every `heartbeatSeconds`. JSON as text/plain is accepted (no CORS preflight); rate limited per client address and key',
    tag: TAG,
    access: 'public',
    isCrossSite: true,
    readBody: readJsonText,
    body: ZLeaseBody,
    responses: { 200: ZLeaseAnswer },
    handler: async ({ body }, c) => ({
      status: 200,
      body: await leaseNumber(deps(c), body, {
        ip: clientIp(c),
        userAgent: c.req.header('user-agent')?.slice(0, 300) ?? '',
      }),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/hooks/calls/generic/:id',
    summary:
      'Call events from any PBX in Soglasie’s generic format, signed with `X-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. Replays (same event id) and out-of-order events are idempotent; 401 `signature_invalid`, 400 `validation_failed`/`invalid_json` and 413 `payload_too_large` store nothing',
    tag: TAG,
    access: 'public',
    isCrossSite: true,
    readBody: readJsonText,
    params: ZHookParams,
    body: ZGenericCallBody,
    responses: { 200: ZWebhookAnswer },
    handler: async ({ params, body }, c) => {
      const raw = rawBodies.get(c.req.raw) ?? '';
      const signature = c.req.header('x-signature');
      return {
        status: 200,
        body: await receiveCallWebhook(deps(c), {
          provider: 'generic',
          integrationId: params.id,
          requestId: c.get('requestId'),
          adapt: (integration) =>
            verifyGenericSignature(integration.secret, raw, signature)
              ? { ok: true, events: genericEvents(body), ignored: 0 }
              : {
                  ok: false,
                  refusal: { code: 'signature_invalid', message: 'X-Signature does not match' },
                },
        }),
      };
    },
  }),
];

function isUuid(value: string): boolean {
  return z.uuid().safeParse(value).success;
}

/** A form post's fields; a body that is not one is a validation error, never a crash. */
async function readForm(c: Context<AppEnv>): Promise<URLSearchParams> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Send application/x-www-form-urlencoded');
  }
  return new URLSearchParams(await c.req.text());
}

/**
 * Before the routes: size and rate limits and CORS for the public call-tracking addresses; the
 * provider webhooks (Mango Office, Zadarma) that are not JSON; the snippet itself.
 */
export function mountCallTrackingGuards(app: Hono<AppEnv>): void {
  const limiter = new SlidingWindowLimiter();
  const tooLarge = (limit: number) => () => {
    throw new AppError('payload_too_large', `The body is larger than ${limit} bytes`);
  };
  app.use(
    '/hooks/calls/*',
    bodyLimit({ maxSize: WEBHOOK_BODY_LIMIT, onError: tooLarge(WEBHOOK_BODY_LIMIT) }),
  );
  app.use('/hooks/calls/*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });
  app.use(
    '/hooks/calls/:provider/:id/*',
    rateLimit(limiter, (c) => [{ key: `hook:${c.req.param('id')}`, rule: EVENTS_PER_INTEGRATION }]),
  );
  app.use(
    '/hooks/calls/:provider/:id',
    rateLimit(limiter, (c) => [{ key: `hook:${c.req.param('id')}`, rule: EVENTS_PER_INTEGRATION }]),
  );

  app.options('/t/calls/lease', (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '600');
    return c.body(null, 204);
  });
  app.use('/t/calls/lease', async (c, next) => {
    await next();
    // No credentials are read here: any site may ask, and only numbers come back.
    c.res.headers.set('Access-Control-Allow-Origin', '*');
    c.res.headers.set('Cache-Control', 'no-store');
  });
  app.use(
    '/t/calls/lease',
    bodyLimit({ maxSize: LEASE_BODY_LIMIT, onError: tooLarge(LEASE_BODY_LIMIT) }),
  );
  const limitLeases = rateLimit(limiter, (c) => [
    { key: `lease-ip:${clientIp(c)}`, rule: LEASES_PER_CLIENT },
  ]);
  app.use('/t/calls/lease', (c, next) => (c.req.method === 'POST' ? limitLeases(c, next) : next()));

  // Mango Office posts each event type to <webhook address>/events/<type>.
  app.post('/hooks/calls/mango/:id/events/:type', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) throw new AppError('not_found', 'No such integration');
    const form = await readForm(c);
    const type = c.req.param('type').slice(0, 40);
    const answer = await receiveCallWebhook(deps(c), {
      provider: 'mango',
      integrationId: id,
      requestId: c.get('requestId'),
      adapt: (integration) =>
        mangoEvents(type, form, { apiKey: integration.apiKey, secret: integration.secret }),
    });
    return c.json(answer, 200);
  });
  // Zadarma checks the address once with ?zd_echo=<text> and expects the text back.
  app.get('/hooks/calls/zadarma/:id', (c) => {
    const echo = c.req.query('zd_echo');
    if (!echo || echo.length > 200 || !isUuid(c.req.param('id'))) {
      throw new AppError('not_found', 'No such integration');
    }
    return c.text(echo.replace(/[^\w.-]/g, ''), 200);
  });
  app.post('/hooks/calls/zadarma/:id', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) throw new AppError('not_found', 'No such integration');
    const form = await readForm(c);
    const signature = c.req.header('signature');
    const d = deps(c);
    const answer = await receiveCallWebhook(d, {
      provider: 'zadarma',
      integrationId: id,
      requestId: c.get('requestId'),
      adapt: (integration) => zadarmaEvents(form, signature, { secret: integration.secret }, d.now),
    });
    return c.json(answer, 200);
  });

  app.get(CALL_SNIPPET_PATH, async (c) => {
    const script = await callSnippet();
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(script, 200);
  });
}
