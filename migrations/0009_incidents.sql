-- The incident register (152-FZ Art. 21 p.3.1, R-D7; GDPR Art. 33, R-G5; unlawful processing,
-- Art. 21 p.3, R-D2): every incident with its clocks, what was sent and when, the affected
-- records and a timeline of every change.

-- One incident. Free text may quote personal data, so it is sealed under the organization key
-- (AES-256-GCM, bound to the row and column); titles are plain and must not name people.
CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  number integer NOT NULL CHECK (number > 0),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  kind text NOT NULL
    CHECK (kind IN ('leak', 'unlawful_processing', 'unauthorized_access', 'loss', 'other')),
  detected_at timestamptz NOT NULL,
  description_enc bytea,
  causes_enc bytea,
  harm_enc bytea,
  measures_enc bytea,
  contact_person_enc bytea,
  investigation_enc bytea,
  responsible_persons_enc bytea,
  affected_subjects_count integer CHECK (affected_subjects_count >= 0),
  affected_categories jsonb NOT NULL DEFAULT '[]'::jsonb,
  gdpr_applies boolean NOT NULL DEFAULT false,
  -- The clocks, from detection: 24 h notice and 72 h report to Roskomnadzor (the GDPR notice to
  -- the supervisory authority shares the 72 h), and for unlawful processing the 3 and 10
  -- working-day clocks to stop and to destroy.
  due_24h_at timestamptz NOT NULL,
  due_72h_at timestamptz NOT NULL,
  due_stop_at timestamptz,
  due_destroy_at timestamptz,
  notice_24h_sent_at timestamptz,
  notice_24h_evidence text,
  report_72h_sent_at timestamptz,
  report_72h_evidence text,
  gdpr_notice_sent_at timestamptz,
  gdpr_notice_evidence text,
  processing_stopped_at timestamptz,
  processing_stopped_evidence text,
  data_destroyed_at timestamptz,
  data_destroyed_evidence text,
  status text NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'notified', 'investigated', 'closed')),
  closed_at timestamptz,
  resolution_enc bytea,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (org_id, number),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK ((kind = 'unlawful_processing') = (due_stop_at IS NOT NULL AND due_destroy_at IS NOT NULL))
);
CREATE INDEX incidents_org_detected_idx ON incidents (org_id, detected_at DESC);
CREATE INDEX incidents_open_idx ON incidents (org_id, due_24h_at) WHERE status <> 'closed';

-- What the incident touched: a contact, or an access-log entry (the read that leaked).
CREATE TABLE incident_records (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  contact_id uuid REFERENCES contacts (id),
  access_log_id bigint,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  CHECK ((contact_id IS NULL) <> (access_log_id IS NULL))
);
CREATE UNIQUE INDEX incident_records_contact_idx ON incident_records (incident_id, contact_id)
  WHERE contact_id IS NOT NULL;
CREATE UNIQUE INDEX incident_records_access_idx ON incident_records (incident_id, access_log_id)
  WHERE access_log_id IS NOT NULL;
CREATE INDEX incident_records_by_contact_idx ON incident_records (org_id, contact_id)
  WHERE contact_id IS NOT NULL;

-- The timeline: every change, who and when. Append-only; details hold ids, field names and
-- values that are not personal data.
CREATE TABLE incident_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  at timestamptz NOT NULL,
  actor_user_id uuid REFERENCES users (id),
  actor_token_id uuid,
  actor_label text,
  action text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX incident_events_incident_idx ON incident_events (org_id, incident_id, id);
CREATE TRIGGER incident_events_append_only
  BEFORE UPDATE OR DELETE ON incident_events FOR EACH ROW EXECUTE FUNCTION refuse_change();

ALTER TABLE incidents ENABLE ROW LEVEL SECURITY;
CREATE POLICY incidents_scope ON incidents
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE incident_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY incident_records_scope ON incident_records
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE incident_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY incident_events_scope ON incident_events
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT, UPDATE ON incidents TO soglasie_app;
-- A record linked by mistake is unlinked; the timeline keeps that it was.
GRANT SELECT, INSERT, DELETE ON incident_records TO soglasie_app;
GRANT SELECT, INSERT ON incident_events TO soglasie_app;
