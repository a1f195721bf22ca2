import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { consentStatesOf, withdrawConsentInTx } from '../consent/consent.service.ts';
import { scheduleChaining } from '../consent/journal.service.ts';
import { contactErasure, readContacts } from '../contacts/contacts.service.ts';
import { orgKeyring, sealField, subjectKeys } from '../keys/keys.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import { safeEqual } from '../platform/crypto.ts';
import type { Db, Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Mailer } from '../platform/mail.ts';
import { findActivePurposes } from '../purposes/purposes.service.ts';
import {
  checkOutbound,
  type GateAnswer,
  type GateRefusal,
  type MessageKind,
} from './gate.service.ts';
import { buildMarketingEmail } from './marketing-email.ts';
import {
  findByProviderId,
  findMessagesOfContact,
  insertOutboundMessage,
  markOutboundMessage,
  type OutboundStatus,
  outboundMessageOrgId,
} from './outbound.repo.ts';
import { errorClass, isHardBounce } from './send-errors.ts';
import type { SmsAccepted, SmsSender } from './sms.ts';
import { assertCan, suppress } from './suppressions.service.ts';
import {
  marketingSmsText,
  readUnsubscribeToken,
  unsubscribeToken,
  unsubscribeUrl,
} from './unsubscribe-token.ts';

export { unsubscribeToken, unsubscribeUrl };

export type SendResult =
  | { id: string; status: 'sent'; consentEntryId: string | null; basis: string; messageId: string }
  | { id: string; status: 'refused'; reason: GateRefusal }
  | { id: string; status: 'failed'; error: string };

type Prepared =
  | { id: string; refused: GateRefusal }
  | { id: string; refused: null; failed: 'no_address' }
  | {
      id: string;
      refused: null;
      failed: null;
      address: string;
      purposeId: string;
      answer: Extract<GateAnswer, { allowed: true }>;
      messageId: string;
    };

function hostOf(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/**
 * Checks the gate and writes the send-log row in one transaction, before anything leaves: a
 * refusal is logged with its reason, an allowed message with the consent entry (or other basis)
 * that allowed it and the recipient sealed under the subject's key.
 */
async function prepare(
  ctx: Ctx,
  input: {
    contactId: string;
    purposeCode: string;
    channel: 'email' | 'sms';
    campaignId?: string | null | undefined;
    dataCategories?: readonly string[] | undefined;
    messageKind?: MessageKind | undefined;
  },
): Promise<Prepared> {
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const [active] = await findActivePurposes(tx, ctx.publicUrl, [input.purposeCode]);
    if (!active) throw new AppError('not_found', 'No such purpose');
    const id = randomUUID();
    const messageId = `<${id}@${hostOf(ctx.publicUrl)}>`;
    const answer = await checkOutbound(tx, ctx, {
      contactId: input.contactId,
      purposeCode: input.purposeCode,
      channel: input.channel,
      ...(input.dataCategories ? { dataCategories: input.dataCategories } : {}),
      ...(input.messageKind ? { messageKind: input.messageKind } : {}),
    });
    const base = {
      id,
      orgId: ctx.orgId,
      contactId: input.contactId,
      channel: input.channel,
      purposeId: active.purpose.id,
      campaignId: input.campaignId ?? null,
      messageKind: input.messageKind ?? ('marketing' as const),
      at: ctx.now,
    };
    if (!answer.allowed) {
      await insertOutboundMessage(tx, {
        ...base,
        basis: null,
        consentEntryId: null,
        gateReason: answer.reason,
        status: 'refused',
        messageId: null,
        provider: null,
        providerId: null,
        recipientEnc: null,
      });
      return { id, refused: answer.reason };
    }
    const contact = (await readContacts(tx, ctx, [input.contactId], 'outbound')).get(
      input.contactId,
    );
    const address = input.channel === 'email' ? contact?.email : contact?.phone;
    const [key] = (await subjectKeys(tx, await orgKeyring(tx, ctx), [input.contactId])).values();
    if (!address || !key) {
      // Allowed, but there is nowhere to send it: logged as failed, nothing leaves.
      await insertOutboundMessage(tx, {
        ...base,
        basis: answer.basis,
        consentEntryId: answer.consentEntryId,
        gateReason: null,
        status: 'failed',
        messageId: null,
        provider: null,
        providerId: null,
        recipientEnc: null,
      });
      await markOutboundMessage(tx, id, { status: 'failed', at: ctx.now, error: 'no_address' });
      return { id, refused: null, failed: 'no_address' as const };
    }
    await insertOutboundMessage(tx, {
      ...base,
      basis: answer.basis,
      consentEntryId: answer.consentEntryId,
      gateReason: null,
      status: 'queued',
      messageId: input.channel === 'email' ? messageId : null,
      provider: null,
      providerId: null,
      recipientEnc: sealField(key, address, `outbound_messages:${id}:recipient`),
    });
    return {
      id,
      refused: null,
      failed: null,
      address,
      purposeId: active.purpose.id,
      answer,
      messageId,
    };
  });
}

