import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type SubmissionEvent = {
  id: string;
  formId: string;
  formTitle: string;
  attribution: Record<string, string>;
  at: Date;
};

/** The contacts' form submissions, newest first (no field values: those stay sealed). */
export async function findSubmissionEvents(
  tx: Tx,
  filter: { contactIds: readonly string[]; atOrBefore: Date | null; limit: number },
): Promise<SubmissionEvent[]> {
  const rows = await tx.query<{
    id: string;
    form_id: string;
    title: string;
    attribution: Record<string, string>;
    created_at: Date;
  }>(sql`
    SELECT s.id, s.form_id, f.title, s.attribution, s.created_at
    FROM submissions s JOIN forms f ON f.id = s.form_id
    WHERE s.contact_id = ANY(${[...filter.contactIds]}::uuid[])
      AND (${filter.atOrBefore}::timestamptz IS NULL OR s.created_at <= ${filter.atOrBefore})
    ORDER BY s.created_at DESC LIMIT ${filter.limit}`);
  return rows.map((row) => ({
    id: row.id,
    formId: row.form_id,
    formTitle: row.title,
    attribution: row.attribution,
    at: row.created_at,
  }));
}
