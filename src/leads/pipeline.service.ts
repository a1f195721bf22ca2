import { recordAudit } from '../access-log/access-log.service.ts';
import { memberRoleOf } from '../orgs/members.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can, type Permission } from '../platform/permissions.ts';
import { findLeadById, findLeadsPerStage } from './leads.repo.ts';
import type { TLeadView } from './leads.schema.ts';
import { leadViews } from './leads.service.ts';
import {
  countLeadsByStage,
  findFirstResponse,
  findLeadForMove,
  findLeadsOfContactForMove,
  findStageDurations,
  findStageEvents,
  findStages,
  insertStageEvent,
  insertStagesOnce,
  type LeadStageRow,
  type StageRow,
  setLeadAssignee,
  setLeadStage,
  updateStage,
} from './pipeline.repo.ts';
import {
  SYSTEM_STAGE_CODES,
  type TBoard,
  type TBoardQuery,
  type TLostReason,
  type TMoveStageBody,
  type TPipelineReport,
  type TSaveStagesBody,
  type TStageEventView,
  type TStageView,
  type TSystemStage,
} from './pipeline.schema.ts';

export type { TLostReason, TSystemStage };

/** The default pipeline: new → contacted → booked → visited → paid, and lost with a reason. */
const DEFAULT_STAGES: ReadonlyArray<Omit<StageRow, 'id' | 'archivedAt'>> = [
  { code: 'new', title: 'Новая заявка', position: 10, kind: 'open', isSystem: true },
  { code: 'contacted', title: 'Связались', position: 20, kind: 'open', isSystem: true },
  { code: 'booked', title: 'Записан', position: 30, kind: 'open', isSystem: true },
  { code: 'visited', title: 'Пришёл', position: 40, kind: 'open', isSystem: true },
  { code: 'paid', title: 'Оплатил', position: 50, kind: 'won', isSystem: true },
  { code: 'lost', title: 'Потерян', position: 1000, kind: 'lost', isSystem: true },
];

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

/** The organization's stages in board order; the defaults are written on first use. */
export async function pipelineStages(tx: Tx, ctx: Ctx): Promise<StageRow[]> {
  const stages = await findStages(tx);
  const missing = DEFAULT_STAGES.filter(
    (stage) => !stages.some((existing) => existing.code === stage.code),
  );
  if (missing.length === 0) return stages;
  await insertStagesOnce(tx, ctx.orgId, missing);
  return findStages(tx);
}

function stageView(stage: StageRow): TStageView {
  return {
    code: stage.code,
    title: stage.title,
    position: stage.position,
    kind: stage.kind,
    isSystem: stage.isSystem,
    isArchived: stage.archivedAt !== null,
  };
}

export async function listStages(ctx: Ctx): Promise<TStageView[]> {
  assertCan(ctx, 'leads.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) =>
    (await pipelineStages(tx, ctx)).map(stageView),
  );
}

/**
 * Saves the pipeline: titles, order, custom stages added or archived. System stages stay (other
 * domains move leads to them) and "lost" stays last; a stage is archived, never deleted, so the
 * history of past leads keeps its meaning.
 */
export async function saveStages(ctx: Ctx, body: TSaveStagesBody): Promise<TStageView[]> {
  assertCan(ctx, 'pipeline.manage');
  const codes = body.stages.map((stage) => stage.code);
  const duplicates = codes.filter((code, index) => codes.indexOf(code) !== index);
  if (duplicates.length > 0) {
    throw new AppError('validation_failed', 'A stage code appears twice', {
      fields: { stages: [`duplicate:${duplicates[0]}`] },
    });
  }
  const missing = SYSTEM_STAGE_CODES.filter((code) => !codes.includes(code));
  if (missing.length > 0) {
    throw new AppError('validation_failed', 'System stages cannot be removed', {
      fields: { stages: missing.map((code) => `system_stage_required:${code}`) },
    });
  }
  const archivedSystem = body.stages.filter(
    (stage) => stage.isArchived && (SYSTEM_STAGE_CODES as readonly string[]).includes(stage.code),
  );
  if (archivedSystem.length > 0) {
    throw new AppError('validation_failed', 'System stages cannot be archived', {
      fields: { stages: archivedSystem.map((stage) => `system_stage_required:${stage.code}`) },
    });
  }
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const existing = await pipelineStages(tx, ctx);
    const dropped = existing.filter((stage) => !codes.includes(stage.code));
    if (dropped.length > 0) {
      throw new AppError('validation_failed', 'A stage is archived, not removed', {
        fields: { stages: dropped.map((stage) => `stage_missing:${stage.code}`) },
      });
    }
    // "lost" closes the board whatever the order given.
    const ordered = [
      ...body.stages.filter((stage) => stage.code !== 'lost'),
      ...body.stages.filter((stage) => stage.code === 'lost'),
    ];
    const added = ordered
      .map((stage, index) => ({ stage, position: (index + 1) * 10 }))
      .filter(({ stage }) => !existing.some((known) => known.code === stage.code));
    await insertStagesOnce(
      tx,
      ctx.orgId,
      added.map(({ stage, position }) => ({
        code: stage.code,
        title: stage.title,
        position,
        kind: 'open',
        isSystem: false,
      })),
    );
    for (const [index, stage] of ordered.entries()) {
      const before = existing.find((known) => known.code === stage.code);
      await updateStage(tx, {
        code: stage.code,
        title: stage.title,
        position: (index + 1) * 10,
        archivedAt: stage.isArchived ? (before?.archivedAt ?? ctx.now) : null,
      });
    }
    await recordAudit(tx, ctx, {
      action: 'pipeline.stages_saved',
      entityType: 'pipeline',
      details: { codes: ordered.map((stage) => stage.code) },
    });
    return (await findStages(tx)).map(stageView);
  });
}

