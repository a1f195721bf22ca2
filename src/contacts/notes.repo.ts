import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type NoteRow = {
  id: string;
  contactId: string;
  bodyEnc: Uint8Array;
  authorUserId: string | null;
  createdAt: Date;
};

type Stored = {
  id: string;
  contact_id: string;
  body_enc: Uint8Array;
  author_user_id: string | null;
  created_at: Date;
};

function toNote(row: Stored): NoteRow {
  return {
    id: row.id,
    contactId: row.contact_id,
    bodyEnc: row.body_enc,
    authorUserId: row.author_user_id,
    createdAt: row.created_at,
  };
}

export async function insertNote(tx: Tx, note: NoteRow & { orgId: string }): Promise<void> {
  await tx.execute(sql`
    INSERT INTO contact_notes (id, org_id, contact_id, body_enc, author_user_id, created_at)
    VALUES (${note.id}, ${note.orgId}, ${note.contactId}, ${note.bodyEnc}, ${note.authorUserId},
      ${note.createdAt})`);
}

export async function findNote(tx: Tx, noteId: string): Promise<NoteRow | null> {
  const rows = await tx.query<Stored>(sql`SELECT * FROM contact_notes WHERE id = ${noteId}`);
  return rows[0] ? toNote(rows[0]) : null;
}

export async function deleteNoteRow(tx: Tx, noteId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM contact_notes WHERE id = ${noteId}`);
}

export async function findNotesOf(
  tx: Tx,
  filter: { contactIds: readonly string[]; atOrBefore: Date | null; limit: number },
): Promise<NoteRow[]> {
  const rows = await tx.query<Stored>(sql`
    SELECT * FROM contact_notes WHERE contact_id = ANY(${[...filter.contactIds]}::uuid[])
      AND (${filter.atOrBefore}::timestamptz IS NULL OR created_at <= ${filter.atOrBefore})
    ORDER BY created_at DESC LIMIT ${filter.limit}`);
  return rows.map(toNote);
}
