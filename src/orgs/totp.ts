import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 with the parameters every authenticator app supports: SHA-1, 6 digits, 30 s. */
const PERIOD_S = 30;
/** A code from the step before or after is accepted too (clock drift of the phone). */
const WINDOW = 1;

export const RECOVERY_CODE_COUNT = 10;
/** Without 0/O, 1/I/L: codes are read off paper. */
const RECOVERY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

function totpOf(secretBase32: string, label = 'account', issuer = 'Soglasie'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new 160-bit secret in base32, as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` address a QR code carries. */
export function totpUri(secretBase32: string, label: string, issuer: string): string {
  return totpOf(secretBase32, label, issuer).toString();
}

/** The code for a moment (tests and the demo; the server never shows it). */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpOf(secretBase32).generate({ timestamp: at.getTime() });
}

/**
 * The time step of a valid code, or null. A step not after `lastStep` is refused: each code
 * works once.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  at: Date,
  lastStep: number | null,
): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secretBase32).validate({ token, timestamp: at.getTime(), window: WINDOW });
  if (delta === null) return null;
  const step = Math.floor(at.getTime() / 1000 / PERIOD_S) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/** Ten codes like `7KQ4-M2XH`, shown once; each replaces the app for one sign-in. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(
      { length: 8 },
      () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
    ).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4)}`;
  });
}

/** The form a recovery code is compared in: upper case, no dash or spaces; null if it can't be one. */
export function normalizeRecoveryCode(code: string): string | null {
  const normalized = code.toUpperCase().replace(/[\s-]+/g, '');
  if (normalized.length !== 8) return null;
  for (const char of normalized) if (!RECOVERY_ALPHABET.includes(char)) return null;
  return normalized;
}
