import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can, type Permission } from '../platform/permissions.ts';
import { isServiceMessageBasis } from '../purposes/purposes.schema.ts';
import { findActivePurposes } from '../purposes/purposes.service.ts';
import {
  type BranchRow,
  deleteException,
  type ExceptionRow,
  findBranches,
  findExceptions,
  findSchedules,
  findService,
  findServices,
  findSettings,
  findSpecialists,
  insertBranch,
  insertException,
  insertService,
  insertSpecialist,
  replaceSchedule,
  replaceSpecialistServices,
  type ScheduleRow,
  type ServiceRow,
  type SettingsRow,
  type SpecialistRow,
  saveSettings as saveSettingsRow,
  updateBranch,
  updateService,
  updateSpecialist,
} from './appointments.repo.ts';
import type {
  TBranch,
  TBranchBody,
  TCatalogue,
  TException,
  TExceptionBody,
  TService,
  TServiceBody,
  TSettings,
  TSettingsBody,
  TSpecialist,
  TSpecialistBody,
} from './appointments.schema.ts';

export function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) {
    throw new AppError('forbidden', `The role lacks ${permission}`, { details: { permission } });
  }
}

function specialistView(row: SpecialistRow, schedule: readonly ScheduleRow[]): TSpecialist {
  return {
    id: row.id,
    name: row.name,
    specialty: row.specialty,
    isArchived: row.isArchived,
    serviceIds: row.serviceIds,
    schedule: schedule
      .filter((window) => window.specialistId === row.id)
      .map((window) => ({
        branchId: window.branchId,
        weekday: window.weekday,
        startsAt: window.startsAt,
        endsAt: window.endsAt,
      })),
  };
}

function serviceView(row: ServiceRow): TService {
  return { ...row };
}

function exceptionView(row: ExceptionRow): TException {
  return { ...row };
}

/** Branches, specialists with their services and weekly schedules, and services, in one read. */
export async function catalogueIn(tx: Tx): Promise<TCatalogue> {
  const [branches, specialists, services, schedule] = [
    await findBranches(tx),
    await findSpecialists(tx),
    await findServices(tx),
    await findSchedules(tx, null),
  ];
  return {
    branches: branches.map((row) => ({ ...row })),
    specialists: specialists.map((row) => specialistView(row, schedule)),
    services: services.map(serviceView),
  };
}

export async function getCatalogue(ctx: Ctx): Promise<TCatalogue> {
  assertCan(ctx, 'clinic.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) => catalogueIn(tx));
}

export async function createBranch(ctx: Ctx, body: TBranchBody): Promise<TBranch> {
  assertCan(ctx, 'clinic.manage');
  const row: BranchRow = { id: randomUUID(), ...body };
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await insertBranch(tx, { ...row, orgId: ctx.orgId, at: ctx.now });
    await recordAudit(tx, ctx, {
      action: 'branch.created',
      entityType: 'branch',
      entityId: row.id,
    });
  });
  return row;
}

export async function changeBranch(ctx: Ctx, id: string, body: TBranchBody): Promise<TBranch> {
  assertCan(ctx, 'clinic.manage');
  const row: BranchRow = { id, ...body };
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await updateBranch(tx, row))) throw new AppError('not_found', 'No such branch');
    await recordAudit(tx, ctx, { action: 'branch.changed', entityType: 'branch', entityId: id });
  });
  return row;
}

export async function createService(ctx: Ctx, body: TServiceBody): Promise<TService> {
  assertCan(ctx, 'clinic.manage');
  const row: ServiceRow = { id: randomUUID(), ...body };
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await insertService(tx, { ...row, orgId: ctx.orgId, at: ctx.now });
    await recordAudit(tx, ctx, {
      action: 'clinic_service.created',
      entityType: 'clinic_service',
      entityId: row.id,
      details: { priceKopecks: row.priceKopecks, durationMinutes: row.durationMinutes },
    });
  });
  return serviceView(row);
}

export async function changeService(ctx: Ctx, id: string, body: TServiceBody): Promise<TService> {
  assertCan(ctx, 'clinic.manage');
  const row: ServiceRow = { id, ...body };
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await updateService(tx, row))) throw new AppError('not_found', 'No such service');
    await recordAudit(tx, ctx, {
      action: 'clinic_service.changed',
      entityType: 'clinic_service',
      entityId: id,
      details: { priceKopecks: row.priceKopecks, durationMinutes: row.durationMinutes },
    });
  });
  return serviceView(row);
}

