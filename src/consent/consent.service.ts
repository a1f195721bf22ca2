import { randomUUID } from 'node:crypto';
import { sealField } from '../keys/keys.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { insertJournalEntries } from './consent.repo.ts';
import { contentHash, sha256Bytes } from './journal-hash.ts';

/** How the consent was obtained and what proves it; stored encrypted under the subject's key. */
export type ConsentEvidence = {
  ip?: string | undefined;
  userAgent?: string | undefined;
  pageUrl?: string | undefined;
  /** Phone consent: the call recording's reference and the script version read out. */
  recordingRef?: string | undefined;
  scriptVersion?: string | undefined;
  /** Paper consent: the scan's reference. */
  scanRef?: string | undefined;
  note?: string | undefined;
};

export type ConsentEventInput = {
  event: 'given' | 'withdrawn' | 'expired' | 'renewed';
  contactId: string;
  purposeId: string;
  purposeVersionId: string;
  documentId: string | null;
  documentSha256: string | null;
  channel: 'web_form' | 'phone' | 'paper' | 'staff';
  evidence: ConsentEvidence;
  formId?: string | null;
  submissionId?: string | null;
  expiresAt?: Date | null;
};

/**
 * Appends consent events to the journal inside the caller's transaction, so a consent and
 * the act it belongs to commit together (R-C3). Entries carry their own content hash; the
 * chain linking them is built after commit (see the chainer), which keeps concurrent
 * submissions from queueing behind one lock.
 */
export async function recordConsentEvents(
  tx: Tx,
  ctx: Ctx,
  subjectKey: Buffer,
  events: readonly ConsentEventInput[],
): Promise<string[]> {
  const entries = events.map((event) => {
    const id = randomUUID();
    const evidenceEnc = sealField(
      subjectKey,
      JSON.stringify(event.evidence),
      `consent_journal:${id}:evidence`,
    );
    const content = {
      id,
      orgId: ctx.orgId,
      event: event.event,
      contactId: event.contactId,
      purposeId: event.purposeId,
      purposeVersionId: event.purposeVersionId,
      documentId: event.documentId,
      documentSha256: event.documentSha256,
      channel: event.channel,
      evidenceSha256: sha256Bytes(evidenceEnc),
      formId: event.formId ?? null,
      submissionId: event.submissionId ?? null,
      actorUserId: actorUserId(ctx.actor),
      expiresAt: event.expiresAt?.toISOString() ?? null,
      at: ctx.now.toISOString(),
    };
    return { ...content, evidenceEnc, contentSha256: contentHash(content) };
  });
  await insertJournalEntries(tx, entries);
  return entries.map((entry) => entry.id);
}
