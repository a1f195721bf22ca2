import { randomUUID } from 'node:crypto';
import { recordAccess, recordAudit } from '../access-log/access-log.service.ts';
import { contactErasure, readContacts } from '../contacts/contacts.service.ts';
import { openField, orgKeyring, sealField, subjectKeys } from '../keys/keys.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Page } from '../platform/http/params.ts';
import { can } from '../platform/permissions.ts';
import {
  type AppointmentRow,
  type AppointmentStatus,
  deleteCells,
  findAppointment,
  findAppointmentPage,
  findAppointmentsOfContact,
  findBranches,
  findBusy,
  findEventsOf,
  findExceptions,
  findRemindersOf,
  findSchedules,
  findService,
  findSpecialists,
  insertAppointment,
  insertAppointmentEvent,
  insertCells,
  updateAppointmentStatus,
} from './appointments.repo.ts';
import type {
  TAppointment,
  TAppointmentDetail,
  TAppointmentQuery,
  TBookBody,
  TSlot,
  TSlotList,
  TSlotQuery,
} from './appointments.schema.ts';
import { assertCan } from './clinic.service.ts';
import { cellsOf, type DaySchedule, freeStarts, isOnGrid, isWithinSchedule } from './slots.ts';
import { addDays, isoWeekday, zonedDate, zonedInstant, zonedTime } from './zoned-time.ts';

/** Where an appointment may go next. Came, no-show and cancelled are final. */
export const NEXT_STATUSES: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  booked: ['confirmed', 'came', 'no_show', 'cancelled'],
  confirmed: ['came', 'no_show', 'cancelled'],
  came: [],
  no_show: [],
  cancelled: [],
};

/** Slots are computed for at most this many days at once. */
export const MAX_SLOT_DAYS = 31;

function view(row: AppointmentRow, contactName: string | null): TAppointment {
  return {
    id: row.id,
    contactId: row.contactId,
    contactName,
    leadId: row.leadId,
    specialistId: row.specialistId,
    specialistName: row.specialistName,
    branchId: row.branchId,
    branchName: row.branchName,
    serviceId: row.serviceId,
    serviceName: row.serviceName,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status: row.status,
    priceKopecks: row.priceKopecks,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
    statusAt: row.statusAt.toISOString(),
    nextStatuses: [...NEXT_STATUSES[row.status]],
  };
}

function actorLabel(ctx: Ctx): string {
  switch (ctx.actor.type) {
    case 'user':
      return 'user';
    case 'token':
      return 'api_token';
    case 'system':
      return ctx.actor.label.slice(0, 200);
  }
}

// ---- free slots ----

type SlotInput = {
  serviceId: string;
  specialistId?: string | undefined;
  branchId?: string | undefined;
  from: string;
  to: string;
  /** Starts before this instant are not offered. */
  notBefore: Date;
  /** The public page: only services marked bookable online. */
  isOnline: boolean;
};

async function scheduleContext(tx: Tx, specialistIds: readonly string[], from: string, to: string) {
  const branches = new Map((await findBranches(tx)).map((branch) => [branch.id, branch]));
  const windows = await findSchedules(tx, specialistIds);
  const exceptions = await findExceptions(tx, { specialistIds, from, to });
  return { branches, windows, exceptions };
}

function dayOf(
  context: Awaited<ReturnType<typeof scheduleContext>>,
  specialistId: string,
  branchId: string,
  date: string,
): DaySchedule | null {
  const branch = context.branches.get(branchId);
  if (!branch || branch.isArchived) return null;
  const weekday = isoWeekday(date);
  return {
    date,
    timeZone: branch.timeZone,
    windows: context.windows.filter(
      (window) =>
        window.specialistId === specialistId &&
        window.branchId === branchId &&
        window.weekday === weekday,
    ),
    exceptions: context.exceptions.filter(
      (exception) =>
        exception.specialistId === specialistId &&
        exception.startsOn <= date &&
        date <= exception.endsOn,
    ),
  };
}

/**
 * Free slots of a service from … to (calendar dates, inclusive): for each specialist who
 * provides it, each working window of each day at each branch, minus days off and vacations,
 * minus active appointments. What it offers may be taken a moment later; the booking is the
 * check (the slot key in the database).
 */
