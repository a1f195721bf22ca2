-- Campaigns: saved segments, campaigns launched by a person (R-A2), and the audience frozen at
-- launch as a queue of recipients that a restarted server picks up where it stopped.

-- A segment: a saved filter on contacts for one purpose (the purpose decides what it may use:
-- a special category never serves advertising, R-C5).
CREATE TABLE segments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  filters jsonb NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  archived_at timestamptz
);
CREATE INDEX segments_org_idx ON segments (org_id, created_at DESC);

CREATE TABLE campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  segment_id uuid NOT NULL REFERENCES segments (id),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  subject text,
  body text NOT NULL,
  rate_per_minute integer NOT NULL CHECK (rate_per_minute BETWEEN 1 AND 1000000),
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'sending', 'paused', 'completed', 'cancelled')),
  -- Frozen at launch: the filters used and who was left out, counted per gate reason.
  launched_filters jsonb,
  excluded jsonb NOT NULL DEFAULT '{}'::jsonb,
  audience_count integer NOT NULL DEFAULT 0,
  -- The person who launched it (R-A2): a launch is always a logged human act.
  launched_by uuid REFERENCES users (id),
  launched_at timestamptz,
  finished_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (status = 'draft' OR status = 'cancelled' OR launched_by IS NOT NULL)
);
CREATE INDEX campaigns_org_idx ON campaigns (org_id, created_at DESC);
CREATE INDEX campaigns_sending_idx ON campaigns (org_id) WHERE status = 'sending';

-- The queue: one row per eligible recipient, with the consent entry that allowed it at launch.
-- A sender claims rows with a lease (status 'sending'); an expired lease is claimed again.
CREATE TABLE campaign_recipients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  campaign_id uuid NOT NULL REFERENCES campaigns (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  consent_entry_id uuid REFERENCES consent_journal (id),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed')),
  lease_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  skip_reason text,
  message_id text,
  last_error text,
  sent_at timestamptz,
  UNIQUE (campaign_id, contact_id)
);
CREATE INDEX campaign_recipients_queue_idx ON campaign_recipients (campaign_id)
  WHERE status IN ('pending', 'sending');
CREATE INDEX campaign_recipients_contact_idx ON campaign_recipients (org_id, contact_id);
CREATE INDEX campaign_recipients_campaign_idx ON campaign_recipients (campaign_id, status);

-- The send log names the campaign a message belongs to.
ALTER TABLE outbound_messages
  ADD CONSTRAINT outbound_messages_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns (id);

-- The sending job runs as the application role, one organization at a time: this narrow
-- definer function lists the organizations with a campaign being sent, and nothing else.
CREATE FUNCTION sending_campaign_orgs() RETURNS TABLE (org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT DISTINCT org_id FROM campaigns WHERE status = 'sending' $$;
REVOKE ALL ON FUNCTION sending_campaign_orgs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sending_campaign_orgs() TO soglasie_app;

ALTER TABLE segments ENABLE ROW LEVEL SECURITY;
CREATE POLICY segments_scope ON segments
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaigns_scope ON campaigns
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE campaign_recipients ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_recipients_scope ON campaign_recipients
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT, UPDATE ON segments, campaigns, campaign_recipients TO soglasie_app;
GRANT DELETE ON campaign_recipients TO soglasie_app;
