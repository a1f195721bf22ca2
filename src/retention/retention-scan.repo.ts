import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

// The retention scan reads, never writes, the tables of other domains (contacts, leads,
// submissions, the consent journal, the purpose registry): finding due subjects among all of an
// organization's contacts is one set query, where asking each domain per contact would be
// thousands of round trips a night. Every decision it leads to is confirmed per subject through
// the owning services (the consent states) before anything is destroyed.

/** A subject's last activity: the latest of its contact record, leads, submissions, consent
 * events and bases other than consent. */
const LAST_ACTIVITY = sql`greatest(
  c.created_at, c.updated_at,
  (SELECT max(l.created_at) FROM leads l WHERE l.contact_id = c.id),
  (SELECT max(s.created_at) FROM submissions s WHERE s.contact_id = c.id),
  (SELECT max(j.at) FROM consent_journal j WHERE j.contact_id = c.id),
  (SELECT max(b.last_activity_at) FROM processing_bases b WHERE b.contact_id = c.id))`;

/**
 * Subjects whose every purpose's term has ended (see docs/retention.md, "When a term ends"):
 * for each purpose, the term of its latest consent event (a consent given: its expiry, or the
 * grant plus the purpose's retention days; withdrawn: withdrawal + 30 days; expired: then) or of
 * its basis other than consent (ended: + 30 days; otherwise last activity + retention days).
 * A subject with no purpose at all is due 30 days after its last activity. Erased subjects are
 * left out. Returns the moment the last term ended.
 */
export async function findTermEndedSubjects(
  tx: Tx,
  now: Date,
): Promise<{ contactId: string; dueAt: Date }[]> {
  return tx.query<{ contactId: string; dueAt: Date }>(sql`
    WITH current_terms AS (
      SELECT p.id AS purpose_id, pv.retention_days
      FROM purposes p JOIN purpose_versions pv ON pv.purpose_id = p.id AND pv.version = p.current_version
    ), latest AS (
      SELECT DISTINCT ON (j.contact_id, j.purpose_id) j.contact_id, j.purpose_id, j.event, j.at,
        j.expires_at
      FROM consent_journal j ORDER BY j.contact_id, j.purpose_id, j.seq DESC
    ), terms AS (
      SELECT l.contact_id, CASE l.event
          WHEN 'withdrawn' THEN l.at + interval '30 days'
          WHEN 'expired' THEN l.at
          ELSE coalesce(l.expires_at, l.at + make_interval(days => t.retention_days)) END AS term_end
      FROM latest l JOIN current_terms t ON t.purpose_id = l.purpose_id
      UNION ALL
      SELECT b.contact_id, CASE WHEN b.ended_at IS NOT NULL THEN b.ended_at + interval '30 days'
          ELSE b.last_activity_at + make_interval(days => t.retention_days) END
      FROM processing_bases b JOIN current_terms t ON t.purpose_id = b.purpose_id
    ), due AS (
      SELECT c.id AS contact_id,
        coalesce(max(t.term_end), ${LAST_ACTIVITY} + interval '30 days') AS due_at
      FROM contacts c LEFT JOIN terms t ON t.contact_id = c.id
      WHERE c.erased_at IS NULL
      GROUP BY c.id
    )
    SELECT contact_id AS "contactId", due_at AS "dueAt" FROM due
    WHERE due_at <= ${now} ORDER BY due_at, contact_id`);
}

export type LinkedSubject = {
  contactId: string;
  lastActivityAt: Date;
  leads: number;
  leadsLost: number;
};

/** Subjects linked to a purpose (a consent event or a basis for it) that are not erased. */
export async function findSubjectsOfPurpose(tx: Tx, purposeId: string): Promise<LinkedSubject[]> {
  return subjectFacts(
    tx,
    sql`c.erased_at IS NULL AND (
      EXISTS (SELECT 1 FROM consent_journal j WHERE j.contact_id = c.id AND j.purpose_id = ${purposeId})
      OR EXISTS (SELECT 1 FROM processing_bases b WHERE b.contact_id = c.id AND b.purpose_id = ${purposeId}))`,
  );
}

/** The same facts for given subjects: the run checks a trigger still holds before acting. */
export async function findSubjectFacts(
  tx: Tx,
  contactIds: readonly string[],
): Promise<LinkedSubject[]> {
  if (contactIds.length === 0) return [];
  return subjectFacts(tx, sql`c.id = ANY(${[...contactIds]}::uuid[])`);
}

async function subjectFacts(tx: Tx, condition: ReturnType<typeof sql>): Promise<LinkedSubject[]> {
  const rows = await tx.query<{
    contact_id: string;
    last_activity_at: Date;
    leads: number | string;
    leads_lost: number | string;
  }>(sql`
    SELECT c.id AS contact_id, ${LAST_ACTIVITY} AS last_activity_at,
      (SELECT count(*) FROM leads l WHERE l.contact_id = c.id) AS leads,
      (SELECT count(*) FROM leads l WHERE l.contact_id = c.id AND l.status = 'lost') AS leads_lost
    FROM contacts c WHERE ${condition}`);
  return rows.map((row) => ({
    contactId: row.contact_id,
    lastActivityAt: row.last_activity_at,
    leads: Number(row.leads),
    leadsLost: Number(row.leads_lost),
  }));
}

/** The data categories of the purposes a subject is linked to, as the registry titles them. */
export async function findCategoriesOfSubject(tx: Tx, contactId: string): Promise<string[]> {
  const rows = await tx.query<{ title: string }>(sql`
    SELECT DISTINCT category->>'title' AS title
    FROM purposes p
    JOIN purpose_versions pv ON pv.purpose_id = p.id
    CROSS JOIN LATERAL jsonb_array_elements(pv.data_categories) AS category
    WHERE pv.id IN (
      SELECT j.purpose_version_id FROM consent_journal j WHERE j.contact_id = ${contactId}
      UNION
      SELECT cur.id FROM processing_bases b
        JOIN purposes bp ON bp.id = b.purpose_id
        JOIN purpose_versions cur ON cur.purpose_id = bp.id AND cur.version = bp.current_version
      WHERE b.contact_id = ${contactId})
    ORDER BY title`);
  return rows.map((row) => row.title);
}
