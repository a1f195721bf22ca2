import { type Tx, toNumber } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

// Rows are scoped by row-level security to the transaction's organization. Table and column
// names reach SQL only from the data map and the live catalogue, never from input.

function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not an identifier: ${name}`);
  return `"${name}"`;
}

/** Tables the application role may update and that no append-only trigger guards. */
export async function findUpdatableTables(tx: Tx, tables: readonly string[]): Promise<Set<string>> {
  const rows = await tx.query<{ table_name: string }>(sql`
    SELECT t.table_name FROM information_schema.tables t
    WHERE t.table_schema = current_schema() AND t.table_name = ANY(${[...tables]}::text[])
      AND has_table_privilege(quote_ident(t.table_name), 'UPDATE')
      AND NOT EXISTS (
        SELECT 1 FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
        WHERE g.tgrelid = quote_ident(t.table_name)::regclass AND p.proname = 'refuse_change')`);
  return new Set(rows.map((row) => row.table_name));
}

/** The columns of each table (to find `id` and the sealed `*_enc` ones). */
export async function findColumns(
  tx: Tx,
  tables: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = await tx.query<{ table_name: string; column_name: string }>(sql`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ANY(${[...tables]}::text[])
    ORDER BY table_name, ordinal_position`);
  const columns = new Map<string, string[]>();
  for (const row of rows) {
    columns.set(row.table_name, [...(columns.get(row.table_name) ?? []), row.column_name]);
  }
  return columns;
}

export async function findRowIdsOf(
  tx: Tx,
  link: { table: string; column: string; contactId: string },
): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(sql`
    SELECT id::text AS id FROM ${sql.unsafeRaw(identifier(link.table))}
    WHERE ${sql.unsafeRaw(identifier(link.column))} = ${link.contactId}`);
  return rows.map((row) => row.id);
}

/**
 * Points one row at another contact, inside a savepoint: a row the other contact already has
 * an equivalent of (a unique key such as one suppression per channel) stays where it is.
 */
export async function relinkRow(
  tx: Tx,
  link: { table: string; column: string; rowId: string; from: string; to: string },
): Promise<boolean> {
  await tx.execute(sql`SAVEPOINT relink`);
  try {
    const changed = await tx.execute(sql`
      UPDATE ${sql.unsafeRaw(identifier(link.table))}
      SET ${sql.unsafeRaw(identifier(link.column))} = ${link.to}
      WHERE id::text = ${link.rowId} AND ${sql.unsafeRaw(identifier(link.column))} = ${link.from}`);
    await tx.execute(sql`RELEASE SAVEPOINT relink`);
    return changed > 0;
  } catch (error) {
    await tx.execute(sql`ROLLBACK TO SAVEPOINT relink`);
    if ((error as { code?: string }).code === '23505') return false;
    throw error;
  }
}

/** Moves every row of a table at once; false (and nothing changed) on a unique conflict. */
export async function relinkAll(
  tx: Tx,
  link: { table: string; column: string; from: string; to: string; rowIds: readonly string[] },
): Promise<boolean> {
  await tx.execute(sql`SAVEPOINT relink_all`);
  try {
    await tx.execute(sql`
      UPDATE ${sql.unsafeRaw(identifier(link.table))}
      SET ${sql.unsafeRaw(identifier(link.column))} = ${link.to}
      WHERE id::text = ANY(${[...link.rowIds]}::text[])
        AND ${sql.unsafeRaw(identifier(link.column))} = ${link.from}`);
    await tx.execute(sql`RELEASE SAVEPOINT relink_all`);
    return true;
  } catch (error) {
    await tx.execute(sql`ROLLBACK TO SAVEPOINT relink_all`);
    if ((error as { code?: string }).code === '23505') return false;
    throw error;
  }
}

export async function findSealedValues(
  tx: Tx,
  rows: { table: string; columns: readonly string[]; rowIds: readonly string[] },
): Promise<Array<Record<string, Uint8Array | null> & { id: string }>> {
  if (rows.columns.length === 0 || rows.rowIds.length === 0) return [];
  const columns = rows.columns.map((column) => sql.unsafeRaw(identifier(column)));
  return tx.query(sql`
    SELECT id::text AS id, ${sql.join(columns)} FROM ${sql.unsafeRaw(identifier(rows.table))}
    WHERE id::text = ANY(${[...rows.rowIds]}::text[])`);
}

export async function updateSealedValue(
  tx: Tx,
  change: { table: string; column: string; rowId: string; value: Uint8Array },
): Promise<void> {
  await tx.execute(sql`
    UPDATE ${sql.unsafeRaw(identifier(change.table))}
    SET ${sql.unsafeRaw(identifier(change.column))} = ${change.value}
    WHERE id::text = ${change.rowId}`);
}

/** Tasks about the contact (related_type 'contact'). */
export async function relinkContactTasks(
  tx: Tx,
  link: { from: string; to: string; taskIds?: readonly string[] },
): Promise<string[]> {
  const only = link.taskIds ? sql`AND id::text = ANY(${[...link.taskIds]}::text[])` : sql.empty;
  await tx.execute(sql`SAVEPOINT relink_tasks`);
  try {
    const rows = await tx.query<{ id: string }>(sql`
      UPDATE tasks SET related_id = ${link.to}
      WHERE related_type = 'contact' AND related_id = ${link.from} ${only}
      RETURNING id::text AS id`);
    await tx.execute(sql`RELEASE SAVEPOINT relink_tasks`);
    return rows.map((row) => row.id);
  } catch (error) {
    await tx.execute(sql`ROLLBACK TO SAVEPOINT relink_tasks`);
    // One open task of a kind per contact: the survivor's own one stands for both.
    if ((error as { code?: string }).code === '23505') return [];
    throw error;
  }
}

export async function setMergedInto(
  tx: Tx,
  change: { contactId: string; mergedInto: string | null; at: Date },
): Promise<void> {
  await tx.execute(sql`
    UPDATE contacts SET merged_into = ${change.mergedInto}, updated_at = ${change.at}
    WHERE id = ${change.contactId}`);
}

export type MergeRow = {
  id: string;
  survivorId: string;
  mergedId: string;
  survivorBefore: Record<string, string | null>;
  mergedBy: string | null;
  mergedAt: Date;
  undoUntil: Date;
  undoneAt: Date | null;
  undoneBy: string | null;
};

type StoredMerge = {
  id: string;
  survivor_id: string;
  merged_id: string;
  survivor_before: Record<string, string | null>;
  merged_by: string | null;
  merged_at: Date;
  undo_until: Date;
  undone_at: Date | null;
  undone_by: string | null;
};

function toMerge(row: StoredMerge): MergeRow {
  return {
    id: row.id,
    survivorId: row.survivor_id,
    mergedId: row.merged_id,
    survivorBefore: row.survivor_before,
    mergedBy: row.merged_by,
    mergedAt: row.merged_at,
    undoUntil: row.undo_until,
    undoneAt: row.undone_at,
    undoneBy: row.undone_by,
  };
}

export async function insertMerge(tx: Tx, merge: MergeRow & { orgId: string }): Promise<void> {
  await tx.execute(sql`
    INSERT INTO contact_merges (id, org_id, survivor_id, merged_id, survivor_before, merged_by,
      merged_at, undo_until)
    VALUES (${merge.id}, ${merge.orgId}, ${merge.survivorId}, ${merge.mergedId},
      ${JSON.stringify(merge.survivorBefore)}::jsonb, ${merge.mergedBy}, ${merge.mergedAt},
      ${merge.undoUntil})`);
}

export async function insertMoves(
  tx: Tx,
  moves: { orgId: string; mergeId: string; rows: ReadonlyArray<{ table: string; rowId: string }> },
): Promise<void> {
  if (moves.rows.length === 0) return;
  await tx.execute(sql`
    INSERT INTO contact_merge_moves (merge_id, org_id, table_name, row_id)
    SELECT ${moves.mergeId}::uuid, ${moves.orgId}::uuid, t, r
    FROM unnest(${moves.rows.map((row) => row.table)}::text[], ${moves.rows.map((row) => row.rowId)}::text[]) AS m (t, r)`);
}

export async function findMoves(
  tx: Tx,
  mergeId: string,
): Promise<Array<{ table: string; rowId: string }>> {
  const rows = await tx.query<{ table_name: string; row_id: string }>(sql`
    SELECT table_name, row_id FROM contact_merge_moves WHERE merge_id = ${mergeId}`);
  return rows.map((row) => ({ table: row.table_name, rowId: row.row_id }));
}

export async function findMerge(tx: Tx, mergeId: string): Promise<MergeRow | null> {
  const rows = await tx.query<StoredMerge>(
    sql`SELECT * FROM contact_merges WHERE id = ${mergeId} FOR UPDATE`,
  );
  return rows[0] ? toMerge(rows[0]) : null;
}

export async function findMergesOf(tx: Tx, contactId: string): Promise<MergeRow[]> {
  const rows = await tx.query<StoredMerge>(sql`
    SELECT * FROM contact_merges WHERE survivor_id = ${contactId} OR merged_id = ${contactId}
    ORDER BY merged_at DESC`);
  return rows.map(toMerge);
}

/** Merges into the survivor made after this one and not undone. */
export async function countLaterMerges(tx: Tx, merge: MergeRow): Promise<number> {
  const [row] = await tx.query<{ count: number | string }>(sql`
    SELECT count(*) AS count FROM contact_merges
    WHERE survivor_id = ${merge.survivorId} AND undone_at IS NULL AND id <> ${merge.id}
      AND merged_at >= ${merge.mergedAt}`);
  return toNumber(row?.count ?? 0);
}

export async function markUndone(
  tx: Tx,
  change: { mergeId: string; at: Date; by: string | null },
): Promise<void> {
  await tx.execute(sql`
    UPDATE contact_merges SET undone_at = ${change.at}, undone_by = ${change.by}
    WHERE id = ${change.mergeId}`);
}

/**
 * The survivor's consent state per purpose over every journal entry of the person (its own
 * and those of the contacts merged into it): the projection the outbound check reads.
 */
export async function rebuildConsentStates(
  tx: Tx,
  input: { contactId: string; identity: readonly string[] },
): Promise<void> {
  await tx.execute(sql`DELETE FROM consent_states WHERE contact_id = ${input.contactId}`);
  await tx.execute(sql`
    INSERT INTO consent_states
      (contact_id, purpose_id, org_id, entry_id, seq, at, event, purpose_version_id, expires_at)
    SELECT DISTINCT ON (j.purpose_id)
      ${input.contactId}::uuid, j.purpose_id, j.org_id, j.id, j.seq, j.at, j.event,
      j.purpose_version_id, j.expires_at
    FROM consent_journal j WHERE j.contact_id = ANY(${[...input.identity]}::uuid[])
    ORDER BY j.purpose_id, j.at DESC, j.seq DESC`);
}

/** Withdrawals the survivor recorded since a time, per purpose (carried back on undo). */
export async function findWithdrawalsSince(
  tx: Tx,
  input: { contactId: string; since: Date },
): Promise<string[]> {
  const rows = await tx.query<{ purpose_id: string }>(sql`
    SELECT DISTINCT purpose_id FROM consent_journal
    WHERE contact_id = ${input.contactId} AND event = 'withdrawn' AND at >= ${input.since}`);
  return rows.map((row) => row.purpose_id);
}

/** Name tokens: replaced as a whole for a contact. */
export async function replaceNameTokens(
  tx: Tx,
  input: { orgId: string; contactId: string; tokens: readonly string[] },
): Promise<void> {
  await tx.execute(sql`DELETE FROM contact_name_tokens WHERE contact_id = ${input.contactId}`);
  if (input.tokens.length === 0) return;
  await tx.execute(sql`
    INSERT INTO contact_name_tokens (org_id, contact_id, token)
    SELECT ${input.orgId}::uuid, ${input.contactId}::uuid, t
    FROM unnest(${[...new Set(input.tokens)]}::text[]) AS t ON CONFLICT DO NOTHING`);
}
