import { recordAudit } from '../../access-log/access-log.service.ts';
import { actorUserId, type Ctx } from '../../platform/context.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { OFFLINE_CHANNELS } from '../spend/spend.schema.ts';
import { findRuleSet, upsertRuleSet } from './channel-rule-sets.repo.ts';
import type {
  TChannelRuleSet,
  TSaveChannelRulesBody,
  TTestChannelRulesBody,
} from './channel-rule-sets.schema.ts';
import { type ChannelRule, DEFAULT_CHANNEL_RULES, DEFAULT_CHANNELS } from './channel-rules.ts';
import { type Classification, classifyTouch } from './classify-touch.ts';
import { reclassifyTouchpoints } from './reclassify.ts';

function assertCanRead(ctx: Ctx): void {
  if (!can(ctx.role, 'analytics.rules') && !can(ctx.role, 'analytics.reports')) {
    throw new AppError('forbidden', 'This role lacks analytics.rules');
  }
}

/** Every channel a rule or a spend entry may name, with the names the interface shows. */
export const KNOWN_CHANNELS = [
  ...DEFAULT_CHANNELS.map((channel) => ({ id: channel.id, ru: channel.ru, en: channel.en })),
  ...OFFLINE_CHANNELS.map((channel) => ({ id: channel.id, ru: channel.ru, en: channel.en })),
  { id: 'other', ru: 'Другое', en: 'Other' },
];

/** The organization's own rules, for classifying a touch (ingest, re-classification). */
export async function findOrgChannelRules(ctx: Ctx): Promise<ChannelRule[]> {
  return (await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findRuleSet(tx, ctx.orgId))).rules;
}

export async function getChannelRules(ctx: Ctx): Promise<TChannelRuleSet> {
  assertCanRead(ctx);
  const set = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findRuleSet(tx, ctx.orgId));
  return {
    rules: set.rules,
    version: set.version,
    updatedAt: set.updatedAt?.toISOString() ?? null,
    defaults: [...DEFAULT_CHANNEL_RULES],
    channels: KNOWN_CHANNELS,
    reclassified: null,
  };
}

/**
 * Replaces the organization's rules (in front of the defaults) and re-classifies the stored
 * touchpoints in the same transaction, so reports never mix the old and the new rules.
 */
export async function saveChannelRules(
  ctx: Ctx,
  input: TSaveChannelRulesBody,
): Promise<TChannelRuleSet> {
  if (!can(ctx.role, 'analytics.rules')) {
    throw new AppError('forbidden', 'This role lacks analytics.rules');
  }
  const rules = input.rules as ChannelRule[];
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const current = await findRuleSet(tx, ctx.orgId);
    const expected = input.expectedVersion ?? current.version;
    const version = await upsertRuleSet(tx, {
      orgId: ctx.orgId,
      rules,
      expectedVersion: expected,
      updatedBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    if (version === null) {
      throw new AppError('conflict', 'The rules were changed meanwhile; reload them', {
        details: { version: current.version },
      });
    }
    const reclassified = await reclassifyTouchpoints(tx, ctx.orgId, rules);
    await recordAudit(tx, ctx, {
      action: 'channel_rules.saved',
      entityType: 'channel_rule_set',
      entityId: ctx.orgId,
      details: { version, rules: rules.length, ...reclassified },
    });
    return {
      rules,
      version,
      updatedAt: ctx.now.toISOString(),
      defaults: [...DEFAULT_CHANNEL_RULES],
      channels: KNOWN_CHANNELS,
      reclassified,
    };
  });
}

/** How draft (or stored) rules would classify sample touches, before saving them. */
export async function testChannelRules(
  ctx: Ctx,
  input: TTestChannelRulesBody,
): Promise<{ results: Classification[] }> {
  assertCanRead(ctx);
  const rules = (input.rules as ChannelRule[] | undefined) ?? (await findOrgChannelRules(ctx));
  return { results: input.touches.map((touch) => classifyTouch(touch, rules)) };
}
