import { z } from 'zod';
import { pageOf, ZPageQuery, ZPeriodQuery, ZUuid } from '../platform/http/params.ts';

export const ZActorView = z.object({
  type: z.enum(['user', 'token', 'system']),
  id: z.string().nullable(),
  label: z.string(),
});

export const ZAuditQuery = z.strictObject({
  ...ZPageQuery,
  ...ZPeriodQuery,
  action: z.string().max(100).optional(),
  entityType: z.string().max(100).optional(),
  actorUserId: ZUuid.optional(),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export const ZAccessQuery = z.strictObject({
  ...ZPageQuery,
  ...ZPeriodQuery,
  subjectType: z.string().max(100).optional(),
  subjectId: z.string().max(100).optional(),
  actorUserId: ZUuid.optional(),
});
export type TAccessQuery = z.infer<typeof ZAccessQuery>;

export const ZAuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: ZActorView,
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
});

export const ZAccessEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: ZActorView,
  subjectType: z.string(),
  subjectId: z.string(),
  fields: z.array(z.string()),
  reason: z.string(),
  route: z.string().nullable(),
  requestId: z.string().nullable(),
});

export const ZAuditPage = pageOf(ZAuditEntry);
export const ZAccessPage = pageOf(ZAccessEntry);

export type TActorView = z.infer<typeof ZActorView>;
export type TAuditEntry = z.infer<typeof ZAuditEntry>;
export type TAccessEntry = z.infer<typeof ZAccessEntry>;
