import { z } from 'zod';
import { pageOf, ZPageQuery, ZUuid } from '../platform/http/params.ts';
import { GATE_REFUSALS } from './gate.service.ts';

export const SUPPRESSION_CHANNELS = ['email', 'sms', 'all'] as const;
export const SUPPRESSION_REASONS = [
  'unsubscribed',
  'provider_refused',
  'bounced',
  'complaint',
  'staff',
] as const;

export const ZSuppression = z.object({
  id: z.uuid(),
  contactId: z.uuid(),
  channel: z.enum(SUPPRESSION_CHANNELS),
  reason: z.enum(SUPPRESSION_REASONS),
  source: z.string(),
  createdAt: z.string(),
});
export const ZSuppressionPage = pageOf(ZSuppression);

export const ZSuppressionQuery = z.strictObject({
  ...ZPageQuery,
  channel: z.enum(SUPPRESSION_CHANNELS).optional(),
  reason: z.enum(SUPPRESSION_REASONS).optional(),
});

export const ZAddSuppressionBody = z.strictObject({
  contactId: ZUuid,
  channel: z.enum(SUPPRESSION_CHANNELS),
});

export const ZSuppressionParams = z.strictObject({ suppressionId: ZUuid });

export const ZRemoveSuppressionBody = z.strictObject({
  reason: z.string().trim().min(3).max(1000),
});

export const ZSuppressed = z.object({ isNew: z.boolean() });

export const ZDeliverabilityQuery = z.strictObject({
  domain: z.string().trim().min(3).max(253),
  selector: z.string().trim().min(1).max(63).optional(),
});

export const ZDeliverabilityReport = z.object({
  domain: z.string(),
  selector: z.string().nullable(),
  spf: z.string().nullable(),
  dkim: z.string().nullable(),
  dmarc: z.string().nullable(),
  dmarcPolicy: z.string().nullable(),
  findings: z.array(
    z.object({
      level: z.enum(['error', 'warning', 'ok']),
      code: z.string(),
      record: z.enum(['spf', 'dkim', 'dmarc']),
    }),
  ),
  isBlocking: z.boolean(),
});

export const ZContactParams = z.strictObject({ contactId: ZUuid });

export const ZOutboundPanel = z.object({
  options: z.array(
    z.object({
      purposeCode: z.string(),
      purposeTitle: z.string(),
      kind: z.string(),
      legalBasis: z.string(),
      channel: z.enum(['email', 'sms', 'call']),
      allowed: z.boolean(),
      reason: z.enum(GATE_REFUSALS).nullable(),
      basis: z.string().nullable(),
      consentEntryId: z.uuid().nullable(),
    }),
  ),
  recent: z.array(
    z.object({
      id: z.uuid(),
      channel: z.string(),
      purposeId: z.uuid(),
      basis: z.string().nullable(),
      consentEntryId: z.uuid().nullable(),
      gateReason: z.string().nullable(),
      status: z.string(),
      campaignId: z.uuid().nullable(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
    }),
  ),
});

export const ZComplaintReport = z.object({
  windowDays: z.number().int(),
  sent: z.number().int(),
  complaints: z.number().int(),
  bounces: z.number().int(),
  complaintRate: z.number().nullable(),
  level: z.enum(['ok', 'warning', 'error']),
});

/** A mail feedback report: a complaint (feedback loop) or a late bounce, by Message-ID. */
export const ZMailFeedbackBody = z.strictObject({
  type: z.enum(['complaint', 'bounce']),
  messageId: z
    .string()
    .trim()
    .min(3)
    .max(998)
    .regex(/^<?[^<>\s@]+@[^<>\s@]+>?$/, 'A Message-ID such as <id@host>'),
  source: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'Lower-case letters, digits, dot, dash or underscore')
    .optional(),
});
