import { recordAudit } from '../../access-log/access-log.service.ts';
import { actorTokenId, actorUserId, type Ctx } from '../../platform/context.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import type { Page } from '../../platform/http/params.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import {
  countReplacedRows,
  deleteSpendEntry,
  findSpendEntryPage,
  findSpendImportPage,
  insertManualSpend,
  insertSpendImport,
  type SpendEntryRow,
  updateManualSpend,
} from './spend.repo.ts';
import {
  OFFLINE_CHANNEL_IDS,
  type TManualSpendBody,
  type TSpendEntry,
  type TSpendImportBody,
  type TSpendImportResult,
  type TSpendQuery,
} from './spend.schema.ts';
import {
  mergeSpendRows,
  type ParsedSpendFile,
  readSpendFile,
  readSpendRecords,
  SpendFileError,
  type SpendFormat,
} from './spend-file.ts';
import { readXlsxRecords } from './spend-xlsx.ts';

const PREVIEW_ROWS = 50;
/** Errors listed in one answer; the count of failed rows is always exact. */
const MAX_ERRORS = 500;

const CABINET_CHANNEL: Record<Exclude<SpendFormat, 'generic'>, string> = {
  yandex_direct: 'yandex_direct',
  vk_ads: 'vk_ads',
  google_ads: 'google_ads',
};
const CHANNEL_SOURCE: Record<string, string> = {
  yandex_direct: 'yandex',
  vk_ads: 'vk',
  google_ads: 'google',
};

export function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) {
    throw new AppError('forbidden', `This role lacks ${permission}`);
  }
}

async function parseUpload(input: TSpendImportBody): Promise<ParsedSpendFile> {
  try {
    if (input.contentBase64 !== undefined) {
      const records = await readXlsxRecords(Buffer.from(input.contentBase64, 'base64'));
      return readSpendRecords(records, { mapping: input.mapping });
    }
    return readSpendFile(input.content ?? '', { mapping: input.mapping });
  } catch (error) {
    if (error instanceof SpendFileError) {
      const field = error.column
        ? `mapping.${error.column}`
        : input.mapping
          ? 'mapping'
          : 'content';
      throw new AppError('validation_failed', error.message, {
        fields: { [field]: [error.message] },
      });
    }
    throw error;
  }
}

/**
 * Reads a cabinet's export and either previews it (dry run: nothing stored) or stores it. A
 * file with row errors is stored only with `skipInvalid`; the answer lists every error by line
 * and column either way. Importing a day of a campaign and keyword again replaces it.
 */
export async function importSpend(ctx: Ctx, input: TSpendImportBody): Promise<TSpendImportResult> {
  assertCan(ctx, 'analytics.spend');
  const parsed = await parseUpload(input);
  const channel =
    input.channel ?? (parsed.format === 'generic' ? 'other' : CABINET_CHANNEL[parsed.format]);
  const vat = parsed.vatFromHeader ?? input.vat ?? 'not_stated';
  const rows = mergeSpendRows(parsed.rows);
  const failedLines = new Set(parsed.errors.map((error) => error.line));
  const rowsTotal = parsed.rows.length + failedLines.size;
  const days = rows.map((row) => row.day).sort();
  const amountKopecks = rows.reduce((sum, row) => sum + row.amountKopecks, 0);
  const willStore = !input.dryRun && (failedLines.size === 0 || input.skipInvalid);
  if (!input.dryRun && !willStore) {
    throw new AppError('validation_failed', `${failedLines.size} row(s) have errors`, {
      fields: { content: [`${failedLines.size} row(s) have errors; fix them or skip them`] },
      details: { errors: parsed.errors.slice(0, MAX_ERRORS) },
    });
  }
  if (!input.dryRun && rows.length === 0) {
    throw new AppError('validation_failed', 'the file has no spend rows', {
      fields: { content: ['the file has no spend rows'] },
    });
  }
  const { importId, replaces } = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const replaced = await countReplacedRows(tx, ctx.orgId, channel, rows);
    if (!willStore) return { importId: null, replaces: replaced };
    const id = await insertSpendImport(tx, {
      orgId: ctx.orgId,
      format: parsed.format,
      channel,
      source: CHANNEL_SOURCE[channel] ?? '',
      fileName: input.fileName ?? null,
      rowsTotal,
      rowsFailed: failedLines.size,
      vat,
      rows,
      createdBy: actorUserId(ctx.actor),
      createdByToken: actorTokenId(ctx.actor),
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: 'spend.imported',
      entityType: 'spend_import',
      entityId: id,
      details: { format: parsed.format, channel, rows: rows.length, replaced, amountKopecks },
    });
    return { importId: id, replaces: replaced };
  });
  return {
    dryRun: input.dryRun,
    importId,
    format: parsed.format,
    channel,
    vat,
    header: parsed.header,
    mapping: parsed.mapping,
    rowsTotal,
    rowsValid: parsed.rows.length,
    rowsImported: willStore ? rows.length : 0,
    skippedLines: parsed.skippedLines,
    errors: parsed.errors.slice(0, MAX_ERRORS),
    amountKopecks,
    periodStart: days[0] ?? null,
    periodEnd: days.at(-1) ?? null,
    replaces,
    preview: rows.slice(0, PREVIEW_ROWS),
  };
}

