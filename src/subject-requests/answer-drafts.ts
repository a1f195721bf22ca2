// Gathers what a letter needs — the operator profile, the purposes, the subject's own records —
// inside the request's transaction, logs the reads, and hands it to the pure templates.
import { recordAccess } from '../access-log/access-log.service.ts';
import { consentStatesOf } from '../consent/consent.service.ts';
import { readContacts } from '../contacts/contacts.service.ts';
import { collectSubjectData } from '../erasure/erasure.service.ts';
import { openField } from '../keys/keys.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { findActivePurposes, getProfileForDocuments } from '../purposes/purposes.service.ts';
import {
  accessAnswer,
  correctionConfirmation,
  deletionConfirmation,
  extensionNotice,
  type LetterHeader,
  type OperatorInfo,
  type PurposeInfo,
  refusalLetter,
  rknAnswer,
  type SubjectTable,
  stopConfirmation,
  withdrawalConfirmation,
} from './answer-templates.ts';
import { addWorkingDays, toMoscowDate } from './clock.ts';
import type { RequestRecord, RequestType } from './requests.repo.ts';

export function requestReference(requestId: string): string {
  return requestId.replaceAll('-', '').slice(0, 8).toUpperCase();
}

async function operatorInfo(tx: Tx): Promise<OperatorInfo | null> {
  const profile = await getProfileForDocuments(tx);
  if (!profile) return null;
  return {
    legalName: profile.legalName,
    address: profile.address,
    inn: profile.inn ?? null,
    ogrn: profile.ogrn ?? null,
    responsibleName: profile.responsibleName,
    responsibleContacts: profile.responsibleContacts,
    processors: profile.processors,
    policyUrl: profile.policyUrl ?? null,
    rknRegisterNumber: profile.rknRegisterNumber ?? null,
  };
}

function requesterName(request: RequestRecord, key: Buffer | null): string | null {
  if (!key || !request.requesterEnc) return null;
  try {
    const requester = JSON.parse(
      openField(key, request.requesterEnc, `subject_requests:${request.id}:requester`),
    ) as { name?: string };
    return requester.name ?? null;
  } catch {
    return null;
  }
}

/** The head of every letter: operator, addressee, dates and the request's reference. */
export async function letterHeader(
  tx: Tx,
  ctx: Ctx,
  request: RequestRecord,
  key: Buffer | null,
): Promise<LetterHeader> {
  let addressee = requesterName(request, key);
  if (!addressee && request.contactId) {
    const contact = (
      await readContacts(tx, ctx, [request.contactId], 'subject_request_letter')
    ).get(request.contactId);
    addressee = contact?.name ?? null;
  }
  return {
    reference: requestReference(request.id),
    receivedOn: toMoscowDate(request.receivedAt),
    today: toMoscowDate(ctx.now),
    addressee,
    operator: await operatorInfo(tx),
  };
}

const SOURCE_LABELS: Record<string, string> = {
  web_form: 'форма на сайте оператора',
  phone: 'телефонный разговор',
  paper: 'письменное заявление',
  staff: 'сотрудник оператора с ваших слов',
  portal: 'личный кабинет субъекта',
  email: 'электронная почта',
};

/**
 * The subject's records for an answer: every row of theirs in every table of the data map,
 * opened with their key. Reading them is logged against the subject.
 */
async function subjectRecords(
  tx: Tx,
  ctx: Ctx,
  contactId: string,
): Promise<{ tables: SubjectTable[]; sources: string[] }> {
  const data = await collectSubjectData(tx, ctx, contactId);
  await recordAccess(tx, ctx, {
    subjectType: 'contact',
    subjectIds: [contactId],
    fields: data.tables.map((table) => table.table),
    reason: 'subject_request_answer',
  });
  const channels = new Set<string>();
  for (const table of data.tables) {
    for (const row of table.rows) {
      if (table.table === 'submissions') channels.add('web_form');
      if (typeof row.channel === 'string') channels.add(row.channel);
    }
  }
  return {
    tables: data.tables.map((table) => ({
      table: table.table,
      category: table.category,
      rows: table.rows,
    })),
    sources: [...channels].flatMap((channel) => SOURCE_LABELS[channel] ?? []),
  };
}

