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
  channel: 'web_form' | 'phone' | 'paper' | 'staff' | 'portal' | 'email';
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

/** The `prev_hash` of the first link in every organization's chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One link of the chain: SHA-256 over the previous link, the entry's content hash and the
 * entry's id, as hex text concatenated (fixed lengths, so the concatenation is unambiguous).
 * Changing, removing or reordering any chained entry changes every later link.
 */
export function linkHash(prevHash: string, contentSha256: string, entryId: string): string {
  return createHash('sha256').update(`${prevHash}${contentSha256}${entryId}`).digest('hex');
}

export type CheckpointFacts = {
  orgId: string;
  position: number;
  linkHash: string;
  /** ISO 8601 with milliseconds, UTC: `2026-03-02T09:00:00.000Z`. */
  signedAt: string;
};

/**
 * The exact bytes a checkpoint signature covers (UTF-8). Kept as plain lines so that anyone
 * holding the organization's public key can rebuild and check it without this code.
 */
export function checkpointMessage(facts: CheckpointFacts): string {
  return [
    'soglasie-consent-checkpoint/v1',
    `org_id=${facts.orgId}`,
    `position=${facts.position}`,
    `link_hash=${facts.linkHash}`,
    `signed_at=${facts.signedAt}`,
  ].join('\n');
}
