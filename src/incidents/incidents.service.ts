import { randomUUID } from 'node:crypto';
import { recordAccess, recordAudit } from '../access-log/access-log.service.ts';
import { type OrgKeyring, openField, orgKeyring, sealField } from '../keys/keys.service.ts';
import { describeActors } from '../orgs/members.service.ts';
import { actorTokenId, actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Page } from '../platform/http/params.ts';
import { can, type Permission } from '../platform/permissions.ts';
import { getProfileForDocuments } from '../purposes/purposes.service.ts';
import { clocksOf, dueTimesOf, nextClockOf, stepsOf } from './incident-clocks.ts';
import { type NoticeIncident, renderNotice24h, renderReport72h } from './incident-notice.ts';
import {
  deleteIncidentRecord,
  findActiveIncidents,
  findExistingAccessLogIds,
  findExistingContactIds,
  findIncident,
  findIncidentEvents,
  findIncidentPage,
  findIncidentRecords,
  type IncidentChanges,
  type IncidentRow,
  insertIncident,
  insertIncidentEvent,
  insertIncidentRecords,
  nextIncidentNumber,
  SEALED_COLUMNS,
  type SealedField,
  updateIncident,
} from './incidents.repo.ts';
import type {
  IncidentStatus,
  IncidentStep,
  NoticeDocument,
  TCloseIncidentBody,
  TCreateIncidentBody,
  TIncidentDetail,
  TIncidentOverview,
  TIncidentQuery,
  TIncidentSummary,
  TLinkRecordsBody,
  TRecordStepBody,
  TUpdateIncidentBody,
} from './incidents.schema.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

function refuse(rule: string, message: string, details: Record<string, unknown> = {}): never {
  throw new AppError('rule_violated', message, { details: { rule, ...details } });
}

const SEALED_FIELDS = Object.keys(SEALED_COLUMNS) as SealedField[];

function binding(incidentId: string, field: SealedField): string {
  return `incidents:${incidentId}:${field}`;
}

/** Free text may quote personal data: sealed under the organization key, bound to its cell. */
function sealAll(
  keyring: OrgKeyring,
  incidentId: string,
  values: Partial<Record<SealedField, string | null | undefined>>,
): Partial<Record<SealedField, Uint8Array | null>> {
  const sealed: Partial<Record<SealedField, Uint8Array | null>> = {};
  for (const field of SEALED_FIELDS) {
    const value = values[field];
    if (value === undefined) continue;
    sealed[field] =
      value === null ? null : sealField(keyring.key, value, binding(incidentId, field));
  }
  return sealed;
}

function openAll(keyring: OrgKeyring, row: IncidentRow): Record<SealedField, string | null> {
  const opened = {} as Record<SealedField, string | null>;
  for (const field of SEALED_FIELDS) {
    const sealed = row.sealed[field];
    opened[field] = sealed ? openField(keyring.key, sealed, binding(row.id, field)) : null;
  }
  return opened;
}

function filledFields(row: IncidentRow): SealedField[] {
  return SEALED_FIELDS.filter((field) => row.sealed[field] !== null);
}

async function getRow(
  tx: Tx,
  ctx: Ctx,
  incidentId: string,
  options: { isForUpdate?: boolean } = {},
): Promise<IncidentRow> {
  const row = await findIncident(tx, ctx.orgId, incidentId, options);
  if (!row) throw new AppError('not_found', 'No such incident');
  return row;
}

function assertOpen(row: IncidentRow): void {
  if (row.status === 'closed') {
    refuse('incident_closed', 'The incident is closed; its record no longer changes', {
      incidentId: row.id,
    });
  }
}

/** Detection, or a step, cannot be in the future: the clocks would start late. */
function assertNotFuture(ctx: Ctx, instant: Date, field: string): void {
  if (instant.getTime() > ctx.now.getTime()) {
    throw new AppError('validation_failed', `${field} is in the future`, {
      fields: { [field]: ['Cannot be in the future'] },
    });
  }
}

