import { z } from 'zod';
import { pageOf, ZPageQuery } from '../platform/http/params.ts';

const ZPurposeCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'Latin lower case, digits and _');

/** Who an outbound action is about: explicit contacts, or those with leads of a status/source. */
export const ZAudience = {
  purposeCode: ZPurposeCode,
  leadStatus: z.string().trim().min(1).max(100).optional(),
  leadSource: z.string().trim().min(1).max(200).optional(),
  contactIds: z.array(z.uuid()).min(1).max(5_000).optional(),
};

/** The outbound check's answer as stored with an action. */
export const ZGateAnswerView = z.object({
  allowed: z.boolean(),
  /** The refusal reason code (`channel_not_covered`, `subject_blocked`, …); null when allowed. */
  reason: z.string().nullable(),
  /** `consent` or the other legal basis; null when refused. */
  basis: z.string().nullable(),
  /** The consent journal entry that allowed it. */
  consentEntryId: z.string().nullable(),
});

// Call lists (front desk).

export const ZCallListBody = z.strictObject({
  ...ZAudience,
  title: z.string().trim().min(1).max(300).optional(),
});
export type TCallListBody = z.infer<typeof ZCallListBody>;

export const ZCallListView = z.object({
  id: z.string(),
  title: z.string(),
  purposeCode: z.string(),
  total: z.number().int(),
  allowed: z.number().int(),
  /** Refused entries counted per reason. */
  refused: z.record(z.string(), z.number().int()),
  createdAt: z.string(),
});
export type TCallListView = z.infer<typeof ZCallListView>;
export const ZCallListPage = pageOf(ZCallListView);

export const ZCallListEntryView = ZGateAnswerView.extend({
  position: z.number().int(),
  contactId: z.string(),
  /** Null when the card is withheld (a blocked subject) or erased. */
  name: z.string().nullable(),
  /** Only on allowed entries: a refused one must not be called. */
  phone: z.string().nullable(),
});
export type TCallListEntryView = z.infer<typeof ZCallListEntryView>;

export const ZCallListEntriesPage = pageOf(ZCallListEntryView).extend({ list: ZCallListView });

// CSV exports.

export const ZExportBody = z.strictObject(ZAudience);
export type TExportBody = z.infer<typeof ZExportBody>;

export const ZExportView = z.object({
  id: z.string(),
  purposeCode: z.string(),
  total: z.number().int(),
  exported: z.number().int(),
  /** Excluded people counted per refusal reason. */
  excluded: z.record(z.string(), z.number().int()),
  createdAt: z.string(),
  downloadedAt: z.string().nullable(),
  csvUrl: z.string(),
});
export type TExportView = z.infer<typeof ZExportView>;
export const ZExportPage = pageOf(ZExportView);

// Partners and transfers.

export const ZPartnerBody = z.strictObject({
  /** As named among the recipients of the transfer purpose the person consented to. */
  name: z.string().trim().min(1).max(300),
  url: z.url({ protocol: /^https?$/ }).max(1000),
  /** Shared secret of the HMAC-SHA256 signature; never shown again. */
  secret: z.string().min(16).max(200),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2'),
});
export type TPartnerBody = z.infer<typeof ZPartnerBody>;

export const ZPartnerView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  country: z.string(),
  createdAt: z.string(),
  archivedAt: z.string().nullable(),
});
export type TPartnerView = z.infer<typeof ZPartnerView>;

export const ZTransferBody = z.strictObject({
  partnerId: z.uuid(),
  contactId: z.uuid(),
  purposeCode: ZPurposeCode,
});
export type TTransferBody = z.infer<typeof ZTransferBody>;

export const ZTransferView = ZGateAnswerView.extend({
  id: z.string(),
  partnerId: z.string(),
  partnerName: z.string(),
  purposeCode: z.string(),
  contactId: z.string(),
  /** refused (by the check), delivered (2xx), failed (another status or no answer). */
  status: z.enum(['refused', 'sending', 'delivered', 'failed']),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TTransferView = z.infer<typeof ZTransferView>;
export const ZTransferPage = pageOf(ZTransferView);

export const ZOutboundPageQuery = z.strictObject({ ...ZPageQuery });
export const ZTransferQuery = z.strictObject({ ...ZPageQuery, contactId: z.uuid().optional() });
export const ZIdParams = z.strictObject({ id: z.uuid() });
