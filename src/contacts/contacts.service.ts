import { randomUUID } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { recordAccess } from '../access-log/access-log.service.ts';
import { assertAcknowledged } from '../compliance/documents/documents.service.ts';
import {
  createSubjectKey,
  type OrgKeyring,
  openField,
  orgKeyring,
  sealField,
  subjectKeys,
} from '../keys/keys.service.ts';
import type { Ctx } from '../platform/context.ts';
import { blindIndex, normalizeEmail } from '../platform/crypto.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can } from '../platform/permissions.ts';
import { findActivePurposes } from '../purposes/purposes.service.ts';
import { activeBlocks, activeBlocksOf, blockSubject, liftBlock } from './blocks.service.ts';
import {
  type ContactListFilter,
  type ContactRow,
  deferNameTokens,
  findContactByIndexes,
  findContactErasure,
  findContactListPage,
  findContactsByIds,
  findDuplicatePairs,
  findIdentity,
  insertContact,
  lockContacts,
  updateContact,
} from './contacts.repo.ts';
import type { TBlockBody, TBlockView, TContactQuery, TContactView } from './contacts.schema.ts';
import { replaceNameTokens } from './merge.repo.ts';

/** E.164 (+79161234567), reading a Russian number without a country code; null when invalid. */
export function normalizePhone(raw: string): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), 'RU');
  return parsed?.isValid() ? parsed.number : null;
}

/** Keyed per organization, so two operators' indexes of one phone never match each other. */
function indexOf(
  ctx: { keys: Ctx['keys']; orgId: string },
  kind: 'phone' | 'email',
  value: string,
): string {
  return blindIndex(ctx.keys.indexKey, `${ctx.orgId}:${kind}`, value);
}

const PREFIX_MIN = 3;
const PREFIX_MAX = 12;

/** Lower case, ё as е, letters and digits only: how a name is compared. */
export function nameWords(name: string): string[] {
  return name
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 8);
}

/**
 * The blind index of a name: keyed HMACs of each word's prefixes (3 to 12 letters; a shorter
 * word as it is) and one of the whole name (words sorted) for duplicate detection. The words
 * never leave the process in clear; equal prefixes give equal tokens within one organization
 * only (the key is per organization), as the phone and email indexes do.
 */
export function nameTokens(ctx: { keys: Ctx['keys']; orgId: string }, name: string): string[] {
  const words = nameWords(name);
  const tokens = new Set<string>();
  for (const word of words) {
    const longest = Math.min(word.length, PREFIX_MAX);
    for (let length = Math.min(PREFIX_MIN, word.length); length <= longest; length += 1) {
      tokens.add(blindIndex(ctx.keys.indexKey, `${ctx.orgId}:name`, word.slice(0, length)));
    }
  }
  if (words.length > 0) {
    const whole = [...words].sort().join(' ');
    tokens.add(`full:${blindIndex(ctx.keys.indexKey, `${ctx.orgId}:fullname`, whole)}`);
  }
  return [...tokens];
}

/** The tokens a name query must all match: each word's own prefix token. */
export function nameQueryTokens(
  ctx: { keys: Ctx['keys']; orgId: string },
  query: string,
): string[] {
  return [
    ...new Set(
      nameWords(query).map((word) =>
        blindIndex(ctx.keys.indexKey, `${ctx.orgId}:name`, word.slice(0, PREFIX_MAX)),
      ),
    ),
  ];
}

export type CapturedContact = {
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
};

/**
 * Finds the person by phone or email (blind indexes) or creates them; new details fill the
 * gaps of an existing contact. Every field is sealed under the person's own key.
 */
