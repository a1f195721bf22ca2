import { describe, expect, it } from 'vitest';
import { TEST_PROFILE } from '../../test/capture-factories.ts';
import { defaultTemplate, renderConsentText, TemplateError } from './consent-template.ts';

const TRANSFER = {
  kind: 'transfer' as const,
  title: 'Передача результатов анализов в лабораторию',
  dataCategories: [{ title: 'результаты анализов', isSpecial: true }],
  actions: ['передача'],
  methods: 'автоматизированная обработка',
  channels: [],
  recipients: [{ name: 'ООО «Лаб-Минск»', address: 'Минск, пр. Независимости, 1', country: 'BY' }],
  retentionDays: 30,
};

describe('consent templates (R-C2, R-C4)', () => {
  it('names each recipient with its country in Russian', () => {
    const text = renderConsentText({
      template: defaultTemplate('transfer'),
      purpose: TRANSFER,
      profile: TEST_PROFILE,
      policyUrl: 'https://clinic.test/privacy',
    });
    expect(text).toContain('ООО «Лаб-Минск», адрес: Минск, пр. Независимости, 1, страна: Беларусь');
    expect(text).toContain('результаты анализов (специальная категория)');
    expect(text).toContain('30 дней');
  });

  it('refuses a template missing a mandatory item, naming it', () => {
    const template = defaultTemplate('transfer')
      .replace('{{recipients}}', '')
      .replace('{{term}}', '');
    expect(() =>
      renderConsentText({ template, purpose: TRANSFER, profile: TEST_PROFILE, policyUrl: 'x' }),
    ).toThrow(TemplateError);
    try {
      renderConsentText({ template, purpose: TRANSFER, profile: TEST_PROFILE, policyUrl: 'x' });
    } catch (error) {
      expect((error as TemplateError).missing.sort()).toEqual(['recipients', 'term']);
    }
  });
});
