import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { AppError } from '../platform/errors.ts';
import { isServiceMessageBasis } from '../purposes/purposes.schema.ts';
import { type ActivePurpose, findActivePurposes } from '../purposes/purposes.service.ts';
import {
  findVerdicts,
  findVersionTerms,
  gateVerdicts,
  type Verdict,
  type VerdictRules,
} from './gate.repo.ts';

/** What an outbound action does with the person's data. */
export type OutboundChannel = 'email' | 'sms' | 'call' | 'export' | 'transfer';

export const GATE_REFUSALS = [
  'no_consent',
  'consent_withdrawn',
  'consent_expired',
  'subject_blocked',
  'processing_stopped',
  'subject_erased',
  'channel_not_covered',
  'suppressed',
  'special_category_for_marketing',
  'recipient_not_named',
  'not_a_service_purpose',
] as const;
export type GateRefusal = (typeof GATE_REFUSALS)[number];

export type GateAnswer =
  | { allowed: true; basis: string; consentEntryId: string | null }
  | { allowed: false; reason: GateRefusal };

export type OutboundInput = {
  contactId: string;
  purposeCode: string;
  channel: OutboundChannel;
  /**
   * Data categories the action uses (a segment's filter fields, an export's columns). One that
   * is special (health and the others of 152-FZ Art. 10–11) under an advertising purpose is
   * refused (R-C5).
   */
  dataCategories?: readonly string[];
  /** The action uses a special-category field (said directly instead of by category). */
  usesSpecialCategory?: boolean;
  /** For 'transfer': the third party; it must be named in the version the person agreed to. */
  recipient?: string;
  /**
   * 'service': a message about the person's own contract (an appointment reminder). It rests on
   * the purpose's contract or medical-care basis, not on advertising consent, so the purpose
   * must be a non-advertising one on such a basis (`not_a_service_purpose` otherwise), and a
   * marketing opt-out does not stop it. Absent or 'marketing': judged as before.
   */
  messageKind?: MessageKind;
};

/** Advertising (38-FZ Art. 18, needs consent) or a service message under the contract. */
export type MessageKind = 'marketing' | 'service';

/**
 * A service message needs a purpose that is not advertising and rests on a service basis
 * (`SERVICE_MESSAGE_BASES`: contract, medical care). Pure: the registry's answer for one purpose.
 */
export function carriesServiceMessages(active: {
  purpose: { kind: string };
  version: { legalBasis: string };
}): boolean {
  return active.purpose.kind !== 'advertising' && isServiceMessageBasis(active.version.legalBasis);
}

// Channels a purpose's consent names; an export is judged by the purpose alone.
const PURPOSE_CHANNEL: Record<OutboundChannel, string | null> = {
  email: 'email',
  sms: 'sms',
  call: 'call',
  transfer: 'transfer',
  export: null,
};

// Suppressions stop messages and calls; 'all' stops every one of them.
const SUPPRESSION_CHANNELS: Record<OutboundChannel, readonly string[]> = {
  email: ['email', 'all'],
  sms: ['sms', 'all'],
  call: ['all'],
  export: [],
  transfer: [],
};

/** Special categories of personal data by law (152-FZ Art. 10 p.1, Art. 11), by code. */
export const SPECIAL_CATEGORY_CODES: readonly string[] = [
  'health',
  'diagnosis',
  'biometric',
  'genetic',
  'race',
  'nationality',
  'political_views',
  'religious_beliefs',
  'philosophical_beliefs',
  'intimate_life',
  'criminal_record',
];

/** Advertising by direct contact (38-FZ Art. 18): the kind the suppression list and R-C5 guard. */
function isAdvertising(active: ActivePurpose): boolean {
  return active.purpose.kind === 'advertising';
}

async function usesSpecial(tx: Tx, ctx: Ctx, input: OutboundInput): Promise<boolean> {
  if (input.usesSpecialCategory) return true;
  if (!input.dataCategories || input.dataCategories.length === 0) return false;
  const special = new Set(SPECIAL_CATEGORY_CODES);
  // A category the organization's own registry marks special counts as well.
  for (const { version } of await findActivePurposes(tx, ctx.publicUrl)) {
    for (const category of version.dataCategories) {
      if (category.isSpecial) special.add(category.code);
    }
  }
  return input.dataCategories.some((code) => special.has(code));
}

/** Whether the channels a version names cover this action; a transfer purpose covers transfers. */
function covers(
  active: ActivePurpose,
  channels: readonly string[],
  wanted: string | null,
): boolean {
  if (!wanted) return true;
  if (wanted === 'transfer' && active.purpose.kind === 'transfer') return true;
  return channels.includes(wanted);
}

function namesRecipient(recipients: readonly { name: string }[], recipient: string): boolean {
  const wanted = recipient.trim().toLocaleLowerCase('ru');
  return recipients.some((candidate) => candidate.name.trim().toLocaleLowerCase('ru') === wanted);
}

