import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../access-log/access-log.service.ts';
import { normalizePhone } from '../../contacts/contacts.service.ts';
import { orgKeyring } from '../../keys/keys.service.ts';
import type { Ctx } from '../../platform/context.ts';
import { decrypt, encrypt, randomToken } from '../../platform/crypto.ts';
import type { Tx } from '../../platform/db/db.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import {
  findIntegration,
  findIntegrations,
  type IntegrationRow,
  insertIntegration,
  updateIntegration,
} from './calls.repo.ts';
import type {
  TCallTrackingSettings,
  TIntegrationBody,
  TIntegrationView,
  TNumberBody,
  TNumberView,
  TPoolBody,
  TPoolView,
  TSettingsBody,
} from './calls.schema.ts';
import {
  findAverageVisitSeconds,
  findNumber,
  findNumbers,
  findPool,
  findPoolDemand,
  findPoolStats,
  findPools,
  findSettings,
  insertNumber,
  insertPool,
  type NumberRow,
  type PoolRow,
  type SettingsRow,
  updateNumber,
  updatePool,
  upsertSettings,
} from './numbers.repo.ts';

export const CALL_SNIPPET_PATH = '/calltracking.js';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

/** E.164 or a field error naming the field. */
export function e164(raw: string, field: string): string {
  const normalized = normalizePhone(raw);
  if (!normalized) {
    throw new AppError('validation_failed', 'Not a phone number', {
      fields: { [field]: ['Not a valid phone number'] },
    });
  }
  return normalized;
}

// ─── The per-organization configuration the public lease endpoint reads ──────

export type TrackingConfig = {
  settings: SettingsRow;
  pools: PoolRow[];
  statics: NumberRow[];
};

const CONFIG_TTL_MS = 15_000;
const configCache = new Map<string, { at: number; config: TrackingConfig }>();

/** Forget an organization's cached configuration after a change, so the next lease reads it. */
function invalidateConfig(orgId: string): void {
  configCache.delete(orgId);
}

/** Settings, pools and static numbers, cached for a few seconds per process. */
export async function trackingConfig(tx: Tx, orgId: string): Promise<TrackingConfig | null> {
  const cached = configCache.get(orgId);
  if (cached && Date.now() - cached.at < CONFIG_TTL_MS) return cached.config;
  const settings = await findSettings(tx);
  if (!settings) return null;
  const config: TrackingConfig = {
    settings,
    pools: (await findPools(tx)).filter((pool) => pool.isActive),
    statics: await findNumbers(tx, { kind: 'static', isActive: true }),
  };
  configCache.set(orgId, { at: Date.now(), config });
  return config;
}

// ─── Settings ────────────────────────────────────────────────────────────────

function snippetOf(ctx: Ctx, key: string): string {
  return `<script src="${ctx.publicUrl}${CALL_SNIPPET_PATH}" data-key="${key}" async></script>`;
}

async function ensureSettings(tx: Tx, ctx: Ctx): Promise<SettingsRow> {
  const existing = await findSettings(tx);
  if (existing) return existing;
  const created = {
    publicKey: randomToken(18),
    replaceNumbers: [] as string[],
    replaceSelector: null,
  };
  await upsertSettings(tx, ctx.orgId, created, ctx.now);
  return { orgId: ctx.orgId, ...created };
}

export async function getCallTrackingSettings(ctx: Ctx): Promise<TCallTrackingSettings> {
  assertCan(ctx, 'call_tracking.read');
  const settings = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => ensureSettings(tx, ctx));
  return {
    publicKey: settings.publicKey,
    replaceNumbers: settings.replaceNumbers,
    replaceSelector: settings.replaceSelector,
    snippet: snippetOf(ctx, settings.publicKey),
  };
}