export async function captureContact(
  tx: Tx,
  ctx: Ctx,
  keyring: OrgKeyring,
  input: CapturedContact,
): Promise<{ contactId: string; subjectKey: Buffer; isNew: boolean }> {
  const phone = input.phone ? normalizePhone(input.phone) : null;
  const email = input.email ? normalizeEmail(input.email) : null;
  const phoneIndex = phone ? indexOf(ctx, 'phone', phone) : null;
  const emailIndex = email ? indexOf(ctx, 'email', email) : null;
  const existing = await followMerged(
    tx,
    await findContactByIndexes(tx, { phoneIndex, emailIndex }),
  );
  if (existing) {
    const key = (await subjectKeys(tx, keyring, [existing.id])).get(existing.id);
    if (key) {
      const seal = (value: string, column: string) =>
        sealField(key, value, `contacts:${existing.id}:${column}`);
      await updateContact(
        tx,
        {
          id: existing.id,
          nameEnc: existing.nameEnc ?? (input.name ? seal(input.name, 'name') : null),
          phoneEnc: existing.phoneEnc ?? (phone ? seal(phone, 'phone') : null),
          emailEnc: existing.emailEnc ?? (email ? seal(email, 'email') : null),
          phoneIndex: existing.phoneIndex ?? phoneIndex,
          emailIndex: existing.emailIndex ?? emailIndex,
        },
        ctx.now,
      );
      if (!existing.nameEnc && input.name) {
        await replaceNameTokens(tx, {
          orgId: ctx.orgId,
          contactId: existing.id,
          tokens: nameTokens(ctx, input.name),
        });
      }
      return { contactId: existing.id, subjectKey: key, isNew: false };
    }
    // A shredded subject is never revived: the new submission starts a new contact.
  }
  const contactId = randomUUID();
  const key = await createSubjectKey(tx, keyring, contactId);
  const seal = (value: string, column: string) =>
    sealField(key, value, `contacts:${contactId}:${column}`);
  await insertContact(
    tx,
    ctx.orgId,
    {
      id: contactId,
      nameEnc: input.name ? seal(input.name, 'name') : null,
      phoneEnc: phone ? seal(phone, 'phone') : null,
      emailEnc: email ? seal(email, 'email') : null,
      phoneIndex,
      emailIndex,
    },
    ctx.now,
  );
  if (input.name) {
    deferNameTokens(tx, { orgId: ctx.orgId, contactId, tokens: nameTokens(ctx, input.name) });
  }
  return { contactId, subjectKey: key, isNew: true };
}

/** A contact merged into another is found as the one it was merged into. */
async function followMerged(tx: Tx, row: ContactRow | null): Promise<ContactRow | null> {
  let current = row;
  for (let depth = 0; current?.mergedInto && depth < 10; depth += 1) {
    current = (await lockContacts(tx, [current.mergedInto]))[0] ?? null;
  }
  return current;
}

function open(
  row: ContactRow,
  key: Buffer | null | undefined,
  restriction: TContactView['restriction'],
): TContactView {
  const read = (sealed: Uint8Array | null, column: string) =>
    key && sealed ? openField(key, sealed, `contacts:${row.id}:${column}`) : null;
  return {
    id: row.id,
    name: read(row.nameEnc, 'name'),
    phone: read(row.phoneEnc, 'phone'),
    email: read(row.emailEnc, 'email'),
    isShredded: !key,
    restriction,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    mergedInto: row.mergedInto,
  };
}

export function assertCanReadContact(ctx: Ctx): void {
  assertCanRead(ctx);
}

/**
 * The contact ids of one person: the contact and those merged into it, whose consent journal
 * entries keep their own id. Refuses like the card (role, acknowledgement, not found).
 */
export async function identityOf(tx: Tx, ctx: Ctx, contactId: string): Promise<string[]> {
  assertCanRead(ctx);
  await assertAcknowledged(tx, ctx);
  const ids = await findIdentity(tx, contactId);
  if (ids.length === 0) throw new AppError('not_found', 'No such contact');
  return ids;
}

function assertCanRead(ctx: Ctx): void {
  // Marketers work on de-identified analytics; auditors read logs, not patients.
  if (!can(ctx.role, 'contacts.read'))
    throw new AppError('forbidden', 'The role cannot see contacts');
}

