-- Consent receipts (signed, one per accepted submission) and the outgoing mail queue.

CREATE TABLE consent_receipts (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  submission_id uuid REFERENCES submissions (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  jws text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_receipts_contact_idx ON consent_receipts (org_id, contact_id);
CREATE TRIGGER consent_receipts_append_only
  BEFORE UPDATE OR DELETE ON consent_receipts FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE FUNCTION public_receipt_org_id(p_receipt_id uuid) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT org_id FROM consent_receipts WHERE id = p_receipt_id $$;
REVOKE ALL ON FUNCTION public_receipt_org_id(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_receipt_org_id(uuid) TO soglasie_app;

-- Mail is queued in the transaction of the act and sent after commit; recipient and body are
-- personal data, sealed under the subject's key.
CREATE TABLE mail_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  kind text NOT NULL,
  contact_id uuid NOT NULL REFERENCES contacts (id),
  recipient_enc bytea NOT NULL,
  subject text NOT NULL,
  body_enc bytea NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'dropped')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_outbox_pending_idx ON mail_outbox (org_id, next_attempt_at) WHERE status = 'pending';

-- Pending mail across organizations, for the sender job (ids only).
CREATE FUNCTION pending_mail_orgs(p_now timestamptz) RETURNS TABLE (org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT DISTINCT org_id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= p_now $$;
REVOKE ALL ON FUNCTION pending_mail_orgs(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pending_mail_orgs(timestamptz) TO soglasie_app;

ALTER TABLE consent_receipts ENABLE ROW LEVEL SECURITY;
CREATE POLICY consent_receipts_scope ON consent_receipts
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
ALTER TABLE mail_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY mail_outbox_scope ON mail_outbox
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT ON consent_receipts TO soglasie_app;
GRANT SELECT, INSERT, UPDATE ON mail_outbox TO soglasie_app;
