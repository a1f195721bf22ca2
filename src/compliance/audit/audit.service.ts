// The annual audit of personal-data processing (152-FZ Art. 18.1 p.1 item 4, R-L5): a checklist
// per organization per year. Each item closes only with evidence: an uploaded artefact (kept in
// the database with its SHA-256), a link to a generated document version, or a passing automatic
// check computed by code (its result and time stored). A year after the last completed audit the
// reminder job leaves a notification for the staff.
import { createHash, randomUUID } from 'node:crypto';
import { recordAudit } from '../../access-log/access-log.service.ts';
import { findMembers } from '../../orgs/members.service.ts';
import { actorUserId, type Ctx } from '../../platform/context.ts';
import type { Keys } from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import { findActivePurposes, getProfileForDocuments } from '../../purposes/purposes.service.ts';
import { closeTasksFor, openTaskOnce } from '../../tasks/tasks.service.ts';
import {
  acknowledgementCounts,
  findDocumentVersionById,
  findLatestDocumentVersions,
  policyUrlIn,
} from '../documents/documents.service.ts';
import {
  auditReminderOrgs,
  type ChecklistRecord,
  closeItem,
  completeChecklist,
  type EvidenceRecord,
  findChecklist,
  findEvidence,
  findEvidenceFile,
  findItems,
  type ItemRecord,
  insertChecklist,
  insertEvidence,
  lastCompletedChecklist,
  reopenItem,
  rknNoticeState,
  saveCheckResult,
  serviceLocalization,
  tableExists,
} from './audit.repo.ts';
import {
  AUDIT_ITEM_CODES,
  AUTOMATIC_ITEMS,
  type AuditItemCode,
  MAX_EVIDENCE_BYTES,
  type TAuditItem,
  type TChecklist,
  type TEvidence,
  type TEvidenceBody,
} from './audit.schema.ts';
import { auditReportTitle, renderAuditHtml, renderAuditPdf } from './audit-render.ts';

export const AUDIT_ITEM_TITLES: Record<AuditItemCode, string> = {
  registry_complete: 'Реестр целей обработки заполнен',
  policy_published: 'Политика опубликована и указана в каждой форме',
  responsible_appointed: 'Назначен ответственный за обработку ПДн (издан приказ)',
  rkn_notice_current: 'Уведомление Роскомнадзора актуально',
  services_localized: 'Сервисы локализованы: первичный сбор не идёт в иностранные сервисы',
  consent_texts_complete: 'Тексты согласий полные (пункты 3–8 ч. 4 ст. 9 152-ФЗ)',
  retention_terms_set: 'Сроки хранения заданы для каждой цели',
  staff_acknowledgements: 'Сотрудники ознакомлены с положением',
  access_log_review: 'Журнал доступа просмотрен',
  backups_verified: 'Резервные копии проверены восстановлением',
};

/** The notice-update task kind of the Roskomnadzor notice module (R-L3). */
const RKN_TASK_KIND = 'compliance.rkn_notice_update';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

export type CheckResult = {
  status: 'passed' | 'failed' | 'not_available';
  summary: string;
  details: Record<string, unknown>;
};

// Automatic checks. Each reads the current state and says why it passed or failed.

async function activePurposes(tx: Tx, ctx: Ctx) {
  return (await findActivePurposes(tx, ctx.publicUrl)).filter(
    ({ purpose }) => purpose.archivedAt === null,
  );
}

async function checkRegistry(tx: Tx, ctx: Ctx): Promise<CheckResult> {
  const purposes = await activePurposes(tx, ctx);
  const incomplete = purposes
    .filter(
      ({ version }) =>
        version.dataCategories.length === 0 ||
        version.subjectCategories.length === 0 ||
        version.actions.length === 0 ||
        version.methods.trim() === '',
    )
    .map(({ purpose }) => purpose.code);
  if (purposes.length === 0) {
    return {
      status: 'failed',
      summary: 'В реестре нет действующих целей',
      details: { purposes: 0 },
    };
  }
  if (incomplete.length > 0) {
    return {
      status: 'failed',
      summary: `Не заполнены цели: ${incomplete.join(', ')}`,
      details: { purposes: purposes.length, incomplete },
    };
  }
  return {
    status: 'passed',
    summary: `Целей в реестре: ${purposes.length}, все заполнены`,
    details: { purposes: purposes.length },
  };
}

