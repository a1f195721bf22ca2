import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import { ctxOf, fileIn, makeSubject } from '../../test/request-factories.ts';
import { checkOutbound } from '../messaging/gate.service.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { addWorkingDays, toMoscowDate } from './clock.ts';
import {
  type createSubjectRequest,
  draftSubjectRequestLetter,
  extendSubjectRequest,
  fileSubjectRequest,
  getSubjectRequest,
  markAnswerIncomplete,
} from './requests.service.ts';

const getApp = setupTestApp();
const DAY_MS = 86_400_000;

async function ruleOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) {
      expect(error.status).toBe(422);
      return String(error.details?.rule);
    }
    throw error;
  }
  throw new Error('Expected a refusal');
}

describe('subject requests: clocks (R-S1, R-S4, R-S5, R-S6, R-G2)', () => {
  // The test clock starts on Monday 2 March 2026, 12:00 in Moscow; 9 March 2026 is the day off
  // that 8 March (a Sunday) moves to.
  it('sets each type’s due date from its legal clock, counted in Russian working days', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const due = async (
      type: Parameters<typeof createSubjectRequest>[2]['type'],
      jurisdiction: 'ru' | 'gdpr' | 'both' = 'ru',
    ) => (await fileIn(testApp, org, { type, jurisdiction })).dueDate;
    expect(await due('access')).toBe('2026-03-17'); // 10 wd, skipping 9 March
    expect(await due('stop')).toBe('2026-03-17'); // 10 wd
    expect(await due('rkn')).toBe('2026-03-17'); // 10 wd
    expect(await due('correction')).toBe('2026-03-12'); // 7 wd
    expect(await due('deletion')).toBe('2026-03-12'); // 7 wd
    expect(await due('withdrawal')).toBe('2026-04-01'); // 30 calendar days
    expect(await due('access', 'gdpr')).toBe('2026-04-02'); // one month
    expect(await due('access', 'both')).toBe('2026-03-17'); // the earlier one wins
  });
});

describe('subject requests: the one extension (R-S1)', () => {
  it('refuses more than 5 working days, no reason, no notice, a second one, or a clock without extensions', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const ctx = ctxOf(testApp, org);
    const { id } = await fileIn(testApp, org, { type: 'access' });
    const notice = { channel: 'paper' as const, reference: 'Письмо № 12 от 03.03.2026' };
    expect(
      await ruleOf(
        extendSubjectRequest(ctx, id, { byWorkingDays: 6, reason: 'Сбор данных', notice }),
      ),
    ).toBe('extension_too_long');
    expect(
      await ruleOf(extendSubjectRequest(ctx, id, { byWorkingDays: 5, reason: '  ', notice })),
    ).toBe('extension_reason_required');
    expect(
      await ruleOf(extendSubjectRequest(ctx, id, { byWorkingDays: 5, reason: 'Сбор данных' })),
    ).toBe('extension_notice_required');

    const extended = await extendSubjectRequest(ctx, id, {
      byWorkingDays: 5,
      reason: 'Сведения хранятся в архиве филиала',
      notice,
    });
    expect(extended.dueDate).toBe('2026-03-24');
    expect(
      await ruleOf(extendSubjectRequest(ctx, id, { byWorkingDays: 1, reason: 'Ещё', notice })),
    ).toBe('extension_used');

    const detail = await getSubjectRequest(ctx, id);
    expect(detail).toMatchObject({
      status: 'extended',
      dueDate: '2026-03-17',
      effectiveDueDate: '2026-03-24',
      extension: {
        byWorkingDays: 5,
        noticeChannel: 'paper',
        noticeRef: 'Письмо № 12 от 03.03.2026',
      },
    });
    expect(detail.events.map((event) => event.kind)).toEqual(['received', 'extended']);

    const correction = await fileIn(testApp, org, { type: 'correction' });
    expect(
      await ruleOf(
        extendSubjectRequest(ctx, correction.id, { byWorkingDays: 2, reason: 'Причина', notice }),
      ),
    ).toBe('extension_not_allowed');
  });

  it('queues the notice to the subject’s address when it goes by email, and refuses without one', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const ctx = ctxOf(testApp, org);
    const withEmail = await makeSubject(testApp, org, {
      name: 'Ирина Соколова',
      phone: '+79160001001',
      email: 'irina@example.test',
    });
    const withoutEmail = await makeSubject(testApp, org, {
      name: 'Пётр Орлов',
      phone: '+79160001002',
    });
    const first = await fileIn(testApp, org, { type: 'access', contactId: withEmail });
    await extendSubjectRequest(ctx, first.id, {
      byWorkingDays: 3,
      reason: 'Запрошены сведения у лаборатории',
      notice: { channel: 'email' },
    });
    const mail = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ kind: string; subject: string; contact_id: string }>(
        sql`SELECT kind, subject, contact_id FROM mail_outbox WHERE kind = 'subject_request.extension'`,
      ),
    );
    expect(mail).toEqual([
      {
        kind: 'subject_request.extension',
        subject: expect.stringContaining('Продление срока ответа'),
        contact_id: withEmail,
      },
    ]);

    const second = await fileIn(testApp, org, { type: 'access', contactId: withoutEmail });
    expect(
      await ruleOf(
        extendSubjectRequest(ctx, second.id, {
          byWorkingDays: 3,
          reason: 'Причина',
          notice: { channel: 'email' },
        }),
      ),
    ).toBe('no_email_on_record');
  });
});

