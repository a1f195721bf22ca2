import { REMINDER_JOB_INTERVAL_MS, sendDueReminders } from './appointments/reminders.service.ts';
import { remindAnnualAudits } from './compliance/audit/audit.service.ts';
import { checkpointJournals } from './consent/journal.service.ts';
import { CAMPAIGN_JOB_INTERVAL_MS, sendCampaigns } from './messaging/campaign-sender.service.ts';
import { deliverPendingMail } from './messaging/mail-outbox.service.ts';
import type { SmsSender } from './messaging/sms.ts';
import type { Keys } from './platform/crypto.ts';
import type { Db } from './platform/db/db.ts';
import type { Logger } from './platform/log.ts';
import type { Mailer } from './platform/mail.ts';
import type { Job } from './platform/scheduler.ts';
import { runRetentionForAllOrgs } from './retention/retention.service.ts';
import { purgePortal } from './subject-requests/portal.service.ts';
import { remindDueRequests } from './subject-requests/reminders.service.ts';

export type JobDeps = {
  db: Db;
  keys: Keys;
  publicUrl: string;
  logger: Logger;
  mailer?: Mailer;
  sms?: SmsSender;
};

const HOUR_MS = 60 * 60 * 1000;

/** Every scheduled job, in one list: started by the server, each calling a service. */
export function scheduledJobs(deps: JobDeps): Job[] {
  return [
    {
      // A year after the last completed audit, a reminder for the staff (R-L5).
      name: 'audit.reminders',
      intervalMs: 24 * HOUR_MS,
      shouldRunAtStart: true,
      run: (now) => remindAnnualAudits(deps, now),
    },
    {
      // Chains every journal and signs its head at least daily where it moved (R-C3).
      name: 'consent.checkpoints',
      intervalMs: HOUR_MS,
      shouldRunAtStart: true,
      run: (now) => checkpointJournals(deps, now),
    },
    {
      // Appointment reminders by SMS and email: service messages under the contract, through
      // the outbound gate, once per appointment and channel.
      name: 'appointments.reminders',
      intervalMs: REMINDER_JOB_INTERVAL_MS,
      shouldRunAtStart: true,
      run: async (now) => {
        await sendDueReminders(deps, now);
      },
    },
    {
      // Sends queued mail (consent receipts) that the after-commit attempt did not.
      name: 'mail.deliver',
      intervalMs: 60_000,
      shouldRunAtStart: true,
      run: (now) =>
        deps.mailer
          ? deliverPendingMail({ ...deps, mailer: deps.mailer, now: () => now })
          : Promise.resolve(),
    },
    {
      // Sends launched campaigns, throttled per campaign, from the queue in the database: a
      // restart goes on where it stopped. It never starts a campaign: a person does (R-A2).
      name: 'campaigns.send',
      intervalMs: CAMPAIGN_JOB_INTERVAL_MS,
      shouldRunAtStart: true,
      // A run may last minutes: each message is stamped with the time it was accepted.
      run: () => sendCampaigns(deps, () => new Date(), { intervalMs: CAMPAIGN_JOB_INTERVAL_MS }),
    },
    {
      // Destroys what is due (R-D3, R-D4), writes the act and extract, purges 3-year-old acts (R-D6).
      name: 'retention.run',
      intervalMs: 24 * HOUR_MS,
      shouldRunAtStart: true,
      run: async (now) => {
        await runRetentionForAllOrgs(deps, now, { isDryRun: false, actorLabel: 'scheduler' });
      },
    },
    {
      // Reminders of request deadlines: 3 and 1 working days before, and when overdue (R-S1).
      name: 'requests.reminders',
      intervalMs: HOUR_MS,
      shouldRunAtStart: true,
      run: (now) => remindDueRequests(deps, now),
    },
    {
      // Spent portal sign-in codes and old portal sessions (data minimization).
      name: 'portal.purge',
      intervalMs: HOUR_MS,
      shouldRunAtStart: false,
      run: async (now) => {
        await purgePortal(deps, now);
      },
    },
  ];
}
