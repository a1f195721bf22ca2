-- Outbound actions other than messages: call lists for the front desk, CSV exports of
-- contacts and transfers to a named third party. Each one asks the outbound check
-- (checkOutbound) and stores its answer with the action: allowed with the basis and the consent
-- entry, or refused with the reason.

-- A call list for one purpose; its entries are the people on it, each with the gate's answer.
CREATE TABLE call_lists (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  filter jsonb NOT NULL DEFAULT '{}'::jsonb,
  total integer NOT NULL DEFAULT 0,
  allowed integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX call_lists_org_created_idx ON call_lists (org_id, created_at DESC);

CREATE TABLE call_list_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  call_list_id uuid NOT NULL REFERENCES call_lists (id),
  position integer NOT NULL,
  contact_id uuid NOT NULL REFERENCES contacts (id),
  allowed boolean NOT NULL,
  reason text,
  basis text,
  consent_entry_id uuid,
  CHECK ((allowed AND reason IS NULL AND basis IS NOT NULL) OR (NOT allowed AND reason IS NOT NULL)),
  UNIQUE (call_list_id, position)
);
CREATE INDEX call_list_entries_contact_idx ON call_list_entries (org_id, contact_id);

-- A CSV export of contacts for one purpose: who, when, counts and the excluded per reason;
-- one row per person considered, with the gate's answer.
CREATE TABLE contact_exports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  filter jsonb NOT NULL DEFAULT '{}'::jsonb,
  total integer NOT NULL DEFAULT 0,
  exported integer NOT NULL DEFAULT 0,
  excluded jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  downloaded_at timestamptz
);
CREATE INDEX contact_exports_org_created_idx ON contact_exports (org_id, created_at DESC);

CREATE TABLE contact_export_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  export_id uuid NOT NULL REFERENCES contact_exports (id),
  position integer NOT NULL,
  contact_id uuid NOT NULL REFERENCES contacts (id),
  allowed boolean NOT NULL,
  reason text,
  basis text,
  consent_entry_id uuid,
  CHECK ((allowed AND reason IS NULL AND basis IS NOT NULL) OR (NOT allowed AND reason IS NOT NULL)),
  UNIQUE (export_id, position)
);
CREATE INDEX contact_export_entries_contact_idx ON contact_export_entries (org_id, contact_id);

-- Partners: third parties data is transferred to, by a signed webhook. The secret is sealed
-- under the organization's key.
CREATE TABLE partners (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  url text NOT NULL CHECK (url ~ '^https?://'),
  secret_enc bytea NOT NULL,
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  archived_at timestamptz,
  UNIQUE (org_id, name)
);

-- Every transfer attempt, refused ones included, with the gate's answer and the partner's
-- HTTP status.
CREATE TABLE transfers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  partner_id uuid NOT NULL REFERENCES partners (id),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  allowed boolean NOT NULL,
  reason text,
  basis text,
  consent_entry_id uuid,
  status text NOT NULL CHECK (status IN ('refused', 'sending', 'delivered', 'failed')),
  http_status integer,
  error text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  CHECK ((allowed AND reason IS NULL AND basis IS NOT NULL) OR (NOT allowed AND reason IS NOT NULL))
);
CREATE INDEX transfers_org_created_idx ON transfers (org_id, created_at DESC);
CREATE INDEX transfers_contact_idx ON transfers (org_id, contact_id);

ALTER TABLE call_lists ENABLE ROW LEVEL SECURITY;
CREATE POLICY call_lists_scope ON call_lists
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE call_list_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY call_list_entries_scope ON call_list_entries
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE contact_exports ENABLE ROW LEVEL SECURITY;
CREATE POLICY contact_exports_scope ON contact_exports
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE contact_export_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY contact_export_entries_scope ON contact_export_entries
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE partners ENABLE ROW LEVEL SECURITY;
CREATE POLICY partners_scope ON partners
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE transfers ENABLE ROW LEVEL SECURITY;
CREATE POLICY transfers_scope ON transfers
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT ON call_lists, contact_export_entries TO soglasie_app;
-- Erasure deletes a person's call-list entries (a list of whom to call is useless once erased).
GRANT SELECT, INSERT, DELETE ON call_list_entries TO soglasie_app;
-- The download time of an export; a partner archived; a transfer's delivery status.
GRANT SELECT, INSERT, UPDATE ON contact_exports, partners, transfers TO soglasie_app;
