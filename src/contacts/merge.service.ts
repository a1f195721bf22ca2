import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { assertAcknowledged } from '../compliance/documents/documents.service.ts';
import { withdrawConsentInTx } from '../consent/consent.service.ts';
import { scheduleChaining } from '../consent/journal.service.ts';
import { subjectTables } from '../erasure/erasure.service.ts';
import { openField, orgKeyring, sealField, subjectKeys } from '../keys/keys.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can } from '../platform/permissions.ts';
import { type ContactRow, findIdentity, lockContacts, updateContact } from './contacts.repo.ts';
import type { TMergeView } from './contacts.schema.ts';
import { nameTokens, readContacts } from './contacts.service.ts';
import {
  countLaterMerges,
  findColumns,
  findMerge,
  findMergesOf,
  findMoves,
  findRowIdsOf,
  findSealedValues,
  findUpdatableTables,
  findWithdrawalsSince,
  insertMerge,
  insertMoves,
  type MergeRow,
  markUndone,
  rebuildConsentStates,
  relinkAll,
  relinkContactTasks,
  relinkRow,
  replaceNameTokens,
  setMergedInto,
  updateSealedValue,
} from './merge.repo.ts';

/** How long a merge can be undone. */
export const UNDO_DAYS = 30;

/**
 * Tables whose rows stay with the contact they were written for. The consent journal is
 * append-only proof: its entries keep the merged contact's id and are read through the
 * person's identity (the contact and those merged into it); the consent-state projection is
 * rebuilt from it; receipts are signed proof naming their contact; scheduled destruction stays
 * attached to what it was scheduled for; name tokens are rebuilt from the names.
 */
const STAYS: ReadonlySet<string> = new Set([
  'contacts',
  'consent_journal',
  'consent_states',
  'consent_receipts',
  'subject_tombstones',
  'destruction_tasks',
  'contact_name_tokens',
]);

type Link = { table: string; column: string; sealed: string[]; orgSealed: readonly string[] };

/**
 * Every table that links rows to a contact and can be relinked: the data map's subject tables
 * (so a domain's new table is covered by declaring it there), less those that stay, less those
 * the application may not update or that an append-only trigger guards.
 */
async function movableLinks(tx: Tx): Promise<Link[]> {
  const candidates = subjectTables().filter((entry) => !STAYS.has(entry.table));
  const names = candidates.map((entry) => entry.table);
  const updatable = await findUpdatableTables(tx, names);
  const columns = await findColumns(tx, names);
  return candidates.flatMap((entry) => {
    const own = columns.get(entry.table) ?? [];
    if (!updatable.has(entry.table) || !own.includes('id')) return [];
    return [
      {
        table: entry.table,
        column: entry.subjectColumn,
        sealed: own.filter((column) => column.endsWith('_enc')),
        orgSealed: entry.orgSealed ?? [],
      },
    ];
  });
}

function assertCanMerge(ctx: Ctx): void {
  if (!can(ctx.role, 'contacts.merge')) {
    throw new AppError('forbidden', 'The role cannot merge contacts');
  }
}

function refuse(rule: string, message: string): never {
  throw new AppError('rule_violated', message, { details: { rule } });
}

const FIELDS = ['name', 'phone', 'email'] as const;

function encode(value: Uint8Array | null): string | null {
  return value ? Buffer.from(value).toString('base64') : null;
}

function decode(value: string | null | undefined): Buffer | null {
  return value ? Buffer.from(value, 'base64') : null;
}

/** Re-seals moved rows' personal data from one subject key to another (same binding). */
async function reseal(
  tx: Tx,
  link: Link,
  rowIds: readonly string[],
  keys: { from: Buffer; to: Buffer },
): Promise<void> {
  const columns = link.sealed.filter((column) => !link.orgSealed.includes(column));
  const rows = await findSealedValues(tx, { table: link.table, columns, rowIds });
  for (const row of rows) {
    for (const column of columns) {
      const value = row[column];
      if (!(value instanceof Uint8Array)) continue;
      const binding = `${link.table}:${row.id}:${column.slice(0, -'_enc'.length)}`;
      const plain = openField(keys.from, value, binding);
      await updateSealedValue(tx, {
        table: link.table,
        column,
        rowId: row.id,
        value: sealField(keys.to, plain, binding),
      });
    }
  }
}

