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

/** Queues the name tokens of a new contact (after its own queued insert). */
export function deferNameTokens(
  tx: Tx,
  input: { orgId: string; contactId: string; tokens: readonly string[] },
): void {
  if (input.tokens.length === 0) return;
  tx.defer(sql`
    INSERT INTO contact_name_tokens (org_id, contact_id, token)
    SELECT ${input.orgId}::uuid, ${input.contactId}::uuid, t
    FROM unnest(${[...new Set(input.tokens)]}::text[]) AS t`);
}

export type ContactListFilter = {
  phoneIndex?: string | undefined;
  emailIndex?: string | undefined;
  /** Every token must match (the words of a name search). */
  nameTokens?: readonly string[] | undefined;
  /** Contacts with a lead in this stage / from this source. */
  stage?: string | undefined;
  source?: string | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
};

/**
 * A page of live contacts (merged ones hidden), newest first. The count stops at a cap so a
 * page of a large base stays fast; `total` is exact below it.
 */
export async function findContactListPage(
  tx: Tx,
  page: ContactListFilter & { limit: number; offset: number; countCap: number },
): Promise<{ rows: ContactRow[]; total: number; isTotalCapped: boolean }> {
  const conditions = [sql`c.merged_into IS NULL`];
  const matches = [];
  if (page.phoneIndex) matches.push(sql`c.phone_index = ${page.phoneIndex}`);
  if (page.emailIndex) matches.push(sql`c.email_index = ${page.emailIndex}`);
  if (page.nameTokens && page.nameTokens.length > 0) {
    matches.push(sql`c.id IN (
      SELECT contact_id FROM contact_name_tokens WHERE token = ANY(${[...page.nameTokens]}::text[])
      GROUP BY contact_id HAVING count(DISTINCT token) = ${page.nameTokens.length})`);
  }
  if (matches.length > 0) conditions.push(sql`(${sql.join(matches, ' OR ')})`);
  if (page.stage || page.source) {
    const lead = [sql`l.contact_id = c.id`];
    if (page.stage) lead.push(sql`l.status = ${page.stage}`);
    if (page.source) lead.push(sql`l.source = ${page.source}`);
    conditions.push(sql`EXISTS (SELECT 1 FROM leads l WHERE ${sql.join(lead, ' AND ')})`);
  }
  if (page.createdFrom) conditions.push(sql`c.created_at >= ${page.createdFrom}`);
  if (page.createdTo) conditions.push(sql`c.created_at <= ${page.createdTo}`);
  const where = sql.join(conditions, ' AND ');
  const [count] = await tx.query<{ total: number | string }>(sql`
    SELECT count(*) AS total FROM (SELECT 1 FROM contacts c WHERE ${where} LIMIT ${page.countCap + 1}) capped`);
  const rows = await tx.query<Stored>(sql`
    SELECT c.* FROM contacts c WHERE ${where}
    ORDER BY c.created_at DESC, c.id LIMIT ${page.limit} OFFSET ${page.offset}`);
  const total = count ? Number(count.total) : 0;
  return {
    rows: rows.map(toRow),
    total: Math.min(total, page.countCap),
    isTotalCapped: total > page.countCap,
  };
}

/** Locks contacts for a merge or its undo. */
export async function lockContacts(tx: Tx, ids: readonly string[]): Promise<ContactRow[]> {
  const rows = await tx.query<Stored & { erased_at: Date | null }>(sql`
    SELECT * FROM contacts WHERE id = ANY(${[...ids]}::uuid[]) ORDER BY id FOR UPDATE`);
  return rows.map(toRow);
}

export async function findErasedIds(tx: Tx, ids: readonly string[]): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(sql`
    SELECT id FROM contacts WHERE id = ANY(${[...ids]}::uuid[]) AND erased_at IS NOT NULL`);
  return rows.map((row) => row.id);
}

export type DuplicatePair = {
  contactId: string;
  otherId: string;
  reasons: string[];
};

/**
 * Live contacts that look like one person: the same phone or email (possible through imports
 * and staff entry) or the same full name (its keyed token). Pairs once, newest first.
 */
export async function findDuplicatePairs(
  tx: Tx,
  page: { contactId?: string | undefined; limit: number; offset: number },
): Promise<{ pairs: DuplicatePair[]; total: number }> {
  const only = page.contactId ? sql`AND (${page.contactId}::uuid IN (a, b))` : sql.empty;
  const rows = await tx.query<{
    a: string;
    b: string;
    reasons: string[];
    total: number | string;
  }>(sql`
    WITH live AS (SELECT id, phone_index, email_index, created_at FROM contacts
                  WHERE merged_into IS NULL AND erased_at IS NULL),
    pairs AS (
      SELECT x.id AS a, y.id AS b, 'same_phone' AS reason FROM live x
        JOIN live y ON y.phone_index = x.phone_index AND x.id < y.id
      UNION ALL
      SELECT x.id, y.id, 'same_email' FROM live x
        JOIN live y ON y.email_index = x.email_index AND x.id < y.id
      UNION ALL
      SELECT x.contact_id, y.contact_id, 'same_name' FROM contact_name_tokens x
        JOIN contact_name_tokens y ON y.token = x.token AND x.contact_id < y.contact_id
        JOIN live lx ON lx.id = x.contact_id JOIN live ly ON ly.id = y.contact_id
        WHERE x.token LIKE 'full:%'
    ),
    grouped AS (SELECT a, b, array_agg(DISTINCT reason ORDER BY reason) AS reasons FROM pairs
                WHERE TRUE ${only} GROUP BY a, b)
    SELECT g.a, g.b, g.reasons, count(*) OVER () AS total FROM grouped g
    JOIN contacts ca ON ca.id = g.a JOIN contacts cb ON cb.id = g.b
    ORDER BY greatest(ca.created_at, cb.created_at) DESC, g.a, g.b
    LIMIT ${page.limit} OFFSET ${page.offset}`);
  return {
    pairs: rows.map((row) => ({ contactId: row.a, otherId: row.b, reasons: row.reasons })),
    total: rows[0] ? Number(rows[0].total) : 0,
  };
}