/** Decrypts contacts for display, writing the access-log rows in the same transaction. */
export async function readContacts(
  tx: Tx,
  ctx: Ctx,
  ids: readonly string[],
  reason: string,
): Promise<Map<string, TContactView>> {
  assertCanRead(ctx);
  // R-L5: with the organization's setting on, a person acknowledges the current internal
  // regulation before any personal data is decrypted for them (cards, lists, exports, sends).
  await assertAcknowledged(tx, ctx);
  const rows = await findContactsByIds(tx, ids);
  const keyring = await orgKeyring(tx, ctx);
  const blocks = await activeBlocksOf(
    tx,
    rows.map((row) => row.id),
  );
  const restrictionOf = (id: string): TContactView['restriction'] => {
    const live = blocks.get(id) ?? [];
    if (live.some((block) => block.kind === 'blocked')) return 'blocked';
    return live.some((block) => block.kind === 'stopped' && block.purposeId === null)
      ? 'stopped'
      : null;
  };
  // A blocked subject is read by the privacy officer only, for the time of the check (R-D1).
  const readable = rows.filter(
    (row) => restrictionOf(row.id) !== 'blocked' || ctx.role === 'privacy_officer',
  );
  const keys = await subjectKeys(
    tx,
    keyring,
    readable.map((row) => row.id),
  );
  await recordAccess(tx, ctx, {
    subjectType: 'contact',
    subjectIds: readable.map((row) => row.id),
    fields: ['name', 'phone', 'email'],
    reason,
  });
  return new Map(
    rows.map((row) => {
      const restriction = restrictionOf(row.id);
      if (!readable.includes(row)) return [row.id, withheld(row, restriction)];
      return [row.id, open(row, keys.get(row.id), restriction)];
    }),
  );
}

function withheld(row: ContactRow, restriction: TContactView['restriction']): TContactView {
  return {
    id: row.id,
    name: null,
    phone: null,
    email: null,
    isShredded: false,
    restriction,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    mergedInto: row.mergedInto,
  };
}

export async function getContact(ctx: Ctx, contactId: string): Promise<TContactView> {
  assertCanRead(ctx);
  const found = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    readContacts(tx, ctx, [contactId], 'card'),
  );
  const contact = found.get(contactId);
  if (!contact) throw new AppError('not_found', 'No such contact');
  if (contact.restriction === 'blocked' && ctx.role !== 'privacy_officer') {
    throw new AppError(
      'forbidden',
      'The subject is blocked: only the privacy officer may read it',
      {
        details: { rule: 'subject_blocked' },
      },
    );
  }
  return contact;
}

/** Above this many matches a list shows "more than N" instead of counting every row. */
const COUNT_CAP = 10_000;

/**
 * Contacts newest first, merged ones hidden. `q` finds a phone or an email exactly (their blind
 * indexes) or a name by the starts of its words (the name's blind index): no clear text is
 * indexed or compared in SQL. Filters by a lead's stage and source and by creation date.
 */
export async function findContacts(ctx: Ctx, query: TContactQuery) {
  assertCanRead(ctx);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    // R-L5: refused before any search when acknowledgement is required and missing.
    await assertAcknowledged(tx, ctx);
    const filter: ContactListFilter = {
      stage: query.stage,
      source: query.source,
      createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
      createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
    };
    if (query.q) {
      const phone = /\d{5,}/.test(query.q.replace(/[\s()-]/g, '')) ? normalizePhone(query.q) : null;
      if (phone) filter.phoneIndex = indexOf(ctx, 'phone', phone);
      else if (query.q.includes('@')) {
        filter.emailIndex = indexOf(ctx, 'email', normalizeEmail(query.q));
      } else filter.nameTokens = nameQueryTokens(ctx, query.q);
      if (!filter.phoneIndex && !filter.emailIndex && (filter.nameTokens ?? []).length === 0) {
        return {
          items: [],
          page: query.page,
          pageSize: query.pageSize,
          total: 0,
          isTotalCapped: false,
        };
      }
    }
    const { rows, total, isTotalCapped } = await findContactListPage(tx, {
      ...filter,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
      countCap: COUNT_CAP,
    });
    const views = await readContacts(
      tx,
      ctx,
      rows.map((row) => row.id),
      query.q ? 'search' : 'list',
    );
    return {
      items: rows.flatMap((row) => views.get(row.id) ?? []),
      page: query.page,
      pageSize: query.pageSize,
      total,
      isTotalCapped,
    };
  });
}

