import QRCode from 'qrcode';
import { recordAudit } from '../access-log/access-log.service.ts';
import { decrypt, encrypt } from '../platform/crypto.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Authenticated } from '../platform/http/app-env.ts';
import {
  type AuthDeps,
  checkSecondFactor,
  openUserField,
  recoveryCodeHash,
  requireUserSession,
  systemCtx,
} from './auth.service.ts';
import { deleteSessionsOfUser, findUserById } from './orgs.repo.ts';
import { verifyPassword } from './password.ts';
import {
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  totpUri,
  verifyTotp,
} from './totp.ts';
import {
  disableTwoFactor as clearTwoFactor,
  countUnusedRecoveryCodes,
  findTwoFactorState,
  replaceRecoveryCodes,
  setPendingSecret,
  enableTwoFactor as storeTwoFactor,
} from './two-factor.repo.ts';

const GLOBAL = { orgId: null } as const;

function secretAad(userId: string): string {
  return `users:${userId}:totp`;
}

async function requirePassword(deps: AuthDeps, userId: string, password: string): Promise<void> {
  const user = await withTx(deps.db, GLOBAL, (tx) => findUserById(tx, userId));
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    throw new AppError('validation_failed', 'The password is wrong', {
      fields: { password: ['Wrong password'] },
    });
  }
}

async function audit(
  deps: AuthDeps,
  auth: Authenticated,
  action: string,
  userId: string,
  now: Date,
  requestId: string | null,
): Promise<void> {
  if (!auth.orgId) return;
  const ctx = systemCtx(deps, { orgId: auth.orgId, actor: auth.actor, now, requestId });
  await withTx(deps.db, { orgId: auth.orgId }, (tx) =>
    recordAudit(tx, ctx, { action, entityType: 'user', entityId: userId }),
  );
}

export async function twoFactorStatus(deps: AuthDeps, auth: Authenticated) {
  const { userId } = requireUserSession(auth);
  return withTx(deps.db, GLOBAL, async (tx) => {
    const state = await findTwoFactorState(tx, userId);
    return {
      enabled: Boolean(state?.enabledAt),
      enabledAt: state?.enabledAt?.toISOString() ?? null,
      recoveryCodesLeft: state?.enabledAt ? await countUnusedRecoveryCodes(tx, userId) : 0,
    };
  });
}

/**
 * Starts turning the second factor on: a new secret, kept aside until a code from it is
 * confirmed, shown once as text and as a QR code. Needs the password again.
 */
export async function startTwoFactorSetup(
  deps: AuthDeps,
  auth: Authenticated,
  input: { password: string },
) {
  const { userId } = requireUserSession(auth);
  await requirePassword(deps, userId, input.password);
  const secret = newTotpSecret();
  const user = await withTx(deps.db, GLOBAL, async (tx) => {
    const state = await findTwoFactorState(tx, userId);
    if (state?.enabledAt) {
      throw new AppError('conflict', 'Two-factor sign-in is already on; turn it off first');
    }
    await setPendingSecret(tx, userId, encrypt(deps.keys.dataKey, secret, secretAad(userId)));
    return findUserById(tx, userId);
  });
  if (!user) throw new AppError('unauthenticated', 'The account no longer exists');
  const otpauthUri = totpUri(secret, openUserField(deps.keys, user, 'email'), 'Soglasie');
  const qrSvg = await QRCode.toString(otpauthUri, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 1,
  });
  return { secret, otpauthUri, qrSvg };
}

/**
 * Confirms the pending secret with a code from the app: from now on sign-in asks for a code.
 * Returns ten recovery codes, shown once; other sessions of the account end.
 */
export async function confirmTwoFactor(
  deps: AuthDeps,
  auth: Authenticated,
  input: { code: string; now: Date; requestId: string | null },
): Promise<{ recoveryCodes: string[] }> {
  const { userId, sessionId } = requireUserSession(auth);
  const recoveryCodes = newRecoveryCodes();
  await withTx(deps.db, GLOBAL, async (tx) => {
    const state = await findTwoFactorState(tx, userId);
    if (state?.enabledAt) throw new AppError('conflict', 'Two-factor sign-in is already on');
    if (!state?.pendingEnc) {
      throw new AppError('conflict', 'Start the setup first: no secret is waiting for a code');
    }
    const secret = decrypt(deps.keys.dataKey, state.pendingEnc, secretAad(userId));
    const step = verifyTotp(secret, input.code, input.now, null);
    if (step === null) {
      throw new AppError('validation_failed', 'The code does not match', {
        fields: { code: ['The code does not match: check the time on the phone'] },
      });
    }
    await storeTwoFactor(tx, userId, {
      secretEnc: encrypt(deps.keys.dataKey, secret, secretAad(userId)),
      step,
      at: input.now,
    });
    await replaceRecoveryCodes(
      tx,
      userId,
      recoveryCodes.map((code) =>
        recoveryCodeHash(deps.keys, userId, normalizeRecoveryCode(code) ?? code),
      ),
      input.now,
    );
    await deleteSessionsOfUser(tx, userId, sessionId);
  });
  await audit(deps, auth, 'user.two_factor_enabled', userId, input.now, input.requestId);
  return { recoveryCodes };
}

/** Turns the second factor off: needs the password and a current code (or a recovery code). */
export async function turnOffTwoFactor(
  deps: AuthDeps,
  auth: Authenticated,
  input: { password: string; code: string; now: Date; requestId: string | null },
): Promise<void> {
  const { userId } = requireUserSession(auth);
  await requirePassword(deps, userId, input.password);
  await withTx(deps.db, GLOBAL, async (tx) => {
    if (!(await checkSecondFactor(deps.keys, tx, userId, input.code, input.now))) {
      throw new AppError('validation_failed', 'The code is wrong', {
        fields: { code: ['Wrong code'] },
      });
    }
    await clearTwoFactor(tx, userId);
  });
  await audit(deps, auth, 'user.two_factor_disabled', userId, input.now, input.requestId);
}

/** New recovery codes for lost or used ones; the old ones stop working. Needs a current code. */
export async function renewRecoveryCodes(
  deps: AuthDeps,
  auth: Authenticated,
  input: { code: string; now: Date; requestId: string | null },
): Promise<{ recoveryCodes: string[] }> {
  const { userId } = requireUserSession(auth);
  const recoveryCodes = newRecoveryCodes();
  await withTx(deps.db, GLOBAL, async (tx) => {
    if (!(await checkSecondFactor(deps.keys, tx, userId, input.code, input.now))) {
      throw new AppError('validation_failed', 'The code is wrong', {
        fields: { code: ['Wrong code'] },
      });
    }
    await replaceRecoveryCodes(
      tx,
      userId,
      recoveryCodes.map((code) =>
        recoveryCodeHash(deps.keys, userId, normalizeRecoveryCode(code) ?? code),
      ),
      input.now,
    );
  });
  await audit(deps, auth, 'user.recovery_codes_renewed', userId, input.now, input.requestId);
  return { recoveryCodes };
}
