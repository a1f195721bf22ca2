import { randomUUID } from 'node:crypto';
import { cleanAttribution, cleanPageUrl } from '../../forms/forms.service.ts';
import { systemCtx } from '../../orgs/auth.service.ts';
import { blindIndex, type Keys } from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { toMoscowDate } from '../../subject-requests/clock.service.ts';
import { openTaskOnce } from '../../tasks/tasks.service.ts';
import { classifyTouch } from '../channels/classify-touch.ts';
import type { TLeaseAnswer, TLeaseBody } from './calls.schema.ts';
import {
  acquireNumber,
  countExhaustedSince,
  findLiveLeaseOf,
  type LeaseTouch,
  type NumberRow,
  orgIdByPublicKey,
  type PoolRow,
  recordExhaustion,
  renewLease,
} from './numbers.repo.ts';
import { type TrackingConfig, trackingConfig } from './numbers.service.ts';

export type LeaseDeps = { db: Db; keys: Keys; publicUrl: string; now: Date };

/** The page renews its lease this often; the pool's hold must outlast a couple of misses. */
export const HEARTBEAT_SECONDS = 30;

const keyCache = new Map<string, { at: number; orgId: string | null }>();
const KEY_TTL_MS = 60_000;

async function orgOfKey(db: Db, key: string): Promise<string | null> {
  const cached = keyCache.get(key);
  if (cached && Date.now() - cached.at < KEY_TTL_MS) return cached.orgId;
  const orgId = await withTx(db, { orgId: null }, (tx) => orgIdByPublicKey(tx, key));
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(key, { at: Date.now(), orgId });
  return orgId;
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

function servesHost(hosts: readonly string[], host: string | null): boolean {
  return hosts.length === 0 || (host !== null && hosts.includes(host));
}

/**
 * Before consent a visit is known only by a keyed hash of the day, the client address and the
 * browser, rotating daily and never stored with the address (as the tracker's cookieless mode);
 * after consent by the tracker's own session id.
 */
export function sessionKeyOf(
  keys: Keys,
  input: {
    orgId: string;
    now: Date;
    sessionId?: string | undefined;
    ip: string;
    userAgent: string;
  },
): string {
  if (input.sessionId) return `s:${input.sessionId}`;
  const day = toMoscowDate(input.now);
  return `h:${blindIndex(keys.indexKey, `calls-visit:${input.orgId}:${day}`, `${input.ip}\u0000${input.userAgent}`).slice(0, 40)}`;
}

/** The static number for a channel: its campaign's first, then the channel's, then the source's. */
export function staticNumberFor(
  statics: readonly NumberRow[],
  touch: { channel: string; source: string | null; campaign: string | null; host: string | null },
): NumberRow | null {
  const onSite = statics.filter((row) => servesHost(row.hosts, touch.host));
  const source = touch.source?.toLowerCase() ?? null;
  return (
    onSite.find(
      (row) => row.channel === touch.channel && row.campaign && row.campaign === touch.campaign,
    ) ??
    onSite.find((row) => row.channel === touch.channel && !row.campaign) ??
    onSite.find((row) => source !== null && row.channel === source && !row.campaign) ??
    null
  );
}

function poolFor(pools: readonly PoolRow[], channel: string, host: string | null): PoolRow | null {
  return (
    pools.find(
      (pool) =>
        servesHost(pool.hosts, host) &&
        (pool.channels.length === 0 || pool.channels.includes(channel)),
    ) ?? null
  );
}

function answerOf(
  config: TrackingConfig,
  input: Pick<TLeaseAnswer, 'number' | 'kind' | 'leaseId' | 'channel'>,
): TLeaseAnswer {
  return {
    ...input,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    replaceNumbers: config.settings.replaceNumbers,
    replaceSelector: config.settings.replaceSelector,
  };
}

/**
 * The number a visitor's page shows (the public endpoint behind the snippet). A heartbeat with
 * the lease it holds renews it; a visit that already holds a live lease keeps its number on the
 * next page; otherwise the visit is classified and gets a number from the pool serving its
 * channel, else its channel's static number. An exhausted pool falls back to the channel's
 * static number, else the pool's fallback number, records the exhaustion and opens a task.
 */
export async function leaseNumber(
  deps: LeaseDeps,
  body: TLeaseBody,
  client: { ip: string; userAgent: string },
): Promise<TLeaseAnswer> {
  const orgId = await orgOfKey(deps.db, body.key);
  if (!orgId) throw new AppError('not_found', 'No such snippet key');
  const now = deps.now;
  return withTx(deps.db, { orgId }, async (tx) => {
    const config = await trackingConfig(tx, orgId);
    if (!config) throw new AppError('not_found', 'No such snippet key');
    if (body.leaseId) {
      const renewed = await renewLease(tx, { leaseId: body.leaseId, now });
      if (renewed) {
        return answerOf(config, {
          number: renewed.number,
          kind: 'dynamic',
          leaseId: renewed.leaseId,
          channel: renewed.channel,
        });
      }
    }
    const sessionKey = sessionKeyOf(deps.keys, {
      orgId,
      now,
      sessionId: body.sessionId,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    const landing = cleanPageUrl(body.url);
    const host = hostOf(landing);
    const touch = cleanAttribution({
      utm_source: body.utm_source ?? null,
      utm_medium: body.utm_medium ?? null,
      utm_campaign: body.utm_campaign ?? null,
      utm_term: body.utm_term ?? null,
      utm_content: body.utm_content ?? null,
      yclid: body.yclid ?? null,
      gclid: body.gclid ?? null,
      vkclid: body.vkclid ?? null,
      referrer: body.referrer ?? null,
      landing_page: landing,
    });
    const classified = classifyTouch(touch);
    if (config.pools.length > 0) {
      const live = await findLiveLeaseOf(tx, sessionKey, now);
      if (live) {
        const renewed = await renewLease(tx, { leaseId: live, now });
        if (renewed) {
          return answerOf(config, {
            number: renewed.number,
            kind: 'dynamic',
            leaseId: renewed.leaseId,
            channel: renewed.channel,
          });
        }
      }
    }
    const visit = {
      channel: classified.channel,
      source: classified.source,
      campaign: classified.campaign,
      host,
    };
    const pool = poolFor(config.pools, classified.channel, host);
    const fixed = staticNumberFor(config.statics, visit);
    if (!pool) {
      return answerOf(config, {
        number: fixed?.number ?? null,
        kind: fixed ? 'static' : 'none',
        leaseId: null,
        channel: classified.channel,
      });
    }
    const leaseTouch: LeaseTouch = {
      sessionKey,
      sessionId: body.sessionId ?? null,
      visitorId: body.visitorId ?? null,
      channel: classified.channel,
      source: classified.source,
      campaign: classified.campaign,
      keyword: classified.keyword,
      host,
      touch,
    };
    const leaseId = randomUUID();
    const expiresAt = new Date(now.getTime() + pool.holdSeconds * 1000);
    const acquired = await acquireNumber(tx, {
      orgId,
      leaseId,
      poolId: pool.id,
      now,
      expiresAt,
      quarantineUntil: new Date(expiresAt.getTime() + pool.quarantineSeconds * 1000),
      touch: leaseTouch,
    });
    if (acquired) {
      return answerOf(config, {
        number: acquired.number,
        kind: 'dynamic',
        leaseId,
        channel: classified.channel,
      });
    }
    await noteExhaustion(tx, { ...deps, orgId }, pool);
    const fallback = fixed?.number ?? pool.fallbackNumber;
    return answerOf(config, {
      number: fallback,
      kind: fallback ? 'fallback' : 'none',
      leaseId: null,
      channel: classified.channel,
    });
  });
}

/**
 * Counts the refused request for the sizing advice and, on the first exhaustion, opens one task
 * for the administrators to add numbers (it stays open until closed, so a busy evening opens it
 * once).
 */
async function noteExhaustion(
  tx: Tx,
  deps: LeaseDeps & { orgId: string },
  pool: PoolRow,
): Promise<void> {
  const hourAgo = new Date(deps.now.getTime() - 3_600_000);
  const isFirst = (await countExhaustedSince(tx, pool.id, hourAgo)) === 0;
  await recordExhaustion(tx, deps.orgId, pool.id, deps.now);
  if (!isFirst) return;
  const ctx = systemCtx(deps, {
    orgId: deps.orgId,
    now: deps.now,
    actor: { type: 'system', label: 'call-tracking' },
    route: 'POST /t/calls/lease',
  });
  await openTaskOnce(tx, ctx, {
    kind: 'calls.pool_exhausted',
    title: `Не хватает номеров в пуле «${pool.name}»: посетители видят резервный номер`,
    dueDate: toMoscowDate(deps.now),
    relatedType: 'number_pool',
    relatedId: pool.id,
    details: { poolId: pool.id },
  });
}
