-- The subject's rights: processing blocks and stops, erasure, and the key store moved apart.

-- A block (R-D1, for the time of a check) or a stop (R-S6, on the subject's demand) holds
-- processing of one subject, for one purpose or for all (purpose_id NULL). Every outbound
-- check reads the live ones; lifting keeps the row as history.
CREATE TABLE subject_blocks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  kind text NOT NULL CHECK (kind IN ('blocked', 'stopped')),
  purpose_id uuid REFERENCES purposes (id),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  request_id uuid,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  lifted_at timestamptz,
  lifted_by uuid REFERENCES users (id),
  lift_reason text
);
CREATE INDEX subject_blocks_live_idx ON subject_blocks (org_id, contact_id) WHERE lifted_at IS NULL;

-- An erased subject: the contact row stays as an anonymous anchor for the journal, leads and
-- aggregates; its keyed hashes move here so a returning person can be matched to past proof
-- without ever reviving the erased contact.
ALTER TABLE contacts ADD COLUMN erased_at timestamptz;
CREATE TABLE subject_tombstones (
  contact_id uuid PRIMARY KEY REFERENCES contacts (id),
  org_id uuid NOT NULL REFERENCES organizations (id),
  phone_index text,
  email_index text,
  reason text NOT NULL,
  erased_at timestamptz NOT NULL
);
CREATE INDEX subject_tombstones_phone_idx ON subject_tombstones (org_id, phone_index)
  WHERE phone_index IS NOT NULL;
CREATE INDEX subject_tombstones_email_idx ON subject_tombstones (org_id, email_index)
  WHERE email_index IS NOT NULL;

-- Erasure finds a subject's rows by contact in every table.
CREATE INDEX submissions_contact_idx ON submissions (org_id, contact_id);
CREATE INDEX leads_contact_idx ON leads (org_id, contact_id);
CREATE INDEX mail_outbox_contact_idx ON mail_outbox (org_id, contact_id);

-- Withdrawals now also arrive through the privacy portal and by email.
ALTER TABLE consent_journal DROP CONSTRAINT consent_journal_channel_check;
ALTER TABLE consent_journal ADD CONSTRAINT consent_journal_channel_check
  CHECK (channel IN ('web_form', 'phone', 'paper', 'staff', 'portal', 'email'));

ALTER TABLE subject_blocks ENABLE ROW LEVEL SECURITY;
CREATE POLICY subject_blocks_scope ON subject_blocks
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE subject_tombstones ENABLE ROW LEVEL SECURITY;
CREATE POLICY subject_tombstones_scope ON subject_tombstones
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT, UPDATE ON subject_blocks TO soglasie_app;
GRANT SELECT, INSERT ON subject_tombstones TO soglasie_app;
-- Erasure deletes what exists only for the subject and de-identifies the rest.
GRANT DELETE ON mail_outbox TO soglasie_app;
GRANT UPDATE ON submissions TO soglasie_app;

-- Subject keys now live in the key store, apart from this database (see docs/backup.md);
-- the table stays until every installation has moved its rows there at start.
