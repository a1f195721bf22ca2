import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import {
  ADVERTISING_PURPOSE,
  type CaptureOrg,
  formBody,
  makeCaptureOrg,
} from '../../test/capture-factories.ts';
import { signIn } from '../../test/http.ts';
import { newPhone } from '../../test/journal-factories.ts';
import { startSmsc } from '../../test/smsc-server.ts';
import { createForm } from '../forms/forms.service.ts';
import { submitForm } from '../forms/submissions.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { createMailer, type Mailer } from '../platform/mail.ts';
import { createPurpose } from '../purposes/purposes.service.ts';
import { sendMarketingEmail, sendMarketingSms } from './outbound.service.ts';
import { createSmscSender } from './sms.ts';

const getApp = setupTestApp();

/**
 * A real SMTP listener keeping each message as received (raw, for the DKIM check). Mailboxes
 * named `gone…` do not exist: RCPT is refused with 550 5.1.1, as a receiving server does.
 */
function startSmtp(): Promise<{ server: SMTPServer; url: string; raw: Buffer[] }> {
  const raw: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('gone')) {
        const error = Object.assign(new Error('5.1.1 <mailbox> User unknown'), {
          responseCode: 550,
        });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        raw.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.server.address() as AddressInfo;
      resolve({ server, url: `smtp://127.0.0.1:${port}`, raw });
    });
  });
}

