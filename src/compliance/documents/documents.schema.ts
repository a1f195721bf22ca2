import { z } from 'zod';
import { DOCUMENT_KINDS } from './document-content.ts';

export const ZDocumentKind = z.enum(DOCUMENT_KINDS);
export type TDocumentKind = z.infer<typeof ZDocumentKind>;

export const ZGap = z.object({
  code: z.string(),
  message: z.string(),
  purposeCode: z.string().optional(),
});

export const ZDocumentVersion = z.object({
  id: z.string(),
  kind: ZDocumentKind,
  version: z.number().int(),
  title: z.string(),
  sha256: z.string(),
  /** The version's permanent public address; `.txt` and `.pdf` sit next to it. */
  url: z.string(),
  createdAt: z.string(),
});
export type TDocumentVersion = z.infer<typeof ZDocumentVersion>;

export const ZDocumentSummary = z.object({
  kind: ZDocumentKind,
  title: z.string(),
  /** Always shows the newest version. */
  latestUrl: z.string(),
  latest: ZDocumentVersion.nullable(),
  versionCount: z.number().int(),
  /** What keeps the document from being generated now. */
  gaps: z.array(ZGap),
  /** The registry or profile changed since the newest version: regenerate makes a new one. */
  isOutdated: z.boolean(),
});
export type TDocumentSummary = z.infer<typeof ZDocumentSummary>;

export const ZDocumentList = z.object({
  items: z.array(ZDocumentSummary),
  /** What forms link as the policy: the operator's own address or the generated policy. */
  policyUrl: z.string().nullable(),
});

export const ZGenerateBody = z.strictObject({
  kinds: z.array(ZDocumentKind).min(1).max(DOCUMENT_KINDS.length).optional(),
});
export type TGenerateBody = z.infer<typeof ZGenerateBody>;

export const ZGenerateResult = z.object({
  created: z.array(ZDocumentVersion),
  unchanged: z.array(ZDocumentKind),
  refused: z.array(z.object({ kind: ZDocumentKind, gaps: z.array(ZGap) })),
});
export type TGenerateResult = z.infer<typeof ZGenerateResult>;

export const ZKindParams = z.strictObject({ kind: ZDocumentKind });
export const ZVersionParams = z.strictObject({
  kind: ZDocumentKind,
  version: z.coerce.number().int().min(1).max(100_000),
});

export const ZDocumentVersionList = z.object({ items: z.array(ZDocumentVersion) });

export const ZDocumentDetail = ZDocumentVersion.extend({
  body: z.string(),
  sections: z.array(z.object({ id: z.string(), heading: z.string() })),
});

// Acknowledgements (R-L5: staff made familiar with the rules)

export const ZAcknowledgeBody = z.strictObject({ documentId: z.uuid() });

export const ZAcknowledgementStatus = z.object({
  isRequired: z.boolean(),
  /** The document staff acknowledge: the newest internal regulation, else the newest policy. */
  document: ZDocumentVersion.nullable(),
  hasAcknowledged: z.boolean(),
  members: z
    .array(
      z.object({
        userId: z.string(),
        name: z.string(),
        role: z.string(),
        acknowledgedAt: z.string().nullable(),
      }),
    )
    .nullable(),
});
export type TAcknowledgementStatus = z.infer<typeof ZAcknowledgementStatus>;

export const ZSettingsBody = z.strictObject({ isAcknowledgementRequired: z.boolean() });
export const ZSettings = z.object({ isAcknowledgementRequired: z.boolean() });