export async function saveCallTrackingSettings(
  ctx: Ctx,
  body: TSettingsBody,
): Promise<TCallTrackingSettings> {
  assertCan(ctx, 'call_tracking.manage');
  const replaceNumbers = [
    ...new Set(body.replaceNumbers.map((raw, index) => e164(raw, `replaceNumbers.${index}`))),
  ];
  const settings = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const current = await ensureSettings(tx, ctx);
    const next = {
      publicKey: current.publicKey,
      replaceNumbers,
      replaceSelector: body.replaceSelector?.trim() || null,
    };
    await upsertSettings(tx, ctx.orgId, next, ctx.now);
    await recordAudit(tx, ctx, {
      action: 'call_tracking.settings_saved',
      entityType: 'call_tracking_settings',
      entityId: ctx.orgId,
      details: { numbers: replaceNumbers.length, hasSelector: next.replaceSelector !== null },
    });
    return next;
  });
  invalidateConfig(ctx.orgId);
  return { ...settings, snippet: snippetOf(ctx, settings.publicKey) };
}

// ─── Pools ───────────────────────────────────────────────────────────────────

/** Safety margin over the busiest hour's need: traffic comes in bursts within the hour. */
export const POOL_HEADROOM = 1.2;

/**
 * Numbers a pool needs (Little's law): visitors arriving per second at the busiest hour × the
 * seconds each one keeps a number (the visit, the hold after its last heartbeat, and the
 * quarantine), with 20 % headroom; at least one.
 */
export function recommendedPoolSize(input: {
  peakVisitorsPerHour: number;
  averageVisitSeconds: number;
  holdSeconds: number;
  quarantineSeconds: number;
}): number {
  const occupied = input.averageVisitSeconds + input.holdSeconds + input.quarantineSeconds;
  return Math.max(1, Math.ceil((input.peakVisitorsPerHour / 3600) * occupied * POOL_HEADROOM));
}

const ADVICE_WINDOW_MS = 14 * 86_400_000;

export async function findPoolViews(ctx: Ctx): Promise<TPoolView[]> {
  assertCan(ctx, 'call_tracking.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const pools = await findPools(tx);
    const stats = new Map((await findPoolStats(tx, ctx.now)).map((row) => [row.poolId, row]));
    const since = new Date(ctx.now.getTime() - ADVICE_WINDOW_MS);
    const demand = new Map((await findPoolDemand(tx, since)).map((row) => [row.poolId, row]));
    const day = new Date(ctx.now.getTime() - 86_400_000);
    const lastDay = new Map((await findPoolDemand(tx, day)).map((row) => [row.poolId, row]));
    const visits = await findAverageVisitSeconds(tx, since);
    return pools.map((pool) => poolView(pool, stats, demand, lastDay, visits));
  });
}

function poolView(
  pool: PoolRow,
  stats: Map<string, { numbers: number; busy: number }>,
  demand: Map<string, { peakPerHour: number; exhausted: number }>,
  lastDay: Map<string, { peakPerHour: number; exhausted: number }>,
  visits: Map<string, number>,
): TPoolView {
  const numbers = stats.get(pool.id)?.numbers ?? 0;
  const peak = demand.get(pool.id)?.peakPerHour ?? 0;
  const recommended = recommendedPoolSize({
    peakVisitorsPerHour: peak,
    averageVisitSeconds: visits.get(pool.id) ?? 0,
    holdSeconds: pool.holdSeconds,
    quarantineSeconds: pool.quarantineSeconds,
  });
  const exhausted = lastDay.get(pool.id)?.exhausted ?? 0;
  return {
    id: pool.id,
    name: pool.name,
    hosts: pool.hosts,
    channels: pool.channels,
    holdSeconds: pool.holdSeconds,
    quarantineSeconds: pool.quarantineSeconds,
    fallbackNumber: pool.fallbackNumber,
    isActive: pool.isActive,
    numbers,
    busy: stats.get(pool.id)?.busy ?? 0,
    advice: {
      peakVisitorsPerHour: peak,
      recommendedNumbers: recommended,
      exhaustedLast24h: exhausted,
      isShort: exhausted > 0 || numbers < recommended,
    },
    createdAt: pool.createdAt.toISOString(),
  };
}