/** Moves one contact's rows of every movable table to another; returns what moved. */
async function moveRows(
  tx: Tx,
  links: readonly Link[],
  input: { from: string; to: string; keys: { from: Buffer; to: Buffer }; only?: Set<string> },
): Promise<Array<{ table: string; rowId: string }>> {
  const moved: Array<{ table: string; rowId: string }> = [];
  for (const link of links) {
    const candidates = (
      await findRowIdsOf(tx, { table: link.table, column: link.column, contactId: input.from })
    ).filter((rowId) => !input.only || input.only.has(`${link.table}:${rowId}`));
    if (candidates.length === 0) continue;
    const relinkInput = { table: link.table, column: link.column, from: input.from, to: input.to };
    let done = candidates;
    if (!(await relinkAll(tx, { ...relinkInput, rowIds: candidates }))) {
      // A unique key (one suppression per channel, one recipient per campaign): the other
      // contact's own row stands for both, this one stays linked where it was.
      done = [];
      for (const rowId of candidates) {
        if (await relinkRow(tx, { ...relinkInput, rowId })) done.push(rowId);
      }
    }
    await reseal(tx, link, done, input.keys);
    moved.push(...done.map((rowId) => ({ table: link.table, rowId })));
  }
  return moved;
}

function mergeView(merge: MergeRow, moved: number, now: Date): TMergeView {
  return {
    id: merge.id,
    survivorId: merge.survivorId,
    mergedId: merge.mergedId,
    mergedAt: merge.mergedAt.toISOString(),
    undoUntil: merge.undoUntil.toISOString(),
    undoneAt: merge.undoneAt?.toISOString() ?? null,
    canUndo: merge.undoneAt === null && merge.undoUntil > now,
    movedRows: moved,
  };
}

/**
 * Merges a duplicate into the contact that stays (the survivor). Every link moves to the
 * survivor — leads, submissions, messages, blocks, suppressions, notes, appointments and what
 * else the data map declares — re-sealed under the survivor's key; the consent journal is
 * never touched: the merged contact's entries keep its id, the merged contact stays as a row
 * marked `merged_into`, and the survivor's consent state is rebuilt over both. The survivor's
 * empty fields are filled from the duplicate. Audited; undone within 30 days by `unmergeContacts`.
 */
export async function mergeContacts(
  ctx: Ctx,
  input: { survivorId: string; mergedId: string },
): Promise<TMergeView> {
  assertCanMerge(ctx);
  if (input.survivorId === input.mergedId) {
    throw new AppError('validation_failed', 'A contact cannot be merged into itself', {
      fields: { mergedId: ['same_contact'] },
    });
  }
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await assertAcknowledged(tx, ctx);
    const rows = await lockContacts(tx, [input.survivorId, input.mergedId]);
    const survivor = rows.find((row) => row.id === input.survivorId);
    const merged = rows.find((row) => row.id === input.mergedId);
    if (!survivor || !merged) throw new AppError('not_found', 'No such contact');
    if (survivor.mergedInto || merged.mergedInto) {
      refuse('already_merged', 'One of the contacts was already merged into another');
    }
    const keyring = await orgKeyring(tx, ctx);
    const keys = await subjectKeys(tx, keyring, [survivor.id, merged.id]);
    const survivorKey = keys.get(survivor.id);
    const mergedKey = keys.get(merged.id);
    if (!survivorKey || !mergedKey) {
      refuse('contact_erased', 'An erased contact cannot be merged');
    }
    // The survivor keeps its own details; what it lacks comes from the duplicate.
    const filled = fillGaps(survivor, merged, { survivor: survivorKey, merged: mergedKey });
    await updateContact(tx, filled, ctx.now);
    await setMergedInto(tx, { contactId: merged.id, mergedInto: survivor.id, at: ctx.now });
    const moved = await moveRows(tx, await movableLinks(tx), {
      from: merged.id,
      to: survivor.id,
      keys: { from: mergedKey, to: survivorKey },
    });
    const tasks = await relinkContactTasks(tx, { from: merged.id, to: survivor.id });
    moved.push(...tasks.map((rowId) => ({ table: 'tasks', rowId })));
    const merge: MergeRow = {
      id: randomUUID(),
      survivorId: survivor.id,
      mergedId: merged.id,
      survivorBefore: {
        name_enc: encode(survivor.nameEnc),
        phone_enc: encode(survivor.phoneEnc),
        email_enc: encode(survivor.emailEnc),
        phone_index: survivor.phoneIndex,
        email_index: survivor.emailIndex,
      },
      mergedBy: actorUserId(ctx.actor),
      mergedAt: ctx.now,
      undoUntil: new Date(ctx.now.getTime() + UNDO_DAYS * 24 * 60 * 60 * 1000),
      undoneAt: null,
      undoneBy: null,
    };
    await insertMerge(tx, { ...merge, orgId: ctx.orgId });
    await insertMoves(tx, { orgId: ctx.orgId, mergeId: merge.id, rows: moved });
    await reindexNames(tx, ctx, [
      { row: { ...survivor, nameEnc: filled.nameEnc }, key: survivorKey },
    ]);
    await replaceNameTokens(tx, { orgId: ctx.orgId, contactId: merged.id, tokens: [] });
    await rebuildConsentStates(tx, {
      contactId: survivor.id,
      identity: await findIdentity(tx, survivor.id),
    });
    await recordAudit(tx, ctx, {
      action: 'contact.merged',
      entityType: 'contact',
      entityId: survivor.id,
      details: { mergeId: merge.id, mergedId: merged.id, moved: countByTable(moved) },
    });
    return mergeView(merge, moved.length, ctx.now);
  });
}

