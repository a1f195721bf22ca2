import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export type BlockKind = 'blocked' | 'stopped';

export type BlockRecord = {
  id: string;
  kind: BlockKind;
  purposeId: string | null;
  reason: string;
  requestId: string | null;
  createdAt: Date;
};

type Stored = {
  id: string;
  contact_id: string;
  kind: BlockKind;
  purpose_id: string | null;
  reason: string;
  request_id: string | null;
  created_at: Date;
};

function toRecord(row: Stored): BlockRecord {
  return {
    id: row.id,
    kind: row.kind,
    purposeId: row.purpose_id,
    reason: row.reason,
    requestId: row.request_id,
    createdAt: row.created_at,
  };
}

export async function insertBlock(
  tx: Tx,
  input: {
    id: string;
    orgId: string;
    contactId: string;
    kind: BlockKind;
    purposeId: string | null;
    reason: string;
    requestId: string | null;
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO subject_blocks
      (id, org_id, contact_id, kind, purpose_id, reason, request_id, created_by, created_at)
    VALUES (${input.id}, ${input.orgId}, ${input.contactId}, ${input.kind}, ${input.purposeId},
      ${input.reason}, ${input.requestId}, ${input.createdBy}, ${input.at})`);
}

export async function liftBlockRow(
  tx: Tx,
  input: { id: string; liftedBy: string | null; reason: string; at: Date },
): Promise<string | null> {
  const [row] = await tx.query<{ contact_id: string }>(sql`
    UPDATE subject_blocks
    SET lifted_at = ${input.at}, lifted_by = ${input.liftedBy}, lift_reason = ${input.reason}
    WHERE id = ${input.id} AND lifted_at IS NULL
    RETURNING contact_id`);
  return row?.contact_id ?? null;
}

/** Live blocks and stops of the given contacts, oldest first. */
export async function findLiveBlocks(
  tx: Tx,
  contactIds: readonly string[],
): Promise<Map<string, BlockRecord[]>> {
  const result = new Map<string, BlockRecord[]>();
  if (contactIds.length === 0) return result;
  const rows = await tx.query<Stored>(sql`
    SELECT id, contact_id, kind, purpose_id, reason, request_id, created_at FROM subject_blocks
    WHERE contact_id = ANY(${[...contactIds]}::uuid[]) AND lifted_at IS NULL
    ORDER BY created_at, id`);
  for (const row of rows) {
    const list = result.get(row.contact_id) ?? [];
    list.push(toRecord(row));
    result.set(row.contact_id, list);
  }
  return result;
}
