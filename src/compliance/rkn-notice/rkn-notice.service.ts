import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../access-log/access-log.service.ts';
import { actorUserId, type Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/db.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import { findActivePurposes, getProfileForDocuments } from '../../purposes/purposes.service.ts';
import { addWorkingDays, toMoscowDate } from '../../subject-requests/clock.service.ts';
import { closeTasksFor, findOpenTasksOf, openTaskOnce } from '../../tasks/tasks.service.ts';
import {
  findLatestCrossBorderNotices,
  findPartnerRows,
  findServices,
} from '../services/services.repo.ts';
import {
  type ComposeInput,
  composeNoticeFields,
  noticeFingerprint,
  noticeGaps,
} from './rkn-notice.compose.ts';
import {
  findFilings,
  findSettings,
  insertFiling,
  saveSeenFingerprint,
  upsertSettings,
} from './rkn-notice.repo.ts';
import type {
  TFileNoticeBody,
  TNoticeFiling,
  TNoticeSettings,
  TNoticeSettingsBody,
  TNoticeView,
} from './rkn-notice.schema.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

/** The task a change to the notice opens (R-L3): due in 10 working days. */
export const NOTICE_TASK_KIND = 'compliance.rkn_notice_update';
export const NOTICE_TASK_WORKING_DAYS = 10;
const NOTICE_RELATED_TYPE = 'rkn_notice';

const EMPTY_SETTINGS: TNoticeSettingsBody = {
  databaseLocations: [],
  processingStartDate: null,
  endCondition: null,
  protectionLevel: null,
  extraMeasures: [],
};

async function composeInput(tx: Tx, ctx: Ctx): Promise<ComposeInput> {
  const profile = await getProfileForDocuments(tx);
  const active = await findActivePurposes(tx, ctx.publicUrl);
  const settings = await findSettings(tx);
  const notices = await findLatestCrossBorderNotices(tx);
  const services = (await findServices(tx)).filter((service) => service.country !== 'RU');
  const partners = (await findPartnerRows(tx)).filter(
    (partner) => !partner.archivedAt && partner.country !== 'RU',
  );
  const hasNotice = (key: string, country: string) => notices.get(key)?.country === country;
  return {
    profile,
    purposes: active
      .filter(({ purpose }) => !purpose.archivedAt)
      .map(({ purpose, version }) => ({
        code: purpose.code,
        title: version.title,
        legalBasis: version.legalBasis,
        dataCategories: version.dataCategories,
        subjectCategories: version.subjectCategories,
        actions: version.actions,
        methods: version.methods,
        retentionDays: version.retentionDays,
        recipients: version.recipients,
      })),
    settings: settings
      ? {
          databaseLocations: settings.databaseLocations,
          processingStartDate: settings.processingStartDate,
          endCondition: settings.endCondition,
          protectionLevel: settings.protectionLevel,
          extraMeasures: settings.extraMeasures,
        }
      : EMPTY_SETTINGS,
    foreignRecipients: [
      ...services.map((service) => ({
        name: service.name,
        country: service.country,
        hasNotice: hasNotice(`service:${service.id}`, service.country),
      })),
      ...partners.map((partner) => ({
        name: partner.name,
        country: partner.country,
        hasNotice: hasNotice(`partner:${partner.id}`, partner.country),
      })),
    ],
  };
}

/**
 * Called in the transaction of every change to what the notice is made of — purposes, the
 * operator profile, the services register, partners, cross-border notices, the notice settings.
 * When the notice's fields no longer match the filed notice, opens "update the RKN notice", due
 * in 10 working days (Moscow dates, production calendar), unless one is open already.
 */
export async function noteNoticeChange(tx: Tx, ctx: Ctx, cause: string): Promise<void> {
  const input = await composeInput(tx, ctx);
  const fingerprint = noticeFingerprint(composeNoticeFields(input));
  const settings = await findSettings(tx);
  if (settings?.seenFingerprint === fingerprint) return;
  await saveSeenFingerprint(tx, ctx.orgId, fingerprint, ctx.now);
  const [filed] = await findFilings(tx, 1);
  if (filed?.fingerprint === fingerprint) return;
  await openTaskOnce(tx, ctx, {
    kind: NOTICE_TASK_KIND,
    title: filed ? 'Обновить уведомление в РКН' : 'Подать уведомление в РКН',
    dueDate: addWorkingDays(toMoscowDate(ctx.now), NOTICE_TASK_WORKING_DAYS),
    relatedType: NOTICE_RELATED_TYPE,
    relatedId: ctx.orgId,
    details: { cause },
  });
}

function filingView(filing: {
  id: string;
  filedOn: string;
  reference: string;
  fingerprint: string;
  createdAt: Date;
}): TNoticeFiling {
  return {
    id: filing.id,
    filedOn: filing.filedOn,
    reference: filing.reference,
    fingerprint: filing.fingerprint,
    createdAt: filing.createdAt.toISOString(),
  };
}

async function loadNotice(tx: Tx, ctx: Ctx): Promise<TNoticeView> {
  const input = await composeInput(tx, ctx);
  const fields = composeNoticeFields(input);
  const fingerprint = noticeFingerprint(fields);
  const [filed] = await findFilings(tx, 1);
  const settings = await findSettings(tx);
  const tasks = await findOpenTasksOf(tx, ctx, NOTICE_TASK_KIND, NOTICE_RELATED_TYPE, ctx.orgId);
  return {
    fields,
    gaps: noticeGaps(fields, input),
    fingerprint,
    lastFiling: filed ? filingView(filed) : null,
    isChangedSinceFiled: filed?.fingerprint !== fingerprint,
    openTasks: tasks.map((task) => ({
      id: task.id,
      title: task.title,
      dueDate: task.dueDate,
      isOverdue: task.isOverdue,
      createdAt: task.createdAt,
    })),
    settings: { ...input.settings, updatedAt: settings?.updatedAt.toISOString() ?? null },
    generatedAt: ctx.now.toISOString(),
  };
}

/** The notice as it stands: every field, the gaps, whether it changed since filed, its tasks. */
export async function getNotice(ctx: Ctx): Promise<TNoticeView> {
  assertCan(ctx, 'rkn_notice.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) => loadNotice(tx, ctx));
}

export async function getNoticeSettings(ctx: Ctx): Promise<TNoticeSettings> {
  assertCan(ctx, 'rkn_notice.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const settings = await findSettings(tx);
    if (!settings) return { ...EMPTY_SETTINGS, updatedAt: null };
    const { seenFingerprint: _seen, updatedAt, ...body } = settings;
    return { ...body, updatedAt: updatedAt.toISOString() };
  });
}

/** Database locations, start date, end condition, protection level, extra measures. */
export async function saveNoticeSettings(
  ctx: Ctx,
  body: TNoticeSettingsBody,
): Promise<TNoticeView> {
  assertCan(ctx, 'rkn_notice.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await upsertSettings(tx, ctx.orgId, body, ctx.now);
    await recordAudit(tx, ctx, {
      action: 'rkn_notice.settings_saved',
      entityType: 'rkn_notice',
      entityId: ctx.orgId,
      details: {
        databaseLocations: body.databaseLocations.length,
        processingStartDate: body.processingStartDate,
        protectionLevel: body.protectionLevel,
      },
    });
    await noteNoticeChange(tx, ctx, 'rkn_notice.settings_saved');
    return loadNotice(tx, ctx);
  });
}

