import { createHmac } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { z } from 'zod';
import { randomToken, safeEqual } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http/app-env.ts';
import { clientIp, isHttps } from '../platform/http/cookies.ts';
import { publicPageCsp } from '../platform/http/html.ts';
import { type RateRule, SlidingWindowLimiter } from '../platform/http/rate-limit.ts';
import {
  type Lang,
  renderCodePage,
  renderPortalMessagePage,
  renderPortalPage,
  renderSignInPage,
  textsOf,
} from './portal.page.ts';
import {
  PORTAL_SLUG_PATTERN,
  portalFieldErrors,
  ZCodeRequestBody,
  ZCsrfOnlyBody,
  ZPortalRequestBody,
  ZVerifyBody,
  ZWithdrawFormBody,
} from './portal.schema.ts';
import {
  addressRateKey,
  endPortalSession,
  exportPortalData,
  fileRequestFromPortal,
  findPortalOrg,
  loadPortalView,
  openSignedLink,
  type PortalDeps,
  type PortalOrg,
  type PortalSession,
  parseAddress,
  portalCsrfToken,
  requestCode,
  resolvePortalSession,
  unsubscribeFromPortal,
  verifyCode,
  withdrawFromPortal,
} from './portal.service.ts';
import { PORTAL_LINK_TOKEN_PATTERN } from './portal-link.service.ts';

/** The portal's cookies live under /p only: the staff app never sees them, nor they it. */
const COOKIE_PATH = '/p';
export const PORTAL_SESSION_COOKIE = 'sg_portal';
/** Before sign-in: the double-submit secret the sign-in forms' CSRF token is derived from. */
export const PORTAL_FORM_COOKIE = 'sg_portal_form';
/** The code being entered; kept out of the page so that its answer is the same for every address. */
export const PORTAL_CODE_COOKIE = 'sg_portal_code';
const LANG_COOKIE = 'sg_portal_lang';

export const PORTAL_BODY_LIMIT = 16 * 1024;
const WINDOW_MS = 15 * 60 * 1000;
export const DEFAULT_PORTAL_RATE_LIMITS = {
  codesPerClientIp: 20,
  codesPerAddress: 5,
  checksPerClientIp: 30,
};

const SLUG = `:slug{${PORTAL_SLUG_PATTERN}}`;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function langOf(c: Context<AppEnv>): Lang {
  const asked = c.req.query('lang');
  if (asked === 'ru' || asked === 'en') return asked;
  const saved = getCookie(c, LANG_COOKIE);
  if (saved === 'ru' || saved === 'en') return saved;
  let best: { lang: Lang; q: number } = { lang: 'ru', q: 0 };
  for (const part of (c.req.header('accept-language') ?? '').split(',').slice(0, 20)) {
    const [tag = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = Number(/q=([0-9.]+)/.exec(parameters.join(';'))?.[1] ?? '1');
    const lang: Lang | null = tag.startsWith('ru') ? 'ru' : tag.startsWith('en') ? 'en' : null;
    if (lang && q > best.q) best = { lang, q };
  }
  return best.lang;
}

function isSecure(c: Context<AppEnv>): boolean {
  const mode = c.get('deps').cookieSecure;
  return mode === 'auto' ? isHttps(c) : mode === 'true';
}

function setPortalCookie(c: Context<AppEnv>, name: string, value: string): void {
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecure(c),
    path: COOKIE_PATH,
  });
}

function clearPortalCookie(c: Context<AppEnv>, name: string): void {
  deleteCookie(c, name, { path: COOKIE_PATH, secure: isSecure(c) });
}

function portalDeps(c: Context<AppEnv>): PortalDeps {
  const deps = c.get('deps');
  return {
    db: deps.db,
    keys: deps.keys,
    publicUrl: deps.publicUrl,
    now: deps.now(),
    requestId: c.get('requestId') ?? null,
    route: `${c.req.method} ${c.req.routePath}`,
    mailer: deps.mailer,
    ...(deps.sms ? { sms: deps.sms } : {}),
    logger: deps.logger,
  };
}