async function finish(
  ctx: Ctx,
  id: string,
  change: { status: OutboundStatus; error?: string | null; accepted?: SmsAccepted },
): Promise<void> {
  await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    markOutboundMessage(tx, id, {
      status: change.status,
      at: ctx.now,
      error: change.error ?? null,
      provider: change.accepted?.provider ?? null,
      providerId: change.accepted?.providerId ?? null,
    }),
  );
}

/**
 * Sends one marketing email (R-C7, R-A1, R-E1): the gate first, the send-log row committed, then
 * SMTP with the RFC 8058 headers; the row becomes 'sent' or 'failed'. A refused send is logged
 * with its reason and nothing leaves.
 */
export async function sendMarketingEmail(
  ctx: Ctx,
  mailer: Mailer,
  input: {
    contactId: string;
    purposeCode: string;
    subject: string;
    text: string;
    from?: string | undefined;
    campaignId?: string | null | undefined;
    dataCategories?: readonly string[] | undefined;
  },
): Promise<SendResult> {
  if (!mailer.isConfigured) {
    throw new AppError('rule_violated', 'Mail is not configured (SMTP_URL)', {
      details: { rule: 'mail_not_configured' },
    });
  }
  const prepared = await prepare(ctx, { ...input, channel: 'email' });
  if (prepared.refused) return { id: prepared.id, status: 'refused', reason: prepared.refused };
  if (prepared.failed) return { id: prepared.id, status: 'failed', error: prepared.failed };
  const message = buildMarketingEmail({
    keys: ctx.keys,
    publicUrl: ctx.publicUrl,
    orgId: ctx.orgId,
    contactId: input.contactId,
    purposeId: prepared.purposeId,
    to: prepared.address,
    from: input.from,
    subject: input.subject,
    text: input.text,
    messageId: prepared.messageId,
  });
  try {
    await mailer.send(message);
  } catch (error) {
    await finish(ctx, prepared.id, { status: 'failed', error: errorClass(error) });
    if (isHardBounce(error)) await suppressBounced(ctx, input.contactId);
    return { id: prepared.id, status: 'failed', error: errorClass(error) };
  }
  await finish(ctx, prepared.id, { status: 'sent' });
  return {
    id: prepared.id,
    status: 'sent',
    consentEntryId: prepared.answer.consentEntryId,
    basis: prepared.answer.basis,
    messageId: prepared.messageId,
  };
}

/** A hard bounce suppresses the address for email (R-E2); the next send is refused. */
async function suppressBounced(ctx: Ctx, contactId: string): Promise<void> {
  await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    suppress(tx, ctx, { contactId, channel: 'email', reason: 'bounced', source: 'smtp' }),
  );
}

/**
 * Sends one marketing SMS (126-FZ Art. 44.1, R-A3): gated and logged like email; the provider's
 * message id is kept so its delivery and "subscriber refused" callbacks find the row.
 */
