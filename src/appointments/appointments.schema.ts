import { z } from 'zod';
import { pageOf, ZPageQuery } from '../platform/http/params.ts';
import { isTimeZone } from './zoned-time.ts';

export const APPOINTMENT_STATUSES = [
  'booked',
  'confirmed',
  'came',
  'no_show',
  'cancelled',
] as const;
export type TAppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const EXCEPTION_KINDS = ['day_off', 'vacation', 'sick_leave', 'other'] as const;
export const REMINDER_CHANNELS = ['sms', 'email'] as const;

const ZName = z.string().trim().min(1).max(200);
const ZDate = z.iso.date();
const ZTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** RUB kopecks, a non-negative integer. */
const ZPriceKopecks = z.number().int().min(0).max(1_000_000_000_000);

// ---- catalogue ----

export const ZBranchBody = z.strictObject({
  name: ZName,
  address: z.string().trim().max(500).default(''),
  timeZone: z.string().max(64).refine(isTimeZone, 'Not a known time zone').default('Europe/Moscow'),
  isArchived: z.boolean().default(false),
});
export type TBranchBody = z.infer<typeof ZBranchBody>;

export const ZBranch = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  timeZone: z.string(),
  isArchived: z.boolean(),
});
export type TBranch = z.infer<typeof ZBranch>;

export const ZServiceBody = z.strictObject({
  name: z.string().trim().min(1).max(300),
  durationMinutes: z
    .number()
    .int()
    .min(5)
    .max(720)
    .refine((value) => value % 5 === 0, 'A multiple of 5 minutes'),
  priceKopecks: ZPriceKopecks,
  isOnlineBookable: z.boolean().default(true),
  isArchived: z.boolean().default(false),
});
export type TServiceBody = z.infer<typeof ZServiceBody>;

export const ZService = z.object({
  id: z.string(),
  name: z.string(),
  durationMinutes: z.number().int(),
  priceKopecks: z.number().int(),
  isOnlineBookable: z.boolean(),
  isArchived: z.boolean(),
});
export type TService = z.infer<typeof ZService>;

const ZWindow = z
  .strictObject({
    branchId: z.uuid(),
    weekday: z.number().int().min(1).max(7),
    startsAt: ZTime,
    endsAt: ZTime,
  })
  .refine((window) => window.startsAt < window.endsAt, {
    message: 'Ends after it starts',
    path: ['endsAt'],
  });

export const ZSpecialistBody = z.strictObject({
  name: ZName,
  specialty: z.string().trim().max(200).default(''),
  isArchived: z.boolean().default(false),
  serviceIds: z.array(z.uuid()).max(500).default([]),
  /** The weekly schedule: working windows per ISO weekday (1 = Monday) at a branch. */
  schedule: z.array(ZWindow).max(100).default([]),
});
export type TSpecialistBody = z.infer<typeof ZSpecialistBody>;

export const ZScheduleWindow = z.object({
  branchId: z.string(),
  weekday: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
});

export const ZSpecialist = z.object({
  id: z.string(),
  name: z.string(),
  specialty: z.string(),
  isArchived: z.boolean(),
  serviceIds: z.array(z.string()),
  schedule: z.array(ZScheduleWindow),
});
export type TSpecialist = z.infer<typeof ZSpecialist>;

export const ZExceptionBody = z
  .strictObject({
    specialistId: z.uuid(),
    kind: z.enum(EXCEPTION_KINDS),
    startsOn: ZDate,
    endsOn: ZDate,
    /** Both or neither: without them the whole days are off. */
    startsAt: ZTime.optional(),
    endsAt: ZTime.optional(),
    note: z.string().trim().max(300).default(''),
  })
  .refine((body) => body.startsOn <= body.endsOn, {
    message: 'Ends on or after the first day',
    path: ['endsOn'],
  })
  .refine((body) => (body.startsAt === undefined) === (body.endsAt === undefined), {
    message: 'Give both times or neither',
    path: ['endsAt'],
  })
  .refine((body) => !body.startsAt || !body.endsAt || body.startsAt < body.endsAt, {
    message: 'Ends after it starts',
    path: ['endsAt'],
  });
export type TExceptionBody = z.infer<typeof ZExceptionBody>;

