import type { Role } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type OrgRecord = { id: string; slug: string; name: string; locale: 'ru' | 'en' };

export type UserRecord = {
  id: string;
  emailIndex: string;
  emailEnc: Uint8Array;
  nameEnc: Uint8Array;
  passwordHash: string;
  locale: 'ru' | 'en';
  disabledAt: Date | null;
  /** When the second factor (TOTP) was turned on; null without one. */
  twoFactorEnabledAt?: Date | null;
};

export type MembershipRecord = {
  orgId: string;
  orgSlug: string;
  orgName: string;
  userId: string;
  role: Role;
  createdAt: Date;
};

type StoredUser = {
  id: string;
  email_index: string;
  email_enc: Uint8Array;
  name_enc: Uint8Array;
  password_hash: string;
  locale: 'ru' | 'en';
  disabled_at: Date | null;
  totp_enabled_at?: Date | null;
};

function toUser(row: StoredUser): UserRecord {
  return {
    id: row.id,
    emailIndex: row.email_index,
    emailEnc: row.email_enc,
    nameEnc: row.name_enc,
    passwordHash: row.password_hash,
    locale: row.locale,
    disabledAt: row.disabled_at,
    twoFactorEnabledAt: row.totp_enabled_at ?? null,
  };
}

// Organizations

export async function insertOrg(tx: Tx, org: OrgRecord): Promise<void> {
  await tx.execute(sql`
    INSERT INTO organizations (id, slug, name, locale)
    VALUES (${org.id}, ${org.slug}, ${org.name}, ${org.locale})`);
}

/** Global lookup by id or slug (for the CLI); runs as the owner, outside any scope. */
export async function findOrgByRef(tx: Tx, ref: string): Promise<OrgRecord | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const rows = await tx.query<OrgRecord>(
    isUuid
      ? sql`SELECT id, slug, name, locale FROM organizations WHERE id = ${ref}`
      : sql`SELECT id, slug, name, locale FROM organizations WHERE slug = ${ref.toLowerCase()}`,
  );
  return rows[0] ?? null;
}

export async function countUsers(tx: Tx): Promise<number> {
  const [row] = await tx.query<{ count: number | string }>(
    sql`SELECT count(*) AS count FROM users`,
  );
  return Number(row?.count ?? 0);
}

// Users

export async function insertUser(tx: Tx, user: Omit<UserRecord, 'disabledAt'>): Promise<void> {
  await tx.execute(sql`
    INSERT INTO users (id, email_index, email_enc, name_enc, password_hash, locale)
    VALUES (${user.id}, ${user.emailIndex}, ${user.emailEnc}, ${user.nameEnc},
            ${user.passwordHash}, ${user.locale})`);
}