async function checkPolicy(tx: Tx, ctx: Ctx): Promise<CheckResult> {
  const url = await policyUrlIn(tx, ctx.publicUrl);
  const latest = (await findLatestDocumentVersions(tx, ctx.publicUrl)).find(
    (document) => document.kind === 'policy',
  );
  if (!url) {
    return {
      status: 'failed',
      summary: 'Политика не сформирована и не указан её адрес: формы не ссылаются на политику',
      details: {},
    };
  }
  // Every hosted form renders this address next to the consents (R-L4).
  return {
    status: 'passed',
    summary: `Формы ссылаются на политику: ${url}`,
    details: { policyUrl: url, generatedVersion: latest?.version ?? null },
  };
}

async function checkResponsible(tx: Tx, ctx: Ctx): Promise<CheckResult> {
  const profile = await getProfileForDocuments(tx);
  const order = (await findLatestDocumentVersions(tx, ctx.publicUrl)).find(
    (document) => document.kind === 'responsible_order',
  );
  if (!profile?.responsibleName) {
    return { status: 'failed', summary: 'Ответственное лицо не указано в профиле', details: {} };
  }
  if (!order) {
    return { status: 'failed', summary: 'Приказ о назначении не сформирован', details: {} };
  }
  return {
    status: 'passed',
    summary: `Приказ сформирован (редакция ${order.version})`,
    details: { documentId: order.id, version: order.version, sha256: order.sha256 },
  };
}

/** R-L3: the notice module's tables, when present. */
export async function checkRknNotice(tx: Tx): Promise<CheckResult> {
  if (!(await tableExists(tx, 'rkn_notice_filings'))) {
    return {
      status: 'not_available',
      summary: 'Модуль уведомления РКН не установлен',
      details: {},
    };
  }
  const state = await rknNoticeState(tx, RKN_TASK_KIND);
  if (!state.lastFiledOn) {
    return { status: 'failed', summary: 'Уведомление в Роскомнадзор не подано', details: {} };
  }
  if (state.openTasks > 0) {
    return {
      status: 'failed',
      summary: `Реестр изменился после подачи: открыта задача «обновить уведомление» (${state.openTasks})`,
      details: { lastFiledOn: state.lastFiledOn, openTasks: state.openTasks },
    };
  }
  return {
    status: 'passed',
    summary: `Уведомление подано ${state.lastFiledOn}, изменений после подачи нет`,
    details: { lastFiledOn: state.lastFiledOn },
  };
}

/** R-L1: no form's first destination is a foreign service; foreign services are listed. */
export async function checkServices(tx: Tx): Promise<CheckResult> {
  if (!(await tableExists(tx, 'compliance_services'))) {
    return { status: 'not_available', summary: 'Реестр сервисов не установлен', details: {} };
  }
  const state = await serviceLocalization(tx);
  const foreign = state.foreignServices.map((service) => `${service.name} (${service.country})`);
  if (state.formsWithForeignPrimary.length > 0) {
    return {
      status: 'failed',
      summary: `Формы с иностранным первичным получателем: ${state.formsWithForeignPrimary.join(', ')}`,
      details: { forms: state.formsWithForeignPrimary, foreignServices: foreign },
    };
  }
  return {
    status: 'passed',
    summary:
      foreign.length > 0
        ? `Первичный сбор — в России; иностранные сервисы в реестре (проверьте уведомление о трансграничной передаче): ${foreign.join(', ')}`
        : 'Все сервисы из реестра размещены в России',
    details: { foreignServices: foreign },
  };
}

