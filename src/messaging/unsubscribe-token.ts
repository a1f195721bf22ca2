import { createHmac, hkdfSync } from 'node:crypto';
import type { Keys } from '../platform/crypto.ts';
import { safeEqual } from '../platform/crypto.ts';

/**
 * The opaque unsubscribe token of a marketing message (RFC 8058, R-E1): it names the
 * organization, the contact, the purpose and the channel by ids only, with an HMAC keyed by a
 * key derived (HKDF) from the blind-index key. It carries no personal data and does not expire:
 * an opt-out must keep working for as long as the message can be read.
 */
export type UnsubscribeTarget = {
  orgId: string;
  contactId: string;
  purposeId: string;
  channel: 'email' | 'sms';
};

export const UNSUBSCRIBE_TOKEN_PATTERN =
  '[0-9a-f-]{36}\\.[0-9a-f-]{36}\\.[0-9a-f-]{36}\\.[es]\\.[A-Za-z0-9_-]{32}';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function tokenKey(keys: Keys): Buffer {
  return Buffer.from(
    hkdfSync('sha256', keys.indexKey, Buffer.alloc(0), 'soglasie/unsubscribe/v1', 32),
  );
}

function macOf(keys: Keys, body: string): string {
  return createHmac('sha256', tokenKey(keys))
    .update(`unsubscribe\u0000${body}`)
    .digest('base64url')
    .slice(0, 32);
}

export function unsubscribeToken(keys: Keys, target: UnsubscribeTarget): string {
  const body = `${target.orgId}.${target.contactId}.${target.purposeId}.${target.channel === 'email' ? 'e' : 's'}`;
  return `${body}.${macOf(keys, body)}`;
}

export function unsubscribeUrl(publicUrl: string, keys: Keys, target: UnsubscribeTarget): string {
  return `${publicUrl}/u/${unsubscribeToken(keys, target)}`;
}

/** What a token names, or null when it is forged or malformed. */
export function readUnsubscribeToken(keys: Keys, token: string): UnsubscribeTarget | null {
  const parts = token.split('.');
  if (parts.length !== 5) return null;
  const [orgId = '', contactId = '', purposeId = '', channel = '', mac = ''] = parts;
  if (!UUID.test(orgId) || !UUID.test(contactId) || !UUID.test(purposeId)) return null;
  if (channel !== 'e' && channel !== 's') return null;
  if (!safeEqual(macOf(keys, `${orgId}.${contactId}.${purposeId}.${channel}`), mac)) return null;
  return { orgId, contactId, purposeId, channel: channel === 'e' ? 'email' : 'sms' };
}

/**
 * An advertising SMS as sent: the text, then a short opt-out instruction with the one-click link
 * (R-A4: a working opt-out in every message).
 */
export function marketingSmsText(
  input: { publicUrl: string; keys: Keys; text: string } & Omit<UnsubscribeTarget, 'channel'>,
): string {
  const url = unsubscribeUrl(input.publicUrl, input.keys, {
    orgId: input.orgId,
    contactId: input.contactId,
    purposeId: input.purposeId,
    channel: 'sms',
  });
  return `${input.text.trimEnd()}\nОтказ от рассылки: ${url}`;
}
