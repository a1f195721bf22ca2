import { consentStatesOf } from '../consent/consent.service.ts';
import { activeBlocks, blockCovering } from '../contacts/blocks.service.ts';
import { contactErasure } from '../contacts/contacts.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import type { SqlFragment } from '../platform/db/sql.ts';
import { AppError } from '../platform/errors.ts';
import {
  type ActivePurpose,
  findActivePurposes,
  findPurposeVersion,
} from '../purposes/purposes.service.ts';
import { findGateFacts, findVersionTerms } from './gate.repo.ts';
import { suppressionCovering, suppressionsOf } from './suppressions.service.ts';

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
};

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
  const active = await activePurposeOf(tx, ctx, input.purposeCode);
  const contact = await contactErasure(tx, input.contactId);
  if (!contact) throw new AppError('not_found', 'No such contact');
  if (isAdvertising(active) && (await usesSpecial(tx, ctx, input))) {
    return { allowed: false, reason: 'special_category_for_marketing' };
  }
  if (contact.erasedAt) return { allowed: false, reason: 'subject_erased' };
  const block = blockCovering(await activeBlocks(tx, ctx, input.contactId), active.purpose.id);
  if (block) {
    return {
      allowed: false,
      reason: block.kind === 'blocked' ? 'subject_blocked' : 'processing_stopped',
    };
  }
  if (isAdvertising(active) && SUPPRESSION_CHANNELS[input.channel].length > 0) {
    const rows = (await suppressionsOf(tx, [input.contactId])).get(input.contactId) ?? [];
    const covering = suppressionCovering(rows, input.channel);
    if (covering && SUPPRESSION_CHANNELS[input.channel].includes(covering.channel)) {
      return { allowed: false, reason: 'suppressed' };
    }
  }
  const wanted = PURPOSE_CHANNEL[input.channel];
  if (active.version.legalBasis !== 'consent') {
    if (!covers(active, active.version.channels, wanted)) {
      return { allowed: false, reason: 'channel_not_covered' };
    }
    if (input.channel === 'transfer' && input.recipient !== undefined) {
      if (!namesRecipient(active.version.recipients, input.recipient)) {
        return { allowed: false, reason: 'recipient_not_named' };
      }
    }
    return { allowed: true, basis: active.version.legalBasis, consentEntryId: null };
  }
  const state = (await consentStatesOf(tx, ctx, input.contactId)).find(
    (candidate) => candidate.purposeId === active.purpose.id,
  );
  switch (state?.state ?? 'none') {
    case 'none':
      return { allowed: false, reason: 'no_consent' };
    case 'withdrawn':
      return { allowed: false, reason: 'consent_withdrawn' };
    case 'expired':
      return { allowed: false, reason: 'consent_expired' };
    default:
      break;
  }
  // The consent covers the channels and recipients named in the version the person agreed to.
  const agreed = state?.purposeVersionId
    ? await findPurposeVersion(tx, state.purposeVersionId)
    : null;
  const channels = agreed?.channels ?? active.version.channels;
  if (!covers(active, channels, wanted)) return { allowed: false, reason: 'channel_not_covered' };
  if (input.channel === 'transfer' && input.recipient !== undefined) {
    const recipients = agreed?.recipients ?? active.version.recipients;
    if (!namesRecipient(recipients, input.recipient)) {
      return { allowed: false, reason: 'recipient_not_named' };
    }
  }
  return { allowed: true, basis: 'consent', consentEntryId: state?.entryId ?? null };
}

/**
 * The same check for a whole audience in a constant number of queries (whatever its size):
 * the purpose, its versions and one statement reading erasure, blocks, suppressions and the
 * latest journal event of every contact. Answers agree with checkOutbound for each contact;
 * ids of contacts that do not exist in the organization are left out of the map.
 */
export async function checkOutboundMany(
  tx: Tx,
  ctx: Ctx,
  input: Omit<OutboundInput, 'contactId'> & {
    /**
     * The audience: ids, or for a large one a query selecting a column `id` (a segment's own
     * query), so the ids never travel to the application and back.
     */
    contactIds: readonly string[] | SqlFragment;
  },
): Promise<Map<string, GateAnswer>> {
  const active = await activePurposeOf(tx, ctx, input.purposeCode);
  const answers = new Map<string, GateAnswer>();
  const facts = await findGateFacts(tx, {
    orgId: ctx.orgId,
    contactIds: input.contactIds,
    purposeId: active.purpose.id,
    suppressionChannels: isAdvertising(active) ? SUPPRESSION_CHANNELS[input.channel] : [],
  });
  if (facts.length === 0) return answers;
  if (
    isAdvertising(active) &&
    (await usesSpecial(tx, ctx, {
      contactId: '',
      purposeCode: input.purposeCode,
      channel: input.channel,
      ...(input.dataCategories ? { dataCategories: input.dataCategories } : {}),
      ...(input.usesSpecialCategory ? { usesSpecialCategory: true } : {}),
    }))
  ) {
    for (const fact of facts) {
      answers.set(fact.contactId, { allowed: false, reason: 'special_category_for_marketing' });
    }
    return answers;
  }
  const wanted = PURPOSE_CHANNEL[input.channel];
  const isConsent = active.version.legalBasis === 'consent';
  const terms = isConsent ? await findVersionTerms(tx, active.purpose.id) : new Map();
  const now = ctx.now.getTime();
  for (const fact of facts) {
    answers.set(fact.contactId, judge(fact));
  }
  return answers;

  function judge(fact: (typeof facts)[number]): GateAnswer {
    if (fact.erased) return { allowed: false, reason: 'subject_erased' };
    if (fact.block === 'blocked') return { allowed: false, reason: 'subject_blocked' };
    if (fact.block === 'stopped') return { allowed: false, reason: 'processing_stopped' };
    if (fact.suppressed) return { allowed: false, reason: 'suppressed' };
    if (!isConsent) {
      if (!covers(active, active.version.channels, wanted)) {
        return { allowed: false, reason: 'channel_not_covered' };
      }
      if (input.channel === 'transfer' && input.recipient !== undefined) {
        if (!namesRecipient(active.version.recipients, input.recipient)) {
          return { allowed: false, reason: 'recipient_not_named' };
        }
      }
      return { allowed: true, basis: active.version.legalBasis, consentEntryId: null };
    }
    switch (fact.event) {
      case null:
        return { allowed: false, reason: 'no_consent' };
      case 'withdrawn':
        return { allowed: false, reason: 'consent_withdrawn' };
      case 'expired':
        return { allowed: false, reason: 'consent_expired' };
      default:
        if (fact.expiresAt && fact.expiresAt.getTime() <= now) {
          return { allowed: false, reason: 'consent_expired' };
        }
    }
    const agreed = fact.purposeVersionId ? terms.get(fact.purposeVersionId) : undefined;
    const channels: string[] = agreed?.channels ?? active.version.channels;
    if (!covers(active, channels, wanted)) {
      return { allowed: false, reason: 'channel_not_covered' };
    }
    if (input.channel === 'transfer' && input.recipient !== undefined) {
      if (!namesRecipient(agreed?.recipients ?? active.version.recipients, input.recipient)) {
        return { allowed: false, reason: 'recipient_not_named' };
      }
    }
    return { allowed: true, basis: 'consent', consentEntryId: fact.entryId };
  }
}
