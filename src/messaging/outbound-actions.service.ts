import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { readContacts } from '../contacts/contacts.service.ts';
import { contactIdsOfLeads } from '../leads/leads.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can, type Permission } from '../platform/permissions.ts';
import { findActivePurposes } from '../purposes/purposes.service.ts';
import { checkOutboundMany, type GateAnswer, type OutboundChannel } from './gate.service.ts';
import {
  type AnswerEntry,
  type CallListRecord,
  type ExportRecord,
  findAllowedExportEntries,
  findCallList,
  findCallListEntries,
  findCallListPage,
  findCallListRefusals,
  findExport,
  findExportPage,
  insertCallList,
  insertCallListEntries,
  insertExport,
  insertExportEntries,
  markExportDownloaded,
} from './outbound-actions.repo.ts';
import type {
  TCallListBody,
  TCallListEntryView,
  TCallListView,
  TExportBody,
  TExportView,
} from './outbound-actions.schema.ts';

/** The most people one call list or export considers. */
export const MAX_AUDIENCE = 100_000;
// Entries are written and CSV rows read in batches of this many.
const BATCH = 500;
// The outbound check answers this many people in one pass.
const GATE_BATCH = 5_000;

export function assertCan(ctx: Ctx, permission: Permission, message: string): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', message);
}

export async function activePurposeId(tx: Tx, ctx: Ctx, purposeCode: string): Promise<string> {
  const [active] = await findActivePurposes(tx, ctx.publicUrl, [purposeCode]);
  if (!active) {
    throw new AppError('validation_failed', 'No such purpose', {
      fields: { purposeCode: ['unknown'] },
    });
  }
  return active.purpose.id;
}

type Audience = {
  leadStatus?: string | undefined;
  leadSource?: string | undefined;
  contactIds?: string[] | undefined;
};

function filterOf(body: Audience): Record<string, unknown> {
  return {
    ...(body.leadStatus ? { leadStatus: body.leadStatus } : {}),
    ...(body.leadSource ? { leadSource: body.leadSource } : {}),
    ...(body.contactIds ? { contactIds: body.contactIds.length } : {}),
  };
}

/** Explicit contacts in the order given, or those with leads matching the filter. */
async function audienceOf(tx: Tx, body: Audience): Promise<string[]> {
  if (body.contactIds) return [...new Set(body.contactIds)];
  return contactIdsOfLeads(tx, {
    status: body.leadStatus,
    source: body.leadSource,
    limit: MAX_AUDIENCE,
  });
}

/**
 * Asks the outbound check for every person, a batch at a time, and turns each answer into the
 * entry stored with the action. An id that is no contact of this organization fails the whole
 * request rather than being stored.
 */
async function answersOf(
  tx: Tx,
  ctx: Ctx,
  contactIds: readonly string[],
  input: { purposeCode: string; channel: OutboundChannel; dataCategories?: readonly string[] },
): Promise<AnswerEntry[]> {
  const entries: AnswerEntry[] = [];
  for (let start = 0; start < contactIds.length; start += GATE_BATCH) {
    const batch = contactIds.slice(start, start + GATE_BATCH);
    const answers = await checkOutboundMany(tx, ctx, { ...input, contactIds: batch });
    for (const [offset, contactId] of batch.entries()) {
      const answer = answers.get(contactId);
      if (!answer) {
        throw new AppError('validation_failed', 'No such contact', {
          fields: { [`contactIds.${start + offset}`]: ['unknown'] },
        });
      }
      entries.push({ position: start + offset + 1, contactId, ...storedAnswer(answer) });
    }
  }
  return entries;
}

export function storedAnswer(answer: GateAnswer) {
  return answer.allowed
    ? { allowed: true, reason: null, basis: answer.basis, consentEntryId: answer.consentEntryId }
    : { allowed: false, reason: answer.reason as string, basis: null, consentEntryId: null };
}

function refusalCounts(entries: readonly AnswerEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    if (!entry.allowed && entry.reason) counts[entry.reason] = (counts[entry.reason] ?? 0) + 1;
  }
  return counts;
}

async function inBatches(
  entries: readonly AnswerEntry[],
  write: (batch: readonly AnswerEntry[]) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < entries.length; start += BATCH) {
    await write(entries.slice(start, start + BATCH));
  }
}

// Call lists for the front desk.

function listView(list: CallListRecord, refused: Record<string, number>): TCallListView {
  return {
    id: list.id,
    title: list.title,
    purposeCode: list.purposeCode,
    total: list.total,
    allowed: list.allowed,
    refused,
    createdAt: list.createdAt.toISOString(),
  };
}

