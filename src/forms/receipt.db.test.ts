import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import { getPublicReceipt, readReceipt } from '../consent/receipt.service.ts';
import { deliverPendingMail } from '../messaging/mail-outbox.service.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { createLogger } from '../platform/log.ts';
import { createMailer, type Mailer } from '../platform/mail.ts';
import { submitForm } from './submissions.service.ts';

const getApp = setupTestApp();

/** A real SMTP listener on a loopback port that keeps every message it is given. */
function startSmtp(): Promise<{ server: SMTPServer; url: string; messages: ParsedMail[] }> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
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
      resolve({ server, url: `smtp://127.0.0.1:${port}`, messages });
    });
  });
}

describe('consent receipt', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;
  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'Клиника <no-reply@clinic.test>' });
  });
  afterAll(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())));

  async function submit(testApp: TestApp, values: Record<string, string>) {
    const org = await makeCaptureOrg(testApp);
    const result = await submitForm(
      {
        db: testApp.db,
        keys: testApp.keys,
        publicUrl: testApp.deps.publicUrl,
        now: testApp.clock.now(),
      },
      {
        formSlug: org.form.slug,
        values,
        consents: {
          appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
          marketing: { isGiven: true, documentId: org.advertising.document?.id ?? null },
        },
        idempotencyKey: null,
        attribution: {},
        client: { ip: '203.0.113.9', userAgent: 'test', pageUrl: null },
      },
    );
    return { org, result };
  }

  it('signs a receipt with the organization key, listing each consent document and its hash', async () => {
    const testApp = getApp();
    const { org, result } = await submit(testApp, { name: 'Анна', phone: '+79160000001' });
    expect(result.receiptUrl).toMatch(/^http:\/\/soglasie\.test\/r\/[0-9a-f-]{36}\.[\w-]+$/);
    const token = result.receiptUrl?.split('/r/')[1] ?? '';
    const receipt = await getPublicReceipt(testApp.db, testApp.keys, token);
    expect(receipt.isSignatureValid).toBe(true);
    expect(receipt.receipt).toMatchObject({
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'RU',
      piiControllers: [expect.objectContaining({ piiController: 'ООО «Клиника Здоровье»' })],
      services: [
        {
          purposes: expect.arrayContaining([
            expect.objectContaining({
              documentSha256: org.processing.document?.sha256,
              consentType: 'EXPLICIT',
            }),
            expect.objectContaining({ documentSha256: org.advertising.document?.sha256 }),
          ]),
        },
      ],
    });
    // No personal data inside: the person is a pseudonymous id.
    expect(receipt.jws).not.toContain('79160000001');
    const [header, payload, signature] = receipt.jws.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...receipt.receipt, piiPrincipalId: 'someone-else' }),
    ).toString('base64url');
    expect(readReceipt(`${header}.${forged}.${signature}`).isSignatureValid).toBe(false);
    expect(payload).toBeTruthy();
    await expect(
      getPublicReceipt(testApp.db, testApp.keys, `${token.split('.')[0]}.forged`),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('mails the receipt to a given email through SMTP after commit, recipient sealed in the queue', async () => {
    const testApp = getApp();
    const { org, result } = await submit(testApp, {
      name: 'Олег',
      phone: '+79160000002',
      email: 'oleg@patient.test',
    });
    const queued = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ recipient_enc: Uint8Array; status: string }>(
        sql`SELECT recipient_enc, status FROM mail_outbox`,
      ),
    );
    expect(queued).toHaveLength(1);
    expect(Buffer.from(queued[0]?.recipient_enc ?? []).toString('latin1')).not.toContain(
      'oleg@patient.test',
    );
    const delivered = await deliverPendingMail({
      db: testApp.db,
      keys: testApp.keys,
      mailer,
      logger: createLogger({ level: 'silent' }),
      now: testApp.clock.now,
    });
    expect(delivered).toEqual({ sent: 1, failed: 0 });
    const mail = smtp.messages.find((message) =>
      message.text?.includes(result.receiptUrl ?? 'none'),
    );
    expect(mail?.to).toMatchObject({ text: 'oleg@patient.test' });
    expect(mail?.subject).toContain('ООО «Клиника Здоровье»');
    expect(
      await deliverPendingMail({
        db: testApp.db,
        keys: testApp.keys,
        mailer,
        logger: createLogger({ level: 'silent' }),
        now: testApp.clock.now,
      }),
    ).toEqual({ sent: 0, failed: 0 });
  });
});
