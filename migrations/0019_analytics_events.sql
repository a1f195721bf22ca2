-- End-to-end analytics, first-party events: sites with their public keys, pseudonymous
-- visitors, sessions (each one visit, i.e. one touchpoint, with its campaign and its classified
-- channel), page views, conversions, and the visitor → contact link kept apart so erasure can
-- destroy it alone. See docs/analytics.md.
--
-- Built for tens of millions of rows per organization: every large table is keyed by
-- (org_id, …) so org_id can be the distribution column (Citus) and the leading index column;
-- time columns carry the indexes reports scan; nothing joins a large table to personal data.

-- A site that sends events: its public key goes into the snippet (it is not a secret; it names
-- the site and is rate-limited). The allowed origins stop other sites from sending under it.
CREATE TABLE analytics_sites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  site_key text NOT NULL UNIQUE CHECK (site_key ~ '^[A-Za-z0-9_-]{16,64}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- Allowed page origins (https://clinic.example); empty = any origin.
  origins jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz
);
CREATE INDEX analytics_sites_org_idx ON analytics_sites (org_id);

-- The public ingest endpoint knows only the key: a narrow definer function answers for it.
CREATE FUNCTION analytics_site_of_key(p_site_key text)
  RETURNS TABLE (site_id uuid, org_id uuid, origins jsonb)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT s.id, s.org_id, s.origins FROM analytics_sites s
    WHERE s.site_key = p_site_key AND s.archived_at IS NULL
  $$;
