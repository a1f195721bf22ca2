import { type Tx, toNumber } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';

// Rows are scoped by row-level security to the transaction's organization.

export type AppointmentStatus = 'booked' | 'confirmed' | 'came' | 'no_show' | 'cancelled';

// ---- the catalogue: branches, specialists, services, schedules, exceptions, settings ----

export type BranchRow = {
  id: string;
  name: string;
  address: string;
  timeZone: string;
  isArchived: boolean;
};

export async function insertBranch(
  tx: Tx,
  row: BranchRow & { orgId: string; at: Date },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO branches (id, org_id, name, address, time_zone, is_archived, created_at)
    VALUES (${row.id}, ${row.orgId}, ${row.name}, ${row.address}, ${row.timeZone},
      ${row.isArchived}, ${row.at})`);
}

export async function updateBranch(tx: Tx, row: BranchRow): Promise<boolean> {
  return (
    (await tx.execute(sql`
      UPDATE branches SET name = ${row.name}, address = ${row.address},
        time_zone = ${row.timeZone}, is_archived = ${row.isArchived}
      WHERE id = ${row.id}`)) > 0
  );
}

export async function findBranches(tx: Tx): Promise<BranchRow[]> {
  const rows = await tx.query<{
    id: string;
    name: string;
    address: string;
    time_zone: string;
    is_archived: boolean;
  }>(sql`SELECT id, name, address, time_zone, is_archived FROM branches
    ORDER BY is_archived, name, id`);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    address: row.address,
    timeZone: row.time_zone,
    isArchived: row.is_archived,
  }));
}

export type SpecialistRow = {
  id: string;
  name: string;
  specialty: string;
  isArchived: boolean;
  serviceIds: string[];
};

export async function insertSpecialist(
  tx: Tx,
  row: Omit<SpecialistRow, 'serviceIds'> & { orgId: string; at: Date },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO specialists (id, org_id, name, specialty, is_archived, created_at)
    VALUES (${row.id}, ${row.orgId}, ${row.name}, ${row.specialty}, ${row.isArchived}, ${row.at})`);
}

export async function updateSpecialist(
  tx: Tx,
  row: Omit<SpecialistRow, 'serviceIds'>,
): Promise<boolean> {
  return (
    (await tx.execute(sql`
      UPDATE specialists SET name = ${row.name}, specialty = ${row.specialty},
        is_archived = ${row.isArchived}
      WHERE id = ${row.id}`)) > 0
  );
}

export async function replaceSpecialistServices(
  tx: Tx,
  orgId: string,
  specialistId: string,
  serviceIds: readonly string[],
): Promise<void> {
  await tx.execute(sql`DELETE FROM specialist_services WHERE specialist_id = ${specialistId}`);
  if (serviceIds.length === 0) return;
  await tx.execute(sql`
    INSERT INTO specialist_services (org_id, specialist_id, service_id)
    SELECT ${orgId}, ${specialistId}, unnest(${[...new Set(serviceIds)]}::uuid[])`);
}

export async function findSpecialists(tx: Tx): Promise<SpecialistRow[]> {
  const rows = await tx.query<{
    id: string;
    name: string;
    specialty: string;
    is_archived: boolean;
    service_ids: string[] | null;
  }>(sql`
    SELECT s.id, s.name, s.specialty, s.is_archived,
      array_remove(array_agg(ss.service_id ORDER BY ss.service_id), NULL) AS service_ids
    FROM specialists s LEFT JOIN specialist_services ss ON ss.specialist_id = s.id
    GROUP BY s.id ORDER BY s.is_archived, s.name, s.id`);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    specialty: row.specialty,
    isArchived: row.is_archived,
    serviceIds: row.service_ids ?? [],
  }));
}

export type ServiceRow = {
  id: string;
  name: string;
  durationMinutes: number;
  priceKopecks: number;
  isOnlineBookable: boolean;
  isArchived: boolean;
};

type StoredService = {
  id: string;
  name: string;
  duration_minutes: number;
  price_kopecks: unknown;
  is_online_bookable: boolean;
  is_archived: boolean;
};