export async function findUserByEmailIndex(tx: Tx, emailIndex: string): Promise<UserRecord | null> {
  const rows = await tx.query<StoredUser>(sql`
    SELECT id, email_index, email_enc, name_enc, password_hash, locale, disabled_at, totp_enabled_at
    FROM users WHERE email_index = ${emailIndex}`);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function findUserById(tx: Tx, userId: string): Promise<UserRecord | null> {
  const rows = await tx.query<StoredUser>(sql`
    SELECT id, email_index, email_enc, name_enc, password_hash, locale, disabled_at, totp_enabled_at
    FROM users WHERE id = ${userId}`);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function findUsersByIds(tx: Tx, userIds: readonly string[]): Promise<UserRecord[]> {
  if (userIds.length === 0) return [];
  const rows = await tx.query<StoredUser>(sql`
    SELECT id, email_index, email_enc, name_enc, password_hash, locale, disabled_at, totp_enabled_at
    FROM users WHERE id = ANY(${[...userIds]}::uuid[])`);
  return rows.map(toUser);
}

export async function updateUser(
  tx: Tx,
  userId: string,
  changes: { passwordHash?: string; locale?: 'ru' | 'en'; nameEnc?: Uint8Array; at: Date },
): Promise<void> {
  if (changes.passwordHash !== undefined) {
    await tx.execute(sql`
      UPDATE users SET password_hash = ${changes.passwordHash}, password_changed_at = ${changes.at}
      WHERE id = ${userId}`);
  }
  if (changes.locale !== undefined) {
    await tx.execute(sql`UPDATE users SET locale = ${changes.locale} WHERE id = ${userId}`);
  }
  if (changes.nameEnc !== undefined) {
    await tx.execute(sql`UPDATE users SET name_enc = ${changes.nameEnc} WHERE id = ${userId}`);
  }
}

// Memberships (row-level security: the current organization's, plus the user's own)

type StoredMembership = {
  org_id: string;
  org_slug: string;
  org_name: string;
  user_id: string;
  role: Role;
  created_at: Date;
};

function toMembership(row: StoredMembership): MembershipRecord {
  return {
    orgId: row.org_id,
    orgSlug: row.org_slug,
    orgName: row.org_name,
    userId: row.user_id,
    role: row.role,
    createdAt: row.created_at,
  };
}

export async function findMembershipsOfUser(tx: Tx, userId: string): Promise<MembershipRecord[]> {
  const rows = await tx.query<StoredMembership>(sql`
    SELECT m.org_id, o.slug AS org_slug, o.name AS org_name, m.user_id, m.role, m.created_at
    FROM memberships m JOIN organizations o ON o.id = m.org_id
    WHERE m.user_id = ${userId}
    ORDER BY o.name`);
  return rows.map(toMembership);
}

export async function findMembersOfOrg(tx: Tx, orgId: string): Promise<MembershipRecord[]> {
  const rows = await tx.query<StoredMembership>(sql`
    SELECT m.org_id, o.slug AS org_slug, o.name AS org_name, m.user_id, m.role, m.created_at
    FROM memberships m JOIN organizations o ON o.id = m.org_id
    WHERE m.org_id = ${orgId}
    ORDER BY m.created_at`);
  return rows.map(toMembership);
}

export async function findMembership(
  tx: Tx,
  orgId: string,
  userId: string,
): Promise<MembershipRecord | null> {
  const rows = await tx.query<StoredMembership>(sql`
    SELECT m.org_id, o.slug AS org_slug, o.name AS org_name, m.user_id, m.role, m.created_at
    FROM memberships m JOIN organizations o ON o.id = m.org_id
    WHERE m.org_id = ${orgId} AND m.user_id = ${userId}`);
  return rows[0] ? toMembership(rows[0]) : null;
}

export async function insertMembership(
  tx: Tx,
  membership: { orgId: string; userId: string; role: Role },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO memberships (org_id, user_id, role)
    VALUES (${membership.orgId}, ${membership.userId}, ${membership.role})`);
}

export async function updateMembershipRole(
  tx: Tx,
  orgId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await tx.execute(
    sql`UPDATE memberships SET role = ${role} WHERE org_id = ${orgId} AND user_id = ${userId}`,
  );
}

export async function deleteMembership(tx: Tx, orgId: string, userId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM memberships WHERE org_id = ${orgId} AND user_id = ${userId}`);
}

export async function countOwners(tx: Tx, orgId: string): Promise<number> {
  const [row] = await tx.query<{ count: number | string }>(
    sql`SELECT count(*) AS count FROM memberships WHERE org_id = ${orgId} AND role = 'owner'`,
  );
  return Number(row?.count ?? 0);
}

// Sessions

export type SessionRecord = {
  id: string;
  userId: string;
  currentOrgId: string | null;
  expiresAt: Date;
  lastSeenAt: Date;
  createdAt: Date;
};

export async function insertSession(
  tx: Tx,
  session: {
    tokenHash: string;
    userId: string;
    currentOrgId: string | null;
    expiresAt: Date;
    at: Date;
  },
): Promise<string> {
  const [row] = await tx.query<{ id: string }>(sql`
    INSERT INTO sessions (token_hash, user_id, current_org_id, expires_at, created_at, last_seen_at)
    VALUES (${session.tokenHash}, ${session.userId}, ${session.currentOrgId},
            ${session.expiresAt}, ${session.at}, ${session.at})
    RETURNING id`);
  if (!row) throw new Error('Session insert returned no row');
  return row.id;
}

export async function findSessionByTokenHash(
  tx: Tx,
  tokenHash: string,
): Promise<SessionRecord | null> {
  const rows = await tx.query<{
    id: string;
    user_id: string;
    current_org_id: string | null;
    expires_at: Date;
    last_seen_at: Date;
    created_at: Date;
  }>(sql`
    SELECT id, user_id, current_org_id, expires_at, last_seen_at, created_at
    FROM sessions WHERE token_hash = ${tokenHash}`);
  const row = rows[0];
  return row
    ? {
        id: row.id,
        userId: row.user_id,
        currentOrgId: row.current_org_id,
        expiresAt: row.expires_at,
        lastSeenAt: row.last_seen_at,
        createdAt: row.created_at,
      }
    : null;
}

export async function touchSession(tx: Tx, sessionId: string, at: Date, expiresAt: Date) {
  await tx.execute(
    sql`UPDATE sessions SET last_seen_at = ${at}, expires_at = ${expiresAt} WHERE id = ${sessionId}`,
  );
}

export async function setSessionOrg(tx: Tx, sessionId: string, orgId: string | null) {
  await tx.execute(sql`UPDATE sessions SET current_org_id = ${orgId} WHERE id = ${sessionId}`);
}

export async function purgeExpiredSessions(tx: Tx, now: Date): Promise<void> {
  await tx.execute(sql`DELETE FROM sessions WHERE expires_at < ${now}`);
}

export async function deleteSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM sessions WHERE id = ${sessionId}`);
}

export async function deleteSessionsOfUser(
  tx: Tx,
  userId: string,
  exceptSessionId: string | null,
): Promise<void> {
  await tx.execute(sql`
    DELETE FROM sessions
    WHERE user_id = ${userId} AND (${exceptSessionId}::uuid IS NULL OR id <> ${exceptSessionId}::uuid)`);
}

// Login attempts

export async function insertLoginAttempt(
  tx: Tx,
  attempt: { emailIndex: string; ipIndex: string; succeeded: boolean; at: Date },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO login_attempts (email_index, ip_index, succeeded, at)
    VALUES (${attempt.emailIndex}, ${attempt.ipIndex}, ${attempt.succeeded}, ${attempt.at})`);
}