export async function savePool(ctx: Ctx, poolId: string | null, body: TPoolBody) {
  assertCan(ctx, 'call_tracking.manage');
  const fallbackNumber = body.fallbackNumber ? e164(body.fallbackNumber, 'fallbackNumber') : null;
  const id = poolId ?? randomUUID();
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await ensureSettings(tx, ctx);
    const input = {
      id,
      name: body.name,
      hosts: body.hosts.map(bareHost),
      channels: body.channels,
      holdSeconds: body.holdSeconds,
      quarantineSeconds: body.quarantineSeconds,
      fallbackNumber,
      isActive: body.isActive,
    };
    if (poolId) {
      if ((await updatePool(tx, input, ctx.now)) === 0) {
        throw new AppError('not_found', 'No such pool');
      }
    } else {
      await insertPool(tx, ctx.orgId, input, ctx.now);
    }
    await recordAudit(tx, ctx, {
      action: poolId ? 'call_tracking.pool_changed' : 'call_tracking.pool_created',
      entityType: 'number_pool',
      entityId: id,
      details: { hosts: input.hosts.length, channels: input.channels },
    });
  });
  invalidateConfig(ctx.orgId);
  const views = await findPoolViews(ctx);
  const view = views.find((pool) => pool.id === id);
  if (!view) throw new Error('A pool just saved was not found');
  return view;
}

function bareHost(host: string): string {
  return host.replace(/^www\./, '');
}

// ─── Numbers ─────────────────────────────────────────────────────────────────

function numberView(row: NumberRow): TNumberView {
  return {
    id: row.id,
    number: row.number,
    provider: row.provider,
    kind: row.kind,
    label: row.label,
    channel: row.channel,
    campaign: row.campaign,
    poolId: row.poolId,
    hosts: row.hosts,
    isActive: row.isActive,
    busyUntil: row.busyUntil?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function findNumberViews(ctx: Ctx): Promise<TNumberView[]> {
  assertCan(ctx, 'call_tracking.read');
  const rows = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findNumbers(tx));
  return rows.map(numberView);
}

export async function saveNumber(
  ctx: Ctx,
  numberId: string | null,
  body: TNumberBody,
): Promise<TNumberView> {
  assertCan(ctx, 'call_tracking.manage');
  const number = e164(body.number, 'number');
  if (body.kind === 'dynamic' && !body.poolId) {
    throw new AppError('validation_failed', 'A dynamic number belongs to a pool', {
      fields: { poolId: ['Choose the pool'] },
    });
  }
  if (body.kind === 'static' && !body.channel) {
    throw new AppError('validation_failed', 'A static number is bound to a channel', {
      fields: { channel: ['Choose the channel'] },
    });
  }
  const id = numberId ?? randomUUID();
  const row = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await ensureSettings(tx, ctx);
    if (body.kind === 'dynamic' && body.poolId && !(await findPool(tx, body.poolId))) {
      throw new AppError('validation_failed', 'No such pool', {
        fields: { poolId: ['No such pool'] },
      });
    }
    const input = {
      id,
      number,
      provider: body.provider,
      kind: body.kind,
      label: body.label ?? null,
      channel: body.kind === 'static' ? (body.channel ?? null) : null,
      campaign: body.kind === 'static' ? (body.campaign ?? null) : null,
      poolId: body.kind === 'dynamic' ? (body.poolId ?? null) : null,
      hosts: body.hosts.map(bareHost),
      isActive: body.isActive,
    };
    try {
      if (numberId) {
        if ((await updateNumber(tx, input, ctx.now)) === 0) {
          throw new AppError('not_found', 'No such number');
        }
      } else {
        await insertNumber(tx, ctx.orgId, input, ctx.now);
      }
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new AppError('conflict', 'The number is already listed', {
          fields: { number: ['Already listed'] },
        });
      }
      throw error;
    }
    await recordAudit(tx, ctx, {
      action: numberId ? 'call_tracking.number_changed' : 'call_tracking.number_added',
      entityType: 'tracking_number',
      entityId: id,
      details: { kind: input.kind, channel: input.channel, poolId: input.poolId },
    });
    const saved = await findNumber(tx, id);
    if (!saved) throw new Error('A number just saved was not found');
    return saved;
  });
  invalidateConfig(ctx.orgId);
  return numberView(row);
}