/** One timeline entry and one audit row, in the transaction of the change. */
function recordChange(
  tx: Tx,
  ctx: Ctx,
  incidentId: string,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  insertIncidentEvent(tx, {
    orgId: ctx.orgId,
    incidentId,
    at: ctx.now,
    actorUserId: actorUserId(ctx.actor),
    actorTokenId: actorTokenId(ctx.actor),
    actorLabel: ctx.actor.type === 'system' ? ctx.actor.label : null,
    action,
    details,
  });
  return recordAudit(tx, ctx, {
    action: `incident.${action}`,
    entityType: 'incident',
    entityId: incidentId,
    details,
  });
}

function summaryOf(row: IncidentRow, now: Date): TIncidentSummary {
  const clocks = clocksOf(row, now);
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    kind: row.kind,
    status: row.status,
    detectedAt: row.detectedAt.toISOString(),
    gdprApplies: row.gdprApplies,
    affectedSubjectsCount: row.affectedSubjectsCount,
    clocks,
    nextClock: nextClockOf(clocks),
    isOverdue: clocks.some((clock) => clock.state === 'overdue'),
    closedAt: row.closedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function parseInstant(value: string): Date {
  return new Date(value);
}

/**
 * Registers an incident (R-D7, R-G5, R-D2). The clocks start at detection: the 24 h notice and
 * the 72 h report, and for unlawful processing 3 working days to stop it and 10 to destroy.
 */
export async function createIncident(
  ctx: Ctx,
  body: TCreateIncidentBody,
): Promise<TIncidentDetail> {
  assertCan(ctx, 'incidents.manage');
  const detectedAt = parseInstant(body.detectedAt);
  assertNotFuture(ctx, detectedAt, 'detectedAt');
  const due = dueTimesOf(body.kind, detectedAt);
  const id = randomUUID();
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const keyring = await orgKeyring(tx, ctx);
    const number = await nextIncidentNumber(tx, ctx.orgId);
    await insertIncident(tx, {
      id,
      orgId: ctx.orgId,
      number,
      title: body.title,
      kind: body.kind,
      detectedAt,
      sealed: sealAll(keyring, id, body),
      affectedSubjectsCount: body.affectedSubjectsCount ?? null,
      affectedCategories: body.affectedCategories,
      gdprApplies: body.gdprApplies,
      ...due,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await recordChange(tx, ctx, id, 'created', {
      number,
      kind: body.kind,
      detectedAt: detectedAt.toISOString(),
      gdprApplies: body.gdprApplies,
      due24hAt: due.due24hAt.toISOString(),
      due72hAt: due.due72hAt.toISOString(),
      dueStopAt: due.dueStopAt?.toISOString() ?? null,
      dueDestroyAt: due.dueDestroyAt?.toISOString() ?? null,
    });
  });
  return getIncident(ctx, id);
}

/**
 * Changes an incident's fields. A new detection time or kind moves the clocks; the timeline
 * keeps the old and new values of every field that is not free text (free text may quote
 * personal data: only its name is kept).
 */
export async function updateIncidentFields(
  ctx: Ctx,
  incidentId: string,
  body: TUpdateIncidentBody,
): Promise<TIncidentDetail> {
  assertCan(ctx, 'incidents.manage');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await getRow(tx, ctx, incidentId, { isForUpdate: true });
    assertOpen(row);
    const keyring = await orgKeyring(tx, ctx);
    const changes: IncidentChanges = {};
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    const textChanged: string[] = [];
    if (body.title !== undefined && body.title !== row.title) {
      changes.title = body.title;
      changed.title = { from: row.title, to: body.title };
    }
    const kind = body.kind ?? row.kind;
    const detectedAt = body.detectedAt ? parseInstant(body.detectedAt) : row.detectedAt;
    if (body.detectedAt) assertNotFuture(ctx, detectedAt, 'detectedAt');
    if (kind !== row.kind) {
      changes.kind = kind;
      changed.kind = { from: row.kind, to: kind };
    }
    if (detectedAt.getTime() !== row.detectedAt.getTime()) {
      changes.detectedAt = detectedAt;
      changed.detectedAt = { from: row.detectedAt.toISOString(), to: detectedAt.toISOString() };
    }
    if (changes.kind !== undefined || changes.detectedAt !== undefined) {
      Object.assign(changes, dueTimesOf(kind, detectedAt));
    }
    const opened = openAll(keyring, row);
    const texts: Partial<Record<SealedField, string | null>> = {};
    for (const field of SEALED_FIELDS) {
      if (field === 'resolution') continue;
      const value = body[field];
      if (value === undefined || value === opened[field]) continue;
      texts[field] = value;
      textChanged.push(field);
    }
    changes.sealed = sealAll(keyring, incidentId, texts);
    if (
      body.affectedSubjectsCount !== undefined &&
      body.affectedSubjectsCount !== row.affectedSubjectsCount
    ) {
      changes.affectedSubjectsCount = body.affectedSubjectsCount;
      changed.affectedSubjectsCount = {
        from: row.affectedSubjectsCount,
        to: body.affectedSubjectsCount,
      };
    }
    if (
      body.affectedCategories !== undefined &&
      JSON.stringify(body.affectedCategories) !== JSON.stringify(row.affectedCategories)
    ) {
      // Category names ("здоровье", "телефон") describe data, not a person.
      changes.affectedCategories = body.affectedCategories;
      changed.affectedCategories = { from: row.affectedCategories, to: body.affectedCategories };
    }
    if (body.gdprApplies !== undefined && body.gdprApplies !== row.gdprApplies) {
      changes.gdprApplies = body.gdprApplies;
      changed.gdprApplies = { from: row.gdprApplies, to: body.gdprApplies };
    }
    if (Object.keys(changed).length === 0 && textChanged.length === 0) return;
    await updateIncident(tx, ctx.orgId, incidentId, changes, ctx.now);
    await recordChange(tx, ctx, incidentId, 'updated', {
      changed,
      textFields: textChanged,
      ...(changes.due24hAt
        ? {
            due24hAt: changes.due24hAt.toISOString(),
            due72hAt: changes.due72hAt?.toISOString() ?? null,
            dueStopAt: changes.dueStopAt?.toISOString() ?? null,
            dueDestroyAt: changes.dueDestroyAt?.toISOString() ?? null,
          }
        : {}),
    });
  });
  return getIncident(ctx, incidentId);
}