/** Pairs of live contacts that look like one person, for the duplicates list and the card. */
export async function findDuplicates(
  ctx: Ctx,
  query: { page: number; pageSize: number; contactId?: string | undefined },
) {
  assertCanRead(ctx);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await assertAcknowledged(tx, ctx);
    const { pairs, total } = await findDuplicatePairs(tx, {
      contactId: query.contactId,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const views = await readContacts(
      tx,
      ctx,
      pairs.flatMap((pair) => [pair.contactId, pair.otherId]),
      'duplicates',
    );
    const items = pairs.flatMap((pair) => {
      const contact = views.get(pair.contactId);
      const other = views.get(pair.otherId);
      return contact && other ? [{ contact, other, reasons: pair.reasons }] : [];
    });
    return { items, page: query.page, pageSize: query.pageSize, total };
  });
}

/** Whether the contact exists here, and whether it was erased (its data destroyed). */
export function contactErasure(
  tx: Tx,
  contactId: string,
): Promise<{ erasedAt: Date | null } | null> {
  return findContactErasure(tx, contactId);
}

/**
 * The contact who left this email or phone, found by blind index (the privacy portal's sign-in
 * by code); null when none has it. An erased contact no longer carries its indexes.
 */
export async function findContactIdByAddress(
  tx: Tx,
  ctx: { keys: Ctx['keys']; orgId: string },
  address: { kind: 'email' | 'phone'; value: string },
): Promise<string | null> {
  const value =
    address.kind === 'phone' ? normalizePhone(address.value) : normalizeEmail(address.value);
  if (!value) return null;
  const found = await findContactByIndexes(tx, {
    phoneIndex: address.kind === 'phone' ? indexOf(ctx, 'phone', value) : null,
    emailIndex: address.kind === 'email' ? indexOf(ctx, 'email', value) : null,
  });
  return (await followMerged(tx, found))?.id ?? null;
}

function assertCanRestrict(ctx: Ctx): void {
  if (!can(ctx.role, 'subjects.restrict')) {
    throw new AppError('forbidden', 'The role cannot block or stop processing');
  }
}

function blockView(block: Awaited<ReturnType<typeof activeBlocks>>[number]): TBlockView {
  return { ...block, createdAt: block.createdAt.toISOString() };
}

export async function listBlocks(ctx: Ctx, contactId: string): Promise<TBlockView[]> {
  assertCanRead(ctx);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await findContactErasure(tx, contactId))) {
      throw new AppError('not_found', 'No such contact');
    }
    return (await activeBlocks(tx, ctx, contactId)).map(blockView);
  });
}

/** Staff block (R-D1) or stop (R-S6) a subject's processing, at once. */
export async function restrictContact(
  ctx: Ctx,
  contactId: string,
  body: TBlockBody,
): Promise<TBlockView> {
  assertCanRestrict(ctx);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await findContactErasure(tx, contactId))) {
      throw new AppError('not_found', 'No such contact');
    }
    const [purpose] = body.purposeCode
      ? await findActivePurposes(tx, ctx.publicUrl, [body.purposeCode])
      : [];
    const purposeId = purpose?.purpose.id ?? null;
    if (body.purposeCode && !purposeId) {
      throw new AppError('validation_failed', 'No such purpose', {
        fields: { purposeCode: ['unknown'] },
      });
    }
    const id = await blockSubject(tx, ctx, {
      contactId,
      kind: body.kind,
      purposeId,
      reason: body.reason,
      requestId: null,
    });
    const created = (await activeBlocks(tx, ctx, contactId)).find((block) => block.id === id);
    if (!created) throw new Error('A block just written was not found');
    return blockView(created);
  });
}

export async function liftRestriction(
  ctx: Ctx,
  input: { contactId: string; blockId: string; reason: string },
): Promise<void> {
  assertCanRestrict(ctx);
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const live = await activeBlocks(tx, ctx, input.contactId);
    if (!live.some((block) => block.id === input.blockId)) {
      throw new AppError('not_found', 'No such live block');
    }
    await liftBlock(tx, ctx, { blockId: input.blockId, reason: input.reason });
  });
}
