import { randomBytes } from 'node:crypto';
import type { TFormBody, TFormView } from '../src/forms/forms.schema.ts';
import { createForm } from '../src/forms/forms.service.ts';
import { systemCtx } from '../src/orgs/auth.service.ts';
import type { Ctx } from '../src/platform/context.ts';
import type { TProfileBody, TPurpose, TPurposeBody } from '../src/purposes/purposes.schema.ts';
import { createPurpose, saveProfile } from '../src/purposes/purposes.service.ts';
import type { TestApp } from './app.ts';
import { makeOrg, type TestOrg } from './factories.ts';

export const TEST_PROFILE: TProfileBody = {
  legalName: 'ООО «Клиника Здоровье»',
  address: '125009, г. Москва, ул. Тверская, д. 1',
  inn: '7701234567',
  ogrn: '1027700132195',
  responsibleName: 'Белова Елена Николаевна',
  responsibleContacts: 'privacy@clinic.test, +7 495 000-00-00',
  processors: [],
  policyUrl: 'https://clinic.test/privacy',
};

export const PROCESSING_PURPOSE: TPurposeBody = {
  code: 'appointment',
  kind: 'processing',
  title: 'Запись на приём и обратная связь по заявке',
  legalBasis: 'consent',
  dataCategories: [
    { code: 'name', title: 'имя', isSpecial: false },
    { code: 'phone', title: 'номер телефона', isSpecial: false },
    { code: 'email', title: 'адрес электронной почты', isSpecial: false },
  ],
  subjectCategories: ['пациенты и их представители'],
  actions: ['сбор', 'запись', 'хранение', 'использование', 'уничтожение'],
  methods: 'автоматизированная обработка',
  channels: ['call', 'sms'],
  recipients: [],
  retentionDays: 365,
  isWrittenConsentRequired: false,
};

export const ADVERTISING_PURPOSE: TPurposeBody = {
  ...PROCESSING_PURPOSE,
  code: 'marketing',
  kind: 'advertising',
  title: 'Рассылка о скидках и акциях клиники',
  dataCategories: [
    { code: 'name', title: 'имя', isSpecial: false },
    { code: 'email', title: 'адрес электронной почты', isSpecial: false },
    { code: 'phone', title: 'номер телефона', isSpecial: false },
  ],
  channels: ['email', 'sms'],
  retentionDays: 730,
};

/** A transfer to a third party: the recipient is named in the consent and next to its box. */
export const TRANSFER_PURPOSE: TPurposeBody = {
  ...PROCESSING_PURPOSE,
  code: 'lab_transfer',
  kind: 'transfer',
  title: 'Передача данных в лабораторию для выполнения анализов',
  channels: [],
  recipients: [
    {
      name: 'ООО «Лаборатория Гемотест»',
      address: '129090, г. Москва, ул. Щепкина, д. 1',
      country: 'RU',
    },
  ],
};

export function formBody(
  slug: string,
  overrides: Partial<TFormBody['definition']> = {},
): TFormBody {
  return {
    slug,
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
      thankYou: { title: 'Спасибо! Администратор перезвонит вам.', text: '' },
      ...overrides,
    },
  };
}

export type CaptureOrg = TestOrg & {
  ctx: Ctx;
  processing: TPurpose;
  advertising: TPurpose;
  form: TFormView;
};

/** An organization with an operator profile, a processing and an advertising purpose and a published form. */
export async function makeCaptureOrg(
  testApp: TestApp,
  options: { formSlug?: string } = {},
): Promise<CaptureOrg> {
  const org = await makeOrg(testApp);
  const ctx = {
    ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
    publicUrl: testApp.deps.publicUrl,
  };
  await saveProfile(ctx, TEST_PROFILE);
  const processing = await createPurpose(ctx, PROCESSING_PURPOSE);
  const advertising = await createPurpose(ctx, ADVERTISING_PURPOSE);
  const form = await createForm(
    ctx,
    formBody(options.formSlug ?? `form-${randomBytes(4).toString('hex')}`),
  );
  return { ...org, ctx, processing, advertising, form };
}
