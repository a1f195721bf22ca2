import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { orgKeyring } from '../keys/keys.service.ts';
import type { Actor, Ctx, Role } from '../platform/context.ts';
import {
  blindIndex,
  decrypt,
  encrypt,
  type Keys,
  normalizeEmail,
  randomToken,
  sha256Hex,
} from '../platform/crypto.ts';
import type { Db, Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Authenticated, Authenticator } from '../platform/http/app-env.ts';
import { csrfTokenFor } from '../platform/http/auth.ts';
import { permissionsOf } from '../platform/permissions.ts';
import {
  countUsers,
  deleteSession,
  deleteSessionsOfUser,
  findApiTokenByHash,
  findMembership,
  findMembershipsOfUser,
  findOrgByRef,
  findRecentFailures,
  findSessionByTokenHash,
  findUserByEmailIndex,
  findUserById,
  insertLoginAttempt,
  insertMembership,
  insertOrg,
  insertSession,
  insertUser,
  type OrgRecord,
  purgeExpiredSessions,
  purgeLoginAttempts,
  setSessionOrg,
  touchApiToken,
  touchSession,
  type UserRecord,
  updateUser,
} from './orgs.repo.ts';
import type { TMe } from './orgs.schema.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { normalizeRecoveryCode, verifyTotp } from './totp.ts';
import {
  attemptLoginChallenge,
  deleteLoginChallenge,
  findTwoFactorState,
  insertLoginChallenge,
  setLastStep,
  spendRecoveryCode,
} from './two-factor.repo.ts';

export type AuthDeps = { db: Db; keys: Keys; publicUrl?: string };

/** A session lives 12 hours from its last use, and 7 days at most however it is used. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
const SESSION_TOUCH_MS = 5 * 60 * 1000;
export const TOKEN_PREFIX = 'sg_';

/** Login throttling: 5 failures per account or 50 per address within 15 minutes. */
export const THROTTLE = { windowMs: 15 * 60 * 1000, perEmail: 5, perIp: 50 } as const;

const GLOBAL = { orgId: null } as const;

export function emailIndexOf(keys: Keys, email: string): string {
  return blindIndex(keys.indexKey, 'email', normalizeEmail(email));
}

export function sealUserField(keys: Keys, userId: string, field: 'email' | 'name', value: string) {
  return encrypt(keys.dataKey, value, `users:${userId}:${field}`);
}

export function openUserField(keys: Keys, user: UserRecord, field: 'email' | 'name'): string {
  return decrypt(
    keys.dataKey,
    field === 'email' ? user.emailEnc : user.nameEnc,
    `users:${user.id}:${field}`,
  );
}

/** A context for records made by the system or on behalf of an identity in an organization. */
export function systemCtx(
  deps: AuthDeps,
  input: {
    orgId: string;
    actor?: Actor;
    now: Date;
    requestId?: string | null;
    route?: string | null;
    role?: Role;
  },
): Ctx {
  return {
    db: deps.db,
    keys: deps.keys,
    orgId: input.orgId,
    actor: input.actor ?? { type: 'system', label: 'system' },
    role: input.role ?? 'owner',
    now: input.now,
    requestId: input.requestId ?? null,
    route: input.route ?? null,
    publicUrl: deps.publicUrl ?? 'http://localhost:3000',
  };
}

// Credentials → identity

export function createAuthenticator(deps: AuthDeps): Authenticator {
  return {
    async bySessionToken(token, now) {
      if (token.length > 200) return null;
      const found = await withTx(deps.db, GLOBAL, async (tx) => {
        const session = await findSessionByTokenHash(tx, sha256Hex(token));
        if (!session || session.expiresAt <= now) return null;
        if (now.getTime() - session.createdAt.getTime() > SESSION_MAX_MS) return null;
        const user = await findUserById(tx, session.userId);
        if (!user || user.disabledAt) return null;
        if (now.getTime() - session.lastSeenAt.getTime() > SESSION_TOUCH_MS) {
          await touchSession(tx, session.id, now, new Date(now.getTime() + SESSION_IDLE_MS));
        }
        return session;
      });
      if (!found) return null;
      let role: Role | null = null;
      if (found.currentOrgId) {
        const membership = await withTx(
          deps.db,
          { orgId: found.currentOrgId, userId: found.userId },
          (tx) => findMembership(tx, found.currentOrgId as string, found.userId),
        );
        role = membership?.role ?? null;
      }
      return {
        actor: { type: 'user', userId: found.userId, sessionId: found.id },
        userId: found.userId,
        sessionId: found.id,
        orgId: role ? found.currentOrgId : null,
        role,
        via: 'session',
        sessionToken: token,
      };
    },
    async byApiToken(token, now) {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
      const found = await withTx(deps.db, GLOBAL, (tx) =>
        findApiTokenByHash(tx, sha256Hex(token), now),
      );
      if (!found) return null;
      await withTx(deps.db, { orgId: found.orgId }, (tx) => touchApiToken(tx, found.id, now));
      return {
        actor: { type: 'token', tokenId: found.id },
        userId: null,
        sessionId: null,
        orgId: found.orgId,
        role: found.role,
        via: 'token',
        sessionToken: null,
      };
    },
  };
}