async function checkSpecialistRefs(tx: Tx, body: TSpecialistBody): Promise<void> {
  const services = new Set((await findServices(tx)).map((service) => service.id));
  const branches = new Set((await findBranches(tx)).map((branch) => branch.id));
  const fields: Record<string, string[]> = {};
  body.serviceIds.forEach((id, index) => {
    if (!services.has(id)) fields[`serviceIds.${index}`] = ['No such service'];
  });
  body.schedule.forEach((window, index) => {
    if (!branches.has(window.branchId)) fields[`schedule.${index}.branchId`] = ['No such branch'];
    const clash = body.schedule.findIndex(
      (other, otherIndex) =>
        otherIndex < index &&
        other.weekday === window.weekday &&
        other.startsAt < window.endsAt &&
        window.startsAt < other.endsAt,
    );
    if (clash >= 0) fields[`schedule.${index}.startsAt`] = [`Overlaps window ${clash + 1}`];
  });
  if (Object.keys(fields).length > 0) {
    throw new AppError('validation_failed', 'Invalid specialist', { fields });
  }
}

async function writeSpecialist(
  tx: Tx,
  ctx: Ctx,
  id: string,
  body: TSpecialistBody,
): Promise<TSpecialist> {
  await replaceSpecialistServices(tx, ctx.orgId, id, body.serviceIds);
  await replaceSchedule(tx, ctx.orgId, id, body.schedule);
  const [row] = (await findSpecialists(tx)).filter((specialist) => specialist.id === id);
  if (!row) throw new Error('A specialist just written was not found');
  return specialistView(row, await findSchedules(tx, [id]));
}

export async function createSpecialist(ctx: Ctx, body: TSpecialistBody): Promise<TSpecialist> {
  assertCan(ctx, 'clinic.manage');
  const id = randomUUID();
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await checkSpecialistRefs(tx, body);
    await insertSpecialist(tx, {
      id,
      orgId: ctx.orgId,
      name: body.name,
      specialty: body.specialty,
      isArchived: body.isArchived,
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: 'specialist.created',
      entityType: 'specialist',
      entityId: id,
    });
    return writeSpecialist(tx, ctx, id, body);
  });
}

export async function changeSpecialist(
  ctx: Ctx,
  id: string,
  body: TSpecialistBody,
): Promise<TSpecialist> {
  assertCan(ctx, 'clinic.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await checkSpecialistRefs(tx, body);
    const changed = await updateSpecialist(tx, {
      id,
      name: body.name,
      specialty: body.specialty,
      isArchived: body.isArchived,
    });
    if (!changed) throw new AppError('not_found', 'No such specialist');
    await recordAudit(tx, ctx, {
      action: 'specialist.changed',
      entityType: 'specialist',
      entityId: id,
    });
    return writeSpecialist(tx, ctx, id, body);
  });
}

export async function addException(ctx: Ctx, body: TExceptionBody): Promise<TException> {
  assertCan(ctx, 'appointments.manage');
  const row: ExceptionRow = {
    id: randomUUID(),
    specialistId: body.specialistId,
    kind: body.kind,
    startsOn: body.startsOn,
    endsOn: body.endsOn,
    startsAt: body.startsAt ?? null,
    endsAt: body.endsAt ?? null,
    note: body.note,
  };
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const specialists = await findSpecialists(tx);
    if (!specialists.some((specialist) => specialist.id === body.specialistId)) {
      throw new AppError('validation_failed', 'No such specialist', {
        fields: { specialistId: ['No such specialist'] },
      });
    }
    await insertException(tx, { ...row, orgId: ctx.orgId, at: ctx.now });
    await recordAudit(tx, ctx, {
      action: 'schedule_exception.added',
      entityType: 'specialist',
      entityId: body.specialistId,
      details: { exceptionId: row.id, kind: row.kind, startsOn: row.startsOn, endsOn: row.endsOn },
    });
  });
  return exceptionView(row);
}