/** R-C4 items 3–8 in each consent text: operator, purpose, data, processor, actions, term. */
async function checkConsentTexts(tx: Tx, ctx: Ctx): Promise<CheckResult> {
  const profile = await getProfileForDocuments(tx);
  const purposes = (await activePurposes(tx, ctx)).filter(
    ({ version }) => version.legalBasis === 'consent',
  );
  if (!profile) return { status: 'failed', summary: 'Профиль оператора не заполнен', details: {} };
  const problems: Record<string, string[]> = {};
  for (const { purpose, version, document } of purposes) {
    const missing: string[] = [];
    if (!document) {
      missing.push('document');
    } else {
      const body = document.body;
      if (!body.includes(profile.legalName) || !body.includes(profile.address)) {
        missing.push('3_operator');
      }
      if (!body.includes(version.title)) missing.push('4_purpose');
      if (!version.dataCategories.every((category) => body.includes(category.title))) {
        missing.push('5_data');
      }
      if (!profile.processors.every((processor) => body.includes(processor.name))) {
        missing.push('6_processor');
      }
      if (!version.actions.every((action) => body.includes(action))) missing.push('7_actions');
      if (!body.includes('Срок действия согласия') || !/отзыв/i.test(body)) {
        missing.push('8_term_withdrawal');
      }
    }
    if (missing.length > 0) problems[purpose.code] = missing;
  }
  const codes = Object.keys(problems);
  if (codes.length > 0) {
    return {
      status: 'failed',
      summary: `Неполные тексты согласий: ${codes.join(', ')}`,
      details: { problems },
    };
  }
  return {
    status: 'passed',
    summary: `Текстов согласий проверено: ${purposes.length}, пункты 3–8 на месте`,
    details: { checked: purposes.length },
  };
}

async function checkRetention(tx: Tx, ctx: Ctx): Promise<CheckResult> {
  const purposes = await activePurposes(tx, ctx);
  const missing = purposes
    .filter(({ version }) => !(version.retentionDays > 0))
    .map(({ purpose }) => purpose.code);
  if (purposes.length === 0 || missing.length > 0) {
    return {
      status: 'failed',
      summary:
        purposes.length === 0 ? 'В реестре нет целей' : `Без срока хранения: ${missing.join(', ')}`,
      details: { missing },
    };
  }
  return {
    status: 'passed',
    summary: `Срок хранения задан для всех целей (${purposes.length})`,
    details: {
      terms: Object.fromEntries(
        purposes.map(({ purpose, version }) => [purpose.code, version.retentionDays]),
      ),
    },
  };
}

async function checkAcknowledgements(
  tx: Tx,
  members: readonly { userId: string }[],
): Promise<CheckResult> {
  const counts = await acknowledgementCounts(tx);
  if (!counts.documentId) {
    return {
      status: 'failed',
      summary: 'Положение об обработке ПДн не сформировано: знакомиться не с чем',
      details: {},
    };
  }
  const acknowledged = new Set(counts.acknowledgedUserIds);
  const pending = members.filter((member) => !acknowledged.has(member.userId)).length;
  if (pending > 0) {
    return {
      status: 'failed',
      summary: `Не ознакомлены: ${pending} из ${members.length}`,
      details: { pending, total: members.length, documentId: counts.documentId },
    };
  }
  return {
    status: 'passed',
    summary: `Ознакомлены все сотрудники (${members.length})`,
    details: { total: members.length, documentId: counts.documentId },
  };
}

async function runCheck(
  tx: Tx,
  ctx: Ctx,
  code: AuditItemCode,
  members: readonly { userId: string }[],
): Promise<CheckResult | null> {
  switch (code) {
    case 'registry_complete':
      return checkRegistry(tx, ctx);
    case 'policy_published':
      return checkPolicy(tx, ctx);
    case 'responsible_appointed':
      return checkResponsible(tx, ctx);
    case 'rkn_notice_current':
      return checkRknNotice(tx);
    case 'services_localized':
      return checkServices(tx);
    case 'consent_texts_complete':
      return checkConsentTexts(tx, ctx);
    case 'retention_terms_set':
      return checkRetention(tx, ctx);
    case 'staff_acknowledgements':
      return checkAcknowledgements(tx, members);
    case 'access_log_review':
    case 'backups_verified':
      return null;
  }
}

// Views

async function evidenceView(tx: Tx, ctx: Ctx, record: EvidenceRecord): Promise<TEvidence> {
  const document = record.documentId
    ? await findDocumentVersionById(tx, ctx.publicUrl, record.documentId)
    : null;
  return {
    id: record.id,
    kind: record.kind,
    fileName: record.fileName,
    contentType: record.contentType,
    sizeBytes: record.sizeBytes,
    sha256: record.sha256 ?? document?.sha256 ?? null,
    documentId: record.documentId,
    documentUrl: document?.url ?? null,
    documentTitle: document ? `${document.title}, редакция ${document.version}` : null,
    checkStatus: record.checkStatus,
    checkSummary: record.checkSummary,
    note: record.note,
    createdAt: record.createdAt.toISOString(),
  };
}