// Login and sessions

export type LoginResult = { sessionToken: string; csrfToken: string; me: TMe };
/** A right password on an account with a second factor: the code is still to come. */
export type TwoFactorChallenge = { twoFactor: { challenge: string; expiresAt: Date } };

/** How long the second step of a sign-in may wait, and how many codes it may try. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
export const CHALLENGE_MAX_ATTEMPTS = 5;

export async function login(
  deps: AuthDeps,
  input: { email: string; password: string; ip: string; now: Date; requestId: string | null },
): Promise<LoginResult | TwoFactorChallenge> {
  const emailIndex = emailIndexOf(deps.keys, input.email);
  const ipIndex = blindIndex(deps.keys.indexKey, 'ip', input.ip);
  await refuseWhenThrottled(deps, { emailIndex, ipIndex, now: input.now });

  const user = await withTx(deps.db, GLOBAL, (tx) => findUserByEmailIndex(tx, emailIndex));
  const isValid = await verifyPassword(user?.passwordHash ?? null, input.password);
  const succeeded = Boolean(user && isValid && !user.disabledAt);
  // With a second factor the right password is not yet a successful sign-in: it is recorded
  // (and resets the failure count) only when the code is right, so guessing codes stays throttled.
  const challenge = await withTx(deps.db, GLOBAL, async (tx) => {
    const state = user && succeeded ? await findTwoFactorState(tx, user.id) : null;
    if (!state?.enabledAt) {
      await insertLoginAttempt(tx, { emailIndex, ipIndex, succeeded, at: input.now });
    }
    // Attempts older than a day serve no throttling window.
    await purgeLoginAttempts(tx, new Date(input.now.getTime() - 24 * 60 * 60 * 1000));
    await purgeExpiredSessions(tx, input.now);
    if (!user || !state?.enabledAt) return null;
    const challenge = randomToken();
    const expiresAt = new Date(input.now.getTime() + CHALLENGE_TTL_MS);
    await insertLoginChallenge(tx, {
      tokenHash: sha256Hex(challenge),
      userId: user.id,
      expiresAt,
      at: input.now,
    });
    return { twoFactor: { challenge, expiresAt } };
  });
  if (!user || !succeeded) {
    throw new AppError('invalid_credentials', 'Email or password is wrong');
  }
  if (challenge) return challenge;
  return openSession(deps, user, input.now, input.requestId);
}

/**
 * The second step of a sign-in: a code from the authenticator app (each time step once) or an
 * unused recovery code. Wrong codes count as failed sign-ins of the account, so the password
 * throttle covers them, and a challenge allows five tries.
 */
export async function completeTwoFactorLogin(
  deps: AuthDeps,
  input: { challenge: string; code: string; ip: string; now: Date; requestId: string | null },
): Promise<LoginResult> {
  const found = await withTx(deps.db, GLOBAL, (tx) =>
    attemptLoginChallenge(tx, sha256Hex(input.challenge), input.now),
  );
  if (!found) {
    throw new AppError('invalid_credentials', 'The sign-in expired; enter the password again');
  }
  const user = await withTx(deps.db, GLOBAL, (tx) => findUserById(tx, found.userId));
  if (!user || user.disabledAt) {
    throw new AppError('invalid_credentials', 'The sign-in expired; enter the password again');
  }
  const emailIndex = user.emailIndex;
  const ipIndex = blindIndex(deps.keys.indexKey, 'ip', input.ip);
  if (found.attempts > CHALLENGE_MAX_ATTEMPTS) {
    await withTx(deps.db, GLOBAL, (tx) => deleteLoginChallenge(tx, found.id));
    throw new AppError('too_many_attempts', 'Too many wrong codes; sign in again');
  }
  await refuseWhenThrottled(deps, { emailIndex, ipIndex, now: input.now });
  const accepted = await withTx(deps.db, GLOBAL, async (tx) => {
    const ok = await checkSecondFactor(deps.keys, tx, user.id, input.code, input.now);
    await insertLoginAttempt(tx, { emailIndex, ipIndex, succeeded: ok, at: input.now });
    if (ok) await deleteLoginChallenge(tx, found.id);
    return ok;
  });
  if (!accepted) throw new AppError('invalid_credentials', 'The code is wrong');
  return openSession(deps, user, input.now, input.requestId);
}

