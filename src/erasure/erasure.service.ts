import { recordAudit } from '../access-log/access-log.service.ts';
import { destroySubjectKey, openField, orgKeyring, subjectKeys } from '../keys/keys.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { AppError, assertUnreachable } from '../platform/errors.ts';
import { DATA_MAP, type SubjectTable, subjectTables } from './data-map.ts';
import {
  countSubjectRows,
  deidentifySubjectRows,
  deleteSubjectRows,
  findContactForErasure,
  findSubjectRows,
  insertTombstone,
  markContactErased,
  type StoredRow,
} from './erasure.repo.ts';

export { DATA_MAP, subjectTables };

export type SubjectData = {
  contactId: string;
  erased: boolean;
  tables: Array<{
    table: string;
    category: string;
    categoryEn: string;
    rows: Array<Record<string, unknown>>;
  }>;
};

/**
 * Every row of the subject in every table of the data map, sealed fields opened with the
 * subject's key (or marked unreadable once it is destroyed). What the person may take with
 * them (R-G3) and what an access answer is built from (R-S2). The caller records the access.
 */
export async function collectSubjectData(
  tx: Tx,
  ctx: Ctx,
  contactId: string,
): Promise<SubjectData> {
  const contact = await findContactForErasure(tx, contactId);
  if (!contact) throw new AppError('not_found', 'No such contact');
  const keyring = await orgKeyring(tx, ctx);
  const key = (await subjectKeys(tx, keyring, [contactId])).get(contactId) ?? null;
  const tables: SubjectData['tables'] = [];
  for (const entry of subjectTables()) {
    if (entry.exported !== true) continue;
    const rows = await findSubjectRows(tx, entry, contactId);
    if (rows.length === 0) continue;
    tables.push({
      table: entry.table,
      category: entry.category.ru,
      categoryEn: entry.category.en,
      rows: rows.map((row) => exportRow(entry, row, key)),
    });
  }
  return { contactId, erased: contact.erasedAt !== null, tables };
}

function exportRow(
  entry: SubjectTable,
  row: StoredRow,
  key: Buffer | null,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (column === 'org_id') continue;
    if (column.endsWith('_enc')) {
      const name = column.slice(0, -'_enc'.length);
      if (entry.orgSealed?.includes(column)) continue;
      result[name] = openSealed(entry.table, row.id, name, value, key);
    } else if (column.endsWith('_index')) {
      // Keyed hashes are lookup machinery, not the person's data.
    } else if (value instanceof Date) {
      result[column] = value.toISOString();
    } else if (value instanceof Uint8Array) {
      result[column] = Buffer.from(value).toString('base64');
    } else {
      result[column] = value;
    }
  }
  return result;
}

function openSealed(
  table: string,
  id: unknown,
  name: string,
  value: unknown,
  key: Buffer | null,
): unknown {
  if (!(value instanceof Uint8Array)) return null;
  if (!key) return { unreadable: 'destroyed' };
  try {
    const plain = openField(key, value, `${table}:${String(id)}:${name}`);
    return parseJson(plain);
  } catch {
    return { unreadable: 'damaged' };
  }
}

function parseJson(text: string): unknown {
  if (!text.startsWith('{') && !text.startsWith('[')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export type ErasureAction = 'deleted' | 'deidentified' | 'shredded';

export type ErasureResult = {
  contactId: string;
  erasedAt: Date;
  categories: string[];
  tables: Array<{ table: string; action: ErasureAction; rows: number }>;
};

/**
 * Destroys a subject everywhere (R-D4, R-D5): rows that exist only for the person are
 * deleted, rows kept for aggregates are de-identified, rows kept as proof stay as ciphertext,
 * and the subject's key is destroyed in the key store, which makes every copy — backups
 * included — unreadable. The contact row stays as an anonymous anchor; its keyed hashes move
 * to a tombstone so a returning person can be matched to past proof. Idempotent.
 */
export async function eraseSubject(
  tx: Tx,
  ctx: Ctx,
  input: { contactId: string; reason: string },
): Promise<ErasureResult> {
  const contact = await findContactForErasure(tx, input.contactId);
  if (!contact) throw new AppError('not_found', 'No such contact');
  const categories: string[] = [];
  const tables: ErasureResult['tables'] = [];
  // The key goes first: once it is gone, nothing below can leave readable data behind.
  const wasShredded = await destroySubjectKey(ctx, input.contactId);
  if (!contact.erasedAt) {
    await insertTombstone(tx, {
      orgId: ctx.orgId,
      contactId: contact.id,
      phoneIndex: contact.phoneIndex,
      emailIndex: contact.emailIndex,
      reason: input.reason,
      at: ctx.now,
    });
  }
  for (const entry of subjectTables()) {
    const rows = await eraseTable(tx, entry, input.contactId, wasShredded);
    if (rows.counted > 0 && !contact.erasedAt) categories.push(entry.category.ru);
    if (rows.action) tables.push({ table: entry.table, action: rows.action, rows: rows.changed });
  }
  await markContactErased(tx, input.contactId, ctx.now);
  await recordAudit(tx, ctx, {
    action: 'subject.erased',
    entityType: 'contact',
    entityId: input.contactId,
    details: {
      reason: input.reason,
      keyDestroyed: wasShredded,
      tables: Object.fromEntries(tables.map((table) => [table.table, table.rows])),
    },
  });
  return { contactId: input.contactId, erasedAt: ctx.now, categories, tables };
}

async function eraseTable(
  tx: Tx,
  entry: SubjectTable,
  contactId: string,
  wasShredded: boolean,
): Promise<{ counted: number; changed: number; action: ErasureAction | null }> {
  const erase = entry.erase;
  switch (erase.action) {
    case 'delete': {
      const changed = await deleteSubjectRows(tx, entry, contactId);
      return { counted: changed, changed, action: 'deleted' };
    }
    case 'deidentify': {
      const counted = await countSubjectRows(tx, entry, contactId);
      const changed = await deidentifySubjectRows(tx, entry, contactId, erase);
      return { counted, changed, action: 'deidentified' };
    }
    case 'shred': {
      const counted = await countSubjectRows(tx, entry, contactId);
      return { counted, changed: wasShredded ? counted : 0, action: 'shredded' };
    }
    case 'keep':
      return { counted: 0, changed: 0, action: null };
    default:
      return assertUnreachable(erase);
  }
}

/** Tables of the live schema that the data map does not declare (a test keeps this empty). */
export function unmappedTables(liveTables: readonly string[]): string[] {
  const declared = new Set(DATA_MAP.map((entry) => entry.table));
  return liveTables.filter((table) => !declared.has(table)).sort();
}
