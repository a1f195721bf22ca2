import { createHash, randomUUID } from 'node:crypto';
import { recordAccess, recordAudit } from '../access-log/access-log.service.ts';
import { consentStatesOf } from '../consent/consent.service.ts';
import { activeBlocks } from '../contacts/blocks.service.ts';
import { contactErasure, readContacts } from '../contacts/contacts.service.ts';
import { eraseSubject } from '../erasure/erasure.service.ts';
import type { JobDeps } from '../jobs.ts';
import {
  openField,
  orgKeyring,
  sealField,
  signWithOrgKey,
  verifyOrgSignature,
} from '../keys/keys.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { describeActors } from '../orgs/members.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Page } from '../platform/http/params.ts';
import { can, type Permission } from '../platform/permissions.ts';
import {
  type ActivePurpose,
  findActivePurposes,
  getProfileForDocuments,
} from '../purposes/purposes.service.ts';
import { VERSION } from '../version.ts';
import { actFilename, renderActHtml, renderActPdf } from './act-render.ts';
import {
  type ActRecord,
  type BasisRecord,
  decideTask,
  deleteExpiredActs,
  endBasisRow,
  findAct,
  findActiveHolds,
  findActPage,
  findBasesOfContacts,
  findBasis,
  findDueTasks,
  findHold,
  findHoldPage,
  findPendingTask,
  findRetentionOrgIds,
  findRunPage,
  findTaskPage,
  findTasksOfContacts,
  findTriggers,
  finishRun,
  type HoldRecord,
  insertAct,
  insertBasis,
  insertHold,
  insertRun,
  insertTask,
  lockRetention,
  nextActNumber,
  releaseHoldRow,
  replaceTriggers,
  type TaskReason,
  type TaskRecord,
  type TaskStatus,
} from './retention.repo.ts';
import {
  type TAct,
  type TActContent,
  type TBasis,
  type TBasisBody,
  type THold,
  type THoldBody,
  type THoldQuery,
  type TListQuery,
  type TPurposeRetention,
  type TReleaseBody,
  TRIGGER_KINDS,
  type TRunResult,
  type TriggerKind,
  type TTask,
  type TTaskQuery,
  type TTriggersBody,
} from './retention.schema.ts';
import {
  findCategoriesOfSubject,
  findSubjectFacts,
  findSubjectsOfPurpose,
  findTermEndedSubjects,
  type LinkedSubject,
} from './retention-scan.repo.ts';

const DAY_MS = 86_400_000;

/** 152-FZ Art. 21 p.4 and p.5: destroy within 30 days of the purpose achieved or withdrawal. */
export const DESTRUCTION_DAYS = 30;
/** RKN Order No. 179 p.5: acts and extracts are kept three years from destruction (R-D6). */
export const ACT_KEEP_YEARS = 3;

/** What the act says of each reason, in the words of 152-FZ. */
export const REASON_TEXTS: Record<TaskReason, string> = {
  consent_withdrawn:
    'Отзыв субъектом персональных данных согласия на обработку (ч. 5 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)',
  purpose_achieved:
    'Достижение цели обработки персональных данных (ч. 4 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)',
  term_ended:
    'Истечение срока обработки и хранения персональных данных (ч. 7 ст. 5, ч. 4 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)',
  request:
    'Требование субъекта персональных данных об уничтожении (ч. 3 ст. 20 Федерального закона от 27.07.2006 № 152-ФЗ)',
  unlawful:
    'Выявление неправомерной обработки персональных данных (ч. 3 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ)',
};

export const DESTRUCTION_METHOD =
  'Криптографическое уничтожение: безвозвратное удаление персонального ключа шифрования субъекта (AES-256-GCM), ' +
  'после чего все копии его данных, включая резервные, не могут быть расшифрованы; удаление записей, ' +
  'существующих только для субъекта, и обезличивание остальных записей в базе данных информационной системы';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

