import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeClinic, REMINDER_PURPOSE, type TestClinic } from '../../test/clinic-factories.ts';
import { makeOrg } from '../../test/factories.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { startSmsc } from '../../test/smsc-server.ts';
import { checkOutbound } from '../messaging/gate.service.ts';
import { sendMarketingSms } from '../messaging/outbound.service.ts';
import { createSmscSender } from '../messaging/sms.ts';
import { suppress } from '../messaging/suppressions.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import type { Ctx } from '../platform/context.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { createPurpose } from '../purposes/purposes.service.ts';
import {
  appointmentsOfContact,
  bookAppointment,
  changeAppointmentStatus,
  findAppointments,
  findFreeSlots,
  getAppointment,
} from './appointments.service.ts';
import { addException, getCatalogue, saveSettings } from './clinic.service.ts';
import { sendDueRemindersIn } from './reminders.service.ts';

const getApp = setupTestApp();

// The test clock starts on Monday 2 March 2026, 09:00 UTC (12:00 in Moscow).
const TUESDAY = '2026-03-03';
const at = (date: string, time: string) => `${date}T${time}:00+03:00`;

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('Expected a refusal');
}

describe('appointments: schedules, free slots, the slot key, statuses and reminders', () => {
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

  const newContact = async (options: { isAdvertisingGiven?: boolean } = {}) =>
    contactOfSubmission(testApp, (await submitWithConsents(testApp, org, options)).submissionId);
  const book = (contactId: string, startsAt: string, serviceId = clinic.consultation.id) =>
    bookAppointment(ctx(), {
      contactId,
      serviceId,
      specialistId: clinic.doctor.id,
      branchId: clinic.branch.id,
      startsAt,
    });

  it('offers the working hours in the branch zone, minus taken time, a day off and the past', async () => {
    const today = await findFreeSlots(ctx(), {
      serviceId: clinic.consultation.id,
      specialistId: clinic.doctor.id,
      from: '2026-03-02',
    });
    // It is 12:00 in Moscow: the morning has passed; the last 30-minute slot starts at 17:30.
    expect(today.slots[0]?.time).toBe('12:00');
    expect(today.slots.at(-1)?.time).toBe('17:30');
    expect(today.slots).toHaveLength(12);
    expect(today.slots[0]?.startsAt).toBe('2026-03-02T09:00:00.000Z');
    expect(today.priceKopecks).toBe(250_000);

    const contactId = await newContact();
    await book(contactId, at(TUESDAY, '10:00'));
    await addException(ctx(), {
      specialistId: clinic.doctor.id,
      kind: 'vacation',
      startsOn: '2026-03-04',
      endsOn: '2026-03-05',
      note: '',
    });
    await addException(ctx(), {
      specialistId: clinic.doctor.id,
      kind: 'other',
      startsOn: '2026-03-06',
      endsOn: '2026-03-06',
      startsAt: '13:00',
      endsAt: '14:00',
      note: 'обучение',
    });
    const week = await findFreeSlots(ctx(), {
      serviceId: clinic.consultation.id,
      specialistId: clinic.doctor.id,
      from: TUESDAY,
      to: '2026-03-08',
    });
    const times = (date: string) =>
      week.slots.filter((slot) => slot.date === date).map((slot) => slot.time);
    expect(times(TUESDAY)).not.toContain('10:00');
    expect(times(TUESDAY)).toContain('09:30');
    expect(times(TUESDAY)).toContain('10:30');
    expect(times('2026-03-04')).toEqual([]);
    expect(times('2026-03-05')).toEqual([]);
    expect(times('2026-03-06')).not.toContain('13:00');
    expect(times('2026-03-06')).not.toContain('13:30');
    expect(times('2026-03-06')).toContain('14:00');
    // Weekend: no schedule.
    expect(times('2026-03-07')).toEqual([]);
  });

  it('refuses the second of two concurrent bookings of one slot, in the database', async () => {
    const [first, second] = [await newContact(), await newContact()];
    const results = await Promise.allSettled([
      book(first, at(TUESDAY, '11:00')),
      book(second, at(TUESDAY, '11:00')),
    ]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const reason = (rejected[0] as PromiseRejectedResult).reason as AppError;
    expect(reason.code).toBe('conflict');
    expect(reason.details).toEqual({ rule: 'slot_taken' });
    const [count] = await testApp.db.query<{ n: unknown }>(
      sql`SELECT count(*) AS n FROM appointments WHERE starts_at = ${new Date(at(TUESDAY, '11:00'))}`,
    );
    expect(Number(count?.n)).toBe(1);
  });

  it('refuses an overlapping booking that starts at another time, and the cells alone refuse it', async () => {
    const contactId = await newContact();
    await book(contactId, at(TUESDAY, '14:00'), clinic.ultrasound.id); // 14:00–15:00
    const overlap = await refusal(book(await newContact(), at(TUESDAY, '14:30')));
    expect(overlap.code).toBe('conflict');
    // Straight into the table, past the service: the primary key of the cells refuses it too.
    const [appointment] = await testApp.db.query<{ id: string }>(
      sql`SELECT id FROM appointments WHERE starts_at = ${new Date(at(TUESDAY, '14:00'))}`,
    );
    await expect(
      testApp.db.execute(sql`INSERT INTO appointment_cells (org_id, specialist_id, cell_at, appointment_id)
        VALUES (${org.orgId}, ${clinic.doctor.id}, ${new Date(at(TUESDAY, '14:55'))}, ${appointment?.id})`),
    ).rejects.toMatchObject({ code: '23505' });
    // Another doctor is free at that time.
    const other = await bookAppointment(ctx(), {
      contactId,
      serviceId: clinic.ultrasound.id,
      specialistId: clinic.other.id,
      branchId: clinic.branch.id,
      startsAt: at(TUESDAY, '13:00'),
    });
    expect(other.status).toBe('booked');
  });

  it('refuses a time outside the schedule, off the grid, or a service the doctor does not provide', async () => {
    const contactId = await newContact();
    expect((await refusal(book(contactId, at(TUESDAY, '08:30')))).details).toEqual({
      rule: 'outside_schedule',
    });
    expect(
      (await refusal(book(contactId, at(TUESDAY, '17:45'), clinic.ultrasound.id))).details,
    ).toEqual({ rule: 'outside_schedule' });
    expect((await refusal(book(contactId, at('2026-03-04', '10:00')))).details).toEqual({
      rule: 'outside_schedule',
    });
    expect((await refusal(book(contactId, `${TUESDAY}T12:02:00+03:00`))).details).toEqual({
      rule: 'slot_off_grid',
    });
    const notProvided = await refusal(
      bookAppointment(ctx(), {
        contactId,
        serviceId: clinic.consultation.id,
        specialistId: clinic.other.id,
        branchId: clinic.branch.id,
        startsAt: at(TUESDAY, '10:00'),
      }),
    );
    expect(notProvided.details).toEqual({ rule: 'service_not_provided' });
  });

  it('moves through statuses with a history; a cancellation frees the slot, final statuses stay', async () => {
    const contactId = await newContact();
    const booked = await book(contactId, at(TUESDAY, '15:30'));
    expect(booked.nextStatuses).toEqual(['confirmed', 'came', 'no_show', 'cancelled']);
    await changeAppointmentStatus(ctx(), booked.id, 'confirmed');
    const cancelled = await changeAppointmentStatus(ctx(), booked.id, 'cancelled');
    expect(cancelled.status).toBe('cancelled');
    expect(
      (await refusal(changeAppointmentStatus(ctx(), booked.id, 'came'))).details,
    ).toMatchObject({
      rule: 'appointment_status',
    });
    const again = await book(await newContact(), at(TUESDAY, '15:30'));
    const came = await changeAppointmentStatus(ctx(), again.id, 'came');
    expect(came.nextStatuses).toEqual([]);
    const detail = await getAppointment(ctx(), booked.id);
    expect(detail.events.map((event) => event.status)).toEqual([
      'booked',
      'confirmed',
      'cancelled',
    ]);
    const timeline = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      appointmentsOfContact(tx, contactId),
    );
    expect(timeline).toHaveLength(1);
    expect(timeline[0]?.events.map((event) => event.status)).toEqual([
      'booked',
      'confirmed',
      'cancelled',
    ]);
  });

  it('seals the comment under the person’s key and logs its reading', async () => {
    const contactId = await newContact();
    const booked = await bookAppointment(ctx(), {
      contactId,
      serviceId: clinic.consultation.id,
      specialistId: clinic.doctor.id,
      branchId: clinic.branch.id,
      startsAt: at(TUESDAY, '16:00'),
      comment: 'Просит перезвонить после 18:00',
    });
    const [stored] = await testApp.db.query<{ comment_enc: Uint8Array }>(
      sql`SELECT comment_enc FROM appointments WHERE id = ${booked.id}`,
    );
    expect(Buffer.from(stored?.comment_enc ?? []).toString('utf8')).not.toContain('перезвонить');
    expect((await getAppointment(ctx(), booked.id)).comment).toBe('Просит перезвонить после 18:00');
    const [logged] = await testApp.db.query<{ n: unknown }>(sql`
      SELECT count(*) AS n FROM access_log WHERE subject_id = ${contactId}
        AND 'appointment_comment' = ANY(fields)`);
    expect(Number(logged?.n)).toBe(1);
  });

  it('lists appointments with names for the front desk, and another organization sees none', async () => {
    const page = await findAppointments(ctx(), { page: 1, pageSize: 50, status: 'booked' });
    expect(page.total).toBeGreaterThan(0);
    expect(page.items[0]?.contactName).toBe('Ирина Соколова');
    const stranger = await makeOrg(testApp);
    const strangerCtx = systemCtx(testApp.deps, {
      orgId: stranger.orgId,
      now: testApp.clock.now(),
    });
    expect((await findAppointments(strangerCtx, { page: 1, pageSize: 50 })).total).toBe(0);
    expect((await getCatalogue(strangerCtx)).services).toEqual([]);
    expect((await refusal(getAppointment(strangerCtx, page.items[0]?.id ?? ''))).code).toBe(
      'not_found',
    );
    const marketer = { ...ctx(), role: 'marketer' as const };
    expect((await refusal(findAppointments(marketer, { page: 1, pageSize: 50 }))).code).toBe(
      'forbidden',
    );
  });

  it('reminds by SMS on the contract basis a person without advertising consent, while advertising to them is refused', async () => {
    const smsc = await startSmsc();
    try {
      const sms = createSmscSender({ url: smsc.url, login: 'clinic', password: 'secret' });
      await createPurpose(ctx(), REMINDER_PURPOSE);
      // An advertising purpose cannot carry reminders: they would stop with a marketing opt-out.
      const wrong = await refusal(
        saveSettings(ctx(), {
          reminderPurposeCode: 'marketing',
          reminderHoursBefore: 24,
          reminderChannels: ['sms'],
          bookingFormId: null,
          bookingDaysAhead: 30,
        }),
      );
      expect(wrong.details).toMatchObject({ rule: 'reminder_purpose_basis' });
      await saveSettings(ctx(), {
        reminderPurposeCode: 'visit_reminders',
        reminderHoursBefore: 24,
        reminderChannels: ['sms'],
        bookingFormId: null,
        bookingDaysAhead: 30,
      });
      const contactId = await newContact({ isAdvertisingGiven: false });
      const visit = await book(contactId, at('2026-03-03', '09:00'));
      const marketing = await sendMarketingSms(ctx(), sms, {
        contactId,
        purposeCode: 'marketing',
        text: 'Скидка 20% на УЗИ',
      });
      expect(marketing).toMatchObject({ status: 'refused', reason: 'no_consent' });
      // They even opted out of advertising SMS: that stops advertising, not their reminder.
      await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        suppress(tx, ctx(), { contactId, channel: 'sms', reason: 'unsubscribed', source: 'test' }),
      );
      // A service message under an advertising purpose is refused by the gate itself.
      const misuse = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        checkOutbound(tx, ctx(), {
          contactId,
          purposeCode: 'marketing',
          channel: 'sms',
          messageKind: 'service',
        }),
      );
      expect(misuse).toEqual({ allowed: false, reason: 'not_a_service_purpose' });

      const sentBefore = smsc.sent.length;
      const run = await sendDueRemindersIn(ctx(), {
        db: testApp.db,
        keys: testApp.keys,
        publicUrl: testApp.deps.publicUrl,
        sms,
      });
      // Every active appointment within 24 hours is reminded (this person's among them).
      expect(run.sent).toBeGreaterThan(0);
      expect(run.refused).toBe(0);
      const texts = smsc.sent.slice(sentBefore).map((form) => form.get('mes') ?? '');
      expect(texts.some((text) => text.includes('03.03.2026 в 09:00'))).toBe(true);
      expect(texts.every((text) => !text.includes('/u/'))).toBe(true);
      const [logged] = await testApp.db.query<{
        basis: string;
        message_kind: string;
        status: string;
      }>(sql`
        SELECT m.basis, m.message_kind, m.status FROM appointment_reminders r
        JOIN outbound_messages m ON m.id = r.outbound_message_id
        WHERE r.appointment_id = ${visit.id}`);
      expect(logged).toEqual({ basis: 'contract', message_kind: 'service', status: 'sent' });
      // Once per appointment and channel.
      const again = await sendDueRemindersIn(ctx(), {
        db: testApp.db,
        keys: testApp.keys,
        publicUrl: testApp.deps.publicUrl,
        sms,
      });
      expect(again).toEqual({ sent: 0, refused: 0, failed: 0 });
    } finally {
      smsc.server.close();
    }
  });
});