function isSmsAvailable(c: Context<AppEnv>): boolean {
  return Boolean(c.get('deps').sms?.isConfigured);
}

/** The sign-in forms' CSRF token: the form cookie's HMAC, so a cross-site form cannot know it. */
function formToken(c: Context<AppEnv>, value: string): string {
  return createHmac('sha256', c.get('deps').keys.csrfKey)
    .update(`portal-form\u0000${value}`)
    .digest('base64url');
}

/** The form cookie of this browser, set on the first page that shows a sign-in form. */
function ensureFormCookie(c: Context<AppEnv>): string {
  const existing = getCookie(c, PORTAL_FORM_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const value = randomToken();
  setPortalCookie(c, PORTAL_FORM_COOKIE, value);
  return value;
}

/** Same-origin check first: a cross-site post is refused before anything is read. */
function checkSameOrigin(c: Context<AppEnv>): void {
  if (!UNSAFE.has(c.req.method)) return;
  if (c.req.header('sec-fetch-site') === 'cross-site') {
    throw new AppError('csrf_failed', 'Cross-site request refused');
  }
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return;
  const host =
    (c.get('deps').trustProxy ? c.req.header('x-forwarded-host') : undefined) ??
    c.req.header('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError('csrf_failed', 'Malformed Origin header');
  }
  if (host && originHost !== host) throw new AppError('csrf_failed', 'Cross-site request refused');
}

/** A form post's fields (UTF-8 urlencoded only), validated; field codes on a refusal. */
async function readForm<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/x-www-form-urlencoded') {
    throw new AppError('unsupported_media_type', 'Send the form as a form post');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
  } catch {
    throw new AppError('unsupported_media_type', 'The body is not valid UTF-8');
  }
  const values: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.keys(values).length >= 20) break;
    values[name] = value;
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'Invalid form', {
      fields: portalFieldErrors(parsed.error),
    });
  }
  return parsed.data;
}

function checkToken(sent: string, expected: string): void {
  if (!safeEqual(sent, expected)) throw new AppError('csrf_failed', 'Missing or wrong form token');
}

function takeRate(
  c: Context<AppEnv>,
  limiter: SlidingWindowLimiter,
  checks: { key: string; rule: RateRule }[],
) {
  const decision = limiter.take(checks, c.get('deps').now().getTime());
  if (!decision.isAllowed) {
    throw new AppError('rate_limited', 'Too many requests; try again later', {
      headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      details: { retryAfterSeconds: decision.retryAfterSeconds },
    });
  }
}

function limitsOf(c: Context<AppEnv>) {
  return c.get('deps').portalRateLimits ?? DEFAULT_PORTAL_RATE_LIMITS;
}

function wantsJson(c: Context<AppEnv>): boolean {
  const accept = c.req.header('accept') ?? '';
  return /\bapplication\/json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
}

function html(c: Context<AppEnv>, body: string, status: number): Response {
  return c.html(body, status as 200);
}

/**
 * A refusal as a page for people (JSON for a client that asks only for JSON): the status and
 * the field codes are the same either way, and nothing of what was sent is echoed but codes.
 */
function refusalPage(
  c: Context<AppEnv>,
  error: AppError,
  input: { backHref: string; backLabel?: string },
): Response {
  if (wantsJson(c)) throw error;
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
  const lang = langOf(c);
  const texts = textsOf(lang);
  const retryAfter = Number(error.details?.retryAfterSeconds ?? 0);
  const text = [
    texts.errors[error.code] ?? texts.errors.internal ?? '',
    retryAfter > 0 ? texts.retryAfter(retryAfter) : '',
  ]
    .filter(Boolean)
    .join(' ');
  return html(
    c,
    renderPortalMessagePage({
      lang,
      title: error.code === 'not_found' ? texts.notFoundTitle : texts.errorTitle,
      text,
      backHref: input.backHref,
      ...(input.backLabel ? { backLabel: input.backLabel } : {}),
      code: error.code,
      ...(error.fields ? { fields: error.fields } : {}),
    }),
    error.status,
  );
}