function toService(row: StoredService): ServiceRow {
  return {
    id: row.id,
    name: row.name,
    durationMinutes: row.duration_minutes,
    priceKopecks: toNumber(row.price_kopecks),
    isOnlineBookable: row.is_online_bookable,
    isArchived: row.is_archived,
  };
}

export async function insertService(
  tx: Tx,
  row: ServiceRow & { orgId: string; at: Date },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO clinic_services (id, org_id, name, duration_minutes, price_kopecks,
      is_online_bookable, is_archived, created_at)
    VALUES (${row.id}, ${row.orgId}, ${row.name}, ${row.durationMinutes}, ${row.priceKopecks},
      ${row.isOnlineBookable}, ${row.isArchived}, ${row.at})`);
}

export async function updateService(tx: Tx, row: ServiceRow): Promise<boolean> {
  return (
    (await tx.execute(sql`
      UPDATE clinic_services SET name = ${row.name}, duration_minutes = ${row.durationMinutes},
        price_kopecks = ${row.priceKopecks}, is_online_bookable = ${row.isOnlineBookable},
        is_archived = ${row.isArchived}
      WHERE id = ${row.id}`)) > 0
  );
}

export async function findServices(tx: Tx): Promise<ServiceRow[]> {
  const rows = await tx.query<StoredService>(sql`
    SELECT id, name, duration_minutes, price_kopecks, is_online_bookable, is_archived
    FROM clinic_services ORDER BY is_archived, name, id`);
  return rows.map(toService);
}

export async function findService(tx: Tx, id: string): Promise<ServiceRow | null> {
  const rows = await tx.query<StoredService>(sql`
    SELECT id, name, duration_minutes, price_kopecks, is_online_bookable, is_archived
    FROM clinic_services WHERE id = ${id}`);
  return rows[0] ? toService(rows[0]) : null;
}

export type ScheduleRow = {
  id: string;
  specialistId: string;
  branchId: string;
  weekday: number;
  startsAt: string;
  endsAt: string;
};

export async function replaceSchedule(
  tx: Tx,
  orgId: string,
  specialistId: string,
  windows: readonly Omit<ScheduleRow, 'id' | 'specialistId'>[],
): Promise<void> {
  await tx.execute(sql`DELETE FROM work_schedules WHERE specialist_id = ${specialistId}`);
  for (const window of windows) {
    await tx.execute(sql`
      INSERT INTO work_schedules (org_id, specialist_id, branch_id, weekday, starts_at, ends_at)
      VALUES (${orgId}, ${specialistId}, ${window.branchId}, ${window.weekday},
        ${window.startsAt}::time, ${window.endsAt}::time)`);
  }
}

export async function findSchedules(
  tx: Tx,
  specialistIds: readonly string[] | null,
): Promise<ScheduleRow[]> {
  const where = specialistIds ? sql`WHERE specialist_id = ANY(${specialistIds}::uuid[])` : sql``;
  const rows = await tx.query<{
    id: string;
    specialist_id: string;
    branch_id: string;
    weekday: number;
    starts_at: string;
    ends_at: string;
  }>(sql`
    SELECT id, specialist_id, branch_id, weekday, to_char(starts_at, 'HH24:MI') AS starts_at,
      to_char(ends_at, 'HH24:MI') AS ends_at
    FROM work_schedules ${where} ORDER BY specialist_id, weekday, starts_at`);
  return rows.map((row) => ({
    id: row.id,
    specialistId: row.specialist_id,
    branchId: row.branch_id,
    weekday: row.weekday,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
  }));
}

export type ExceptionRow = {
  id: string;
  specialistId: string;
  kind: 'day_off' | 'vacation' | 'sick_leave' | 'other';
  startsOn: string;
  endsOn: string;
  startsAt: string | null;
  endsAt: string | null;
  note: string;
};

export async function insertException(
  tx: Tx,
  row: ExceptionRow & { orgId: string; at: Date },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO schedule_exceptions (id, org_id, specialist_id, kind, starts_on, ends_on,
      starts_at, ends_at, note, created_at)
    VALUES (${row.id}, ${row.orgId}, ${row.specialistId}, ${row.kind}, ${row.startsOn}::date,
      ${row.endsOn}::date, ${row.startsAt}::time, ${row.endsAt}::time, ${row.note}, ${row.at})`);
}