function addYears(at: Date, years: number): Date {
  const result = new Date(at);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

// Scheduling

/**
 * Records a destruction task in the caller's transaction, unless one for the same subject,
 * purpose and reason is pending already (that one keeps its earlier due date).
 */
export async function scheduleDestruction(
  tx: Tx,
  ctx: Ctx,
  input: {
    contactId: string;
    purposeId: string | null;
    reason: TaskReason;
    receivedAt: Date;
    dueAt: Date;
    sourceRef?: string | null;
  },
): Promise<string> {
  const pending = await findPendingTask(tx, input);
  if (pending) return pending.id;
  const taskId = await insertTask(tx, ctx.orgId, {
    contactId: input.contactId,
    purposeId: input.purposeId,
    reason: input.reason,
    sourceRef: input.sourceRef ?? null,
    receivedAt: input.receivedAt,
    dueAt: input.dueAt,
    createdAt: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: 'retention.task_scheduled',
    entityType: 'destruction_task',
    entityId: taskId,
    details: {
      contactId: input.contactId,
      purposeId: input.purposeId,
      reason: input.reason,
      dueAt: input.dueAt.toISOString(),
    },
  });
  return taskId;
}

/**
 * A consent was withdrawn (R-D4, 152-FZ Art. 21 p.5): records a destruction task for the
 * subject due 30 days after the withdrawal was received. The run carries it out only if by then
 * the subject has no other live basis (another consent, or a non-consent purpose in term) and
 * no legal hold applies. Runs in the caller's transaction; a repeated withdrawal for the same
 * purpose keeps the task already pending, with its earlier due date.
 */
export async function scheduleDestructionAfterWithdrawal(
  tx: Tx,
  ctx: Ctx,
  input: { contactId: string; purposeId: string; receivedAt: Date },
): Promise<void> {
  await scheduleDestruction(tx, ctx, {
    contactId: input.contactId,
    purposeId: input.purposeId,
    reason: 'consent_withdrawn',
    receivedAt: input.receivedAt,
    dueAt: addDays(input.receivedAt, DESTRUCTION_DAYS),
  });
}

// Settings: terms and "purpose achieved" triggers per purpose

function retentionView(
  active: ActivePurpose,
  triggers: readonly { purposeId: string; kind: string; days: number | null }[],
): TPurposeRetention {
  return {
    purposeId: active.purpose.id,
    code: active.purpose.code,
    title: active.version.title,
    kind: active.purpose.kind,
    legalBasis: active.version.legalBasis,
    retentionDays: active.version.retentionDays,
    isArchived: active.purpose.archivedAt !== null,
    triggers: triggers
      .filter((trigger) => trigger.purposeId === active.purpose.id && trigger.kind in TRIGGER_KINDS)
      .map((trigger) => ({ kind: trigger.kind as TriggerKind, days: trigger.days })),
  };
}

export async function findRetentionSettings(ctx: Ctx): Promise<{ items: TPurposeRetention[] }> {
  assertCan(ctx, 'retention.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const purposes = await findActivePurposes(tx, ctx.publicUrl);
    const triggers = await findTriggers(tx);
    return { items: purposes.map((active) => retentionView(active, triggers)) };
  });
}

/** Replaces the purpose's triggers (R-D3); the term itself is the registry's retention days. */
export async function setPurposeTriggers(
  ctx: Ctx,
  purposeCode: string,
  body: TTriggersBody,
): Promise<TPurposeRetention> {
  assertCan(ctx, 'retention.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const [active] = await findActivePurposes(tx, ctx.publicUrl, [purposeCode]);
    if (!active) throw new AppError('not_found', 'No such purpose');
    await replaceTriggers(tx, ctx.orgId, active.purpose.id, body.triggers, ctx.now);
    await recordAudit(tx, ctx, {
      action: 'retention.triggers_set',
      entityType: 'purpose',
      entityId: active.purpose.id,
      details: { purposeCode, triggers: body.triggers },
    });
    return retentionView(active, await findTriggers(tx));
  });
}

// Legal holds

function isHoldActive(hold: HoldRecord, now: Date): boolean {
  return hold.releasedAt === null && (hold.untilAt === null || hold.untilAt > now);
}

function holdView(hold: HoldRecord, now: Date): THold {
  return {
    id: hold.id,
    contactId: hold.contactId,
    reason: hold.reason,
    untilAt: hold.untilAt?.toISOString() ?? null,
    isActive: isHoldActive(hold, now),
    createdBy: hold.createdBy,
    createdAt: hold.createdAt.toISOString(),
    releasedAt: hold.releasedAt?.toISOString() ?? null,
    releaseReason: hold.releaseReason,
  };
}

export async function findHolds(ctx: Ctx, query: THoldQuery): Promise<Page<THold>> {
  assertCan(ctx, 'retention.read');
  const { rows, total } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findHoldPage(tx, {
      ...(query.isActive === undefined ? {} : { isActive: query.isActive === 'true' }),
      now: ctx.now,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    }),
  );
  return {
    items: rows.map((hold) => holdView(hold, ctx.now)),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}

/**
 * A legal hold (litigation, an inspection, a law-enforcement request): while it is in force the
 * run never destroys the held subject, or anyone when it covers the whole organization.
 * `untilDate` is the last day held (Moscow time).
 */
export async function placeHold(ctx: Ctx, body: THoldBody): Promise<THold> {
  assertCan(ctx, 'retention.manage');
  const untilAt = body.untilDate ? new Date(`${body.untilDate}T23:59:59.999+03:00`) : null;
  if (untilAt && untilAt <= ctx.now) {
    throw new AppError('validation_failed', 'The hold would end in the past', {
      fields: { untilDate: ['Must be today or later'] },
    });
  }
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (body.contactId && !(await contactErasure(tx, body.contactId))) {
      throw new AppError('not_found', 'No such contact');
    }
    const id = await insertHold(tx, ctx.orgId, {
      contactId: body.contactId,
      reason: body.reason,
      untilAt,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: 'retention.hold_placed',
      entityType: 'legal_hold',
      entityId: id,
      details: { contactId: body.contactId, untilAt: untilAt?.toISOString() ?? null },
    });
    const hold = await findHold(tx, id);
    if (!hold) throw new Error('The hold just stored was not found');
    return holdView(hold, ctx.now);
  });
}