/** Failures since the window start and since the last success, oldest first. */
export async function findRecentFailures(
  tx: Tx,
  key: { column: 'email' | 'ip'; value: string; since: Date },
): Promise<Date[]> {
  const column = key.column === 'email' ? sql`email_index` : sql`ip_index`;
  const rows = await tx.query<{ at: Date }>(sql`
    SELECT at FROM login_attempts
    WHERE ${column} = ${key.value} AND at > ${key.since} AND NOT succeeded
      AND at > coalesce((SELECT max(at) FROM login_attempts
                         WHERE ${column} = ${key.value} AND succeeded), '-infinity')
    ORDER BY at`);
  return rows.map((row) => row.at);
}

export async function purgeLoginAttempts(tx: Tx, before: Date): Promise<void> {
  await tx.execute(sql`DELETE FROM login_attempts WHERE at < ${before}`);
}

// API tokens

export type ApiTokenRecord = {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

type StoredToken = {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
};

function toToken(row: StoredToken): ApiTokenRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export async function insertApiToken(
  tx: Tx,
  token: {
    orgId: string;
    name: string;
    role: Role;
    tokenHash: string;
    createdBy: string | null;
    expiresAt: Date | null;
    at: Date;
  },
): Promise<ApiTokenRecord> {
  const [row] = await tx.query<StoredToken>(sql`
    INSERT INTO api_tokens (org_id, name, role, token_hash, created_by, expires_at, created_at)
    VALUES (${token.orgId}, ${token.name}, ${token.role}, ${token.tokenHash}, ${token.createdBy},
            ${token.expiresAt}, ${token.at})
    RETURNING id, name, role, created_at, last_used_at, expires_at, revoked_at`);
  if (!row) throw new Error('Token insert returned no row');
  return toToken(row);
}

export async function findApiTokens(tx: Tx): Promise<ApiTokenRecord[]> {
  const rows = await tx.query<StoredToken>(sql`
    SELECT id, name, role, created_at, last_used_at, expires_at, revoked_at
    FROM api_tokens ORDER BY created_at DESC`);
  return rows.map(toToken);
}

export async function findApiTokenByIds(tx: Tx, ids: readonly string[]): Promise<ApiTokenRecord[]> {
  if (ids.length === 0) return [];
  const rows = await tx.query<StoredToken>(sql`
    SELECT id, name, role, created_at, last_used_at, expires_at, revoked_at
    FROM api_tokens WHERE id = ANY(${[...ids]}::uuid[])`);
  return rows.map(toToken);
}

export async function revokeApiToken(tx: Tx, tokenId: string, at: Date): Promise<number> {
  return tx.execute(sql`
    UPDATE api_tokens SET revoked_at = ${at} WHERE id = ${tokenId} AND revoked_at IS NULL`);
}

/** Bearer lookup through the narrow definer function (the organization is not known yet). */
export async function findApiTokenByHash(
  tx: Tx,
  tokenHash: string,
  now: Date,
): Promise<{ id: string; orgId: string; role: Role } | null> {
  const rows = await tx.query<{ id: string; org_id: string; role: Role }>(
    sql`SELECT id, org_id, role FROM find_api_token(${tokenHash}, ${now})`,
  );
  const row = rows[0];
  return row ? { id: row.id, orgId: row.org_id, role: row.role } : null;
}

export async function touchApiToken(tx: Tx, tokenId: string, at: Date): Promise<void> {
  await tx.execute(sql`
    UPDATE api_tokens SET last_used_at = ${at}
    WHERE id = ${tokenId} AND (last_used_at IS NULL OR last_used_at < ${at}::timestamptz - interval '1 minute')`);
}