export async function sendMarketingSms(
  ctx: Ctx,
  sms: SmsSender,
  input: {
    contactId: string;
    purposeCode: string;
    text: string;
    campaignId?: string | null | undefined;
    dataCategories?: readonly string[] | undefined;
  },
): Promise<SendResult> {
  if (!sms.isConfigured) {
    throw new AppError('rule_violated', 'SMS is not configured', {
      details: { rule: 'sms_not_configured' },
    });
  }
  const prepared = await prepare(ctx, { ...input, channel: 'sms' });
  if (prepared.refused) return { id: prepared.id, status: 'refused', reason: prepared.refused };
  if (prepared.failed) return { id: prepared.id, status: 'failed', error: prepared.failed };
  const message = {
    to: prepared.address,
    text: marketingSmsText({
      publicUrl: ctx.publicUrl,
      keys: ctx.keys,
      orgId: ctx.orgId,
      contactId: input.contactId,
      purposeId: prepared.purposeId,
      text: input.text,
    }),
  };
  let accepted: SmsAccepted;
  try {
    if (sms.deliver) accepted = await sms.deliver(message);
    else {
      await sms.send(message);
      accepted = { provider: 'webhook', providerId: null };
    }
  } catch (error) {
    await finish(ctx, prepared.id, { status: 'failed', error: errorClass(error) });
    return { id: prepared.id, status: 'failed', error: errorClass(error) };
  }
  await finish(ctx, prepared.id, { status: 'sent', accepted });
  return {
    id: prepared.id,
    status: 'sent',
    consentEntryId: prepared.answer.consentEntryId,
    basis: prepared.answer.basis,
    messageId: prepared.messageId,
  };
}

/**
 * Sends one service message about the person's own contract — an appointment reminder — by
 * email or SMS. The gate judges it as a service message: the purpose must rest on the contract
 * or medical care and not be advertising (`not_a_service_purpose`), no advertising consent is
 * asked and a marketing opt-out does not stop it; erasure, blocks and stops of processing do.
 * It carries no unsubscribe link (it is not a mailing) and is logged with `message_kind =
 * 'service'` and the basis that allowed it.
 */
export async function sendServiceMessage(
  ctx: Ctx,
  senders: { mailer?: Mailer | undefined; sms?: SmsSender | undefined },
  input: {
    contactId: string;
    purposeCode: string;
    channel: 'email' | 'sms';
    subject: string;
    text: string;
  },
): Promise<SendResult> {
  const mailer = senders.mailer;
  const sms = senders.sms;
  const isConfigured = input.channel === 'email' ? mailer?.isConfigured : sms?.isConfigured;
  if (!isConfigured) {
    throw new AppError('rule_violated', `${input.channel} is not configured`, {
      details: { rule: input.channel === 'email' ? 'mail_not_configured' : 'sms_not_configured' },
    });
  }
  const prepared = await prepare(ctx, { ...input, messageKind: 'service' });
  if (prepared.refused) return { id: prepared.id, status: 'refused', reason: prepared.refused };
  if (prepared.failed) return { id: prepared.id, status: 'failed', error: prepared.failed };
  let accepted: SmsAccepted | undefined;
  try {
    if (input.channel === 'email' && mailer) {
      await mailer.send({
        to: prepared.address,
        subject: input.subject,
        text: input.text,
        headers: { 'Message-ID': prepared.messageId },
      });
    } else if (sms) {
      const message = { to: prepared.address, text: input.text };
      if (sms.deliver) accepted = await sms.deliver(message);
      else {
        await sms.send(message);
        accepted = { provider: 'webhook', providerId: null };
      }
    }
  } catch (error) {
    await finish(ctx, prepared.id, { status: 'failed', error: errorClass(error) });
    return { id: prepared.id, status: 'failed', error: errorClass(error) };
  }
  await finish(ctx, prepared.id, { status: 'sent', ...(accepted ? { accepted } : {}) });
  return {
    id: prepared.id,
    status: 'sent',
    consentEntryId: prepared.answer.consentEntryId,
    basis: prepared.answer.basis,
    messageId: prepared.messageId,
  };
}