export async function freeSlotsIn(tx: Tx, input: SlotInput): Promise<TSlotList> {
  const service = await findService(tx, input.serviceId);
  if (!service || service.isArchived || (input.isOnline && !service.isOnlineBookable)) {
    throw new AppError('not_found', 'No such service');
  }
  const days: string[] = [];
  for (let date = input.from; date <= input.to; date = addDays(date, 1)) days.push(date);
  if (days.length > MAX_SLOT_DAYS) {
    throw new AppError('validation_failed', `At most ${MAX_SLOT_DAYS} days at once`, {
      fields: { to: [`At most ${MAX_SLOT_DAYS} days after from`] },
    });
  }
  const specialists = (await findSpecialists(tx)).filter(
    (specialist) =>
      !specialist.isArchived &&
      specialist.serviceIds.includes(service.id) &&
      (!input.specialistId || specialist.id === input.specialistId),
  );
  const result: TSlotList = {
    serviceId: service.id,
    durationMinutes: service.durationMinutes,
    priceKopecks: service.priceKopecks,
    slots: [],
  };
  if (specialists.length === 0 || days.length === 0) return result;
  const ids = specialists.map((specialist) => specialist.id);
  const context = await scheduleContext(tx, ids, input.from, input.to);
  // A day in any zone lies within a day either side of the UTC dates.
  const busy = await findBusy(tx, {
    specialistIds: ids,
    from: zonedInstant(addDays(input.from, -1), '00:00', 'UTC'),
    to: zonedInstant(addDays(input.to, 2), '00:00', 'UTC'),
  });
  const slots: TSlot[] = [];
  for (const specialist of specialists) {
    const branchIds = new Set(
      context.windows
        .filter((window) => window.specialistId === specialist.id)
        .map((window) => window.branchId)
        .filter((branchId) => !input.branchId || branchId === input.branchId),
    );
    const ownBusy = busy.filter((interval) => interval.specialistId === specialist.id);
    for (const branchId of branchIds) {
      for (const date of days) {
        const day = dayOf(context, specialist.id, branchId, date);
        if (!day || day.windows.length === 0) continue;
        for (const start of freeStarts(day, {
          durationMinutes: service.durationMinutes,
          busy: ownBusy,
          notBefore: input.notBefore,
        })) {
          slots.push({
            specialistId: specialist.id,
            branchId,
            startsAt: start.toISOString(),
            endsAt: new Date(start.getTime() + service.durationMinutes * 60_000).toISOString(),
            date,
            time: zonedTime(start, day.timeZone),
          });
        }
      }
    }
  }
  slots.sort(
    (a, b) => a.startsAt.localeCompare(b.startsAt) || a.specialistId.localeCompare(b.specialistId),
  );
  return { ...result, slots };
}

export async function findFreeSlots(ctx: Ctx, query: TSlotQuery): Promise<TSlotList> {
  assertCan(ctx, 'appointments.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    freeSlotsIn(tx, {
      ...query,
      to: query.to ?? query.from,
      notBefore: ctx.now,
      isOnline: false,
    }),
  );
}

// ---- booking ----

export type BookInput = {
  contactId: string;
  leadId: string | null;
  serviceId: string;
  specialistId: string;
  branchId: string;
  startsAt: Date;
  comment: string | null;
  source: 'admin' | 'online' | 'demo';
  submissionId: string | null;
};

function refuse(rule: string, message: string, field: string): never {
  throw new AppError('rule_violated', message, {
    details: { rule },
    fields: { [field]: [message] },
  });
}

/**
 * Books an appointment inside the caller's transaction. The schedule is checked here; the
 * exclusivity of the time is the database's: the appointment's 5-minute cells are keyed per
 * specialist, so of two bookings of one slot, however concurrent, the second fails with
 * `conflict` (`slot_taken`) and nothing of it is stored.
 */