/** Checks a TOTP code or a recovery code of the user, and spends it. Inside the caller's tx. */
export async function checkSecondFactor(
  keys: Keys,
  tx: Tx,
  userId: string,
  code: string,
  now: Date,
): Promise<boolean> {
  const state = await findTwoFactorState(tx, userId);
  if (!state?.secretEnc) return false;
  const secret = decrypt(keys.dataKey, state.secretEnc, `users:${userId}:totp`);
  const step = verifyTotp(secret, code, now, state.lastStep);
  if (step !== null) {
    await setLastStep(tx, userId, step);
    return true;
  }
  const recovery = normalizeRecoveryCode(code);
  if (!recovery) return false;
  return spendRecoveryCode(tx, userId, recoveryCodeHash(keys, userId, recovery), now);
}

/** Recovery codes are kept as keyed hashes: a copy of the database alone does not reveal them. */
export function recoveryCodeHash(keys: Keys, userId: string, normalizedCode: string): string {
  return blindIndex(keys.indexKey, 'recovery', `${userId}:${normalizedCode}`);
}

async function refuseWhenThrottled(
  deps: AuthDeps,
  input: { emailIndex: string; ipIndex: string; now: Date },
): Promise<void> {
  const { emailIndex, ipIndex } = input;
  const since = new Date(input.now.getTime() - THROTTLE.windowMs);
  await withTx(deps.db, GLOBAL, async (tx) => {
    const byEmail = await findRecentFailures(tx, { column: 'email', value: emailIndex, since });
    const byIp = await findRecentFailures(tx, { column: 'ip', value: ipIndex, since });
    const blocking =
      byEmail.length >= THROTTLE.perEmail
        ? byEmail[byEmail.length - THROTTLE.perEmail]
        : byIp.length >= THROTTLE.perIp
          ? byIp[byIp.length - THROTTLE.perIp]
          : undefined;
    if (blocking) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((blocking.getTime() + THROTTLE.windowMs - input.now.getTime()) / 1000),
      );
      throw new AppError('too_many_attempts', 'Too many failed logins; wait and try again', {
        details: { retryAfterSeconds },
        headers: { 'Retry-After': String(retryAfterSeconds) },
      });
    }
  });
}

async function openSession(
  deps: AuthDeps,
  user: UserRecord,
  now: Date,
  requestId: string | null,
): Promise<LoginResult> {
  const sessionToken = randomToken();
  const memberships = await withTx(deps.db, { orgId: null, userId: user.id }, (tx) =>
    findMembershipsOfUser(tx, user.id),
  );
  const first = memberships[0] ?? null;
  const sessionId = await withTx(deps.db, GLOBAL, (tx) =>
    insertSession(tx, {
      tokenHash: sha256Hex(sessionToken),
      userId: user.id,
      currentOrgId: first?.orgId ?? null,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      at: now,
    }),
  );
  if (first) {
    const ctx = systemCtx(deps, {
      orgId: first.orgId,
      actor: { type: 'user', userId: user.id, sessionId },
      now,
      requestId,
      role: first.role,
    });
    await withTx(deps.db, { orgId: first.orgId }, (tx) =>
      recordAudit(tx, ctx, { action: 'auth.login', entityType: 'session', entityId: sessionId }),
    );
  }
  const csrfToken = csrfTokenFor(deps.keys.csrfKey, sessionToken);
  const me = await getMe(deps, {
    userId: user.id,
    currentOrgId: first?.orgId ?? null,
    csrfToken,
  });
  return { sessionToken, csrfToken, me };
}

export async function logout(
  deps: AuthDeps,
  auth: Authenticated,
  now: Date,
  requestId: string | null,
) {
  if (!auth.sessionId) return;
  const sessionId = auth.sessionId;
  await withTx(deps.db, GLOBAL, (tx) => deleteSession(tx, sessionId));
  if (auth.orgId && auth.userId) {
    const ctx = systemCtx(deps, { orgId: auth.orgId, actor: auth.actor, now, requestId });
    await withTx(deps.db, { orgId: auth.orgId }, (tx) =>
      recordAudit(tx, ctx, { action: 'auth.logout', entityType: 'session', entityId: sessionId }),
    );
  }
}