export async function releaseHold(ctx: Ctx, holdId: string, body: TReleaseBody): Promise<THold> {
  assertCan(ctx, 'retention.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const hold = await findHold(tx, holdId);
    if (!hold) throw new AppError('not_found', 'No such legal hold');
    if (hold.releasedAt === null) {
      await releaseHoldRow(tx, {
        id: holdId,
        by: actorUserId(ctx.actor),
        reason: body.reason,
        at: ctx.now,
      });
      await recordAudit(tx, ctx, {
        action: 'retention.hold_released',
        entityType: 'legal_hold',
        entityId: holdId,
      });
    }
    const released = await findHold(tx, holdId);
    if (!released) throw new Error('The hold vanished');
    return holdView(released, ctx.now);
  });
}

// Bases other than consent

function basisTermEnd(basis: BasisRecord, active: ActivePurpose | undefined): Date {
  if (basis.endedAt) return addDays(basis.endedAt, DESTRUCTION_DAYS);
  return addDays(basis.lastActivityAt, active?.version.retentionDays ?? 0);
}

function basisView(basis: BasisRecord, purposes: readonly ActivePurpose[]): TBasis {
  const active = purposes.find((candidate) => candidate.purpose.id === basis.purposeId);
  return {
    id: basis.id,
    contactId: basis.contactId,
    purposeCode: active?.purpose.code ?? basis.purposeId,
    legalBasis: active?.version.legalBasis ?? 'unknown',
    reference: basis.reference,
    startedAt: basis.startedAt.toISOString(),
    lastActivityAt: basis.lastActivityAt.toISOString(),
    endedAt: basis.endedAt?.toISOString() ?? null,
    termEndsAt: basisTermEnd(basis, active).toISOString(),
  };
}

export async function findBases(ctx: Ctx, contactId: string): Promise<{ items: TBasis[] }> {
  assertCan(ctx, 'retention.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const purposes = await findActivePurposes(tx, ctx.publicUrl);
    const bases = await findBasesOfContacts(tx, [contactId]);
    return { items: bases.map((basis) => basisView(basis, purposes)) };
  });
}

/**
 * Records that the subject is processed on a basis other than consent (a contract, medical
 * care, a legal duty) for a purpose of that basis. While its term runs the subject is kept even
 * after a consent is withdrawn (R-D4).
 */
export async function recordBasis(ctx: Ctx, body: TBasisBody): Promise<TBasis> {
  assertCan(ctx, 'retention.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const contact = await contactErasure(tx, body.contactId);
    if (!contact) throw new AppError('not_found', 'No such contact');
    if (contact.erasedAt) {
      throw new AppError('rule_violated', 'The contact’s data was destroyed', {
        details: { rule: 'contact_destroyed' },
      });
    }
    const purposes = await findActivePurposes(tx, ctx.publicUrl);
    const active = purposes.find((candidate) => candidate.purpose.code === body.purposeCode);
    if (!active) {
      throw new AppError('validation_failed', 'No such purpose', {
        fields: { purposeCode: ['No such purpose'] },
      });
    }
    if (active.version.legalBasis === 'consent') {
      throw new AppError('rule_violated', 'A consent purpose rests on the consent journal', {
        details: { rule: 'basis_is_consent', purposeCode: body.purposeCode },
      });
    }
    const id = await insertBasis(tx, ctx.orgId, {
      contactId: body.contactId,
      purposeId: active.purpose.id,
      reference: body.reference,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: 'retention.basis_recorded',
      entityType: 'processing_basis',
      entityId: id,
      details: { contactId: body.contactId, purposeCode: body.purposeCode },
    });
    const stored = await findBasis(tx, id);
    if (!stored) throw new Error('The basis just stored was not found');
    return basisView(stored, purposes);
  });
}

/** The contract fulfilled, the care finished: the purpose is achieved, destruction in 30 days. */
export async function endBasis(ctx: Ctx, basisId: string): Promise<TBasis> {
  assertCan(ctx, 'retention.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const basis = await findBasis(tx, basisId);
    if (!basis) throw new AppError('not_found', 'No such basis');
    if (!basis.endedAt) {
      await endBasisRow(tx, basisId, ctx.now);
      await recordAudit(tx, ctx, {
        action: 'retention.basis_ended',
        entityType: 'processing_basis',
        entityId: basisId,
        details: { contactId: basis.contactId },
      });
    }
    const ended = await findBasis(tx, basisId);
    if (!ended) throw new Error('The basis vanished');
    return basisView(ended, await findActivePurposes(tx, ctx.publicUrl));
  });
}

// Queue and history

function taskView(task: TaskRecord, purposes: readonly ActivePurpose[]): TTask {
  return {
    id: task.id,
    contactId: task.contactId,
    purposeCode: task.purposeId
      ? (purposes.find((active) => active.purpose.id === task.purposeId)?.purpose.code ??
        task.purposeId)
      : null,
    reason: task.reason,
    sourceRef: task.sourceRef,
    receivedAt: task.receivedAt.toISOString(),
    dueAt: task.dueAt.toISOString(),
    status: task.status,
    outcome: task.outcome,
    actId: task.actId,
    createdAt: task.createdAt.toISOString(),
    decidedAt: task.decidedAt?.toISOString() ?? null,
  };
}

export async function findTasks(ctx: Ctx, query: TTaskQuery): Promise<Page<TTask>> {
  assertCan(ctx, 'retention.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findTaskPage(tx, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.contactId ? { contactId: query.contactId } : {}),
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const purposes = await findActivePurposes(tx, ctx.publicUrl);
    return {
      items: rows.map((task) => taskView(task, purposes)),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  });
}