export async function bookInTx(tx: Tx, ctx: Ctx, input: BookInput): Promise<AppointmentRow> {
  const service = await findService(tx, input.serviceId);
  if (!service || service.isArchived || (input.source === 'online' && !service.isOnlineBookable)) {
    throw new AppError('validation_failed', 'No such service', {
      fields: { serviceId: ['No such service'] },
    });
  }
  const specialist = (await findSpecialists(tx)).find((row) => row.id === input.specialistId);
  if (!specialist || specialist.isArchived) {
    throw new AppError('validation_failed', 'No such specialist', {
      fields: { specialistId: ['No such specialist'] },
    });
  }
  if (!specialist.serviceIds.includes(service.id)) {
    refuse('service_not_provided', 'The specialist does not provide this service', 'serviceId');
  }
  if (!isOnGrid(input.startsAt)) {
    refuse('slot_off_grid', 'Appointments start on a 5-minute mark', 'startsAt');
  }
  if (input.source === 'online' && input.startsAt < ctx.now) {
    refuse('slot_in_past', 'The time has passed', 'startsAt');
  }
  const interval = {
    start: input.startsAt,
    end: new Date(input.startsAt.getTime() + service.durationMinutes * 60_000),
  };
  const branch = (await findBranches(tx)).find((row) => row.id === input.branchId);
  if (!branch || branch.isArchived) {
    throw new AppError('validation_failed', 'No such branch', {
      fields: { branchId: ['No such branch'] },
    });
  }
  const date = zonedDate(interval.start, branch.timeZone);
  const context = await scheduleContext(tx, [specialist.id], date, date);
  const day = dayOf(context, specialist.id, branch.id, date);
  if (!day || !isWithinSchedule(day, interval)) {
    refuse('outside_schedule', 'The specialist does not work at that time', 'startsAt');
  }
  const contact = await contactErasure(tx, input.contactId);
  if (!contact) {
    throw new AppError('validation_failed', 'No such contact', {
      fields: { contactId: ['No such contact'] },
    });
  }
  if (contact.erasedAt) {
    throw new AppError('rule_violated', 'The contact was erased', {
      details: { rule: 'contact_destroyed' },
    });
  }
  const id = randomUUID();
  let commentEnc: Uint8Array | null = null;
  if (input.comment) {
    const [key] = (await subjectKeys(tx, await orgKeyring(tx, ctx), [input.contactId])).values();
    if (!key) {
      throw new AppError('rule_violated', 'The contact was erased', {
        details: { rule: 'contact_destroyed' },
      });
    }
    commentEnc = sealField(key, input.comment, `appointments:${id}:comment`);
  }
  await insertAppointment(tx, {
    id,
    orgId: ctx.orgId,
    contactId: input.contactId,
    leadId: input.leadId,
    specialistId: specialist.id,
    branchId: branch.id,
    serviceId: service.id,
    startsAt: interval.start,
    endsAt: interval.end,
    status: 'booked',
    priceKopecks: service.priceKopecks,
    source: input.source,
    submissionId: input.submissionId,
    commentEnc,
    createdBy: actorUserId(ctx.actor),
    at: ctx.now,
  });
  try {
    await insertCells(tx, {
      orgId: ctx.orgId,
      specialistId: specialist.id,
      appointmentId: id,
      cells: cellsOf(interval),
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new AppError('conflict', 'The slot is taken', {
        details: { rule: 'slot_taken' },
        fields: { startsAt: ['The slot is taken'] },
      });
    }
    throw error;
  }
  await insertAppointmentEvent(tx, {
    orgId: ctx.orgId,
    appointmentId: id,
    status: 'booked',
    actorUserId: actorUserId(ctx.actor),
    actorLabel: actorLabel(ctx),
    at: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: 'appointment.booked',
    entityType: 'appointment',
    entityId: id,
    details: {
      contactId: input.contactId,
      leadId: input.leadId,
      specialistId: specialist.id,
      serviceId: service.id,
      startsAt: interval.start.toISOString(),
      source: input.source,
    },
  });
  const row = await findAppointment(tx, id);
  if (!row) throw new Error('An appointment just written was not found');
  return row;
}

export async function bookAppointment(ctx: Ctx, body: TBookBody): Promise<TAppointment> {
  assertCan(ctx, 'appointments.manage');
  const row = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    bookInTx(tx, ctx, {
      contactId: body.contactId,
      leadId: body.leadId ?? null,
      serviceId: body.serviceId,
      specialistId: body.specialistId,
      branchId: body.branchId,
      startsAt: new Date(body.startsAt),
      comment: body.comment ?? null,
      source: 'admin',
      submissionId: null,
    }),
  );
  return view(row, null);
}

/**
 * Moves an appointment to its next status and records the change with who made it; a
 * cancellation frees its time for others.
 */