/**
 * Builds a call list for a purpose: every person on it is checked for a call (R-C7, R-A1); a
 * refused one stays on the list with the reason, so the front desk sees why not to call.
 */
export async function createCallList(ctx: Ctx, body: TCallListBody): Promise<TCallListView> {
  assertCan(ctx, 'call_lists.manage', 'The role cannot build call lists');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const purposeId = await activePurposeId(tx, ctx, body.purposeCode);
    const contactIds = await audienceOf(tx, body);
    const entries = await answersOf(tx, ctx, contactIds, {
      purposeCode: body.purposeCode,
      channel: 'call',
    });
    const id = randomUUID();
    const allowed = entries.filter((entry) => entry.allowed).length;
    await insertCallList(tx, {
      id,
      orgId: ctx.orgId,
      purposeId,
      title: body.title ?? `Обзвон: ${body.purposeCode}`,
      filter: filterOf(body),
      total: entries.length,
      allowed,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await inBatches(entries, (batch) => insertCallListEntries(tx, ctx.orgId, id, batch));
    await recordAudit(tx, ctx, {
      action: 'call_list.created',
      entityType: 'call_list',
      entityId: id,
      details: { purposeCode: body.purposeCode, total: entries.length, allowed },
    });
    const list = await findCallList(tx, id);
    if (!list) throw new Error('A call list just written was not found');
    return listView(list, refusalCounts(entries));
  });
}

export async function findCallLists(ctx: Ctx, page: { page: number; pageSize: number }) {
  assertCan(ctx, 'call_lists.manage', 'The role cannot see call lists');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findCallListPage(tx, {
      limit: page.pageSize,
      offset: (page.page - 1) * page.pageSize,
    });
    const refusals = await findCallListRefusals(
      tx,
      rows.map((row) => row.id),
    );
    return {
      items: rows.map((row) => listView(row, refusals.get(row.id) ?? {})),
      page: page.page,
      pageSize: page.pageSize,
      total,
    };
  });
}

/**
 * A page of a call list with names (the reading is logged); phones only on allowed entries,
 * since a refused person must not be called.
 */
export async function getCallList(ctx: Ctx, id: string, page: { page: number; pageSize: number }) {
  assertCan(ctx, 'call_lists.manage', 'The role cannot see call lists');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const list = await findCallList(tx, id);
    if (!list) throw new AppError('not_found', 'No such call list');
    const entries = await findCallListEntries(tx, id, {
      limit: page.pageSize,
      offset: (page.page - 1) * page.pageSize,
    });
    const contacts = await readContacts(
      tx,
      ctx,
      entries.map((entry) => entry.contactId),
      'call_list',
    );
    const items: TCallListEntryView[] = entries.map((entry) => {
      const contact = contacts.get(entry.contactId);
      return {
        position: entry.position,
        contactId: entry.contactId,
        allowed: entry.allowed,
        reason: entry.reason,
        basis: entry.basis,
        consentEntryId: entry.consentEntryId,
        name: contact?.name ?? null,
        phone: entry.allowed ? (contact?.phone ?? null) : null,
      };
    });
    const refusals = await findCallListRefusals(tx, [id]);
    return {
      list: listView(list, refusals.get(id) ?? {}),
      items,
      page: page.page,
      pageSize: page.pageSize,
      total: list.total,
    };
  });
}

// CSV exports of contacts.

function exportView(record: ExportRecord): TExportView {
  return {
    id: record.id,
    purposeCode: record.purposeCode,
    total: record.total,
    exported: record.exported,
    excluded: record.excluded,
    createdAt: record.createdAt.toISOString(),
    downloadedAt: record.downloadedAt?.toISOString() ?? null,
    csvUrl: `/api/v1/contact-exports/${record.id}/csv`,
  };
}

/**
 * Records an export of contacts for a purpose: each person is checked (channel `export`), a
 * blocked one is skipped (R-D1), and the excluded are counted per reason. The CSV itself is
 * read afterwards, page by page, from the allowed entries.
 */
