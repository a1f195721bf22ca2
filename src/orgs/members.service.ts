import type { TActorView } from '../access-log/access-log.schema.ts';
import { recordAccess, recordAudit } from '../access-log/access-log.service.ts';
import type { Ctx, Role } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can } from '../platform/permissions.ts';
import { ensureUser, openUserField } from './auth.service.ts';
import {
  countOwners,
  deleteMembership,
  findApiTokenByIds,
  findMembership,
  findMembersOfOrg,
  findUsersByIds,
  insertMembership,
  updateMembershipRole,
} from './orgs.repo.ts';
import type { TAddMemberBody, TMember } from './orgs.schema.ts';

/** Members with their names and emails: a read of personal data, logged per person. */
export async function findMembers(ctx: Ctx): Promise<TMember[]> {
  if (!can(ctx.role, 'members.read')) throw new AppError('forbidden', 'Cannot list members');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const members = await findMembersOfOrg(tx, ctx.orgId);
    const users = await findUsersByIds(
      tx,
      members.map((member) => member.userId),
    );
    const byId = new Map(users.map((user) => [user.id, user]));
    await recordAccess(tx, ctx, {
      subjectType: 'user',
      subjectIds: members.map((member) => member.userId),
      fields: ['email', 'name'],
      reason: 'list',
    });
    return members.flatMap((member) => {
      const user = byId.get(member.userId);
      if (!user) return [];
      return [
        {
          userId: member.userId,
          email: openUserField(ctx.keys, user, 'email'),
          name: openUserField(ctx.keys, user, 'name'),
          role: member.role,
          createdAt: member.createdAt.toISOString(),
        },
      ];
    });
  });
}

function assertCanGrant(ctx: Ctx, role: Role): void {
  if (!can(ctx.role, 'members.manage')) throw new AppError('forbidden', 'Cannot manage members');
  if (role === 'owner' && ctx.role !== 'owner') {
    throw new AppError('forbidden', 'Only an owner can make another owner');
  }
}

/** Adds a person to the organization; an account that exists elsewhere keeps its password. */
export async function addMember(ctx: Ctx, input: TAddMemberBody): Promise<TMember> {
  assertCanGrant(ctx, input.role);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { user, isNew } = await ensureUser(ctx, tx, input);
    if (await findMembership(tx, ctx.orgId, user.id)) {
      throw new AppError('conflict', 'This person is a member already', {
        fields: { email: ['Already a member'] },
      });
    }
    await insertMembership(tx, { orgId: ctx.orgId, userId: user.id, role: input.role });
    await recordAudit(tx, ctx, {
      action: 'member.added',
      entityType: 'user',
      entityId: user.id,
      details: { role: input.role, newAccount: isNew },
    });
    return {
      userId: user.id,
      email: openUserField(ctx.keys, user, 'email'),
      name: openUserField(ctx.keys, user, 'name'),
      role: input.role,
      createdAt: ctx.now.toISOString(),
    };
  });
}

export async function changeMemberRole(
  ctx: Ctx,
  input: { userId: string; role: Role },
): Promise<TMember> {
  assertCanGrant(ctx, input.role);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const member = await findMembership(tx, ctx.orgId, input.userId);
    if (!member) throw new AppError('not_found', 'No such member');
    if (member.role === 'owner' && ctx.role !== 'owner') {
      throw new AppError('forbidden', 'Only an owner can change an owner');
    }
    if (
      member.role === 'owner' &&
      input.role !== 'owner' &&
      (await countOwners(tx, ctx.orgId)) <= 1
    ) {
      throw new AppError('rule_violated', 'An organization keeps at least one owner', {
        details: { rule: 'last_owner' },
      });
    }
    await updateMembershipRole(tx, ctx.orgId, input.userId, input.role);
    await recordAudit(tx, ctx, {
      action: 'member.role_changed',
      entityType: 'user',
      entityId: input.userId,
      details: { from: member.role, to: input.role },
    });
    const [user] = await findUsersByIds(tx, [input.userId]);
    if (!user) throw new AppError('not_found', 'No such member');
    await recordAccess(tx, ctx, {
      subjectType: 'user',
      subjectIds: [user.id],
      fields: ['email', 'name'],
      reason: 'card',
    });
    return {
      userId: user.id,
      email: openUserField(ctx.keys, user, 'email'),
      name: openUserField(ctx.keys, user, 'name'),
      role: input.role,
      createdAt: member.createdAt.toISOString(),
    };
  });
}