export type StageMove = {
  leadId: string;
  contactId: string;
  from: string;
  to: string;
  /** False when the lead already was in that stage (nothing was written). */
  isMoved: boolean;
};

/**
 * Moves a lead to a stage inside the caller's transaction: the service other domains call
 * (appointments → booked and visited, payments → paid). Writes the stage-change event with the
 * time spent in the previous stage; the first move out of "new" is the lead's first response.
 * `cause` names who moved it: 'manual' for staff, else the calling domain ('appointments').
 */
export async function moveLeadStage(
  tx: Tx,
  ctx: Ctx,
  input: { leadId: string; stage: string; lostReason?: TLostReason | null; cause: string },
): Promise<StageMove> {
  const stages = await pipelineStages(tx, ctx);
  const target = stages.find((stage) => stage.code === input.stage);
  if (!target || target.archivedAt) {
    throw new AppError('validation_failed', 'No such stage', {
      fields: { stage: ['unknown_stage'] },
    });
  }
  if (target.kind === 'lost' && !input.lostReason) {
    throw new AppError('validation_failed', 'A lost lead needs a reason', {
      fields: { lostReason: ['required'] },
    });
  }
  const lead = await findLeadForMove(tx, input.leadId);
  if (!lead) throw new AppError('not_found', 'No such lead');
  return applyMove(tx, ctx, lead, target, input.lostReason ?? null, input.cause);
}

async function applyMove(
  tx: Tx,
  ctx: Ctx,
  lead: LeadStageRow,
  target: StageRow,
  lostReason: TLostReason | null,
  cause: string,
): Promise<StageMove> {
  const unchanged = { leadId: lead.id, contactId: lead.contactId, from: lead.status };
  if (lead.status === target.code) return { ...unchanged, to: target.code, isMoved: false };
  const fromAt = lead.stageChangedAt ?? lead.createdAt;
  const isFirstResponse = lead.firstResponseAt === null && lead.status === 'new';
  await setLeadStage(tx, {
    leadId: lead.id,
    stage: target.code,
    lostReason: target.kind === 'lost' ? lostReason : null,
    at: ctx.now,
    firstResponseAt: isFirstResponse ? ctx.now : null,
  });
  await insertStageEvent(tx, {
    orgId: ctx.orgId,
    leadId: lead.id,
    fromStage: lead.status,
    toStage: target.code,
    fromAt,
    at: ctx.now,
    lostReason: target.kind === 'lost' ? lostReason : null,
    cause,
    actorUserId: actorUserId(ctx.actor),
    actorLabel: ctx.actor.type === 'system' ? ctx.actor.label : null,
  });
  return { ...unchanged, to: target.code, isMoved: true };
}

/**
 * Moves the contact's current lead forward to a stage, never back: a visit does not pull a paid
 * lead back to "visited". The current lead is the newest one still open (not won or lost);
 * when every lead is closed, or the open one is already at or past the stage, nothing moves.
 * Returns null when the contact has no lead at all. For appointments (booked, visited) and
 * payments (paid), inside their own transaction.
 */
export async function advanceContactLead(
  tx: Tx,
  ctx: Ctx,
  input: { contactId: string; stage: TSystemStage | string; cause: string },
): Promise<StageMove | null> {
  const stages = await pipelineStages(tx, ctx);
  const target = stages.find((stage) => stage.code === input.stage);
  if (!target || target.kind === 'lost') {
    throw new AppError('validation_failed', 'Leads advance to an open or won stage only', {
      fields: { stage: ['unknown_stage'] },
    });
  }
  const leads = await findLeadsOfContactForMove(tx, input.contactId);
  if (leads.length === 0) return null;
  const stageOf = (code: string) => stages.find((stage) => stage.code === code);
  const current = leads.find((lead) => stageOf(lead.status)?.kind === 'open') ?? null;
  if (!current) {
    const newest = leads[0] as LeadStageRow;
    return {
      leadId: newest.id,
      contactId: newest.contactId,
      from: newest.status,
      to: newest.status,
      isMoved: false,
    };
  }
  const position = stageOf(current.status)?.position ?? 0;
  if (position >= target.position) {
    return {
      leadId: current.id,
      contactId: current.contactId,
      from: current.status,
      to: current.status,
      isMoved: false,
    };
  }
  return applyMove(tx, ctx, current, target, null, input.cause);
}