export async function deleteException(tx: Tx, id: string): Promise<ExceptionRow | null> {
  const [found] = await findExceptionsWhere(tx, sql`id = ${id}`);
  if (!found) return null;
  await tx.execute(sql`DELETE FROM schedule_exceptions WHERE id = ${id}`);
  return found;
}

async function findExceptionsWhere(tx: Tx, where: SqlFragment): Promise<ExceptionRow[]> {
  const rows = await tx.query<{
    id: string;
    specialist_id: string;
    kind: ExceptionRow['kind'];
    starts_on: string;
    ends_on: string;
    starts_at: string | null;
    ends_at: string | null;
    note: string;
  }>(sql`
    SELECT id, specialist_id, kind, starts_on::text AS starts_on, ends_on::text AS ends_on,
      to_char(starts_at, 'HH24:MI') AS starts_at, to_char(ends_at, 'HH24:MI') AS ends_at, note
    FROM schedule_exceptions WHERE ${where} ORDER BY starts_on, specialist_id, id`);
  return rows.map((row) => ({
    id: row.id,
    specialistId: row.specialist_id,
    kind: row.kind,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    note: row.note,
  }));
}

/** Exceptions of these specialists touching the dates from … to (inclusive). */
export function findExceptions(
  tx: Tx,
  filter: { specialistIds: readonly string[] | null; from: string; to: string },
): Promise<ExceptionRow[]> {
  const who = filter.specialistIds
    ? sql`specialist_id = ANY(${filter.specialistIds}::uuid[]) AND `
    : sql``;
  return findExceptionsWhere(
    tx,
    sql`${who}starts_on <= ${filter.to}::date AND ends_on >= ${filter.from}::date`,
  );
}

export type SettingsRow = {
  reminderPurposeCode: string | null;
  reminderHoursBefore: number;
  reminderChannels: ('sms' | 'email')[];
  bookingFormId: string | null;
  bookingDaysAhead: number;
};

export const DEFAULT_SETTINGS: SettingsRow = {
  reminderPurposeCode: null,
  reminderHoursBefore: 24,
  reminderChannels: ['sms', 'email'],
  bookingFormId: null,
  bookingDaysAhead: 30,
};

/** The settings, with the booking form's slug (the public page's address). */
export async function findSettings(
  tx: Tx,
): Promise<SettingsRow & { bookingFormSlug: string | null }> {
  const rows = await tx.query<{
    reminder_purpose_code: string | null;
    reminder_hours_before: number;
    reminder_channels: ('sms' | 'email')[];
    booking_form_id: string | null;
    booking_days_ahead: number;
    booking_form_slug: string | null;
  }>(sql`SELECT s.reminder_purpose_code, s.reminder_hours_before, s.reminder_channels,
      s.booking_form_id, s.booking_days_ahead, f.slug AS booking_form_slug
    FROM appointment_settings s LEFT JOIN forms f ON f.id = s.booking_form_id`);
  const row = rows[0];
  if (!row) return { ...DEFAULT_SETTINGS, bookingFormSlug: null };
  return {
    reminderPurposeCode: row.reminder_purpose_code,
    reminderHoursBefore: row.reminder_hours_before,
    reminderChannels: row.reminder_channels,
    bookingFormId: row.booking_form_id,
    bookingDaysAhead: row.booking_days_ahead,
    bookingFormSlug: row.booking_form_slug,
  };
}

