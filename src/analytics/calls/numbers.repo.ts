import type { Tx } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';

// ─── Settings ────────────────────────────────────────────────────────────────

export type SettingsRow = {
  orgId: string;
  publicKey: string;
  replaceNumbers: string[];
  replaceSelector: string | null;
};

export async function findSettings(tx: Tx): Promise<SettingsRow | null> {
  const rows = await tx.query<{
    org_id: string;
    public_key: string;
    replace_numbers: string[];
    replace_selector: string | null;
  }>(sql`SELECT org_id, public_key, replace_numbers, replace_selector FROM call_tracking_settings`);
  const row = rows[0];
  return row
    ? {
        orgId: row.org_id,
        publicKey: row.public_key,
        replaceNumbers: row.replace_numbers,
        replaceSelector: row.replace_selector,
      }
    : null;
}

export async function upsertSettings(
  tx: Tx,
  orgId: string,
  input: { publicKey: string; replaceNumbers: string[]; replaceSelector: string | null },
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO call_tracking_settings (org_id, public_key, replace_numbers, replace_selector, created_at, updated_at)
    VALUES (${orgId}, ${input.publicKey}, ${input.replaceNumbers}::text[], ${input.replaceSelector}, ${at}, ${at})
    ON CONFLICT (org_id) DO UPDATE SET replace_numbers = EXCLUDED.replace_numbers,
      replace_selector = EXCLUDED.replace_selector, updated_at = EXCLUDED.updated_at`);
}

export async function orgIdByPublicKey(tx: Tx, key: string): Promise<string | null> {
  const rows = await tx.query<{ org_id: string | null }>(
    sql`SELECT call_tracking_org_by_key(${key}) AS org_id`,
  );
  return rows[0]?.org_id ?? null;
}

// ─── Pools ───────────────────────────────────────────────────────────────────

export type PoolRow = {
  id: string;
  name: string;
  hosts: string[];
  channels: string[];
  holdSeconds: number;
  quarantineSeconds: number;
  fallbackNumber: string | null;
  isActive: boolean;
  createdAt: Date;
};

type StoredPool = {
  id: string;
  name: string;
  hosts: string[];
  channels: string[];
  hold_seconds: number;
  quarantine_seconds: number;
  fallback_number: string | null;
  is_active: boolean;
  created_at: Date;
};

function toPool(row: StoredPool): PoolRow {
  return {
    id: row.id,
    name: row.name,
    hosts: row.hosts,
    channels: row.channels,
    holdSeconds: row.hold_seconds,
    quarantineSeconds: row.quarantine_seconds,
    fallbackNumber: row.fallback_number,
    isActive: row.is_active,
    createdAt: row.created_at,
  };
}

export async function findPools(tx: Tx): Promise<PoolRow[]> {
  const rows = await tx.query<StoredPool>(sql`SELECT * FROM number_pools ORDER BY created_at, id`);
  return rows.map(toPool);
}

export async function findPool(tx: Tx, id: string): Promise<PoolRow | null> {
  const rows = await tx.query<StoredPool>(sql`SELECT * FROM number_pools WHERE id = ${id}`);
  return rows[0] ? toPool(rows[0]) : null;
}

export type PoolInput = Omit<PoolRow, 'createdAt'>;

export async function insertPool(tx: Tx, orgId: string, pool: PoolInput, at: Date): Promise<void> {
  await tx.execute(sql`
    INSERT INTO number_pools (id, org_id, name, hosts, channels, hold_seconds, quarantine_seconds,
      fallback_number, is_active, created_at, updated_at)
    VALUES (${pool.id}, ${orgId}, ${pool.name}, ${pool.hosts}::text[], ${pool.channels}::text[], ${pool.holdSeconds},
      ${pool.quarantineSeconds}, ${pool.fallbackNumber}, ${pool.isActive}, ${at}, ${at})`);
}

export async function updatePool(tx: Tx, pool: PoolInput, at: Date): Promise<number> {
  return tx.execute(sql`
    UPDATE number_pools SET name = ${pool.name}, hosts = ${pool.hosts}::text[], channels = ${pool.channels}::text[],
      hold_seconds = ${pool.holdSeconds}, quarantine_seconds = ${pool.quarantineSeconds},
      fallback_number = ${pool.fallbackNumber}, is_active = ${pool.isActive}, updated_at = ${at}
    WHERE id = ${pool.id}`);
}

export type PoolStats = { poolId: string; numbers: number; busy: number };

export async function findPoolStats(tx: Tx, now: Date): Promise<PoolStats[]> {
  const rows = await tx.query<{ pool_id: string; numbers: number | string; busy: number | string }>(
    sql`SELECT pool_id, count(*) AS numbers, count(*) FILTER (WHERE busy_until > ${now}) AS busy
        FROM tracking_numbers WHERE kind = 'dynamic' AND is_active GROUP BY pool_id`,
  );
  return rows.map((row) => ({
    poolId: row.pool_id,
    numbers: Number(row.numbers),
    busy: Number(row.busy),
  }));
}

/**
 * Lease requests per pool and hour since `since`: the leases made plus the requests refused for
 * want of a free number. The busiest hour is the traffic the pool must carry.
 */
export async function findPoolDemand(
  tx: Tx,
  since: Date,
): Promise<{ poolId: string; peakPerHour: number; exhausted: number }[]> {
  const rows = await tx.query<{
    pool_id: string;
    peak: number | string;
    exhausted: number | string;
  }>(sql`
    WITH hourly AS (
      SELECT pool_id, date_trunc('hour', leased_at) AS hour, count(*) AS requests, 0 AS exhausted
      FROM number_leases WHERE leased_at >= ${since} GROUP BY 1, 2
      UNION ALL
      SELECT pool_id, hour, exhausted, exhausted FROM pool_demand WHERE hour >= date_trunc('hour', ${since}::timestamptz)
    ), per_hour AS (
      SELECT pool_id, hour, sum(requests) AS requests, sum(exhausted) AS exhausted
      FROM hourly GROUP BY 1, 2
    )
    SELECT pool_id, max(requests) AS peak, sum(exhausted) AS exhausted FROM per_hour GROUP BY 1`);
  return rows.map((row) => ({
    poolId: row.pool_id,
    peakPerHour: Number(row.peak),
    exhausted: Number(row.exhausted),
  }));
}

export async function countExhaustedSince(tx: Tx, poolId: string, since: Date): Promise<number> {
  const rows = await tx.query<{ total: number | string | null }>(
    sql`SELECT sum(exhausted) AS total FROM pool_demand
        WHERE pool_id = ${poolId} AND hour >= date_trunc('hour', ${since}::timestamptz)`,
  );
  return Number(rows[0]?.total ?? 0);
}

export async function recordExhaustion(
  tx: Tx,
  orgId: string,
  poolId: string,
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO pool_demand (org_id, pool_id, hour, requests, exhausted)
    VALUES (${orgId}, ${poolId}, date_trunc('hour', ${at}::timestamptz), 1, 1)
    ON CONFLICT (org_id, pool_id, hour) DO UPDATE
      SET requests = pool_demand.requests + 1, exhausted = pool_demand.exhausted + 1`);
}

