// Reminders of the requests' legal deadlines (R-S1 "reminders before the due date"): in-app
// notifications 3 and 1 working days before the due date and once it has passed, and one email
// per threshold to the organization's privacy officers. Idempotent: a reminder for one request,
// threshold and due date is made once and mailed once, however often the job runs.

import { staffEmailsByRole } from '../orgs/members.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import type { Db } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Page } from '../platform/http/params.ts';
import type { Logger } from '../platform/log.ts';
import type { Mailer } from '../platform/mail.ts';
import { can } from '../platform/permissions.ts';
import { requestReference } from './answer-drafts.ts';
import { ruDate } from './answer-templates.ts';
import { toMoscowDate } from './clock.ts';
import {
  findNotificationPage,
  findOpenRequests,
  findUnmailedNotifications,
  insertNotification,
  markNotificationRead,
  markNotificationsEmailed,
  type NotificationRecord,
  notificationExists,
  openRequestOrgs,
  type RequestType,
} from './requests.repo.ts';
import { effectiveDueDate, workingDaysLeft } from './requests.service.ts';

export type ReminderKind = 'request_due_3wd' | 'request_due_1wd' | 'request_overdue';

const TYPE_LABELS: Record<RequestType, string> = {
  access: 'доступ к данным',
  correction: 'уточнение данных',
  withdrawal: 'отзыв согласия',
  stop: 'прекращение обработки',
  deletion: 'уничтожение данных',
  rkn: 'запрос Роскомнадзора',
};

/** Which reminder is due for a request today, if any. */
export function reminderFor(today: string, due: string): ReminderKind | null {
  if (due < today) return 'request_overdue';
  const left = workingDaysLeft(today, due);
  if (left === null) return null;
  if (left <= 1) return 'request_due_1wd';
  if (left <= 3) return 'request_due_3wd';
  return null;
}

function reminderText(
  kind: ReminderKind,
  request: { id: string; type: RequestType },
  due: string,
  left: number | null,
): string {
  const head = `Запрос № ${requestReference(request.id)} (${TYPE_LABELS[request.type]})`;
  switch (kind) {
    case 'request_overdue':
      return `${head}: срок ответа ${ruDate(due)} истёк`;
    case 'request_due_1wd':
      return left === 0
        ? `${head}: срок ответа сегодня, ${ruDate(due)}`
        : `${head}: срок ответа ${ruDate(due)} — остался 1 рабочий день`;
    case 'request_due_3wd':
      return `${head}: срок ответа ${ruDate(due)} — осталось ${left ?? 3} рабочих дня`;
  }
}

export type ReminderDeps = {
  db: Db;
  keys: Keys;
  publicUrl: string;
  mailer?: Mailer | undefined;
  logger?: Logger | undefined;
};

function jobCtx(deps: ReminderDeps, orgId: string, now: Date): Ctx {
  return {
    db: deps.db,
    keys: deps.keys,
    orgId,
    actor: { type: 'system', label: 'requests.reminders' },
    role: 'owner',
    now,
    requestId: null,
    route: 'job requests.reminders',
    publicUrl: deps.publicUrl,
  };
}

/** Makes the reminders that are due and mails the new ones; returns what it did. */
export async function remindDueRequests(
  deps: ReminderDeps,
  now: Date,
  onlyOrgId?: string,
): Promise<{ created: number; emailed: number }> {
  const orgIds = onlyOrgId
    ? [onlyOrgId]
    : await withTx(deps.db, { orgId: null }, (tx) => openRequestOrgs(tx));
  const today = toMoscowDate(now);
  let created = 0;
  let emailed = 0;
  for (const orgId of orgIds) {
    const ctx = jobCtx(deps, orgId, now);
    created += await withTx(deps.db, { orgId }, async (tx) => {
      let made = 0;
      for (const request of await findOpenRequests(tx, orgId)) {
        const due = effectiveDueDate(request);
        const kind = reminderFor(today, due);
        if (!kind) continue;
        const isNew = await insertNotification(tx, {
          orgId,
          userId: null,
          kind,
          entityType: 'subject_request',
          entityId: request.id,
          text: reminderText(kind, request, due, workingDaysLeft(today, due)),
          due,
          at: now,
        });
        if (isNew) made += 1;
      }
      return made;
    });
    if (deps.mailer?.isConfigured) emailed += await mailReminders(deps, deps.mailer, ctx);
  }
  return { created, emailed };
}

