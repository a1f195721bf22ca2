import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';
import type { JournalContent } from './journal-hash.ts';

export type JournalInsert = JournalContent & {
  evidenceEnc: Uint8Array | null;
  contentSha256: string;
};

export async function insertJournalEntries(
  tx: Tx,
  entries: readonly JournalInsert[],
): Promise<void> {
  for (const entry of entries) {
    await tx.execute(sql`
      INSERT INTO consent_journal (id, org_id, event, contact_id, purpose_id, purpose_version_id,
        document_id, document_sha256, channel, evidence_enc, form_id, submission_id, actor_user_id,
        expires_at, at, content_sha256)
      VALUES (${entry.id}, ${entry.orgId}, ${entry.event}, ${entry.contactId}, ${entry.purposeId},
        ${entry.purposeVersionId}, ${entry.documentId}, ${entry.documentSha256}, ${entry.channel},
        ${entry.evidenceEnc}, ${entry.formId}, ${entry.submissionId}, ${entry.actorUserId},
        ${entry.expiresAt}, ${entry.at}, ${entry.contentSha256})`);
  }
}
