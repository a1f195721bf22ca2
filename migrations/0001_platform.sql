-- Platform: the application role, organizations, accounts, sessions, API tokens,
-- audit log and access log. Row-level security on every tenant table.

-- The non-owner role requests run as (roles are cluster-wide on a server, so create it once).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'soglasie_app') THEN
    CREATE ROLE soglasie_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

-- The migrating user must be able to SET ROLE to it (a superuser always can).
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT soglasie_app TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO soglasie_app;

CREATE FUNCTION app_current_org() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$;

CREATE FUNCTION app_current_user() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

-- Append-only tables refuse changes whatever the role.
CREATE FUNCTION refuse_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Organizations: each one an operator of personal data.
CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  locale text NOT NULL DEFAULT 'ru' CHECK (locale IN ('ru', 'en')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Staff accounts. Global: one person may work for several organizations.
-- Email and name are personal data: encrypted, found by a keyed blind index.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email_index text NOT NULL UNIQUE,
  email_enc bytea NOT NULL,
  name_enc bytea NOT NULL,
  password_hash text NOT NULL,
  locale text NOT NULL DEFAULT 'ru' CHECK (locale IN ('ru', 'en')),
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  org_id uuid NOT NULL REFERENCES organizations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL
    CHECK (role IN ('owner', 'admin', 'front_desk', 'marketer', 'privacy_officer', 'auditor')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- Sessions store only the SHA-256 of the cookie's secret.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  current_org_id uuid REFERENCES organizations (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed and successful logins, for throttling. No email or IP in clear: keyed hashes.
CREATE TABLE login_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email_index text NOT NULL,
  ip_index text NOT NULL,
  succeeded boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email_index, at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip_index, at);

-- API tokens for integrations: one organization, one role, stored as SHA-256.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash text NOT NULL UNIQUE,
  role text NOT NULL
    CHECK (role IN ('owner', 'admin', 'front_desk', 'marketer', 'privacy_officer', 'auditor')),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_org_idx ON api_tokens (org_id);

-- Audit log: every change, who, what, when. Ids and codes only, no personal data.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid REFERENCES users (id),
  actor_token_id uuid REFERENCES api_tokens (id),
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id text
);
CREATE INDEX audit_log_org_at_idx ON audit_log (org_id, at DESC, id DESC);
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Access log: every read of personal data, which record, which fields, why (152-FZ Art. 19, R-L6).
CREATE TABLE access_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid REFERENCES users (id),
  actor_token_id uuid REFERENCES api_tokens (id),
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  fields text[] NOT NULL,
  reason text NOT NULL,
  route text,
  request_id text
);
CREATE INDEX access_log_org_at_idx ON access_log (org_id, at DESC, id DESC);
CREATE INDEX access_log_subject_idx ON access_log (org_id, subject_type, subject_id);
CREATE TRIGGER access_log_append_only
  BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Row-level security. A new organization is created inside its own scope.
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY organizations_scope ON organizations
  USING (id = app_current_org()
         OR id IN (SELECT org_id FROM memberships WHERE user_id = app_current_user()))
  WITH CHECK (id = app_current_org());

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
-- A user sees their own memberships in every organization (the organization switcher).
CREATE POLICY memberships_scope ON memberships
  USING (org_id = app_current_org() OR user_id = app_current_user())
  WITH CHECK (org_id = app_current_org());

ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY api_tokens_scope ON api_tokens
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_scope ON audit_log
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

ALTER TABLE access_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY access_log_scope ON access_log
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

-- Bearer authentication must find a token before it knows the organization:
-- a narrow definer function answers for one hash and nothing else.
CREATE FUNCTION find_api_token(p_token_hash text, p_now timestamptz)
  RETURNS TABLE (id uuid, org_id uuid, role text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT t.id, t.org_id, t.role FROM api_tokens t
    WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL
      AND (t.expires_at IS NULL OR t.expires_at > p_now)
  $$;
REVOKE ALL ON FUNCTION find_api_token(text, timestamptz) FROM PUBLIC;

GRANT SELECT, INSERT, UPDATE ON organizations, users, memberships, api_tokens TO soglasie_app;
GRANT DELETE ON memberships TO soglasie_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, login_attempts TO soglasie_app;
GRANT SELECT, INSERT ON audit_log, access_log TO soglasie_app;
GRANT EXECUTE ON FUNCTION find_api_token(text, timestamptz), app_current_org(), app_current_user() TO soglasie_app;
