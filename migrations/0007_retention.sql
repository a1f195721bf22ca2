-- Retention and destruction (152-FZ Art. 21 p.4–7; RKN Order No. 179): destruction tasks,
-- per-purpose "purpose achieved" triggers, legal holds, retention runs and destruction acts.
-- contact_id columns carry no foreign key on purpose: these rows must outlive the contact they
-- name (the act of its destruction is kept three years after the contact is gone).

-- One destruction act and its event-log extract per executed run (R-D6). The act's content,
-- which names the destroyed subjects, is sealed under the organization key, not the subjects'
-- keys: it must stay readable after the subjects are shredded. Purged after three years.
CREATE TABLE destruction_acts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  number integer NOT NULL,
  run_id uuid NOT NULL,
  destroyed_at timestamptz NOT NULL,
  subjects_count integer NOT NULL,
  categories jsonb NOT NULL,
  reasons jsonb NOT NULL,
  content_enc bytea NOT NULL,
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  signature bytea NOT NULL,
  signing_public_key bytea NOT NULL,
  keep_until timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, number)
);
CREATE INDEX destruction_acts_keep_idx ON destruction_acts (org_id, keep_until);
CREATE TRIGGER destruction_acts_unchanged
  BEFORE UPDATE ON destruction_acts FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Each executed run, whether or not it destroyed anything.
CREATE TABLE retention_runs (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  started_at timestamptz NOT NULL,
  actor_label text,
  actor_user_id uuid REFERENCES users (id),
  destroyed_count integer NOT NULL DEFAULT 0,
  kept_count integer NOT NULL DEFAULT 0,
  held_count integer NOT NULL DEFAULT 0,
  acts_purged integer NOT NULL DEFAULT 0,
  act_id uuid REFERENCES destruction_acts (id) ON DELETE SET NULL
);
CREATE INDEX retention_runs_org_idx ON retention_runs (org_id, started_at DESC);

-- Destruction due for one subject (R-D3, R-D4). Carried out by the run on or after due_at,
-- only when no other basis remains and no legal hold applies.
CREATE TABLE destruction_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL,
  purpose_id uuid REFERENCES purposes (id),
  reason text NOT NULL
    CHECK (reason IN ('consent_withdrawn', 'purpose_achieved', 'term_ended', 'request', 'unlawful')),
  source_ref text,
  received_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'done', 'kept_other_basis', 'held', 'cancelled')),
  outcome jsonb NOT NULL DEFAULT '{}'::jsonb,
  run_id uuid REFERENCES retention_runs (id),
  act_id uuid REFERENCES destruction_acts (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  decided_at timestamptz
);
CREATE INDEX destruction_tasks_due_idx ON destruction_tasks (org_id, due_at) WHERE status = 'pending';
CREATE INDEX destruction_tasks_contact_idx ON destruction_tasks (org_id, contact_id);
CREATE INDEX destruction_tasks_org_created_idx ON destruction_tasks (org_id, created_at DESC);

-- "Purpose achieved" triggers per purpose (R-D3); the kinds are defined in code.
CREATE TABLE retention_triggers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{1,39}$'),
  days integer CHECK (days IS NULL OR days > 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (purpose_id, kind)
);

-- Legal holds: a held subject (or, with no contact, every subject) is never destroyed.
CREATE TABLE legal_holds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid,
  reason text NOT NULL,
  until_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  released_at timestamptz,
  released_by uuid REFERENCES users (id),
  release_reason text
);
CREATE INDEX legal_holds_org_idx ON legal_holds (org_id, contact_id) WHERE released_at IS NULL;

-- Processing of a subject on a basis other than consent (a contract, medical care, a legal
-- duty): the purpose's term runs from the last activity, and while it runs the subject is kept
-- even after a consent is withdrawn (R-D4: data held under a contract basis remains).
CREATE TABLE processing_bases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL,
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  reference text,
  started_at timestamptz NOT NULL,
  last_activity_at timestamptz NOT NULL,
  ended_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX processing_bases_contact_idx ON processing_bases (org_id, contact_id);

-- The daily job works through every organization; the application role sees one at a time.
CREATE FUNCTION retention_org_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id FROM organizations ORDER BY id $$;
REVOKE ALL ON FUNCTION retention_org_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention_org_ids() TO soglasie_app;

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY[
    'destruction_acts', 'retention_runs', 'destruction_tasks', 'retention_triggers', 'legal_holds',
    'processing_bases'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())',
      tenant_table || '_scope', tenant_table);
  END LOOP;
END
$$;

-- Acts are never changed; they are deleted only when their three years are over (R-D6).
GRANT SELECT, INSERT, DELETE ON destruction_acts TO soglasie_app;
GRANT SELECT, INSERT, UPDATE ON retention_runs, destruction_tasks, legal_holds TO soglasie_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON retention_triggers, processing_bases TO soglasie_app;
