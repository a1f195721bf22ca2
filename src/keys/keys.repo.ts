import type { Db, Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type StoredOrgKeys = {
  wrappedKey: Uint8Array;
  signingPublicKey: Uint8Array;
  signingPrivateEnc: Uint8Array;
};

export async function findOrgKeys(tx: Tx, orgId: string): Promise<StoredOrgKeys | null> {
  const rows = await tx.query<{
    wrapped_key: Uint8Array;
    signing_public_key: Uint8Array;
    signing_private_enc: Uint8Array;
  }>(
    sql`SELECT wrapped_key, signing_public_key, signing_private_enc FROM org_keys WHERE org_id = ${orgId}`,
  );
  const row = rows[0];
  return row
    ? {
        wrappedKey: row.wrapped_key,
        signingPublicKey: row.signing_public_key,
        signingPrivateEnc: row.signing_private_enc,
      }
    : null;
}

/** Inserts the organization's keys unless another transaction did first; returns what is stored. */
export async function insertOrgKeys(tx: Tx, orgId: string, keys: StoredOrgKeys): Promise<void> {
  await tx.execute(sql`
    INSERT INTO org_keys (org_id, wrapped_key, signing_public_key, signing_private_enc)
    VALUES (${orgId}, ${keys.wrappedKey}, ${keys.signingPublicKey}, ${keys.signingPrivateEnc})
    ON CONFLICT (org_id) DO NOTHING`);
}

/** Subject keys left in the data database by earlier versions (read as the owner, all orgs). */
export async function findLegacySubjectKeys(
  db: Db,
  limit: number,
): Promise<{ orgId: string; subjectId: string; wrappedKey: Uint8Array | null }[]> {
  const rows = await db.query<{
    org_id: string;
    subject_id: string;
    wrapped_key: Uint8Array | null;
  }>(
    sql`SELECT org_id, subject_id, wrapped_key FROM subject_keys ORDER BY subject_id LIMIT ${limit}`,
  );
  return rows.map((row) => ({
    orgId: row.org_id,
    subjectId: row.subject_id,
    wrappedKey: row.wrapped_key,
  }));
}

export async function deleteLegacySubjectKeys(
  db: Db,
  subjectIds: readonly string[],
): Promise<void> {
  await db.execute(
    sql`DELETE FROM subject_keys WHERE subject_id = ANY(${[...subjectIds]}::uuid[])`,
  );
}

/** Erased contacts, all organizations (read as the owner at start), after a given id. */
export async function findErasedContacts(
  db: Db,
  afterId: string,
  limit: number,
): Promise<{ orgId: string; contactId: string }[]> {
  const rows = await db.query<{ org_id: string; id: string }>(sql`
    SELECT org_id, id FROM contacts WHERE erased_at IS NOT NULL AND id > ${afterId}
    ORDER BY id LIMIT ${limit}`);
  return rows.map((row) => ({ orgId: row.org_id, contactId: row.id }));
}
