import type { Tx } from '../platform/db/db.ts';
import { SqlFragment, sql } from '../platform/db/sql.ts';

/** What the gate needs to know of one contact for one purpose and channel. */
export type GateFacts = {
  contactId: string;
  erased: boolean;
  /** 'blocked' when a live block covers the purpose, 'stopped' for a stop only, else null. */
  block: 'blocked' | 'stopped' | null;
  suppressed: boolean;
  entryId: string | null;
  event: 'given' | 'withdrawn' | 'expired' | 'renewed' | null;
  expiresAt: Date | null;
  purposeVersionId: string | null;
};

type Stored = {
  contact_id: string;
  erased: boolean;
  blocked: boolean | null;
  suppressed: boolean;
  entry_id: string | null;
  event: GateFacts['event'];
  expires_at: Date | null;
  purpose_version_id: string | null;
};

/**
 * One statement for a whole audience: each contact's erasure, live blocks covering the purpose,
 * suppressions covering the channel and the latest journal event for the purpose (DISTINCT ON,
 * the same order as the single check: time, then sequence). Unknown ids are left out.
 */
export async function findGateFacts(
  tx: Tx,
  input: {
    orgId: string;
    /** The audience: ids, or a query selecting a column `id` (kept in the database). */
    contactIds: readonly string[] | SqlFragment;
    purposeId: string;
    /** Suppression channels that stop this send (the channel and 'all'); empty for none. */
    suppressionChannels: readonly string[];
  },
): Promise<GateFacts[]> {
  const isQuery = input.contactIds instanceof SqlFragment;
  const size = isQuery ? Number.POSITIVE_INFINITY : (input.contactIds as readonly string[]).length;
  if (size === 0) return [];
  if (size > 10_000) {
    // Sorting and hashing a large audience in memory rather than on disk.
    await tx.query(sql`SELECT set_config('work_mem', '64MB', true)`);
  }
  // Each id once; an array parameter lets the planner see the audience's size.
  const ids = isQuery
    ? sql`SELECT DISTINCT audience.id AS contact_id FROM (${input.contactIds as SqlFragment}) audience`
    : sql`SELECT unnest(${[...new Set(input.contactIds as readonly string[])]}::uuid[]) AS contact_id`;
  const rows = await tx.query<Stored>(sql`
    WITH ids AS (${ids}),
    latest AS (
      SELECT DISTINCT ON (j.contact_id) j.contact_id, j.id, j.event, j.expires_at, j.purpose_version_id
      FROM consent_journal j JOIN ids ON ids.contact_id = j.contact_id
      WHERE j.org_id = ${input.orgId} AND j.purpose_id = ${input.purposeId}
      ORDER BY j.contact_id, j.at DESC, j.seq DESC
    ),
    blocks AS (
      SELECT b.contact_id, bool_or(b.kind = 'blocked') AS blocked
      FROM subject_blocks b JOIN ids ON ids.contact_id = b.contact_id
      WHERE b.org_id = ${input.orgId} AND b.lifted_at IS NULL
        AND (b.purpose_id IS NULL OR b.purpose_id = ${input.purposeId})
      GROUP BY b.contact_id
    ),
    suppressed AS (
      SELECT DISTINCT s.contact_id
      FROM suppressions s JOIN ids ON ids.contact_id = s.contact_id
      WHERE s.org_id = ${input.orgId} AND s.channel = ANY(${[...input.suppressionChannels]}::text[])
    )
    SELECT c.id AS contact_id, c.erased_at IS NOT NULL AS erased, bl.blocked,
      sp.contact_id IS NOT NULL AS suppressed, l.id AS entry_id, l.event, l.expires_at,
      l.purpose_version_id
    FROM ids
    JOIN contacts c ON c.id = ids.contact_id AND c.org_id = ${input.orgId}
    LEFT JOIN latest l ON l.contact_id = c.id
    LEFT JOIN blocks bl ON bl.contact_id = c.id
    LEFT JOIN suppressed sp ON sp.contact_id = c.id`);
  return rows.map((row) => ({
    contactId: row.contact_id,
    erased: row.erased,
    block: row.blocked === null ? null : row.blocked ? 'blocked' : 'stopped',
    suppressed: row.suppressed,
    entryId: row.entry_id,
    event: row.event,
    expiresAt: row.expires_at,
    purposeVersionId: row.purpose_version_id,
  }));
}

/** Channels and recipients of every version of one purpose (what each person agreed to). */
export async function findVersionTerms(
  tx: Tx,
  purposeId: string,
): Promise<Map<string, { channels: string[]; recipients: { name: string }[] }>> {
  const rows = await tx.query<{
    id: string;
    channels: string[];
    recipients: { name: string }[];
  }>(sql`SELECT id, channels, recipients FROM purpose_versions WHERE purpose_id = ${purposeId}`);
  return new Map(
    rows.map((row) => [row.id, { channels: row.channels, recipients: row.recipients }]),
  );
}