export const ZException = z.object({
  id: z.string(),
  specialistId: z.string(),
  kind: z.enum(EXCEPTION_KINDS),
  startsOn: z.string(),
  endsOn: z.string(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  note: z.string(),
});
export type TException = z.infer<typeof ZException>;

export const ZExceptionQuery = z.strictObject({
  specialistId: z.uuid().optional(),
  from: ZDate,
  to: ZDate,
});

export const ZSettingsBody = z.strictObject({
  /** A purpose resting on the contract or medical care, never an advertising one. */
  reminderPurposeCode: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .nullable(),
  reminderHoursBefore: z.number().int().min(1).max(168),
  reminderChannels: z.array(z.enum(REMINDER_CHANNELS)).max(2),
  /** The published form whose fields and consent boxes the booking page shows. */
  bookingFormId: z.uuid().nullable(),
  bookingDaysAhead: z.number().int().min(1).max(365),
});
export type TSettingsBody = z.infer<typeof ZSettingsBody>;
export const ZSettings = ZSettingsBody.extend({
  bookingPageUrl: z.string().nullable(),
  reminderChannels: z.array(z.enum(REMINDER_CHANNELS)),
  reminderPurposeCode: z.string().nullable(),
  bookingFormId: z.string().nullable(),
});
export type TSettings = z.infer<typeof ZSettings>;

export const ZCatalogue = z.object({
  branches: z.array(ZBranch),
  specialists: z.array(ZSpecialist),
  services: z.array(ZService),
});
export type TCatalogue = z.infer<typeof ZCatalogue>;

export const ZIdParams = z.strictObject({ id: z.uuid() });

// ---- slots and appointments ----

export const ZSlotQuery = z.strictObject({
  serviceId: z.uuid(),
  specialistId: z.uuid().optional(),
  branchId: z.uuid().optional(),
  from: ZDate,
  /** Inclusive; at most 31 days after `from`. */
  to: ZDate.optional(),
});
export type TSlotQuery = z.infer<typeof ZSlotQuery>;

export const ZSlot = z.object({
  specialistId: z.string(),
  branchId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** The branch's calendar date and wall-clock time of the start. */
  date: z.string(),
  time: z.string(),
});
export type TSlot = z.infer<typeof ZSlot>;
export const ZSlotList = z.object({
  serviceId: z.string(),
  durationMinutes: z.number().int(),
  priceKopecks: z.number().int(),
  slots: z.array(ZSlot),
});
export type TSlotList = z.infer<typeof ZSlotList>;

export const ZBookBody = z.strictObject({
  contactId: z.uuid(),
  leadId: z.uuid().optional(),
  serviceId: z.uuid(),
  specialistId: z.uuid(),
  branchId: z.uuid(),
  startsAt: z.iso.datetime({ offset: true }),
  comment: z.string().trim().max(1000).optional(),
});
export type TBookBody = z.infer<typeof ZBookBody>;

export const ZStatusBody = z.strictObject({
  status: z.enum(APPOINTMENT_STATUSES),
});
export type TStatusBody = z.infer<typeof ZStatusBody>;

export const ZAppointmentEvent = z.object({
  status: z.enum(APPOINTMENT_STATUSES),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorLabel: z.string(),
});

export const ZReminder = z.object({
  channel: z.enum(REMINDER_CHANNELS),
  status: z.enum(['sent', 'refused', 'failed']),
  reason: z.string().nullable(),
  at: z.string(),
});

export const ZAppointment = z.object({
  id: z.string(),
  contactId: z.string(),
  contactName: z.string().nullable(),
  leadId: z.string().nullable(),
  specialistId: z.string(),
  specialistName: z.string(),
  branchId: z.string(),
  branchName: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
  priceKopecks: z.number().int(),
  source: z.enum(['admin', 'online', 'import', 'demo']),
  createdAt: z.string(),
  statusAt: z.string(),
  /** Statuses this appointment may move to next. */
  nextStatuses: z.array(z.enum(APPOINTMENT_STATUSES)),
});
export type TAppointment = z.infer<typeof ZAppointment>;
export const ZAppointmentPage = pageOf(ZAppointment);

export const ZAppointmentDetail = ZAppointment.extend({
  comment: z.string().nullable(),
  events: z.array(ZAppointmentEvent),
  reminders: z.array(ZReminder),
});
export type TAppointmentDetail = z.infer<typeof ZAppointmentDetail>;

export const ZAppointmentQuery = z.strictObject({
  ...ZPageQuery,
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  specialistId: z.uuid().optional(),
  branchId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  status: z.enum(APPOINTMENT_STATUSES).optional(),
});
export type TAppointmentQuery = z.infer<typeof ZAppointmentQuery>;

export const ZReminderRun = z.object({
  sent: z.number().int(),
  refused: z.number().int(),
  failed: z.number().int(),
});
export type TReminderRun = z.infer<typeof ZReminderRun>;
