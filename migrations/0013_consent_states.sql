-- Each contact's current consent state per purpose: the latest journal event by (at, seq), the
-- order every reader of the journal uses. A projection of the append-only journal kept by a
-- statement-level trigger in the same transaction as the journal rows, so the outbound gate and
-- segments judge a million contacts with one join instead of finding the latest of a million
-- histories (bench/gate.ts).
CREATE TABLE consent_states (
  contact_id uuid NOT NULL,
  purpose_id uuid NOT NULL,
  org_id uuid NOT NULL,
  entry_id uuid NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  event text NOT NULL,
  purpose_version_id uuid NOT NULL,
  expires_at timestamptz,
  PRIMARY KEY (contact_id, purpose_id)
);
CREATE INDEX consent_states_org_purpose_idx ON consent_states (org_id, purpose_id);

CREATE FUNCTION consent_states_follow() RETURNS trigger
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
  RETURN NULL;
END
$$;

CREATE TRIGGER consent_journal_states
  AFTER INSERT ON consent_journal REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION consent_states_follow();

-- The state of the history written before this table existed.
INSERT INTO consent_states
  (contact_id, purpose_id, org_id, entry_id, seq, at, event, purpose_version_id, expires_at)
SELECT DISTINCT ON (j.contact_id, j.purpose_id)
  j.contact_id, j.purpose_id, j.org_id, j.id, j.seq, j.at, j.event, j.purpose_version_id,
  j.expires_at
FROM consent_journal j
ORDER BY j.contact_id, j.purpose_id, j.at DESC, j.seq DESC;

ALTER TABLE consent_states ENABLE ROW LEVEL SECURITY;
CREATE POLICY consent_states_scope ON consent_states
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
GRANT SELECT, INSERT, UPDATE ON consent_states TO soglasie_app;

-- The tenancy functions only read settings (current_setting is parallel safe; workers receive
-- the transaction's settings), so statements under row-level security may use parallel plans.
ALTER FUNCTION app_current_org() PARALLEL SAFE;
ALTER FUNCTION app_current_user() PARALLEL SAFE;

-- Mail feedback: complaints (feedback loops, ARF) and asynchronous bounces reported for a sent
-- message by Message-ID. One row per message and kind, so a replayed report changes nothing;
-- the complaint rate (R-E2: under 0.3 %) is counted from here.
CREATE TABLE mail_feedback (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  outbound_message_id uuid NOT NULL REFERENCES outbound_messages (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  kind text NOT NULL CHECK (kind IN ('complaint', 'bounce')),
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
  received_at timestamptz NOT NULL,
  UNIQUE (outbound_message_id, kind)
);
CREATE INDEX mail_feedback_org_received_idx ON mail_feedback (org_id, received_at);
CREATE INDEX mail_feedback_contact_idx ON mail_feedback (org_id, contact_id);
CREATE INDEX outbound_messages_message_id_idx ON outbound_messages (message_id)
  WHERE message_id IS NOT NULL;

-- A feedback report names a Message-ID only; this narrow definer function finds the
-- organization of that message, and nothing else.
CREATE FUNCTION outbound_message_org_by_message_id(p_message_id text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT org_id FROM outbound_messages WHERE message_id = p_message_id
        ORDER BY created_at LIMIT 1 $$;
REVOKE ALL ON FUNCTION outbound_message_org_by_message_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbound_message_org_by_message_id(text) TO soglasie_app;

ALTER TABLE mail_feedback ENABLE ROW LEVEL SECURITY;
CREATE POLICY mail_feedback_scope ON mail_feedback
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
GRANT SELECT, INSERT ON mail_feedback TO soglasie_app;
