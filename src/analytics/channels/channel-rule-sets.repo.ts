import type { Tx } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';
import type { ChannelRule } from './channel-rules.ts';

export type StoredRuleSet = { rules: ChannelRule[]; version: number; updatedAt: Date | null };

export async function findRuleSet(tx: Tx, orgId: string): Promise<StoredRuleSet> {
  const [row] = await tx.query<{
    rules: ChannelRule[] | string;
    version: number;
    updated_at: Date;
  }>(sql`SELECT rules, version, updated_at FROM channel_rule_sets WHERE org_id = ${orgId}`);
  if (!row) return { rules: [], version: 0, updatedAt: null };
  return {
    rules: typeof row.rules === 'string' ? (JSON.parse(row.rules) as ChannelRule[]) : row.rules,
    version: Number(row.version),
    updatedAt: new Date(row.updated_at),
  };
}

/** Stores the list as version `version`; null when another change got there first. */
export async function upsertRuleSet(
  tx: Tx,
  input: {
    orgId: string;
    rules: readonly ChannelRule[];
    expectedVersion: number;
    updatedBy: string | null;
    at: Date;
  },
): Promise<number | null> {
  const rules = JSON.stringify(input.rules);
  if (input.expectedVersion === 0) {
    const inserted = await tx.query<{ version: number }>(sql`
      INSERT INTO channel_rule_sets (org_id, rules, version, updated_by, updated_at)
      VALUES (${input.orgId}, ${rules}::jsonb, 1, ${input.updatedBy}, ${input.at})
      ON CONFLICT (org_id) DO NOTHING RETURNING version`);
    return inserted[0] ? 1 : null;
  }
  const updated = await tx.query<{ version: number }>(sql`
    UPDATE channel_rule_sets SET rules = ${rules}::jsonb, version = version + 1,
      updated_by = ${input.updatedBy}, updated_at = ${input.at}
    WHERE org_id = ${input.orgId} AND version = ${input.expectedVersion}
    RETURNING version`);
  return updated[0] ? Number(updated[0].version) : null;
}
