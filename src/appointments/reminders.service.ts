import { sendServiceMessage } from '../messaging/outbound.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import type { Db } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import type { Mailer } from '../platform/mail.ts';
import {
  type AppointmentRow,
  findBranches,
  findDueReminders,
  findSettings,
  insertReminder,
  reminderOrgIds,
} from './appointments.repo.ts';
import type { TReminderRun } from './appointments.schema.ts';
import { assertCan } from './clinic.service.ts';
import { zonedDate, zonedTime } from './zoned-time.ts';

type SmsSender = NonNullable<Parameters<typeof sendServiceMessage>[1]['sms']>;

export type ReminderDeps = {
  db: Db;
  keys: Keys;
  publicUrl: string;
  mailer?: Mailer | undefined;
  sms?: SmsSender | undefined;
};

/** The scheduler sends reminders this often. */
export const REMINDER_JOB_INTERVAL_MS = 5 * 60_000;
/** The longest reminder lead time a setting allows. */
const MAX_HOURS_BEFORE = 168;
const BATCH = 200;

function formatDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}.${month}.${year}`;
}

/** The reminder's text: the visit only — service, specialist, time, place. No advertising. */
export function reminderText(
  appointment: Pick<AppointmentRow, 'serviceName' | 'specialistName' | 'branchName' | 'startsAt'>,
  branch: { address: string; timeZone: string },
): { subject: string; text: string } {
  const date = formatDate(zonedDate(appointment.startsAt, branch.timeZone));
  const time = zonedTime(appointment.startsAt, branch.timeZone);
  const place = branch.address
    ? `${appointment.branchName}, ${branch.address}`
    : appointment.branchName;
  return {
    subject: `Напоминание о записи ${date} в ${time}`,
    text:
      `Напоминаем о вашей записи: ${appointment.serviceName}, ${appointment.specialistName}, ` +
      `${date} в ${time}. ${place}. Если планы изменились, пожалуйста, сообщите нам.`,
  };
}

/**
 * Sends the reminders due in one organization: active appointments starting within the set
 * number of hours that have no reminder on a channel yet, through the outbound gate as service
 * messages under the reminder purpose (the contract, not advertising consent). Each outcome —
 * sent, refused with the gate's reason, failed — is recorded once per appointment and channel.
 */
export async function sendDueRemindersIn(ctx: Ctx, deps: ReminderDeps): Promise<TReminderRun> {
  const run: TReminderRun = { sent: 0, refused: 0, failed: 0 };
  const { settings, branches } = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => ({
    settings: await findSettings(tx),
    branches: new Map((await findBranches(tx)).map((branch) => [branch.id, branch])),
  }));
  if (!settings.reminderPurposeCode) return run;
  const purposeCode = settings.reminderPurposeCode;
  const until = new Date(ctx.now.getTime() + settings.reminderHoursBefore * 3_600_000);
  for (const channel of settings.reminderChannels) {
    const isConfigured = channel === 'email' ? deps.mailer?.isConfigured : deps.sms?.isConfigured;
    if (!isConfigured) continue;
    const due = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
      findDueReminders(tx, { from: ctx.now, to: until, channel, limit: BATCH }),
    );
    for (const appointment of due) {
      const branch = branches.get(appointment.branchId);
      const message = reminderText(appointment, {
        address: branch?.address ?? '',
        timeZone: branch?.timeZone ?? 'Europe/Moscow',
      });
      const result = await sendServiceMessage(
        ctx,
        { mailer: deps.mailer, sms: deps.sms },
        { contactId: appointment.contactId, purposeCode, channel, ...message },
      );
      await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
        insertReminder(tx, {
          orgId: ctx.orgId,
          appointmentId: appointment.id,
          channel,
          outboundMessageId: result.id,
          status: result.status,
          reason:
            result.status === 'refused'
              ? result.reason
              : result.status === 'failed'
                ? result.error
                : null,
          at: ctx.now,
        }),
      );
      run[result.status] += 1;
    }
  }
  return run;
}

/** The same for the caller's organization, on demand. */
export async function sendDueRemindersFor(ctx: Ctx, deps: ReminderDeps): Promise<TReminderRun> {
  assertCan(ctx, 'clinic.manage');
  return sendDueRemindersIn(ctx, deps);
}

/** The scheduled job: every organization with an appointment in the next week. */
export async function sendDueReminders(deps: ReminderDeps, now: Date): Promise<TReminderRun> {
  const total: TReminderRun = { sent: 0, refused: 0, failed: 0 };
  if (!deps.mailer?.isConfigured && !deps.sms?.isConfigured) return total;
  const orgIds = await withTx(deps.db, { orgId: null }, (tx) =>
    reminderOrgIds(tx, now, new Date(now.getTime() + MAX_HOURS_BEFORE * 3_600_000)),
  );
  for (const orgId of orgIds) {
    const ctx = systemCtx(deps, {
      orgId,
      now,
      actor: { type: 'system', label: 'appointment-reminders' },
      route: 'job:appointments.reminders',
    });
    const run = await sendDueRemindersIn(ctx, deps);
    total.sent += run.sent;
    total.refused += run.refused;
    total.failed += run.failed;
  }
  return total;
}
