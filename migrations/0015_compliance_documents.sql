-- Compliance documents generated from the purpose registry and the operator profile (R-L4, R-L5,
-- R-G4), the annual audit checklist with its evidence (R-L5), and staff acknowledgements of the
-- internal regulation (R-L5).

-- One version of one generated document. Immutable: a change to the registry or the profile makes
-- a new version; the old one stays served at its address with its hash.
CREATE TABLE compliance_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  kind text NOT NULL CHECK (kind IN ('policy', 'responsible_order', 'internal_regulation',
    'harm_assessment', 'processing_record', 'processing_record_en')),
  version integer NOT NULL CHECK (version > 0),
  title text NOT NULL,
  -- The structured content the HTML and PDF are rendered from, and its canonical text form whose
  -- SHA-256 is the document's hash.
  content jsonb NOT NULL,
  body text NOT NULL,
  body_sha256 text NOT NULL CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
  -- What it was generated from: purpose version ids and the profile's update time.
  sources jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  UNIQUE (org_id, kind, version)
);
CREATE TRIGGER compliance_documents_append_only
  BEFORE UPDATE OR DELETE ON compliance_documents FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Per-organization compliance settings. Acknowledgement before access is off by default.
CREATE TABLE compliance_settings (
  org_id uuid PRIMARY KEY REFERENCES organizations (id),
  is_acknowledgement_required boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL
);

-- Who acknowledged which version of the internal regulation or policy, and when.
CREATE TABLE staff_acknowledgements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  document_id uuid NOT NULL REFERENCES compliance_documents (id),
  document_sha256 text NOT NULL,
  acknowledged_at timestamptz NOT NULL,
  UNIQUE (document_id, user_id)
);
CREATE TRIGGER staff_acknowledgements_append_only
  BEFORE UPDATE OR DELETE ON staff_acknowledgements FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The audit checklist of one organization for one year.
CREATE TABLE audit_checklists (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  completed_at timestamptz,
  completed_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  UNIQUE (org_id, year)
);

CREATE TABLE audit_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  checklist_id uuid NOT NULL REFERENCES audit_checklists (id),
  code text NOT NULL,
  -- The last automatic check: its outcome and when it ran.
  check_status text CHECK (check_status IN ('passed', 'failed', 'not_available')),
  check_summary text,
  check_details jsonb,
  checked_at timestamptz,
  closed_at timestamptz,
  closed_by uuid REFERENCES users (id),
  note text,
  UNIQUE (checklist_id, code)
);

-- Evidence attached to an item: an uploaded file (stored here, with its hash), a generated
-- document version, or an automatic check result. Append-only: evidence is never rewritten.
CREATE TABLE audit_evidence (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  item_id uuid NOT NULL REFERENCES audit_items (id),
  kind text NOT NULL CHECK (kind IN ('file', 'document', 'check')),
  file_name text,
  content_type text,
  size_bytes integer CHECK (size_bytes >= 0),
  content bytea,
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  document_id uuid REFERENCES compliance_documents (id),
  check_status text,
  check_summary text,
  note text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  CHECK ((kind = 'file') = (content IS NOT NULL AND sha256 IS NOT NULL AND file_name IS NOT NULL)),
  CHECK ((kind = 'document') = (document_id IS NOT NULL)),
  CHECK ((kind = 'check') = (check_status IS NOT NULL))
);
CREATE INDEX audit_evidence_item_idx ON audit_evidence (org_id, item_id, seq);
CREATE TRIGGER audit_evidence_append_only
  BEFORE UPDATE OR DELETE ON audit_evidence FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Organizations whose last completed audit is older than a year, for the yearly reminder (ids only).
CREATE FUNCTION audit_reminder_orgs(p_before timestamptz) RETURNS TABLE (org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT org_id FROM audit_checklists WHERE completed_at IS NOT NULL
        GROUP BY org_id HAVING max(completed_at) <= p_before $$;
REVOKE ALL ON FUNCTION audit_reminder_orgs(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_reminder_orgs(timestamptz) TO soglasie_app;

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY[
    'compliance_documents', 'compliance_settings', 'staff_acknowledgements', 'audit_checklists',
    'audit_items', 'audit_evidence'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())',
      tenant_table || '_scope', tenant_table);
  END LOOP;
END
$$;

GRANT SELECT, INSERT ON compliance_documents, staff_acknowledgements, audit_evidence TO soglasie_app;
GRANT SELECT, INSERT, UPDATE ON compliance_settings, audit_checklists, audit_items TO soglasie_app;
