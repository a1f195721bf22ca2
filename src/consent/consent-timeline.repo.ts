import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type ConsentEvent = {
  id: string;
  contactId: string;
  event: string;
  channel: string;
  purposeCode: string;
  purposeTitle: string;
  version: number;
  expiresAt: Date | null;
  at: Date;
};

/** Journal entries of the contacts, newest first: read only, the journal is never changed. */
export async function findConsentEvents(
  tx: Tx,
  filter: { contactIds: readonly string[]; atOrBefore: Date | null; limit: number },
): Promise<ConsentEvent[]> {
  const rows = await tx.query<{
    id: string;
    contact_id: string;
    event: string;
    channel: string;
    code: string;
    title: string;
    version: number;
    expires_at: Date | null;
    at: Date;
  }>(sql`
    SELECT j.id, j.contact_id, j.event, j.channel, p.code, v.title, v.version, j.expires_at, j.at
    FROM consent_journal j
    JOIN purposes p ON p.id = j.purpose_id
    JOIN purpose_versions v ON v.id = j.purpose_version_id
    WHERE j.contact_id = ANY(${[...filter.contactIds]}::uuid[])
      AND (${filter.atOrBefore}::timestamptz IS NULL OR j.at <= ${filter.atOrBefore})
    ORDER BY j.at DESC, j.seq DESC LIMIT ${filter.limit}`);
  return rows.map((row) => ({
    id: row.id,
    contactId: row.contact_id,
    event: row.event,
    channel: row.channel,
    purposeCode: row.code,
    purposeTitle: row.title,
    version: Number(row.version),
    expiresAt: row.expires_at,
    at: row.at,
  }));
}
