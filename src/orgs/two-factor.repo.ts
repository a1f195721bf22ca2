import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type TwoFactorState = {
  secretEnc: Uint8Array | null;
  pendingEnc: Uint8Array | null;
  enabledAt: Date | null;
  lastStep: number | null;
};

export async function findTwoFactorState(tx: Tx, userId: string): Promise<TwoFactorState | null> {
  const rows = await tx.query<{
    totp_secret_enc: Uint8Array | null;
    totp_pending_enc: Uint8Array | null;
    totp_enabled_at: Date | null;
    totp_last_step: number | string | null;
  }>(sql`
    SELECT totp_secret_enc, totp_pending_enc, totp_enabled_at, totp_last_step
    FROM users WHERE id = ${userId} FOR UPDATE`);
  const row = rows[0];
  if (!row) return null;
  return {
    secretEnc: row.totp_secret_enc,
    pendingEnc: row.totp_pending_enc,
    enabledAt: row.totp_enabled_at,
    lastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  };
}

export async function setPendingSecret(
  tx: Tx,
  userId: string,
  pendingEnc: Uint8Array,
): Promise<void> {
  await tx.execute(sql`UPDATE users SET totp_pending_enc = ${pendingEnc} WHERE id = ${userId}`);
}

export async function enableTwoFactor(
  tx: Tx,
  userId: string,
  input: { secretEnc: Uint8Array; step: number; at: Date },
): Promise<void> {
  await tx.execute(sql`
    UPDATE users SET totp_secret_enc = ${input.secretEnc}, totp_pending_enc = NULL,
      totp_enabled_at = ${input.at}, totp_last_step = ${input.step}
    WHERE id = ${userId}`);
}

export async function disableTwoFactor(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`
    UPDATE users SET totp_secret_enc = NULL, totp_pending_enc = NULL, totp_enabled_at = NULL,
      totp_last_step = NULL
    WHERE id = ${userId}`);
  await tx.execute(sql`DELETE FROM user_recovery_codes WHERE user_id = ${userId}`);
}

export async function setLastStep(tx: Tx, userId: string, step: number): Promise<void> {
  await tx.execute(sql`UPDATE users SET totp_last_step = ${step} WHERE id = ${userId}`);
}

export async function replaceRecoveryCodes(
  tx: Tx,
  userId: string,
  codeHashes: readonly string[],
  at: Date,
): Promise<void> {
  await tx.execute(sql`DELETE FROM user_recovery_codes WHERE user_id = ${userId}`);
  for (const codeHash of codeHashes) {
    await tx.execute(sql`
      INSERT INTO user_recovery_codes (user_id, code_hash, created_at)
      VALUES (${userId}, ${codeHash}, ${at})`);
  }
}

/** Marks an unused recovery code used; false when there was none. */
export async function spendRecoveryCode(
  tx: Tx,
  userId: string,
  codeHash: string,
  at: Date,
): Promise<boolean> {
  const rows = await tx.query<{ user_id: string }>(sql`
    UPDATE user_recovery_codes SET used_at = ${at}
    WHERE user_id = ${userId} AND code_hash = ${codeHash} AND used_at IS NULL
    RETURNING user_id`);
  return rows.length > 0;
}

export async function countUnusedRecoveryCodes(tx: Tx, userId: string): Promise<number> {
  const [row] = await tx.query<{ count: number | string }>(sql`
    SELECT count(*) AS count FROM user_recovery_codes WHERE user_id = ${userId} AND used_at IS NULL`);
  return Number(row?.count ?? 0);
}

export async function insertLoginChallenge(
  tx: Tx,
  input: { tokenHash: string; userId: string; expiresAt: Date; at: Date },
): Promise<void> {
  await tx.execute(sql`DELETE FROM login_challenges WHERE expires_at < ${input.at}`);
  await tx.execute(sql`
    INSERT INTO login_challenges (token_hash, user_id, expires_at, created_at)
    VALUES (${input.tokenHash}, ${input.userId}, ${input.expiresAt}, ${input.at})`);
}

/** Counts one attempt on a live challenge and returns it; null when unknown or expired. */
export async function attemptLoginChallenge(
  tx: Tx,
  tokenHash: string,
  now: Date,
): Promise<{ id: string; userId: string; attempts: number } | null> {
  const rows = await tx.query<{ id: string; user_id: string; attempts: number }>(sql`
    UPDATE login_challenges SET attempts = attempts + 1
    WHERE token_hash = ${tokenHash} AND expires_at > ${now}
    RETURNING id, user_id, attempts`);
  const row = rows[0];
  return row ? { id: row.id, userId: row.user_id, attempts: row.attempts } : null;
}

export async function deleteLoginChallenge(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`DELETE FROM login_challenges WHERE id = ${id}`);
}
