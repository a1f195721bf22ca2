import { z } from 'zod';

export const PURPOSE_KINDS = ['processing', 'advertising', 'transfer', 'distribution'] as const;
export const LEGAL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'medical_care',
  'vital_interests',
  'legitimate_interests',
] as const;
/**
 * Bases that carry service messages about a person's own contract with the clinic (an
 * appointment reminder, 152-FZ Art. 6 p.1 item 5; medical care, Art. 10 p.2 item 4): such a
 * message is not advertising and needs no advertising consent (38-FZ Art. 18 covers
 * advertising only). Advertising always rests on consent (R-A1, R-C7).
 */
export const SERVICE_MESSAGE_BASES = ['contract', 'medical_care'] as const;

export function isServiceMessageBasis(basis: string): boolean {
  return (SERVICE_MESSAGE_BASES as readonly string[]).includes(basis);
}

export const CHANNELS = ['call', 'sms', 'email', 'messenger', 'transfer'] as const;

export const ZDataCategory = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  title: z.string().trim().min(1).max(200),
  /** Special categories (health, biometrics): 152-FZ Art. 10, R-C5. */
  isSpecial: z.boolean().default(false),
});

export const ZRecipient = z.strictObject({
  name: z.string().trim().min(1).max(300),
  address: z.string().trim().min(1).max(500),
  /** ISO 3166-1 alpha-2; anything but RU is a cross-border transfer (R-L2). */
  country: z.string().regex(/^[A-Z]{2}$/),
});

export const ZPurposeBody = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'Latin lower case, digits and _'),
  kind: z.enum(PURPOSE_KINDS),
  title: z.string().trim().min(3).max(300),
  legalBasis: z.enum(LEGAL_BASES),
  dataCategories: z.array(ZDataCategory).min(1).max(50),
  subjectCategories: z.array(z.string().trim().min(1).max(200)).min(1).max(20),
  actions: z.array(z.string().trim().min(1).max(200)).min(1).max(30),
  methods: z.string().trim().min(1).max(500),
  channels: z.array(z.enum(CHANNELS)).max(5).default([]),
  recipients: z.array(ZRecipient).max(20).default([]),
  retentionDays: z.number().int().min(1).max(36_500),
  isWrittenConsentRequired: z.boolean().default(false),
  /** Custom consent text template; the built-in one for the purpose's kind otherwise. */
  template: z.string().trim().min(50).max(20_000).optional(),
});
export type TPurposeBody = z.infer<typeof ZPurposeBody>;

export const ZPurposeUpdateBody = ZPurposeBody.omit({ code: true, kind: true });
export type TPurposeUpdateBody = z.infer<typeof ZPurposeUpdateBody>;

export const ZProfileBody = z.strictObject({
  legalName: z.string().trim().min(2).max(500),
  address: z.string().trim().min(5).max(500),
  inn: z
    .string()
    .regex(/^(\d{10}|\d{12})$/, '10 or 12 digits')
    .optional(),
  ogrn: z
    .string()
    .regex(/^(\d{13}|\d{15})$/, '13 or 15 digits')
    .optional(),
  responsibleName: z.string().trim().min(2).max(300),
  responsibleContacts: z.string().trim().min(3).max(500),
  processors: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(300),
        address: z.string().trim().min(1).max(500),
      }),
    )
    .max(10)
    .default([]),
  rknRegisterNumber: z.string().trim().max(100).optional(),
  policyUrl: z.url().max(1000).optional(),
});
export type TProfileBody = z.infer<typeof ZProfileBody>;
export const ZProfile = ZProfileBody.extend({ updatedAt: z.string() });
export type TProfile = z.infer<typeof ZProfile>;

export const ZDocument = z.object({
  id: z.string(),
  purposeId: z.string(),
  purposeCode: z.string(),
  purposeVersion: z.number().int(),
  version: z.number().int(),
  title: z.string(),
  body: z.string(),
  sha256: z.string(),
  url: z.string(),
  createdAt: z.string(),
});
export type TDocument = z.infer<typeof ZDocument>;

export const ZPurposeVersion = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  legalBasis: z.enum(LEGAL_BASES),
  dataCategories: z.array(
    z.object({ code: z.string(), title: z.string(), isSpecial: z.boolean() }),
  ),
  subjectCategories: z.array(z.string()),
  actions: z.array(z.string()),
  methods: z.string(),
  channels: z.array(z.enum(CHANNELS)),
  recipients: z.array(z.object({ name: z.string(), address: z.string(), country: z.string() })),
  retentionDays: z.number().int(),
  isWrittenConsentRequired: z.boolean(),
  createdAt: z.string(),
});
export type TPurposeVersion = z.infer<typeof ZPurposeVersion>;

export const ZPurpose = z.object({
  id: z.string(),
  code: z.string(),
  kind: z.enum(PURPOSE_KINDS),
  currentVersion: ZPurposeVersion,
  document: ZDocument.nullable(),
  archivedAt: z.string().nullable(),
});
export type TPurpose = z.infer<typeof ZPurpose>;

export const ZPurposeCodeParams = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
});
export const ZDocumentIdParams = z.strictObject({ id: z.uuid() });
