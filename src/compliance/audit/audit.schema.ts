import { z } from 'zod';

/** The items of the annual audit (R-L5), in the order the checklist shows them. */
export const AUDIT_ITEM_CODES = [
  'registry_complete',
  'policy_published',
  'responsible_appointed',
  'rkn_notice_current',
  'services_localized',
  'consent_texts_complete',
  'retention_terms_set',
  'staff_acknowledgements',
  'access_log_review',
  'backups_verified',
] as const;
export type AuditItemCode = (typeof AUDIT_ITEM_CODES)[number];

/** Items with a check computed by code; the others close on an attached artefact only. */
export const AUTOMATIC_ITEMS: readonly AuditItemCode[] = [
  'registry_complete',
  'policy_published',
  'responsible_appointed',
  'rkn_notice_current',
  'services_localized',
  'consent_texts_complete',
  'retention_terms_set',
  'staff_acknowledgements',
];

/** Largest evidence file, decoded: its base64 fits the API's 256 KiB body limit. */
export const MAX_EVIDENCE_BYTES = 180 * 1024;

export const ZYearParams = z.strictObject({ year: z.coerce.number().int().min(2000).max(2200) });
export const ZItemParams = ZYearParams.extend({ code: z.enum(AUDIT_ITEM_CODES) });
export const ZEvidenceParams = ZYearParams.extend({ evidenceId: z.uuid() });

export const ZEvidenceBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('file'),
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine(
        (name) => !/[/\\]/.test(name) && ![...name].some((char) => char.charCodeAt(0) < 32),
        'A file name without slashes or control characters',
      ),
    contentType: z
      .string()
      .regex(/^[a-z]+\/[a-z0-9.+-]+$/i)
      .max(100)
      .default('application/octet-stream'),
    /** The file, base64; at most 180 KiB decoded. */
    contentBase64: z
      .string()
      .min(1)
      .max(Math.ceil(MAX_EVIDENCE_BYTES / 3) * 4 + 4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Base64'),
    note: z.string().trim().max(1000).optional(),
  }),
  z.strictObject({
    kind: z.literal('document'),
    documentId: z.uuid(),
    note: z.string().trim().max(1000).optional(),
  }),
]);
export type TEvidenceBody = z.infer<typeof ZEvidenceBody>;

export const ZCloseBody = z.strictObject({ note: z.string().trim().max(1000).optional() });

export const ZEvidence = z.object({
  id: z.string(),
  kind: z.enum(['file', 'document', 'check']),
  fileName: z.string().nullable(),
  contentType: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  documentId: z.string().nullable(),
  documentUrl: z.string().nullable(),
  documentTitle: z.string().nullable(),
  checkStatus: z.string().nullable(),
  checkSummary: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type TEvidence = z.infer<typeof ZEvidence>;

export const ZAuditItem = z.object({
  code: z.enum(AUDIT_ITEM_CODES),
  title: z.string(),
  isAutomatic: z.boolean(),
  check: z
    .object({
      status: z.enum(['passed', 'failed', 'not_available']),
      summary: z.string(),
      details: z.record(z.string(), z.unknown()),
      checkedAt: z.string(),
    })
    .nullable(),
  isClosed: z.boolean(),
  closedAt: z.string().nullable(),
  note: z.string().nullable(),
  evidence: z.array(ZEvidence),
});
export type TAuditItem = z.infer<typeof ZAuditItem>;

export const ZChecklist = z.object({
  id: z.string(),
  year: z.number().int(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  progress: z.object({ closed: z.number().int(), total: z.number().int() }),
  items: z.array(ZAuditItem),
});
export type TChecklist = z.infer<typeof ZChecklist>;