export async function getMe(
  deps: AuthDeps,
  input: { userId: string; currentOrgId: string | null; csrfToken: string },
): Promise<TMe> {
  return withTx(deps.db, { orgId: null, userId: input.userId }, async (tx) => {
    const user = await findUserById(tx, input.userId);
    if (!user) throw new AppError('unauthenticated', 'The account no longer exists');
    const memberships = await findMembershipsOfUser(tx, user.id);
    const current = memberships.find((membership) => membership.orgId === input.currentOrgId);
    return {
      user: {
        id: user.id,
        email: openUserField(deps.keys, user, 'email'),
        name: openUserField(deps.keys, user, 'name'),
        locale: user.locale,
        twoFactor: Boolean(user.twoFactorEnabledAt),
      },
      memberships: memberships.map((membership) => ({
        orgId: membership.orgId,
        orgSlug: membership.orgSlug,
        orgName: membership.orgName,
        role: membership.role,
      })),
      currentOrgId: current?.orgId ?? null,
      role: current?.role ?? null,
      permissions: permissionsOf(current?.role ?? null),
      csrfToken: input.csrfToken,
    };
  });
}

export function meOf(deps: AuthDeps, auth: Authenticated): Promise<TMe> {
  if (!auth.userId || !auth.sessionToken) {
    throw new AppError('forbidden', 'API tokens have no user profile');
  }
  return getMe(deps, {
    userId: auth.userId,
    currentOrgId: auth.orgId,
    csrfToken: csrfTokenFor(deps.keys.csrfKey, auth.sessionToken),
  });
}

export async function switchOrg(
  deps: AuthDeps,
  auth: Authenticated,
  input: { orgId: string; now: Date; requestId: string | null },
): Promise<TMe> {
  const { userId, sessionId } = requireUserSession(auth);
  const membership = await withTx(deps.db, { orgId: input.orgId, userId }, (tx) =>
    findMembership(tx, input.orgId, userId),
  );
  // Another organization's id is answered like a missing one.
  if (!membership) throw new AppError('not_found', 'No such organization among yours');
  await withTx(deps.db, GLOBAL, (tx) => setSessionOrg(tx, sessionId, input.orgId));
  const ctx = systemCtx(deps, {
    orgId: input.orgId,
    actor: auth.actor,
    now: input.now,
    requestId: input.requestId,
  });
  await withTx(deps.db, { orgId: input.orgId }, (tx) =>
    recordAudit(tx, ctx, { action: 'auth.switch_org', entityType: 'session', entityId: sessionId }),
  );
  return meOf(deps, { ...auth, orgId: input.orgId, role: membership.role });
}