/**
 * Mails each reminder not mailed yet to the privacy officers (the owners when there is none),
 * then marks it mailed. A failed send leaves it for the next run.
 */
async function mailReminders(deps: ReminderDeps, mailer: Mailer, ctx: Ctx): Promise<number> {
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const pending = await findUnmailedNotifications(tx, ctx.orgId);
    if (pending.length === 0) return 0;
    let recipients = await staffEmailsByRole(tx, ctx, ['privacy_officer']);
    if (recipients.length === 0) recipients = await staffEmailsByRole(tx, ctx, ['owner']);
    if (recipients.length === 0) return 0;
    const sent: string[] = [];
    for (const notification of pending) {
      try {
        for (const recipient of recipients) {
          await mailer.send({
            to: recipient.email,
            subject: `Согласие: ${notification.text}`,
            text: `${notification.text}.\n\nОткрыть: ${notificationLink(ctx.publicUrl, notification)}\n`,
          });
        }
        sent.push(notification.id);
      } catch (error) {
        deps.logger?.warn(
          { orgId: ctx.orgId, notificationId: notification.id, error: (error as Error).name },
          'reminder not mailed',
        );
      }
    }
    await markNotificationsEmailed(tx, sent, ctx.now);
    return sent.length;
  });
}

/** Where a staff notification's mail sends its reader: the page of the entity it is about. */
export function notificationLink(
  publicUrl: string,
  notification: Pick<NotificationRecord, 'entityType' | 'entityId'>,
): string {
  const pages: Record<string, (id: string) => string> = {
    subject_request: (id) => `/requests/${id}`,
    incident: (id) => `/incidents/${id}`,
    contact: (id) => `/contacts/${id}`,
    campaign: (id) => `/campaigns/${id}`,
    task: () => '/tasks',
  };
  const page = pages[notification.entityType];
  return `${publicUrl}${page ? page(notification.entityId) : '/'}`;
}

function notificationView(record: NotificationRecord) {
  return {
    id: record.id,
    kind: record.kind,
    entityType: record.entityType,
    entityId: record.entityId,
    text: record.text,
    due: record.due,
    createdAt: record.createdAt.toISOString(),
    readAt: record.readAt?.toISOString() ?? null,
  };
}

export async function findNotifications(
  ctx: Ctx,
  query: { page: number; pageSize: number; isUnreadOnly?: boolean | undefined },
): Promise<Page<ReturnType<typeof notificationView>> & { unread: number }> {
  if (!can(ctx.role, 'requests.read')) throw new AppError('forbidden', 'Cannot read reminders');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total, unread } = await findNotificationPage(tx, {
      orgId: ctx.orgId,
      userId: actorUserId(ctx.actor),
      isUnreadOnly: query.isUnreadOnly ?? false,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: rows.map(notificationView),
      page: query.page,
      pageSize: query.pageSize,
      total,
      unread,
    };
  });
}

export async function readNotification(ctx: Ctx, notificationId: string): Promise<void> {
  if (!can(ctx.role, 'requests.read')) throw new AppError('forbidden', 'Cannot read reminders');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const scope = { orgId: ctx.orgId, userId: actorUserId(ctx.actor), id: notificationId };
    if (!(await notificationExists(tx, scope))) {
      throw new AppError('not_found', 'No such notification');
    }
    await markNotificationRead(tx, { ...scope, at: ctx.now });
  });
}
