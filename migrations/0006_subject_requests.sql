-- The requests queue of the privacy officer (152-FZ Art. 14, 20, 21; GDPR Art. 12): data-subject
-- requests with their legal clocks, identity verification, the one extension with its notice,
-- answers, an append-only trail of events, and in-app reminders for staff.

CREATE TABLE subject_requests (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  -- Null while the person is not yet matched to a contact.
  contact_id uuid REFERENCES contacts (id),
  type text NOT NULL
    CHECK (type IN ('access', 'correction', 'withdrawal', 'stop', 'deletion', 'rkn')),
  source text NOT NULL CHECK (source IN ('portal', 'phone', 'paper', 'email', 'staff')),
  jurisdiction text NOT NULL CHECK (jurisdiction IN ('ru', 'gdpr', 'both')),
  status text NOT NULL
    CHECK (status IN ('received', 'verifying', 'in_progress', 'extended', 'answered', 'refused', 'closed')),
  received_at timestamptz NOT NULL,
  -- The clock engine's clock that set due_date (src/subject-requests/clock.ts).
  due_clock text NOT NULL,
  due_date date NOT NULL,
  is_calendar_confirmed boolean NOT NULL DEFAULT true,
  -- The one extension (R-S1): by how many working days, why, and the notice that told the subject.
  extended_due_date date,
  extension_days integer CHECK (extension_days BETWEEN 1 AND 5),
  extension_reason text,
  extension_notice_channel text CHECK (extension_notice_channel IN ('email', 'paper', 'phone', 'portal')),
  extension_notice_ref text,
  extension_notice_sent_at timestamptz,
  extension_mail_id uuid,
  -- Personal data below is sealed under the contact's key when the contact is known, else under
  -- the organization key: `sealed_with` says which.
  sealed_with text NOT NULL CHECK (sealed_with IN ('subject', 'org')),
  requester_enc bytea,
  details_enc bytea,
  -- Identity verification (R-S3): method, then the document details, sealed.
  verification_method text NOT NULL DEFAULT 'none'
    CHECK (verification_method IN ('document', 'signed_email', 'esign', 'portal_code', 'in_person', 'none')),
  verification_enc bytea,
  verified_at timestamptz,
  verified_by uuid REFERENCES users (id),
  -- R-S3: a second request of the same type within 30 days is flagged, not dropped.
  is_repeat boolean NOT NULL DEFAULT false,
  repeat_of uuid REFERENCES subject_requests (id),
  -- Set on a request whose answer was incomplete: a repeat of it is then a fresh request.
  is_answer_incomplete boolean NOT NULL DEFAULT false,
  purpose_id uuid REFERENCES purposes (id),
  answer_sealed_with text CHECK (answer_sealed_with IN ('subject', 'org')),
  answer_enc bytea,
  answer_channel text CHECK (answer_channel IN ('email', 'paper', 'phone', 'portal')),
  answer_ref text,
  answer_mail_id uuid,
  answered_at timestamptz,
  -- What completing the request did to the data: ids and counts only, never personal data.
  outcome jsonb NOT NULL DEFAULT '{}'::jsonb,
  closed_at timestamptz,
  assigned_to uuid REFERENCES users (id),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX subject_requests_queue_idx ON subject_requests (org_id, status, due_date);
CREATE INDEX subject_requests_contact_idx ON subject_requests (org_id, contact_id, type, received_at)
  WHERE contact_id IS NOT NULL;

-- Every change of a request, with who made it: the requests register of REQUIREMENTS 1.5.
CREATE TABLE subject_request_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Events of one act share its instant; the sequence keeps their order.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  request_id uuid NOT NULL REFERENCES subject_requests (id),
  at timestamptz NOT NULL,
  kind text NOT NULL,
  from_status text,
  to_status text,
  actor_user_id uuid REFERENCES users (id),
  actor_label text,
  -- Ids, codes and numbers only.
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- A free-text note may name the person: sealed like the request's fields.
  note_enc bytea
);
CREATE INDEX subject_request_events_request_idx ON subject_request_events (org_id, request_id, seq);
CREATE TRIGGER subject_request_events_append_only
  BEFORE UPDATE OR DELETE ON subject_request_events FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- In-app reminders for staff; user_id null means every privacy officer of the organization.
-- One row per entity, kind and due date: a reminder is never made (or mailed) twice.
CREATE TABLE staff_notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  user_id uuid REFERENCES users (id),
  kind text NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  -- No personal data: a reference, a type and a date.
  text text NOT NULL,
  due date,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  emailed_at timestamptz,
  UNIQUE (org_id, entity_type, entity_id, kind, due)
);
CREATE INDEX staff_notifications_unread_idx ON staff_notifications (org_id, created_at)
  WHERE read_at IS NULL;

-- Organizations with open requests, for the reminder job (ids only).
CREATE FUNCTION open_subject_request_orgs() RETURNS TABLE (org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT DISTINCT org_id FROM subject_requests WHERE status NOT IN ('answered', 'refused', 'closed') $$;
REVOKE ALL ON FUNCTION open_subject_request_orgs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION open_subject_request_orgs() TO soglasie_app;

ALTER TABLE subject_requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY subject_requests_scope ON subject_requests
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE subject_request_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY subject_request_events_scope ON subject_request_events
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE staff_notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_notifications_scope ON staff_notifications
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT, UPDATE ON subject_requests TO soglasie_app;
GRANT SELECT, INSERT ON subject_request_events TO soglasie_app;
GRANT SELECT, INSERT, UPDATE ON staff_notifications TO soglasie_app;