async function guarded(
  c: Context<AppEnv>,
  backHref: string,
  work: () => Promise<Response>,
): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) return refusalPage(c, error, { backHref });
    throw error;
  }
}

async function orgOrNotFound(c: Context<AppEnv>): Promise<PortalOrg | null> {
  try {
    return await findPortalOrg(c.get('deps').db, c.req.param('slug') ?? '');
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  }
}

function notFoundPage(c: Context<AppEnv>): Response {
  const lang = langOf(c);
  const texts = textsOf(lang);
  if (wantsJson(c)) throw new AppError('not_found', 'No such page');
  return html(
    c,
    renderPortalMessagePage({
      lang,
      title: texts.notFoundTitle,
      text: texts.notFoundText,
      backHref: '/',
      code: 'not_found',
    }),
    404,
  );
}

async function sessionOf(c: Context<AppEnv>, org: PortalOrg): Promise<PortalSession | null> {
  return resolvePortalSession(portalDeps(c), {
    orgId: org.orgId,
    cookieValue: getCookie(c, PORTAL_SESSION_COOKIE),
  });
}

function noticeOf(c: Context<AppEnv>, lang: Lang): string | null {
  const done = c.req.query('done');
  return done ? (textsOf(lang).notices[done] ?? null) : null;
}

/** A page that needs a session: the portal for this organization, or back to sign-in. */
async function withSession(
  c: Context<AppEnv>,
  work: (org: PortalOrg, session: PortalSession) => Promise<Response>,
): Promise<Response> {
  const org = await orgOrNotFound(c);
  if (!org) return notFoundPage(c);
  const base = `/p/${org.slug}`;
  return guarded(c, `${base}/me`, async () => {
    checkSameOrigin(c);
    const session = await sessionOf(c, org);
    if (!session) {
      if (c.req.method === 'GET') return c.redirect(`${base}?done=expired`, 303);
      throw new AppError('unauthenticated', 'The portal session ended');
    }
    return work(org, session);
  });
}

async function sessionForm<S extends z.ZodType>(
  c: Context<AppEnv>,
  session: PortalSession,
  schema: S,
): Promise<z.output<S>> {
  const body = (await readForm(c, schema)) as z.output<S> & { csrf: string };
  checkToken(body.csrf, portalCsrfToken(c.get('deps').keys, session.secret));
  return body;
}

function client(c: Context<AppEnv>) {
  return { ip: clientIp(c), userAgent: c.req.header('user-agent') ?? null };
}

