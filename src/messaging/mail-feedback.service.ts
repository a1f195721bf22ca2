import { recordAudit } from '../access-log/access-log.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import { safeEqual } from '../platform/crypto.ts';
import type { Db } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import {
  countMailFeedback,
  findEmailByMessageId,
  insertMailFeedback,
  messageOrgByMessageId,
} from './mail-feedback.repo.ts';
import { assertCan, suppress } from './suppressions.service.ts';

export type MailFeedbackKind = 'complaint' | 'bounce';

/** A Message-ID as stored: in angle brackets, as the header carries it. */
export function normalizeMessageId(value: string): string {
  const bare = value.trim().replace(/^<+/, '').replace(/>+$/, '');
  return `<${bare}>`;
}

/**
 * A complaint (a feedback-loop report: the person marked the mail as spam) or an asynchronous
 * bounce reported for a sent message, by Message-ID (R-E2). The report is kept once per message
 * and kind, and the address is suppressed for email — `complaint` or `bounced` — so the very next
 * send is refused. Replays change nothing and answer the same.
 */
export async function handleMailFeedback(
  deps: { db: Db; keys: Keys; publicUrl: string; now: Date; secret: string | undefined },
  input: {
    presentedSecret: string | null;
    kind: MailFeedbackKind;
    messageId: string;
    source: string;
    requestId: string | null;
  },
): Promise<{ recorded: boolean }> {
  if (!deps.secret || !input.presentedSecret || !safeEqual(deps.secret, input.presentedSecret)) {
    throw new AppError('unauthenticated', 'Wrong or missing feedback secret');
  }
  const messageId = normalizeMessageId(input.messageId);
  const orgId = await withTx(deps.db, { orgId: null }, (tx) =>
    messageOrgByMessageId(tx, messageId),
  );
  if (!orgId) throw new AppError('not_found', 'No such message');
  const ctx = systemCtx(deps, {
    orgId,
    now: deps.now,
    requestId: input.requestId,
    route: '/hooks/mail/feedback',
    actor: { type: 'system', label: `mail:${input.source}` },
  });
  return withTx(deps.db, { orgId }, async (tx) => {
    const message = await findEmailByMessageId(tx, messageId);
    if (!message) throw new AppError('not_found', 'No such message');
    const recorded = await insertMailFeedback(tx, {
      orgId,
      outboundMessageId: message.id,
      contactId: message.contactId,
      kind: input.kind,
      source: input.source,
      at: deps.now,
    });
    await suppress(tx, ctx, {
      contactId: message.contactId,
      channel: 'email',
      reason: input.kind === 'complaint' ? 'complaint' : 'bounced',
      source: `mail:${input.source}`,
    });
    if (recorded) {
      await recordAudit(tx, ctx, {
        action: 'outbound.feedback',
        entityType: 'outbound_message',
        entityId: message.id,
        details: { kind: input.kind, source: input.source },
      });
    }
    return { recorded };
  });
}

/** Google and Yahoo: keep spam complaints under 0.3 %, aim for under 0.1 % (R-E2). */
export const COMPLAINT_RATE_LIMIT = 0.003;
export const COMPLAINT_RATE_TARGET = 0.001;
export const COMPLAINT_WINDOW_DAYS = 30;

export type ComplaintReport = {
  windowDays: number;
  sent: number;
  complaints: number;
  bounces: number;
  /** Complaints per email sent in the window; null when nothing was sent. */
  complaintRate: number | null;
  level: 'ok' | 'warning' | 'error';
};

/** The organization's email complaint rate over the last 30 days, judged against R-E2. */
export async function complaintReport(ctx: Ctx): Promise<ComplaintReport> {
  assertCan(ctx, 'messaging.read');
  const since = new Date(ctx.now.getTime() - COMPLAINT_WINDOW_DAYS * 86_400_000);
  const counts = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => countMailFeedback(tx, since));
  const rate = counts.sent > 0 ? counts.complaints / counts.sent : null;
  const level =
    rate === null || rate < COMPLAINT_RATE_TARGET
      ? 'ok'
      : rate < COMPLAINT_RATE_LIMIT
        ? 'warning'
        : 'error';
  return { windowDays: COMPLAINT_WINDOW_DAYS, ...counts, complaintRate: rate, level };
}
