import { randomUUID } from 'node:crypto';
import { recordAccess, recordAudit } from '../access-log/access-log.service.ts';
import { openField, orgKeyring, sealField, subjectKeys } from '../keys/keys.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can } from '../platform/permissions.ts';
import type { TimelineSource } from '../timeline/timeline.schema.ts';
import { findContactErasure } from './contacts.repo.ts';
import type { TNoteView } from './contacts.schema.ts';
import { deleteNoteRow, findNote, findNotesOf, insertNote } from './notes.repo.ts';

function assertCanWrite(ctx: Ctx): void {
  if (!can(ctx.role, 'notes.write')) throw new AppError('forbidden', 'The role cannot write notes');
}

/** A note about a person is personal data: sealed under the person's own key. */
export async function addNote(ctx: Ctx, contactId: string, body: string): Promise<TNoteView> {
  assertCanWrite(ctx);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const contact = await findContactErasure(tx, contactId);
    if (!contact) throw new AppError('not_found', 'No such contact');
    const keyring = await orgKeyring(tx, ctx);
    const key = (await subjectKeys(tx, keyring, [contactId])).get(contactId);
    if (!key || contact.erasedAt) {
      throw new AppError('rule_violated', 'The contact was erased', {
        details: { rule: 'contact_erased' },
      });
    }
    const id = randomUUID();
    await insertNote(tx, {
      id,
      orgId: ctx.orgId,
      contactId,
      bodyEnc: sealField(key, body, `contact_notes:${id}:body`),
      authorUserId: actorUserId(ctx.actor),
      createdAt: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: 'contact.note_added',
      entityType: 'contact',
      entityId: contactId,
      details: { noteId: id },
    });
    return {
      id,
      contactId,
      body,
      authorUserId: actorUserId(ctx.actor),
      createdAt: ctx.now.toISOString(),
    };
  });
}

export async function removeNote(
  ctx: Ctx,
  input: { contactId: string; noteId: string },
): Promise<void> {
  assertCanWrite(ctx);
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const note = await findNote(tx, input.noteId);
    if (!note || note.contactId !== input.contactId) {
      throw new AppError('not_found', 'No such note');
    }
    // Staff remove their own notes; owners and admins anyone's.
    const isOwn = note.authorUserId !== null && note.authorUserId === actorUserId(ctx.actor);
    if (!isOwn && ctx.role !== 'owner' && ctx.role !== 'admin') {
      throw new AppError('forbidden', 'Only the author or an administrator removes a note');
    }
    await deleteNoteRow(tx, input.noteId);
    await recordAudit(tx, ctx, {
      action: 'contact.note_removed',
      entityType: 'contact',
      entityId: input.contactId,
      details: { noteId: input.noteId },
    });
  });
}

/** Notes on the timeline, opened with the person's key (the read is logged). */
export const noteTimeline: TimelineSource = {
  kind: 'note',
  async load(tx, ctx, query) {
    const notes = await findNotesOf(tx, query);
    if (notes.length === 0) return [];
    const keyring = await orgKeyring(tx, ctx);
    const owners = [...new Set(notes.map((note) => note.contactId))];
    const keys = await subjectKeys(tx, keyring, owners);
    await recordAccess(tx, ctx, {
      subjectType: 'contact',
      subjectIds: owners,
      fields: ['notes'],
      reason: 'card',
    });
    return notes.map((note) => {
      const key = keys.get(note.contactId);
      return {
        id: note.id,
        at: note.createdAt,
        data: {
          body: key ? openField(key, note.bodyEnc, `contact_notes:${note.id}:body`) : null,
          authorUserId: note.authorUserId,
          isShredded: !key,
        },
      };
    });
  },
};
