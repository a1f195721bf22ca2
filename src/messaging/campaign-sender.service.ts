import { randomUUID } from 'node:crypto';
import { readContacts } from '../contacts/contacts.service.ts';
import { orgKeyring, sealField, subjectKeys } from '../keys/keys.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import type { Db } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import type { Logger } from '../platform/log.ts';
import type { Mailer } from '../platform/mail.ts';
import {
  type CampaignMessageRow,
  type CampaignRecord,
  type ClaimedRecipient,
  claimRecipients,
  findCampaignById,
  findSendingCampaigns,
  hasUnfinishedRecipients,
  insertCampaignMessages,
  markRecipientFailed,
  markRecipientSent,
  markRecipientsSkipped,
  releaseRecipients,
  sendingCampaignOrgs,
  setCampaignStatus,
} from './campaigns.repo.ts';
import { checkOutboundMany } from './gate.service.ts';
import { buildMarketingEmail } from './marketing-email.ts';
import { errorClass, isHardBounce } from './send-errors.ts';
import type { SmsAccepted, SmsSender } from './sms.ts';
import { suppress } from './suppressions.service.ts';
import { marketingSmsText } from './unsubscribe-token.ts';

export type CampaignSenderDeps = {
  db: Db;
  keys: Keys;
  publicUrl: string;
  logger: Logger;
  mailer?: Mailer | undefined;
  sms?: SmsSender | undefined;
};

export type CampaignSendOptions = {
  /** How often the job runs: each run sends at most rate × interval per campaign. */
  intervalMs?: number;
  /** Largest batch claimed at once (also the bound on resends after a crash). */
  maxBatch?: number;
  /** Messages in flight at once within a batch. */
  concurrency?: number;
  /** How long a claimed batch is held before another sender may take it over. */
  leaseSeconds?: number;
  onlyOrgId?: string;
};

export const CAMPAIGN_JOB_INTERVAL_MS = 5_000;
const DEFAULT_MAX_BATCH = 500;
const DEFAULT_CONCURRENCY = 8;
const DEFAULT_LEASE_SECONDS = 30;
const MAX_ATTEMPTS = 3;

/**
 * The Message-ID of one campaign message, derived from campaign and recipient only: a resend
 * after a crash (the SMTP server accepted, the process died before recording it) carries the
 * same id, so the duplicate is recognizable by the receiving side and in the send log.
 */
export function campaignMessageId(campaignId: string, recipientId: string, domain: string) {
  return `<${campaignId}.${recipientId}@${domain}>`;
}

/** {{name}} becomes the recipient's name (or nothing when there is none). */
export function renderCampaignText(template: string, values: { name: string | null }): string {
  return template.replaceAll(/\{\{\s*name\s*\}\}/g, values.name ?? '').replaceAll(/ +,/g, ',');
}

function senderCtx(deps: CampaignSenderDeps, orgId: string, now: Date): Ctx {
  return {
    db: deps.db,
    keys: deps.keys,
    orgId,
    actor: { type: 'system', label: 'campaigns' },
    role: 'owner',
    now,
    requestId: null,
    route: 'job:campaigns.send',
    publicUrl: deps.publicUrl,
  };
}

/**
 * Sends what launched campaigns have pending, throttled per campaign: the scheduled job.
 * Every batch is claimed with a lease (FOR UPDATE SKIP LOCKED), checked against the gate
 * again (an unsubscribe or withdrawal during the campaign holds for the rest of it, R-C7),
 * and each message is marked sent right after the transport accepted it. A process killed
 * mid-batch leaves its claimed rows to be taken over when the lease runs out: nothing is
 * lost, and only a message accepted just before the crash can go twice, with the same
 * Message-ID.
 */
export async function sendCampaigns(
  deps: CampaignSenderDeps,
  clock: () => Date,
  options: CampaignSendOptions = {},
): Promise<{ sent: number; skipped: number; failed: number }> {
  const totals = { sent: 0, skipped: 0, failed: 0 };
  const orgIds = options.onlyOrgId
    ? [options.onlyOrgId]
    : await withTx(deps.db, { orgId: null }, (tx) => sendingCampaignOrgs(tx));
  for (const orgId of orgIds) {
    const campaigns = await withTx(deps.db, { orgId }, (tx) => findSendingCampaigns(tx));
    for (const campaign of campaigns) {
      const result = await sendCampaignTick(deps, clock, orgId, campaign, options);
      totals.sent += result.sent;
      totals.skipped += result.skipped;
      totals.failed += result.failed;
    }
  }
  return totals;
}

