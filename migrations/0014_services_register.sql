-- The services register (every external service personal data passes through, with its server
-- country and role; R-L1), the Roskomnadzor notice settings and filings (152-FZ Art. 22, R-L3),
-- cross-border transfer notices for foreign recipients (Art. 12, R-L2) and a general task list.

-- One external service of the organization. Names, countries and references describe the
-- operator's suppliers, not data subjects.
CREATE TABLE compliance_services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  catalogue_code text CHECK (catalogue_code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('site_builder', 'chat', 'telephony', 'email', 'sms',
    'analytics', 'messenger', 'cloud_storage', 'accounting', 'crm', 'other')),
  -- ISO 3166-1 alpha-2 of the servers; anything but RU is a foreign service.
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  role text NOT NULL CHECK (role IN ('processor', 'recipient', 'tool')),
  data_categories jsonb NOT NULL DEFAULT '[]'::jsonb,
  purpose_codes jsonb NOT NULL DEFAULT '[]'::jsonb,
  contract_reference text CHECK (length(contract_reference) <= 500),
  notes text CHECK (length(notes) <= 2000),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  archived_at timestamptz
);
CREATE UNIQUE INDEX compliance_services_name_idx ON compliance_services (org_id, lower(name))
  WHERE archived_at IS NULL;

-- Cross-border transfer notices (152-FZ Art. 12 p.4-5): for a foreign service or partner, the
-- facts the notice states and the day it was sent. Append-only: the latest one counts.
CREATE TABLE cross_border_notices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  recipient_type text NOT NULL CHECK (recipient_type IN ('service', 'partner')),
  recipient_id uuid NOT NULL,
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  facts jsonb NOT NULL,
  notice_date date NOT NULL,
  reference text CHECK (length(reference) <= 300),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX cross_border_notices_recipient_idx
  ON cross_border_notices (org_id, recipient_type, recipient_id, created_at DESC);
CREATE TRIGGER cross_border_notices_append_only
  BEFORE UPDATE OR DELETE ON cross_border_notices FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- What the notice needs beyond the registry and the profile: database locations (Art. 22 p.3
-- item 10.1), start date, condition of ending, protection level; and the fingerprint of the
-- notice fields as last seen, to notice a change.
CREATE TABLE rkn_notice_settings (
  org_id uuid PRIMARY KEY REFERENCES organizations (id),
  database_locations jsonb NOT NULL DEFAULT '[]'::jsonb,
  processing_start_date date,
  end_condition text CHECK (length(end_condition) <= 1000),
  protection_level text CHECK (protection_level IN ('1', '2', '3', '4')),
  extra_measures jsonb NOT NULL DEFAULT '[]'::jsonb,
  seen_fingerprint text,
  updated_at timestamptz NOT NULL
);

-- Each filing of the notice with Roskomnadzor: the day, the reference, and the fields as filed.
CREATE TABLE rkn_notice_filings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  filed_on date NOT NULL,
  reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 300),
  fingerprint text NOT NULL,
  fields jsonb NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX rkn_notice_filings_org_idx ON rkn_notice_filings (org_id, created_at DESC);
CREATE TRIGGER rkn_notice_filings_append_only
  BEFORE UPDATE OR DELETE ON rkn_notice_filings FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Staff tasks: compliance duties now ("update the RKN notice"), call-backs and follow-ups
-- later. Titles are plain and must not name people; the related entity carries the detail.
CREATE TABLE tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{1,59}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  due_date date,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  assignee_user_id uuid REFERENCES users (id),
  related_type text CHECK (length(related_type) <= 60),
  related_id uuid,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  closed_at timestamptz,
  closed_by uuid REFERENCES users (id),
  CHECK ((status = 'done') = (closed_at IS NOT NULL))
);
CREATE INDEX tasks_open_idx ON tasks (org_id, due_date) WHERE status = 'open';
-- One open task of a kind per related entity: a second change does not duplicate it.
CREATE UNIQUE INDEX tasks_open_once_idx ON tasks (org_id, kind, related_type, related_id)
  WHERE status = 'open' AND related_id IS NOT NULL;

ALTER TABLE compliance_services ENABLE ROW LEVEL SECURITY;
CREATE POLICY compliance_services_scope ON compliance_services
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE cross_border_notices ENABLE ROW LEVEL SECURITY;
CREATE POLICY cross_border_notices_scope ON cross_border_notices
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE rkn_notice_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY rkn_notice_settings_scope ON rkn_notice_settings
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE rkn_notice_filings ENABLE ROW LEVEL SECURITY;
CREATE POLICY rkn_notice_filings_scope ON rkn_notice_filings
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_scope ON tasks
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT, UPDATE ON compliance_services TO soglasie_app;
GRANT SELECT, INSERT ON cross_border_notices TO soglasie_app;
GRANT SELECT, INSERT, UPDATE ON rkn_notice_settings TO soglasie_app;
GRANT SELECT, INSERT ON rkn_notice_filings TO soglasie_app;
GRANT SELECT, INSERT, UPDATE ON tasks TO soglasie_app;
