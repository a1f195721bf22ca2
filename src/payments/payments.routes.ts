import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import {
  ZPayment,
  ZPaymentPage,
  ZPaymentQuery,
  ZRecordPaymentBody,
  ZRevenue,
  ZRevenueQuery,
} from './payments.schema.ts';
import { findPayments, getRevenue, recordPayment } from './payments.service.ts';

const TAG = 'Payments';

export const paymentRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/payments',
    summary: 'Payments, newest first; each says whether it is first-visit or repeat revenue',
    tag: TAG,
    access: { permission: 'payments.read' },
    query: ZPaymentQuery,
    responses: { 200: ZPaymentPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findPayments(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/payments',
    summary:
      'Record a payment (or refund) in RUB kopecks against a contact, optionally a visit, lead and service',
    tag: TAG,
    access: { permission: 'payments.manage' },
    body: ZRecordPaymentBody,
    responses: { 201: ZPayment },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await recordPayment(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/revenue',
    summary:
      'Revenue of a period, first-visit and repeat, in total and per month (no personal data)',
    tag: TAG,
    access: { permission: 'revenue.read' },
    query: ZRevenueQuery,
    responses: { 200: ZRevenue },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await getRevenue(orgCtx(c, auth), query),
    }),
  }),
];