/**
 * Records that the notice (or its change) was filed with Roskomnadzor: keeps the fields as
 * filed with their fingerprint and closes the open "update the notice" task.
 */
export async function fileNotice(ctx: Ctx, body: TFileNoticeBody): Promise<TNoticeView> {
  assertCan(ctx, 'rkn_notice.manage');
  if (body.filedOn > toMoscowDate(ctx.now)) {
    throw new AppError('validation_failed', 'The filing date is in the future', {
      fields: { filedOn: ['Cannot be in the future'] },
    });
  }
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const input = await composeInput(tx, ctx);
    const fields = composeNoticeFields(input);
    const fingerprint = noticeFingerprint(fields);
    const id = randomUUID();
    await insertFiling(tx, {
      id,
      orgId: ctx.orgId,
      filedOn: body.filedOn,
      reference: body.reference,
      fingerprint,
      fields,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await saveSeenFingerprint(tx, ctx.orgId, fingerprint, ctx.now);
    const closed = await closeTasksFor(tx, ctx, {
      kind: NOTICE_TASK_KIND,
      relatedType: NOTICE_RELATED_TYPE,
      relatedId: ctx.orgId,
      details: { filingId: id },
    });
    await recordAudit(tx, ctx, {
      action: 'rkn_notice.filed',
      entityType: 'rkn_notice',
      entityId: ctx.orgId,
      details: { filingId: id, filedOn: body.filedOn, fingerprint, closedTasks: closed },
    });
    return loadNotice(tx, ctx);
  });
}

export async function listNoticeFilings(ctx: Ctx): Promise<TNoticeFiling[]> {
  assertCan(ctx, 'rkn_notice.read');
  const filings = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findFilings(tx));
  return filings.map(filingView);
}
