import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { orgKeyring, sealField, subjectKeys } from '../keys/keys.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError, assertUnreachable } from '../platform/errors.ts';
import { can, type Permission } from '../platform/permissions.ts';
import { type ActivePurpose, findActivePurposes } from '../purposes/purposes.service.ts';
import { scheduleDestructionAfterWithdrawal } from '../retention/retention.service.ts';
import {
  contactExists,
  findJournalEntry,
  findLatestEvent,
  findLatestEventsOfContact,
  findLatestGrant,
  insertJournalEntries,
  type JournalRecord,
} from './consent.repo.ts';
import type {
  TEvidence,
  TJournalEntry,
  TStaffConsentBody,
  TWithdrawBody,
} from './consent.schema.ts';
import { journalEntryView, scheduleChaining } from './journal.service.ts';
import { contentHash, type JournalContent, sha256Bytes } from './journal-hash.ts';

/** How the consent was obtained and what proves it; stored encrypted under the subject's key. */
export type ConsentEvidence = {
  ip?: string | undefined;
  userAgent?: string | undefined;
  pageUrl?: string | undefined;
  /** Phone consent: the call recording's reference and the script version read out. */
  recordingRef?: string | undefined;
  scriptVersion?: string | undefined;
  /** Paper consent: the scan's reference. */
  scanRef?: string | undefined;
  note?: string | undefined;
};

export type ConsentEventInput = {
  event: 'given' | 'withdrawn' | 'expired' | 'renewed';
  contactId: string;
  purposeId: string;
  purposeVersionId: string;
  documentId: string | null;
  documentSha256: string | null;
  channel: JournalContent['channel'];
  evidence: ConsentEvidence;
  formId?: string | null;
  submissionId?: string | null;
  expiresAt?: Date | null;
};

/**
 * Appends consent events to the journal inside the caller's transaction, so a consent and
 * the act it belongs to commit together (R-C3). Entries carry their own content hash; the
 * chain linking them is built after commit (see the chainer), which keeps concurrent
 * submissions from queueing behind one lock.
 */
export async function recordConsentEvents(
  tx: Tx,
  ctx: Ctx,
  subjectKey: Buffer,
  events: readonly ConsentEventInput[],
): Promise<string[]> {
  const entries = events.map((event) => {
    const id = randomUUID();
    const evidenceEnc = sealField(
      subjectKey,
      JSON.stringify(event.evidence),
      `consent_journal:${id}:evidence`,
    );
    const content = {
      id,
      orgId: ctx.orgId,
      event: event.event,
      contactId: event.contactId,
      purposeId: event.purposeId,
      purposeVersionId: event.purposeVersionId,
      documentId: event.documentId,
      documentSha256: event.documentSha256,
      channel: event.channel,
      evidenceSha256: sha256Bytes(evidenceEnc),
      formId: event.formId ?? null,
      submissionId: event.submissionId ?? null,
      actorUserId: actorUserId(ctx.actor),
      expiresAt: event.expiresAt?.toISOString() ?? null,
      at: ctx.now.toISOString(),
    };
    return { ...content, evidenceEnc, contentSha256: contentHash(content) };
  });
  await insertJournalEntries(tx, entries);
  return entries.map((entry) => entry.id);
}

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

/** The contact's data key, or a refusal: another organization's contact does not exist here. */
async function contactKey(tx: Tx, ctx: Ctx, contactId: string): Promise<Buffer> {
  if (!(await contactExists(tx, contactId))) throw new AppError('not_found', 'No such contact');
  const keyring = await orgKeyring(tx, ctx);
  const key = (await subjectKeys(tx, keyring, [contactId])).get(contactId);
  if (!key) {
    // Crypto-shredded (R-D5): nothing new is recorded about a destroyed subject.
    throw new AppError('rule_violated', 'The contact’s data was destroyed', {
      details: { rule: 'contact_destroyed' },
    });
  }
  return key;
}

async function activePurpose(tx: Tx, ctx: Ctx, purposeCode: string): Promise<ActivePurpose | null> {
  const [active] = await findActivePurposes(tx, ctx.publicUrl, [purposeCode]);
  return active ?? null;
}

function evidenceOf(values: Partial<TEvidence>): ConsentEvidence {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== null),
  ) as ConsentEvidence;
}

function shownEvidence(
  evidence: ConsentEvidence,
): Pick<TJournalEntry, 'evidenceState' | 'evidence'> {
  return {
    evidenceState: 'shown',
    evidence: {
      ip: evidence.ip ?? null,
      userAgent: evidence.userAgent ?? null,
      pageUrl: evidence.pageUrl ?? null,
      recordingRef: evidence.recordingRef ?? null,
      scriptVersion: evidence.scriptVersion ?? null,
      scanRef: evidence.scanRef ?? null,
      note: evidence.note ?? null,
    },
  };
}

