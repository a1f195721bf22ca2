import { recordStaffConsent, withdrawConsent } from '../consent/consent.service.ts';
import { chainJournal, signCheckpoint } from '../consent/journal.service.ts';
import { findContacts } from '../contacts/contacts.service.ts';
import { createForm } from '../forms/forms.service.ts';
import { submitForm } from '../forms/submissions.service.ts';
import type { Ctx } from '../platform/context.ts';
import { createPurpose, findPurposeList, saveProfile } from '../purposes/purposes.service.ts';

export const DEMO_FORM_SLUG = 'demo';

const FIRST_NAMES = [
  'Ирина',
  'Алексей',
  'Ольга',
  'Дмитрий',
  'Наталья',
  'Сергей',
  'Екатерина',
  'Андрей',
  'Татьяна',
  'Михаил',
  'Светлана',
  'Артём',
];
const LAST_NAMES = [
  'Соколова',
  'Иванов',
  'Кузнецова',
  'Попов',
  'Васильева',
  'Петров',
  'Смирнова',
  'Новиков',
  'Морозова',
  'Волков',
  'Фёдорова',
  'Лебедев',
];

// Where a clinic's patients come from, roughly in proportion.
const SOURCES: Record<string, string>[] = [
  { utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'stomatologiya-poisk' },
  { utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'implanty-rsya' },
  { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand' },
  { utm_source: 'vk', utm_medium: 'social', utm_campaign: 'akciya-gigiena' },
  { utm_source: '2gis', utm_medium: 'maps' },
  { referrer: 'https://yandex.ru/' },
  { referrer: 'https://prodoctorov.ru/moskva/' },
  {},
];

/** A small deterministic generator, so the demo looks the same on every machine. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/**
 * The demo clinic's lead capture: operator profile, a processing and an advertising purpose,
 * the form at /f/demo and two months of submissions through the real submission path.
 */
export async function seedDemoCapture(ctx: Ctx): Promise<{ submissions: number }> {
  await saveProfile(ctx, {
    legalName: 'ООО «Здоровая семья»',
    address: '123100, г. Москва, Пресненская наб., д. 8, стр. 1',
    inn: '7703123456',
    ogrn: '1187746123456',
    responsibleName: 'Белова Елена Николаевна',
    responsibleContacts: 'privacy@zdorovaya-semya.example, +7 495 123-45-67',
    processors: [
      { name: 'ООО «Медмаркетинг»', address: '191025, г. Санкт-Петербург, Невский пр., д. 100' },
    ],
    policyUrl: 'https://zdorovaya-semya.example/privacy',
  });
  const existing = new Set((await findPurposeList(ctx)).map((purpose) => purpose.code));
  if (!existing.has('appointment')) {
    await createPurpose(ctx, {
      code: 'appointment',
      kind: 'processing',
      title: 'Запись на приём и обратная связь по заявке',
      legalBasis: 'consent',
      dataCategories: [
        { code: 'name', title: 'фамилия, имя, отчество', isSpecial: false },
        { code: 'phone', title: 'номер телефона', isSpecial: false },
        { code: 'email', title: 'адрес электронной почты', isSpecial: false },
      ],
      subjectCategories: ['пациенты и их законные представители', 'посетители сайта'],
      actions: [
        'сбор',
        'запись',
        'систематизация',
        'хранение',
        'уточнение',
        'использование',
        'удаление',
        'уничтожение',
      ],
      methods: 'автоматизированная обработка с передачей по внутренней сети оператора',
      channels: ['call', 'sms'],
      recipients: [],
      retentionDays: 365,
      isWrittenConsentRequired: false,
    });
  }
  if (!existing.has('marketing')) {
    await createPurpose(ctx, {
      code: 'marketing',
      kind: 'advertising',
      title: 'Информирование об акциях и специальных предложениях клиники',
      legalBasis: 'consent',
      dataCategories: [
        { code: 'name', title: 'имя', isSpecial: false },
        { code: 'phone', title: 'номер телефона', isSpecial: false },
        { code: 'email', title: 'адрес электронной почты', isSpecial: false },
      ],
      subjectCategories: ['пациенты', 'посетители сайта'],
      actions: ['сбор', 'запись', 'хранение', 'использование', 'уничтожение'],
      methods: 'автоматизированная обработка',
      channels: ['email', 'sms'],
      recipients: [],
      retentionDays: 730,
      isWrittenConsentRequired: false,
    });
  }
  const form = await createForm(ctx, {
    slug: DEMO_FORM_SLUG,
    title: 'Запись на приём',
    status: 'published',
    definition: {
      fields: [
        { name: 'name', label: 'Имя', type: 'text', isRequired: true, maxLength: 200 },
        { name: 'phone', label: 'Телефон', type: 'tel', isRequired: true, maxLength: 50 },
        { name: 'email', label: 'Email', type: 'email', isRequired: false, maxLength: 200 },
      ],
      consents: [
        { purposes: ['appointment'], isRequired: true },
        { purposes: ['marketing'], isRequired: false },
      ],
      submitLabel: 'Записаться',
      thankYou: { title: 'Спасибо! Администратор перезвонит вам в течение 15 минут.', text: '' },
    },
  });
  const purposes = await findPurposeList(ctx);
  const documentOf = (code: string) =>
    purposes.find((purpose) => purpose.code === code)?.document?.id ?? null;
  const random = generator(20_250_901);
  const count = 48;
  for (let index = 0; index < count; index += 1) {
    const daysAgo = Math.floor((count - index) * 1.25);
    const at = new Date(
      ctx.now.getTime() - daysAgo * 86_400_000 - Math.floor(random() * 8 * 3_600_000),
    );
    const first = FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)] ?? 'Ирина';
    const last = LAST_NAMES[Math.floor(random() * LAST_NAMES.length)] ?? 'Соколова';
    const phone = `+7916${String(1_000_000 + Math.floor(random() * 8_999_999)).slice(0, 7)}`;
    const wantsNews = random() < 0.35;
    await submitForm(
      { db: ctx.db, keys: ctx.keys, publicUrl: ctx.publicUrl, now: at },
      {
        formSlug: form.slug,
        values: {
          name: `${first} ${last}`,
          phone,
          ...(random() < 0.6 ? { email: `${phone.slice(-7)}@mail.example` } : {}),
        },
        consents: {
          appointment: { isGiven: true, documentId: documentOf('appointment') },
          ...(wantsNews
            ? { marketing: { isGiven: true, documentId: documentOf('marketing') } }
            : {}),
        },
        idempotencyKey: `demo-${index}`,
        attribution: SOURCES[Math.floor(random() * SOURCES.length)] ?? {},
        client: {
          ip: '198.51.100.23',
          userAgent: 'Mozilla/5.0 (demo)',
          pageUrl: 'https://zdorovaya-semya.example/',
        },
      },
    );
  }
  // A front desk's day: a patient agreed to news by phone, another asked to stop the mailing.
  const { items } = await findContacts(ctx, { page: 1, pageSize: 5 });
  const [byPhone, objecting] = items;
  if (byPhone) {
    await recordStaffConsent(ctx, byPhone.id, {
      channel: 'phone',
      purposeCode: 'marketing',
      recordingRef: 'call-2025-0917-1432.mp3',
      scriptVersion: 'Скрипт звонка «Согласие на рассылку», ред. 2',
    });
  }
  if (objecting) {
    await withdrawConsent(ctx, {
      contactId: objecting.id,
      purposeCode: 'marketing',
      body: { note: 'Пациентка попросила по телефону не присылать рекламу' },
    });
  }
  await chainJournal(ctx.db, ctx.orgId);
  await signCheckpoint(ctx);
  return { submissions: count };
}