REVOKE ALL ON FUNCTION analytics_site_of_key(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION analytics_site_of_key(text) TO soglasie_app;

-- Daily salts of the cookieless visitor hash (R-E0): HMAC(salt of the day, site, IP, user
-- agent). Salts older than a day are deleted, after which nobody — the operator included — can
-- recompute a past hash from an IP address. The raw IP is never stored anywhere.
CREATE TABLE analytics_salts (
  org_id uuid NOT NULL REFERENCES organizations (id),
  day date NOT NULL,
  salt bytea NOT NULL,
  PRIMARY KEY (org_id, day)
);

-- Pseudonymous visitors: a daily hash before consent ('daily_hash'), a random first-party id
-- kept on the visitor's device after consent ('first_party'). No personal data.
CREATE TABLE analytics_visitors (
  org_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  site_id uuid NOT NULL REFERENCES analytics_sites (id),
  kind text NOT NULL CHECK (kind IN ('daily_hash', 'first_party')),
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- A daily-hash visitor who consented that day continues as this first-party visitor.
  merged_into uuid,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX analytics_visitors_seen_idx ON analytics_visitors (org_id, first_seen_at);

-- Sessions: one visit, which is one touchpoint. A new campaign (UTM tags or a click id) starts
-- a new session, so a session has exactly one source. Raw campaign fields are kept next to the
-- classification so history can be re-classified when the rules change.
CREATE TABLE analytics_sessions (
  org_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  site_id uuid NOT NULL REFERENCES analytics_sites (id),
  visitor_id uuid NOT NULL,
  is_consented boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  page_views integer NOT NULL DEFAULT 0,
  -- Addresses after the personal-data filter: no query parameters but campaign tags.
  landing_url text,
  referrer text,
  referrer_host text,
  utm_source text,
  utm_medium text,
  utm_campaign text,
  utm_term text,
  utm_content text,
  yclid text,
  gclid text,
  vkclid text,
  -- The classification (src/analytics/channels): channel → source → campaign → keyword.
  channel text NOT NULL,
  source text,
  campaign text,
  keyword text,
  rule_id text NOT NULL,
  device text NOT NULL DEFAULT 'unknown' CHECK (device IN ('desktop', 'mobile', 'tablet', 'unknown')),
  PRIMARY KEY (org_id, id)
);
CREATE INDEX analytics_sessions_started_idx ON analytics_sessions (org_id, started_at);
CREATE INDEX analytics_sessions_visitor_idx ON analytics_sessions (org_id, visitor_id, started_at);

-- Page views: the high-volume table, append-only from the ingest path (batched inserts).
-- BRIN on time keeps the index tiny and the writes cheap; time ranges prune well because rows
-- arrive in time order.
CREATE TABLE analytics_page_views (
  org_id uuid NOT NULL REFERENCES organizations (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  session_id uuid NOT NULL,
  at timestamptz NOT NULL,
  url text NOT NULL,
  path text NOT NULL,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX analytics_page_views_at_idx ON analytics_page_views USING brin (at);
CREATE INDEX analytics_page_views_session_idx ON analytics_page_views (org_id, session_id);

-- Accepted batches by their client id: a retried beacon is acknowledged and not stored twice.
-- Rows older than two days are purged.
CREATE TABLE analytics_ingest_batches (
  org_id uuid NOT NULL REFERENCES organizations (id),
  batch_id uuid NOT NULL,
  site_id uuid NOT NULL REFERENCES analytics_sites (id),
  events integer NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, batch_id)
);
CREATE INDEX analytics_ingest_batches_received_idx ON analytics_ingest_batches (received_at);

-- The one link from a pseudonymous visitor to a person. Kept apart and deleted with the
-- contact at erasure (src/erasure/data-map.ts); sessions and page views then stay anonymous.
CREATE TABLE analytics_visitor_contacts (
  org_id uuid NOT NULL REFERENCES organizations (id),
  visitor_id uuid NOT NULL,
  contact_id uuid NOT NULL REFERENCES contacts (id),
  via text NOT NULL CHECK (via IN ('form', 'call', 'staff', 'booking', 'payment', 'visit')),
  linked_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, visitor_id, contact_id)
);
CREATE INDEX analytics_visitor_contacts_contact_idx ON analytics_visitor_contacts (org_id, contact_id);

-- Conversions: lead, call, booking, visit, payment — each once per (kind, reference), linked
-- to a visitor and/or a contact, with the touch that gets the credit under the default model
-- (last non-direct, as in Yandex Metrica) and the path of touches that led to it, so reports
-- and attribution read conversions without joining personal data. At erasure the links
-- (contact, visitor, session) are emptied; kind, time, value, channel and path stay as
-- anonymous aggregates.
CREATE TABLE analytics_conversions (
  org_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('lead', 'call', 'booking', 'visit', 'payment')),
  -- What it records: a lead id, an appointment id, a call id, a payment id.
  reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
  occurred_at timestamptz NOT NULL,
  contact_id uuid REFERENCES contacts (id),
  visitor_id uuid,
  session_id uuid,
  -- Revenue in kopecks (payments; a booking's expected value when known).
  value_kopecks bigint CHECK (value_kopecks IS NULL OR value_kopecks >= 0),
  -- The first conversion of its kind for the contact (a first visit = a new patient).
  is_first_of_kind boolean NOT NULL DEFAULT false,
  channel text NOT NULL,
  source text,
  campaign text,
  keyword text,
  -- Touches before the conversion within the lookback window, oldest first:
  -- [{"at": iso, "channel": …, "source": …, "campaign": …, "keyword": …}], at most 50.
  path jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, kind, reference)
);
CREATE INDEX analytics_conversions_occurred_idx ON analytics_conversions (org_id, occurred_at);
CREATE INDEX analytics_conversions_contact_idx ON analytics_conversions (org_id, contact_id)
  WHERE contact_id IS NOT NULL;
CREATE INDEX analytics_conversions_visitor_idx ON analytics_conversions (org_id, visitor_id)
  WHERE visitor_id IS NOT NULL;

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY[
    'analytics_sites', 'analytics_salts', 'analytics_visitors', 'analytics_sessions',
    'analytics_page_views', 'analytics_ingest_batches', 'analytics_visitor_contacts',
    'analytics_conversions'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())',
      tenant_table || '_scope', tenant_table);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON analytics_sites, analytics_visitors, analytics_sessions,
  analytics_conversions TO soglasie_app;
GRANT SELECT, INSERT, DELETE ON analytics_salts, analytics_ingest_batches,
  analytics_visitor_contacts TO soglasie_app;
GRANT SELECT, INSERT ON analytics_page_views TO soglasie_app;
GRANT DELETE ON analytics_sessions, analytics_page_views, analytics_visitors TO soglasie_app;
GRANT USAGE ON SEQUENCE analytics_page_views_id_seq TO soglasie_app;