async function purposesOf(tx: Tx, ctx: Ctx, contactId: string | null): Promise<PurposeInfo[]> {
  const active = await findActivePurposes(tx, ctx.publicUrl);
  const states = contactId
    ? new Map((await consentStatesOf(tx, ctx, contactId)).map((state) => [state.purposeId, state]))
    : new Map();
  return active.flatMap(({ purpose, version }) => {
    const state = states.get(purpose.id)?.state ?? 'none';
    // Purposes resting on consent apply to the person only where they gave one; other bases
    // (contract, medical care, law) apply to every subject of their categories.
    if (version.legalBasis === 'consent' && state === 'none') return [];
    return [
      {
        code: purpose.code,
        title: version.title,
        legalBasis: version.legalBasis,
        state,
        dataCategories: version.dataCategories.map((category) => category.title),
        actions: version.actions,
        methods: version.methods,
        recipients: version.recipients,
        retentionDays: version.retentionDays,
      },
    ];
  });
}

export type DraftKind = 'answer' | 'refusal' | 'extension';

/** A draft letter for staff to read, edit and send. */
export async function draftLetter(
  tx: Tx,
  ctx: Ctx,
  request: RequestRecord,
  key: Buffer | null,
  input: { kind: DraftKind; motivation?: string; reason?: string; byWorkingDays?: number },
): Promise<string> {
  const header = await letterHeader(tx, ctx, request, key);
  if (input.kind === 'refusal') {
    return refusalLetter(header, {
      motivation: input.motivation ?? '[Изложите основания отказа со ссылкой на закон.]',
    });
  }
  if (input.kind === 'extension') {
    const byWorkingDays = input.byWorkingDays ?? 5;
    const base = request.dueDate;
    let newDueDate = base;
    try {
      newDueDate = addWorkingDays(base, byWorkingDays);
    } catch {
      // Outside the shipped calendar: the date is left for staff to fill.
    }
    return extensionNotice(header, {
      reason: input.reason ?? '[Укажите причину продления.]',
      byWorkingDays,
      newDueDate,
      oldDueDate: base,
    });
  }
  return answerFor(tx, ctx, request, header);
}

async function answerFor(
  tx: Tx,
  ctx: Ctx,
  request: RequestRecord,
  header: LetterHeader,
): Promise<string> {
  const type: RequestType = request.type;
  switch (type) {
    case 'access': {
      const records = request.contactId
        ? await subjectRecords(tx, ctx, request.contactId)
        : { tables: [], sources: [] };
      return accessAnswer(header, {
        purposes: await purposesOf(tx, ctx, request.contactId),
        tables: records.tables,
        sources: records.sources,
      });
    }
    case 'deletion': {
      const records = request.contactId
        ? await subjectRecords(tx, ctx, request.contactId)
        : { tables: [], sources: [] };
      // Kept under the organization key once the subject's key is destroyed: no name in it.
      return deletionConfirmation(
        { ...header, addressee: null },
        {
          categories: records.tables.filter((t) => t.rows.length > 0).map((t) => t.category),
        },
      );
    }
    case 'correction':
      return correctionConfirmation(header);
    case 'stop':
      return stopConfirmation(header);
    case 'withdrawal': {
      const purposes = await findActivePurposes(tx, ctx.publicUrl);
      const purpose = purposes.find((candidate) => candidate.purpose.id === request.purposeId);
      return withdrawalConfirmation(header, { purposeTitle: purpose?.version.title ?? null });
    }
    case 'rkn':
      return rknAnswer(header);
  }
}
