// Re-classification of stored history when the organization's channel rules change: every
// session (touchpoint) is classified again from its raw campaign fields, and the conversions'
// stored paths and credited touches follow their sessions.

import { type Tx, toNumber } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';
import type { ChannelRule } from './channel-rules.ts';
import { classifyTouch } from './classify-touch.ts';

export type Reclassified = { touchpoints: number; changed: number; conversions: number };

const BATCH = 5000;

type SessionRow = {
  id: string;
  landing_url: string | null;
  referrer: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  yclid: string | null;
  gclid: string | null;
  vkclid: string | null;
  channel: string;
  source: string | null;
  campaign: string | null;
  keyword: string | null;
  rule_id: string;
};

/** Re-runs the rules over every stored session of the organization, in batches by id. */
export async function reclassifyTouchpoints(
  tx: Tx,
  orgId: string,
  rules: readonly ChannelRule[],
): Promise<Reclassified> {
  let after = '00000000-0000-0000-0000-000000000000';
  let touchpoints = 0;
  let changed = 0;
  for (;;) {
    const rows = await tx.query<SessionRow>(sql`
      SELECT id, landing_url, referrer, utm_source, utm_medium, utm_campaign, utm_term,
        utm_content, yclid, gclid, vkclid, channel, source, campaign, keyword, rule_id
      FROM analytics_sessions WHERE org_id = ${orgId} AND id > ${after}
      ORDER BY id LIMIT ${BATCH}`);
    if (rows.length === 0) break;
    touchpoints += rows.length;
    after = rows.at(-1)?.id ?? after;
    const updates = rows.flatMap((row) => {
      const next = classifyTouch({ ...row, landing_page: row.landing_url }, rules);
      const same =
        next.channel === row.channel &&
        next.source === row.source &&
        next.campaign === row.campaign &&
        next.keyword === row.keyword &&
        next.ruleId === row.rule_id;
      return same ? [] : [{ id: row.id, ...next }];
    });
    if (updates.length === 0) continue;
    changed += updates.length;
    await tx.execute(sql`
      UPDATE analytics_sessions s SET channel = u.channel, source = u.source,
        campaign = u.campaign, keyword = u.keyword, rule_id = u.rule_id
      FROM unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.channel)}::text[],
        ${updates.map((u) => u.source)}::text[], ${updates.map((u) => u.campaign)}::text[],
        ${updates.map((u) => u.keyword)}::text[], ${updates.map((u) => u.ruleId)}::text[])
        AS u(id, channel, source, campaign, keyword, rule_id)
      WHERE s.org_id = ${orgId} AND s.id = u.id`);
  }
  const conversions = changed === 0 ? 0 : await refreshConversionPaths(tx, orgId);
  return { touchpoints, changed, conversions };
}

/**
 * A stored path's touches are the sessions of the conversion's visitors at those times: each
 * touch takes its session's new classification, and the credited touch is again the last
 * non-direct one (direct when there is none).
 */
async function refreshConversionPaths(tx: Tx, orgId: string): Promise<number> {
  const count = await tx.execute(sql`
    WITH visitors AS (
      SELECT c.id AS conversion_id, c.visitor_id FROM analytics_conversions c
      WHERE c.org_id = ${orgId} AND c.visitor_id IS NOT NULL
      UNION
      SELECT c.id, l.visitor_id FROM analytics_conversions c
      JOIN analytics_visitor_contacts l ON l.org_id = c.org_id AND l.contact_id = c.contact_id
      WHERE c.org_id = ${orgId}
    ), touches AS (
      SELECT c.id, touch.ordinality,
        coalesce((
          SELECT jsonb_build_object('at', touch.value -> 'at', 'channel', s.channel,
            'source', s.source, 'campaign', s.campaign, 'keyword', s.keyword)
          FROM analytics_sessions s JOIN visitors v ON v.visitor_id = s.visitor_id
          WHERE v.conversion_id = c.id AND s.org_id = ${orgId}
            AND s.started_at = (touch.value ->> 'at')::timestamptz
          LIMIT 1), touch.value) AS value
      FROM analytics_conversions c,
        jsonb_array_elements(c.path) WITH ORDINALITY AS touch(value, ordinality)
      WHERE c.org_id = ${orgId}
    ), paths AS (
      SELECT id, jsonb_agg(value ORDER BY ordinality) AS path,
        (array_agg(value ORDER BY ordinality DESC) FILTER (WHERE value ->> 'channel' <> 'direct'))[1]
          AS credited
      FROM touches GROUP BY id
    )
    UPDATE analytics_conversions c SET path = p.path,
      channel = coalesce(p.credited ->> 'channel', 'direct'),
      source = CASE WHEN p.credited IS NULL THEN NULL ELSE p.credited ->> 'source' END,
      campaign = CASE WHEN p.credited IS NULL THEN NULL ELSE p.credited ->> 'campaign' END,
      keyword = CASE WHEN p.credited IS NULL THEN NULL ELSE p.credited ->> 'keyword' END
    FROM paths p
    WHERE c.org_id = ${orgId} AND c.id = p.id AND c.path IS DISTINCT FROM p.path`);
  return toNumber(count);
}
