import type { Tx } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';

/** Who an audience is: ids, or a predicate over contacts `c` (a segment's filters). */
export type AudienceSource = { ids: readonly string[] } | { where: SqlFragment };

/** What the gate decided for one organization, purpose and channel, before reading any person. */
export type VerdictRules = {
  orgId: string;
  purposeId: string;
  now: Date;
  /** Everyone refused for a defect of the action itself (R-C5), or null. */
  refuseAll: string | null;
  /** Suppression channels that stop this send (the channel and 'all'); empty for none. */
  suppressionChannels: readonly string[];
  /**
   * For a consent basis: versions of the purpose whose channels cover the action, and those
   * naming the recipient (null: no recipient asked). For another basis: whether the current
   * version covers the channel and names the recipient.
   */
  basis:
    | {
        kind: 'consent';
        channelVersionIds: readonly string[];
        recipientVersionIds: string[] | null;
      }
    | { kind: 'other'; coversChannel: boolean; namesRecipient: boolean };
  /** The address a message needs; a person without it is `recipient_not_named`. */
  address: 'email' | 'phone' | null;
};

/**
 * The gate's answer for every person of an audience as one query: columns `contact_id`,
 * `reason` (null when allowed) and `consent_entry_id`. The order of refusals is the gate's:
 * erasure, blocks and stops, suppression, then the basis — the consent state (from the
 * journal's projection `consent_states`, migration 0013), channel, recipient — and last the
 * address. Kept in the database, so a million people are judged by one join.
 */
export function gateVerdicts(source: AudienceSource, rules: VerdictRules): SqlFragment {
  const ids = 'ids' in source ? [...new Set(source.ids)] : null;
  const audience = 'where' in source ? source.where : sql`c.id = ANY(${ids}::uuid[])`;
  // For a list of people, blocks and suppressions are read for them only, not the whole org.
  const only = ids ? sql`AND contact_id = ANY(${ids}::uuid[])` : sql``;
  const cases: SqlFragment[] = [];
  if (rules.refuseAll) cases.push(sql`WHEN true THEN ${rules.refuseAll}::text`);
  cases.push(
    sql`WHEN c.erased_at IS NOT NULL THEN 'subject_erased'`,
    sql`WHEN bl.blocked THEN 'subject_blocked'`,
    sql`WHEN bl.blocked IS NOT NULL THEN 'processing_stopped'`,
  );
  if (rules.suppressionChannels.length > 0) {
    cases.push(sql`WHEN sp.contact_id IS NOT NULL THEN 'suppressed'`);
  }
  const isConsent = rules.basis.kind === 'consent';
  if (rules.basis.kind === 'consent') {
    cases.push(
      sql`WHEN s.event IS NULL THEN 'no_consent'`,
      sql`WHEN s.event = 'withdrawn' THEN 'consent_withdrawn'`,
      sql`WHEN s.event = 'expired' OR s.expires_at <= ${rules.now} THEN 'consent_expired'`,
      sql`WHEN NOT (s.purpose_version_id = ANY(${[...rules.basis.channelVersionIds]}::uuid[]))
        THEN 'channel_not_covered'`,
    );
    if (rules.basis.recipientVersionIds) {
      cases.push(sql`WHEN NOT (s.purpose_version_id = ANY(${rules.basis.recipientVersionIds}::uuid[]))
        THEN 'recipient_not_named'`);
    }
  } else {
    if (!rules.basis.coversChannel) cases.push(sql`WHEN true THEN 'channel_not_covered'`);
    if (!rules.basis.namesRecipient) cases.push(sql`WHEN true THEN 'recipient_not_named'`);
  }
  if (rules.address === 'email')
    cases.push(sql`WHEN c.email_enc IS NULL THEN 'recipient_not_named'`);
  if (rules.address === 'phone')
    cases.push(sql`WHEN c.phone_enc IS NULL THEN 'recipient_not_named'`);
  const state = isConsent
    ? sql`LEFT JOIN consent_states s ON s.contact_id = c.id AND s.purpose_id = ${rules.purposeId}`
    : sql``;
  const suppressed =
    rules.suppressionChannels.length > 0
      ? sql`LEFT JOIN (SELECT DISTINCT contact_id FROM suppressions
          WHERE org_id = ${rules.orgId} AND channel = ANY(${[...rules.suppressionChannels]}::text[])
            ${only}
        ) sp ON sp.contact_id = c.id`
      : sql``;
  return sql`
    SELECT c.id AS contact_id, CASE ${sql.join(cases, ' ')} END AS reason,
      ${isConsent ? sql`s.entry_id` : sql`NULL::uuid`} AS consent_entry_id
    FROM contacts c
    ${state}
    LEFT JOIN (SELECT contact_id, bool_or(kind = 'blocked') AS blocked FROM subject_blocks
      WHERE org_id = ${rules.orgId} AND lifted_at IS NULL
        AND (purpose_id IS NULL OR purpose_id = ${rules.purposeId}) ${only}
      GROUP BY contact_id) bl ON bl.contact_id = c.id
    ${suppressed}
    WHERE c.org_id = ${rules.orgId} AND ${audience}`;
}