export async function saveSettings(
  tx: Tx,
  orgId: string,
  settings: SettingsRow,
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO appointment_settings (org_id, reminder_purpose_code, reminder_hours_before,
      reminder_channels, booking_form_id, booking_days_ahead, updated_at)
    VALUES (${orgId}, ${settings.reminderPurposeCode}, ${settings.reminderHoursBefore},
      ${settings.reminderChannels}::text[], ${settings.bookingFormId}, ${settings.bookingDaysAhead},
      ${at})
    ON CONFLICT (org_id) DO UPDATE SET reminder_purpose_code = EXCLUDED.reminder_purpose_code,
      reminder_hours_before = EXCLUDED.reminder_hours_before,
      reminder_channels = EXCLUDED.reminder_channels, booking_form_id = EXCLUDED.booking_form_id,
      booking_days_ahead = EXCLUDED.booking_days_ahead, updated_at = EXCLUDED.updated_at`);
}

// ---- appointments ----

export type AppointmentRow = {
  id: string;
  contactId: string;
  leadId: string | null;
  specialistId: string;
  specialistName: string;
  branchId: string;
  branchName: string;
  serviceId: string;
  serviceName: string;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  priceKopecks: number;
  source: 'admin' | 'online' | 'import' | 'demo';
  submissionId: string | null;
  commentEnc: Uint8Array | null;
  createdAt: Date;
  statusAt: Date;
};

type StoredAppointment = {
  id: string;
  contact_id: string;
  lead_id: string | null;
  specialist_id: string;
  specialist_name: string;
  branch_id: string;
  branch_name: string;
  service_id: string;
  service_name: string;
  starts_at: Date;
  ends_at: Date;
  status: AppointmentStatus;
  price_kopecks: unknown;
  source: AppointmentRow['source'];
  submission_id: string | null;
  comment_enc: Uint8Array | null;
  created_at: Date;
  status_at: Date;
};

function toAppointment(row: StoredAppointment): AppointmentRow {
  return {
    id: row.id,
    contactId: row.contact_id,
    leadId: row.lead_id,
    specialistId: row.specialist_id,
    specialistName: row.specialist_name,
    branchId: row.branch_id,
    branchName: row.branch_name,
    serviceId: row.service_id,
    serviceName: row.service_name,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    priceKopecks: toNumber(row.price_kopecks),
    source: row.source,
    submissionId: row.submission_id,
    commentEnc: row.comment_enc,
    createdAt: row.created_at,
    statusAt: row.status_at,
  };
}

const APPOINTMENT_FROM = sql`
  SELECT a.id, a.contact_id, a.lead_id, a.specialist_id, sp.name AS specialist_name, a.branch_id,
    b.name AS branch_name, a.service_id, s.name AS service_name, a.starts_at, a.ends_at, a.status,
    a.price_kopecks, a.source, a.submission_id, a.comment_enc, a.created_at, a.status_at
  FROM appointments a
  JOIN specialists sp ON sp.id = a.specialist_id
  JOIN branches b ON b.id = a.branch_id
  JOIN clinic_services s ON s.id = a.service_id`;

export type NewAppointment = {
  id: string;
  orgId: string;
  contactId: string;
  leadId: string | null;
  specialistId: string;
  branchId: string;
  serviceId: string;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  priceKopecks: number;
  source: AppointmentRow['source'];
  submissionId: string | null;
  commentEnc: Uint8Array | null;
  createdBy: string | null;
  at: Date;
};

export async function insertAppointment(tx: Tx, row: NewAppointment): Promise<void> {
  await tx.execute(sql`
    INSERT INTO appointments (id, org_id, contact_id, lead_id, specialist_id, branch_id,
      service_id, starts_at, ends_at, status, price_kopecks, source, submission_id, comment_enc,
      created_by, created_at, status_at)
    VALUES (${row.id}, ${row.orgId}, ${row.contactId}, ${row.leadId}, ${row.specialistId},
      ${row.branchId}, ${row.serviceId}, ${row.startsAt}, ${row.endsAt}, ${row.status},
      ${row.priceKopecks}, ${row.source}, ${row.submissionId}, ${row.commentEnc}, ${row.createdBy},
      ${row.at}, ${row.at})`);
}

/**
 * Takes the appointment's cells in one statement. A cell already held by another appointment
 * of the specialist raises a unique violation (23505): the slot is taken.
 */
export async function insertCells(
  tx: Tx,
  input: { orgId: string; specialistId: string; appointmentId: string; cells: readonly Date[] },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO appointment_cells (org_id, specialist_id, cell_at, appointment_id)
    SELECT ${input.orgId}, ${input.specialistId}, cell, ${input.appointmentId}
    FROM unnest(${input.cells.map((cell) => cell.toISOString())}::timestamptz[]) AS cell`);
}

