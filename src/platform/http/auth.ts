import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { safeEqual } from '../crypto.ts';
import { AppError } from '../errors.ts';
import { can } from '../permissions.ts';
import type { AppEnv, Authenticated, RequestAuth } from './app-env.ts';
import type { RouteAccess } from './route.ts';

export const SESSION_COOKIE = 'sg_session';
export const CSRF_COOKIE = 'sg_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The CSRF token is derived from the session secret, so nothing extra is stored. */
export function csrfTokenFor(csrfKey: Buffer, sessionToken: string): string {
  return createHmac('sha256', csrfKey).update(sessionToken).digest('base64url');
}

/** Resolves the caller once per request (Bearer token first, then the session cookie). */
export async function resolveAuth(c: Context<AppEnv>): Promise<RequestAuth> {
  const cached = c.get('auth');
  if (cached !== undefined) return cached;
  const { authenticator, now } = c.get('deps');
  let auth: RequestAuth = null;
  const header = c.req.header('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError('unauthenticated', 'Malformed Authorization header');
    auth = await authenticator.byApiToken(match[1], now());
    if (!auth) throw new AppError('unauthenticated', 'Unknown, expired or revoked API token');
  } else {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) auth = await authenticator.bySessionToken(token, now());
  }
  c.set('auth', auth);
  return auth;
}

/**
 * Enforces a route's access rule. Changes made with the session cookie must carry the CSRF
 * token in a header a cross-site form cannot set; Bearer calls are not exposed to CSRF.
 */
export async function requireAuth(c: Context<AppEnv>, access: RouteAccess): Promise<RequestAuth> {
  checkOrigin(c);
  const auth = await resolveAuth(c);
  if (access === 'public') return auth;
  if (!auth) throw new AppError('unauthenticated', 'Sign in or send an API token');
  if (auth.via === 'session' && UNSAFE_METHODS.has(c.req.method)) {
    const sent = c.req.header(CSRF_HEADER) ?? '';
    const expected = csrfTokenFor(c.get('deps').keys.csrfKey, auth.sessionToken ?? '');
    if (!safeEqual(sent, expected)) {
      throw new AppError('csrf_failed', 'Missing or wrong X-CSRF-Token header');
    }
  }
  if (access === 'user') return auth;
  if (!auth.orgId || !auth.role) {
    throw new AppError('forbidden', 'Choose an organization first');
  }
  if (!can(auth.role, access.permission)) {
    throw new AppError('forbidden', `The role ${auth.role} lacks ${access.permission}`, {
      details: { permission: access.permission },
    });
  }
  return auth;
}

/** A browser's cross-site change is refused before any credential is looked at. */
function checkOrigin(c: Context<AppEnv>): void {
  if (!UNSAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return;
  const forwardedHost = c.get('deps').trustProxy ? c.req.header('x-forwarded-host') : undefined;
  const host = forwardedHost ?? c.req.header('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError('csrf_failed', 'Malformed Origin header');
  }
  if (host && originHost !== host) {
    throw new AppError('csrf_failed', 'Cross-site request refused');
  }
}

export function requireOrgAuth(auth: RequestAuth): Authenticated & { orgId: string } {
  if (!auth?.orgId || !auth.role) throw new AppError('forbidden', 'Choose an organization first');
  return auth as Authenticated & { orgId: string };
}