export type UnsubscribeDeps = { db: Db; keys: Keys; publicUrl: string; now: Date };

/**
 * The one-click opt-out (R-A4, R-C7, RFC 8058): the suppression and the withdrawal of the
 * advertising consent for that purpose commit in one transaction before the caller answers, so
 * the very next send is refused. Replays change nothing and answer the same.
 */
export async function unsubscribe(
  deps: UnsubscribeDeps,
  token: string,
  input: { via: 'one_click' | 'page'; requestId: string | null },
): Promise<{ isNew: boolean; channel: 'email' | 'sms' }> {
  const target = readUnsubscribeToken(deps.keys, token);
  if (!target) throw new AppError('not_found', 'No such unsubscribe link');
  const ctx = systemCtx(
    { db: deps.db, keys: deps.keys, publicUrl: deps.publicUrl },
    {
      orgId: target.orgId,
      now: deps.now,
      requestId: input.requestId,
      route: '/u/:token',
      actor: { type: 'system', label: 'unsubscribe' },
    },
  );
  const result = await withTx(deps.db, { orgId: target.orgId }, async (tx) => {
    const contact = await contactErasure(tx, target.contactId);
    if (!contact) throw new AppError('not_found', 'No such unsubscribe link');
    const suppressed = await suppress(tx, ctx, {
      contactId: target.contactId,
      channel: target.channel,
      reason: 'unsubscribed',
      source: input.via === 'one_click' ? 'list_unsubscribe_post' : 'unsubscribe_page',
    });
    if (contact.erasedAt) return { isNew: suppressed.isNew, withdrawn: false };
    const state = (await consentStatesOf(tx, ctx, target.contactId)).find(
      (candidate) => candidate.purposeId === target.purposeId,
    );
    // Only an advertising consent is withdrawn by a mailing opt-out; a given one, once.
    if (state?.kind !== 'advertising' || state.state === 'none') {
      return { isNew: suppressed.isNew, withdrawn: false };
    }
    const withdrawn = await withdrawConsentInTx(tx, ctx, {
      contactId: target.contactId,
      purposeId: target.purposeId,
      channel: 'email',
      evidence: { note: `unsubscribe:${input.via}:${target.channel}` },
    });
    return { isNew: suppressed.isNew || withdrawn.isNew, withdrawn: withdrawn.isNew };
  });
  if (result.withdrawn) void scheduleChaining(deps.db, target.orgId);
  return { isNew: result.isNew, channel: target.channel };
}

/** What an SMS provider's status callback reports, in our terms. */
export type ProviderStatus = 'delivered' | 'failed' | 'provider_refused' | 'pending';

/**
 * SMSC.ru status codes (callback `status`): 1 delivered; 3 expired, 20 undeliverable,
 * 22 wrong number, 24 no funds, 25 unavailable number → failed; 23 prohibited (the subscriber
 * refused mailings through the operator, 126-FZ Art. 44.1 p.1.1) → provider_refused; the rest
 * (queued, sent to the operator) → pending. A webhook provider sends the words themselves.
 */
export function mapProviderStatus(provider: string, status: string): ProviderStatus {
  const value = status.trim().toLowerCase();
  if (provider === 'smsc') {
    switch (value) {
      case '1':
        return 'delivered';
      case '23':
        return 'provider_refused';
      case '3':
      case '20':
      case '22':
      case '24':
      case '25':
        return 'failed';
      default:
        return 'pending';
    }
  }
  if (value === 'delivered') return 'delivered';
  if (value === 'refused' || value === 'subscriber_refused' || value === 'provider_refused') {
    return 'provider_refused';
  }
  if (value === 'failed' || value === 'undeliverable' || value === 'expired') return 'failed';
  return 'pending';
}

export const SMS_PROVIDERS = ['smsc', 'webhook'] as const;

/**
 * A provider's delivery-status callback (R-A3): the secret is checked, the message found by the
 * provider's id, its status set; "subscriber refused" also suppresses the contact for SMS.
 * Idempotent: a replay sets the same status and finds the suppression already there.
 */