export async function removeException(ctx: Ctx, id: string): Promise<void> {
  assertCan(ctx, 'appointments.manage');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const removed = await deleteException(tx, id);
    if (!removed) throw new AppError('not_found', 'No such exception');
    await recordAudit(tx, ctx, {
      action: 'schedule_exception.removed',
      entityType: 'specialist',
      entityId: removed.specialistId,
      details: { exceptionId: id, kind: removed.kind },
    });
  });
}

export async function findExceptionList(
  ctx: Ctx,
  query: { specialistId?: string | undefined; from: string; to: string },
): Promise<TException[]> {
  assertCan(ctx, 'clinic.read');
  const rows = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findExceptions(tx, {
      specialistIds: query.specialistId ? [query.specialistId] : null,
      from: query.from,
      to: query.to,
    }),
  );
  return rows.map(exceptionView);
}

// ---- settings ----

export function bookingPageUrl(publicUrl: string, formSlug: string): string {
  return `${publicUrl}/book/${encodeURIComponent(formSlug)}`;
}

function settingsView(
  row: SettingsRow,
  bookingFormSlug: string | null,
  publicUrl: string,
): TSettings {
  return {
    reminderPurposeCode: row.reminderPurposeCode,
    reminderHoursBefore: row.reminderHoursBefore,
    reminderChannels: row.reminderChannels,
    bookingFormId: row.bookingFormId,
    bookingDaysAhead: row.bookingDaysAhead,
    bookingPageUrl: bookingFormSlug ? bookingPageUrl(publicUrl, bookingFormSlug) : null,
  };
}

export function settingsIn(tx: Tx): Promise<SettingsRow & { bookingFormSlug: string | null }> {
  return findSettings(tx);
}

/**
 * Which purpose may carry appointment reminders: one resting on the contract (or medical care),
 * not advertising. A reminder about one's own appointment is a service message under the
 * contract (152-FZ Art. 6 p.1 item 5), so it needs no advertising consent — and an advertising
 * purpose cannot be used for it, or reminders would stop with a marketing opt-out.
 */
async function checkReminderPurpose(tx: Tx, ctx: Ctx, code: string): Promise<void> {
  const [active] = await findActivePurposes(tx, ctx.publicUrl, [code]);
  if (!active || active.purpose.archivedAt) {
    throw new AppError('validation_failed', 'No such purpose', {
      fields: { reminderPurposeCode: ['No such active purpose'] },
    });
  }
  if (active.purpose.kind === 'advertising' || !isServiceMessageBasis(active.version.legalBasis)) {
    throw new AppError('rule_violated', 'Reminders rest on the contract, not on advertising', {
      details: {
        rule: 'reminder_purpose_basis',
        kind: active.purpose.kind,
        legalBasis: active.version.legalBasis,
      },
    });
  }
}

export async function getSettings(ctx: Ctx): Promise<TSettings> {
  assertCan(ctx, 'clinic.read');
  const row = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findSettings(tx));
  return settingsView(row, row.bookingFormSlug, ctx.publicUrl);
}

export async function saveSettings(ctx: Ctx, body: TSettingsBody): Promise<TSettings> {
  assertCan(ctx, 'clinic.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (body.reminderPurposeCode) await checkReminderPurpose(tx, ctx, body.reminderPurposeCode);
    const row = {
      reminderPurposeCode: body.reminderPurposeCode,
      reminderHoursBefore: body.reminderHoursBefore,
      reminderChannels: [...new Set(body.reminderChannels)],
      bookingFormId: body.bookingFormId,
      bookingDaysAhead: body.bookingDaysAhead,
    };
    try {
      await saveSettingsRow(tx, ctx.orgId, row, ctx.now);
    } catch (error) {
      if ((error as { code?: string }).code === '23503') {
        throw new AppError('validation_failed', 'No such form', {
          fields: { bookingFormId: ['No such form'] },
        });
      }
      throw error;
    }
    await recordAudit(tx, ctx, {
      action: 'appointment_settings.saved',
      entityType: 'appointment_settings',
      entityId: ctx.orgId,
      details: { ...row },
    });
    const saved = await findSettings(tx);
    return settingsView(saved, saved.bookingFormSlug, ctx.publicUrl);
  });
}

/** The name of a service of the clinic, or null when there is none with that id. */
export async function clinicServiceName(tx: Tx, serviceId: string): Promise<string | null> {
  return (await findService(tx, serviceId))?.name ?? null;
}