const NEXT_STATUS: Partial<Record<IncidentStep, { from: IncidentStatus[]; to: IncidentStatus }>> = {
  notice24h: { from: ['open'], to: 'notified' },
  report72h: { from: ['open', 'notified'], to: 'investigated' },
};

/**
 * Records that a notice was sent or a duty done, with when and the reference that proves it
 * (R-D7: "submission time and evidence recorded"). A correction keeps the earlier values in
 * the timeline.
 */
export async function recordIncidentStep(
  ctx: Ctx,
  incidentId: string,
  body: TRecordStepBody,
): Promise<TIncidentDetail> {
  assertCan(ctx, 'incidents.manage');
  const at = parseInstant(body.at);
  assertNotFuture(ctx, at, 'at');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await getRow(tx, ctx, incidentId, { isForUpdate: true });
    assertOpen(row);
    if (!stepsOf(row).includes(body.step)) {
      refuse('step_not_applicable', `The step ${body.step} does not apply to this incident`, {
        step: body.step,
      });
    }
    if (at.getTime() < row.detectedAt.getTime()) {
      throw new AppError('validation_failed', 'Before the incident was detected', {
        fields: { at: ['Cannot be before the detection'] },
      });
    }
    const previous = row.steps[body.step];
    const transition = NEXT_STATUS[body.step];
    const status = transition?.from.includes(row.status) ? transition.to : row.status;
    await updateIncident(
      tx,
      ctx.orgId,
      incidentId,
      { step: { step: body.step, at, evidence: body.evidence }, status },
      ctx.now,
    );
    await recordChange(tx, ctx, incidentId, previous.at ? 'step_corrected' : 'step_recorded', {
      step: body.step,
      at: at.toISOString(),
      evidence: body.evidence,
      ...(previous.at
        ? { previousAt: previous.at.toISOString(), previousEvidence: previous.evidence }
        : {}),
      ...(status !== row.status ? { status: { from: row.status, to: status } } : {}),
    });
  });
  return getIncident(ctx, incidentId);
}

/**
 * Links the records an incident touched: contacts by id, and access-log entries (the reads
 * that leaked). Ids from another organization are refused like unknown ones.
 */
