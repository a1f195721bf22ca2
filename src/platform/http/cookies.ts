import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './app-env.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './auth.ts';

/** Whether the client reached us over HTTPS (directly, or through a trusted proxy). */
export function isHttps(c: Context<AppEnv>): boolean {
  const forwarded = c.get('deps').trustProxy ? c.req.header('x-forwarded-proto') : undefined;
  return (forwarded ?? new URL(c.req.url).protocol.replace(':', '')) === 'https';
}

function isSecure(c: Context<AppEnv>): boolean {
  const mode = c.get('deps').cookieSecure;
  return mode === 'auto' ? isHttps(c) : mode === 'true';
}

/** The session secret is httpOnly; its CSRF token is readable by the page's script. */
export function setSessionCookies(
  c: Context<AppEnv>,
  session: { sessionToken: string; csrfToken: string },
): void {
  const secure = isSecure(c);
  setCookie(c, SESSION_COOKIE, session.sessionToken, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
  });
  setCookie(c, CSRF_COOKIE, session.csrfToken, {
    httpOnly: false,
    sameSite: 'Strict',
    secure,
    path: '/',
  });
}

export function clearSessionCookies(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  deleteCookie(c, CSRF_COOKIE, { path: '/' });
}

/**
 * The client's address, for throttling. Behind a trusted proxy the left-most X-Forwarded-For
 * entry; otherwise the socket's peer (app.request() in tests has none: "local").
 */
export function clientIp(c: Context<AppEnv>): string {
  if (c.get('deps').trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}
