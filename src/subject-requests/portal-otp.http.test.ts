import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { hiddenValue, type PageAnswer, PageClient } from '../../test/portal-client.ts';
import { submitForm } from '../forms/submissions.service.ts';
import { deliverPendingMail } from '../messaging/mail-outbox.service.ts';
import { createWebhookSmsSender } from '../messaging/sms.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { createLogger } from '../platform/log.ts';
import { createMailer, type Mailer } from '../platform/mail.ts';

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

/** A real HTTP listener standing in for the SMS provider: hands over each message it gets. */
function startSmsProvider(): Promise<{
  server: Server;
  url: string;
  next(): Promise<{ to: string; text: string; authorization: string | undefined }>;
}> {
  const waiting: ((message: {
    to: string;
    text: string;
    authorization: string | undefined;
  }) => void)[] = [];
  const arrived: { to: string; text: string; authorization: string | undefined }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        to: string;
        text: string;
      };
      const message = { ...body, authorization: request.headers.authorization };
      const waiter = waiting.shift();
      if (waiter) waiter(message);
      else arrived.push(message);
      response.writeHead(202).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://127.0.0.1:${port}/send`,
        next: () => {
          const ready = arrived.shift();
          return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
        },
      });
    });
  });
}

const WINDOW_MS = 16 * 60 * 1000;
const KNOWN_EMAIL = 'olga@patient.test';
const KNOWN_PHONE = '+79167654321';

