-- Advertising spend and the organization's own channel rules (end-to-end analytics).
--
-- Spend is money only, per channel / campaign / keyword and period: no person's data. Money is
-- RUB in integer kopecks; `vat` says whether the amount includes VAT, excludes it, or the source
-- did not say (the cabinet's export names it in the cost column; manual entries choose).

-- One import of an ad cabinet's export (the rows stay in spend_entries with its id).
CREATE TABLE spend_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  format text NOT NULL CHECK (format IN ('yandex_direct', 'vk_ads', 'google_ads', 'generic')),
  channel text NOT NULL CHECK (channel ~ '^[a-z0-9][a-z0-9_]{0,63}$'),
  file_name text CHECK (length(file_name) <= 255),
  rows_total integer NOT NULL CHECK (rows_total >= 0),
  rows_imported integer NOT NULL CHECK (rows_imported >= 0),
  rows_failed integer NOT NULL CHECK (rows_failed >= 0),
  amount_kopecks bigint NOT NULL CHECK (amount_kopecks >= 0),
  period_start date,
  period_end date,
  vat text NOT NULL CHECK (vat IN ('included', 'excluded', 'not_stated')),
  created_by uuid REFERENCES users (id),
  created_by_token uuid,
  created_at timestamptz NOT NULL
);
CREATE INDEX spend_imports_org_created_idx ON spend_imports (org_id, created_at DESC);

-- A spend line: a day of a campaign/keyword from a cabinet, or a manual entry for a period
-- (TV, outdoor, print, radio …). Reports spread a period's amount evenly over its days, whole
-- kopecks, the remainder to the first days, so every split adds up to the amount.
CREATE TABLE spend_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  origin text NOT NULL CHECK (origin IN ('import', 'manual')),
  import_id uuid REFERENCES spend_imports (id),
  channel text NOT NULL CHECK (channel ~ '^[a-z0-9][a-z0-9_]{0,63}$'),
  source text NOT NULL DEFAULT '' CHECK (length(source) <= 200),
  campaign text NOT NULL DEFAULT '' CHECK (length(campaign) <= 200),
  keyword text NOT NULL DEFAULT '' CHECK (length(keyword) <= 200),
  period_start date NOT NULL,
  period_end date NOT NULL,
  amount_kopecks bigint NOT NULL CHECK (amount_kopecks >= 0),
  vat text NOT NULL CHECK (vat IN ('included', 'excluded', 'not_stated')),
  -- Offline and brand spend no attribution model can credit (the directors' check).
  is_unattributable boolean NOT NULL DEFAULT false,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (period_end >= period_start),
  CHECK (period_end - period_start <= 366),
  CHECK ((origin = 'import') = (import_id IS NOT NULL))
);
CREATE INDEX spend_entries_org_period_idx ON spend_entries (org_id, period_start, period_end);
-- Importing the same day of the same campaign and keyword again replaces it.
CREATE UNIQUE INDEX spend_entries_import_key
  ON spend_entries (org_id, channel, period_start, campaign, keyword)
  WHERE origin = 'import';

ALTER TABLE spend_imports ENABLE ROW LEVEL SECURITY;
CREATE POLICY spend_imports_scope ON spend_imports
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE spend_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY spend_entries_scope ON spend_entries
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
GRANT SELECT, INSERT ON spend_imports TO soglasie_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON spend_entries TO soglasie_app;

-- The organization's own channel rules, in front of the defaults (src/analytics/channels).
-- One ordered list per organization, replaced as a whole; `version` counts the changes, and
-- history classified under an older version is re-classified (see reclassify in the service).
CREATE TABLE channel_rule_sets (
  org_id uuid PRIMARY KEY REFERENCES organizations (id),
  rules jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'array'),
  version integer NOT NULL CHECK (version >= 1),
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL
);
ALTER TABLE channel_rule_sets ENABLE ROW LEVEL SECURITY;
CREATE POLICY channel_rule_sets_scope ON channel_rule_sets
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
GRANT SELECT, INSERT, UPDATE ON channel_rule_sets TO soglasie_app;
