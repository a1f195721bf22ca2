-- The site checker's history: each check of a page of the operator's site, so the operator can
-- show when the site was checked and what was found (evidence for the annual audit). The page
-- itself is not kept. Findings hold codes and evidence (service names, form ids and targets,
-- counts), never a visitor's data; the texts come from the catalogue in the code.
CREATE TABLE site_checks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  source text NOT NULL CHECK (source IN ('url', 'html')),
  url text CHECK (length(url) <= 2048),
  final_url text CHECK (length(final_url) <= 8192),
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  is_clinic boolean NOT NULL,
  is_full_page boolean NOT NULL,
  html_bytes integer NOT NULL CHECK (html_bytes >= 0),
  high_count integer NOT NULL CHECK (high_count >= 0),
  medium_count integer NOT NULL CHECK (medium_count >= 0),
  low_count integer NOT NULL CHECK (low_count >= 0),
  -- [{ "code": "foreign_tracker", "evidence": ["Google Analytics"] }, …]
  findings jsonb NOT NULL,
  checked_by uuid REFERENCES users (id),
  checked_by_token uuid,
  created_at timestamptz NOT NULL,
  CHECK ((source = 'url') = (url IS NOT NULL))
);
CREATE INDEX site_checks_org_created_idx ON site_checks (org_id, created_at DESC);

-- A check is a fact: never changed or removed.
CREATE TRIGGER site_checks_append_only
  BEFORE UPDATE OR DELETE ON site_checks FOR EACH ROW EXECUTE FUNCTION refuse_change();

ALTER TABLE site_checks ENABLE ROW LEVEL SECURITY;
CREATE POLICY site_checks_scope ON site_checks
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT ON site_checks TO soglasie_app;
