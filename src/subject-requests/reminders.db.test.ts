import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeMember } from '../../test/factories.ts';
import { fileIn } from '../../test/request-factories.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { createMailer } from '../platform/mail.ts';
import { notificationLink, remindDueRequests } from './reminders.service.ts';

const getApp = setupTestApp();
const DAY_MS = 86_400_000;

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

describe('subject requests: reminders', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())));

  it('reminds 3 and 1 working days before and when overdue, in the app and once by email to privacy officers', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const officer = await makeMember(testApp, org.orgId, 'privacy_officer');
    const { id } = await fileIn(testApp, org, { type: 'correction' });
    const dueOn = (
      await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        tx.query<{ due_date: string }>(
          sql`SELECT due_date::text AS due_date FROM subject_requests WHERE id = ${id}`,
        ),
      )
    )[0]?.due_date;
    const deps = {
      db: testApp.db,
      keys: testApp.keys,
      publicUrl: testApp.deps.publicUrl,
      mailer: createMailer({ smtpUrl: smtp.url, mailFrom: 'Согласие <no-reply@clinic.test>' }),
    };
    const run = () => remindDueRequests(deps, testApp.clock.now(), org.orgId);
    const notifications = () =>
      withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        tx.query<{ kind: string; text: string; emailed_at: Date | null }>(
          sql`SELECT kind, text, emailed_at FROM staff_notifications
              WHERE entity_id = ${id} ORDER BY created_at`,
        ),
      );
    const sentTo = () =>
      smtp.messages
        .filter((message) => message.subject?.includes('Запрос №'))
        .map((message) => [
          message.to && 'text' in message.to ? message.to.text : '',
          message.subject,
        ]);

    // Filed Mon 2 March, due Thu 12 March (7 wd). Nothing yet on the day of receipt.
    expect(await run()).toEqual({ created: 0, emailed: 0 });

    // Mon 9 March is a day off; Fri 6 March has 3 working days left (10, 11, 12 March).
    testApp.clock.advance(4 * DAY_MS);
    expect(await run()).toEqual({ created: 1, emailed: 1 });
    expect(await run()).toEqual({ created: 0, emailed: 0 });
    // Wed 11 March: 1 working day left.
    testApp.clock.advance(5 * DAY_MS);
    expect(await run()).toEqual({ created: 1, emailed: 1 });
    // Fri 13 March: overdue.
    testApp.clock.advance(2 * DAY_MS);
    expect(await run()).toEqual({ created: 1, emailed: 1 });
    expect(await run()).toEqual({ created: 0, emailed: 0 });

    const rows = await notifications();
    expect(rows.map((row) => row.kind)).toEqual([
      'request_due_3wd',
      'request_due_1wd',
      'request_overdue',
    ]);
    expect(rows.every((row) => row.emailed_at !== null)).toBe(true);
    expect(rows[2]?.text).toContain(`срок ответа ${dueOn?.split('-').reverse().join('.')} истёк`);
    const mails = sentTo();
    expect(mails).toHaveLength(3);
    expect(mails.every(([to]) => to === officer.email)).toBe(true);
    // No personal data in a reminder: the reference, the type and the date.
    expect(smtp.messages.at(-1)?.text).toContain(`/requests/${id}`);
  });
});

describe('notificationLink', () => {
  it('sends the reader to the page of the entity the notification is about', () => {
    const url = 'https://crm.clinic.test';
    expect(notificationLink(url, { entityType: 'subject_request', entityId: 'r1' })).toBe(
      `${url}/requests/r1`,
    );
    expect(notificationLink(url, { entityType: 'incident', entityId: 'i1' })).toBe(
      `${url}/incidents/i1`,
    );
    expect(notificationLink(url, { entityType: 'task', entityId: 't1' })).toBe(`${url}/tasks`);
    expect(notificationLink(url, { entityType: 'unknown_kind', entityId: 'x' })).toBe(`${url}/`);
  });
});
