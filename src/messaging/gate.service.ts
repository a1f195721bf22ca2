import { consentStatesOf } from '../consent/consent.service.ts';
import { activeBlocks, blockCovering } from '../contacts/blocks.service.ts';
import { contactErasure } from '../contacts/contacts.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { AppError } from '../platform/errors.ts';
import { findActivePurposes, findPurposeVersion } from '../purposes/purposes.service.ts';

/** What an outbound action does with the person's data. */
export type OutboundChannel = 'email' | 'sms' | 'call' | 'export' | 'transfer';

export type GateRefusal =
  | 'no_consent'
  | 'consent_withdrawn'
  | 'consent_expired'
  | 'subject_blocked'
  | 'processing_stopped'
  | 'subject_erased'
  | 'channel_not_covered';

export type GateAnswer =
  | { allowed: true; basis: string; consentEntryId: string | null }
  | { allowed: false; reason: GateRefusal };

// Channels a purpose's consent names; an export is judged by the purpose alone.
const PURPOSE_CHANNEL: Record<OutboundChannel, string | null> = {
  email: 'email',
  sms: 'sms',
  call: 'call',
  transfer: 'transfer',
  export: null,
};

/**
 * The one outbound check: may this subject's data be used for this purpose on this channel,
 * right now? It reads the committed state every writer shares — erasure, blocks and stops
 * (R-D1, R-S6), and the consent journal's latest event (R-C6) — so a withdrawal or a stop
 * refuses the very next action. The answer names the consent entry that allowed it.
 */
export async function checkOutbound(
  tx: Tx,
  ctx: Ctx,
  input: { contactId: string; purposeCode: string; channel: OutboundChannel },
): Promise<GateAnswer> {
  const [active] = await findActivePurposes(tx, ctx.publicUrl, [input.purposeCode]);
  if (!active) throw new AppError('not_found', 'No such purpose');
  const contact = await contactErasure(tx, input.contactId);
  if (!contact) throw new AppError('not_found', 'No such contact');
  if (contact.erasedAt) return { allowed: false, reason: 'subject_erased' };
  const block = blockCovering(await activeBlocks(tx, ctx, input.contactId), active.purpose.id);
  if (block) {
    return {
      allowed: false,
      reason: block.kind === 'blocked' ? 'subject_blocked' : 'processing_stopped',
    };
  }
  const wanted = PURPOSE_CHANNEL[input.channel];
  if (active.version.legalBasis !== 'consent') {
    if (wanted && !active.version.channels.includes(wanted)) {
      return { allowed: false, reason: 'channel_not_covered' };
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
  // The consent covers the channels named in the version the person agreed to.
  const agreed = state?.purposeVersionId
    ? await findPurposeVersion(tx, state.purposeVersionId)
    : null;
  const channels = agreed?.channels ?? active.version.channels;
  if (wanted && !channels.includes(wanted))
    return { allowed: false, reason: 'channel_not_covered' };
  return { allowed: true, basis: 'consent', consentEntryId: state?.entryId ?? null };
}
