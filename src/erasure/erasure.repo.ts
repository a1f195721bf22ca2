import type { Tx } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';
import type { SubjectTable } from './data-map.ts';

// Table and column names come from the declared data map in code, never from input.
const NAME = /^[a-z][a-z0-9_]*$/;

function ident(name: string): SqlFragment {
  if (!NAME.test(name)) throw new Error(`Not an identifier: ${name}`);
  return sql.unsafeRaw(`"${name}"`);
}

export type StoredRow = Record<string, unknown>;

export async function findSubjectRows(
  tx: Tx,
  entry: SubjectTable,
  contactId: string,
): Promise<StoredRow[]> {
  return tx.query<StoredRow>(sql`
    SELECT * FROM ${ident(entry.table)} WHERE ${ident(entry.subjectColumn)} = ${contactId}`);
}

export async function countSubjectRows(
  tx: Tx,
  entry: SubjectTable,
  contactId: string,
): Promise<number> {
  const [row] = await tx.query<{ count: number | string }>(sql`
    SELECT count(*) AS count FROM ${ident(entry.table)}
    WHERE ${ident(entry.subjectColumn)} = ${contactId}`);
  return Number(row?.count ?? 0);
}

export async function deleteSubjectRows(
  tx: Tx,
  entry: SubjectTable,
  contactId: string,
): Promise<number> {
  return tx.execute(sql`
    DELETE FROM ${ident(entry.table)} WHERE ${ident(entry.subjectColumn)} = ${contactId}`);
}

/** Empties the personal columns (and JSON keys) of the subject's rows that still hold any. */
export async function deidentifySubjectRows(
  tx: Tx,
  entry: SubjectTable,
  contactId: string,
  change: {
    nullColumns: readonly string[];
    stripJson?: { column: string; keys: readonly string[] } | undefined;
    extra?: SqlFragment[];
  },
): Promise<number> {
  const assignments = change.nullColumns.map((column) => sql`${ident(column)} = NULL`);
  const pending = change.nullColumns.map((column) => sql`${ident(column)} IS NOT NULL`);
  if (change.stripJson) {
    const column = ident(change.stripJson.column);
    const keys = [...change.stripJson.keys];
    assignments.push(sql`${column} = ${column} - ${keys}::text[]`);
    pending.push(sql`${column} ?| ${keys}::text[]`);
  }
  assignments.push(...(change.extra ?? []));
  if (assignments.length === 0 || pending.length === 0) return 0;
  return tx.execute(sql`
    UPDATE ${ident(entry.table)} SET ${sql.join(assignments)}
    WHERE ${ident(entry.subjectColumn)} = ${contactId} AND (${sql.join(pending, ' OR ')})`);
}

export type ContactForErasure = {
  id: string;
  phoneIndex: string | null;
  emailIndex: string | null;
  erasedAt: Date | null;
};

export async function findContactForErasure(
  tx: Tx,
  contactId: string,
): Promise<ContactForErasure | null> {
  const [row] = await tx.query<{
    id: string;
    phone_index: string | null;
    email_index: string | null;
    erased_at: Date | null;
  }>(sql`SELECT id, phone_index, email_index, erased_at FROM contacts WHERE id = ${contactId}`);
  return row
    ? {
        id: row.id,
        phoneIndex: row.phone_index,
        emailIndex: row.email_index,
        erasedAt: row.erased_at,
      }
    : null;
}

export async function insertTombstone(
  tx: Tx,
  input: {
    orgId: string;
    contactId: string;
    phoneIndex: string | null;
    emailIndex: string | null;
    reason: string;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO subject_tombstones (contact_id, org_id, phone_index, email_index, reason, erased_at)
    VALUES (${input.contactId}, ${input.orgId}, ${input.phoneIndex}, ${input.emailIndex},
      ${input.reason}, ${input.at})
    ON CONFLICT (contact_id) DO NOTHING`);
}

export async function markContactErased(tx: Tx, contactId: string, at: Date): Promise<void> {
  await tx.execute(sql`
    UPDATE contacts SET erased_at = ${at}, updated_at = ${at}
    WHERE id = ${contactId} AND erased_at IS NULL`);
}

/** Erased contacts matching a keyed hash: a returning person's past proof. */
export async function findTombstonesByIndexes(
  tx: Tx,
  indexes: { phoneIndex: string | null; emailIndex: string | null },
): Promise<{ contactId: string; erasedAt: Date }[]> {
  if (!indexes.phoneIndex && !indexes.emailIndex) return [];
  const rows = await tx.query<{ contact_id: string; erased_at: Date }>(sql`
    SELECT contact_id, erased_at FROM subject_tombstones
    WHERE (phone_index IS NOT NULL AND phone_index = ${indexes.phoneIndex})
       OR (email_index IS NOT NULL AND email_index = ${indexes.emailIndex})
    ORDER BY erased_at`);
  return rows.map((row) => ({ contactId: row.contact_id, erasedAt: row.erased_at }));
}
