import nodemailer from 'nodemailer';

export type MailMessage = {
  /** Overrides MAIL_FROM (a marketing sender address). */
  from?: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** A `{ prepared: true }` value is sent as is, unfolded (List-Unsubscribe on one line). */
  headers?: Record<string, string | { prepared: true; value: string }>;
};

/** Sends mail over SMTP; an install without SMTP_URL keeps mail queued and says so. */
export type Mailer = {
  readonly isConfigured: boolean;
  send(message: MailMessage): Promise<void>;
};

/** DKIM signing of every message sent (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY). */
export type DkimConfig = { domain: string; selector: string; privateKey: string };

/**
 * Headers the DKIM signature covers: nodemailer's usual list plus List-Unsubscribe-Post, which
 * RFC 8058 requires to be signed together with List-Unsubscribe.
 */
export const DKIM_SIGNED_HEADERS = [
  'from',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'to',
  'cc',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'in-reply-to',
  'references',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
].join(':');

export function createMailer(config: {
  smtpUrl: string | undefined;
  mailFrom: string;
  dkim?: DkimConfig | undefined;
}): Mailer {
  if (!config.smtpUrl) {
    return {
      isConfigured: false,
      async send() {
        throw new Error('SMTP is not configured (set SMTP_URL)');
      },
    };
  }
  const transport = config.dkim
    ? nodemailer.createTransport(config.smtpUrl, {
        dkim: {
          domainName: config.dkim.domain,
          keySelector: config.dkim.selector,
          privateKey: config.dkim.privateKey,
          headerFieldNames: DKIM_SIGNED_HEADERS,
        },
      })
    : nodemailer.createTransport(config.smtpUrl);
  return {
    isConfigured: true,
    async send(message) {
      await transport.sendMail({
        from: message.from ?? config.mailFrom,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
      });
    },
  };
}
