import type { MessageKey } from '../../i18n/ru.ts';

/** Mirrors src/messaging/segments.schema.ts and campaigns.schema.ts. */
export type SegmentFilters = {
  hasEmail?: boolean;
  hasPhone?: boolean;
  leadStatuses?: string[];
  leadSources?: string[];
  lastActivityFrom?: string;
  lastActivityTo?: string;
  consent?: { purposeCode: string; state: 'given' | 'withdrawn' | 'expired' | 'none' };
  dataCategories?: string[];
};

export type Segment = {
  id: string;
  name: string;
  purposeCode: string;
  purposeTitle: string;
  purposeKind: string;
  filters: SegmentFilters;
  createdAt: string;
  updatedAt: string;
};

export type AudiencePreview = {
  matched: number;
  included: number;
  excluded: Record<string, number>;
  items: { contactId: string; name: string | null; consentEntryId: string | null }[];
  page: number;
  pageSize: number;
};

export type CampaignStatus = 'draft' | 'sending' | 'paused' | 'completed' | 'cancelled';

export type Campaign = {
  id: string;
  name: string;
  segmentId: string;
  segmentName: string | null;
  purposeCode: string;
  channel: 'email' | 'sms';
  subject: string | null;
  body: string;
  ratePerMinute: number;
  status: CampaignStatus;
  audienceCount: number;
  excluded: Record<string, number>;
  launchedBy: { userId: string; name: string | null } | null;
  launchedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  progress: Record<string, number>;
};

export type CampaignLog = {
  items: {
    id: string;
    contactId: string;
    status: string;
    gateReason: string | null;
    consentEntryId: string | null;
    messageId: string | null;
    createdAt: string;
    sentAt: string | null;
  }[];
  page: number;
  pageSize: number;
  total: number;
};

export const STATUS_COLOR: Record<CampaignStatus, string> = {
  draft: 'gray',
  sending: 'blue',
  paused: 'yellow',
  completed: 'green',
  cancelled: 'red',
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

/** The words for a gate reason, or null for a code this version does not know. */
export function campaignReasonKey(reason: string): MessageKey | null {
  return (REASONS as readonly string[]).includes(reason)
    ? (`campaigns.reason.${reason}` as MessageKey)
    : null;
}