export async function deleteCells(tx: Tx, appointmentId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM appointment_cells WHERE appointment_id = ${appointmentId}`);
}

export async function updateAppointmentStatus(
  tx: Tx,
  id: string,
  status: AppointmentStatus,
  at: Date,
): Promise<void> {
  await tx.execute(sql`UPDATE appointments SET status = ${status}, status_at = ${at}
    WHERE id = ${id}`);
}

export async function insertAppointmentEvent(
  tx: Tx,
  event: {
    orgId: string;
    appointmentId: string;
    status: AppointmentStatus;
    actorUserId: string | null;
    actorLabel: string;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO appointment_events (org_id, appointment_id, status, actor_user_id, actor_label, at)
    VALUES (${event.orgId}, ${event.appointmentId}, ${event.status}, ${event.actorUserId},
      ${event.actorLabel}, ${event.at})`);
}

export async function findAppointment(
  tx: Tx,
  id: string,
  isForUpdate = false,
): Promise<AppointmentRow | null> {
  const lock = isForUpdate ? sql` FOR UPDATE OF a` : sql``;
  const rows = await tx.query<StoredAppointment>(
    sql`${APPOINTMENT_FROM} WHERE a.id = ${id}${lock}`,
  );
  return rows[0] ? toAppointment(rows[0]) : null;
}

