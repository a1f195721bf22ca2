import type { MessageKey } from '../../i18n/ru.ts';

/** The outbound check's answer as stored with an action (src/messaging/outbound-actions.schema.ts). */
export type GateAnswerView = {
  allowed: boolean;
  reason: string | null;
  basis: string | null;
  consentEntryId: string | null;
};

export type CallListView = {
  id: string;
  title: string;
  purposeCode: string;
  total: number;
  allowed: number;
  refused: Record<string, number>;
  createdAt: string;
};

export type CallListEntryView = GateAnswerView & {
  position: number;
  contactId: string;
  name: string | null;
  phone: string | null;
};

export type CallListEntriesPage = {
  list: CallListView;
  items: CallListEntryView[];
  page: number;
  pageSize: number;
  total: number;
};

export type ExportView = {
  id: string;
  purposeCode: string;
  total: number;
  exported: number;
  excluded: Record<string, number>;
  createdAt: string;
  downloadedAt: string | null;
  csvUrl: string;
};

export type PartnerView = {
  id: string;
  name: string;
  url: string;
  country: string;
  createdAt: string;
  archivedAt: string | null;
};

export type TransferView = GateAnswerView & {
  id: string;
  partnerId: string;
  partnerName: string;
  purposeCode: string;
  contactId: string;
  status: 'refused' | 'sending' | 'delivered' | 'failed';
  httpStatus: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
};

const REASONS = [
  'no_consent',
  'consent_withdrawn',
  'consent_expired',
  'subject_blocked',
  'processing_stopped',
  'subject_erased',
  'channel_not_covered',
  'suppressed',
  'special_category_for_marketing',
  'recipient_not_named',
] as const;

/** The translation key of a refusal reason; an unknown one shows its code. */
export function reasonKey(reason: string): MessageKey | null {
  return (REASONS as readonly string[]).includes(reason)
    ? (`outbound.reason.${reason}` as MessageKey)
    : null;
}

/** Reasons with counts, most frequent first. */
export function sortedCounts(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort((left, right) => right[1] - left[1]);
}
