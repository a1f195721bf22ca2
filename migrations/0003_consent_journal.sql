-- The consent journal's chain, checkpoints and verification (R-C3).

-- The scheduler checkpoints every organization's journal. It runs as the application role,
-- which sees one organization at a time: a narrow definer function lists the organizations
-- that have journal entries, and nothing else.
CREATE FUNCTION consent_journal_org_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT o.id FROM organizations o
    WHERE EXISTS (SELECT 1 FROM consent_journal j WHERE j.org_id = o.id)
    ORDER BY o.id
  $$;
REVOKE ALL ON FUNCTION consent_journal_org_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION consent_journal_org_ids() TO soglasie_app;

-- The journal page lists newest first; a proof looks up the nearest later checkpoint.
CREATE INDEX consent_journal_org_at_idx ON consent_journal (org_id, at DESC, seq DESC);
CREATE INDEX consent_checkpoints_org_position_idx ON consent_checkpoints (org_id, position);
