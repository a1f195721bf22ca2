-- One person, several contact rows: after a merge the duplicate's consent journal entries keep
-- its id (the journal is never rewritten). contact_identity() names every contact id of a
-- person (the contact and those merged into it, transitively); the consent-state projection
-- follows a new entry up to the contact it was merged into, so the outbound check of the
-- surviving contact sees a consent given or withdrawn under the duplicate's id.

CREATE FUNCTION contact_identity(p_contact_id uuid) RETURNS SETOF uuid
  LANGUAGE sql STABLE SET search_path = public
  AS $$
    WITH RECURSIVE person (id) AS (
      SELECT p_contact_id
      UNION SELECT c.id FROM contacts c JOIN person p ON c.merged_into = p.id
    ) SELECT id FROM person
  $$;
GRANT EXECUTE ON FUNCTION contact_identity(uuid) TO soglasie_app;

CREATE OR REPLACE FUNCTION consent_states_follow() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public
  AS $$
BEGIN
  INSERT INTO consent_states AS s
    (contact_id, purpose_id, org_id, entry_id, seq, at, event, purpose_version_id, expires_at)
  SELECT DISTINCT ON (n.contact_id, n.purpose_id)
    n.contact_id, n.purpose_id, n.org_id, n.id, n.seq, n.at, n.event, n.purpose_version_id,
    n.expires_at
  FROM new_entries n
  ORDER BY n.contact_id, n.purpose_id, n.at DESC, n.seq DESC
  ON CONFLICT (contact_id, purpose_id) DO UPDATE SET
    entry_id = EXCLUDED.entry_id, seq = EXCLUDED.seq, at = EXCLUDED.at, event = EXCLUDED.event,
    purpose_version_id = EXCLUDED.purpose_version_id, expires_at = EXCLUDED.expires_at
  WHERE (s.at, s.seq) < (EXCLUDED.at, EXCLUDED.seq);
  -- Entries of merged contacts count for the contacts they were merged into. Only merged
  -- contacts are looked at (a partial index), so a bulk insert of live contacts pays nothing.
  IF EXISTS (SELECT 1 FROM contacts c WHERE c.merged_into IS NOT NULL
             AND c.id IN (SELECT contact_id FROM new_entries)) THEN
    INSERT INTO consent_states AS s
      (contact_id, purpose_id, org_id, entry_id, seq, at, event, purpose_version_id, expires_at)
    SELECT DISTINCT ON (up.survivor_id, n.purpose_id)
      up.survivor_id, n.purpose_id, n.org_id, n.id, n.seq, n.at, n.event, n.purpose_version_id,
      n.expires_at
    FROM new_entries n
    JOIN LATERAL (
      WITH RECURSIVE chain (id) AS (
        SELECT c.merged_into FROM contacts c WHERE c.id = n.contact_id AND c.merged_into IS NOT NULL
        UNION SELECT c.merged_into FROM contacts c JOIN chain ON c.id = chain.id
          WHERE c.merged_into IS NOT NULL
      ) SELECT id AS survivor_id FROM chain
    ) up ON true
    ORDER BY up.survivor_id, n.purpose_id, n.at DESC, n.seq DESC
    ON CONFLICT (contact_id, purpose_id) DO UPDATE SET
      entry_id = EXCLUDED.entry_id, seq = EXCLUDED.seq, at = EXCLUDED.at, event = EXCLUDED.event,
      purpose_version_id = EXCLUDED.purpose_version_id, expires_at = EXCLUDED.expires_at
    WHERE (s.at, s.seq) < (EXCLUDED.at, EXCLUDED.seq);
  END IF;
  RETURN NULL;
END
$$;
