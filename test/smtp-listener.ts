import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SmtpListener = {
  server: SMTPServer;
  url: string;
  messages: ParsedMail[];
  close(): Promise<void>;
};

/**
 * A real SMTP listener on a loopback port that keeps every message it is given, parsed.
 * Mailboxes named `gone…` do not exist: RCPT is refused with 550 5.1.1, as a receiving server
 * does for an unknown user.
 */
export function startSmtpListener(): Promise<SmtpListener> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onRcptTo(address, _session, callback) {
      if (!address.address.startsWith('gone')) return callback();
      callback(Object.assign(new Error('5.1.1 User unknown'), { responseCode: 550 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.server.address() as AddressInfo;
      resolve({
        server,
        url: `smtp://127.0.0.1:${port}`,
        messages,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