function countByTable(rows: ReadonlyArray<{ table: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.table] = (counts[row.table] ?? 0) + 1;
  return counts;
}

function fillGaps(
  survivor: ContactRow,
  merged: ContactRow,
  keys: { survivor: Buffer; merged: Buffer },
): Omit<ContactRow, 'createdAt' | 'updatedAt' | 'mergedInto'> {
  const carry = (field: (typeof FIELDS)[number]) => {
    const own = survivor[`${field}Enc`];
    const theirs = merged[`${field}Enc`];
    if (own || !theirs) return own;
    const plain = openField(keys.merged, theirs, `contacts:${merged.id}:${field}`);
    return sealField(keys.survivor, plain, `contacts:${survivor.id}:${field}`);
  };
  return {
    id: survivor.id,
    nameEnc: carry('name'),
    phoneEnc: carry('phone'),
    emailEnc: carry('email'),
    phoneIndex: survivor.phoneEnc
      ? survivor.phoneIndex
      : (merged.phoneIndex ?? survivor.phoneIndex),
    emailIndex: survivor.emailEnc
      ? survivor.emailIndex
      : (merged.emailIndex ?? survivor.emailIndex),
  };
}

async function reindexNames(
  tx: Tx,
  ctx: Ctx,
  contacts: ReadonlyArray<{ row: Pick<ContactRow, 'id' | 'nameEnc'>; key: Buffer }>,
): Promise<void> {
  for (const { row, key } of contacts) {
    const name = row.nameEnc ? openField(key, row.nameEnc, `contacts:${row.id}:name`) : null;
    await replaceNameTokens(tx, {
      orgId: ctx.orgId,
      contactId: row.id,
      tokens: name ? nameTokens(ctx, name) : [],
    });
  }
}

/**
 * Undoes a merge within 30 days: both contacts come back as they were, every row the merge
 * moved goes back to the duplicate (re-sealed under its key), and the consent states of both
 * are rebuilt from the journal. What was recorded for the survivor while merged stays with it;
 * a withdrawal recorded then is also written for the duplicate, so no objection is lost.
 */