async function sendCampaignTick(
  deps: CampaignSenderDeps,
  clock: () => Date,
  orgId: string,
  campaign: CampaignRecord,
  options: CampaignSendOptions,
) {
  const totals = { sent: 0, skipped: 0, failed: 0 };
  const transportReady =
    campaign.channel === 'email' ? deps.mailer?.isConfigured : deps.sms?.isConfigured;
  if (!transportReady) {
    deps.logger.warn(
      { orgId, campaignId: campaign.id, channel: campaign.channel },
      'campaign waits: no transport configured for its channel',
    );
    return totals;
  }
  const intervalMs = options.intervalMs ?? CAMPAIGN_JOB_INTERVAL_MS;
  let budget = Math.max(1, Math.ceil((campaign.ratePerMinute * intervalMs) / 60_000));
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  while (budget > 0) {
    const claimed = await withTx(deps.db, { orgId }, (tx) =>
      claimRecipients(tx, {
        campaignId: campaign.id,
        limit: Math.min(budget, maxBatch),
        leaseSeconds: options.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
      }),
    );
    if (claimed.length === 0) break;
    budget -= claimed.length;
    const result = await sendBatch(deps, clock, orgId, campaign, claimed, options);
    totals.sent += result.sent;
    totals.skipped += result.skipped;
    totals.failed += result.failed;
    if (result.isStopped) return totals;
  }
  await withTx(deps.db, { orgId }, async (tx) => {
    if (await hasUnfinishedRecipients(tx, campaign.id)) return;
    await setCampaignStatus(tx, {
      id: campaign.id,
      from: ['sending'],
      to: 'completed',
      at: clock(),
    });
  });
  return totals;
}

type Prepared = {
  recipient: ClaimedRecipient;
  address: string;
  name: string | null;
  subjectKey: Buffer;
  basis: string;
  consentEntryId: string | null;
};