export type Verdict = { contactId: string; reason: string | null; consentEntryId: string | null };

/** The verdicts of a (small) audience, one row per existing contact. */
export async function findVerdicts(tx: Tx, verdicts: SqlFragment): Promise<Verdict[]> {
  const rows = await tx.query<{
    contact_id: string;
    reason: string | null;
    consent_entry_id: string | null;
  }>(verdicts);
  return rows.map((row) => ({
    contactId: row.contact_id,
    reason: row.reason,
    consentEntryId: row.consent_entry_id,
  }));
}

export type AudienceCounts = {
  matched: number;
  included: number;
  /** Left out, counted per reason. */
  excluded: Record<string, number>;
};

function countsOf(rows: readonly { reason: string | null; n: unknown }[]): AudienceCounts {
  const counts: AudienceCounts = { matched: 0, included: 0, excluded: {} };
  for (const row of rows) {
    const n = Number(row.n);
    counts.matched += n;
    if (row.reason === null) counts.included += n;
    else counts.excluded[row.reason] = n;
  }
  return counts;
}

/**
 * A large audience judged without bringing it to the application: the counts per reason, then
 * the page shown (ordered by contact id, which PostgreSQL reads in index order and stops after
 * the page). The counts group by a join to the list of possible reasons, so the planner knows
 * there are only a few groups and aggregates in parallel workers (bench/gate.ts).
 */
export async function countVerdicts(
  tx: Tx,
  verdicts: SqlFragment,
  input: { reasons: readonly string[]; limit: number; offset: number },
): Promise<AudienceCounts & { page: { contactId: string; consentEntryId: string | null }[] }> {
  const codes = ['included', ...input.reasons];
  const rows = await tx.query<{ reason: string; n: unknown }>(sql`
    SELECT r.code AS reason, count(*) AS n
    FROM (${verdicts}) v
    JOIN (VALUES ${sql.join(
      codes.map((code) => sql`(${code}::text)`),
      ', ',
    )}) r (code) ON r.code = coalesce(v.reason, 'included')
    GROUP BY r.code`);
  const page = await tx.query<{ contact_id: string; consent_entry_id: string | null }>(sql`
    SELECT contact_id, consent_entry_id FROM (${verdicts}) v WHERE reason IS NULL
    ORDER BY contact_id LIMIT ${input.limit} OFFSET ${input.offset}`);
  return {
    ...countsOf(
      rows.map((row) => ({ ...row, reason: row.reason === 'included' ? null : row.reason })),
    ),
    page: page.map((row) => ({ contactId: row.contact_id, consentEntryId: row.consent_entry_id })),
  };
}

/**
 * Freezes an audience into a campaign's queue: one row per allowed person with the consent
 * entry that allowed them, written by the same statement that counts the rest per reason.
 */
export async function insertVerdictRecipients(
  tx: Tx,
  verdicts: SqlFragment,
  target: { orgId: string; campaignId: string },
): Promise<AudienceCounts> {
  const rows = await tx.query<{ reason: string | null; n: unknown }>(sql`
    WITH v AS MATERIALIZED (${verdicts}),
    queued AS (
      INSERT INTO campaign_recipients (org_id, campaign_id, contact_id, consent_entry_id)
      SELECT ${target.orgId}, ${target.campaignId}, contact_id, consent_entry_id
      FROM v WHERE reason IS NULL
    )
    SELECT reason, count(*) AS n FROM v GROUP BY reason`);
  return countsOf(rows);
}

/** Channels and recipients of every version of one purpose (what each person agreed to). */
export async function findVersionTerms(
  tx: Tx,
  purposeId: string,
): Promise<Map<string, { channels: string[]; recipients: { name: string }[] }>> {
  const rows = await tx.query<{
    id: string;
    channels: string[];
    recipients: { name: string }[];
  }>(sql`SELECT id, channels, recipients FROM purpose_versions WHERE purpose_id = ${purposeId}`);
  return new Map(
    rows.map((row) => [row.id, { channels: row.channels, recipients: row.recipients }]),
  );
}
