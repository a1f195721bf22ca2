import { createHash } from 'node:crypto';

/** What an entry's content hash covers; evidence is covered through its ciphertext's hash. */
export type JournalContent = {
  id: string;
  orgId: string;
  event: 'given' | 'withdrawn' | 'expired' | 'renewed';
  contactId: string;
  purposeId: string;
  purposeVersionId: string;
  documentId: string | null;
  documentSha256: string | null;
  channel: 'web_form' | 'phone' | 'paper' | 'staff';
  evidenceSha256: string | null;
  formId: string | null;
  submissionId: string | null;
  actorUserId: string | null;
  expiresAt: string | null;
  at: string;
};

/**
 * SHA-256 over a canonical JSON of the entry (fixed key order, ISO times). Shredding the
 * subject's key leaves the ciphertext, so the hash and the chain stay verifiable (R-C3, R-D5).
 */
export function contentHash(content: JournalContent): string {
  const ordered = [
    content.id,
    content.orgId,
    content.event,
    content.contactId,
    content.purposeId,
    content.purposeVersionId,
    content.documentId,
    content.documentSha256,
    content.channel,
    content.evidenceSha256,
    content.formId,
    content.submissionId,
    content.actorUserId,
    content.expiresAt,
    content.at,
  ];
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}

export function sha256Bytes(bytes: Uint8Array | null): string | null {
  return bytes ? createHash('sha256').update(bytes).digest('hex') : null;
}
