import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeClinic, type TestClinic } from '../../test/clinic-factories.ts';
import { makeOrg } from '../../test/factories.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { bookAppointment } from '../appointments/appointments.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import type { Ctx } from '../platform/context.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import {
  findPayments,
  getRevenue,
  paymentsOfContact,
  recordPayment,
  recordPaymentInTx,
} from './payments.service.ts';

const getApp = setupTestApp();

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('Expected a refusal');
}

describe('payments: kopecks, visits, first-visit and repeat revenue', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let clinic: TestClinic;
  let ctx: () => Ctx;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    ctx = () => ({
      ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
      publicUrl: testApp.deps.publicUrl,
    });
    clinic = await makeClinic(ctx());
  });

  const newContact = async () =>
    contactOfSubmission(testApp, (await submitWithConsents(testApp, org)).submissionId);

  it('records a payment against a visit, taking its lead and service, in integer kopecks', async () => {
    const contactId = await newContact();
    const [lead] = await testApp.db.query<{ id: string }>(
      sql`SELECT id FROM leads WHERE contact_id = ${contactId}`,
    );
    const visit = await bookAppointment(ctx(), {
      contactId,
      leadId: lead?.id,
      serviceId: clinic.consultation.id,
      specialistId: clinic.doctor.id,
      branchId: clinic.branch.id,
      startsAt: '2026-03-03T10:00:00+03:00',
    });
    const payment = await recordPayment(ctx(), {
      contactId,
      appointmentId: visit.id,
      kind: 'payment',
      amountKopecks: 250_050,
      paidOn: '2026-03-03',
      method: 'card',
    });
    expect(payment).toMatchObject({
      amountKopecks: 250_050,
      leadId: lead?.id,
      serviceId: clinic.consultation.id,
      serviceName: 'Консультация терапевта',
      isFirstVisit: true,
      source: 'manual',
    });
    const [stored] = await testApp.db.query<{ amount_kopecks: unknown }>(
      sql`SELECT amount_kopecks FROM payments WHERE id = ${payment.id}`,
    );
    expect(Number(stored?.amount_kopecks)).toBe(250_050);
    const [audit] = await testApp.db.query<{ n: unknown }>(
      sql`SELECT count(*) AS n FROM audit_log WHERE action = 'payment.recorded' AND entity_id = ${payment.id}`,
    );
    expect(Number(audit?.n)).toBe(1);
  });

  it('refuses a visit of another person, a fractional amount and an unknown contact', async () => {
    const [first, second] = [await newContact(), await newContact()];
    const visit = await bookAppointment(ctx(), {
      contactId: first,
      serviceId: clinic.consultation.id,
      specialistId: clinic.doctor.id,
      branchId: clinic.branch.id,
      startsAt: '2026-03-03T11:00:00+03:00',
    });
    const wrongVisit = await refusal(
      recordPayment(ctx(), {
        contactId: second,
        appointmentId: visit.id,
        kind: 'payment',
        amountKopecks: 100,
        paidOn: '2026-03-03',
        method: 'cash',
      }),
    );
    expect(wrongVisit.fields).toHaveProperty('appointmentId');
    const fractional = await refusal(
      withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        recordPaymentInTx(tx, ctx(), {
          contactId: first,
          amountKopecks: 10.5,
          paidOn: '2026-03-03',
          source: 'import',
        }),
      ),
    );
    expect(fractional.code).toBe('validation_failed');
    const unknown = await refusal(
      recordPayment(ctx(), {
        contactId: '00000000-0000-4000-8000-000000000000',
        kind: 'payment',
        amountKopecks: 100,
        paidOn: '2026-03-03',
        method: 'cash',
      }),
    );
    expect(unknown.code).toBe('not_found');
  });

  it('skips a re-imported row by its external id', async () => {
    const contactId = await newContact();
    const row = {
      contactId,
      amountKopecks: 99_000,
      paidOn: '2026-02-10',
      source: 'import' as const,
      serviceName: 'Анализ крови',
      externalId: 'MIS-00017',
    };
    const first = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      recordPaymentInTx(tx, ctx(), row),
    );
    const again = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      recordPaymentInTx(tx, ctx(), row),
    );
    expect(first.isNew).toBe(true);
    expect(again.isNew).toBe(false);
    const items = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      paymentsOfContact(tx, contactId),
    );
    expect(items).toHaveLength(1);
    expect(items[0]?.serviceName).toBe('Анализ крови');
  });

  it('splits revenue into first-visit and repeat by the person’s first paid day, whatever the order of entry', async () => {
    const fresh = await makeOrg(testApp);
    const freshCtx = {
      ...systemCtx(testApp.deps, { orgId: fresh.orgId, now: testApp.clock.now() }),
    };
    // Contacts of another org are not visible here: use this org with its own contacts.
    const [a, b] = [await newContact(), await newContact()];
    const pay = (
      contactId: string,
      paidOn: string,
      amountKopecks: number,
      kind: 'payment' | 'refund' = 'payment',
    ) =>
      withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        recordPaymentInTx(tx, ctx(), { contactId, amountKopecks, paidOn, kind, source: 'manual' }),
      );
    // Entered out of order: the April repeat first, then the January first visit.
    await pay(a, '2025-04-05', 300_000);
    await pay(a, '2025-01-15', 200_000);
    await pay(a, '2025-01-15', 50_000); // a second payment on the first day is first-visit too
    await pay(b, '2025-04-20', 400_000);
    await pay(b, '2025-04-21', 10_000, 'refund');
    const revenue = await getRevenue(ctx(), { from: '2025-01-01', to: '2025-04-30' });
    expect(revenue).toMatchObject({
      firstVisitKopecks: 650_000,
      repeatKopecks: 300_000,
      refundsKopecks: 10_000,
      totalKopecks: 940_000,
      payments: 4,
      newPatients: 2,
      returningPatients: 1,
    });
    expect(
      revenue.months.map((month) => [month.month, month.firstVisitKopecks, month.repeatKopecks]),
    ).toEqual([
      ['2025-01', 250_000, 0],
      ['2025-04', 400_000, 300_000],
    ]);
    // April alone: a's April payment is still repeat revenue.
    const april = await getRevenue(ctx(), { from: '2025-04-01', to: '2025-04-30' });
    expect(april).toMatchObject({ firstVisitKopecks: 400_000, repeatKopecks: 300_000 });
    const firsts = await findPayments(ctx(), {
      page: 1,
      pageSize: 50,
      contactId: a,
      visit: 'first',
    });
    expect(firsts.items.map((item) => item.amountKopecks).sort()).toEqual([200_000, 50_000].sort());
    // Another organization sees none of it; the marketer reads amounts, not payments.
    expect((await getRevenue(freshCtx, {})).totalKopecks).toBe(0);
    const marketer = { ...ctx(), role: 'marketer' as const };
    expect(
      (await getRevenue(marketer, { from: '2025-01-01', to: '2025-04-30' })).totalKopecks,
    ).toBe(940_000);
    expect((await refusal(findPayments(marketer, { page: 1, pageSize: 50 }))).code).toBe(
      'forbidden',
    );
  });
});
