import { z } from 'zod';
import { ZPageQuery, ZPeriodQuery } from '../../platform/http/params.ts';
import { TELEPHONY_PROVIDERS } from './telephony-adapters.ts';

export const ZE164 = z
  .string()
  .trim()
  .max(40)
  .describe('A phone number; stored as E.164 (+74951234567)');

const ZHost = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]{1,253}$/, 'A host name such as clinic.ru');

const ZChannelId = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{1,80}$/, 'A channel id such as vk_ads');

// ─── Settings ────────────────────────────────────────────────────────────────

export const ZCallTrackingSettings = z.object({
  publicKey: z.string(),
  replaceNumbers: z.array(z.string()),
  replaceSelector: z.string().nullable(),
  snippet: z.string().describe('The <script> tag to put on the site'),
});
export type TCallTrackingSettings = z.infer<typeof ZCallTrackingSettings>;

export const ZSettingsBody = z.strictObject({
  replaceNumbers: z.array(ZE164).max(10),
  replaceSelector: z.string().trim().max(200).nullable().optional(),
});
export type TSettingsBody = z.infer<typeof ZSettingsBody>;

// ─── Pools and numbers ───────────────────────────────────────────────────────

export const ZPoolBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  hosts: z.array(ZHost).max(20).default([]),
  channels: z.array(ZChannelId).max(50).default([]),
  holdSeconds: z.number().int().min(30).max(3600).default(120),
  quarantineSeconds: z.number().int().min(0).max(86_400).default(300),
  fallbackNumber: ZE164.nullable().optional(),
  isActive: z.boolean().default(true),
});
export type TPoolBody = z.infer<typeof ZPoolBody>;

export const ZPoolView = z.object({
  id: z.uuid(),
  name: z.string(),
  hosts: z.array(z.string()),
  channels: z.array(z.string()),
  holdSeconds: z.number().int(),
  quarantineSeconds: z.number().int(),
  fallbackNumber: z.string().nullable(),
  isActive: z.boolean(),
  numbers: z.number().int(),
  busy: z.number().int().describe('Numbers leased or in quarantine now'),
  advice: z.object({
    peakVisitorsPerHour: z.number().int(),
    recommendedNumbers: z.number().int(),
    exhaustedLast24h: z.number().int(),
    isShort: z.boolean(),
  }),
  createdAt: z.string(),
});
export type TPoolView = z.infer<typeof ZPoolView>;

export const ZNumberBody = z.strictObject({
  number: ZE164,
  provider: z.string().trim().min(1).max(40),
  kind: z.enum(['static', 'dynamic']),
  label: z.string().trim().max(120).nullable().optional(),
  channel: ZChannelId.nullable().optional(),
  campaign: z.string().trim().max(200).nullable().optional(),
  poolId: z.uuid().nullable().optional(),
  hosts: z.array(ZHost).max(20).default([]),
  isActive: z.boolean().default(true),
});
export type TNumberBody = z.infer<typeof ZNumberBody>;