export async function changeStatusInTx(
  tx: Tx,
  ctx: Ctx,
  id: string,
  status: AppointmentStatus,
): Promise<AppointmentRow> {
  const row = await findAppointment(tx, id, true);
  if (!row) throw new AppError('not_found', 'No such appointment');
  if (!NEXT_STATUSES[row.status].includes(status)) {
    throw new AppError('rule_violated', `An appointment ${row.status} cannot become ${status}`, {
      details: { rule: 'appointment_status', from: row.status, to: status },
    });
  }
  await updateAppointmentStatus(tx, id, status, ctx.now);
  if (status === 'cancelled') await deleteCells(tx, id);
  await insertAppointmentEvent(tx, {
    orgId: ctx.orgId,
    appointmentId: id,
    status,
    actorUserId: actorUserId(ctx.actor),
    actorLabel: actorLabel(ctx),
    at: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: 'appointment.status',
    entityType: 'appointment',
    entityId: id,
    details: { from: row.status, to: status, contactId: row.contactId, leadId: row.leadId },
  });
  const changed = await findAppointment(tx, id);
  if (!changed) throw new Error('An appointment just changed was not found');
  return changed;
}

export async function changeAppointmentStatus(
  ctx: Ctx,
  id: string,
  status: AppointmentStatus,
): Promise<TAppointment> {
  assertCan(ctx, 'appointments.manage');
  const row = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    changeStatusInTx(tx, ctx, id, status),
  );
  return view(row, null);
}

// ---- reading ----

async function namesOf(tx: Tx, ctx: Ctx, rows: readonly AppointmentRow[]) {
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

export async function findAppointments(
  ctx: Ctx,
  query: TAppointmentQuery,
): Promise<Page<TAppointment>> {
  assertCan(ctx, 'appointments.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findAppointmentPage(tx, {
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      specialistId: query.specialistId,
      branchId: query.branchId,
      contactId: query.contactId,
      status: query.status,
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

export async function getAppointment(ctx: Ctx, id: string): Promise<TAppointmentDetail> {
  assertCan(ctx, 'appointments.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await findAppointment(tx, id);
    if (!row) throw new AppError('not_found', 'No such appointment');
    const names = await namesOf(tx, ctx, [row]);
    let comment: string | null = null;
    if (row.commentEnc && can(ctx.role, 'contacts.read')) {
      const [key] = (await subjectKeys(tx, await orgKeyring(tx, ctx), [row.contactId])).values();
      if (key) comment = openField(key, row.commentEnc, `appointments:${row.id}:comment`);
      await recordAccess(tx, ctx, {
        subjectType: 'contact',
        subjectIds: [row.contactId],
        fields: ['appointment_comment'],
        reason: 'appointment',
      });
    }
    const events = await findEventsOf(tx, [row.id]);
    const reminders = await findRemindersOf(tx, [row.id]);
    return {
      ...view(row, names.get(row.contactId) ?? null),
      comment,
      events: events.map((event) => ({
        status: event.status,
        at: event.at.toISOString(),
        actorUserId: event.actorUserId,
        actorLabel: event.actorLabel,
      })),
      reminders: reminders.map((reminder) => ({
        channel: reminder.channel,
        status: reminder.status,
        reason: reminder.reason,
        at: reminder.at.toISOString(),
      })),
    };
  });
}

/** A contact's appointments with their status history, for the card's timeline. */
export async function appointmentsOfContact(
  tx: Tx,
  contactId: string,
): Promise<
  (TAppointment & { events: { status: AppointmentStatus; at: string; actorLabel: string }[] })[]
> {
  const rows = await findAppointmentsOfContact(tx, contactId);
  const events = await findEventsOf(
    tx,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    ...view(row, null),
    events: events
      .filter((event) => event.appointmentId === row.id)
      .map((event) => ({
        status: event.status,
        at: event.at.toISOString(),
        actorLabel: event.actorLabel,
      })),
  }));
}

/** What a payment needs to know of the visit it is recorded against. */
export async function appointmentForPayment(
  tx: Tx,
  id: string,
): Promise<{ contactId: string; leadId: string | null; serviceId: string } | null> {
  const row = await findAppointment(tx, id);
  return row ? { contactId: row.contactId, leadId: row.leadId, serviceId: row.serviceId } : null;
}
