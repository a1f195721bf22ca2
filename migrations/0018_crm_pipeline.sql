-- CRM core: the lead pipeline (stages per organization, stage changes for reports, assignment),
-- notes on contacts, a blind index of name words for search, and reversible merges of
-- duplicate contacts.

-- Pipeline stages of an organization. The system stages (new, contacted, booked, visited,
-- paid, lost) always exist: other domains move leads to them by code (appointments → booked,
-- visited; payments → paid). Their titles and order may change; custom stages are added
-- between them and archived rather than deleted, so history keeps its meaning.
CREATE TABLE pipeline_stages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
  position integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
  is_system boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  UNIQUE (org_id, code)
);

-- A lead's stage is its status (a stage code); assignment and timing for reports.
ALTER TABLE leads ADD COLUMN assignee_user_id uuid REFERENCES users (id);
ALTER TABLE leads ADD COLUMN lost_reason text
  CHECK (lost_reason IN ('no_answer', 'price', 'chose_other', 'not_relevant', 'duplicate', 'spam', 'other'));
ALTER TABLE leads ADD COLUMN stage_changed_at timestamptz;
-- The first time staff answered the lead (its first move out of "new"): first-response time.
ALTER TABLE leads ADD COLUMN first_response_at timestamptz;
CREATE INDEX leads_org_status_idx ON leads (org_id, status, created_at DESC);
CREATE INDEX leads_org_assignee_idx ON leads (org_id, assignee_user_id) WHERE assignee_user_id IS NOT NULL;

-- Every stage change of a lead: codes, times and who moved it. from_at is when the lead entered
-- from_stage, so a stage's duration is at − from_at without a window over the history.
CREATE TABLE lead_stage_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  lead_id uuid NOT NULL REFERENCES leads (id),
  from_stage text,
  to_stage text NOT NULL,
  from_at timestamptz NOT NULL,
  at timestamptz NOT NULL,
  lost_reason text,
  -- What moved it: 'manual' (staff), or the domain that did (appointments, payments, demo).
  cause text NOT NULL CHECK (cause ~ '^[a-z][a-z0-9_]{1,39}$'),
  actor_user_id uuid REFERENCES users (id),
  actor_label text
);
CREATE INDEX lead_stage_events_lead_idx ON lead_stage_events (org_id, lead_id, at);
CREATE INDEX lead_stage_events_org_at_idx ON lead_stage_events (org_id, at);
CREATE TRIGGER lead_stage_events_append_only
  BEFORE UPDATE OR DELETE ON lead_stage_events FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Notes on a contact: free text about a person, sealed under the subject's key.
CREATE TABLE contact_notes (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  body_enc bytea NOT NULL,
  author_user_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX contact_notes_contact_idx ON contact_notes (org_id, contact_id, created_at DESC);

-- The name search index: keyed HMACs of the normalized name words and their prefixes (3+
-- letters), never the words themselves.
CREATE TABLE contact_name_tokens (
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  token text NOT NULL,
  PRIMARY KEY (contact_id, token)
);
CREATE INDEX contact_name_tokens_token_idx ON contact_name_tokens (org_id, token);

-- Merged contacts: the merged one stays as a row (its journal entries point at it), hidden from
-- lists and marked with the survivor; the merge and what it moved are kept for 30 days' undo.
ALTER TABLE contacts ADD COLUMN merged_into uuid REFERENCES contacts (id);
CREATE INDEX contacts_org_created_idx ON contacts (org_id, created_at DESC, id) WHERE merged_into IS NULL;
CREATE INDEX contacts_merged_into_idx ON contacts (org_id, merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE contact_merges (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  survivor_id uuid NOT NULL REFERENCES contacts (id),
  merged_id uuid NOT NULL REFERENCES contacts (id),
  -- The survivor's sealed fields before the merge filled its gaps, restored on undo.
  survivor_before jsonb NOT NULL,
  merged_by uuid REFERENCES users (id),
  merged_at timestamptz NOT NULL,
  undo_until timestamptz NOT NULL,
  undone_at timestamptz,
  undone_by uuid REFERENCES users (id),
  CHECK (survivor_id <> merged_id)
);
CREATE INDEX contact_merges_survivor_idx ON contact_merges (org_id, survivor_id);
CREATE INDEX contact_merges_merged_idx ON contact_merges (org_id, merged_id);

-- Each row a merge moved from the merged contact to the survivor, moved back on undo.
CREATE TABLE contact_merge_moves (
  merge_id uuid NOT NULL REFERENCES contact_merges (id),
  org_id uuid NOT NULL REFERENCES organizations (id),
  table_name text NOT NULL,
  row_id text NOT NULL,
  PRIMARY KEY (merge_id, table_name, row_id)
);

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY[
    'pipeline_stages', 'lead_stage_events', 'contact_notes', 'contact_name_tokens',
    'contact_merges', 'contact_merge_moves'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())',
      tenant_table || '_scope', tenant_table);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON pipeline_stages, contact_merges TO soglasie_app;
GRANT SELECT, INSERT ON lead_stage_events, contact_merge_moves TO soglasie_app;
GRANT SELECT, INSERT, DELETE ON contact_notes, contact_name_tokens TO soglasie_app;
-- An undone merge recomputes the consent-state projection of both contacts from the journal.
GRANT DELETE ON consent_states TO soglasie_app;
