import { createHmac } from 'node:crypto';
import type { Keys } from '../platform/crypto.ts';
import { safeEqual } from '../platform/crypto.ts';

/**
 * Signed links into the privacy portal, handed to the person on their consent receipt and in
 * the receipt mail. A link names the organization and the contact and carries its expiry; the
 * MAC is keyed with a key derived from the blind-index key, like the receipt links. It holds no
 * personal data: only ids and a time.
 */

/** A link shown on the receipt page is made afresh on each view. */
export const PORTAL_LINK_PAGE_TTL_MS = 24 * 60 * 60 * 1000;
/** A link in the receipt mail is read later: two weeks, then the person signs in with a code. */
export const PORTAL_LINK_MAIL_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export const PORTAL_LINK_TOKEN_PATTERN =
  '[0-9a-f-]{36}\\.[0-9a-f-]{36}\\.[0-9a-z]{1,12}\\.[A-Za-z0-9_-]{32}';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function linkKey(keys: Keys): Buffer {
  return createHmac('sha256', keys.indexKey).update('soglasie/portal-link/v1').digest();
}

function macOf(keys: Keys, body: string): string {
  return createHmac('sha256', linkKey(keys))
    .update(`portal-link\u0000${body}`)
    .digest('base64url')
    .slice(0, 32);
}

export function portalLinkToken(
  keys: Keys,
  input: { orgId: string; contactId: string; expiresAt: Date },
): string {
  const body = `${input.orgId}.${input.contactId}.${Math.floor(input.expiresAt.getTime() / 1000).toString(36)}`;
  return `${body}.${macOf(keys, body)}`;
}

export function portalLinkUrl(
  publicUrl: string,
  keys: Keys,
  input: { orgId: string; contactId: string; expiresAt: Date },
): string {
  return `${publicUrl}/p/link/${portalLinkToken(keys, input)}`;
}

/** The organization and contact a link names, or null when it is forged, malformed or expired. */
export function readPortalLinkToken(
  keys: Keys,
  token: string,
  now: Date,
): { orgId: string; contactId: string } | null {
  const parts = token.split('.');
  if (parts.length !== 4) return null;
  const [orgId = '', contactId = '', expiry = '', mac = ''] = parts;
  if (!UUID.test(orgId) || !UUID.test(contactId) || !/^[0-9a-z]{1,12}$/.test(expiry)) return null;
  const body = `${orgId}.${contactId}.${expiry}`;
  if (!safeEqual(macOf(keys, body), mac)) return null;
  const expiresAtMs = Number.parseInt(expiry, 36) * 1000;
  if (!Number.isFinite(expiresAtMs) || expiresAtMs <= now.getTime()) return null;
  return { orgId, contactId };
}
