-- The privacy portal: the data subject signs in with a one-time code or a signed link from
-- the consent receipt, sees what is kept and why, downloads it, withdraws consents and files
-- requests (152-FZ Art. 14, 20, 21; GDPR Art. 15-21).

-- One-time codes. Only a keyed hash of the code is stored. A code asked for an address no
-- contact has is stored too (contact_id NULL, never sent), so that the answer and the work
-- are the same whether or not the address is known.
CREATE TABLE portal_codes (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid REFERENCES contacts (id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX portal_codes_contact_idx ON portal_codes (org_id, contact_id);

-- Portal sessions: bound to one organization and one contact; the cookie's secret is stored
-- only as SHA-256. Short-lived: 30 minutes idle, 2 hours at most.
CREATE TABLE portal_sessions (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  method text NOT NULL CHECK (method IN ('portal_code', 'signed_link')),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX portal_sessions_contact_idx ON portal_sessions (org_id, contact_id);

ALTER TABLE portal_codes ENABLE ROW LEVEL SECURITY;
CREATE POLICY portal_codes_scope ON portal_codes
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE portal_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY portal_sessions_scope ON portal_sessions
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

-- Erasure deletes a subject's codes and sessions.
GRANT SELECT, INSERT, UPDATE, DELETE ON portal_codes, portal_sessions TO soglasie_app;

-- Spent codes (a day after they expire) and old sessions (90 days after they end) are purged
-- by the portal.purge job. Codes and sessions of every organization, so a narrow SECURITY
-- DEFINER function does it, and nothing else.
CREATE FUNCTION purge_portal_records(p_codes_before timestamptz, p_sessions_before timestamptz)
  RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
DECLARE
  purged_codes integer;
  purged_sessions integer;
BEGIN
  DELETE FROM portal_codes WHERE expires_at < p_codes_before;
  GET DIAGNOSTICS purged_codes = ROW_COUNT;
  DELETE FROM portal_sessions WHERE coalesce(ended_at, expires_at) < p_sessions_before;
  GET DIAGNOSTICS purged_sessions = ROW_COUNT;
  RETURN purged_codes + purged_sessions;
END
$$;
REVOKE ALL ON FUNCTION purge_portal_records(timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_portal_records(timestamptz, timestamptz) TO soglasie_app;