describe('subject requests: repeats (R-S3)', () => {
  it('flags a second identical request within 30 days, not after, and not when the first answer was incomplete', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const contactId = await makeSubject(testApp, org, { name: 'Анна', phone: '+79160002001' });
    const first = await fileIn(testApp, org, { type: 'access', contactId });
    expect(first.isRepeat).toBe(false);

    testApp.clock.advance(10 * DAY_MS);
    const second = await fileIn(testApp, org, { type: 'access', contactId });
    expect(second.isRepeat).toBe(true);
    // Another type is not a repeat.
    expect((await fileIn(testApp, org, { type: 'correction', contactId })).isRepeat).toBe(false);
    // The repeat is registered, with its own due date: flagged, not dropped.
    const ctx = ctxOf(testApp, org);
    expect(await getSubjectRequest(ctx, second.id)).toMatchObject({
      isRepeat: true,
      repeatOf: first.id,
      status: 'verifying',
    });

    // The first answer was incomplete: repeats of it are fresh requests.
    const { cleared } = await markAnswerIncomplete(ctx, first.id, 'Не указан источник данных');
    expect(cleared).toEqual([second.id]);
    expect((await getSubjectRequest(ctx, second.id)).isRepeat).toBe(false);
    expect((await fileIn(testApp, org, { type: 'access', contactId })).isRepeat).toBe(false);

    // More than 30 days after everything: a fresh request.
    testApp.clock.advance(31 * DAY_MS);
    expect((await fileIn(testApp, org, { type: 'access', contactId })).isRepeat).toBe(false);
  });
});

describe('subject requests: a demand to stop (R-S6)', () => {
  it('refuses every outbound action at once, while the legal due date still shows', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const contactId = await makeSubject(testApp, org, { name: 'Олег', phone: '+79160003001' });
    const ctx = ctxOf(testApp, org);
    const before = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      checkOutbound(tx, ctx, { contactId, purposeCode: 'marketing', channel: 'sms' }),
    );
    expect(before.allowed).toBe(true);

    const { id, dueDate } = await fileIn(testApp, org, {
      type: 'stop',
      contactId,
      source: 'portal',
    });
    // The legal 10 working days still run (the clock engine's own tests check the dates).
    expect(dueDate).toBe(addWorkingDays(toMoscowDate(testApp.clock.now()), 10));
    for (const purposeCode of ['marketing', 'appointment']) {
      const after = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        checkOutbound(tx, ctx, { contactId, purposeCode, channel: 'sms' }),
      );
      expect(after).toEqual({ allowed: false, reason: 'processing_stopped' });
    }
    const detail = await getSubjectRequest(ctx, id);
    expect(detail.outcome.blockId).toEqual(expect.any(String));
    expect(detail.events.map((event) => event.kind)).toEqual(['received', 'processing_stopped']);
  });
});

