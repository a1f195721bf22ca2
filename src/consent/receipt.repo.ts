import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export async function insertReceipt(
  tx: Tx,
  receipt: {
    id: string;
    orgId: string;
    submissionId: string | null;
    contactId: string;
    jws: string;
    at: Date;
  },
): Promise<void> {
  tx.defer(sql`
    INSERT INTO consent_receipts (id, org_id, submission_id, contact_id, jws, created_at)
    VALUES (${receipt.id}, ${receipt.orgId}, ${receipt.submissionId}, ${receipt.contactId},
            ${receipt.jws}, ${receipt.at})`);
}

export async function findReceipt(
  tx: Tx,
  id: string,
): Promise<{ id: string; jws: string; createdAt: Date } | null> {
  const rows = await tx.query<{ id: string; jws: string; created_at: Date }>(
    sql`SELECT id, jws, created_at FROM consent_receipts WHERE id = ${id}`,
  );
  const row = rows[0];
  return row ? { id: row.id, jws: row.jws, createdAt: row.created_at } : null;
}

export async function publicReceiptOrgId(tx: Tx, id: string): Promise<string | null> {
  const [row] = await tx.query<{ org_id: string | null }>(
    sql`SELECT public_receipt_org_id(${id}) AS org_id`,
  );
  return row?.org_id ?? null;
}
