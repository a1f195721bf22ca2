import { recordAudit } from '../access-log/access-log.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import { randomToken, sha256Hex } from '../platform/crypto.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can } from '../platform/permissions.ts';
import { TOKEN_PREFIX } from './auth.service.ts';
import { type ApiTokenRecord, findApiTokens, insertApiToken, revokeApiToken } from './orgs.repo.ts';
import type { TApiToken, TCreateTokenBody } from './orgs.schema.ts';

function tokenView(token: ApiTokenRecord): TApiToken {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

function assertCanManage(ctx: Ctx): void {
  if (!can(ctx.role, 'tokens.manage')) throw new AppError('forbidden', 'Cannot manage API tokens');
}

export async function findTokens(ctx: Ctx): Promise<TApiToken[]> {
  assertCanManage(ctx);
  const tokens = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findApiTokens(tx));
  return tokens.map(tokenView);
}

/** Issues a token for an integration. The secret is shown once; only its hash is kept. */
export async function issueToken(
  ctx: Ctx,
  input: TCreateTokenBody,
): Promise<{ token: TApiToken; secret: string }> {
  assertCanManage(ctx);
  if (input.role === 'owner' && ctx.role !== 'owner') {
    throw new AppError('forbidden', 'Only an owner can issue an owner token');
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= ctx.now) {
    throw new AppError('validation_failed', 'The expiry is in the past', {
      fields: { expiresAt: ['Must be in the future'] },
    });
  }
  const secret = `${TOKEN_PREFIX}${randomToken()}`;
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const token = await insertApiToken(tx, {
      orgId: ctx.orgId,
      name: input.name,
      role: input.role,
      tokenHash: sha256Hex(secret),
      createdBy: actorUserId(ctx.actor),
      expiresAt,
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: 'token.issued',
      entityType: 'api_token',
      entityId: token.id,
      details: { role: input.role },
    });
    return { token: tokenView(token), secret };
  });
}

export async function revokeToken(ctx: Ctx, input: { id: string }): Promise<void> {
  assertCanManage(ctx);
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const changed = await revokeApiToken(tx, input.id, ctx.now);
    if (changed === 0) throw new AppError('not_found', 'No such active token');
    await recordAudit(tx, ctx, {
      action: 'token.revoked',
      entityType: 'api_token',
      entityId: input.id,
    });
  });
}