/** The privacy portal's pages under /p: server-rendered, no script, Russian or English. */
export function mountPortalPages(app: Hono<AppEnv>): void {
  const limiter = new SlidingWindowLimiter();

  app.use('/p/*', async (c, next) => {
    const asked = c.req.query('lang');
    if (asked === 'ru' || asked === 'en') {
      setCookie(c, LANG_COOKIE, asked, {
        sameSite: 'Lax',
        secure: isSecure(c),
        path: COOKIE_PATH,
        maxAge: 365 * 86_400,
      });
    }
    await next();
    c.header(
      'Content-Security-Policy',
      publicPageCsp({ 'script-src': "'none'", 'form-action': "'self'" }),
    );
    c.header('Cache-Control', 'no-store');
    // The address may carry a signed link: it never leaves in a Referer.
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Robots-Tag', 'noindex');
  });
  app.use(
    '/p/*',
    bodyLimit({
      maxSize: PORTAL_BODY_LIMIT,
      onError: (c) =>
        refusalPage(
          c,
          new AppError('payload_too_large', `The body is larger than ${PORTAL_BODY_LIMIT} bytes`),
          { backHref: c.req.path.split('/').slice(0, 3).join('/') },
        ),
    }),
  );

  // Entry (a): the signed link on the consent receipt and in its mail.
  app.get(`/p/link/:token{${PORTAL_LINK_TOKEN_PATTERN}}`, async (c) => {
    try {
      const started = await openSignedLink(portalDeps(c), c.req.param('token'));
      setPortalCookie(c, PORTAL_SESSION_COOKIE, started.cookieValue);
      return c.redirect(`/p/${started.slug}/me`, 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return notFoundPage(c);
      throw error;
    }
  });

  // Entry (b): a one-time code by email or SMS.
  app.get(`/p/${SLUG}`, async (c) => {
    const org = await orgOrNotFound(c);
    if (!org) return notFoundPage(c);
    const lang = langOf(c);
    if (await sessionOf(c, org)) return c.redirect(`/p/${org.slug}/me`, 303);
    const form = ensureFormCookie(c);
    return html(
      c,
      renderSignInPage({
        lang,
        org,
        csrfToken: formToken(c, form),
        isSmsAvailable: isSmsAvailable(c),
        notice: noticeOf(c, lang),
      }),
      200,
    );
  });

  app.post(`/p/${SLUG}/code`, async (c) => {
    const org = await orgOrNotFound(c);
    if (!org) return notFoundPage(c);
    const lang = langOf(c);
    const base = `/p/${org.slug}`;
    return guarded(c, base, async () => {
      checkSameOrigin(c);
      const limits = limitsOf(c);
      takeRate(c, limiter, [
        {
          key: `code-ip:${clientIp(c)}`,
          rule: { limit: limits.codesPerClientIp, windowMs: WINDOW_MS },
        },
      ]);
      const form = getCookie(c, PORTAL_FORM_COOKIE);
      const body = await readForm(c, ZCodeRequestBody);
      if (!form) throw new AppError('csrf_failed', 'The form cookie is missing');
      checkToken(body.csrf, formToken(c, form));
      const deps = portalDeps(c);
      let address: ReturnType<typeof parseAddress>;
      try {
        address = parseAddress(body.address, { isSmsAvailable: isSmsAvailable(c) });
      } catch (error) {
        if (!(error instanceof AppError) || wantsJson(c)) throw error;
        return html(
          c,
          renderSignInPage({
            lang,
            org,
            csrfToken: body.csrf,
            isSmsAvailable: isSmsAvailable(c),
            address: body.address,
            errors: error.fields ?? {},
          }),
          error.status,
        );
      }
      // Per address as well as per client: codes to one person cannot be flooded from many.
      takeRate(c, limiter, [
        {
          key: `code-address:${addressRateKey(deps.keys, org.orgId, address)}`,
          rule: { limit: limits.codesPerAddress, windowMs: WINDOW_MS },
        },
      ]);
      const { challengeId } = await requestCode(deps, { org, address });
      setPortalCookie(c, PORTAL_CODE_COOKIE, challengeId);
      // The same page for every address, known or not: nothing in it depends on the lookup.
      return html(c, renderCodePage({ lang, org, csrfToken: body.csrf }), 200);
    });
  });

  app.post(`/p/${SLUG}/verify`, async (c) => {
    const org = await orgOrNotFound(c);
    if (!org) return notFoundPage(c);
    const lang = langOf(c);
    const base = `/p/${org.slug}`;
    return guarded(c, base, async () => {
      checkSameOrigin(c);
      const limits = limitsOf(c);
      takeRate(c, limiter, [
        {
          key: `check-ip:${clientIp(c)}`,
          rule: { limit: limits.checksPerClientIp, windowMs: WINDOW_MS },
        },
      ]);
      const form = getCookie(c, PORTAL_FORM_COOKIE);
      const body = await readForm(c, ZVerifyBody);
      if (!form) throw new AppError('csrf_failed', 'The form cookie is missing');
      checkToken(body.csrf, formToken(c, form));
      const challengeId = getCookie(c, PORTAL_CODE_COOKIE) ?? '';
      try {
        if (!/^[0-9a-f-]{36}$/.test(challengeId)) {
          throw new AppError('invalid_credentials', 'No code was asked for', {
            fields: { code: ['code_expired'] },
          });
        }
        const started = await verifyCode(portalDeps(c), { org, challengeId, code: body.code });
        clearPortalCookie(c, PORTAL_CODE_COOKIE);
        setPortalCookie(c, PORTAL_SESSION_COOKIE, started.cookieValue);
        return c.redirect(`${base}/me`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || wantsJson(c)) throw error;
        const texts = textsOf(lang);
        const attemptsLeft = Number(error.details?.attemptsLeft ?? 0);
        return html(
          c,
          renderCodePage({
            lang,
            org,
            csrfToken: body.csrf,
            errors: error.fields ?? {},
            alert: attemptsLeft > 0 ? texts.attemptsLeft(attemptsLeft) : null,
          }),
          error.status,
        );
      }
    });
  });

  // The portal itself.
  app.get(`/p/${SLUG}/me`, (c) =>
    withSession(c, async (_org, session) => {
      const deps = portalDeps(c);
      const lang = langOf(c);
      const view = await loadPortalView(deps, session);
      return html(
        c,
        renderPortalPage({
          lang,
          view,
          csrfToken: portalCsrfToken(deps.keys, session.secret),
          now: deps.now,
          notice: noticeOf(c, lang),
        }),
        200,
      );
    }),
  );

  app.get(`/p/${SLUG}/me/:file{export\\.(?:json|csv)}`, (c) =>
    withSession(c, async (_org, session) => {
      const format = c.req.param('file') === 'export.csv' ? 'csv' : 'json';
      const exported = await exportPortalData(portalDeps(c), session, format);
      c.header('Content-Type', exported.contentType);
      c.header('Content-Disposition', `attachment; filename="${exported.filename}"`);
      return c.body(exported.body, 200);
    }),
  );

  app.post(`/p/${SLUG}/me/withdraw`, (c) =>
    withSession(c, async (org, session) => {
      const body = await sessionForm(c, session, ZWithdrawFormBody);
      await withdrawFromPortal(portalDeps(c), session, {
        purposeId: body.purposeId,
        client: client(c),
      });
      return c.redirect(`/p/${org.slug}/me?done=withdrawn#consents`, 303);
    }),
  );

  app.post(`/p/${SLUG}/me/unsubscribe`, (c) =>
    withSession(c, async (org, session) => {
      await sessionForm(c, session, ZCsrfOnlyBody);
      const { withdrawn } = await unsubscribeFromPortal(portalDeps(c), session, {
        client: client(c),
      });
      const done = withdrawn.length > 0 ? 'unsubscribed' : 'nothing';
      return c.redirect(`/p/${org.slug}/me?done=${done}#consents`, 303);
    }),
  );

  app.post(`/p/${SLUG}/me/request`, (c) =>
    withSession(c, async (org, session) => {
      const body = await sessionForm(c, session, ZPortalRequestBody);
      const created = await fileRequestFromPortal(portalDeps(c), session, {
        type: body.type,
        details: body.details ? body.details : null,
      });
      const done = created.isRepeat ? 'repeat' : 'request';
      return c.redirect(`/p/${org.slug}/me?done=${done}#requests`, 303);
    }),
  );

  app.post(`/p/${SLUG}/me/logout`, (c) =>
    withSession(c, async (org, session) => {
      await sessionForm(c, session, ZCsrfOnlyBody);
      await endPortalSession(portalDeps(c), session);
      clearPortalCookie(c, PORTAL_SESSION_COOKIE);
      return c.redirect(`/p/${org.slug}?done=signedOut`, 303);
    }),
  );

  app.all('/p/*', (c) => notFoundPage(c));
  app.all('/p', (c) => notFoundPage(c));
}
