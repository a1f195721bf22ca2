import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeMember, makeOrg } from '../../test/factories.ts';
import { signIn } from '../../test/http.ts';
import { makeSubject } from '../../test/request-factories.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';

const getApp = setupTestApp();
const BASE = '/api/v1/subject-requests';

type Detail = {
  id: string;
  status: string;
  effectiveDueDate: string;
  verification: { method: string; documentNumber: string | null };
  answer: { text: string | null; channel: string } | null;
  outcome: Record<string, unknown>;
  events: { kind: string; actor: { label: string | null } }[];
  personalDataState: string;
};

describe('subject requests over HTTP', () => {
  it('lets only the owner, administrators and the privacy officer work on requests; auditors read the queue', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const callers = {
      front_desk: await makeMember(testApp, org.orgId, 'front_desk'),
      marketer: await makeMember(testApp, org.orgId, 'marketer'),
      auditor: await makeMember(testApp, org.orgId, 'auditor'),
      privacy_officer: await makeMember(testApp, org.orgId, 'privacy_officer'),
    };
    const status = async (role: keyof typeof callers, method: 'GET' | 'POST') => {
      const person = callers[role];
      const client = await signIn(testApp, person.email, person.password);
      const answer =
        method === 'GET'
          ? await client.get(BASE)
          : await client.post(BASE, { type: 'access', source: 'phone' });
      return answer.status;
    };
    expect(await status('front_desk', 'GET')).toBe(403);
    expect(await status('marketer', 'GET')).toBe(403);
    expect(await status('auditor', 'GET')).toBe(200);
    expect(await status('auditor', 'POST')).toBe(403);
    expect(await status('privacy_officer', 'POST')).toBe(201);
    expect(await status('privacy_officer', 'GET')).toBe(200);
  });

  it('takes a request in, verifies identity, extends with a notice, answers and hands out the answer', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const contactId = await makeSubject(testApp, org, {
      name: 'Галина Петрова',
      phone: '+79160006001',
      email: 'galina@example.test',
    });
    const officer = await makeMember(testApp, org.orgId, 'privacy_officer');
    const client = await signIn(testApp, officer.email, officer.password);

    const created = await client.post<{ id: string; dueDate: string; isRepeat: boolean }>(BASE, {
      type: 'access',
      source: 'paper',
      contactId,
      sourceRef: 'scan-0001.pdf',
      details: 'Прошу сообщить, какие мои данные вы храните',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    // Answering before identity is verified is refused (R-S3).
    const early = await client.post(`${BASE}/${id}/answer`, {
      text: 'Ответ',
      delivery: { channel: 'paper', reference: 'Почта России, РПО 1' },
    });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ error: { details: { rule: 'identity_not_verified' } } });

    expect(
      (
        await client.post(`${BASE}/${id}/verify`, {
          method: 'document',
          documentNumber: '4510 654321',
          documentIssuer: 'ГУ МВД России по г. Москве',
          documentIssuedOn: '2019-04-10',
        })
      ).status,
    ).toBe(204);

    // An extension without a notice, or longer than 5 wd, is a 422 with its rule.
    const noNotice = await client.post(`${BASE}/${id}/extend`, {
      byWorkingDays: 5,
      reason: 'Данные в архиве',
    });
    expect(noNotice.status).toBe(422);
    expect(noNotice.body).toMatchObject({
      error: { details: { rule: 'extension_notice_required' } },
    });
    const tooLong = await client.post(`${BASE}/${id}/extend`, {
      byWorkingDays: 6,
      reason: 'Данные в архиве',
      notice: { channel: 'email' },
    });
    expect(tooLong.body).toMatchObject({ error: { details: { rule: 'extension_too_long' } } });
    const extended = await client.post<{ dueDate: string }>(`${BASE}/${id}/extend`, {
      byWorkingDays: 5,
      reason: 'Данные в архиве',
      notice: { channel: 'email' },
    });
    expect(extended.status).toBe(200);

    const draft = await client.get<{ text: string }>(`${BASE}/${id}/draft?kind=answer`);
    expect(draft.status).toBe(200);
    expect(draft.body.text).toContain('Галина Петрова');
    const answered = await client.post(`${BASE}/${id}/answer`, {
      text: draft.body.text,
      delivery: { channel: 'email' },
    });
    expect(answered.status).toBe(204);

    const detail = await client.get<Detail>(`${BASE}/${id}`);
    expect(detail.body).toMatchObject({
      status: 'answered',
      effectiveDueDate: extended.body.dueDate,
      verification: { method: 'document', documentNumber: '4510 654321' },
      answer: { channel: 'email' },
      personalDataState: 'shown',
    });
    expect(detail.body.events.map((event) => event.kind)).toEqual([
      'received',
      'verified',
      'extended',
      'answered',
    ]);
    expect(detail.body.events.every((event) => event.actor.label)).toBe(true);

    const mail = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ kind: string }>(sql`SELECT kind FROM mail_outbox WHERE contact_id = ${contactId}
        AND kind LIKE 'subject_request.%' ORDER BY created_at`),
    );
    expect(mail.map((row) => row.kind).sort()).toEqual([
      'subject_request.answer',
      'subject_request.extension',
    ]);

    const download = await testApp.app.request(`${BASE}/${id}/answer/download?format=html`, {
      headers: {
        cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('text/html');
    expect(download.headers.get('content-disposition')).toContain('.html');
    expect(await download.text()).toContain('Галина Петрова');

    // Closed after the answer; the trail keeps every step.
    expect((await client.post(`${BASE}/${id}/close`, {})).status).toBe(204);
    const again = await client.post(`${BASE}/${id}/answer`, {
      text: 'x',
      delivery: { channel: 'email' },
    });
    expect(again.body).toMatchObject({ error: { details: { rule: 'request_finished' } } });

    const audit = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ action: string }>(
        sql`SELECT action FROM audit_log WHERE entity_id = ${id} ORDER BY id`,
      ),
    );
    expect(audit.map((row) => row.action)).toEqual([
      'subject_request.received',
      'subject_request.verified',
      'subject_request.extended',
      'subject_request.answered',
      'subject_request.closed',
    ]);
  });

  it('erases the subject when a deletion request is answered, keeping the register', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const contactId = await makeSubject(testApp, org, {
      name: 'Денис Зайцев',
      phone: '+79160007001',
    });
    const client = await signIn(testApp, org.owner.email, org.owner.password);
    const created = await client.post<{ id: string }>(BASE, {
      type: 'deletion',
      source: 'phone',
      contactId,
      verification: { method: 'in_person', note: 'Паспорт предъявлен на ресепшене' },
    });
    const id = created.body.id;
    const byEmail = await client.post(`${BASE}/${id}/answer`, {
      text: 'Ваши данные уничтожены',
      delivery: { channel: 'email' },
    });
    expect(byEmail.body).toMatchObject({
      error: { details: { rule: 'answer_channel_unavailable' } },
    });
    const draft = await client.get<{ text: string }>(`${BASE}/${id}/draft`);
    expect(draft.body.text).not.toContain('Денис');
    const answered = await client.post(`${BASE}/${id}/answer`, {
      text: draft.body.text,
      delivery: { channel: 'paper', reference: 'Выдано лично' },
    });
    expect(answered.status).toBe(204);

    const [contact] = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ erased_at: Date | null; name_enc: Uint8Array | null }>(
        sql`SELECT erased_at, name_enc FROM contacts WHERE id = ${contactId}`,
      ),
    );
    expect(contact?.erased_at).not.toBeNull();
    expect(contact?.name_enc).toBeNull();
    const detail = await client.get<Detail>(`${BASE}/${id}`);
    expect(detail.body.status).toBe('answered');
    expect(detail.body.outcome.erasure).toMatchObject({ erasedAt: expect.any(String) });
    // The confirmation stays readable under the organization key; the request's own personal
    // data went with the subject's key.
    expect(detail.body.answer?.text).toContain('уничтожены');
    expect(detail.body.personalDataState).toBe('shredded');
  });
});