export async function linkIncidentRecords(
  ctx: Ctx,
  incidentId: string,
  body: TLinkRecordsBody,
): Promise<TIncidentDetail> {
  assertCan(ctx, 'incidents.manage');
  const contactIds = [...new Set(body.contactIds)];
  const accessLogIds = [...new Set(body.accessLogIds)];
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await getRow(tx, ctx, incidentId, { isForUpdate: true });
    assertOpen(row);
    const knownContacts = await findExistingContactIds(tx, ctx.orgId, contactIds);
    const knownEntries = await findExistingAccessLogIds(tx, ctx.orgId, accessLogIds);
    const fields: Record<string, string[]> = {};
    contactIds.forEach((id, index) => {
      if (!knownContacts.has(id)) fields[`contactIds.${index}`] = ['No such contact'];
    });
    accessLogIds.forEach((id, index) => {
      if (!knownEntries.has(id)) fields[`accessLogIds.${index}`] = ['No such access-log entry'];
    });
    if (Object.keys(fields).length > 0) {
      throw new AppError('validation_failed', 'Unknown records', { fields });
    }
    const linked = await insertIncidentRecords(tx, {
      orgId: ctx.orgId,
      incidentId,
      contactIds,
      accessLogIds,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    if (linked.contactIds.length + linked.accessLogIds.length === 0) return;
    await updateIncident(tx, ctx.orgId, incidentId, {}, ctx.now);
    await recordChange(tx, ctx, incidentId, 'records_linked', linked);
  });
  return getIncident(ctx, incidentId);
}

export async function unlinkIncidentRecord(
  ctx: Ctx,
  incidentId: string,
  recordId: string,
): Promise<TIncidentDetail> {
  assertCan(ctx, 'incidents.manage');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await getRow(tx, ctx, incidentId, { isForUpdate: true });
    assertOpen(row);
    const removed = await deleteIncidentRecord(tx, ctx.orgId, incidentId, recordId);
    if (!removed) throw new AppError('not_found', 'No such record in this incident');
    await updateIncident(tx, ctx.orgId, incidentId, {}, ctx.now);
    await recordChange(tx, ctx, incidentId, 'record_unlinked', { recordId, ...removed });
  });
  return getIncident(ctx, incidentId);
}

/**
 * Closes an incident with its resolution. Steps never recorded stay visible as missed, and the
 * closing entry names them: the register documents every breach as it went (GDPR Art. 33(5)).
 */
export async function closeIncident(
  ctx: Ctx,
  incidentId: string,
  body: TCloseIncidentBody,
): Promise<TIncidentDetail> {
  assertCan(ctx, 'incidents.manage');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await getRow(tx, ctx, incidentId, { isForUpdate: true });
    assertOpen(row);
    const keyring = await orgKeyring(tx, ctx);
    const missingSteps = stepsOf(row).filter((step) => row.steps[step].at === null);
    await updateIncident(
      tx,
      ctx.orgId,
      incidentId,
      {
        status: 'closed',
        closedAt: ctx.now,
        sealed: sealAll(keyring, incidentId, { resolution: body.resolution }),
      },
      ctx.now,
    );
    await recordChange(tx, ctx, incidentId, 'closed', {
      status: { from: row.status, to: 'closed' },
      missingSteps,
    });
  });
  return getIncident(ctx, incidentId);
}

/** The register, open incidents first; no free text leaves here, so nothing personal is read. */
export async function findIncidents(
  ctx: Ctx,
  query: TIncidentQuery,
): Promise<Page<TIncidentSummary>> {
  assertCan(ctx, 'incidents.read');
  const { rows, total } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findIncidentPage(tx, ctx.orgId, {
      status: query.status,
      kind: query.kind,
      isOverdue: query.isOverdue === undefined ? undefined : query.isOverdue === 'true',
      now: ctx.now,
      page: query.page,
      pageSize: query.pageSize,
    }),
  );
  return {
    items: rows.map((row) => summaryOf(row, ctx.now)),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}