// ─── Numbers ─────────────────────────────────────────────────────────────────

export type NumberRow = {
  id: string;
  number: string;
  provider: string;
  kind: 'static' | 'dynamic';
  label: string | null;
  channel: string | null;
  campaign: string | null;
  poolId: string | null;
  hosts: string[];
  isActive: boolean;
  busyUntil: Date | null;
  createdAt: Date;
};

type StoredNumber = {
  id: string;
  number: string;
  provider: string;
  kind: 'static' | 'dynamic';
  label: string | null;
  channel: string | null;
  campaign: string | null;
  pool_id: string | null;
  hosts: string[];
  is_active: boolean;
  busy_until: Date | string | null;
  created_at: Date;
};

function toNumber(row: StoredNumber): NumberRow {
  const busy = row.busy_until instanceof Date ? row.busy_until : null;
  return {
    id: row.id,
    number: row.number,
    provider: row.provider,
    kind: row.kind,
    label: row.label,
    channel: row.channel,
    campaign: row.campaign,
    poolId: row.pool_id,
    hosts: row.hosts,
    isActive: row.is_active,
    busyUntil: busy && Number.isFinite(busy.getTime()) ? busy : null,
    createdAt: row.created_at,
  };
}

export async function findNumbers(
  tx: Tx,
  filter: { poolId?: string; kind?: 'static' | 'dynamic'; isActive?: boolean } = {},
): Promise<NumberRow[]> {
  const conditions = [sql`TRUE`];
  if (filter.poolId) conditions.push(sql`pool_id = ${filter.poolId}`);
  if (filter.kind) conditions.push(sql`kind = ${filter.kind}`);
  if (filter.isActive !== undefined) conditions.push(sql`is_active = ${filter.isActive}`);
  const rows = await tx.query<StoredNumber>(
    sql`SELECT id, number, provider, kind, label, channel, campaign, pool_id, hosts, is_active,
               CASE WHEN busy_until = '-infinity' THEN NULL ELSE busy_until END AS busy_until, created_at
        FROM tracking_numbers WHERE ${sql.join(conditions, ' AND ')} ORDER BY kind, number`,
  );
  return rows.map(toNumber);
}

