import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type TaskEvent = {
  id: string;
  kind: string;
  title: string;
  status: string;
  dueDate: string | null;
  relatedType: string;
  at: Date;
};

/** Tasks about the contacts or their leads, newest first. */
export async function findTaskEvents(
  tx: Tx,
  filter: { contactIds: readonly string[]; atOrBefore: Date | null; limit: number },
): Promise<TaskEvent[]> {
  const rows = await tx.query<{
    id: string;
    kind: string;
    title: string;
    status: string;
    due_date: string | null;
    related_type: string;
    created_at: Date;
  }>(sql`
    SELECT t.id, t.kind, t.title, t.status, t.due_date::text AS due_date, t.related_type,
      t.created_at
    FROM tasks t
    WHERE ((t.related_type = 'contact' AND t.related_id = ANY(${[...filter.contactIds]}::uuid[]))
       OR (t.related_type = 'lead' AND t.related_id IN (
             SELECT id FROM leads WHERE contact_id = ANY(${[...filter.contactIds]}::uuid[]))))
      AND (${filter.atOrBefore}::timestamptz IS NULL OR t.created_at <= ${filter.atOrBefore})
    ORDER BY t.created_at DESC LIMIT ${filter.limit}`);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    dueDate: row.due_date,
    relatedType: row.related_type,
    at: row.created_at,
  }));
}
