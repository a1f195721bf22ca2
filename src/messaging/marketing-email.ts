import type { Keys } from '../platform/crypto.ts';
import type { MailMessage } from '../platform/mail.ts';
import { unsubscribeUrl } from './unsubscribe-token.ts';

/**
 * A marketing email (R-A4, R-E1): the List-Unsubscribe header with the HTTPS address of the
 * one-click opt-out, List-Unsubscribe-Post per RFC 8058, and the same link in the text. With
 * DKIM configured (DKIM_* settings) the mailer signs both headers (DKIM_SIGNED_HEADERS).
 */
export function buildMarketingEmail(input: {
  keys: Keys;
  publicUrl: string;
  orgId: string;
  contactId: string;
  purposeId: string;
  to: string;
  from?: string | undefined;
  subject: string;
  text: string;
  /** `<id@domain>`: a resend keeps it, so the receiver recognizes the copy. */
  messageId: string;
  locale?: 'ru' | 'en';
}): MailMessage & { unsubscribeUrl: string } {
  const url = unsubscribeUrl(input.publicUrl, input.keys, {
    orgId: input.orgId,
    contactId: input.contactId,
    purposeId: input.purposeId,
    channel: 'email',
  });
  return {
    ...(input.from ? { from: input.from } : {}),
    to: input.to,
    subject: input.subject,
    text: `${input.text.trimEnd()}\n\n${unsubscribeFooter(url, input.locale ?? 'ru')}`,
    headers: {
      'Message-ID': input.messageId,
      // One line each (R-E1): prepared values are not folded; the URL is ASCII only.
      'List-Unsubscribe': { prepared: true, value: `<${url}>` },
      'List-Unsubscribe-Post': { prepared: true, value: 'List-Unsubscribe=One-Click' },
    },
    unsubscribeUrl: url,
  };
}

export function unsubscribeFooter(url: string, locale: 'ru' | 'en'): string {
  return locale === 'ru'
    ? `—\nВы получили это письмо, потому что согласились получать рекламную рассылку клиники.\nОтписаться в один клик: ${url}`
    : `—\nYou receive this because you agreed to the clinic's advertising mail.\nUnsubscribe in one click: ${url}`;
}
