import type { Tx } from '../platform/db/db.ts';
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

export async function insertSubjectKey(
  tx: Tx,
  orgId: string,
  subjectId: string,
  wrappedKey: Uint8Array,
) {
  tx.defer(sql`
    INSERT INTO subject_keys (subject_id, org_id, wrapped_key) VALUES (${subjectId}, ${orgId}, ${wrappedKey})`);
}

export async function findSubjectKeys(
  tx: Tx,
  subjectIds: readonly string[],
): Promise<Map<string, Uint8Array | null>> {
  if (subjectIds.length === 0) return new Map();
  const rows = await tx.query<{ subject_id: string; wrapped_key: Uint8Array | null }>(sql`
    SELECT subject_id, wrapped_key FROM subject_keys WHERE subject_id = ANY(${[...subjectIds]}::uuid[])`);
  return new Map(rows.map((row) => [row.subject_id, row.wrapped_key]));
}

export async function destroySubjectKeyRow(tx: Tx, subjectId: string, at: Date): Promise<number> {
  return tx.execute(sql`
    UPDATE subject_keys SET wrapped_key = NULL, destroyed_at = ${at}
    WHERE subject_id = ${subjectId} AND wrapped_key IS NOT NULL`);
}