describe('privacy portal sign-in by one-time code', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;
  let org: CaptureOrg;
  let receiptUrl: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'Клиника <no-reply@clinic.test>' });
    const testApp = getApp();
    testApp.deps.portalRateLimits = {
      codesPerClientIp: 1000,
      codesPerAddress: 1000,
      checksPerClientIp: 1000,
    };
    org = await makeCaptureOrg(testApp);
    const submitted = await submitForm(
      {
        db: testApp.db,
        keys: testApp.keys,
        publicUrl: testApp.deps.publicUrl,
        now: testApp.clock.now(),
      },
      {
        formSlug: org.form.slug,
        values: { name: 'Ольга Иванова', phone: '8 916 765-43-21', email: KNOWN_EMAIL },
        consents: {
          appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
        },
        idempotencyKey: null,
        attribution: {},
        client: { ip: '203.0.113.5', userAgent: 'test', pageUrl: null },
      },
    );
    receiptUrl = submitted.receiptUrl ?? '';
    await deliver(testApp);
  });
  afterAll(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())));

  /** Sends the queued mail through the real SMTP listener, as the sender job does. */
  async function deliver(testApp: TestApp) {
    return deliverPendingMail({
      db: testApp.db,
      keys: testApp.keys,
      mailer,
      logger: createLogger({ level: 'silent' }),
      now: testApp.clock.now,
    });
  }

  async function signInPage(testApp: TestApp, browser = new PageClient(testApp)) {
    const page = await browser.get(`/p/${org.slug}`);
    expect(page.status).toBe(200);
    return { browser, csrf: hiddenValue(page.text, 'csrf') };
  }

  async function askCode(browser: PageClient, csrf: string, address: string): Promise<PageAnswer> {
    return browser.postForm(`/p/${org.slug}/code`, { csrf, address });
  }

  async function mailedCode(testApp: TestApp): Promise<string> {
    const before = smtp.messages.length;
    expect((await deliver(testApp)).sent).toBe(1);
    const message = smtp.messages.slice(before).find((mail) => mail.text?.includes('Код'));
    expect(message?.to).toMatchObject({ text: KNOWN_EMAIL });
    const code = /: (\d{6})\n/.exec(message?.text ?? '')?.[1];
    if (!code) throw new Error('No code in the mail');
    return code;
  }

  function otherCode(code: string): string {
    return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  }

  it('mails a code to a known email; the code opens the portal once', async () => {
    const testApp = getApp();
    testApp.clock.advance(WINDOW_MS);
    const { browser, csrf } = await signInPage(testApp);
    const asked = await askCode(browser, csrf, ' Olga@Patient.test ');
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Введите код');
    const code = await mailedCode(testApp);
    const signedIn = await browser.postForm(`/p/${org.slug}/verify`, { csrf, code });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(`/p/${org.slug}/me`);
    const portal = await browser.get(`/p/${org.slug}/me`);
    expect(portal.status).toBe(200);
    expect(portal.text).toContain('Ольга Иванова');
    expect(portal.text).toContain('Вы вошли по одноразовому коду');
    // Used once: the same code does not open a second session.
    const replay = await new PageClient(testApp).get(`/p/${org.slug}`);
    expect(replay.status).toBe(200);
    const again = await browser.postForm(`/p/${org.slug}/verify`, { csrf, code });
    expect(again.status).toBe(401);
    // Codes are stored only as keyed hashes.
    const stored = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ code_hash: string }>(sql`SELECT code_hash FROM portal_codes`),
    );
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(code);
  });

  it('answers the same whether or not the address is known, and sends only to a known one', async () => {
    const testApp = getApp();
    testApp.clock.advance(WINDOW_MS);
    const { browser, csrf } = await signInPage(testApp);
    const countRows = () =>
      withTx(testApp.db, { orgId: org.orgId }, async (tx) => ({
        codes: Number(
          (await tx.query<{ n: unknown }>(sql`SELECT count(*) AS n FROM portal_codes`))[0]?.n,
        ),
        mail: Number(
          (await tx.query<{ n: unknown }>(sql`SELECT count(*) AS n FROM mail_outbox`))[0]?.n,
        ),
      }));
    const before = await countRows();
    const known = await askCode(browser, csrf, KNOWN_EMAIL);
    const afterKnown = await countRows();
    const unknown = await askCode(browser, csrf, 'nobody-here@patient.test');
    const afterUnknown = await countRows();
    expect(unknown.status).toBe(known.status);
    expect(unknown.text).toBe(known.text);
    const cookieShape = (answer: PageAnswer) =>
      answer.headers.getSetCookie().map((line) => line.replace(/=[^;]*/, '=…'));
    expect(cookieShape(unknown)).toEqual(cookieShape(known));
    expect(unknown.headers.get('content-type')).toBe(known.headers.get('content-type'));
    // The same work in the database: a code row each; mail only for the known address.
    expect(afterKnown.codes - before.codes).toBe(1);
    expect(afterUnknown.codes - afterKnown.codes).toBe(1);
    expect(afterKnown.mail - before.mail).toBe(1);
    expect(afterUnknown.mail - afterKnown.mail).toBe(0);
    await mailedCode(testApp);
    // A phone number is refused the same way for everyone when SMS is not configured.
    const phone = await askCode(browser, csrf, KNOWN_PHONE);
    const otherPhone = await askCode(browser, csrf, '+79990001122');
    expect(phone.status).toBe(400);
    // Only the echo of what was typed differs.
    expect(otherPhone.text.replace('+79990001122', '…')).toBe(phone.text.replace(KNOWN_PHONE, '…'));
    expect(phone.text).toContain('data-codes="sms_unavailable"');
  });

  it('ends a code after five wrong tries, the same way for an unknown address', async () => {
    const testApp = getApp();
    testApp.clock.advance(WINDOW_MS);
    // One browser for both, so the pages may be compared byte for byte.
    const { browser, csrf } = await signInPage(testApp);
    const tries = async (address: string, guesses: (code: string | null) => string) => {
      await askCode(browser, csrf, address);
      const code = address === KNOWN_EMAIL ? await mailedCode(testApp) : null;
      const statuses: number[] = [];
      const texts: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const answer = await browser.postForm(`/p/${org.slug}/verify`, {
          csrf,
          code: guesses(code),
        });
        statuses.push(answer.status);
        texts.push(answer.text);
      }
      // After five wrong tries even the right code is refused.
      const last = await browser.postForm(`/p/${org.slug}/verify`, {
        csrf,
        code: code ?? '123456',
      });
      statuses.push(last.status);
      return { statuses, texts, last };
    };
    const known = await tries(KNOWN_EMAIL, (code) => otherCode(code ?? '000000'));
    expect(known.statuses).toEqual([401, 401, 401, 401, 429, 401]);
    expect(known.texts[0]).toContain('Осталось попыток: 4');
    expect(known.texts[3]).toContain('Осталось попыток: 1');
    expect(known.texts[4]).toContain('data-codes="code_exhausted"');
    expect(known.last.text).toContain('data-codes="code_expired"');
    const unknown = await tries('stranger@patient.test', () => '123456');
    expect(unknown.statuses).toEqual(known.statuses);
    expect(unknown.texts).toEqual(known.texts);
  });

  it('expires a code after ten minutes', async () => {
    const testApp = getApp();
    testApp.clock.advance(WINDOW_MS);
    const { browser, csrf } = await signInPage(testApp);
    await askCode(browser, csrf, KNOWN_EMAIL);
    const code = await mailedCode(testApp);
    testApp.clock.advance(10 * 60 * 1000 + 1000);
    const late = await browser.postForm(`/p/${org.slug}/verify`, { csrf, code });
    expect(late.status).toBe(401);
    expect(late.text).toContain('data-codes="code_expired"');
  });

  it('limits code requests per address and per client, without telling addresses apart', async () => {
    const testApp = getApp();
    testApp.clock.advance(WINDOW_MS);
    testApp.deps.portalRateLimits = {
      codesPerClientIp: 1000,
      codesPerAddress: 3,
      checksPerClientIp: 1000,
    };
    try {
      const { browser, csrf } = await signInPage(testApp);
      const statusesFor = async (address: string) => {
        const statuses: number[] = [];
        for (let index = 0; index < 4; index += 1) {
          statuses.push((await askCode(browser, csrf, address)).status);
        }
        return statuses;
      };
      expect(await statusesFor(KNOWN_EMAIL)).toEqual([200, 200, 200, 429]);
      expect(await statusesFor('nobody-else@patient.test')).toEqual([200, 200, 200, 429]);
      const limited = await askCode(browser, csrf, 'NOBODY-else@patient.test');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.text).toContain('data-error-code="rate_limited"');
      expect((await askCode(browser, csrf, 'third@patient.test')).status).toBe(200);
      await deliver(testApp);

      testApp.clock.advance(WINDOW_MS);
      testApp.deps.portalRateLimits = {
        codesPerClientIp: 2,
        codesPerAddress: 1000,
        checksPerClientIp: 3,
      };
      expect((await askCode(browser, csrf, 'a@patient.test')).status).toBe(200);
      expect((await askCode(browser, csrf, 'b@patient.test')).status).toBe(200);
      expect((await askCode(browser, csrf, 'c@patient.test')).status).toBe(429);
      const checks: number[] = [];
      for (let index = 0; index < 4; index += 1) {
        checks.push(
          (await browser.postForm(`/p/${org.slug}/verify`, { csrf, code: '000000' })).status,
        );
      }
      expect(checks).toEqual([401, 401, 401, 429]);
    } finally {
      testApp.deps.portalRateLimits = {
        codesPerClientIp: 1000,
        codesPerAddress: 1000,
        checksPerClientIp: 1000,
      };
    }
  });

  it('sends the code by SMS through the provider webhook when one is configured', async () => {
    const testApp = getApp();
    testApp.clock.advance(WINDOW_MS);
    const provider = await startSmsProvider();
    testApp.deps.sms = createWebhookSmsSender({ url: provider.url, token: 'sms-token' });
    try {
      const { browser, csrf } = await signInPage(testApp);
      const signIn = await browser.get(`/p/${org.slug}`);
      expect(signIn.text).toContain('Email или телефон');
      const asked = await askCode(browser, csrf, '8 (916) 765-43-21');
      expect(asked.status).toBe(200);
      const sms = await provider.next();
      expect(sms.to).toBe(KNOWN_PHONE);
      expect(sms.authorization).toBe('Bearer sms-token');
      const code = /: (\d{6})\n/.exec(sms.text)?.[1] ?? '';
      const signedIn = await browser.postForm(`/p/${org.slug}/verify`, { csrf, code });
      expect(signedIn.status).toBe(303);
      expect((await browser.get(`/p/${org.slug}/me`)).text).toContain('Ольга Иванова');
      // An unknown number gets the same page and no SMS.
      const unknown = await askCode(browser, csrf, '+79990001122');
      expect(unknown.text).toBe(asked.text);
      const known = await askCode(browser, csrf, KNOWN_PHONE);
      expect((await provider.next()).to).toBe(KNOWN_PHONE);
      expect(known.text).toBe(asked.text);
    } finally {
      delete testApp.deps.sms;
      await new Promise<void>((resolve) => provider.server.close(() => resolve()));
    }
  });

  it('opens the portal from the link in the receipt mail', async () => {
    const testApp = getApp();
    const receiptMail = smtp.messages.find((mail) => mail.text?.includes(receiptUrl));
    expect(receiptMail?.text).toContain('Мои данные');
    const link = /(http:\/\/soglasie\.test\/p\/link\/\S+)/.exec(receiptMail?.text ?? '')?.[1];
    expect(link).toBeTruthy();
    const browser = new PageClient(testApp);
    const opened = await browser.get(new URL(link ?? '').pathname);
    expect(opened.status).toBe(303);
    const portal = await browser.get(`/p/${org.slug}/me`);
    expect(portal.text).toContain('Ольга Иванова');
    expect(portal.text).toContain('Вы вошли по ссылке из квитанции');
    // The mailed link lives two weeks.
    testApp.clock.advance(15 * 24 * 60 * 60 * 1000);
    expect((await new PageClient(testApp).get(new URL(link ?? '').pathname)).status).toBe(404);
  });

  it('refuses a sign-in form without its cookie token or from another site', async () => {
    const testApp = getApp();
    testApp.clock.advance(WINDOW_MS);
    const { browser, csrf } = await signInPage(testApp);
    const forged = await browser.postForm(`/p/${org.slug}/code`, {
      csrf: 'x'.repeat(43),
      address: KNOWN_EMAIL,
    });
    expect(forged.status).toBe(403);
    const noCookie = await new PageClient(testApp).postForm(`/p/${org.slug}/code`, {
      csrf,
      address: KNOWN_EMAIL,
    });
    expect(noCookie.status).toBe(403);
    const crossSite = await browser.postForm(
      `/p/${org.slug}/code`,
      { csrf, address: KNOWN_EMAIL },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    const codes = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ n: unknown }>(
        sql`SELECT count(*) AS n FROM portal_codes WHERE created_at > ${new Date(testApp.clock.now().getTime() - 1000)}`,
      ),
    );
    expect(Number(codes[0]?.n)).toBe(0);
  });
});
