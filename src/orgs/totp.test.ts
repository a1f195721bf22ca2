import { describe, expect, it } from 'vitest';
import {
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  totpCodeAt,
  totpUri,
  verifyTotp,
} from './totp.ts';

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 Appendix B, SHA-1 seed "12345678901234567890" (base32 below), last 6 digits.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('produces the RFC 6238 test vectors', () => {
    expect(totpCodeAt(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(totpCodeAt(RFC_SECRET, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpCodeAt(RFC_SECRET, new Date(1_234_567_890_000))).toBe('005924');
  });

  it('accepts the current and the adjacent step, and each step once', () => {
    const secret = newTotpSecret();
    const at = new Date('2026-03-02T09:00:10Z');
    const step = Math.floor(at.getTime() / 30_000);
    expect(verifyTotp(secret, totpCodeAt(secret, at), at, null)).toBe(step);
    const previous = totpCodeAt(secret, new Date(at.getTime() - 30_000));
    expect(verifyTotp(secret, previous, at, null)).toBe(step - 1);
    const old = totpCodeAt(secret, new Date(at.getTime() - 90_000));
    expect(verifyTotp(secret, old, at, null)).toBeNull();
    // Replay: the step was used.
    expect(verifyTotp(secret, totpCodeAt(secret, at), at, step)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', at, null)).toBeNull();
  });

  it('gives authenticator apps an otpauth address', () => {
    const uri = totpUri('JBSWY3DPEHPK3PXP', 'owner@clinic.ru', 'Soglasie (clinic)');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Soglasie%20\(clinic\):owner%40clinic\.ru\?/);
    expect(uri).toContain('secret=JBSWY3DPEHPK3PXP');
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes that survive retyping in lower case without the dash', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      expect(normalizeRecoveryCode(code.toLowerCase().replace('-', ' '))).toBe(
        code.replace('-', ''),
      );
    }
    expect(normalizeRecoveryCode('0000-0000')).toBeNull();
    expect(normalizeRecoveryCode('ABC')).toBeNull();
  });
});