describe('subject requests: the access answer (R-S2)', () => {
  it('covers every item of Art. 14 p.7 and names no other subject', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const anna = await makeSubject(testApp, org, {
      name: 'Анна Кузнецова',
      phone: '+79160004001',
      email: 'anna.k@example.test',
    });
    await makeSubject(testApp, org, {
      name: 'Борис Другов',
      phone: '+79160004002',
      email: 'boris.d@example.test',
    });
    const ctx = ctxOf(testApp, org);
    const { id } = await fileSubjectRequest(ctx, {
      type: 'access',
      source: 'paper',
      jurisdiction: 'ru',
      contactId: anna,
      sourceRef: 'scan-2026-03-02-001.pdf',
      verification: {
        method: 'document',
        documentNumber: '4510 123456',
        documentIssuer: 'ОВД Тверского района г. Москвы',
        documentIssuedOn: '2015-06-01',
      },
    });
    const { text } = await draftSubjectRequestLetter(ctx, id, { kind: 'answer' });
    for (const heading of [
      '1. Подтверждение факта обработки',
      '2. Правовые основания и цели обработки',
      '3. Цели и применяемые оператором способы обработки',
      '4. Наименование и место нахождения оператора',
      '5. Обрабатываемые персональные данные, относящиеся к вам, и источник их получения',
      '6. Сроки обработки персональных данных',
      '7. Порядок осуществления ваших прав',
      '8. Трансграничная передача',
      '9. Лицо, осуществляющее обработку по поручению оператора',
      '10. Способы исполнения оператором обязанностей, установленных ст. 18.1',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('ООО «Клиника Здоровье»');
    expect(text).toContain('125009, г. Москва, ул. Тверская, д. 1');
    expect(text).toContain('Запись на приём и обратная связь по заявке');
    expect(text).toContain('Анна Кузнецова');
    expect(text).toContain('+79160004001');
    expect(text).toContain('anna.k@example.test');
    expect(text).not.toContain('Борис');
    expect(text).not.toContain('+79160004002');
    expect(text).not.toContain('boris.d@example.test');

    // Reading the subject's data for the answer is logged against her.
    const access = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ reason: string }>(sql`SELECT reason FROM access_log WHERE subject_id = ${anna}`),
    );
    expect(access.map((row) => row.reason)).toContain('subject_request_answer');
  });
});

describe('subject requests: the register', () => {
  it('keeps the identity record sealed and writes events and audit rows for every act', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const contactId = await makeSubject(testApp, org, { name: 'Вера', phone: '+79160005001' });
    const ctx = ctxOf(testApp, org);
    const { id } = await fileSubjectRequest(ctx, {
      type: 'correction',
      source: 'phone',
      jurisdiction: 'ru',
      contactId,
      details: 'Неверно записана фамилия',
      requester: { name: 'Вера Смирнова' },
    });
    const [stored] = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ status: string; details_enc: Uint8Array; sealed_with: string }>(
        sql`SELECT status, details_enc, sealed_with FROM subject_requests WHERE id = ${id}`,
      ),
    );
    expect(stored?.status).toBe('verifying');
    expect(stored?.sealed_with).toBe('subject');
    expect(Buffer.from(stored?.details_enc ?? []).toString('utf8')).not.toContain('фамилия');

    const detail = await getSubjectRequest(ctx, id);
    expect(detail).toMatchObject({
      details: 'Неверно записана фамилия',
      requester: { name: 'Вера Смирнова' },
      subjectName: 'Вера',
      verification: { method: 'none', verifiedAt: null },
    });
    const audit = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ action: string }>(
        sql`SELECT action FROM audit_log WHERE entity_id = ${id} ORDER BY at`,
      ),
    );
    expect(audit.map((row) => row.action)).toEqual(['subject_request.received']);
  });
});
