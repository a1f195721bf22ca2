import { z } from 'zod';
import { pageOf, ZPageQuery, ZPeriodQuery, ZUuid } from '../platform/http/params.ts';

export const CONSENT_EVENTS = ['given', 'withdrawn', 'expired', 'renewed'] as const;
export const CONSENT_CHANNELS = ['web_form', 'phone', 'paper', 'staff', 'portal', 'email'] as const;

const ZPurposeCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'Latin lower case, digits and _');

export const ZJournalQuery = z.strictObject({
  ...ZPageQuery,
  ...ZPeriodQuery,
  contactId: ZUuid.optional(),
  purposeCode: ZPurposeCode.optional(),
  event: z.enum(CONSENT_EVENTS).optional(),
});
export type TJournalQuery = z.infer<typeof ZJournalQuery>;

/** How the consent was obtained; personal data, so shown only to roles that record consent. */
export const ZEvidence = z.object({
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  pageUrl: z.string().nullable(),
  recordingRef: z.string().nullable(),
  scriptVersion: z.string().nullable(),
  scanRef: z.string().nullable(),
  note: z.string().nullable(),
});
export type TEvidence = z.infer<typeof ZEvidence>;

export const ZJournalEntry = z.object({
  id: z.string(),
  /** Position in the organization's hash chain; null until the chainer links it. */
  position: z.number().int().nullable(),
  linkHash: z.string().nullable(),
  contentSha256: z.string(),
  event: z.enum(CONSENT_EVENTS),
  contactId: z.string(),
  purposeCode: z.string(),
  purposeVersion: z.number().int(),
  documentId: z.string().nullable(),
  documentVersion: z.number().int().nullable(),
  documentSha256: z.string().nullable(),
  documentUrl: z.string().nullable(),
  channel: z.enum(CONSENT_CHANNELS),
  formId: z.string().nullable(),
  submissionId: z.string().nullable(),
  /** The staff member who entered it (phone, paper, withdrawal by staff). */
  actorUserId: z.string().nullable(),
  at: z.string(),
  expiresAt: z.string().nullable(),
  /**
   * shown: decrypted for this role (the read is logged); hidden: the role may not read it;
   * shredded: the subject's key was destroyed; none: nothing was recorded.
   */
  evidenceState: z.enum(['shown', 'hidden', 'shredded', 'unreadable', 'none']),
  evidence: ZEvidence.nullable(),
});
export type TJournalEntry = z.infer<typeof ZJournalEntry>;
export const ZJournalPage = pageOf(ZJournalEntry);

export const ZJournalBreak = z.object({
  entryId: z.string().nullable(),
  position: z.number().int(),
  reason: z.string(),
  description: z.string(),
});

export const ZVerification = z.object({
  isIntact: z.boolean(),
  /** Chained entries walked. */
  entries: z.number().int(),
  /** Signed checkpoints checked. */
  checkpoints: z.number().int(),
  /** Entries committed after the chainer ran; they are chained by the next run. */
  unchained: z.number().int(),
  head: z.object({ position: z.number().int(), linkHash: z.string() }).nullable(),
  firstBroken: ZJournalBreak.nullable(),
  verifiedAt: z.string(),
});
export type TVerification = z.infer<typeof ZVerification>;

export const ZCheckpoint = z.object({
  id: z.number().int(),
  position: z.number().int(),
  linkHash: z.string(),
  signedAt: z.string(),
  /** Ed25519 signature of `signedMessage` (UTF-8), base64. */
  signature: z.string(),
  signedMessage: z.string(),
});
export type TCheckpoint = z.infer<typeof ZCheckpoint>;

export const ZPublicKey = z.object({
  algorithm: z.literal('Ed25519'),
  /** SubjectPublicKeyInfo, DER, base64. */
  spkiBase64: z.string(),
  pem: z.string(),
});

export const ZProof = z.object({
  entryId: z.string(),
  event: z.enum(CONSENT_EVENTS),
  channel: z.enum(CONSENT_CHANNELS),
  at: z.string(),
  purposeCode: z.string(),
  purposeVersion: z.number().int(),
  /** The fields the content hash covers, in order: sha256(JSON.stringify(values)). */
  content: z.object({
    fields: z.array(z.string()),
    values: z.array(z.string().nullable()),
    sha256: z.string(),
  }),
  document: z
    .object({
      id: z.string(),
      version: z.number().int(),
      title: z.string(),
      /** The exact text shown; its SHA-256 (UTF-8) is `sha256`. */
      text: z.string(),
      sha256: z.string(),
      url: z.string(),
      isIntact: z.boolean(),
    })
    .nullable(),
  chain: z.object({
    position: z.number().int(),
    prevHash: z.string(),
    linkHash: z.string(),
    formula: z.string(),
  }),
  /** The links from this entry to the checkpoint, to recompute one after another. */
  path: z.array(
    z.object({
      position: z.number().int(),
      entryId: z.string(),
      contentSha256: z.string(),
      linkHash: z.string(),
    }),
  ),
  checkpoint: ZCheckpoint,
  publicKey: ZPublicKey,
});
export type TProof = z.infer<typeof ZProof>;

export const ZEntryIdParams = z.strictObject({ entryId: z.uuid() });

export const ZExportQuery = z.strictObject({
  ...ZPeriodQuery,
  format: z.enum(['csv', 'html']).default('csv'),
});
export type TExportQuery = z.infer<typeof ZExportQuery>;

const ZNote = z.string().trim().min(1).max(2000);
const ZReference = z.string().trim().min(1).max(500);

/**
 * Consent taken by staff. By phone: the call recording and the version of the script read out
 * (the text consented to); on paper: the signed scan (R-C3 evidence).
 */
export const ZStaffConsentBody = z.discriminatedUnion('channel', [
  z.strictObject({
    channel: z.literal('phone'),
    purposeCode: ZPurposeCode,
    recordingRef: ZReference,
    scriptVersion: z.string().trim().min(1).max(200),
    note: ZNote.optional(),
  }),
  z.strictObject({
    channel: z.literal('paper'),
    purposeCode: ZPurposeCode,
    scanRef: ZReference,
    note: ZNote.optional(),
  }),
]);
export type TStaffConsentBody = z.infer<typeof ZStaffConsentBody>;

/** A withdrawal taken by staff, with what proves it when there is something (R-C6). */
export const ZWithdrawBody = z
  .strictObject({
    recordingRef: ZReference.optional(),
    scanRef: ZReference.optional(),
    note: ZNote.optional(),
  })
  .optional();
export type TWithdrawBody = z.infer<typeof ZWithdrawBody>;

export const ZContactConsentParams = z.strictObject({ contactId: z.uuid() });
export const ZWithdrawParams = z.strictObject({ contactId: z.uuid(), purposeCode: ZPurposeCode });

export const ZRecordedConsent = z.object({ entry: ZJournalEntry, isNew: z.boolean() });
