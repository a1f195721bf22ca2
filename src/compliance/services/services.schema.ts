import { z } from 'zod';

export const SERVICE_KINDS = [
  'site_builder',
  'chat',
  'telephony',
  'email',
  'sms',
  'analytics',
  'messenger',
  'cloud_storage',
  'accounting',
  'crm',
  'other',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** processor: acts under the operator's instruction; recipient: processes for itself; tool. */
export const SERVICE_ROLES = ['processor', 'recipient', 'tool'] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

const ZCountry = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. RU');
const ZCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'Latin lower case, digits and _');

export const ZServiceBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(SERVICE_KINDS),
  /** Where the service's servers keep the data; anything but RU is foreign. */
  country: ZCountry,
  role: z.enum(SERVICE_ROLES),
  /** Data category codes that pass through it (as in the purpose registry). */
  dataCategories: z.array(ZCode).max(50).default([]),
  /** Purposes whose data passes through it. */
  purposeCodes: z.array(ZCode).max(50).default([]),
  /** The contract or data processing agreement (number and date, or a link). */
  contractReference: z.string().trim().max(500).optional(),
  notes: z.string().trim().max(2000).optional(),
});
export type TServiceBody = z.infer<typeof ZServiceBody>;

export const ZServiceUpdateBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  kind: z.enum(SERVICE_KINDS).optional(),
  country: ZCountry.optional(),
  role: z.enum(SERVICE_ROLES).optional(),
  dataCategories: z.array(ZCode).max(50).optional(),
  purposeCodes: z.array(ZCode).max(50).optional(),
  contractReference: z.string().trim().max(500).nullable().optional(),
  notes: z.string().trim().max(2000).nullable().optional(),
});
export type TServiceUpdateBody = z.infer<typeof ZServiceUpdateBody>;

export const ZCatalogueBody = z.strictObject({ code: ZCode });

export const ZCatalogueEntry = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(SERVICE_KINDS),
  country: z.string(),
  role: z.enum(SERVICE_ROLES),
  note: z.string(),
  isForeign: z.boolean(),
  /** Already in the organization's register. */
  isAdded: z.boolean(),
});

/** Facts of a cross-border transfer notice (152-FZ Art. 12 p.5) beyond the operator profile. */
export const ZCrossBorderFacts = z.strictObject({
  purpose: z.string().trim().min(3).max(500),
  legalBasis: z.string().trim().min(3).max(500),
  dataCategories: z.array(z.string().trim().min(1).max(200)).min(1).max(50),
  subjectCategories: z.array(z.string().trim().min(1).max(200)).min(1).max(20),
  recipientName: z.string().trim().min(1).max(300),
  recipientAddress: z.string().trim().min(1).max(500),
  /** What the operator learned of the recipient's protection measures and law, and when. */
  recipientMeasures: z.string().trim().min(3).max(2000),
  assessedOn: z.iso.date(),
});
export type TCrossBorderFacts = z.infer<typeof ZCrossBorderFacts>;

export const ZCrossBorderNoticeBody = z.strictObject({
  facts: ZCrossBorderFacts,
  /** The day the notice was sent to Roskomnadzor (Moscow date). */
  noticeDate: z.iso.date(),
  reference: z.string().trim().max(300).optional(),
});
export type TCrossBorderNoticeBody = z.infer<typeof ZCrossBorderNoticeBody>;

export const CROSS_BORDER_STATES = ['not_required', 'missing', 'waiting', 'ready'] as const;

export const ZCrossBorderStatus = z.object({
  isForeign: z.boolean(),
  isAdequate: z.boolean(),
  /** not_required (Russia), missing (no notice), waiting (10 working days), ready. */
  state: z.enum(CROSS_BORDER_STATES),
  noticeDate: z.string().nullable(),
  reference: z.string().nullable(),
  /** The first day transfers are allowed (Moscow date); null while no notice is recorded. */
  allowedFrom: z.string().nullable(),
  facts: ZCrossBorderFacts.nullable(),
});
export type TCrossBorderStatus = z.infer<typeof ZCrossBorderStatus>;

export const ZServiceView = z.object({
  id: z.string(),
  catalogueCode: z.string().nullable(),
  name: z.string(),
  kind: z.enum(SERVICE_KINDS),
  country: z.string(),
  countryName: z.string(),
  role: z.enum(SERVICE_ROLES),
  dataCategories: z.array(z.string()),
  purposeCodes: z.array(z.string()),
  contractReference: z.string().nullable(),
  notes: z.string().nullable(),
  crossBorder: ZCrossBorderStatus,
  /** Forms that forward submissions here, and whether it is their first destination. */
  forms: z.array(z.object({ slug: z.string(), isPrimary: z.boolean() })),
  /** foreign_server, cross_border_notice_missing, cross_border_waiting, contract_missing. */
  warnings: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
});
export type TServiceView = z.infer<typeof ZServiceView>;

export const ZServiceList = z.object({ items: z.array(ZServiceView) });

export const ZServiceParams = z.strictObject({ serviceId: z.uuid() });
export const ZPartnerParams = z.strictObject({ partnerId: z.uuid() });

export const ZForeignRecipient = z.object({
  type: z.enum(['service', 'partner']),
  id: z.string(),
  name: z.string(),
  country: z.string(),
  countryName: z.string(),
  crossBorder: ZCrossBorderStatus,
});
export const ZForeignRecipientList = z.object({ items: z.array(ZForeignRecipient) });
export type TForeignRecipient = z.infer<typeof ZForeignRecipient>;
