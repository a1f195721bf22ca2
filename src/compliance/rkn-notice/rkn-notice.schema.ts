import { z } from 'zod';

export const ZDatabaseLocation = z.strictObject({
  /** ISO 3166-1 alpha-2; personal data of Russian citizens is kept in Russia (R-L1). */
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. RU'),
  city: z.string().trim().min(1).max(200),
  hostingProvider: z.string().trim().min(1).max(300),
  address: z.string().trim().max(500).optional(),
});
export type TDatabaseLocation = z.infer<typeof ZDatabaseLocation>;

export const PROTECTION_LEVELS = ['1', '2', '3', '4'] as const;

/** What the notice needs beyond the purpose registry and the operator profile. */
export const ZNoticeSettingsBody = z.strictObject({
  databaseLocations: z.array(ZDatabaseLocation).max(20),
  /** The day processing started (Art. 22 p.3 item 8). */
  processingStartDate: z.iso.date().nullable(),
  /** The term or condition of ending processing (item 9). */
  endCondition: z.string().trim().min(3).max(1000).nullable(),
  /** The level of protection per Government Decree No. 1119 (item 11). */
  protectionLevel: z.enum(PROTECTION_LEVELS).nullable(),
  /** Measures the organization takes besides what Soglasie does (item 7). */
  extraMeasures: z.array(z.string().trim().min(3).max(500)).max(30),
});
export type TNoticeSettingsBody = z.infer<typeof ZNoticeSettingsBody>;
export const ZNoticeSettings = ZNoticeSettingsBody.extend({ updatedAt: z.string().nullable() });
export type TNoticeSettings = z.infer<typeof ZNoticeSettings>;

export const ZNoticePurpose = z.object({
  code: z.string(),
  title: z.string(),
  legalBasis: z.string(),
  dataCategories: z.array(z.object({ title: z.string(), isSpecial: z.boolean() })),
  subjectCategories: z.array(z.string()),
  actions: z.array(z.string()),
  methods: z.string(),
  retentionDays: z.number().int(),
});

export const ZCrossBorderCountry = z.object({
  country: z.string(),
  countryName: z.string(),
  isAdequate: z.boolean(),
  recipients: z.array(z.string()),
});

/** Every field of the notice (152-FZ Art. 22 p.3), as filled from the registry and profile. */
export const ZNoticeFields = z.object({
  operator: z.object({
    legalName: z.string().nullable(),
    address: z.string().nullable(),
    inn: z.string().nullable(),
    ogrn: z.string().nullable(),
  }),
  purposes: z.array(ZNoticePurpose),
  securityMeasures: z.object({
    soglasie: z.array(z.string()),
    extra: z.array(z.string()),
    encryption: z.string(),
  }),
  responsible: z.object({ name: z.string().nullable(), contacts: z.string().nullable() }),
  processingStartDate: z.string().nullable(),
  endCondition: z.string().nullable(),
  crossBorder: z.object({ isPerformed: z.boolean(), countries: z.array(ZCrossBorderCountry) }),
  databaseLocations: z.array(ZDatabaseLocation),
  protectionLevel: z.string().nullable(),
});
export type TNoticeFields = z.infer<typeof ZNoticeFields>;

export const ZNoticeGap = z.object({ field: z.string(), code: z.string(), message: z.string() });
export type TNoticeGap = z.infer<typeof ZNoticeGap>;

export const ZNoticeFiling = z.object({
  id: z.string(),
  filedOn: z.string(),
  reference: z.string(),
  fingerprint: z.string(),
  createdAt: z.string(),
});
export type TNoticeFiling = z.infer<typeof ZNoticeFiling>;

export const ZNoticeTask = z.object({
  id: z.string(),
  title: z.string(),
  dueDate: z.string().nullable(),
  isOverdue: z.boolean(),
  createdAt: z.string(),
});

export const ZNoticeView = z.object({
  fields: ZNoticeFields,
  gaps: z.array(ZNoticeGap),
  /** sha256 of the fields; a change to it means the filed notice is out of date. */
  fingerprint: z.string(),
  lastFiling: ZNoticeFiling.nullable(),
  /** Never filed, or the fields changed since the last filing. */
  isChangedSinceFiled: z.boolean(),
  openTasks: z.array(ZNoticeTask),
  settings: ZNoticeSettings,
  generatedAt: z.string(),
});
export type TNoticeView = z.infer<typeof ZNoticeView>;

export const ZFileNoticeBody = z.strictObject({
  /** The day the notice (or its change) was filed (Moscow date). */
  filedOn: z.iso.date(),
  /** The registration number or the reference of the submission. */
  reference: z.string().trim().min(1).max(300),
});
export type TFileNoticeBody = z.infer<typeof ZFileNoticeBody>;

export const ZNoticeFilingList = z.object({ items: z.array(ZNoticeFiling) });

export const ZNoticeExportQuery = z.strictObject({
  download: z.enum(['0', '1', 'true', 'false']).optional(),
});