async function checklistView(tx: Tx, ctx: Ctx, checklist: ChecklistRecord): Promise<TChecklist> {
  const items = await findItems(tx, checklist.id);
  const evidence = await findEvidence(
    tx,
    items.map((item) => item.id),
  );
  const views: TAuditItem[] = [];
  for (const code of AUDIT_ITEM_CODES) {
    const item = items.find((candidate) => candidate.code === code);
    if (!item) continue;
    const own = evidence.filter((entry) => entry.itemId === item.id);
    views.push({
      code,
      title: AUDIT_ITEM_TITLES[code],
      isAutomatic: AUTOMATIC_ITEMS.includes(code),
      check:
        item.checkStatus && item.checkedAt
          ? {
              status: item.checkStatus,
              summary: item.checkSummary ?? '',
              details: item.checkDetails ?? {},
              checkedAt: item.checkedAt.toISOString(),
            }
          : null,
      isClosed: item.closedAt !== null,
      closedAt: item.closedAt?.toISOString() ?? null,
      note: item.note,
      evidence: await Promise.all(own.map((entry) => evidenceView(tx, ctx, entry))),
    });
  }
  return {
    id: checklist.id,
    year: checklist.year,
    createdAt: checklist.createdAt.toISOString(),
    completedAt: checklist.completedAt?.toISOString() ?? null,
    progress: { closed: views.filter((item) => item.isClosed).length, total: views.length },
    items: views,
  };
}

async function requireChecklist(tx: Tx, year: number): Promise<ChecklistRecord> {
  const checklist = await findChecklist(tx, year);
  if (!checklist) throw new AppError('not_found', 'No audit checklist for this year');
  return checklist;
}

async function requireItem(tx: Tx, checklist: ChecklistRecord, code: AuditItemCode) {
  const item = (await findItems(tx, checklist.id)).find((candidate) => candidate.code === code);
  if (!item) throw new AppError('not_found', 'No such audit item');
  return item;
}

function assertOpen(checklist: ChecklistRecord): void {
  if (checklist.completedAt) {
    throw new AppError('rule_violated', 'The audit of this year is completed', {
      details: { rule: 'audit_completed' },
    });
  }
}

// Use cases

export async function getChecklist(ctx: Ctx, year: number): Promise<TChecklist> {
  assertCan(ctx, 'audit.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) =>
    checklistView(tx, ctx, await requireChecklist(tx, year)),
  );
}

/** Opens the year's checklist with every item; opening it again returns it as it is. */
export async function openChecklist(ctx: Ctx, year: number): Promise<TChecklist> {
  assertCan(ctx, 'audit.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    let checklist = await findChecklist(tx, year);
    if (!checklist) {
      const id = randomUUID();
      await insertChecklist(tx, {
        id,
        orgId: ctx.orgId,
        year,
        codes: AUDIT_ITEM_CODES,
        at: ctx.now,
      });
      await recordAudit(tx, ctx, {
        action: 'audit_checklist.opened',
        entityType: 'audit_checklist',
        entityId: id,
        details: { year },
      });
      checklist = await requireChecklist(tx, year);
    }
    return checklistView(tx, ctx, checklist);
  });
}

/** Runs every automatic check and stores each result with its time, as evidence too. */
export async function runChecks(ctx: Ctx, year: number): Promise<TChecklist> {
  assertCan(ctx, 'audit.manage');
  const members = await findMembers(ctx);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const checklist = await requireChecklist(tx, year);
    assertOpen(checklist);
    const items = await findItems(tx, checklist.id);
    for (const item of items) {
      const result = await runCheck(tx, ctx, item.code as AuditItemCode, members);
      if (!result) continue;
      await saveCheckResult(tx, item.id, { ...result, at: ctx.now });
      await insertEvidence(tx, {
        id: randomUUID(),
        orgId: ctx.orgId,
        itemId: item.id,
        kind: 'check',
        checkStatus: result.status,
        checkSummary: result.summary,
        createdBy: actorUserId(ctx.actor),
        at: ctx.now,
      });
    }
    await recordAudit(tx, ctx, {
      action: 'audit_checklist.checked',
      entityType: 'audit_checklist',
      entityId: checklist.id,
      details: { year },
    });
    return checklistView(tx, ctx, checklist);
  });
}

