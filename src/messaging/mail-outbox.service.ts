import { randomUUID } from 'node:crypto';
import {
  type OrgKeyring,
  openField,
  orgKeyring,
  sealField,
  subjectKeys,
} from '../keys/keys.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import type { Db, Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import type { Logger } from '../platform/log.ts';
import type { Mailer } from '../platform/mail.ts';
import { insertOutbox, lockDue, markOutbox, pendingMailOrgs } from './mail-outbox.repo.ts';

const MAX_ATTEMPTS = 8;
// 1 min, 2, 4 … up to 2 h between attempts.
const backoffMs = (attempt: number) => Math.min(2 ** attempt * 60_000, 2 * 3_600_000);

/**
 * Queues a message in the caller's transaction, so the mail exists exactly when the act
 * committed; sending happens after commit. Recipient and body are sealed under the subject's
 * key: shredding the person also makes unsent mail to them unreadable.
 */
export async function queueMail(
  tx: Tx,
  ctx: Ctx,
  input: {
    contactId: string;
    subjectKey: Buffer;
    kind: string;
    to: string;
    subject: string;
    text: string;
  },
): Promise<string> {
  const id = randomUUID();
  await insertOutbox(tx, {
    id,
    orgId: ctx.orgId,
    kind: input.kind,
    contactId: input.contactId,
    subject: input.subject,
    recipientEnc: sealField(input.subjectKey, input.to, `mail_outbox:${id}:recipient`),
    bodyEnc: sealField(input.subjectKey, input.text, `mail_outbox:${id}:body`),
    at: ctx.now,
  });
  return id;
}

export type MailDeps = { db: Db; keys: Keys; mailer: Mailer; logger: Logger; now: () => Date };

/** Sends what is due, in every organization (or one). Returns how many were sent. */
export async function deliverPendingMail(
  deps: MailDeps,
  onlyOrgId?: string,
): Promise<{ sent: number; failed: number }> {
  if (!deps.mailer.isConfigured) return { sent: 0, failed: 0 };
  const now = deps.now();
  const orgIds = onlyOrgId
    ? [onlyOrgId]
    : await withTx(deps.db, { orgId: null }, (tx) => pendingMailOrgs(tx, now));
  let sent = 0;
  let failed = 0;
  for (const orgId of orgIds) {
    await withTx(deps.db, { orgId }, async (tx) => {
      const due = await lockDue(tx, now, 50);
      if (due.length === 0) return;
      const keyring: OrgKeyring = await orgKeyring(tx, { keys: deps.keys, orgId });
      const keys = await subjectKeys(
        tx,
        keyring,
        due.map((row) => row.contactId),
      );
      for (const row of due) {
        const key = keys.get(row.contactId);
        if (!key) {
          await markOutbox(tx, row.id, {
            status: 'dropped',
            attempts: row.attempts,
            nextAttemptAt: now,
            error: 'subject shredded',
            sentAt: null,
          });
          continue;
        }
        try {
          await deps.mailer.send({
            to: openField(key, row.recipientEnc, `mail_outbox:${row.id}:recipient`),
            subject: row.subject,
            text: openField(key, row.bodyEnc, `mail_outbox:${row.id}:body`),
          });
          await markOutbox(tx, row.id, {
            status: 'sent',
            attempts: row.attempts + 1,
            nextAttemptAt: now,
            error: null,
            sentAt: now,
          });
          sent += 1;
        } catch (error) {
          const attempts = row.attempts + 1;
          // The SMTP error may quote the address: store and log only its class and code.
          const reason = `${(error as Error).name}${(error as { responseCode?: number }).responseCode ? ` ${(error as { responseCode?: number }).responseCode}` : ''}`;
          await markOutbox(tx, row.id, {
            status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
            attempts,
            nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
            error: reason,
            sentAt: null,
          });
          deps.logger.warn({ orgId, mailId: row.id, attempts, reason }, 'mail not sent');
          failed += 1;
        }
      }
    });
  }
  return { sent, failed };
}