async function sendBatch(
  deps: CampaignSenderDeps,
  clock: () => Date,
  orgId: string,
  campaign: CampaignRecord,
  claimed: ClaimedRecipient[],
  options: CampaignSendOptions,
): Promise<{ sent: number; skipped: number; failed: number; isStopped: boolean }> {
  const domain = new URL(deps.publicUrl).hostname || 'localhost';
  // The gate again, for the whole batch, on the state committed now.
  const prepared = await withTx(deps.db, { orgId }, async (tx) => {
    const ctx = senderCtx(deps, orgId, clock());
    const current = await findCampaignById(tx, campaign.id);
    if (current?.status !== 'sending') {
      await releaseRecipients(
        tx,
        claimed.map((row) => row.id),
      );
      return null;
    }
    const answers = await checkOutboundMany(tx, ctx, {
      contactIds: claimed.map((row) => row.contactId),
      purposeCode: campaign.purposeCode,
      channel: campaign.channel,
    });
    const allowed = claimed.filter((row) => answers.get(row.contactId)?.allowed);
    const contacts = await readContacts(
      tx,
      ctx,
      allowed.map((row) => row.contactId),
      'campaign_send',
    );
    const keys = await subjectKeys(
      tx,
      await orgKeyring(tx, ctx),
      allowed.map((row) => row.contactId),
    );
    const skipped: { id: string; reason: string }[] = [];
    const refusedLog: CampaignMessageRow[] = [];
    const ready: Prepared[] = [];
    for (const recipient of claimed) {
      const answer = answers.get(recipient.contactId);
      const contact = contacts.get(recipient.contactId);
      const key = keys.get(recipient.contactId);
      const address = campaign.channel === 'email' ? contact?.email : contact?.phone;
      let reason: string | null = null;
      if (!answer) reason = 'no_consent';
      else if (!answer.allowed) reason = answer.reason;
      else if (!address || !key) reason = 'recipient_not_named';
      if (reason || !answer?.allowed || !address || !key) {
        skipped.push({ id: recipient.id, reason: reason ?? 'recipient_not_named' });
        refusedLog.push({
          id: randomUUID(),
          orgId,
          contactId: recipient.contactId,
          channel: campaign.channel,
          purposeId: campaign.purposeId,
          campaignId: campaign.id,
          basis: null,
          consentEntryId: null,
          gateReason: reason ?? 'recipient_not_named',
          status: 'refused',
          messageId: null,
          recipientEnc: null,
          lastError: null,
          at: ctx.now,
        });
        continue;
      }
      ready.push({
        recipient,
        address,
        name: contact?.name ?? null,
        subjectKey: key,
        basis: answer.basis,
        consentEntryId: answer.consentEntryId,
      });
    }
    await markRecipientsSkipped(tx, skipped);
    await insertCampaignMessages(tx, refusedLog);
    return { ready, skipped: skipped.length };
  });
  if (!prepared) return { sent: 0, skipped: 0, failed: 0, isStopped: true };

  let sent = 0;
  let failed = 0;
  const queue = [...prepared.ready];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const messageId = campaignMessageId(campaign.id, item.recipient.id, domain);
      const text = renderCampaignText(campaign.body, { name: item.name });
      let accepted: SmsAccepted | null = null;
      try {
        if (campaign.channel === 'email') {
          // A marketing message: one-click unsubscribe headers and link (R-A4, R-E1).
          const { unsubscribeUrl: _url, ...mail } = buildMarketingEmail({
            keys: deps.keys,
            publicUrl: deps.publicUrl,
            orgId,
            contactId: item.recipient.contactId,
            purposeId: campaign.purposeId,
            to: item.address,
            subject: renderCampaignText(campaign.subject ?? '', { name: item.name }),
            text,
            messageId,
          });
          await deps.mailer?.send(mail);
        } else {
          // An advertising SMS carries its opt-out link too (R-A4).
          const sms = {
            to: item.address,
            text: marketingSmsText({
              publicUrl: deps.publicUrl,
              keys: deps.keys,
              orgId,
              contactId: item.recipient.contactId,
              purposeId: campaign.purposeId,
              text,
            }),
          };
          if (deps.sms?.deliver) accepted = await deps.sms.deliver(sms);
          else await deps.sms?.send(sms);
        }
      } catch (error) {
        // A hard bounce is final at once and suppresses the address (R-E2); others are retried.
        const isBounce = campaign.channel === 'email' && isHardBounce(error);
        const isFinal = isBounce || item.recipient.attempts >= MAX_ATTEMPTS;
        await withTx(deps.db, { orgId }, async (tx) => {
          await markRecipientFailed(tx, {
            id: item.recipient.id,
            isFinal,
            error: errorClass(error),
          });
          if (isFinal) {
            await insertCampaignMessages(tx, [
              logRow(item, 'failed', messageId, errorClass(error)),
            ]);
          }
          if (isBounce) {
            await suppress(tx, senderCtx(deps, orgId, clock()), {
              contactId: item.recipient.contactId,
              channel: 'email',
              reason: 'bounced',
              source: 'smtp',
            });
          }
        });
        deps.logger.warn(
          { orgId, campaignId: campaign.id, attempts: item.recipient.attempts },
          'campaign message not sent',
        );
        failed += 1;
        continue;
      }
      // Recorded right after acceptance: a crash before this line is the only way to a resend.
      await withTx(deps.db, { orgId }, async (tx) => {
        await markRecipientSent(tx, { id: item.recipient.id, messageId, at: clock() });
        await insertCampaignMessages(tx, [logRow(item, 'sent', messageId, null, accepted)]);
      });
      sent += 1;
    }
  };
  const logRow = (
    item: Prepared,
    status: 'sent' | 'failed',
    messageId: string,
    error: string | null,
    accepted: SmsAccepted | null = null,
  ): CampaignMessageRow => {
    const id = randomUUID();
    return {
      id,
      orgId,
      contactId: item.recipient.contactId,
      channel: campaign.channel,
      purposeId: campaign.purposeId,
      campaignId: campaign.id,
      basis: item.basis,
      consentEntryId: item.consentEntryId,
      gateReason: null,
      status,
      messageId: campaign.channel === 'email' ? messageId : null,
      provider: accepted?.provider ?? null,
      providerId: accepted?.providerId ?? null,
      recipientEnc: sealField(item.subjectKey, item.address, `outbound_messages:${id}:recipient`),
      lastError: error,
      at: clock(),
    };
  };
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return { sent, skipped: prepared.skipped, failed, isStopped: false };
}
