import nodemailer from 'nodemailer';

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
};

/** Sends mail over SMTP; an install without SMTP_URL keeps mail queued and says so. */
export type Mailer = {
  readonly isConfigured: boolean;
  send(message: MailMessage): Promise<void>;
};

export function createMailer(config: { smtpUrl: string | undefined; mailFrom: string }): Mailer {
  if (!config.smtpUrl) {
    return {
      isConfigured: false,
      async send() {
        throw new Error('SMTP is not configured (set SMTP_URL)');
      },
    };
  }
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    isConfigured: true,
    async send(message) {
      await transport.sendMail({
        from: config.mailFrom,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
      });
    },
  };
}