export async function createExport(ctx: Ctx, body: TExportBody): Promise<TExportView> {
  assertCan(ctx, 'contacts.export', 'The role cannot export contacts');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const purposeId = await activePurposeId(tx, ctx, body.purposeCode);
    const contactIds = await audienceOf(tx, body);
    const entries = await answersOf(tx, ctx, contactIds, {
      purposeCode: body.purposeCode,
      channel: 'export',
      dataCategories: EXPORT_CATEGORIES,
    });
    const id = randomUUID();
    const excluded = refusalCounts(entries);
    const exported = entries.filter((entry) => entry.allowed).length;
    await insertExport(tx, {
      id,
      orgId: ctx.orgId,
      purposeId,
      filter: filterOf(body),
      total: entries.length,
      exported,
      excluded,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await inBatches(entries, (batch) => insertExportEntries(tx, ctx.orgId, id, batch));
    await recordAudit(tx, ctx, {
      action: 'contacts.exported',
      entityType: 'contact_export',
      entityId: id,
      details: { purposeCode: body.purposeCode, total: entries.length, exported, excluded },
    });
    const record = await findExport(tx, id);
    if (!record) throw new Error('An export just written was not found');
    return exportView(record);
  });
}

export async function findExports(ctx: Ctx, page: { page: number; pageSize: number }) {
  assertCan(ctx, 'contacts.export', 'The role cannot export contacts');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findExportPage(tx, {
      limit: page.pageSize,
      offset: (page.page - 1) * page.pageSize,
    });
    return { items: rows.map(exportView), page: page.page, pageSize: page.pageSize, total };
  });
}

export async function getExport(ctx: Ctx, id: string): Promise<TExportView> {
  assertCan(ctx, 'contacts.export', 'The role cannot export contacts');
  const record = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findExport(tx, id));
  if (!record) throw new AppError('not_found', 'No such export');
  return exportView(record);
}

const CSV_SEPARATOR = ';';
// What the CSV holds, as data categories for the check (a special one under advertising is refused).
const EXPORT_CATEGORIES = ['name', 'phone', 'email'];
const CSV_COLUMNS = ['contact_id', 'name', 'phone', 'email', 'basis', 'consent_entry_id'];

/**
 * One CSV cell (RFC 4180 quoting). A text starting with = + - @ is prefixed with an apostrophe
 * so a spreadsheet never runs it as a formula.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\n\r,]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The export's CSV (UTF-8 with a BOM, semicolons, CRLF), streamed page by page. Each page asks
 * the outbound check again, so a person blocked or withdrawn since the export was recorded is
 * left out; every person written is one access-log row (R-L6).
 */
export async function exportCsv(
  ctx: Ctx,
  id: string,
  options: { pageSize?: number } = {},
): Promise<{ record: TExportView; body: ReadableStream<Uint8Array> }> {
  const pageSize = options.pageSize ?? BATCH;
  assertCan(ctx, 'contacts.export', 'The role cannot export contacts');
  const record = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const found = await findExport(tx, id);
    if (found) await markExportDownloaded(tx, id, ctx.now);
    return found;
  });
  if (!record) throw new AppError('not_found', 'No such export');
  const encoder = new TextEncoder();
  let afterPosition = 0;
  const purposeCode = record.purposeCode;
  const nextPage = (): Promise<string[] | null> =>
    withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
      const entries = await findAllowedExportEntries(tx, id, { afterPosition, limit: pageSize });
      const last = entries.at(-1);
      if (!last) return null;
      afterPosition = last.position;
      const answers = await checkOutboundMany(tx, ctx, {
        contactIds: entries.map((entry) => entry.contactId),
        purposeCode,
        channel: 'export',
        dataCategories: EXPORT_CATEGORIES,
      });
      const still = entries.filter((entry) => answers.get(entry.contactId)?.allowed);
      const contacts = await readContacts(
        tx,
        ctx,
        still.map((entry) => entry.contactId),
        'export',
      );
      return still.map((entry) => {
        const contact = contacts.get(entry.contactId);
        // The phone is E.164 as stored (validated), so its leading + is kept as is.
        return [
          csvCell(entry.contactId),
          csvCell(contact?.name ?? null),
          contact?.phone ?? '',
          csvCell(contact?.email ?? null),
          csvCell(entry.basis),
          csvCell(entry.consentEntryId),
        ].join(CSV_SEPARATOR);
      });
    });
  let isHeaderSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!isHeaderSent) {
        isHeaderSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${CSV_COLUMNS.join(CSV_SEPARATOR)}\r\n`));
        return;
      }
      // A page whose people were all refused since gives no lines: read on until one does,
      // since the stream pulls again only after something was enqueued.
      let lines: string[] | null = [];
      while (lines !== null && lines.length === 0) lines = await nextPage();
      if (lines === null) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(`${lines.join('\r\n')}\r\n`));
    },
  });
  return { record: exportView(record), body };
}