export async function changePassword(
  deps: AuthDeps,
  auth: Authenticated,
  input: { currentPassword: string; newPassword: string; now: Date; requestId: string | null },
): Promise<void> {
  const { userId, sessionId } = requireUserSession(auth);
  const user = await withTx(deps.db, GLOBAL, (tx) => findUserById(tx, userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('validation_failed', 'The current password is wrong', {
      fields: { currentPassword: ['Wrong password'] },
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await withTx(deps.db, GLOBAL, async (tx) => {
    await updateUser(tx, userId, { passwordHash, at: input.now });
    // Other sessions end: a changed password locks out whoever else knew the old one.
    await deleteSessionsOfUser(tx, userId, sessionId);
  });
  if (auth.orgId) {
    const ctx = systemCtx(deps, {
      orgId: auth.orgId,
      actor: auth.actor,
      now: input.now,
      requestId: input.requestId,
    });
    await withTx(deps.db, { orgId: auth.orgId }, (tx) =>
      recordAudit(tx, ctx, {
        action: 'user.password_changed',
        entityType: 'user',
        entityId: userId,
      }),
    );
  }
}

export async function updateProfile(
  deps: AuthDeps,
  auth: Authenticated,
  input: {
    locale?: 'ru' | 'en' | undefined;
    name?: string | undefined;
    now: Date;
    requestId: string | null;
  },
): Promise<TMe> {
  const { userId } = requireUserSession(auth);
  if (input.name && auth.orgId) {
    const ctx = systemCtx(deps, {
      orgId: auth.orgId,
      actor: auth.actor,
      now: input.now,
      requestId: input.requestId,
    });
    await withTx(deps.db, { orgId: auth.orgId }, (tx) =>
      recordAudit(tx, ctx, { action: 'user.name_changed', entityType: 'user', entityId: userId }),
    );
  }
  await withTx(deps.db, GLOBAL, (tx) =>
    updateUser(tx, userId, {
      at: input.now,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.name ? { nameEnc: sealUserField(deps.keys, userId, 'name', input.name) } : {}),
    }),
  );
  return meOf(deps, auth);
}

export function requireUserSession(auth: Authenticated): { userId: string; sessionId: string } {
  if (!auth.userId || !auth.sessionId) {
    throw new AppError('forbidden', 'Only a signed-in user can do this');
  }
  return { userId: auth.userId, sessionId: auth.sessionId };
}

// Organizations and their first owner (first-run setup, CLI)

export async function needsSetup(deps: AuthDeps): Promise<boolean> {
  const count = await withTx(deps.db, GLOBAL, (tx) => countUsers(tx));
  return count === 0;
}

export type NewUser = { email: string; name: string; password: string; locale?: 'ru' | 'en' };

/** Finds an account by email or creates it; an existing account keeps its password. */
export async function ensureUser(
  deps: AuthDeps,
  tx: Tx,
  input: NewUser,
): Promise<{ user: UserRecord; isNew: boolean }> {
  const emailIndex = emailIndexOf(deps.keys, input.email);
  const existing = await findUserByEmailIndex(tx, emailIndex);
  if (existing) return { user: existing, isNew: false };
  const id = randomUUID();
  const record = {
    id,
    emailIndex,
    emailEnc: sealUserField(deps.keys, id, 'email', normalizeEmail(input.email)),
    nameEnc: sealUserField(deps.keys, id, 'name', input.name),
    passwordHash: await hashPassword(input.password),
    locale: input.locale ?? 'ru',
  };
  await insertUser(tx, record);
  return { user: { ...record, disabledAt: null }, isNew: true };
}

export async function findOrg(deps: AuthDeps, ref: string): Promise<OrgRecord | null> {
  // The CLI resolves --org before it has a scope: the owner connection reads it.
  return deps.db.transaction((tx) => findOrgByRef(tx, ref));
}

/**
 * Creates an organization with its owner (or makes an existing account its owner).
 * The organization row is written inside its own scope, as row-level security requires.
 */
export async function createOrgWithOwner(
  deps: AuthDeps,
  input: { orgSlug: string; orgName: string; owner: NewUser; now: Date; actorLabel: string },
): Promise<{ org: OrgRecord; userId: string; isNewUser: boolean }> {
  const orgId = randomUUID();
  const org: OrgRecord = { id: orgId, slug: input.orgSlug, name: input.orgName, locale: 'ru' };
  return withTx(deps.db, { orgId }, async (tx) => {
    await insertOrg(tx, org);
    // The organization's keys exist from the start, so no submission has to create them.
    await orgKeyring(tx, { keys: deps.keys, orgId });
    const { user, isNew } = await ensureUser(deps, tx, input.owner);
    await insertMembership(tx, { orgId, userId: user.id, role: 'owner' });
    const ctx = systemCtx(deps, {
      orgId,
      now: input.now,
      actor: { type: 'system', label: input.actorLabel },
    });
    await recordAudit(tx, ctx, {
      action: 'org.created',
      entityType: 'organization',
      entityId: orgId,
    });
    await recordAudit(tx, ctx, {
      action: 'member.added',
      entityType: 'user',
      entityId: user.id,
      details: { role: 'owner', newAccount: isNew },
    });
    return { org, userId: user.id, isNewUser: isNew };
  });
}

export async function setupFirstOwner(
  deps: AuthDeps,
  input: {
    orgSlug: string;
    orgName: string;
    name: string;
    email: string;
    password: string;
    now: Date;
    requestId: string | null;
  },
): Promise<LoginResult> {
  if (!(await needsSetup(deps))) {
    throw new AppError('setup_done', 'The first owner exists already; sign in');
  }
  const { userId } = await createOrgWithOwner(deps, {
    orgSlug: input.orgSlug,
    orgName: input.orgName,
    owner: { email: input.email, name: input.name, password: input.password },
    now: input.now,
    actorLabel: 'setup',
  });
  const user = await withTx(deps.db, GLOBAL, (tx) => findUserById(tx, userId));
  if (!user) throw new Error('The new owner vanished');
  return openSession(deps, user, input.now, input.requestId);
}

/** Sets a new password for an account (CLI `create-admin` on an existing email). */
export async function resetPassword(deps: AuthDeps, userId: string, password: string, now: Date) {
  const passwordHash = await hashPassword(password);
  await withTx(deps.db, GLOBAL, async (tx) => {
    await updateUser(tx, userId, { passwordHash, at: now });
    await deleteSessionsOfUser(tx, userId, null);
  });
}