export const ZNumberView = z.object({
  id: z.uuid(),
  number: z.string(),
  provider: z.string(),
  kind: z.enum(['static', 'dynamic']),
  label: z.string().nullable(),
  channel: z.string().nullable(),
  campaign: z.string().nullable(),
  poolId: z.uuid().nullable(),
  hosts: z.array(z.string()),
  isActive: z.boolean(),
  busyUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type TNumberView = z.infer<typeof ZNumberView>;

// ─── Integrations ────────────────────────────────────────────────────────────

export const ZIntegrationBody = z.strictObject({
  provider: z.enum(TELEPHONY_PROVIDERS),
  name: z.string().trim().min(1).max(120),
  apiKey: z.string().trim().max(200).nullable().optional(),
  secret: z.string().min(8).max(200).describe('Mango api_salt, Zadarma API secret, or an HMAC key'),
  isActive: z.boolean().default(true),
});
export type TIntegrationBody = z.infer<typeof ZIntegrationBody>;

export const ZIntegrationView = z.object({
  id: z.uuid(),
  provider: z.enum(TELEPHONY_PROVIDERS),
  name: z.string(),
  apiKey: z.string().nullable(),
  isActive: z.boolean(),
  webhookUrl: z.string(),
  lastEventAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TIntegrationView = z.infer<typeof ZIntegrationView>;

// ─── Public lease ────────────────────────────────────────────────────────────

const ZShortText = z.string().max(200).optional();

export const ZLeaseBody = z.strictObject({
  key: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'The snippet key'),
  /** The lease the page holds already: a heartbeat renews it. */
  leaseId: z.uuid().optional(),
  /** The tracker's ids, given only after consent. */
  sessionId: z.string().max(100).optional(),
  visitorId: z.string().max(100).optional(),
  url: z.string().max(2000).optional(),
  referrer: z.string().max(2000).optional(),
  utm_source: ZShortText,
  utm_medium: ZShortText,
  utm_campaign: ZShortText,
  utm_term: ZShortText,
  utm_content: ZShortText,
  yclid: ZShortText,
  gclid: ZShortText,
  vkclid: ZShortText,
});
export type TLeaseBody = z.infer<typeof ZLeaseBody>;

export const ZLeaseAnswer = z.object({
  number: z
    .string()
    .nullable()
    .describe('The number to show (E.164), or null: keep the page’s own'),
  kind: z.enum(['static', 'dynamic', 'fallback', 'none']),
  leaseId: z.uuid().nullable(),
  /** Renew before this many seconds pass. */
  heartbeatSeconds: z.number().int(),
  replaceNumbers: z.array(z.string()),
  replaceSelector: z.string().nullable(),
  channel: z.string(),
});
export type TLeaseAnswer = z.infer<typeof ZLeaseAnswer>;

// ─── Calls ───────────────────────────────────────────────────────────────────

export const CALL_STATUSES = ['ringing', 'in_progress', 'answered', 'missed'] as const;

export const ZCallQuery = z.strictObject({
  ...ZPageQuery,
  ...ZPeriodQuery,
  status: z.enum(CALL_STATUSES).optional(),
  channel: z.string().max(80).optional(),
  numberId: z.uuid().optional(),
  match: z.enum(['dynamic', 'static', 'unknown']).optional(),
  isFirstTime: z.enum(['true', 'false']).optional(),
});
export type TCallQuery = z.infer<typeof ZCallQuery>;

export const ZCallView = z.object({
  id: z.uuid(),
  status: z.enum(CALL_STATUSES),
  startedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().int().nullable(),
  talkSeconds: z.number().int().nullable(),
  endReason: z.string().nullable(),
  manager: z.string().nullable(),
  calledNumber: z.string().nullable(),
  trackingNumberId: z.uuid().nullable(),
  matchKind: z.enum(['dynamic', 'static', 'unknown']),
  channel: z.string(),
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  keyword: z.string().nullable(),
  sessionId: z.string().nullable(),
  visitorId: z.string().nullable(),
  isFirstTime: z.boolean(),
  leadId: z.uuid().nullable(),
  hasRecording: z.boolean(),
  /** Null for roles that see de-identified data only (the marketer). */
  contact: z
    .object({ id: z.uuid(), name: z.string().nullable(), phone: z.string().nullable() })
    .nullable(),
  quality: z.object({
    score: z.number().int().nullable(),
    checklist: z.record(z.string(), z.boolean()),
    checkedAt: z.string().nullable(),
  }),
  callbackTaskId: z.uuid().nullable(),
});
export type TCallView = z.infer<typeof ZCallView>;

export const ZRecordingView = z.object({ url: z.string() });

export const ZQualityBody = z.strictObject({
  score: z.number().int().min(0).max(100).nullable(),
  checklist: z.record(z.string().max(60), z.boolean()).default({}),
  note: z.string().max(2000).nullable().optional(),
});
export type TQualityBody = z.infer<typeof ZQualityBody>;

export const ZCallConsentBody = z.strictObject({
  purposeCode: z.string().min(1).max(60),
  scriptVersion: z.string().trim().min(1).max(120),
  note: z.string().max(500).optional(),
});
export type TCallConsentBody = z.infer<typeof ZCallConsentBody>;

export const ZCallReportQuery = z.strictObject({
  ...ZPeriodQuery,
  by: z.enum(['channel', 'campaign']).default('channel'),
});
export type TCallReportQuery = z.infer<typeof ZCallReportQuery>;

export const ZCallReportRow = z.object({
  channel: z.string(),
  campaign: z.string().nullable(),
  calls: z.number().int(),
  answered: z.number().int(),
  missed: z.number().int(),
  firstTime: z.number().int(),
  averageTalkSeconds: z.number().int(),
});
export const ZCallReport = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(ZCallReportRow),
  totals: ZCallReportRow,
});
export type TCallReport = z.infer<typeof ZCallReport>;

export const ZWebhookAnswer = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  ignored: z.number().int(),
});
export type TWebhookAnswer = z.infer<typeof ZWebhookAnswer>;