/** Open incidents for the dashboard, the most urgent first: overdue, then the nearest clock. */
export async function getIncidentOverview(ctx: Ctx): Promise<TIncidentOverview> {
  assertCan(ctx, 'incidents.read');
  const rows = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findActiveIncidents(tx, ctx.orgId),
  );
  const summaries = rows.map((row) => summaryOf(row, ctx.now));
  const urgency = (summary: TIncidentSummary) => summary.nextClock?.dueAt ?? '9999';
  summaries.sort(
    (a, b) => Number(b.isOverdue) - Number(a.isOverdue) || urgency(a).localeCompare(urgency(b)),
  );
  return {
    openCount: summaries.length,
    overdueCount: summaries.filter((summary) => summary.isOverdue).length,
    items: summaries.slice(0, 5),
  };
}

/** One incident with its free text (the read is logged), affected records and timeline. */
export async function getIncident(ctx: Ctx, incidentId: string): Promise<TIncidentDetail> {
  assertCan(ctx, 'incidents.read');
  const { row, opened, records, events } = await withTx(
    ctx.db,
    { orgId: ctx.orgId },
    async (tx) => {
      const found = await getRow(tx, ctx, incidentId);
      const keyring = await orgKeyring(tx, ctx);
      await recordAccess(tx, ctx, {
        subjectType: 'incident',
        subjectIds: [found.id],
        fields: filledFields(found),
        reason: 'card',
      });
      return {
        row: found,
        opened: openAll(keyring, found),
        records: await findIncidentRecords(tx, ctx.orgId, incidentId),
        events: await findIncidentEvents(tx, ctx.orgId, incidentId),
      };
    },
  );
  const actorOf = await describeActors(ctx, events);
  return {
    ...summaryOf(row, ctx.now),
    ...opened,
    affectedCategories: row.affectedCategories,
    records: records.map((record) => ({
      id: record.id,
      type: record.contactId ? 'contact' : 'access_log',
      contactId: record.contactId,
      accessLogId: record.accessLogId,
      accessEntry: record.accessEntry
        ? { ...record.accessEntry, at: record.accessEntry.at.toISOString() }
        : null,
      createdAt: record.createdAt.toISOString(),
    })),
    events: events.map((event) => ({
      id: event.id,
      at: event.at.toISOString(),
      actor: actorOf(event),
      action: event.action,
      details: event.details,
    })),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const FILENAMES: Record<NoticeDocument, (number: number) => string> = {
  'notice-24h': (number) => `incident-${number}-notice-24h.txt`,
  'report-72h': (number) => `incident-${number}-report-72h.txt`,
};

/**
 * The pre-filled text for Roskomnadzor: the 24 h notice or the 72 h report, from the incident
 * and the operator profile. Composing it reads the free text, so the read is logged.
 */
export async function composeIncidentNotice(
  ctx: Ctx,
  incidentId: string,
  document: NoticeDocument,
): Promise<{ text: string; filename: string }> {
  assertCan(ctx, 'incidents.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await getRow(tx, ctx, incidentId);
    const keyring = await orgKeyring(tx, ctx);
    const opened = openAll(keyring, row);
    const profile = await getProfileForDocuments(tx);
    await recordAccess(tx, ctx, {
      subjectType: 'incident',
      subjectIds: [row.id],
      fields: filledFields(row),
      reason: 'export',
    });
    const incident: NoticeIncident = {
      number: row.number,
      title: row.title,
      kind: row.kind,
      detectedAt: row.detectedAt,
      description: opened.description,
      causes: opened.causes,
      harm: opened.harm,
      measures: opened.measures,
      contactPerson: opened.contactPerson,
      investigation: opened.investigation,
      responsiblePersons: opened.responsiblePersons,
      affectedSubjectsCount: row.affectedSubjectsCount,
      affectedCategories: row.affectedCategories,
      notice24h: row.steps.notice24h,
    };
    const operator = profile
      ? {
          legalName: profile.legalName,
          address: profile.address,
          inn: profile.inn ?? undefined,
          ogrn: profile.ogrn ?? undefined,
          responsibleName: profile.responsibleName,
          responsibleContacts: profile.responsibleContacts,
          rknRegisterNumber: profile.rknRegisterNumber ?? undefined,
        }
      : null;
    const render = document === 'notice-24h' ? renderNotice24h : renderReport72h;
    return { text: render(incident, operator, ctx.now), filename: FILENAMES[document](row.number) };
  });
}
