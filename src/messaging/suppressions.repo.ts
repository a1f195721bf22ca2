import type { Tx } from '../platform/db/db.ts';
import { toNumber } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type SuppressionChannel = 'email' | 'sms' | 'all';
export type SuppressionReason =
  | 'unsubscribed'
  | 'provider_refused'
  | 'bounced'
  | 'complaint'
  | 'staff';

export type SuppressionRecord = {
  id: string;
  contactId: string;
  channel: SuppressionChannel;
  reason: SuppressionReason;
  source: string;
  createdBy: string | null;
  createdAt: Date;
};

type Stored = {
  id: string;
  contact_id: string;
  channel: SuppressionChannel;
  reason: SuppressionReason;
  source: string;
  created_by: string | null;
  created_at: Date;
};

const COLUMNS = sql`id, contact_id, channel, reason, source, created_by, created_at`;

function toRecord(row: Stored): SuppressionRecord {
  return {
    id: row.id,
    contactId: row.contact_id,
    channel: row.channel,
    reason: row.reason,
    source: row.source,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** Inserts unless the contact is already suppressed on that channel; returns the new id or null. */
export async function insertSuppression(
  tx: Tx,
  input: {
    id: string;
    orgId: string;
    contactId: string;
    channel: SuppressionChannel;
    reason: SuppressionReason;
    source: string;
    createdBy: string | null;
    at: Date;
  },
): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(sql`
    INSERT INTO suppressions (id, org_id, contact_id, channel, reason, source, created_by, created_at)
    VALUES (${input.id}, ${input.orgId}, ${input.contactId}, ${input.channel}, ${input.reason},
      ${input.source}, ${input.createdBy}, ${input.at})
    ON CONFLICT (org_id, contact_id, channel) DO NOTHING
    RETURNING id`);
  return rows[0]?.id ?? null;
}

export async function findSuppressionOf(
  tx: Tx,
  contactId: string,
  channel: SuppressionChannel,
): Promise<SuppressionRecord | null> {
  const rows = await tx.query<Stored>(sql`
    SELECT ${COLUMNS} FROM suppressions WHERE contact_id = ${contactId} AND channel = ${channel}`);
  const [row] = rows;
  return row ? toRecord(row) : null;
}

/** Suppressions of many contacts covering one of `channels`, grouped by contact. */
export async function findSuppressionsOf(
  tx: Tx,
  contactIds: readonly string[],
): Promise<Map<string, SuppressionRecord[]>> {
  const result = new Map<string, SuppressionRecord[]>();
  if (contactIds.length === 0) return result;
  const rows = await tx.query<Stored>(sql`
    SELECT ${COLUMNS} FROM suppressions WHERE contact_id = ANY(${[...contactIds]}::uuid[])`);
  for (const row of rows) {
    const list = result.get(row.contact_id) ?? [];
    list.push(toRecord(row));
    result.set(row.contact_id, list);
  }
  return result;
}

export async function findSuppressionPage(
  tx: Tx,
  input: {
    channel: SuppressionChannel | null;
    reason: SuppressionReason | null;
    limit: number;
    offset: number;
  },
): Promise<{ items: SuppressionRecord[]; total: number }> {
  const where = sql`WHERE (${input.channel}::text IS NULL OR channel = ${input.channel})
    AND (${input.reason}::text IS NULL OR reason = ${input.reason})`;
  const rows = await tx.query<Stored>(sql`
    SELECT ${COLUMNS} FROM suppressions ${where}
    ORDER BY created_at DESC, id LIMIT ${input.limit} OFFSET ${input.offset}`);
  const [count] = await tx.query<{ total: unknown }>(
    sql`SELECT count(*) AS total FROM suppressions ${where}`,
  );
  return { items: rows.map(toRecord), total: toNumber(count?.total ?? 0) };
}

export async function deleteSuppression(tx: Tx, id: string): Promise<SuppressionRecord | null> {
  const rows = await tx.query<Stored>(sql`
    DELETE FROM suppressions WHERE id = ${id} RETURNING ${COLUMNS}`);
  const [row] = rows;
  return row ? toRecord(row) : null;
}