export async function findRuns(ctx: Ctx, query: TListQuery) {
  assertCan(ctx, 'retention.read');
  const { rows, total } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findRunPage(tx, { limit: query.pageSize, offset: (query.page - 1) * query.pageSize }),
  );
  const describe = await describeActors(
    ctx,
    rows.map((row) => ({
      actorUserId: row.actorUserId,
      actorTokenId: null,
      actorLabel: row.actorLabel,
    })),
  );
  return {
    items: rows.map((row) => ({
      id: row.id,
      startedAt: row.startedAt.toISOString(),
      actor: describe({
        actorUserId: row.actorUserId,
        actorTokenId: null,
        actorLabel: row.actorLabel,
      }).label,
      destroyed: row.destroyed,
      kept: row.kept,
      held: row.held,
      actsPurged: row.actsPurged,
      actId: row.actId,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}

// The run

type Decision = 'destroy' | 'held' | 'kept_other_basis' | 'cancelled';

type SubjectPlan = {
  contactId: string;
  decision: Decision;
  /** Due tasks this decision settles; tasks with a different fate are in `cancelledTasks`. */
  tasks: TaskRecord[];
  cancelledTasks: TaskRecord[];
  /** Every purpose's term has ended and no task records it yet. */
  termEndedAt: Date | null;
  reasons: TaskReason[];
  keptFor: string[];
  holdIds: string[];
  /** Blocks for the time of a check (R-D1) that hold the subject like a legal hold. */
  blockIds: string[];
  dueAt: Date;
};

type NewTrigger = {
  contactId: string;
  purposeId: string;
  receivedAt: Date;
  sourceRef: string;
};

function triggerSourceRef(kind: TriggerKind, days: number | null): string {
  return TRIGGER_KINDS[kind].hasDays ? `${kind}:${days}` : kind;
}

/** Whether a fired trigger still holds: a returning lead or new activity undoes it. */
function triggerStillHolds(task: TaskRecord, facts: LinkedSubject | undefined): boolean {
  if (task.reason !== 'purpose_achieved' || !task.sourceRef) return true;
  if (!facts) return false;
  const [kind, days] = task.sourceRef.split(':');
  if (kind === 'lead_lost') return facts.leads > 0 && facts.leads === facts.leadsLost;
  if (kind === 'no_activity_days') {
    return addDays(facts.lastActivityAt, Number(days)).getTime() <= task.receivedAt.getTime();
  }
  return true;
}

/**
 * Fired "purpose achieved" triggers (R-D3) that have no task yet. A trigger fires once per
 * subject and purpose: a task pending, held or kept for it means it was seen.
 */
async function findFiredTriggers(tx: Tx, ctx: Ctx): Promise<NewTrigger[]> {
  const fired: NewTrigger[] = [];
  for (const trigger of await findTriggers(tx)) {
    if (!(trigger.kind in TRIGGER_KINDS)) continue;
    const kind = trigger.kind as TriggerKind;
    const sourceRef = triggerSourceRef(kind, trigger.days);
    const subjects = await findSubjectsOfPurpose(tx, trigger.purposeId);
    const seen = new Set(
      (
        await findTasksOfContacts(
          tx,
          subjects.map((subject) => subject.contactId),
        )
      )
        .filter(
          (task) =>
            task.reason === 'purpose_achieved' &&
            task.purposeId === trigger.purposeId &&
            task.sourceRef === sourceRef &&
            (task.status === 'pending' ||
              task.status === 'held' ||
              task.status === 'kept_other_basis'),
        )
        .map((task) => task.contactId),
    );
    for (const subject of subjects) {
      if (seen.has(subject.contactId)) continue;
      if (kind === 'lead_lost' && subject.leads > 0 && subject.leads === subject.leadsLost) {
        // The moment the last lead was closed is not recorded: the trigger counts from when the
        // run first sees it, at most a day later.
        fired.push({ ...subject, purposeId: trigger.purposeId, receivedAt: ctx.now, sourceRef });
      }
      if (kind === 'no_activity_days' && trigger.days) {
        const firedAt = addDays(subject.lastActivityAt, trigger.days);
        if (firedAt <= ctx.now) {
          fired.push({ ...subject, purposeId: trigger.purposeId, receivedAt: firedAt, sourceRef });
        }
      }
    }
  }
  return fired.map(({ contactId, purposeId, receivedAt, sourceRef }) => ({
    contactId,
    purposeId,
    receivedAt,
    sourceRef,
  }));
}

/** Decides what happens to one subject: destroyed, held, kept on another basis. */
async function planSubject(
  tx: Tx,
  ctx: Ctx,
  input: {
    contactId: string;
    dueTasks: TaskRecord[];
    termEndedAt: Date | null;
    allTasks: TaskRecord[];
    holds: HoldRecord[];
    facts: LinkedSubject | undefined;
    bases: BasisRecord[];
    purposes: ActivePurpose[];
  },
): Promise<SubjectPlan | null> {
  const valid = input.dueTasks.filter((task) => triggerStillHolds(task, input.facts));
  const cancelledTasks = input.dueTasks.filter((task) => !valid.includes(task));
  const validIds = new Set(valid.map((task) => task.id));
  // A due task records the destruction already; the term-ended scan adds a record only alone.
  const termEndedAt = valid.length > 0 ? null : input.termEndedAt;
  const dueAt = [...valid.map((task) => task.dueAt), termEndedAt]
    .filter((at): at is Date => at !== null)
    .sort((left, right) => left.getTime() - right.getTime())[0];
  const base = {
    contactId: input.contactId,
    tasks: valid,
    cancelledTasks,
    termEndedAt,
    keptFor: [] as string[],
    holdIds: [] as string[],
    blockIds: [] as string[],
    reasons: [
      ...new Set([
        ...valid.map((task) => task.reason),
        ...(termEndedAt ? (['term_ended'] as const) : []),
      ]),
    ],
  };
  if (!dueAt) {
    return cancelledTasks.length > 0
      ? { ...base, decision: 'cancelled', dueAt: cancelledTasks[0]?.dueAt ?? ctx.now }
      : null;
  }
  // A pending task not yet due means the subject's clock still runs (a withdrawal yesterday):
  // the term-ended scan waits for it rather than destroying early.
  if (
    valid.length === 0 &&
    input.allTasks.some((task) => task.status === 'pending' && task.dueAt > ctx.now)
  ) {
    return cancelledTasks.length > 0 ? { ...base, decision: 'cancelled', dueAt } : null;
  }
  const holds = input.holds.filter(
    (hold) => hold.contactId === null || hold.contactId === input.contactId,
  );
  // Data blocked for the time of a check (R-D1) is evidence of that check: it is destroyed, if
  // at all, once the block is lifted, like data under a legal hold.
  const blocks = (await activeBlocks(tx, ctx, input.contactId)).filter(
    (block) => block.kind === 'blocked',
  );
  if (holds.length > 0 || blocks.length > 0) {
    return {
      ...base,
      decision: 'held',
      holdIds: holds.map((hold) => hold.id),
      blockIds: blocks.map((block) => block.id),
      dueAt,
    };
  }
  // An unlawful processing found is destroyed whatever other basis is claimed (R-D2).
  if (!valid.some((task) => task.reason === 'unlawful')) {
    // Purposes achieved are over for this subject even if a consent to them still stands.
    const ended = new Set(
      input.allTasks
        .filter(
          (task) =>
            task.reason === 'purpose_achieved' &&
            task.purposeId !== null &&
            (validIds.has(task.id) || task.status === 'kept_other_basis') &&
            triggerStillHolds(task, input.facts),
        )
        .map((task) => task.purposeId as string),
    );
    const keptFor: string[] = [];
    for (const state of await consentStatesOf(tx, ctx, input.contactId)) {
      if (state.state === 'given' && !ended.has(state.purposeId)) {
        keptFor.push(`consent:${state.purposeCode}`);
      }
    }
    for (const basis of input.bases) {
      const active = input.purposes.find((candidate) => candidate.purpose.id === basis.purposeId);
      if (!active || ended.has(basis.purposeId) || basis.endedAt) continue;
      if (basisTermEnd(basis, active) > ctx.now) {
        keptFor.push(`${active.version.legalBasis}:${active.purpose.code}`);
      }
    }
    if (keptFor.length > 0) {
      // Nothing to keep a term-ended subject for would have been found by the scan; a consent
      // given since then is a basis again.
      if (valid.length === 0) return null;
      return { ...base, decision: 'kept_other_basis', keptFor: [...new Set(keptFor)], dueAt };
    }
  }
  return { ...base, decision: 'destroy', dueAt };
}

async function planRun(tx: Tx, ctx: Ctx): Promise<{ plans: SubjectPlan[]; fired: NewTrigger[] }> {
  const fired = await findFiredTriggers(tx, ctx);
  const dueTasks = await findDueTasks(tx, ctx.now);
  const termEnded = await findTermEndedSubjects(tx, ctx.now);
  const contactIds = [
    ...new Set([
      ...dueTasks.map((task) => task.contactId),
      ...termEnded.map((subject) => subject.contactId),
    ]),
  ];
  if (contactIds.length === 0) return { plans: [], fired };
  const allTasks = await findTasksOfContacts(tx, contactIds);
  const holds = await findActiveHolds(tx, ctx.now);
  const facts = await findSubjectFacts(tx, contactIds);
  const bases = await findBasesOfContacts(tx, contactIds);
  const purposes = await findActivePurposes(tx, ctx.publicUrl);
  const plans: SubjectPlan[] = [];
  for (const contactId of contactIds) {
    const erasure = await contactErasure(tx, contactId);
    const tasks = dueTasks.filter((task) => task.contactId === contactId);
    const subjectTasks = allTasks.filter((task) => task.contactId === contactId);
    // A task left for a subject erased meanwhile (a deletion request) has nothing left to do.
    if (!erasure || erasure.erasedAt) {
      if (tasks.length > 0) {
        plans.push({
          contactId,
          decision: 'cancelled',
          tasks: [],
          cancelledTasks: tasks,
          termEndedAt: null,
          reasons: [],
          keptFor: [],
          holdIds: [],
          blockIds: [],
          dueAt: tasks[0]?.dueAt ?? ctx.now,
        });
      }
      continue;
    }
    // A term-ended subject already recorded by a task (held last time) needs no second record.
    const termEndedAt =
      subjectTasks.some((task) => task.reason === 'term_ended' && task.status === 'held') ||
      tasks.some((task) => task.reason === 'term_ended')
        ? null
        : (termEnded.find((subject) => subject.contactId === contactId)?.dueAt ?? null);
    const plan = await planSubject(tx, ctx, {
      contactId,
      dueTasks: tasks,
      termEndedAt,
      allTasks: subjectTasks,
      holds,
      facts: facts.find((subject) => subject.contactId === contactId),
      bases: bases.filter((basis) => basis.contactId === contactId),
      purposes,
    });
    if (plan) plans.push(plan);
  }
  return { plans, fired };
}

type Destroyed = {
  plan: SubjectPlan;
  identity: { name: string | null; phone: string | null; email: string | null };
  categories: string[];
  operations: { table: string; action: string; rows: number }[];
  erasedAt: Date;
};

async function writeAct(
  tx: Tx,
  ctx: Ctx,
  input: { runId: string; destroyed: Destroyed[]; runBy: string | null },
): Promise<{ id: string; number: number }> {
  const profile = await getProfileForDocuments(tx);
  const keyring = await orgKeyring(tx, ctx);
  const number = await nextActNumber(tx);
  const id = randomUUID();
  const informationSystem = `Информационная система персональных данных «Soglasie» ${VERSION} (${ctx.publicUrl})`;
  const categories = [...new Set(input.destroyed.flatMap((item) => item.categories))].sort();
  const reasonCounts = new Map<TaskReason, number>();
  for (const item of input.destroyed) {
    for (const reason of item.plan.reasons) {
      reasonCounts.set(reason, (reasonCounts.get(reason) ?? 0) + 1);
    }
  }
  const subjectLabel = (item: Destroyed) =>
    item.identity.name ?? item.identity.phone ?? item.identity.email ?? item.plan.contactId;
  const signatureNote = `Электронная подпись Ed25519 ключом организации (SHA-256 содержимого акта в поле «Контрольная сумма»)`;
  const content: TActContent = {
    number,
    date: ctx.now.toISOString(),
    operator: {
      name: profile?.legalName ?? 'Оператор не указан в профиле',
      address: profile?.address ?? 'Адрес не указан в профиле',
      inn: profile?.inn ?? null,
      ogrn: profile?.ogrn ?? null,
    },
    processors: (profile?.processors ?? []).map((processor) => ({
      name: processor.name,
      address: processor.address,
    })),
    subjects: input.destroyed.map((item) => ({ contactId: item.plan.contactId, ...item.identity })),
    destroyedBy: [
      {
        name: profile?.responsibleName ?? 'Не назначено',
        position: 'Лицо, ответственное за организацию обработки персональных данных',
        signature: signatureNote,
      },
      ...(input.runBy
        ? [
            {
              name: input.runBy,
              position: 'Работник, запустивший уничтожение в информационной системе',
              signature: signatureNote,
            },
          ]
        : []),
      {
        name: `Soglasie: автоматическое уничтожение (${ctx.actor.type === 'system' ? ctx.actor.label : 'ручной запуск'})`,
        position: 'Информационная система, выполнившая уничтожение',
        signature: signatureNote,
      },
    ],
    categories,
    informationSystem,
    method: DESTRUCTION_METHOD,
    reasons: [...reasonCounts].map(([code, subjects]) => ({
      code,
      text: REASON_TEXTS[code],
      subjects,
    })),
    extract: {
      informationSystem,
      generatedAt: ctx.now.toISOString(),
      entries: input.destroyed.map((item) => ({
        contactId: item.plan.contactId,
        subject: subjectLabel(item),
        categories: item.categories,
        reason: item.plan.reasons.map((reason) => REASON_TEXTS[reason]).join('; '),
        destroyedAt: item.erasedAt.toISOString(),
        operations: item.operations,
      })),
    },
  };
  const plaintext = JSON.stringify(content);
  const contentSha256 = createHash('sha256').update(plaintext).digest('hex');
  await insertAct(tx, ctx.orgId, {
    id,
    number,
    runId: input.runId,
    destroyedAt: ctx.now,
    subjectsCount: input.destroyed.length,
    categories,
    reasons: [...reasonCounts.keys()],
    // Sealed under the organization key: the subjects' own keys are gone (R-D6 keeps the act).
    contentEnc: sealField(keyring.key, plaintext, `destruction_acts:${id}:content`),
    contentSha256,
    signature: signWithOrgKey(keyring, plaintext),
    signingPublicKey: keyring.signingPublicKey,
    keepUntil: addYears(ctx.now, ACT_KEEP_YEARS),
  });
  await recordAudit(tx, ctx, {
    action: 'retention.act_written',
    entityType: 'destruction_act',
    entityId: id,
    details: { number, runId: input.runId, subjects: input.destroyed.length },
  });
  return { id, number };
}

async function executePlans(
  tx: Tx,
  ctx: Ctx,
  input: { plans: SubjectPlan[]; fired: NewTrigger[]; runBy: string | null },
): Promise<{ runId: string; actId: string | null; actNumber: number | null; purged: number }> {
  const runId = randomUUID();
  await insertRun(tx, ctx.orgId, {
    id: runId,
    startedAt: ctx.now,
    actorLabel: ctx.actor.type === 'system' ? ctx.actor.label : null,
    actorUserId: actorUserId(ctx.actor),
  });
  for (const trigger of input.fired) {
    await scheduleDestruction(tx, ctx, {
      contactId: trigger.contactId,
      purposeId: trigger.purposeId,
      reason: 'purpose_achieved',
      receivedAt: trigger.receivedAt,
      dueAt: addDays(trigger.receivedAt, DESTRUCTION_DAYS),
      sourceRef: trigger.sourceRef,
    });
  }
  const decide = async (
    plan: SubjectPlan,
    status: TaskStatus,
    outcome: Record<string, unknown>,
    actId: string | null,
  ) => {
    const tasks = [...plan.tasks];
    if (plan.termEndedAt && status !== 'kept_other_basis') {
      const taskId = await insertTask(tx, ctx.orgId, {
        contactId: plan.contactId,
        purposeId: null,
        reason: 'term_ended',
        sourceRef: null,
        receivedAt: plan.termEndedAt,
        dueAt: plan.termEndedAt,
        createdAt: ctx.now,
      });
      tasks.push({ id: taskId } as TaskRecord);
    }
    for (const task of tasks) {
      await decideTask(tx, { id: task.id, status, outcome, runId, actId, at: ctx.now });
    }
  };
  const destroyed: Destroyed[] = [];
  for (const plan of input.plans) {
    for (const task of plan.cancelledTasks) {
      await decideTask(tx, {
        id: task.id,
        status: 'cancelled',
        outcome: { cause: 'trigger_no_longer_holds_or_subject_erased' },
        runId,
        actId: null,
        at: ctx.now,
      });
    }
    if (plan.decision === 'held') {
      await decide(
        plan,
        'held',
        plan.blockIds.length > 0
          ? { holdIds: plan.holdIds, blockIds: plan.blockIds }
          : { holdIds: plan.holdIds },
        null,
      );
    }
    if (plan.decision === 'kept_other_basis') {
      await decide(plan, 'kept_other_basis', { keptFor: plan.keptFor }, null);
    }
    if (plan.decision !== 'destroy') continue;
    // The act names whom it destroyed: read before the data is gone (the read is logged).
    const identity = (await readContacts(tx, ctx, [plan.contactId], 'destruction_act')).get(
      plan.contactId,
    );
    const registryCategories = await findCategoriesOfSubject(tx, plan.contactId);
    const erased = await eraseSubject(tx, ctx, {
      contactId: plan.contactId,
      reason: plan.reasons.join(','),
    });
    destroyed.push({
      plan,
      identity: {
        name: identity?.name ?? null,
        phone: identity?.phone ?? null,
        email: identity?.email ?? null,
      },
      categories: [
        ...new Set(registryCategories.length > 0 ? registryCategories : erased.categories),
      ],
      operations: erased.tables.map((table) => ({
        table: table.table,
        action: table.action,
        rows: table.rows,
      })),
      erasedAt: erased.erasedAt,
    });
  }
  const act =
    destroyed.length > 0 ? await writeAct(tx, ctx, { runId, destroyed, runBy: input.runBy }) : null;
  for (const item of destroyed) {
    await decide(item.plan, 'done', { reasons: item.plan.reasons }, act?.id ?? null);
  }
  // R-D6: acts and extracts are kept three years, then purged by the same run.
  const purged = await deleteExpiredActs(tx, ctx.now);
  for (const old of purged) {
    await recordAudit(tx, ctx, {
      action: 'retention.act_purged',
      entityType: 'destruction_act',
      entityId: old.id,
      details: { number: old.number },
    });
  }
  await finishRun(tx, {
    id: runId,
    destroyed: destroyed.length,
    kept: input.plans.filter((plan) => plan.decision === 'kept_other_basis').length,
    held: input.plans.filter((plan) => plan.decision === 'held').length,
    actsPurged: purged.length,
    actId: act?.id ?? null,
  });
  await recordAudit(tx, ctx, {
    action: 'retention.run',
    entityType: 'retention_run',
    entityId: runId,
    details: { destroyed: destroyed.length, actId: act?.id ?? null, actsPurged: purged.length },
  });
  return { runId, actId: act?.id ?? null, actNumber: act?.number ?? null, purged: purged.length };
}

/**
 * The retention run for one organization (R-D3, R-D4, R-D6): turns fired "purpose achieved"
 * triggers into tasks, then takes every subject that is due — a task due, or every purpose's
 * term ended — and destroys it unless a legal hold or another live basis keeps it. Writes one
 * destruction act with its event-log extract for everything destroyed, purges acts older than
 * three years, all in one transaction. A dry run plans the same and changes nothing.
 */
export async function runRetention(ctx: Ctx, options: { isDryRun: boolean }): Promise<TRunResult> {
  assertCan(ctx, 'retention.manage');
  const runBy =
    ctx.actor.type === 'user'
      ? (
          await describeActors(ctx, [
            { actorUserId: ctx.actor.userId, actorTokenId: null, actorLabel: null },
          ])
        )({ actorUserId: ctx.actor.userId, actorTokenId: null, actorLabel: null }).label
      : null;
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await lockRetention(tx, ctx.orgId);
    const { plans, fired } = await planRun(tx, ctx);
    const names = await readContacts(
      tx,
      ctx,
      plans.filter((plan) => plan.decision !== 'cancelled').map((plan) => plan.contactId),
      options.isDryRun ? 'retention_preview' : 'retention_run',
    );
    const subjects = plans.map((plan) => ({
      contactId: plan.contactId,
      name: names.get(plan.contactId)?.name ?? null,
      decision: plan.decision,
      reasons: plan.reasons,
      keptFor: plan.keptFor,
      dueAt: plan.dueAt.toISOString(),
    }));
    const counts = {
      destroyed: plans.filter((plan) => plan.decision === 'destroy').length,
      held: plans.filter((plan) => plan.decision === 'held').length,
      kept: plans.filter((plan) => plan.decision === 'kept_other_basis').length,
    };
    if (options.isDryRun) {
      return {
        runId: null,
        isDryRun: true,
        at: ctx.now.toISOString(),
        subjects,
        ...counts,
        actId: null,
        actNumber: null,
        actsPurged: 0,
      };
    }
    const result = await executePlans(tx, ctx, { plans, fired, runBy });
    return {
      runId: result.runId,
      isDryRun: false,
      at: ctx.now.toISOString(),
      subjects,
      ...counts,
      actId: result.actId,
      actNumber: result.actNumber,
      actsPurged: result.purged,
    };
  });
}

/** The daily job: every organization in turn; one failing organization does not stop the rest. */
export async function runRetentionForAllOrgs(
  deps: Pick<JobDeps, 'db' | 'keys' | 'publicUrl' | 'logger'>,
  now: Date,
  options: { isDryRun: boolean; actorLabel: string; orgIds?: readonly string[] },
): Promise<{ orgId: string; result: TRunResult | null }[]> {
  const orgIds =
    options.orgIds ?? (await withTx(deps.db, { orgId: null }, (tx) => findRetentionOrgIds(tx)));
  const results: { orgId: string; result: TRunResult | null }[] = [];
  for (const orgId of orgIds) {
    const ctx = systemCtx(deps, {
      orgId,
      now,
      actor: { type: 'system', label: options.actorLabel },
    });
    try {
      results.push({ orgId, result: await runRetention(ctx, { isDryRun: options.isDryRun }) });
    } catch (error) {
      deps.logger?.error(
        { orgId, error: error instanceof Error ? error.constructor.name : 'unknown' },
        'retention run failed',
      );
      results.push({ orgId, result: null });
    }
  }
  return results;
}

// Acts

function actSummary(act: ActRecord) {
  return {
    id: act.id,
    number: act.number,
    destroyedAt: act.destroyedAt.toISOString(),
    subjectsCount: act.subjectsCount,
    categories: act.categories,
    reasons: act.reasons,
    keepUntil: act.keepUntil.toISOString(),
  };
}

export async function findActs(ctx: Ctx, query: TListQuery) {
  assertCan(ctx, 'retention.read');
  const { rows, total } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findActPage(tx, { limit: query.pageSize, offset: (query.page - 1) * query.pageSize }),
  );
  return { items: rows.map(actSummary), page: query.page, pageSize: query.pageSize, total };
}

