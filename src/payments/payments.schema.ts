import { z } from 'zod';
import { pageOf, ZPageQuery } from '../platform/http/params.ts';

export const PAYMENT_KINDS = ['payment', 'refund'] as const;
export const PAYMENT_METHODS = ['cash', 'card', 'transfer', 'other'] as const;
export const PAYMENT_SOURCES = ['manual', 'import', 'demo'] as const;
export type TPaymentSource = (typeof PAYMENT_SOURCES)[number];

const ZDate = z.iso.date();
/** RUB kopecks, a positive integer (at most 10 billion roubles). */
export const ZKopecks = z.number().int().positive().max(1_000_000_000_000);

export const ZRecordPaymentBody = z.strictObject({
  contactId: z.uuid(),
  appointmentId: z.uuid().optional(),
  leadId: z.uuid().optional(),
  serviceId: z.uuid().optional(),
  kind: z.enum(PAYMENT_KINDS).default('payment'),
  amountKopecks: ZKopecks,
  paidOn: ZDate,
  method: z.enum(PAYMENT_METHODS).default('other'),
});
export type TRecordPaymentBody = z.infer<typeof ZRecordPaymentBody>;

export const ZPayment = z.object({
  id: z.string(),
  contactId: z.string(),
  contactName: z.string().nullable(),
  appointmentId: z.string().nullable(),
  leadId: z.string().nullable(),
  serviceId: z.string().nullable(),
  serviceName: z.string().nullable(),
  kind: z.enum(PAYMENT_KINDS),
  amountKopecks: z.number().int(),
  paidOn: z.string(),
  method: z.enum(PAYMENT_METHODS),
  source: z.enum(PAYMENT_SOURCES),
  externalId: z.string().nullable(),
  /** Paid on the person's first paid day (first-visit revenue), else repeat revenue. */
  isFirstVisit: z.boolean(),
  createdAt: z.string(),
});
export type TPayment = z.infer<typeof ZPayment>;
export const ZPaymentPage = pageOf(ZPayment);

export const ZPaymentQuery = z.strictObject({
  ...ZPageQuery,
  contactId: z.uuid().optional(),
  from: ZDate.optional(),
  to: ZDate.optional(),
  visit: z.enum(['first', 'repeat']).optional(),
});
export type TPaymentQuery = z.infer<typeof ZPaymentQuery>;

export const ZPaymentParams = z.strictObject({ paymentId: z.uuid() });

export const ZRevenueQuery = z.strictObject({
  from: ZDate.optional(),
  to: ZDate.optional(),
});
export type TRevenueQuery = z.infer<typeof ZRevenueQuery>;

const ZRevenueFigures = z.object({
  totalKopecks: z.number().int(),
  firstVisitKopecks: z.number().int(),
  repeatKopecks: z.number().int(),
  refundsKopecks: z.number().int(),
  payments: z.number().int(),
  /** People who paid for the first time in the period. */
  newPatients: z.number().int(),
  /** People who paid in the period having paid before it. */
  returningPatients: z.number().int(),
});

export const ZRevenue = ZRevenueFigures.extend({
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Per calendar month (YYYY-MM), oldest first. */
  months: z.array(ZRevenueFigures.extend({ month: z.string() })),
});
export type TRevenue = z.infer<typeof ZRevenue>;