/** A staff member moves a lead (the board's drag or the list's menu). */
export async function moveLead(ctx: Ctx, leadId: string, body: TMoveStageBody): Promise<TLeadView> {
  assertCan(ctx, 'leads.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await moveLeadStage(tx, ctx, {
      leadId,
      stage: body.stage,
      lostReason: body.lostReason ?? null,
      cause: 'manual',
    });
    return leadViewOf(tx, ctx, leadId);
  });
}

async function leadViewOf(tx: Tx, ctx: Ctx, leadId: string): Promise<TLeadView> {
  const lead = await findLeadById(tx, leadId);
  if (!lead) throw new AppError('not_found', 'No such lead');
  const [view] = await leadViews(tx, ctx, [lead]);
  if (!view) throw new Error('A lead just read has no view');
  return view;
}

/** Assigns a lead to a member of the organization (or unassigns it). */
export async function assignLead(
  ctx: Ctx,
  leadId: string,
  userId: string | null,
): Promise<TLeadView> {
  assertCan(ctx, 'leads.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (userId && !(await memberRoleOf(tx, ctx, userId))) {
      throw new AppError('validation_failed', 'Not a member of the organization', {
        fields: { userId: ['not_a_member'] },
      });
    }
    if ((await setLeadAssignee(tx, leadId, userId)) === 0) {
      throw new AppError('not_found', 'No such lead');
    }
    await recordAudit(tx, ctx, {
      action: 'lead.assigned',
      entityType: 'lead',
      entityId: leadId,
      details: { assigneeUserId: userId },
    });
    return leadViewOf(tx, ctx, leadId);
  });
}

function eventView(event: Awaited<ReturnType<typeof findStageEvents>>[number]): TStageEventView {
  return {
    id: event.id,
    leadId: event.leadId,
    fromStage: event.fromStage,
    toStage: event.toStage,
    at: event.at.toISOString(),
    durationSeconds: Math.round((event.at.getTime() - event.fromAt.getTime()) / 1000),
    lostReason: event.lostReason,
    cause: event.cause,
    actorUserId: event.actorUserId,
  };
}

/** Stage changes of leads, newest first (the lead's history, the contact's timeline). */
export async function stageEventsOf(
  tx: Tx,
  filter: { leadIds: readonly string[]; before?: { at: Date; id: string } | null; limit: number },
): Promise<TStageEventView[]> {
  return (await findStageEvents(tx, filter)).map(eventView);
}

export async function leadHistory(ctx: Ctx, leadId: string): Promise<TStageEventView[]> {
  assertCan(ctx, 'leads.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await findLeadById(tx, leadId))) throw new AppError('not_found', 'No such lead');
    return stageEventsOf(tx, { leadIds: [leadId], limit: 500 });
  });
}

/** The kanban board: each live stage with its total and its newest leads. */
export async function pipelineBoard(ctx: Ctx, query: TBoardQuery): Promise<TBoard> {
  assertCan(ctx, 'leads.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const stages = (await pipelineStages(tx, ctx)).filter((stage) => !stage.archivedAt);
    const filter = { assignee: query.assignee, source: query.source };
    const counts = await countLeadsByStage(tx, {
      assigneeUserId: query.assignee ?? null,
      source: query.source ?? null,
    });
    const rows = await findLeadsPerStage(tx, {
      ...filter,
      stages: stages.map((stage) => stage.code),
      perStage: query.perStage,
    });
    const views = await leadViews(tx, ctx, rows);
    return {
      columns: stages.map((stage) => ({
        stage: stageView(stage),
        total: counts.get(stage.code) ?? 0,
        items: views.filter((view) => view.status === stage.code),
      })),
    };
  });
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** First-response time and stage durations for reports (default: the last 30 days). */
export async function pipelineReport(
  ctx: Ctx,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<TPipelineReport> {
  assertCan(ctx, 'leads.read');
  const to = query.to ? new Date(query.to) : ctx.now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) {
    throw new AppError('validation_failed', 'The period ends before it starts', {
      fields: { from: ['after_to'] },
    });
  }
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => ({
    from: from.toISOString(),
    to: to.toISOString(),
    firstResponse: await findFirstResponse(tx, { from, to }),
    stageDurations: await findStageDurations(tx, { from, to }),
  }));
}
