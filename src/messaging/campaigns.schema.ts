import { z } from 'zod';

export const CAMPAIGN_STATUSES = ['draft', 'sending', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const ZCampaignBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  segmentId: z.uuid(),
  channel: z.enum(['email', 'sms']),
  /** The email subject; SMS has none. */
  subject: z.string().trim().min(1).max(300).optional(),
  /** Text template, Russian by default; {{name}} becomes the recipient's name. */
  body: z.string().trim().min(1).max(10_000),
  ratePerMinute: z.number().int().min(1).max(1_000_000).default(600),
});
export type TCampaignBody = z.infer<typeof ZCampaignBody>;

export const ZCampaignParams = z.strictObject({ campaignId: z.uuid() });

export const ZCampaign = z.object({
  id: z.string(),
  name: z.string(),
  segmentId: z.string(),
  segmentName: z.string().nullable(),
  purposeCode: z.string(),
  channel: z.enum(['email', 'sms']),
  subject: z.string().nullable(),
  body: z.string(),
  ratePerMinute: z.number(),
  status: z.enum(CAMPAIGN_STATUSES),
  audienceCount: z.number(),
  excluded: z.record(z.string(), z.number()),
  launchedBy: z.object({ userId: z.string(), name: z.string().nullable() }).nullable(),
  launchedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  createdAt: z.string(),
  /** Recipients by queue status: pending, sending, sent, skipped, failed. */
  progress: z.record(z.string(), z.number()),
});
export type TCampaign = z.infer<typeof ZCampaign>;

export const ZCampaignList = z.object({ items: z.array(ZCampaign) });

export const ZLaunchBody = z.strictObject({
  /** The person confirms the launch they were shown (audience and exclusions). */
  isConfirmed: z.literal(true),
});
export type TLaunchBody = z.infer<typeof ZLaunchBody>;

export const ZCampaignLogQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(['sent', 'refused', 'failed', 'delivered', 'provider_refused']).optional(),
});
export type TCampaignLogQuery = z.infer<typeof ZCampaignLogQuery>;

/** The send log of a campaign: one row per message, with the consent entry that allowed it. */
export const ZCampaignLog = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      contactId: z.string(),
      status: z.string(),
      gateReason: z.string().nullable(),
      consentEntryId: z.string().nullable(),
      messageId: z.string().nullable(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
    }),
  ),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});
export type TCampaignLog = z.infer<typeof ZCampaignLog>;