export async function unmergeContacts(ctx: Ctx, mergeId: string): Promise<TMergeView> {
  assertCanMerge(ctx);
  let hasNewEntries = false;
  const view = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await assertAcknowledged(tx, ctx);
    const merge = await findMerge(tx, mergeId);
    if (!merge) throw new AppError('not_found', 'No such merge');
    if (merge.undoneAt) refuse('merge_undone', 'The merge was already undone');
    if (merge.undoUntil <= ctx.now) {
      refuse('undo_expired', `A merge can be undone within ${UNDO_DAYS} days only`);
    }
    const rows = await lockContacts(tx, [merge.survivorId, merge.mergedId]);
    const survivor = rows.find((row) => row.id === merge.survivorId);
    const merged = rows.find((row) => row.id === merge.mergedId);
    if (!survivor || !merged) throw new AppError('not_found', 'No such contact');
    if (survivor.mergedInto) {
      refuse('survivor_merged_since', 'Undo the later merge of the surviving contact first');
    }
    if ((await countLaterMerges(tx, merge)) > 0) {
      refuse('later_merge_open', 'Undo the later merges into this contact first');
    }
    const keyring = await orgKeyring(tx, ctx);
    const keys = await subjectKeys(tx, keyring, [survivor.id, merged.id]);
    const survivorKey = keys.get(survivor.id);
    const mergedKey = keys.get(merged.id);
    if (!survivorKey || !mergedKey) refuse('contact_erased', 'A contact was erased since');
    const moves = await findMoves(tx, merge.id);
    const only = new Set(moves.map((move) => `${move.table}:${move.rowId}`));
    const back = await moveRows(tx, await movableLinks(tx), {
      from: survivor.id,
      to: merged.id,
      keys: { from: survivorKey, to: mergedKey },
      only,
    });
    const taskIds = moves.filter((move) => move.table === 'tasks').map((move) => move.rowId);
    if (taskIds.length > 0) {
      await relinkContactTasks(tx, { from: survivor.id, to: merged.id, taskIds });
    }
    const before = merge.survivorBefore;
    await updateContact(
      tx,
      {
        id: survivor.id,
        nameEnc: decode(before.name_enc) ?? null,
        phoneEnc: decode(before.phone_enc) ?? null,
        emailEnc: decode(before.email_enc) ?? null,
        phoneIndex: before.phone_index ?? null,
        emailIndex: before.email_index ?? null,
      },
      ctx.now,
    );
    await setMergedInto(tx, { contactId: merged.id, mergedInto: null, at: ctx.now });
    await reindexNames(tx, ctx, [
      { row: { id: survivor.id, nameEnc: decode(before.name_enc) }, key: survivorKey },
      { row: merged, key: mergedKey },
    ]);
    await rebuildConsentStates(tx, {
      contactId: survivor.id,
      identity: await findIdentity(tx, survivor.id),
    });
    await rebuildConsentStates(tx, {
      contactId: merged.id,
      identity: await findIdentity(tx, merged.id),
    });
    // An objection made while the two were one person holds for both (R-C6).
    for (const purposeId of await findWithdrawalsSince(tx, {
      contactId: survivor.id,
      since: merge.mergedAt,
    })) {
      const withdrawn = await withdrawConsentInTx(tx, ctx, {
        contactId: merged.id,
        purposeId,
        channel: 'staff',
        evidence: { note: `Withdrawal recorded while merged (merge ${merge.id})` },
      });
      hasNewEntries ||= withdrawn.isNew;
    }
    await markUndone(tx, { mergeId: merge.id, at: ctx.now, by: actorUserId(ctx.actor) });
    await recordAudit(tx, ctx, {
      action: 'contact.unmerged',
      entityType: 'contact',
      entityId: survivor.id,
      details: { mergeId: merge.id, mergedId: merged.id, movedBack: countByTable(back) },
    });
    return mergeView(
      { ...merge, undoneAt: ctx.now, undoneBy: actorUserId(ctx.actor) },
      back.length + taskIds.length,
      ctx.now,
    );
  });
  if (hasNewEntries) void scheduleChaining(ctx.db, ctx.orgId);
  return view;
}

/** Merges the contact took part in, newest first (the card's merge history). */
export async function mergesOf(ctx: Ctx, contactId: string): Promise<TMergeView[]> {
  assertCanMerge(ctx);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const merges = await findMergesOf(tx, contactId);
    const counts = await Promise.all(merges.map((merge) => findMoves(tx, merge.id)));
    // The other contact of each merge is shown by name on the card: a logged read.
    await readContacts(
      tx,
      ctx,
      merges.flatMap((merge) => [merge.survivorId, merge.mergedId]),
      'merge_history',
    );
    return merges.map((merge, index) => mergeView(merge, counts[index]?.length ?? 0, ctx.now));
  });
}
