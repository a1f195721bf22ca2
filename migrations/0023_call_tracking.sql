-- Call tracking: the organization's tracking numbers (static per channel, dynamic in pools),
-- the lease history that ties a dynamic number to the visit that was shown it, telephony
-- integrations and their webhook events, and the calls themselves. The caller's number is
-- personal data: sealed under the caller's own key and found by a blind index, like contacts.

-- The snippet's settings: its public key and the clinic's own numbers it replaces on the page.
CREATE TABLE call_tracking_settings (
  org_id uuid PRIMARY KEY REFERENCES organizations (id),
  public_key text NOT NULL UNIQUE CHECK (public_key ~ '^[A-Za-z0-9_-]{16,64}$'),
  -- E.164 numbers as the clinic publishes them, e.g. {+74951234567}
  replace_numbers text[] NOT NULL DEFAULT '{}',
  -- A CSS selector whose elements' text is replaced whatever it says (optional).
  replace_selector text CHECK (length(replace_selector) <= 200),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Dynamic pools: the numbers leased one per visit, on the sites (hosts) and channels they serve.
CREATE TABLE number_pools (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  -- Hosts of the sites served (lower case, no www.); empty: every site.
  hosts text[] NOT NULL DEFAULT '{}',
  -- Channels served; empty: every channel.
  channels text[] NOT NULL DEFAULT '{}',
  -- A lease lives this long after the visit's last heartbeat.
  hold_seconds integer NOT NULL DEFAULT 120 CHECK (hold_seconds BETWEEN 30 AND 3600),
  -- And the number rests this long after that before another visit gets it.
  quarantine_seconds integer NOT NULL DEFAULT 300 CHECK (quarantine_seconds BETWEEN 0 AND 86400),
  -- Shown when every number is busy and the visitor's channel has no static number.
  fallback_number text CHECK (fallback_number ~ '^\+[1-9][0-9]{6,14}$'),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX number_pools_org_idx ON number_pools (org_id);

CREATE TABLE tracking_numbers (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  number text NOT NULL CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
  provider text NOT NULL CHECK (length(provider) BETWEEN 1 AND 40),
  kind text NOT NULL CHECK (kind IN ('static', 'dynamic')),
  label text CHECK (length(label) <= 120),
  -- A static number's binding: the channel (and campaign) whose visitors see it.
  channel text CHECK (length(channel) <= 80),
  campaign text CHECK (length(campaign) <= 200),
  pool_id uuid REFERENCES number_pools (id),
  -- Hosts where a static number is shown; empty: every site.
  hosts text[] NOT NULL DEFAULT '{}',
  -- A dynamic number is leased or in quarantine until then.
  busy_until timestamptz NOT NULL DEFAULT '-infinity',
  current_lease_id uuid,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (org_id, number),
  CHECK ((kind = 'dynamic') = (pool_id IS NOT NULL)),
  CHECK (kind = 'static' OR (channel IS NULL AND campaign IS NULL))
);
CREATE INDEX tracking_numbers_pool_idx ON tracking_numbers (org_id, pool_id, busy_until)
  WHERE kind = 'dynamic' AND is_active;

-- Every lease ever made: the history a call is matched against, kept when the number is reused.
-- Pseudonymous visit ids and the campaign only; no contact, no address.
CREATE TABLE number_leases (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  number_id uuid NOT NULL REFERENCES tracking_numbers (id),
  pool_id uuid NOT NULL REFERENCES number_pools (id),
  -- The tracker's session id after consent, else a daily-rotating keyed hash (never an address).
  session_key text NOT NULL CHECK (length(session_key) <= 100),
  session_id text CHECK (length(session_id) <= 100),
  visitor_id text CHECK (length(visitor_id) <= 100),
  channel text NOT NULL,
  source text,
  campaign text,
  keyword text,
  host text,
  touch jsonb NOT NULL DEFAULT '{}',
  leased_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  quarantine_until timestamptz NOT NULL,
  renewals integer NOT NULL DEFAULT 0
);
CREATE INDEX number_leases_number_idx ON number_leases (org_id, number_id, leased_at DESC);
CREATE INDEX number_leases_session_idx ON number_leases (org_id, session_key, expires_at DESC);

-- Lease requests per pool and hour: the traffic the sizing advice reads, and the exhaustions.
CREATE TABLE pool_demand (
  org_id uuid NOT NULL REFERENCES organizations (id),
  pool_id uuid NOT NULL REFERENCES number_pools (id),
  hour timestamptz NOT NULL,
  requests integer NOT NULL DEFAULT 0,
  exhausted integer NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, pool_id, hour)
);

-- A virtual PBX account sending call events to /hooks/calls/<provider>/<id>.
CREATE TABLE telephony_integrations (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  provider text NOT NULL CHECK (provider IN ('generic', 'mango', 'zadarma')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  -- Mango Office's vpbx_api_key (sent in every event); null for the others.
  api_key text CHECK (length(api_key) <= 200),
  -- The signing secret (Mango's api_salt, Zadarma's API secret, the generic HMAC key),
  -- sealed under the organization's key.
  secret_enc bytea NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  last_event_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE calls (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  integration_id uuid NOT NULL REFERENCES telephony_integrations (id),
  -- The provider's id of the call (Mango entry_id, Zadarma pbx_call_id, the generic callId).
  external_id text NOT NULL CHECK (length(external_id) <= 200),
  called_number text CHECK (called_number ~ '^\+[1-9][0-9]{6,14}$'),
  tracking_number_id uuid REFERENCES tracking_numbers (id),
  contact_id uuid REFERENCES contacts (id),
  -- The caller's number, sealed under the contact's key; its blind index finds repeat callers.
  caller_enc bytea,
  caller_index text,
  lead_id uuid,
  is_first_time boolean NOT NULL DEFAULT false,
  started_at timestamptz,
  answered_at timestamptz,
  ended_at timestamptz,
  duration_seconds integer CHECK (duration_seconds >= 0),
  talk_seconds integer CHECK (talk_seconds >= 0),
  status text NOT NULL CHECK (status IN ('ringing', 'in_progress', 'answered', 'missed')),
  end_reason text CHECK (length(end_reason) <= 80),
  -- The staff member who answered: an extension or name as the PBX reports it.
  manager text CHECK (length(manager) <= 120),
  -- The recording's address, sealed under the contact's key (the organization's for a hidden caller).
  recording_enc bytea,
  match_kind text NOT NULL DEFAULT 'unknown' CHECK (match_kind IN ('dynamic', 'static', 'unknown')),
  lease_id uuid REFERENCES number_leases (id),
  session_id text,
  visitor_id text,
  channel text NOT NULL DEFAULT 'unknown',
  source text,
  campaign text,
  keyword text,
  -- Script checks: a score, the checklist's answers, a note sealed like the caller.
  quality_score integer CHECK (quality_score BETWEEN 0 AND 100),
  quality_checklist jsonb NOT NULL DEFAULT '{}',
  quality_note_enc bytea,
  quality_checked_by uuid REFERENCES users (id),
  quality_checked_at timestamptz,
  -- Latest event time seen, so older events never undo newer facts.
  last_event_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (org_id, integration_id, external_id)
);
CREATE INDEX calls_org_started_idx ON calls (org_id, started_at DESC);
CREATE INDEX calls_org_status_idx ON calls (org_id, status, started_at DESC);
CREATE INDEX calls_contact_idx ON calls (org_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX calls_caller_idx ON calls (org_id, caller_index) WHERE caller_index IS NOT NULL;

-- Each provider event once: a replay hits the primary key and changes nothing.
CREATE TABLE call_events (
  org_id uuid NOT NULL REFERENCES organizations (id),
  integration_id uuid NOT NULL REFERENCES telephony_integrations (id),
  event_key text NOT NULL CHECK (length(event_key) <= 300),
  call_id uuid NOT NULL REFERENCES calls (id),
  kind text NOT NULL CHECK (kind IN ('start', 'answer', 'end', 'recording')),
  at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, integration_id, event_key)
);
CREATE INDEX call_events_call_idx ON call_events (org_id, call_id);

-- The public lookups before an organization is known: the snippet's key, a webhook's integration.
CREATE FUNCTION call_tracking_org_by_key(p_key text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT org_id FROM call_tracking_settings WHERE public_key = p_key $$;
REVOKE ALL ON FUNCTION call_tracking_org_by_key(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION call_tracking_org_by_key(text) TO soglasie_app;

CREATE FUNCTION telephony_integration_org(p_id uuid, p_provider text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT org_id FROM telephony_integrations
        WHERE id = p_id AND provider = p_provider AND is_active $$;
REVOKE ALL ON FUNCTION telephony_integration_org(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION telephony_integration_org(uuid, text) TO soglasie_app;

ALTER TABLE call_tracking_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY call_tracking_settings_scope ON call_tracking_settings
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE number_pools ENABLE ROW LEVEL SECURITY;
CREATE POLICY number_pools_scope ON number_pools
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE tracking_numbers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tracking_numbers_scope ON tracking_numbers
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE number_leases ENABLE ROW LEVEL SECURITY;
CREATE POLICY number_leases_scope ON number_leases
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE pool_demand ENABLE ROW LEVEL SECURITY;
CREATE POLICY pool_demand_scope ON pool_demand
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE telephony_integrations ENABLE ROW LEVEL SECURITY;
CREATE POLICY telephony_integrations_scope ON telephony_integrations
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE calls ENABLE ROW LEVEL SECURITY;
CREATE POLICY calls_scope ON calls
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE call_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY call_events_scope ON call_events
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT, UPDATE ON call_tracking_settings, number_pools, tracking_numbers,
  number_leases, pool_demand, telephony_integrations, calls TO soglasie_app;
GRANT SELECT, INSERT ON call_events TO soglasie_app;