describe('marketing email and SMS through the gate, one-click unsubscribe and provider callbacks', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let smsc: Awaited<ReturnType<typeof startSmsc>>;
  let mailer: Mailer;
  const dkimKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dkimPublic = dkimKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    // A purpose whose consent names email only (R-C7: purpose × channel).
    await createPurpose(org.ctx, {
      ...ADVERTISING_PURPOSE,
      code: 'newsletter',
      title: 'Новости клиники по электронной почте',
      channels: ['email'],
    });
    smtp = await startSmtp();
    smsc = await startSmsc();
    mailer = createMailer({
      smtpUrl: smtp.url,
      mailFrom: 'Клиника <news@clinic.test>',
      dkim: {
        domain: 'clinic.test',
        selector: 'sg2026',
        privateKey: dkimKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    testApp.deps.smsCallbackSecret = 'callback-secret';
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
    await new Promise<void>((resolve) => smsc.server.close(() => resolve()));
  });

  const ctx = () => ({
    ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
    publicUrl: testApp.deps.publicUrl,
  });
  const sms = () => createSmscSender({ url: smsc.url, login: 'clinic', password: 'secret' });

  async function newContact(consents: string[], email?: string): Promise<string> {
    const form = await createForm(
      org.ctx,
      formBody(`f-${Math.random().toString(36).slice(2, 10)}`, {
        consents: [
          { purposes: ['appointment'], isRequired: true },
          ...consents.map((code) => ({ purposes: [code], isRequired: false })),
        ],
      }),
    );
    const documents = new Map([
      ['appointment', org.processing.document?.id ?? null],
      ['marketing', org.advertising.document?.id ?? null],
    ]);
    const purposes = await testApp.db.query<{ code: string; id: string }>(sql`
      SELECT p.code, d.id FROM purposes p JOIN consent_documents d ON d.purpose_id = p.id
      WHERE p.org_id = ${org.orgId}`);
    for (const row of purposes) documents.set(row.code, row.id);
    const result = await submitForm(
      {
        db: testApp.db,
        keys: testApp.keys,
        publicUrl: testApp.deps.publicUrl,
        now: testApp.clock.now(),
      },
      {
        formSlug: form.slug,
        values: {
          name: 'Мария Ковалёва',
          phone: newPhone(),
          email: email ?? `m${Date.now()}@mail.test`,
        },
        consents: Object.fromEntries(
          ['appointment', ...consents].map((code) => [
            code,
            { isGiven: true, documentId: documents.get(code) ?? null },
          ]),
        ),
        idempotencyKey: null,
        attribution: {},
        client: { ip: '203.0.113.20', userAgent: 'test', pageUrl: null },
      },
    );
    const [row] = await testApp.db.query<{ contact_id: string }>(
      sql`SELECT contact_id FROM submissions WHERE id = ${result.submissionId}`,
    );
    if (!row) throw new Error('no submission');
    return row.contact_id;
  }

  const logRow = async (id: string) => {
    const [row] = await testApp.db.query<{
      status: string;
      gate_reason: string | null;
      consent_entry_id: string | null;
      provider_id: string | null;
      recipient_enc: Uint8Array | null;
    }>(sql`SELECT status, gate_reason, consent_entry_id, provider_id, recipient_enc
      FROM outbound_messages WHERE id = ${id}`);
    return row;
  };

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    testApp.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });

  it('refuses an SMS to a person who consented to email only, and sends the email with the consent that allowed it (R-C7)', async () => {
    const contactId = await newContact(['newsletter']);
    const before = smsc.sent.length;
    const refused = await sendMarketingSms(ctx(), sms(), {
      contactId,
      purposeCode: 'newsletter',
      text: 'Скидка 20% на чистку зубов',
    });
    expect(refused).toMatchObject({ status: 'refused', reason: 'channel_not_covered' });
    expect(smsc.sent.length).toBe(before);
    expect(await logRow(refused.id)).toMatchObject({
      status: 'refused',
      gate_reason: 'channel_not_covered',
      consent_entry_id: null,
      recipient_enc: null,
    });

    const received = smtp.raw.length;
    const sent = await sendMarketingEmail(ctx(), mailer, {
      contactId,
      purposeCode: 'newsletter',
      subject: 'Новости клиники',
      text: 'Здравствуйте! В марте скидка на профессиональную гигиену.',
    });
    expect(sent.status).toBe('sent');
    expect(smtp.raw.length).toBe(received + 1);
    const [given] = await testApp.db.query<{ id: string }>(sql`
      SELECT j.id FROM consent_journal j JOIN purposes p ON p.id = j.purpose_id
      WHERE j.contact_id = ${contactId} AND p.code = 'newsletter' AND j.event = 'given'`);
    const row = await logRow(sent.id);
    expect(row?.status).toBe('sent');
    expect(row?.consent_entry_id).toBe(given?.id);
    // The recipient is stored sealed, never in clear.
    expect(Buffer.from(row?.recipient_enc ?? []).toString('latin1')).not.toContain('@mail.test');
  });

  it('suppresses an address the receiving server refuses permanently (hard bounce, R-E2): the next send is refused', async () => {
    const contactId = await newContact(['newsletter'], `gone${Date.now()}@mail.test`);
    const received = smtp.raw.length;
    const bounced = await sendMarketingEmail(ctx(), mailer, {
      contactId,
      purposeCode: 'newsletter',
      subject: 'Новости клиники',
      text: 'Здравствуйте!',
    });
    expect(bounced).toMatchObject({ status: 'failed', error: expect.stringContaining('550') });
    expect(smtp.raw.length).toBe(received);
    const suppressions = await testApp.db.query<{ channel: string; reason: string }>(sql`
      SELECT channel, reason FROM suppressions WHERE contact_id = ${contactId}`);
    expect(suppressions).toEqual([{ channel: 'email', reason: 'bounced' }]);
    const next = await sendMarketingEmail(ctx(), mailer, {
      contactId,
      purposeCode: 'newsletter',
      subject: 'Новости клиники',
      text: 'Здравствуйте!',
    });
    expect(next).toMatchObject({ status: 'refused', reason: 'suppressed' });

    // A mailbox that exists is not suppressed by a failure of another kind.
    const alive = await newContact(['newsletter']);
    const offline = createMailer({ smtpUrl: 'smtp://127.0.0.1:9', mailFrom: 'news@clinic.test' });
    const failed = await sendMarketingEmail(ctx(), offline, {
      contactId: alive,
      purposeCode: 'newsletter',
      subject: 'Новости клиники',
      text: 'Здравствуйте!',
    });
    expect(failed.status).toBe('failed');
    const none = await testApp.db.query(
      sql`SELECT 1 FROM suppressions WHERE contact_id = ${alive}`,
    );
    expect(none).toEqual([]);
  });

  it('records a spam complaint by Message-ID once, suppresses the address and counts the complaint rate (R-E2)', async () => {
    testApp.deps.mailFeedbackSecret = 'feedback-secret';
    const contactId = await newContact(['newsletter']);
    const sent = await sendMarketingEmail(ctx(), mailer, {
      contactId,
      purposeCode: 'newsletter',
      subject: 'Новости клиники',
      text: 'Здравствуйте!',
    });
    if (sent.status !== 'sent') throw new Error('not sent');
    const report = (body: unknown, token = 'feedback-secret') =>
      testApp.app.request('/hooks/mail/feedback', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-callback-token': token },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const complaint = { type: 'complaint', messageId: sent.messageId, source: 'mailru' };

    expect((await report(complaint, 'wrong')).status).toBe(401);
    expect((await report('{not json')).status).toBe(400);
    const malformed = await report({ type: 'spam', messageId: 'no-at-sign' });
    expect(malformed.status).toBe(400);
    expect(
      Object.keys(((await malformed.json()) as { error: { fields: object } }).error.fields),
    ).toEqual(expect.arrayContaining(['type', 'messageId']));
    expect((await report({ ...complaint, messageId: '<unknown@soglasie.test>' })).status).toBe(404);
    expect(
      await testApp.db.query(sql`SELECT 1 FROM mail_feedback WHERE contact_id = ${contactId}`),
    ).toEqual([]);

    // The Message-ID with or without its angle brackets; a replay records nothing new.
    const first = await report({ ...complaint, messageId: sent.messageId.slice(1, -1) });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ recorded: true });
    expect(await (await report(complaint)).json()).toEqual({ recorded: false });
    const suppressions = await testApp.db.query<{ channel: string; reason: string }>(sql`
      SELECT channel, reason FROM suppressions WHERE contact_id = ${contactId}`);
    expect(suppressions).toEqual([{ channel: 'email', reason: 'complaint' }]);
    const next = await sendMarketingEmail(ctx(), mailer, {
      contactId,
      purposeCode: 'newsletter',
      subject: 'Новости клиники',
      text: 'Здравствуйте!',
    });
    expect(next).toMatchObject({ status: 'refused', reason: 'suppressed' });

    // The rate: complaints per email sent in the last 30 days, recomputed here from the log.
    const [counts] = await testApp.db.query<{ sent: number; complaints: number }>(sql`
      SELECT
        (SELECT count(*)::int FROM outbound_messages WHERE org_id = ${org.orgId}
          AND channel = 'email' AND status IN ('sent', 'delivered')) AS sent,
        (SELECT count(*)::int FROM mail_feedback WHERE org_id = ${org.orgId}
          AND kind = 'complaint') AS complaints`);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const rate = await owner.get('/api/v1/messaging/complaints');
    expect(rate.status).toBe(200);
    expect(rate.body).toMatchObject({
      windowDays: 30,
      sent: counts?.sent,
      complaints: 1,
      complaintRate: 1 / (counts?.sent ?? 1),
      // One complaint in a handful of messages is far above the 0.3 % limit.
      level: 'error',
    });
  });

  it('one-click unsubscribe (RFC 8058) commits before answering: the next send is refused, a replay changes nothing, the message carried both headers under DKIM (R-E1, R-A4)', async () => {
    const contactId = await newContact(['marketing']);
    const sent = await sendMarketingEmail(ctx(), mailer, {
      contactId,
      purposeCode: 'marketing',
      subject: 'Акция',
      text: 'Весенняя акция на отбеливание.',
    });
    expect(sent.status).toBe('sent');
    const raw = smtp.raw.at(-1) ?? Buffer.alloc(0);
    const mail = await simpleParser(raw);
    const listUnsubscribe = String(mail.headers.get('list-unsubscribe') ?? '');
    const url = /<(http[^>]+)>/.exec(
      raw.toString('utf8').match(/^List-Unsubscribe: (.*)$/m)?.[1] ?? listUnsubscribe,
    )?.[1];
    expect(url).toMatch(/^http:\/\/soglasie\.test\/u\/[0-9a-f-]{36}\./);
    expect(raw.toString('utf8')).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(mail.text).toContain(url ?? 'missing');
    // The token names ids only: no address in the link.
    expect(url).not.toContain('mail.test');

    // DKIM: the signature verifies and lists both headers in h=.
    const verified = await dkimVerify(raw, {
      resolver: async (name: string, type: string) => {
        if (type === 'TXT' && name === 'sg2026._domainkey.clinic.test') {
          return [[`v=DKIM1; k=rsa; p=${dkimPublic}`]];
        }
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    });
    // mailauth reports the signed header list at run time without declaring it in its types.
    const signature = verified.results[0] as
      | ((typeof verified.results)[number] & { signingHeaders?: { keys?: string } })
      | undefined;
    expect(signature?.status?.result).toBe('pass');
    const signed = String(signature?.signingHeaders?.keys ?? '')
      .toLowerCase()
      .split(':')
      .map((name) => name.trim());
    expect(signed).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));

    const path = new URL(url ?? '').pathname;
    const first = await post(path, 'List-Unsubscribe=One-Click');
    expect(first.status).toBe(200);
    expect(first.headers.get('location')).toBeNull();
    expect(first.headers.get('set-cookie')).toBeNull();

    const next = await sendMarketingEmail(ctx(), mailer, {
      contactId,
      purposeCode: 'marketing',
      subject: 'Акция',
      text: 'Ещё одно письмо.',
    });
    expect(next.status).toBe('refused');
    expect(next.status === 'refused' && ['suppressed', 'consent_withdrawn']).toContain(
      next.status === 'refused' ? next.reason : '',
    );
    expect(smtp.raw.at(-1)).toBe(raw);

    const replay = await post(path, 'List-Unsubscribe=One-Click');
    expect(replay.status).toBe(200);
    // Some mail clients post the same field as multipart/form-data.
    const multipart = await post(
      path,
      '--b1\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b1--\r\n',
      { 'content-type': 'multipart/form-data; boundary=b1' },
    );
    expect(multipart.status).toBe(200);
    const counts = await testApp.db.query<{ suppressions: number; withdrawals: number }>(sql`
      SELECT (SELECT count(*)::int FROM suppressions WHERE contact_id = ${contactId}) AS suppressions,
        (SELECT count(*)::int FROM consent_journal WHERE contact_id = ${contactId}
          AND event = 'withdrawn') AS withdrawals`);
    expect(counts[0]).toEqual({ suppressions: 1, withdrawals: 1 });
    // The SMS of the same purpose is refused too: the advertising consent was withdrawn.
    const smsAfter = await sendMarketingSms(ctx(), sms(), {
      contactId,
      purposeCode: 'marketing',
      text: 'Акция',
    });
    expect(smsAfter).toMatchObject({ status: 'refused', reason: 'consent_withdrawn' });
  });

  it('shows a confirmation page that changes nothing until the button is pressed, and 404 for a bad link', async () => {
    const contactId = await newContact(['marketing']);
    const sent = await sendMarketingEmail(ctx(), mailer, {
      contactId,
      purposeCode: 'marketing',
      subject: 'Акция',
      text: 'Текст.',
    });
    expect(sent.status).toBe('sent');
    const raw = (smtp.raw.at(-1) ?? Buffer.alloc(0)).toString('utf8');
    const path = new URL(/^List-Unsubscribe: <([^>]+)>/m.exec(raw)?.[1] ?? '').pathname;
    const page = await testApp.app.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Отписаться');
    const stillAllowed = await withTx(testApp.db, { orgId: org.orgId }, async (tx) =>
      tx.query(sql`SELECT 1 FROM suppressions WHERE contact_id = ${contactId}`),
    );
    expect(stillAllowed).toHaveLength(0);
    const pressed = await post(path, 'confirm=1');
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('Вы отписались');

    const forged = `${path.slice(0, -4)}AAAA`;
    expect((await post(forged, 'List-Unsubscribe=One-Click')).status).toBe(404);
    expect((await testApp.app.request('/u/not-a-token')).status).toBe(404);
    expect((await post('/u/not-a-token', 'List-Unsubscribe=One-Click')).status).toBe(404);
    expect((await post(path, 'something=else')).status).toBe(400);
    expect((await post(path, `List-Unsubscribe=One-Click&x=${'a'.repeat(10_000)}`)).status).toBe(
      413,
    );
  });

  it('refuses a health-segment mailing under a marketing purpose (R-C5)', async () => {
    const contactId = await newContact(['marketing']);
    const received = smtp.raw.length;
    const refused = await sendMarketingEmail(ctx(), mailer, {
      contactId,
      purposeCode: 'marketing',
      subject: 'Для пациентов с диабетом',
      text: 'Текст.',
      dataCategories: ['health'],
    });
    expect(refused).toMatchObject({ status: 'refused', reason: 'special_category_for_marketing' });
    expect(smtp.raw.length).toBe(received);
  });

  it('sends SMS through the SMSC-style provider and turns its "subscriber refused" callback into a suppression (126-FZ Art. 44.1, R-A3)', async () => {
    const contactId = await newContact(['marketing']);
    const sent = await sendMarketingSms(ctx(), sms(), {
      contactId,
      purposeCode: 'marketing',
      text: 'Скидка 10% на консультацию',
    });
    expect(sent.status).toBe('sent');
    const request = smsc.sent.at(-1);
    expect(request?.get('login')).toBe('clinic');
    expect(request?.get('fmt')).toBe('3');
    expect(request?.get('mes')).toContain('Отказ от рассылки: http://soglasie.test/u/');
    const row = await logRow(sent.id);
    expect(row?.provider_id).toMatch(/^70\d\d$/);
    expect(row?.consent_entry_id).toMatch(/^[0-9a-f-]{36}$/);

    const callback = (token: string, status: string) =>
      post(`/hooks/sms/smsc?token=${token}`, `id=${row?.provider_id}&status=${status}&phone=x`);
    expect((await callback('wrong', '23')).status).toBe(401);
    const refused = await callback('callback-secret', '23');
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({ status: 'provider_refused', changed: true });
    const replay = await callback('callback-secret', '23');
    expect(await replay.json()).toEqual({ status: 'provider_refused', changed: false });
    expect((await logRow(sent.id))?.status).toBe('provider_refused');
    const [suppression] = await testApp.db.query<{ channel: string; reason: string }>(
      sql`SELECT channel, reason FROM suppressions WHERE contact_id = ${contactId}`,
    );
    expect(suppression).toEqual({ channel: 'sms', reason: 'provider_refused' });
    const next = await sendMarketingSms(ctx(), sms(), {
      contactId,
      purposeCode: 'marketing',
      text: 'Ещё одна акция',
    });
    expect(next).toMatchObject({ status: 'refused', reason: 'suppressed' });
    // Email is another channel: the operator's refusal covers SMS only.
    expect(
      (
        await sendMarketingEmail(ctx(), mailer, {
          contactId,
          purposeCode: 'marketing',
          subject: 'Акция',
          text: 'Письмо.',
        })
      ).status,
    ).toBe('sent');
    // A delivery report for another message of an unknown id is a 404, not a server error.
    expect((await post('/hooks/sms/smsc?token=callback-secret', 'id=999999&status=1')).status).toBe(
      404,
    );
  });
});
