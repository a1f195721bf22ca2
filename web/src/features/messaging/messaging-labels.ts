import type { I18n } from '../../i18n/i18n-context.tsx';

export const SUPPRESSION_CHANNELS = ['email', 'sms', 'all'] as const;
export type SuppressionChannel = (typeof SUPPRESSION_CHANNELS)[number];

export const SUPPRESSION_REASONS = [
  'unsubscribed',
  'provider_refused',
  'bounced',
  'complaint',
  'staff',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export type Suppression = {
  id: string;
  contactId: string;
  channel: SuppressionChannel;
  reason: SuppressionReason;
  source: string;
  createdAt: string;
};

export const GATE_REASONS = [
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
export type GateReason = (typeof GATE_REASONS)[number];

export type MessageChannel = SuppressionChannel | 'call';

export function channelLabel(i18n: Pick<I18n, 't'>, channel: MessageChannel): string {
  return i18n.t(`messaging.channel.${channel}`);
}

export function suppressionReasonLabel(i18n: Pick<I18n, 't'>, reason: SuppressionReason): string {
  return i18n.t(`messaging.suppressionReason.${reason}`);
}

/** The outbound check's refusal codes, worded for staff. */
export function gateReasonLabel(i18n: Pick<I18n, 't'>, reason: GateReason): string {
  return i18n.t(`messaging.gate.${reason}`);
}
