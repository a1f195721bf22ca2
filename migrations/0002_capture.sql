-- Consent-first lead capture: operator profile, purpose registry, consent documents, forms,
-- keys for encrypted contacts, contacts, leads, submissions, and the consent journal.

-- System actors (CLI, scheduler, first-run setup) are named in the logs.
ALTER TABLE audit_log ADD COLUMN actor_label text;
ALTER TABLE access_log ADD COLUMN actor_label text;

CREATE FUNCTION public_org_id(p_slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id FROM organizations WHERE slug = p_slug $$;
REVOKE ALL ON FUNCTION public_org_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_org_id(text) TO soglasie_app;

-- The operator of personal data: what every consent text and the policy name (152-FZ Art. 9 p.4).
CREATE TABLE operator_profiles (
  org_id uuid PRIMARY KEY REFERENCES organizations (id),
  legal_name text NOT NULL,
  address text NOT NULL,
  inn text,
  ogrn text,
  responsible_name text NOT NULL,
  responsible_contacts text NOT NULL,
  processors jsonb NOT NULL DEFAULT '[]'::jsonb,
  rkn_register_number text,
  policy_url text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Purposes and their immutable versions: a past consent keeps pointing at what it referred to.
CREATE TABLE purposes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  kind text NOT NULL CHECK (kind IN ('processing', 'advertising', 'transfer', 'distribution')),
  current_version integer NOT NULL DEFAULT 1,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, code)
);

CREATE TABLE purpose_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  version integer NOT NULL,
  title text NOT NULL,
  legal_basis text NOT NULL
    CHECK (legal_basis IN ('consent', 'contract', 'legal_obligation', 'medical_care', 'vital_interests', 'legitimate_interests')),
  data_categories jsonb NOT NULL,
  subject_categories jsonb NOT NULL,
  actions jsonb NOT NULL,
  methods text NOT NULL,
  channels jsonb NOT NULL,
  recipients jsonb NOT NULL DEFAULT '[]'::jsonb,
  retention_days integer NOT NULL CHECK (retention_days > 0),
  written_consent_required boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (purpose_id, version)
);
CREATE TRIGGER purpose_versions_append_only
  BEFORE UPDATE OR DELETE ON purpose_versions FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Consent documents (R-C2): one per purpose version, exact rendered text and its SHA-256.
CREATE TABLE consent_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  purpose_version_id uuid NOT NULL REFERENCES purpose_versions (id),
  version integer NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  body_sha256 text NOT NULL CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
  template_version text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (purpose_id, version)
);
CREATE TRIGGER consent_documents_append_only
  BEFORE UPDATE OR DELETE ON consent_documents FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE FUNCTION public_document_org_id(p_document_id uuid) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT org_id FROM consent_documents WHERE id = p_document_id $$;
REVOKE ALL ON FUNCTION public_document_org_id(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_document_org_id(uuid) TO soglasie_app;

-- Forms: a definition (fields, purposes asked, redirect) published at /f/<slug>.
CREATE TABLE forms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  title text NOT NULL,
  definition jsonb NOT NULL,
  status text NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'archived')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION public_form_org_id(p_slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT org_id FROM forms WHERE slug = p_slug AND status = 'published' $$;
REVOKE ALL ON FUNCTION public_form_org_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_form_org_id(text) TO soglasie_app;

-- Keys. The org key is wrapped by the master key; each subject's key by the org key.
-- Destroying a subject key makes every copy of that subject's data unreadable (R-D5).
CREATE TABLE org_keys (
  org_id uuid PRIMARY KEY REFERENCES organizations (id),
  wrapped_key bytea NOT NULL,
  signing_public_key bytea NOT NULL,
  signing_private_enc bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subject_keys (
  subject_id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  wrapped_key bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  destroyed_at timestamptz
);

-- Contacts: personal data encrypted under the subject key; found by keyed blind indexes.
CREATE TABLE contacts (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  name_enc bytea,
  phone_enc bytea,
  email_enc bytea,
  phone_index text,
  email_index text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_phone_idx ON contacts (org_id, phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX contacts_email_idx ON contacts (org_id, email_index) WHERE email_index IS NOT NULL;

-- Submissions: each accepted form post, idempotent per key.
CREATE TABLE submissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  form_id uuid NOT NULL REFERENCES forms (id),
  form_version integer NOT NULL,
  idempotency_key text NOT NULL,
  contact_id uuid NOT NULL REFERENCES contacts (id),
  fields_enc bytea,
  attribution jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, form_id, idempotency_key)
);

CREATE TABLE leads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  submission_id uuid REFERENCES submissions (id),
  form_id uuid REFERENCES forms (id),
  status text NOT NULL DEFAULT 'new',
  source text NOT NULL,
  attribution jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_org_created_idx ON leads (org_id, created_at DESC);

-- The consent journal (R-C3): append-only. Each entry stores the hash of its own content;
-- the chain (below) links those hashes in order without a lock in the submission path.
CREATE TABLE consent_journal (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  org_id uuid NOT NULL REFERENCES organizations (id),
  event text NOT NULL CHECK (event IN ('given', 'withdrawn', 'expired', 'renewed')),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  purpose_id uuid NOT NULL REFERENCES purposes (id),
  purpose_version_id uuid NOT NULL REFERENCES purpose_versions (id),
  document_id uuid REFERENCES consent_documents (id),
  document_sha256 text,
  channel text NOT NULL CHECK (channel IN ('web_form', 'phone', 'paper', 'staff')),
  evidence_enc bytea,
  form_id uuid REFERENCES forms (id),
  submission_id uuid REFERENCES submissions (id),
  actor_user_id uuid REFERENCES users (id),
  expires_at timestamptz,
  at timestamptz NOT NULL,
  content_sha256 text NOT NULL
);
CREATE INDEX consent_journal_org_seq_idx ON consent_journal (org_id, seq);
CREATE INDEX consent_journal_contact_idx ON consent_journal (org_id, contact_id);
CREATE TRIGGER consent_journal_append_only
  BEFORE UPDATE OR DELETE ON consent_journal FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The hash chain, filled after commit in journal order by one chainer per organization.
CREATE TABLE consent_chain (
  org_id uuid NOT NULL REFERENCES organizations (id),
  position bigint NOT NULL,
  entry_id uuid NOT NULL UNIQUE REFERENCES consent_journal (id),
  prev_hash text NOT NULL,
  link_hash text NOT NULL,
  PRIMARY KEY (org_id, position)
);
CREATE TRIGGER consent_chain_append_only
  BEFORE UPDATE OR DELETE ON consent_chain FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Signed checkpoints of the chain head (Ed25519 with the organization's signing key).
CREATE TABLE consent_checkpoints (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  position bigint NOT NULL,
  link_hash text NOT NULL,
  signed_at timestamptz NOT NULL,
  signature bytea NOT NULL
);
CREATE TRIGGER consent_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON consent_checkpoints FOR EACH ROW EXECUTE FUNCTION refuse_change();

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY[
    'operator_profiles', 'purposes', 'purpose_versions', 'consent_documents', 'forms',
    'org_keys', 'subject_keys', 'contacts', 'submissions', 'leads', 'consent_journal',
    'consent_chain', 'consent_checkpoints'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())',
      tenant_table || '_scope', tenant_table);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON operator_profiles, purposes, forms, contacts, leads TO soglasie_app;
GRANT SELECT, INSERT ON purpose_versions, consent_documents, org_keys, submissions,
  consent_journal, consent_chain, consent_checkpoints TO soglasie_app;
GRANT SELECT, INSERT, UPDATE ON subject_keys TO soglasie_app;
