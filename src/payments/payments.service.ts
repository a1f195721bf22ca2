import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { appointmentForPayment } from '../appointments/appointments.service.ts';
import { clinicServiceName } from '../appointments/clinic.service.ts';
import { contactErasure, readContacts } from '../contacts/contacts.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Page } from '../platform/http/params.ts';
import { can, type Permission } from '../platform/permissions.ts';
import {
  findPayment,
  findPaymentPage,
  findPaymentsOfContact,
  insertPayment,
  type PaymentRow,
  sumRevenue,
} from './payments.repo.ts';
import type {
  TPayment,
  TPaymentQuery,
  TPaymentSource,
  TRecordPaymentBody,
  TRevenue,
  TRevenueQuery,
} from './payments.schema.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) {
    throw new AppError('forbidden', `The role lacks ${permission}`, { details: { permission } });
  }
}

function view(row: PaymentRow, contactName: string | null): TPayment {
  return {
    id: row.id,
    contactId: row.contactId,
    contactName,
    appointmentId: row.appointmentId,
    leadId: row.leadId,
    serviceId: row.serviceId,
    serviceName: row.serviceName,
    kind: row.kind,
    amountKopecks: row.amountKopecks,
    paidOn: row.paidOn,
    method: row.method,
    source: row.source,
    externalId: row.externalId,
    isFirstVisit: row.isFirstVisit,
    createdAt: row.createdAt.toISOString(),
  };
}

export type PaymentInput = {
  contactId: string;
  appointmentId?: string | null | undefined;
  leadId?: string | null | undefined;
  serviceId?: string | null | undefined;
  /** A service known by name only (an import from the clinic's medical information system). */
  serviceName?: string | null | undefined;
  kind?: 'payment' | 'refund' | undefined;
  /** RUB kopecks, a positive integer. */
  amountKopecks: number;
  /** YYYY-MM-DD. */
  paidOn: string;
  method?: 'cash' | 'card' | 'transfer' | 'other' | undefined;
  source: TPaymentSource;
  /** The source system's id of the payment; a second row with the same one is skipped. */
  externalId?: string | null | undefined;
  /** The import batch that brought the row. */
  importId?: string | null | undefined;
};

export type RecordedPayment = {
  id: string;
  isNew: boolean;
  contactId: string;
  leadId: string | null;
  appointmentId: string | null;
};

/**
 * Records a payment inside the caller's transaction (the manual form, the CSV import, the demo):
 * checks that the contact exists and is not erased, that the visit is this person's, takes the
 * lead and the service from the visit when not given, and writes the audit row. A row whose
 * external id was recorded before from the same source is skipped (`isNew: false`).
 */
export async function recordPaymentInTx(
  tx: Tx,
  ctx: Ctx,
  input: PaymentInput,
): Promise<RecordedPayment> {
  if (!Number.isSafeInteger(input.amountKopecks) || input.amountKopecks <= 0) {
    throw new AppError('validation_failed', 'The amount must be a positive number of kopecks', {
      fields: { amountKopecks: ['Must be a positive whole number of kopecks'] },
    });
  }
  const contact = await contactErasure(tx, input.contactId);
  if (!contact) throw new AppError('not_found', 'No such contact');
  if (contact.erasedAt) {
    throw new AppError('rule_violated', 'The contact was erased', {
      details: { rule: 'contact_destroyed' },
    });
  }
  let leadId = input.leadId ?? null;
  let serviceId = input.serviceId ?? null;
  const appointmentId = input.appointmentId ?? null;
  if (appointmentId) {
    const visit = await appointmentForPayment(tx, appointmentId);
    if (!visit || visit.contactId !== input.contactId) {
      throw new AppError('validation_failed', 'No such visit of this contact', {
        fields: { appointmentId: ['Not a visit of this contact'] },
      });
    }
    leadId ??= visit.leadId;
    serviceId ??= visit.serviceId;
  }
  let serviceName = input.serviceName ?? null;
  if (serviceId) {
    const name = await clinicServiceName(tx, serviceId);
    if (name === null) {
      throw new AppError('validation_failed', 'No such service', {
        fields: { serviceId: ['No such service'] },
      });
    }
    serviceName = null;
  }
  const id = randomUUID();
  const isNew = await insertPayment(tx, {
    id,
    orgId: ctx.orgId,
    contactId: input.contactId,
    appointmentId,
    leadId,
    serviceId,
    serviceName,
    kind: input.kind ?? 'payment',
    amountKopecks: input.amountKopecks,
    paidOn: input.paidOn,
    method: input.method ?? 'other',
    source: input.source,
    externalId: input.externalId ?? null,
    importId: input.importId ?? null,
    createdBy: actorUserId(ctx.actor),
    at: ctx.now,
  });
  if (isNew) {
    await recordAudit(tx, ctx, {
      action: 'payment.recorded',
      entityType: 'payment',
      entityId: id,
      details: {
        contactId: input.contactId,
        appointmentId,
        leadId,
        kind: input.kind ?? 'payment',
        amountKopecks: input.amountKopecks,
        source: input.source,
      },
    });
  }
  return { id, isNew, contactId: input.contactId, leadId, appointmentId };
}

/** Records a payment entered by staff. */
export async function recordPayment(ctx: Ctx, body: TRecordPaymentBody): Promise<TPayment> {
  assertCan(ctx, 'payments.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const recorded = await recordPaymentInTx(tx, ctx, { ...body, source: 'manual' });
    const row = await findPayment(tx, recorded.id);
    if (!row) throw new Error('A payment just written was not found');
    return view(row, null);
  });
}

async function namesOf(tx: Tx, ctx: Ctx, rows: readonly PaymentRow[]) {
  if (!can(ctx.role, 'contacts.read') || rows.length === 0) return new Map<string, string>();
  const contacts = await readContacts(
    tx,
    ctx,
    rows.map((row) => row.contactId),
    'list',
  );
  return new Map(
    [...contacts.values()].flatMap((contact) =>
      contact.name ? [[contact.id, contact.name] as const] : [],
    ),
  );
}

export async function findPayments(ctx: Ctx, query: TPaymentQuery): Promise<Page<TPayment>> {
  assertCan(ctx, 'payments.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findPaymentPage(tx, {
      contactId: query.contactId,
      from: query.from,
      to: query.to,
      visit: query.visit,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const names = await namesOf(tx, ctx, rows);
    return {
      items: rows.map((row) => view(row, names.get(row.contactId) ?? null)),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  });
}

/** Revenue of a period: amounts only, no person, so the marketer may read it too. */
export async function getRevenue(ctx: Ctx, query: TRevenueQuery): Promise<TRevenue> {
  assertCan(ctx, 'revenue.read');
  const from = query.from ?? null;
  const to = query.to ?? null;
  if (from && to && from > to) {
    throw new AppError('validation_failed', 'The period ends before it starts', {
      fields: { to: ['Must not be before from'] },
    });
  }
  const { total, months } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    sumRevenue(tx, { from, to }),
  );
  return { from, to, ...total, months };
}

/** A contact's payments for the card's timeline, in the caller's transaction. */
export async function paymentsOfContact(tx: Tx, contactId: string): Promise<TPayment[]> {
  return (await findPaymentsOfContact(tx, contactId)).map((row) => view(row, null));
}