export async function findAppointmentPage(
  tx: Tx,
  filter: {
    from?: Date | undefined;
    to?: Date | undefined;
    specialistId?: string | undefined;
    branchId?: string | undefined;
    contactId?: string | undefined;
    status?: AppointmentStatus | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ rows: AppointmentRow[]; total: number }> {
  const conditions: SqlFragment[] = [sql`true`];
  if (filter.from) conditions.push(sql`a.starts_at >= ${filter.from}`);
  if (filter.to) conditions.push(sql`a.starts_at < ${filter.to}`);
  if (filter.specialistId) conditions.push(sql`a.specialist_id = ${filter.specialistId}`);
  if (filter.branchId) conditions.push(sql`a.branch_id = ${filter.branchId}`);
  if (filter.contactId) conditions.push(sql`a.contact_id = ${filter.contactId}`);
  if (filter.status) conditions.push(sql`a.status = ${filter.status}`);
  const where = sql.join(conditions, ' AND ');
  const rows = await tx.query<StoredAppointment & { total: unknown }>(sql`
    SELECT page.*, count(*) OVER () AS total FROM (${APPOINTMENT_FROM} WHERE ${where}) page
    ORDER BY page.starts_at, page.id LIMIT ${filter.limit} OFFSET ${filter.offset}`);
  return { rows: rows.map(toAppointment), total: rows[0] ? toNumber(rows[0].total) : 0 };
}

/** Busy intervals (active appointments) of these specialists overlapping from … to. */
export async function findBusy(
  tx: Tx,
  filter: { specialistIds: readonly string[]; from: Date; to: Date },
): Promise<{ specialistId: string; start: Date; end: Date }[]> {
  const rows = await tx.query<{ specialist_id: string; starts_at: Date; ends_at: Date }>(sql`
    SELECT specialist_id, starts_at, ends_at FROM appointments
    WHERE specialist_id = ANY(${[...filter.specialistIds]}::uuid[])
      AND status <> 'cancelled' AND starts_at < ${filter.to} AND ends_at > ${filter.from}`);
  return rows.map((row) => ({
    specialistId: row.specialist_id,
    start: row.starts_at,
    end: row.ends_at,
  }));
}

export type AppointmentEventRow = {
  appointmentId: string;
  status: AppointmentStatus;
  actorUserId: string | null;
  actorLabel: string;
  at: Date;
};

export async function findEventsOf(
  tx: Tx,
  appointmentIds: readonly string[],
): Promise<AppointmentEventRow[]> {
  if (appointmentIds.length === 0) return [];
  const rows = await tx.query<{
    appointment_id: string;
    status: AppointmentStatus;
    actor_user_id: string | null;
    actor_label: string;
    at: Date;
  }>(sql`
    SELECT appointment_id, status, actor_user_id, actor_label, at FROM appointment_events
    WHERE appointment_id = ANY(${[...appointmentIds]}::uuid[]) ORDER BY at, seq`);
  return rows.map((row) => ({
    appointmentId: row.appointment_id,
    status: row.status,
    actorUserId: row.actor_user_id,
    actorLabel: row.actor_label,
    at: row.at,
  }));
}

export async function findAppointmentsOfContact(
  tx: Tx,
  contactId: string,
): Promise<AppointmentRow[]> {
  const rows = await tx.query<StoredAppointment>(
    sql`${APPOINTMENT_FROM} WHERE a.contact_id = ${contactId} ORDER BY a.starts_at, a.id`,
  );
  return rows.map(toAppointment);
}

// ---- reminders ----

/** Active appointments starting in [from, to) that have no reminder on this channel yet. */
export async function findDueReminders(
  tx: Tx,
  filter: { from: Date; to: Date; channel: 'sms' | 'email'; limit: number },
): Promise<AppointmentRow[]> {
  const rows = await tx.query<StoredAppointment>(sql`
    ${APPOINTMENT_FROM}
    WHERE a.status IN ('booked', 'confirmed') AND a.starts_at >= ${filter.from}
      AND a.starts_at < ${filter.to}
      AND NOT EXISTS (SELECT 1 FROM appointment_reminders r
        WHERE r.appointment_id = a.id AND r.channel = ${filter.channel})
    ORDER BY a.starts_at, a.id LIMIT ${filter.limit}`);
  return rows.map(toAppointment);
}

/** Records a reminder once per appointment and channel; false if one was recorded already. */
export async function insertReminder(
  tx: Tx,
  row: {
    orgId: string;
    appointmentId: string;
    channel: 'sms' | 'email';
    outboundMessageId: string | null;
    status: 'sent' | 'refused' | 'failed';
    reason: string | null;
    at: Date;
  },
): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(sql`
    INSERT INTO appointment_reminders (org_id, appointment_id, channel, outbound_message_id,
      status, reason, created_at)
    VALUES (${row.orgId}, ${row.appointmentId}, ${row.channel}, ${row.outboundMessageId},
      ${row.status}, ${row.reason}, ${row.at})
    ON CONFLICT (org_id, appointment_id, channel) DO NOTHING RETURNING id`);
  return rows.length > 0;
}

export async function findRemindersOf(
  tx: Tx,
  appointmentIds: readonly string[],
): Promise<
  {
    appointmentId: string;
    channel: 'sms' | 'email';
    status: 'sent' | 'refused' | 'failed';
    reason: string | null;
    at: Date;
  }[]
> {
  if (appointmentIds.length === 0) return [];
  const rows = await tx.query<{
    appointment_id: string;
    channel: 'sms' | 'email';
    status: 'sent' | 'refused' | 'failed';
    reason: string | null;
    created_at: Date;
  }>(sql`
    SELECT appointment_id, channel, status, reason, created_at FROM appointment_reminders
    WHERE appointment_id = ANY(${[...appointmentIds]}::uuid[]) ORDER BY created_at`);
  return rows.map((row) => ({
    appointmentId: row.appointment_id,
    channel: row.channel,
    status: row.status,
    reason: row.reason,
    at: row.created_at,
  }));
}

export async function reminderOrgIds(tx: Tx, from: Date, to: Date): Promise<string[]> {
  const rows = await tx.query<{ org_id: string }>(
    sql`SELECT org_id FROM appointment_reminder_orgs(${from}, ${to})`,
  );
  return rows.map((row) => row.org_id);
}