async function entryOf(
  tx: Tx,
  ctx: Ctx,
  entryId: string,
  evidence: ConsentEvidence | null,
): Promise<TJournalEntry> {
  const entry = await findJournalEntry(tx, ctx.orgId, entryId);
  if (!entry) throw new Error('A journal entry just written was not found');
  return journalEntryView(
    ctx.publicUrl,
    entry,
    evidence ? shownEvidence(evidence) : { evidenceState: 'hidden', evidence: null },
  );
}

/**
 * Consent taken by staff by phone or on paper (R-C3: the operator proves it). The entry
 * refers to the purpose's current consent document; the evidence is the call recording and
 * the script version read out, or the signed scan. The staff member is recorded as the actor;
 * the journal entry and the audit row commit together.
 */
export async function recordStaffConsent(
  ctx: Ctx,
  contactId: string,
  body: TStaffConsentBody,
): Promise<{ entry: TJournalEntry; isNew: boolean }> {
  assertCan(ctx, 'consent.record');
  const evidence = evidenceOf(
    body.channel === 'phone'
      ? { recordingRef: body.recordingRef, scriptVersion: body.scriptVersion, note: body.note }
      : { scanRef: body.scanRef, note: body.note },
  );
  const entry = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const subjectKey = await contactKey(tx, ctx, contactId);
    const active = await activePurpose(tx, ctx, body.purposeCode);
    if (!active) {
      throw new AppError('validation_failed', 'No such purpose', {
        fields: { purposeCode: ['No such purpose'] },
      });
    }
    if (active.purpose.archivedAt) {
      throw new AppError('rule_violated', 'The purpose is archived', {
        details: { rule: 'purpose_archived', purposeCode: body.purposeCode },
      });
    }
    if (!active.document) {
      throw new AppError('rule_violated', 'The purpose does not rest on consent', {
        details: { rule: 'purpose_without_consent_document', purposeCode: body.purposeCode },
      });
    }
    // R-C4: where written consent is required, a phone call does not satisfy it; a signed
    // paper form does.
    if (active.version.isWrittenConsentRequired && body.channel !== 'paper') {
      throw new AppError('rule_violated', 'This purpose needs written consent', {
        details: { rule: 'written_consent_required', purposeCode: body.purposeCode },
      });
    }
    const [entryId] = await recordConsentEvents(tx, ctx, subjectKey, [
      {
        event: 'given',
        contactId,
        purposeId: active.purpose.id,
        purposeVersionId: active.version.id,
        documentId: active.document.id,
        documentSha256: active.document.sha256,
        channel: body.channel,
        evidence,
        expiresAt: new Date(ctx.now.getTime() + active.version.retentionDays * 86_400_000),
      },
    ]);
    if (!entryId) throw new Error('No journal entry was written');
    await recordAudit(tx, ctx, {
      action: 'consent.recorded',
      entityType: 'consent_journal',
      entityId: entryId,
      details: {
        contactId,
        purposeCode: body.purposeCode,
        channel: body.channel,
        documentId: active.document.id,
      },
    });
    return entryOf(tx, ctx, entryId, evidence);
  });
  void scheduleChaining(ctx.db, ctx.orgId);
  return { entry, isNew: true };
}

/**
 * A withdrawal taken by staff (R-C6): one 'withdrawn' entry that every outbound check reads.
 * It refers to the consent it withdraws (the latest one given), or to the current document when
 * none was recorded, so an objection is kept even then. A repeated withdrawal returns the
 * standing one instead of writing another.
 */
export async function withdrawConsent(
  ctx: Ctx,
  input: { contactId: string; purposeCode: string; body: TWithdrawBody },
): Promise<{ entry: TJournalEntry; isNew: boolean }> {
  assertCan(ctx, 'consent.record');
  const evidence = evidenceOf({
    recordingRef: input.body?.recordingRef,
    scanRef: input.body?.scanRef,
    note: input.body?.note,
  });
  const result = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await contactKey(tx, ctx, input.contactId);
    const active = await activePurpose(tx, ctx, input.purposeCode);
    if (!active) throw new AppError('not_found', 'No such purpose');
    // The channel the person used: a call's recording or a letter's scan says which.
    const channel = evidence.recordingRef ? 'phone' : evidence.scanRef ? 'paper' : 'staff';
    const withdrawn = await withdrawConsentInTx(tx, ctx, {
      contactId: input.contactId,
      purposeId: active.purpose.id,
      channel,
      evidence,
    });
    return {
      entry: await entryOf(tx, ctx, withdrawn.entryId, withdrawn.isNew ? evidence : null),
      isNew: withdrawn.isNew,
    };
  });
  if (result.isNew) void scheduleChaining(ctx.db, ctx.orgId);
  return result;
}

