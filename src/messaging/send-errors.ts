/**
 * What a failed send says, without the personal data a transport's error may quote (the
 * address): the error's class and its SMTP or provider code only.
 */
export function errorClass(error: unknown): string {
  const code = (error as { responseCode?: number; providerCode?: number | null } | null) ?? {};
  const suffix = code.responseCode ?? code.providerCode ?? null;
  return `${(error as Error | null)?.name ?? 'Error'}${suffix === null ? '' : ` ${suffix}`}`;
}

// RFC 5321 §4.2.2 replies that mean the mailbox itself is permanently unusable; 552 (storage)
// and 554 (often a policy block of the sender) do not say the address is bad.
const PERMANENT_MAILBOX_CODES = new Set([550, 551, 553]);

/**
 * A hard bounce: the receiving server refused the recipient permanently at RCPT (nodemailer's
 * EENVELOPE with a 550/551/553 reply, or an enhanced status 5.1.x — bad address). Such an
 * address is suppressed (R-E2: sending on to dead addresses ruins the sender's reputation);
 * temporary (4xx) and policy failures are retried instead.
 */
export function isHardBounce(error: unknown): boolean {
  const failure = error as { code?: string; responseCode?: number; response?: string } | null;
  if (failure?.code !== 'EENVELOPE') return false;
  if (failure.responseCode !== undefined && PERMANENT_MAILBOX_CODES.has(failure.responseCode)) {
    return true;
  }
  return /\b5\.1\.\d{1,3}\b/.test(failure.response ?? '');
}