export async function handleSmsCallback(
  deps: { db: Db; keys: Keys; publicUrl: string; now: Date; secret: string | undefined },
  input: {
    provider: string;
    presentedSecret: string | null;
    providerId: string;
    status: string;
    requestId: string | null;
  },
): Promise<{ status: ProviderStatus; changed: boolean }> {
  if (!deps.secret || !input.presentedSecret || !safeEqual(deps.secret, input.presentedSecret)) {
    throw new AppError('unauthenticated', 'Wrong or missing callback secret');
  }
  const mapped = mapProviderStatus(input.provider, input.status);
  const orgId = await withTx(deps.db, { orgId: null }, (tx) =>
    outboundMessageOrgId(tx, input.provider, input.providerId),
  );
  if (!orgId) throw new AppError('not_found', 'No such message');
  const ctx = systemCtx(deps, {
    orgId,
    now: deps.now,
    requestId: input.requestId,
    route: '/hooks/sms/:provider',
    actor: { type: 'system', label: `sms:${input.provider}` },
  });
  const changed = await withTx(deps.db, { orgId }, async (tx) => {
    const message = await findByProviderId(tx, input.provider, input.providerId);
    if (!message) throw new AppError('not_found', 'No such message');
    if (mapped === 'pending' || message.status === mapped) {
      if (mapped === 'provider_refused') await suppressRefused(tx, ctx, message.contactId, input);
      return false;
    }
    await markOutboundMessage(tx, message.id, { status: mapped, at: deps.now });
    if (mapped === 'provider_refused') await suppressRefused(tx, ctx, message.contactId, input);
    await recordAudit(tx, ctx, {
      action: 'outbound.status',
      entityType: 'outbound_message',
      entityId: message.id,
      details: { provider: input.provider, status: mapped },
    });
    return true;
  });
  return { status: mapped, changed };
}

async function suppressRefused(
  tx: Tx,
  ctx: Ctx,
  contactId: string,
  input: { provider: string },
): Promise<void> {
  await suppress(tx, ctx, {
    contactId,
    channel: 'sms',
    reason: 'provider_refused',
    source: `sms:${input.provider}`,
  });
}

const PANEL_CHANNELS = ['email', 'sms', 'call'] as const;

export type TOutboundOption = {
  purposeCode: string;
  purposeTitle: string;
  kind: string;
  legalBasis: string;
  channel: (typeof PANEL_CHANNELS)[number];
  allowed: boolean;
  reason: GateRefusal | null;
  basis: string | null;
  consentEntryId: string | null;
};

/**
 * What may be sent to this person, for each active purpose and channel, and why: the contact
 * card's panel. It asks the same gate as every send, so it cannot disagree with one.
 */
export async function outboundOptionsOf(
  ctx: Ctx,
  contactId: string,
): Promise<{
  options: TOutboundOption[];
  recent: Awaited<ReturnType<typeof findMessagesOfContact>>;
}> {
  assertCan(ctx, 'messaging.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await contactErasure(tx, contactId))) {
      throw new AppError('not_found', 'No such contact');
    }
    const options: TOutboundOption[] = [];
    for (const { purpose, version } of await findActivePurposes(tx, ctx.publicUrl)) {
      if (purpose.archivedAt) continue;
      for (const channel of PANEL_CHANNELS) {
        const answer = await checkOutbound(tx, ctx, {
          contactId,
          purposeCode: purpose.code,
          channel,
        });
        options.push({
          purposeCode: purpose.code,
          purposeTitle: version.title,
          kind: purpose.kind,
          legalBasis: version.legalBasis,
          channel,
          allowed: answer.allowed,
          reason: answer.allowed ? null : answer.reason,
          basis: answer.allowed ? answer.basis : null,
          consentEntryId: answer.allowed ? answer.consentEntryId : null,
        });
      }
    }
    return { options, recent: await findMessagesOfContact(tx, contactId, 20) };
  });
}
