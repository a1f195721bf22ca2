import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { KeyStore } from './keystore.ts';

/**
 * Keys derived from the master key for one purpose each, so a leak of one
 * (say, the blind-index key) does not expose the others.
 */
export type Keys = {
  /** AES-256-GCM key for personal data of platform records (staff accounts). */
  dataKey: Buffer;
  /** HMAC key for blind indexes: lookups without storing the value in clear. */
  indexKey: Buffer;
  /** HMAC key deriving each session's CSRF token. */
  csrfKey: Buffer;
  /** Where the wrapped per-subject keys live, apart from the data. */
  subjectKeyStore: KeyStore;
};

export function deriveKeys(masterKey: Buffer, subjectKeyStore: KeyStore): Keys {
  if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  return {
    dataKey: derive('soglasie/data/v1'),
    indexKey: derive('soglasie/blind-index/v1'),
    csrfKey: derive('soglasie/csrf/v1'),
    subjectKeyStore,
  };
}

const VERSION = 1;

/** AES-256-GCM: version byte, 12-byte nonce, 16-byte tag, ciphertext. */
export function encrypt(key: Buffer, plaintext: string, associatedData?: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  if (associatedData) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

export function decrypt(key: Buffer, sealed: Uint8Array, associatedData?: string): string {
  const buffer = Buffer.from(sealed);
  if (buffer[0] !== VERSION) throw new Error('Unknown ciphertext version');
  const decipher = createDecipheriv('aes-256-gcm', key, buffer.subarray(1, 13));
  if (associatedData) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(buffer.subarray(13, 29));
  return Buffer.concat([decipher.update(buffer.subarray(29)), decipher.final()]).toString('utf8');
}

/** Keyed HMAC of a normalized value: equal inputs match, the value itself is not stored. */
export function blindIndex(key: Buffer, kind: string, normalizedValue: string): string {
  return createHmac('sha256', key).update(`${kind}\u0000${normalizedValue}`).digest('hex');
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A random secret for cookies and API tokens (base64url, 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Secrets are stored only as their SHA-256; a database leak does not leak live sessions. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}