export async function attachEvidence(
  ctx: Ctx,
  input: { year: number; code: AuditItemCode; body: TEvidenceBody },
): Promise<TChecklist> {
  assertCan(ctx, 'audit.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const checklist = await requireChecklist(tx, input.year);
    assertOpen(checklist);
    const item = await requireItem(tx, checklist, input.code);
    const id = randomUUID();
    const { body } = input;
    if (body.kind === 'file') {
      const content = Buffer.from(body.contentBase64, 'base64');
      if (content.length === 0 || content.length > MAX_EVIDENCE_BYTES) {
        throw new AppError(
          'payload_too_large',
          `Evidence files are at most ${MAX_EVIDENCE_BYTES} bytes`,
          {
            fields: { contentBase64: [`At most ${MAX_EVIDENCE_BYTES} bytes`] },
          },
        );
      }
      await insertEvidence(tx, {
        id,
        orgId: ctx.orgId,
        itemId: item.id,
        kind: 'file',
        fileName: body.fileName,
        contentType: body.contentType,
        content,
        sha256: createHash('sha256').update(content).digest('hex'),
        note: body.note ?? null,
        createdBy: actorUserId(ctx.actor),
        at: ctx.now,
      });
    } else {
      const document = await findDocumentVersionById(tx, ctx.publicUrl, body.documentId);
      if (!document) {
        throw new AppError('validation_failed', 'No such generated document', {
          fields: { documentId: ['No such document version'] },
        });
      }
      await insertEvidence(tx, {
        id,
        orgId: ctx.orgId,
        itemId: item.id,
        kind: 'document',
        documentId: document.id,
        note: body.note ?? null,
        createdBy: actorUserId(ctx.actor),
        at: ctx.now,
      });
    }
    await recordAudit(tx, ctx, {
      action: 'audit_evidence.attached',
      entityType: 'audit_item',
      entityId: item.id,
      details: { year: input.year, code: input.code, evidenceId: id, kind: body.kind },
    });
    return checklistView(tx, ctx, checklist);
  });
}

/** R-L5: an item closes only with an artefact or a passing automatic check. */
function hasClosingEvidence(item: ItemRecord, evidence: readonly EvidenceRecord[]): boolean {
  if (evidence.some((entry) => entry.kind === 'file' || entry.kind === 'document')) return true;
  return item.checkStatus === 'passed';
}

export async function closeAuditItem(
  ctx: Ctx,
  input: { year: number; code: AuditItemCode; note?: string | undefined },
): Promise<TChecklist> {
  assertCan(ctx, 'audit.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const checklist = await requireChecklist(tx, input.year);
    assertOpen(checklist);
    const item = await requireItem(tx, checklist, input.code);
    const evidence = await findEvidence(tx, [item.id]);
    if (!hasClosingEvidence(item, evidence)) {
      throw new AppError(
        'rule_violated',
        'Attach an artefact or pass the automatic check before closing the item',
        { details: { rule: 'audit_evidence_missing', code: input.code } },
      );
    }
    await closeItem(tx, item.id, {
      userId: actorUserId(ctx.actor),
      note: input.note ?? null,
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: 'audit_item.closed',
      entityType: 'audit_item',
      entityId: item.id,
      details: { year: input.year, code: input.code },
    });
    return checklistView(tx, ctx, checklist);
  });
}

export async function reopenAuditItem(
  ctx: Ctx,
  input: { year: number; code: AuditItemCode },
): Promise<TChecklist> {
  assertCan(ctx, 'audit.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const checklist = await requireChecklist(tx, input.year);
    assertOpen(checklist);
    const item = await requireItem(tx, checklist, input.code);
    await reopenItem(tx, item.id);
    await recordAudit(tx, ctx, {
      action: 'audit_item.reopened',
      entityType: 'audit_item',
      entityId: item.id,
      details: { year: input.year, code: input.code },
    });
    return checklistView(tx, ctx, checklist);
  });
}

