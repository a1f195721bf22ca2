-- Outbound messages: the suppression list every advertising send consults, and the send log
-- that names, for each message, the consent (or other basis) that allowed it.

-- A suppression (R-A3, R-A4, R-E1): one contact must not get advertising on a channel (or on
-- any, 'all'). Written by an unsubscribe, a provider's "subscriber refused" callback, a bounce,
-- a complaint or by staff; removing one deletes the row (the audit log keeps the act).
CREATE TABLE suppressions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'all')),
  reason text NOT NULL
    CHECK (reason IN ('unsubscribed', 'provider_refused', 'bounced', 'complaint', 'staff')),
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  UNIQUE (org_id, contact_id, channel)
);
CREATE INDEX suppressions_org_created_idx ON suppressions (org_id, created_at DESC, id);

-- The send log: one row per outbound message, refused ones included, with the gate's answer.
-- The recipient is sealed under the subject's key; campaign_id is filled by campaigns.
CREATE TABLE outbound_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'call', 'export', 'transfer')),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  basis text,
  consent_entry_id uuid REFERENCES consent_journal (id),
  gate_reason text,
  status text NOT NULL
    CHECK (status IN ('queued', 'sent', 'refused', 'failed', 'delivered', 'provider_refused')),
  message_id text,
  provider text,
  provider_id text,
  provider_status text,
  campaign_id uuid,
  recipient_enc bytea,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  status_at timestamptz,
  CHECK ((status = 'refused') = (gate_reason IS NOT NULL))
);
CREATE INDEX outbound_messages_org_created_idx ON outbound_messages (org_id, created_at DESC, id);
CREATE INDEX outbound_messages_contact_idx ON outbound_messages (org_id, contact_id);
CREATE INDEX outbound_messages_campaign_idx ON outbound_messages (org_id, campaign_id)
  WHERE campaign_id IS NOT NULL;
CREATE UNIQUE INDEX outbound_messages_provider_idx ON outbound_messages (provider, provider_id)
  WHERE provider_id IS NOT NULL;

-- Audiences read the latest journal event per contact for one purpose in one pass.
CREATE INDEX consent_journal_purpose_contact_idx
  ON consent_journal (org_id, purpose_id, contact_id, at DESC, seq DESC);

-- A provider's delivery callback names its own message id only; this narrow definer function
-- finds the organization of that message, and nothing else.
CREATE FUNCTION outbound_message_org_id(p_provider text, p_provider_id text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT org_id FROM outbound_messages WHERE provider = p_provider AND provider_id = p_provider_id $$;
REVOKE ALL ON FUNCTION outbound_message_org_id(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbound_message_org_id(text, text) TO soglasie_app;

ALTER TABLE suppressions ENABLE ROW LEVEL SECURITY;
CREATE POLICY suppressions_scope ON suppressions
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE outbound_messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY outbound_messages_scope ON outbound_messages
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT, DELETE ON suppressions TO soglasie_app;
GRANT SELECT, INSERT, UPDATE ON outbound_messages TO soglasie_app;