async function activePurposeOf(tx: Tx, ctx: Ctx, code: string): Promise<ActivePurpose> {
  const [active] = await findActivePurposes(tx, ctx.publicUrl, [code]);
  if (!active) throw new AppError('not_found', 'No such purpose');
  return active;
}

/**
 * What the gate decides before reading any person: the purpose, whether the action itself is
 * refused (R-C5), which suppressions stop it, and which versions of the purpose cover its
 * channel and recipient (a consent covers what the version the person agreed to names).
 */
export async function verdictRules(
  tx: Tx,
  ctx: Ctx,
  input: Omit<OutboundInput, 'contactId'> & { address?: 'email' | 'phone' | null },
): Promise<{ active: ActivePurpose; rules: VerdictRules }> {
  const active = await activePurposeOf(tx, ctx, input.purposeCode);
  let refuseAll: GateRefusal | null =
    isAdvertising(active) && (await usesSpecial(tx, ctx, { ...input, contactId: '' }))
      ? 'special_category_for_marketing'
      : null;
  if (input.messageKind === 'service' && !carriesServiceMessages(active)) {
    refuseAll = 'not_a_service_purpose';
  }
  const wanted = PURPOSE_CHANNEL[input.channel];
  const asksRecipient = input.channel === 'transfer' && input.recipient !== undefined;
  const recipient = input.recipient ?? '';
  let basis: VerdictRules['basis'];
  if (active.version.legalBasis === 'consent') {
    const terms = [...(await findVersionTerms(tx, active.purpose.id))];
    basis = {
      kind: 'consent',
      channelVersionIds: terms
        .filter(([, term]) => covers(active, term.channels, wanted))
        .map(([id]) => id),
      recipientVersionIds: asksRecipient
        ? terms.filter(([, term]) => namesRecipient(term.recipients, recipient)).map(([id]) => id)
        : null,
    };
  } else {
    basis = {
      kind: 'other',
      coversChannel: covers(active, active.version.channels, wanted),
      namesRecipient: !asksRecipient || namesRecipient(active.version.recipients, recipient),
    };
  }
  return {
    active,
    rules: {
      orgId: ctx.orgId,
      purposeId: active.purpose.id,
      now: ctx.now,
      refuseAll,
      suppressionChannels: isAdvertising(active) ? SUPPRESSION_CHANNELS[input.channel] : [],
      basis,
      address: input.address ?? null,
    },
  };
}

function answerOf(active: ActivePurpose, verdict: Verdict): GateAnswer {
  if (verdict.reason !== null) return { allowed: false, reason: verdict.reason as GateRefusal };
  const isConsent = active.version.legalBasis === 'consent';
  return {
    allowed: true,
    basis: isConsent ? 'consent' : active.version.legalBasis,
    consentEntryId: isConsent ? verdict.consentEntryId : null,
  };
}

/**
 * The one outbound check: may this subject's data be used for this purpose on this channel,
 * right now? It reads the committed state every writer shares — erasure, blocks and stops
 * (R-D1, R-S6), the suppression list (R-A3, R-A4) and the consent journal's latest event
 * (R-C6, R-C7, R-A1) — so a withdrawal, a stop or an unsubscribe refuses the very next action.
 * The answer names the consent entry that allowed it.
 *
 * Order of refusals: a special category under advertising (R-C5, a defect of the action itself),
 * erasure, blocks and stops, suppression, then the basis: consent state, channel, recipient.
 * Suppressions apply to advertising purposes only: a reminder sent under a contract or another
 * non-advertising purpose is not stopped by an unsubscribe from marketing mail.
 */
export async function checkOutbound(tx: Tx, ctx: Ctx, input: OutboundInput): Promise<GateAnswer> {
  const answer = (
    await checkOutboundMany(tx, ctx, { ...input, contactIds: [input.contactId] })
  ).get(input.contactId);
  if (!answer) throw new AppError('not_found', 'No such contact');
  return answer;
}

/**
 * The same check for many people in a constant number of queries (whatever their number): the
 * purpose, its versions and one statement judging each of them (`gateVerdicts`). Ids of
 * contacts that do not exist in the organization are left out of the map.
 */
export async function checkOutboundMany(
  tx: Tx,
  ctx: Ctx,
  input: Omit<OutboundInput, 'contactId'> & { contactIds: readonly string[] },
): Promise<Map<string, GateAnswer>> {
  const answers = new Map<string, GateAnswer>();
  if (input.contactIds.length === 0) return answers;
  const { active, rules } = await verdictRules(tx, ctx, input);
  for (const verdict of await findVerdicts(tx, gateVerdicts({ ids: input.contactIds }, rules))) {
    answers.set(verdict.contactId, answerOf(active, verdict));
  }
  return answers;
}