/** Completes the year's audit once every item is closed; the yearly reminder counts from here. */
export async function completeAudit(ctx: Ctx, year: number): Promise<TChecklist> {
  assertCan(ctx, 'audit.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const checklist = await requireChecklist(tx, year);
    assertOpen(checklist);
    const open = (await findItems(tx, checklist.id))
      .filter((item) => item.closedAt === null)
      .map((item) => item.code);
    if (open.length > 0) {
      throw new AppError('rule_violated', 'Close every item before completing the audit', {
        details: { rule: 'audit_items_open', open },
      });
    }
    // The reminder task of the previous audit is done once this one is.
    const previous = await lastCompletedChecklist(tx);
    if (previous) {
      await closeTasksFor(tx, ctx, {
        kind: ANNUAL_AUDIT_TASK_KIND,
        relatedType: 'audit_checklist',
        relatedId: previous.id,
        details: { completedYear: year },
      });
    }
    await completeChecklist(tx, checklist.id, { userId: actorUserId(ctx.actor), at: ctx.now });
    await recordAudit(tx, ctx, {
      action: 'audit_checklist.completed',
      entityType: 'audit_checklist',
      entityId: checklist.id,
      details: { year },
    });
    return checklistView(tx, ctx, (await findChecklist(tx, year)) ?? checklist);
  });
}

export async function getEvidenceFile(ctx: Ctx, year: number, evidenceId: string) {
  assertCan(ctx, 'audit.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await requireChecklist(tx, year);
    const file = await findEvidenceFile(tx, evidenceId);
    if (!file) throw new AppError('not_found', 'No such evidence file');
    return file;
  });
}

/** The printable report: every item, its check and its evidence list (HTML or PDF). */
export async function exportAuditReport(
  ctx: Ctx,
  year: number,
  format: 'html' | 'pdf',
): Promise<{ body: string | Buffer; contentType: string; filename: string }> {
  assertCan(ctx, 'audit.read');
  const { checklist, operatorName } = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const view = await checklistView(tx, ctx, await requireChecklist(tx, year));
    const profile = await getProfileForDocuments(tx);
    return { checklist: view, operatorName: profile?.legalName ?? '' };
  });
  const filename = `audit-${year}.${format}`;
  if (format === 'html') {
    return {
      body: renderAuditHtml(checklist, operatorName),
      contentType: 'text/html; charset=utf-8',
      filename,
    };
  }
  return {
    body: await renderAuditPdf(checklist, operatorName),
    contentType: 'application/pdf',
    filename,
  };
}

export { auditReportTitle };

// The yearly reminder

const YEAR_MS = 365 * 86_400_000;

function moscowDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(at);
}

/** The task the yearly reminder opens; completing the next audit closes it. */
export const ANNUAL_AUDIT_TASK_KIND = 'compliance.annual_audit';

/**
 * A year after an organization's last completed audit, one task "carry out the annual audit"
 * due on the anniversary, in the staff task list (R-L5). Idempotent: one open task per checklist.
 */
export async function remindAnnualAudits(
  deps: { db: Db; keys: Keys; publicUrl: string },
  now: Date,
): Promise<{ created: number }> {
  const orgIds = await withTx(deps.db, { orgId: null }, (tx) =>
    auditReminderOrgs(tx, new Date(now.getTime() - YEAR_MS)),
  );
  let created = 0;
  for (const orgId of orgIds) {
    const ctx: Ctx = {
      db: deps.db,
      keys: deps.keys,
      orgId,
      actor: { type: 'system', label: 'audit.reminders' },
      role: 'owner',
      now,
      requestId: null,
      route: 'job audit.reminders',
      publicUrl: deps.publicUrl,
    };
    const isNew = await withTx(deps.db, { orgId }, async (tx) => {
      const last = await lastCompletedChecklist(tx);
      if (!last) return false;
      const opened = await openTaskOnce(tx, ctx, {
        kind: ANNUAL_AUDIT_TASK_KIND,
        title: `Провести ежегодный аудит обработки персональных данных (предыдущий — за ${last.year} год, завершён ${moscowDate(last.completedAt)})`,
        dueDate: moscowDate(new Date(last.completedAt.getTime() + YEAR_MS)),
        relatedType: 'audit_checklist',
        relatedId: last.id,
      });
      return opened.isNew;
    });
    if (isNew) created += 1;
  }
  return { created };
}