// ─── Telephony integrations ──────────────────────────────────────────────────

function secretBinding(id: string): string {
  return `telephony_integrations:${id}:secret`;
}

export function webhookUrlOf(publicUrl: string, row: { provider: string; id: string }): string {
  return `${publicUrl}/hooks/calls/${row.provider}/${row.id}`;
}

function integrationView(ctx: Ctx, row: IntegrationRow): TIntegrationView {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    apiKey: row.apiKey,
    isActive: row.isActive,
    webhookUrl: webhookUrlOf(ctx.publicUrl, row),
    lastEventAt: row.lastEventAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function findIntegrationViews(ctx: Ctx): Promise<TIntegrationView[]> {
  assertCan(ctx, 'call_tracking.read');
  const rows = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findIntegrations(tx));
  return rows.map((row) => integrationView(ctx, row));
}

export async function saveIntegration(
  ctx: Ctx,
  integrationId: string | null,
  body: TIntegrationBody,
): Promise<TIntegrationView> {
  assertCan(ctx, 'telephony.manage');
  if (body.provider === 'mango' && !body.apiKey) {
    throw new AppError('validation_failed', 'Mango Office sends its API key with every event', {
      fields: { apiKey: ['Enter the vpbx_api_key'] },
    });
  }
  const id = integrationId ?? randomUUID();
  const row = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const keyring = await orgKeyring(tx, ctx);
    const existing = integrationId ? await findIntegration(tx, integrationId) : null;
    if (integrationId && !existing) throw new AppError('not_found', 'No such integration');
    if (existing && existing.provider !== body.provider) {
      throw new AppError('validation_failed', 'The provider of an integration does not change', {
        fields: { provider: ['Create a new integration for another provider'] },
      });
    }
    const input = {
      id,
      provider: body.provider,
      name: body.name,
      apiKey: body.apiKey ?? null,
      secretEnc: encrypt(keyring.key, body.secret, secretBinding(id)),
      isActive: body.isActive,
    };
    if (existing) await updateIntegration(tx, input, ctx.now);
    else await insertIntegration(tx, ctx.orgId, input, ctx.now);
    await recordAudit(tx, ctx, {
      action: existing ? 'telephony.integration_changed' : 'telephony.integration_added',
      entityType: 'telephony_integration',
      entityId: id,
      details: { provider: body.provider },
    });
    const saved = await findIntegration(tx, id);
    if (!saved) throw new Error('An integration just saved was not found');
    return saved;
  });
  forgetIntegration(id);
  return integrationView(ctx, row);
}

export type ResolvedIntegration = {
  id: string;
  orgId: string;
  provider: IntegrationRow['provider'];
  apiKey: string | null;
  secret: string;
};

const integrationCache = new Map<string, { at: number; integration: ResolvedIntegration }>();

function forgetIntegration(id: string): void {
  integrationCache.delete(id);
}

/** An active integration with its secret opened, inside its organization's transaction. */
export async function openIntegration(
  tx: Tx,
  ctx: { keys: Ctx['keys']; orgId: string },
  id: string,
): Promise<ResolvedIntegration | null> {
  const cached = integrationCache.get(id);
  if (cached && Date.now() - cached.at < CONFIG_TTL_MS) return cached.integration;
  const row = await findIntegration(tx, id);
  if (!row?.isActive) return null;
  const keyring = await orgKeyring(tx, ctx);
  const integration: ResolvedIntegration = {
    id: row.id,
    orgId: ctx.orgId,
    provider: row.provider,
    apiKey: row.apiKey,
    secret: decrypt(keyring.key, row.secretEnc, secretBinding(row.id)),
  };
  integrationCache.set(id, { at: Date.now(), integration });
  return integration;
}
