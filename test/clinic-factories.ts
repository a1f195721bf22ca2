import type { TBranch, TService, TSpecialist } from '../src/appointments/appointments.schema.ts';
import {
  createBranch,
  createService,
  createSpecialist,
} from '../src/appointments/clinic.service.ts';
import type { Ctx } from '../src/platform/context.ts';
import type { TPurposeBody } from '../src/purposes/purposes.schema.ts';
import { PROCESSING_PURPOSE } from './capture-factories.ts';

/** Reminders of one's own appointment: a service purpose on the contract basis, not consent. */
export const REMINDER_PURPOSE: TPurposeBody = {
  ...PROCESSING_PURPOSE,
  code: 'visit_reminders',
  title: 'Напоминания о записи на приём по договору',
  legalBasis: 'contract',
  channels: ['sms', 'email'],
};

export type TestClinic = {
  branch: TBranch;
  consultation: TService;
  ultrasound: TService;
  doctor: TSpecialist;
  other: TSpecialist;
};

/**
 * A branch in Moscow, two services (30 min for 2 500 ₽, 60 min for 4 200 ₽) and two doctors
 * working Monday to Friday 09:00–18:00 (the second one only on Tuesdays).
 */
export async function makeClinic(ctx: Ctx): Promise<TestClinic> {
  const branch = await createBranch(ctx, {
    name: 'Филиал на Тверской',
    address: 'Москва, ул. Тверская, 1',
    timeZone: 'Europe/Moscow',
    isArchived: false,
  });
  const consultation = await createService(ctx, {
    name: 'Консультация терапевта',
    durationMinutes: 30,
    priceKopecks: 250_000,
    isOnlineBookable: true,
    isArchived: false,
  });
  const ultrasound = await createService(ctx, {
    name: 'УЗИ брюшной полости',
    durationMinutes: 60,
    priceKopecks: 420_000,
    isOnlineBookable: true,
    isArchived: false,
  });
  const doctor = await createSpecialist(ctx, {
    name: 'Петрова Анна Сергеевна',
    specialty: 'терапевт',
    isArchived: false,
    serviceIds: [consultation.id, ultrasound.id],
    schedule: [1, 2, 3, 4, 5].map((weekday) => ({
      branchId: branch.id,
      weekday,
      startsAt: '09:00',
      endsAt: '18:00',
    })),
  });
  const other = await createSpecialist(ctx, {
    name: 'Иванов Олег Петрович',
    specialty: 'врач УЗИ',
    isArchived: false,
    serviceIds: [ultrasound.id],
    schedule: [{ branchId: branch.id, weekday: 2, startsAt: '10:00', endsAt: '14:00' }],
  });
  return { branch, consultation, ultrasound, doctor, other };
}