export type WithdrawalChannel = 'staff' | 'portal' | 'phone' | 'paper' | 'email';

/**
 * Withdraws a consent inside the caller's transaction (R-C6): the 'withdrawn' entry and its
 * audit row commit with the caller's act, and destruction of what was held only for that
 * purpose is scheduled for 30 days after receipt (R-D4). From commit on, every outbound check
 * for this subject and purpose refuses. The caller schedules chaining after commit when isNew.
 */
export async function withdrawConsentInTx(
  tx: Tx,
  ctx: Ctx,
  input: {
    contactId: string;
    purposeId: string;
    channel: WithdrawalChannel;
    evidence: ConsentEvidence | null;
  },
): Promise<{ entryId: string; isNew: boolean }> {
  const latest = await findLatestEvent(tx, ctx.orgId, input.contactId, input.purposeId);
  if (latest?.event === 'withdrawn') return { entryId: latest.id, isNew: false };
  const subjectKey = await contactKey(tx, ctx, input.contactId);
  const [active] = (await findActivePurposes(tx, ctx.publicUrl)).filter(
    (candidate) => candidate.purpose.id === input.purposeId,
  );
  if (!active) throw new AppError('not_found', 'No such purpose');
  const grant = await findLatestGrant(tx, ctx.orgId, input.contactId, input.purposeId);
  const [entryId] = await recordConsentEvents(tx, ctx, subjectKey, [
    {
      event: 'withdrawn',
      contactId: input.contactId,
      purposeId: input.purposeId,
      purposeVersionId: grant?.purposeVersionId ?? active.version.id,
      documentId: grant ? grant.documentId : (active.document?.id ?? null),
      documentSha256: grant ? grant.documentSha256 : (active.document?.sha256 ?? null),
      channel: input.channel,
      evidence: input.evidence ?? {},
    },
  ]);
  if (!entryId) throw new Error('No journal entry was written');
  await recordAudit(tx, ctx, {
    action: 'consent.withdrawn',
    entityType: 'consent_journal',
    entityId: entryId,
    details: {
      contactId: input.contactId,
      purposeCode: active.purpose.code,
      channel: input.channel,
      withdrawnEntryId: grant?.id ?? null,
    },
  });
  await scheduleDestructionAfterWithdrawal(tx, ctx, {
    contactId: input.contactId,
    purposeId: input.purposeId,
    receivedAt: ctx.now,
  });
  return { entryId, isNew: true };
}

export type ConsentState = {
  purposeId: string;
  purposeCode: string;
  purposeTitle: string;
  kind: string;
  legalBasis: string;
  state: 'given' | 'withdrawn' | 'expired' | 'none';
  entryId: string | null;
  /** The purpose version the latest event was recorded under: what the person agreed to. */
  purposeVersionId: string | null;
  documentId: string | null;
  at: Date | null;
  expiresAt: Date | null;
};

/** Where each active purpose stands for one subject, from the journal's latest events. */
export async function consentStatesOf(
  tx: Tx,
  ctx: Ctx,
  contactId: string,
): Promise<ConsentState[]> {
  const purposes = await findActivePurposes(tx, ctx.publicUrl);
  const latest = new Map(
    (await findLatestEventsOfContact(tx, ctx.orgId, contactId)).map((entry) => [
      entry.purposeId,
      entry,
    ]),
  );
  return purposes.map(({ purpose, version }) => {
    const entry = latest.get(purpose.id) ?? null;
    return {
      purposeId: purpose.id,
      purposeCode: purpose.code,
      purposeTitle: version.title,
      kind: purpose.kind,
      legalBasis: version.legalBasis,
      state: entry ? stateOf(entry, ctx.now) : 'none',
      entryId: entry?.id ?? null,
      purposeVersionId: entry?.purposeVersionId ?? null,
      documentId: entry?.documentId ?? null,
      at: entry?.at ?? null,
      expiresAt: entry?.expiresAt ?? null,
    };
  });
}

function stateOf(entry: JournalRecord, now: Date): ConsentState['state'] {
  switch (entry.event) {
    case 'withdrawn':
      return 'withdrawn';
    case 'expired':
      return 'expired';
    case 'given':
    case 'renewed':
      return entry.expiresAt && entry.expiresAt.getTime() <= now.getTime() ? 'expired' : 'given';
    default:
      return assertUnreachable(entry.event);
  }
}