/**
 * One act with its extract, decrypted with the organization key and its signature checked. The
 * act names destroyed subjects, so the read is logged.
 */
export async function getAct(ctx: Ctx, actId: string, reason = 'act_view'): Promise<TAct> {
  assertCan(ctx, 'retention.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const act = await findAct(tx, actId);
    if (!act) throw new AppError('not_found', 'No such act');
    const keyring = await orgKeyring(tx, ctx);
    const plaintext = openField(keyring.key, act.contentEnc, `destruction_acts:${act.id}:content`);
    const content = JSON.parse(plaintext) as TActContent;
    await recordAccess(tx, ctx, {
      subjectType: 'destruction_act',
      subjectIds: [act.id],
      fields: ['subjects'],
      reason,
    });
    const publicKey = Buffer.from(act.signingPublicKey);
    return {
      ...actSummary(act),
      content,
      contentSha256: act.contentSha256,
      signature: Buffer.from(act.signature).toString('base64'),
      publicKey: publicKey.toString('base64'),
      isSignatureValid:
        verifyOrgSignature(publicKey, plaintext, act.signature) &&
        createHash('sha256').update(plaintext).digest('hex') === act.contentSha256,
    };
  });
}

/** The act for printing or filing: HTML or PDF, with the extract (the read is logged). */
export async function exportAct(
  ctx: Ctx,
  actId: string,
  format: 'html' | 'pdf',
): Promise<{ body: string | Buffer; contentType: string; filename: string }> {
  const act = await getAct(ctx, actId, `act_export_${format}`);
  return format === 'html'
    ? {
        body: renderActHtml(act),
        contentType: 'text/html; charset=utf-8',
        filename: actFilename(act, 'html'),
      }
    : {
        body: await renderActPdf(act),
        contentType: 'application/pdf',
        filename: actFilename(act, 'pdf'),
      };
}
