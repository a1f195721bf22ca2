import { withdrawConsent } from '../consent/consent.service.ts';
import { chainJournal } from '../consent/journal.service.ts';
import { findContacts } from '../contacts/contacts.service.ts';
import { submitForm } from '../forms/submissions.service.ts';
import type { Ctx } from '../platform/context.ts';
import { createPurpose, findPurposeList } from '../purposes/purposes.service.ts';
import {
  placeHold,
  recordBasis,
  runRetention,
  setPurposeTriggers,
} from '../retention/retention.service.ts';
import { DEMO_FORM_SLUG } from './demo-capture.ts';

const DAY_MS = 86_400_000;

/**
 * The demo clinic's retention: "purpose achieved" triggers, a treatment contract that keeps a
 * patient after a withdrawal, a legal hold, a withdrawal whose 30 days are still running, and
 * one executed run that destroyed two people and wrote its signed act with the extract. Acts
 * through the real use cases; needs the capture demo (profile, purposes, form).
 */
export async function seedDemoRetention(
  ctx: Ctx,
): Promise<{ actNumber: number | null; destroyed: number }> {
  const at = (daysAgo: number): Ctx => ({
    ...ctx,
    now: new Date(ctx.now.getTime() - daysAgo * DAY_MS),
  });
  await setPurposeTriggers(ctx, 'appointment', {
    triggers: [
      { kind: 'lead_lost', days: null },
      { kind: 'no_activity_days', days: 365 },
    ],
  });
  if (!(await findPurposeList(ctx)).some((purpose) => purpose.code === 'treatment')) {
    await createPurpose(ctx, {
      code: 'treatment',
      kind: 'processing',
      title: 'Исполнение договора на оказание платных медицинских услуг',
      legalBasis: 'contract',
      dataCategories: [
        { code: 'name', title: 'фамилия, имя, отчество', isSpecial: false },
        { code: 'phone', title: 'номер телефона', isSpecial: false },
      ],
      subjectCategories: ['пациенты'],
      actions: ['сбор', 'запись', 'хранение', 'использование', 'уничтожение'],
      methods: 'автоматизированная обработка',
      channels: ['call'],
      recipients: [],
      retentionDays: 1825,
      isWrittenConsentRequired: false,
    });
  }
  const purposes = await findPurposeList(ctx);
  const documentOf = (code: string) =>
    purposes.find((purpose) => purpose.code === code)?.document?.id ?? null;
  const submit = async (name: string, phone: string, daysAgo: number, key: string) => {
    await submitForm(
      { db: ctx.db, keys: ctx.keys, publicUrl: ctx.publicUrl, now: at(daysAgo).now },
      {
        formSlug: DEMO_FORM_SLUG,
        values: { name, phone },
        consents: {
          appointment: { isGiven: true, documentId: documentOf('appointment') },
          marketing: { isGiven: true, documentId: documentOf('marketing') },
        },
        idempotencyKey: key,
        attribution: { utm_source: 'yandex', utm_medium: 'cpc' },
        client: {
          ip: '198.51.100.23',
          userAgent: 'Mozilla/5.0 (demo)',
          pageUrl: 'https://zdorovaya-semya.example/',
        },
      },
    );
    const found = await findContacts(ctx, { page: 1, pageSize: 1, q: phone });
    const contact = found.items[0];
    if (!contact) throw new Error('The demo contact was not found');
    return contact.id;
  };
  const withdrawAll = async (contactId: string, daysAgo: number, note: string) => {
    for (const purposeCode of ['appointment', 'marketing']) {
      await withdrawConsent(at(daysAgo), { contactId, purposeCode, body: { note } });
    }
  };

  // Withdrew everything 40 and 34 days ago: destroyed by the run below, named in its act.
  const gone = await submit('Савельев Олег Петрович', '+79035550101', 70, 'demo-retention-1');
  await withdrawAll(gone, 40, 'Попросил по телефону удалить его данные');
  const goneToo = await submit('Орлова Нина Викторовна', '+79035550102', 60, 'demo-retention-2');
  await withdrawAll(goneToo, 34, 'Отозвала согласия письмом');
  // A patient under a treatment contract withdrew too: kept on the contract basis (R-D4).
  const patient = await submit('Кузнецова Алла Сергеевна', '+79035550103', 50, 'demo-retention-3');
  await recordBasis(at(50), {
    contactId: patient,
    purposeCode: 'treatment',
    reference: 'Договор № 2291 от 12.08.2025',
  });
  await withdrawAll(patient, 33, 'Отказалась от рассылок и записи через сайт');
  // A dispute holds this one, whose 30 days have run out.
  const disputed = await submit('Лебедев Игорь Андреевич', '+79035550104', 45, 'demo-retention-4');
  await withdrawAll(disputed, 31, 'Требование в претензии');
  await placeHold(at(20), {
    contactId: disputed,
    reason: 'Претензия пациента, вх. № 118 от 05.09.2025: хранить до разрешения спора',
    untilDate: null,
  });
  // Withdrew ten days ago: in the queue, due in twenty days.
  const waiting = await submit('Миронова Дарья Ильинична', '+79035550105', 25, 'demo-retention-5');
  await withdrawAll(waiting, 10, 'Отозвала через раздел «Мои данные»');
  await chainJournal(ctx.db, ctx.orgId);

  const run = await runRetention(
    { ...ctx, actor: { type: 'system', label: 'demo' } },
    {
      isDryRun: false,
    },
  );
  return { actNumber: run.actNumber, destroyed: run.destroyed };
}
