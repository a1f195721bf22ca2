import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

/** The organization of a portal address `/p/<slug>` (a narrow SECURITY DEFINER lookup). */
export async function publicOrgIdBySlug(tx: Tx, slug: string): Promise<string | null> {
  const [row] = await tx.query<{ org_id: string | null }>(
    sql`SELECT public_org_id(${slug}) AS org_id`,
  );
  return row?.org_id ?? null;
}

/** The slug and name of the organization the transaction is scoped to. */
export async function findCurrentOrg(tx: Tx): Promise<{ slug: string; name: string } | null> {
  const [row] = await tx.query<{ slug: string; name: string }>(
    sql`SELECT slug, name FROM organizations WHERE id = app_current_org()`,
  );
  return row ?? null;
}

export async function insertCode(
  tx: Tx,
  code: {
    id: string;
    orgId: string;
    contactId: string | null;
    channel: 'email' | 'sms';
    codeHash: string;
    at: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO portal_codes (id, org_id, contact_id, channel, code_hash, created_at, expires_at)
    VALUES (${code.id}, ${code.orgId}, ${code.contactId}, ${code.channel}, ${code.codeHash},
            ${code.at}, ${code.expiresAt})`);
}

export type CodeAttempt = {
  contactId: string | null;
  codeHash: string;
  attempts: number;
};

/**
 * Counts one attempt against a live code, atomically, before the code is compared: two
 * parallel guesses cannot both slip under the limit. Null when the code is used, expired,
 * out of attempts or unknown.
 */
export async function takeCodeAttempt(
  tx: Tx,
  input: { id: string; now: Date; maxAttempts: number },
): Promise<CodeAttempt | null> {
  const [row] = await tx.query<{ contact_id: string | null; code_hash: string; attempts: number }>(
    sql`
    UPDATE portal_codes SET attempts = attempts + 1
    WHERE id = ${input.id} AND used_at IS NULL AND expires_at > ${input.now}
      AND attempts < ${input.maxAttempts}
    RETURNING contact_id, code_hash, attempts`,
  );
  return row
    ? { contactId: row.contact_id, codeHash: row.code_hash, attempts: row.attempts }
    : null;
}

/** Marks a code used; false when another request used it first. */
export async function markCodeUsed(tx: Tx, id: string, at: Date): Promise<boolean> {
  const changed = await tx.execute(
    sql`UPDATE portal_codes SET used_at = ${at} WHERE id = ${id} AND used_at IS NULL`,
  );
  return changed > 0;
}

export async function insertSession(
  tx: Tx,
  session: {
    id: string;
    orgId: string;
    contactId: string;
    tokenHash: string;
    method: 'portal_code' | 'signed_link';
    at: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO portal_sessions
      (id, org_id, contact_id, token_hash, method, created_at, last_seen_at, expires_at)
    VALUES (${session.id}, ${session.orgId}, ${session.contactId}, ${session.tokenHash},
            ${session.method}, ${session.at}, ${session.at}, ${session.expiresAt})`);
}

export type PortalSessionRecord = {
  id: string;
  contactId: string;
  method: 'portal_code' | 'signed_link';
  createdAt: Date;
};

/** A live session: not ended, not past its end, and seen within the idle limit. */
export async function findLiveSession(
  tx: Tx,
  input: { tokenHash: string; now: Date; idleSince: Date },
): Promise<PortalSessionRecord | null> {
  const [row] = await tx.query<{
    id: string;
    contact_id: string;
    method: 'portal_code' | 'signed_link';
    created_at: Date;
  }>(sql`
    SELECT id, contact_id, method, created_at FROM portal_sessions
    WHERE token_hash = ${input.tokenHash} AND ended_at IS NULL
      AND expires_at > ${input.now} AND last_seen_at > ${input.idleSince}`);
  return row
    ? { id: row.id, contactId: row.contact_id, method: row.method, createdAt: row.created_at }
    : null;
}

export async function touchSession(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.execute(sql`UPDATE portal_sessions SET last_seen_at = ${at} WHERE id = ${id}`);
}

export async function endSession(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.execute(
    sql`UPDATE portal_sessions SET ended_at = ${at} WHERE id = ${id} AND ended_at IS NULL`,
  );
}

export type PortalRequestRecord = {
  id: string;
  type: string;
  status: string;
  receivedAt: Date;
  dueDate: string;
  extendedDueDate: string | null;
};

function isoDate(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** The subject's own requests, newest first: what the portal shows with their due dates. */
export async function findRequestsOfContact(
  tx: Tx,
  contactId: string,
): Promise<PortalRequestRecord[]> {
  const rows = await tx.query<{
    id: string;
    type: string;
    status: string;
    received_at: Date;
    due_date: unknown;
    extended_due_date: unknown;
  }>(sql`
    SELECT id, type, status, received_at, due_date::text AS due_date,
           extended_due_date::text AS extended_due_date
    FROM subject_requests WHERE contact_id = ${contactId}
    ORDER BY received_at DESC LIMIT 100`);
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    status: row.status,
    receivedAt: row.received_at,
    dueDate: isoDate(row.due_date),
    extendedDueDate: row.extended_due_date === null ? null : isoDate(row.extended_due_date),
  }));
}

/** Deletes spent codes and old sessions in every organization; returns how many. */
export async function purgePortalRecords(
  tx: Tx,
  input: { codesBefore: Date; sessionsBefore: Date },
): Promise<number> {
  const [row] = await tx.query<{ purged: unknown }>(
    sql`SELECT purge_portal_records(${input.codesBefore}, ${input.sessionsBefore}) AS purged`,
  );
  return Number(row?.purged ?? 0);
}
