import { findContacts } from '../contacts/contacts.service.ts';
import type { Ctx } from '../platform/context.ts';
import { withTx } from '../platform/db/tx.ts';
import { findPurposeList } from '../purposes/purposes.service.ts';
import {
  answerSubjectRequest,
  closeSubjectRequest,
  createSubjectRequest,
  extendSubjectRequest,
  fileSubjectRequest,
  refuseSubjectRequest,
  verifySubjectRequest,
} from '../subject-requests/requests.service.ts';

const DAY_MS = 86_400_000;

/**
 * The demo clinic's requests queue: one request in every status, an overdue one and one due
 * within days, acted on through the real use cases (so each has its timeline, audit rows and
 * letters). Needs the contacts seeded by the capture demo.
 */
export async function seedDemoRequests(ctx: Ctx): Promise<{ requests: number }> {
  const contacts = (await findContacts(ctx, { page: 1, pageSize: 10 })).items;
  const [anna, boris, vera, gleb, dina] = contacts.map((contact) => contact.id);
  const marketing = (await findPurposeList(ctx)).find((purpose) => purpose.code === 'marketing');
  const at = (daysAgo: number): Ctx => ({
    ...ctx,
    now: new Date(ctx.now.getTime() - daysAgo * DAY_MS),
  });
  const paper = (reference: string) => ({ channel: 'paper' as const, reference });
  let count = 0;

  // Received through the portal today: waiting to be picked up.
  if (anna) {
    const portalCtx: Ctx = { ...ctx, actor: { type: 'system', label: 'portal' } };
    await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
      createSubjectRequest(tx, portalCtx, {
        contactId: anna,
        type: 'access',
        source: 'portal',
        jurisdiction: 'ru',
        receivedAt: ctx.now,
        details: 'Какие мои данные хранятся у клиники?',
        purposeId: null,
      }),
    );
    count += 1;
  }

  // A call from someone not yet matched to a contact: identity still to be checked.
  await fileSubjectRequest(at(2), {
    type: 'correction',
    source: 'phone',
    jurisdiction: 'ru',
    requester: { name: 'Козлова Мария Андреевна', phone: '+7 916 555-12-34' },
    details: 'В записи на приём неверно указана фамилия: Козлова, а не Козлаева.',
    sourceRef: 'Запись звонка № 2291',
  });
  count += 1;

  // A paper request checked against a passport, due within days (shown in orange).
  if (boris) {
    await fileSubjectRequest(at(8), {
      type: 'access',
      source: 'paper',
      jurisdiction: 'ru',
      contactId: boris,
      details: 'Прошу предоставить сведения об обработке моих персональных данных.',
      sourceRef: 'Скан заявления вх. № 47',
      verification: {
        method: 'document',
        documentNumber: '4512 345678',
        documentIssuer: 'ОУФМС России по г. Москве',
        documentIssuedOn: '2014-09-15',
        relationship: 'Договор на оказание медицинских услуг № 1187 от 12.02.2024',
      },
    });
    count += 1;
  }

  // Extended once, with the notice sent by post.
  if (vera) {
    const { id } = await fileSubjectRequest(at(11), {
      type: 'access',
      source: 'email',
      jurisdiction: 'both',
      contactId: vera,
      details: 'Request for access under GDPR Art. 15 and 152-FZ Art. 14.',
      verification: { method: 'signed_email' },
    });
    await extendSubjectRequest(at(4), id, {
      byWorkingDays: 5,
      reason: 'Часть сведений хранится в архиве филиала и запрошена оттуда.',
      notice: paper('Письмо исх. № 112, Почта России, РПО 12510288012345'),
    });
    count += 1;
  }

  // A demand to stop: processing stopped at once, then answered.
  if (gleb) {
    const { id } = await fileSubjectRequest(at(5), {
      type: 'stop',
      source: 'phone',
      jurisdiction: 'ru',
      contactId: gleb,
      details: 'Больше не звоните и не пишите мне.',
      verification: { method: 'in_person' },
    });
    await answerSubjectRequest(at(3), id, {
      text: 'Обработка ваших персональных данных прекращена в день получения требования.',
      delivery: { channel: 'phone', reference: 'Сообщено по телефону администратором' },
    });
    count += 1;
  }

  // A refusal: the requester could not be identified.
  {
    const { id } = await fileSubjectRequest(at(9), {
      type: 'access',
      source: 'email',
      jurisdiction: 'ru',
      requester: { name: 'И. Петров', email: 'ipetrov@example.test' },
      details: 'Пришлите все данные о Петрове.',
    });
    await refuseSubjectRequest(at(6), id, {
      motivation:
        'Запрос не содержит сведений, позволяющих установить личность заявителя и его отношения с оператором (ч. 3 ст. 14 Федерального закона № 152-ФЗ).',
      delivery: paper('Ответ направлен письмом исх. № 108'),
    });
    count += 1;
  }

  // A withdrawal of consent to advertising, done and closed.
  if (dina && marketing) {
    const { id } = await fileSubjectRequest(at(15), {
      type: 'withdrawal',
      source: 'paper',
      jurisdiction: 'ru',
      contactId: dina,
      purposeCode: 'marketing',
      sourceRef: 'Скан заявления вх. № 39',
      verification: { method: 'in_person' },
    });
    await answerSubjectRequest(at(14), id, {
      text: 'Ваш отзыв согласия на рассылку зарегистрирован; рассылка прекращена.',
      delivery: paper('Вручено лично'),
    });
    await closeSubjectRequest(at(13), id, undefined);
    count += 1;
  }

  // Roskomnadzor's request, overdue (shown in red).
  await fileSubjectRequest(at(20), {
    type: 'rkn',
    source: 'paper',
    jurisdiction: 'ru',
    details: 'Запрос Управления Роскомнадзора о сведениях об иностранных получателях.',
    sourceRef: 'Вх. № 51 от Управления Роскомнадзора по ЦФО',
  });
  count += 1;

  if (anna) {
    // Shows the identity step on a request already answered in part.
    const { id } = await fileSubjectRequest(at(1), {
      type: 'deletion',
      source: 'staff',
      jurisdiction: 'ru',
      contactId: anna,
      details: 'Удалите мой номер телефона из базы.',
    });
    await verifySubjectRequest(ctx, id, { method: 'in_person', note: 'Паспорт предъявлен' });
    count += 1;
  }
  return { requests: count };
}
