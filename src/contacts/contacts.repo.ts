import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type ContactRow = {
  id: string;
  nameEnc: Uint8Array | null;
  phoneEnc: Uint8Array | null;
  emailEnc: Uint8Array | null;
  phoneIndex: string | null;
  emailIndex: string | null;
  createdAt: Date;
  updatedAt: Date;
  mergedInto: string | null;
};

type Stored = {
  id: string;
  name_enc: Uint8Array | null;
  phone_enc: Uint8Array | null;
  email_enc: Uint8Array | null;
  phone_index: string | null;
  email_index: string | null;
  created_at: Date;
  updated_at: Date;
  merged_into: string | null;
};

function toRow(row: Stored): ContactRow {
  return {
    id: row.id,
    nameEnc: row.name_enc,
    phoneEnc: row.phone_enc,
    emailEnc: row.email_enc,
    phoneIndex: row.phone_index,
    emailIndex: row.email_index,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    mergedInto: row.merged_into,
  };
}

/** The contact matching either blind index, phone first (it identifies a person best). */
export async function findContactByIndexes(
  tx: Tx,
  indexes: { phoneIndex: string | null; emailIndex: string | null },
): Promise<ContactRow | null> {
  if (!indexes.phoneIndex && !indexes.emailIndex) return null;
  const rows = await tx.query<Stored>(sql`
    SELECT * FROM contacts
    WHERE (phone_index = ${indexes.phoneIndex} AND ${indexes.phoneIndex}::text IS NOT NULL)
       OR (email_index = ${indexes.emailIndex} AND ${indexes.emailIndex}::text IS NOT NULL)
    ORDER BY (phone_index = ${indexes.phoneIndex}) DESC NULLS LAST, created_at
    LIMIT 1
    FOR UPDATE`);
  return rows[0] ? toRow(rows[0]) : null;
}

export async function insertContact(
  tx: Tx,
  orgId: string,
  contact: Omit<ContactRow, 'createdAt' | 'updatedAt' | 'mergedInto'>,
  at: Date,
) {
  tx.defer(sql`
    INSERT INTO contacts (id, org_id, name_enc, phone_enc, email_enc, phone_index, email_index, created_at, updated_at)
    VALUES (${contact.id}, ${orgId}, ${contact.nameEnc}, ${contact.phoneEnc}, ${contact.emailEnc},
            ${contact.phoneIndex}, ${contact.emailIndex}, ${at}, ${at})`);
}

export async function updateContact(
  tx: Tx,
  contact: Omit<ContactRow, 'createdAt' | 'updatedAt' | 'mergedInto'>,
  at: Date,
) {
  await tx.execute(sql`
    UPDATE contacts SET name_enc = ${contact.nameEnc}, phone_enc = ${contact.phoneEnc},
      email_enc = ${contact.emailEnc}, phone_index = ${contact.phoneIndex},
      email_index = ${contact.emailIndex}, updated_at = ${at}
    WHERE id = ${contact.id}`);
}

export async function findContactsByIds(tx: Tx, ids: readonly string[]): Promise<ContactRow[]> {
  if (ids.length === 0) return [];
  const rows = await tx.query<Stored>(
    sql`SELECT * FROM contacts WHERE id = ANY(${[...ids]}::uuid[])`,
  );
  return rows.map(toRow);
}

export async function findContactPage(
  tx: Tx,
  page: { limit: number; offset: number; phoneIndex?: string; emailIndex?: string },
) {
  const conditions = [];
  if (page.phoneIndex) conditions.push(sql`phone_index = ${page.phoneIndex}`);
  if (page.emailIndex) conditions.push(sql`email_index = ${page.emailIndex}`);
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, ' OR ')}` : sql.empty;
  const rows = await tx.query<Stored & { total: number | string }>(sql`
    SELECT *, count(*) OVER () AS total FROM contacts ${where}
    ORDER BY created_at DESC, id LIMIT ${page.limit} OFFSET ${page.offset}`);
  return { rows: rows.map(toRow), total: rows[0] ? Number(rows[0].total) : 0 };
}

/** Whether the contact exists in the scoped organization and when it was erased, if it was. */
export async function findContactErasure(
  tx: Tx,
  contactId: string,
): Promise<{ erasedAt: Date | null } | null> {
  const [row] = await tx.query<{ erased_at: Date | null }>(
    sql`SELECT erased_at FROM contacts WHERE id = ${contactId}`,
  );
  return row ? { erasedAt: row.erased_at } : null;
}

/**
 * The person behind a contact: the contact and every contact merged into it (transitively).
 * Empty when the contact does not exist in the scoped organization.
 */
export async function findIdentity(tx: Tx, contactId: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(sql`
    WITH RECURSIVE person (id) AS (
      SELECT id FROM contacts WHERE id = ${contactId}
      UNION SELECT c.id FROM contacts c JOIN person p ON c.merged_into = p.id
    ) SELECT id FROM person`);
  return rows.map((row) => row.id);
}