export async function findNumber(tx: Tx, id: string): Promise<NumberRow | null> {
  const rows = await tx.query<StoredNumber>(
    sql`SELECT id, number, provider, kind, label, channel, campaign, pool_id, hosts, is_active,
               CASE WHEN busy_until = '-infinity' THEN NULL ELSE busy_until END AS busy_until, created_at
        FROM tracking_numbers WHERE id = ${id}`,
  );
  return rows[0] ? toNumber(rows[0]) : null;
}

export async function findNumberByValue(tx: Tx, number: string): Promise<NumberRow | null> {
  const rows = await tx.query<StoredNumber>(
    sql`SELECT id, number, provider, kind, label, channel, campaign, pool_id, hosts, is_active,
               CASE WHEN busy_until = '-infinity' THEN NULL ELSE busy_until END AS busy_until, created_at
        FROM tracking_numbers WHERE number = ${number}`,
  );
  return rows[0] ? toNumber(rows[0]) : null;
}

export type NumberInput = Omit<NumberRow, 'createdAt' | 'busyUntil'>;

export async function insertNumber(
  tx: Tx,
  orgId: string,
  row: NumberInput,
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO tracking_numbers (id, org_id, number, provider, kind, label, channel, campaign,
      pool_id, hosts, is_active, created_at, updated_at)
    VALUES (${row.id}, ${orgId}, ${row.number}, ${row.provider}, ${row.kind}, ${row.label},
      ${row.channel}, ${row.campaign}, ${row.poolId}, ${row.hosts}::text[], ${row.isActive}, ${at}, ${at})`);
}

export async function updateNumber(tx: Tx, row: NumberInput, at: Date): Promise<number> {
  return tx.execute(sql`
    UPDATE tracking_numbers SET number = ${row.number}, provider = ${row.provider},
      kind = ${row.kind}, label = ${row.label}, channel = ${row.channel}, campaign = ${row.campaign},
      pool_id = ${row.poolId}, hosts = ${row.hosts}::text[], is_active = ${row.isActive}, updated_at = ${at}
    WHERE id = ${row.id}`);
}

// ─── Leases ──────────────────────────────────────────────────────────────────

export type LeaseTouch = {
  sessionKey: string;
  sessionId: string | null;
  visitorId: string | null;
  channel: string;
  source: string | null;
  campaign: string | null;
  keyword: string | null;
  host: string | null;
  touch: Record<string, string>;
};

/**
 * Takes the pool's free number that has rested longest and records the lease, in one statement:
 * concurrent visitors skip each other's locked rows instead of waiting, so two of them never get
 * the same number. Null when every number is leased or in quarantine.
 */
export async function acquireNumber(
  tx: Tx,
  input: {
    orgId: string;
    leaseId: string;
    poolId: string;
    now: Date;
    expiresAt: Date;
    quarantineUntil: Date;
    touch: LeaseTouch;
  },
): Promise<{ numberId: string; number: string } | null> {
  const touch = input.touch;
  const rows = await tx.query<{ id: string; number: string }>(sql`
    WITH picked AS (
      SELECT id FROM tracking_numbers
      WHERE pool_id = ${input.poolId} AND kind = 'dynamic' AND is_active AND busy_until <= ${input.now}
      ORDER BY busy_until, id LIMIT 1 FOR UPDATE SKIP LOCKED
    ), taken AS (
      UPDATE tracking_numbers AS t SET busy_until = ${input.quarantineUntil},
        current_lease_id = ${input.leaseId}
      FROM picked WHERE t.id = picked.id RETURNING t.id, t.number
    ), leased AS (
      INSERT INTO number_leases (id, org_id, number_id, pool_id, session_key, session_id, visitor_id,
        channel, source, campaign, keyword, host, touch, leased_at, last_seen_at, expires_at,
        quarantine_until)
      SELECT ${input.leaseId}, ${input.orgId}, taken.id, ${input.poolId}, ${touch.sessionKey},
        ${touch.sessionId}, ${touch.visitorId}, ${touch.channel}, ${touch.source}, ${touch.campaign},
        ${touch.keyword}, ${touch.host}, ${JSON.stringify(touch.touch)}::jsonb, ${input.now},
        ${input.now}, ${input.expiresAt}, ${input.quarantineUntil}
      FROM taken RETURNING id
    )
    SELECT taken.id, taken.number FROM taken, leased`);
  const row = rows[0];
  return row ? { numberId: row.id, number: row.number } : null;
}

/**
 * A heartbeat: the live lease is held `hold` longer from now and its number's quarantine moves
 * with it. Null when the lease has expired (the page then asks for a new one).
 */
export async function renewLease(
  tx: Tx,
  input: { leaseId: string; now: Date },
): Promise<{ leaseId: string; number: string; channel: string; holdSeconds: number } | null> {
  const rows = await tx.query<{
    id: string;
    number: string;
    channel: string;
    hold_seconds: number;
  }>(sql`
    WITH renewed AS (
      UPDATE number_leases AS l SET last_seen_at = ${input.now},
        expires_at = ${input.now}::timestamptz + make_interval(secs => p.hold_seconds),
        quarantine_until = ${input.now}::timestamptz
          + make_interval(secs => p.hold_seconds + p.quarantine_seconds),
        renewals = l.renewals + 1
      FROM number_pools AS p
      WHERE l.id = ${input.leaseId} AND p.id = l.pool_id AND l.expires_at > ${input.now}
      RETURNING l.id, l.number_id, l.channel, l.quarantine_until, p.hold_seconds
    ), moved AS (
      UPDATE tracking_numbers AS t SET busy_until = renewed.quarantine_until
      FROM renewed WHERE t.id = renewed.number_id AND t.current_lease_id = renewed.id
      RETURNING t.number
    )
    SELECT renewed.id, moved.number, renewed.channel, renewed.hold_seconds FROM renewed, moved`);
  const row = rows[0];
  return row
    ? { leaseId: row.id, number: row.number, channel: row.channel, holdSeconds: row.hold_seconds }
    : null;
}

/** The visit's live lease, if it has one (a second page of the same visit keeps its number). */
export async function findLiveLeaseOf(
  tx: Tx,
  sessionKey: string,
  now: Date,
): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(sql`
    SELECT id FROM number_leases WHERE session_key = ${sessionKey} AND expires_at > ${now}
    ORDER BY expires_at DESC LIMIT 1`);
  return rows[0]?.id ?? null;
}

export type LeaseRow = {
  id: string;
  numberId: string;
  sessionId: string | null;
  visitorId: string | null;
  channel: string;
  source: string | null;
  campaign: string | null;
  keyword: string | null;
  leasedAt: Date;
  quarantineUntil: Date;
};

/**
 * The lease that held the number at `at`: taken at or before it, and the number not yet free
 * again (a call during quarantine still belongs to the visit that was shown the number).
 */
export async function findLeaseAt(tx: Tx, numberId: string, at: Date): Promise<LeaseRow | null> {
  const rows = await tx.query<{
    id: string;
    number_id: string;
    session_id: string | null;
    visitor_id: string | null;
    channel: string;
    source: string | null;
    campaign: string | null;
    keyword: string | null;
    leased_at: Date;
    quarantine_until: Date;
  }>(sql`
    SELECT id, number_id, session_id, visitor_id, channel, source, campaign, keyword, leased_at,
           quarantine_until
    FROM number_leases
    WHERE number_id = ${numberId} AND leased_at <= ${at} AND quarantine_until > ${at}
    ORDER BY leased_at DESC LIMIT 1`);
  const row = rows[0];
  return row
    ? {
        id: row.id,
        numberId: row.number_id,
        sessionId: row.session_id,
        visitorId: row.visitor_id,
        channel: row.channel,
        source: row.source,
        campaign: row.campaign,
        keyword: row.keyword,
        leasedAt: row.leased_at,
        quarantineUntil: row.quarantine_until,
      }
    : null;
}

/** How long visits held their number, on average, per pool since `since` (seconds). */
export async function findAverageVisitSeconds(tx: Tx, since: Date): Promise<Map<string, number>> {
  const rows = await tx.query<{ pool_id: string; seconds: number | string | null }>(sql`
    SELECT pool_id, avg(extract(epoch FROM last_seen_at - leased_at)) AS seconds
    FROM number_leases WHERE leased_at >= ${since} GROUP BY pool_id`);
  return new Map(rows.map((row) => [row.pool_id, Number(row.seconds ?? 0)]));
}