export async function findSpendImports(ctx: Ctx, page: { page: number; pageSize: number }) {
  assertCan(ctx, 'analytics.spend');
  const { rows, total } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findSpendImportPage(tx, ctx.orgId, page),
  );
  return {
    items: rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
    page: page.page,
    pageSize: page.pageSize,
    total,
  };
}

function entryOf(row: SpendEntryRow): TSpendEntry {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

export async function findSpend(
  ctx: Ctx,
  query: TSpendQuery,
): Promise<Page<TSpendEntry> & { amountKopecks: number }> {
  assertCan(ctx, 'analytics.spend');
  const { rows, total, amountKopecks } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findSpendEntryPage(tx, ctx.orgId, query),
  );
  return {
    items: rows.map(entryOf),
    page: query.page,
    pageSize: query.pageSize,
    total,
    amountKopecks,
  };
}

function manualValues(ctx: Ctx, input: TManualSpendBody) {
  return {
    orgId: ctx.orgId,
    channel: input.channel,
    campaign: input.campaign,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    amountKopecks: input.amountKopecks,
    vat: input.vat,
    // Offline channels have no clicks to follow: by default no model can credit them.
    isUnattributable: input.isUnattributable ?? OFFLINE_CHANNEL_IDS.includes(input.channel),
    note: input.note,
    at: ctx.now,
  };
}

/** A manual entry for a period (TV, outdoor, print, radio, or anything not imported). */
export async function addManualSpend(ctx: Ctx, input: TManualSpendBody): Promise<TSpendEntry> {
  assertCan(ctx, 'analytics.spend');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await insertManualSpend(tx, {
      ...manualValues(ctx, input),
      createdBy: actorUserId(ctx.actor),
    });
    await recordAudit(tx, ctx, {
      action: 'spend.added',
      entityType: 'spend_entry',
      entityId: row.id,
      details: { channel: row.channel, amountKopecks: row.amountKopecks },
    });
    return entryOf(row);
  });
}

export async function changeManualSpend(
  ctx: Ctx,
  spendId: string,
  input: TManualSpendBody,
): Promise<TSpendEntry> {
  assertCan(ctx, 'analytics.spend');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await updateManualSpend(tx, spendId, manualValues(ctx, input));
    if (!row) throw new AppError('not_found', 'No such manual spend entry');
    await recordAudit(tx, ctx, {
      action: 'spend.changed',
      entityType: 'spend_entry',
      entityId: row.id,
      details: { channel: row.channel, amountKopecks: row.amountKopecks },
    });
    return entryOf(row);
  });
}

export async function removeSpend(ctx: Ctx, spendId: string): Promise<void> {
  assertCan(ctx, 'analytics.spend');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await deleteSpendEntry(tx, ctx.orgId, spendId))) {
      throw new AppError('not_found', 'No such spend entry');
    }
    await recordAudit(tx, ctx, {
      action: 'spend.removed',
      entityType: 'spend_entry',
      entityId: spendId,
    });
  });
}