export async function removeMember(ctx: Ctx, input: { userId: string }): Promise<void> {
  if (!can(ctx.role, 'members.manage')) throw new AppError('forbidden', 'Cannot manage members');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const member = await findMembership(tx, ctx.orgId, input.userId);
    if (!member) throw new AppError('not_found', 'No such member');
    if (member.role === 'owner' && ctx.role !== 'owner') {
      throw new AppError('forbidden', 'Only an owner can remove an owner');
    }
    if (member.role === 'owner' && (await countOwners(tx, ctx.orgId)) <= 1) {
      throw new AppError('rule_violated', 'An organization keeps at least one owner', {
        details: { rule: 'last_owner' },
      });
    }
    await deleteMembership(tx, ctx.orgId, input.userId);
    await recordAudit(tx, ctx, {
      action: 'member.removed',
      entityType: 'user',
      entityId: input.userId,
      details: { role: member.role },
    });
  });
}

type ActorRef = {
  actorUserId: string | null;
  actorTokenId: string | null;
  actorLabel: string | null;
};

/**
 * Labels for the actors shown on a log page: staff names for users (a logged read of
 * their names), token names for integrations.
 */
export async function describeActors(
  ctx: Ctx,
  refs: readonly ActorRef[],
): Promise<(ref: ActorRef) => TActorView> {
  const userIds = [...new Set(refs.flatMap((ref) => (ref.actorUserId ? [ref.actorUserId] : [])))];
  const tokenIds = [
    ...new Set(refs.flatMap((ref) => (ref.actorTokenId ? [ref.actorTokenId] : []))),
  ];
  const { names, tokens } = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const users = await findUsersByIds(tx, userIds);
    await recordAccess(tx, ctx, {
      subjectType: 'user',
      subjectIds: users.map((user) => user.id),
      fields: ['name'],
      reason: 'log_review',
    });
    const tokenRows = await findApiTokenByIds(tx, tokenIds);
    return {
      names: new Map(users.map((user) => [user.id, openUserField(ctx.keys, user, 'name')])),
      tokens: new Map(tokenRows.map((token) => [token.id, token.name])),
    };
  });
  return (ref) => {
    if (ref.actorUserId) {
      return {
        type: 'user',
        id: ref.actorUserId,
        label: names.get(ref.actorUserId) ?? ref.actorUserId,
      };
    }
    if (ref.actorTokenId) {
      return {
        type: 'token',
        id: ref.actorTokenId,
        label: tokens.get(ref.actorTokenId) ?? ref.actorTokenId,
      };
    }
    return { type: 'system', id: null, label: ref.actorLabel ?? 'system' };
  };
}

/** The member's role in the caller's organization, or null when the user is not a member. */
export async function memberRoleOf(tx: Tx, ctx: Ctx, userId: string): Promise<Role | null> {
  return (await findMembership(tx, ctx.orgId, userId))?.role ?? null;
}

/**
 * Staff to notify, by role, with their email addresses (reminders of legal deadlines). The read
 * of their addresses is logged like any other.
 */
export async function staffEmailsByRole(
  tx: Tx,
  ctx: Ctx,
  roles: readonly Role[],
): Promise<Array<{ userId: string; role: Role; email: string }>> {
  const members = (await findMembersOfOrg(tx, ctx.orgId)).filter((member) =>
    roles.includes(member.role),
  );
  const users = (
    await findUsersByIds(
      tx,
      members.map((member) => member.userId),
    )
  ).filter((user) => !user.disabledAt);
  if (users.length === 0) return [];
  await recordAccess(tx, ctx, {
    subjectType: 'user',
    subjectIds: users.map((user) => user.id),
    fields: ['email'],
    reason: 'notification',
  });
  const roleOf = new Map(members.map((member) => [member.userId, member.role]));
  return users.map((user) => ({
    userId: user.id,
    role: roleOf.get(user.id) ?? 'privacy_officer',
    email: openUserField(ctx.keys, user, 'email'),
  }));
}
