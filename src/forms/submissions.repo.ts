import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';

export async function insertSubmission(
  tx: Tx,
  submission: {
    id: string;
    orgId: string;
    formId: string;
    formVersion: number;
    idempotencyKey: string;
    contactId: string;
    fieldsEnc: Uint8Array | null;
    attribution: Record<string, string>;
    at: Date;
  },
): Promise<void> {
  tx.defer(sql`
    INSERT INTO submissions (id, org_id, form_id, form_version, idempotency_key, contact_id,
      fields_enc, attribution, created_at)
    VALUES (${submission.id}, ${submission.orgId}, ${submission.formId}, ${submission.formVersion},
      ${submission.idempotencyKey}, ${submission.contactId}, ${submission.fieldsEnc},
      ${JSON.stringify(submission.attribution)}::jsonb, ${submission.at})`);
}

export async function findSubmissionByKey(
  tx: Tx,
  formId: string,
  idempotencyKey: string,
): Promise<{ id: string } | null> {
  const rows = await tx.query<{ id: string }>(sql`
    SELECT id FROM submissions WHERE form_id = ${formId} AND idempotency_key = ${idempotencyKey}`);
  return rows[0] ?? null;
}
