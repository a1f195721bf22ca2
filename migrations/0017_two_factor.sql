-- Two-factor sign-in for staff accounts: a TOTP secret (RFC 6238), sealed like the account's
-- email and name, one-time recovery codes stored as hashes, and the short-lived challenge a
-- password sign-in leaves when the account has a second factor.
ALTER TABLE users ADD COLUMN totp_secret_enc bytea;
-- A secret being set up: it becomes the secret once a code from it is confirmed.
ALTER TABLE users ADD COLUMN totp_pending_enc bytea;
ALTER TABLE users ADD COLUMN totp_enabled_at timestamptz;
-- The last time step accepted: a code is good once (no replay within its 30-second window).
ALTER TABLE users ADD COLUMN totp_last_step bigint;
ALTER TABLE users ADD CONSTRAINT users_totp_enabled_check
  CHECK ((totp_enabled_at IS NULL) = (totp_secret_enc IS NULL));

CREATE TABLE user_recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, code_hash)
);

-- A password sign-in that still needs the second factor; only the SHA-256 of its token.
CREATE TABLE login_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_challenges_expiry_idx ON login_challenges (expires_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON user_recovery_codes, login_challenges TO soglasie_app;
