import { describe, expect, it } from 'vitest';
import { canonicalText, DOCUMENT_KINDS, sha256Hex } from './document-content.ts';
import {
  assessHarm,
  findGaps,
  type GeneratorInput,
  type GeneratorPurpose,
  generateDocument,
} from './document-generator.ts';

const APPOINTMENT: GeneratorPurpose = {
  code: 'appointment',
  kind: 'processing',
  versionId: '00000000-0000-4000-8000-000000000001',
  version: 1,
  title: 'Запись на приём',
  legalBasis: 'contract',
  dataCategories: [
    { code: 'name', title: 'имя', isSpecial: false },
    { code: 'phone', title: 'номер телефона', isSpecial: false },
  ],
  subjectCategories: ['пациенты'],
  actions: ['сбор', 'хранение'],
  methods: 'автоматизированная обработка',
  channels: ['call'],
  recipients: [],
  retentionDays: 365,
};

const INPUT: GeneratorInput = {
  org: { slug: 'clinic' },
  profile: {
    legalName: 'ООО «Клиника»',
    address: 'Москва, ул. Тверская, 1',
    responsibleName: 'Белова Елена Николаевна',
    responsibleContacts: 'privacy@clinic.test',
    processors: [],
  },
  purposes: [APPOINTMENT],
  publicUrl: 'https://crm.clinic.test',
  destruction: { method: 'удаление ключа шифрования', days: 30 },
};

describe('document generator', () => {
  it('gives the same text and hash for the same registry, whatever the purposes’ order', () => {
    const other: GeneratorPurpose = { ...APPOINTMENT, code: 'billing', title: 'Оплата услуг' };
    for (const kind of DOCUMENT_KINDS) {
      const first = generateDocument(kind, { ...INPUT, purposes: [APPOINTMENT, other] });
      const second = generateDocument(kind, { ...INPUT, purposes: [other, APPOINTMENT] });
      if (!first.content || !second.content) throw new Error(`${kind} not generated`);
      expect(sha256Hex(canonicalText(first.content))).toBe(
        sha256Hex(canonicalText(second.content)),
      );
    }
  });

  it('changes the hash when a purpose’s term changes', () => {
    const before = generateDocument('policy', INPUT).content;
    const after = generateDocument('policy', {
      ...INPUT,
      purposes: [{ ...APPOINTMENT, retentionDays: 366 }],
    }).content;
    if (!before || !after) throw new Error('not generated');
    expect(canonicalText(after)).not.toBe(canonicalText(before));
    expect(canonicalText(after)).toContain('366 дней');
  });

  it('reports gaps instead of generating: no profile, no purposes, a purpose without a term', () => {
    expect(
      findGaps('policy', { ...INPUT, profile: null, purposes: [] }).map((gap) => gap.code),
    ).toEqual(['profile_missing', 'purposes_missing']);
    const gaps = findGaps('policy', {
      ...INPUT,
      purposes: [{ ...APPOINTMENT, retentionDays: null }],
    });
    expect(gaps).toEqual([
      expect.objectContaining({ code: 'purpose_retention_missing', purposeCode: 'appointment' }),
    ]);
    expect(generateDocument('policy', { ...INPUT, profile: null }).content).toBeNull();
    // The order needs the profile only.
    expect(
      generateDocument('responsible_order', { ...INPUT, purposes: [] }).content,
    ).not.toBeNull();
  });

  it('assesses harm by the criteria of RKN Order 178', () => {
    expect(assessHarm(APPOINTMENT).level).toBe('low');
    expect(assessHarm({ ...APPOINTMENT, kind: 'advertising', legalBasis: 'consent' }).level).toBe(
      'medium',
    );
    const health = assessHarm({
      ...APPOINTMENT,
      dataCategories: [{ code: 'diagnosis', title: 'диагноз', isSpecial: true }],
    });
    expect(health.level).toBe('high');
    expect(health.reasons[0]).toContain('специальных категорий');
    expect(
      assessHarm({
        ...APPOINTMENT,
        recipients: [{ name: 'Lab GmbH', address: 'Berlin', country: 'DE' }],
      }).level,
    ).toBe('high');
  });

  it('states cross-border transfer in the policy only for a foreign recipient', () => {
    const local = canonicalText(generateDocument('policy', INPUT).content ?? notGenerated());
    expect(local).toContain('Трансграничная передача персональных данных не осуществляется');
    const foreign = canonicalText(
      generateDocument('policy', {
        ...INPUT,
        purposes: [
          { ...APPOINTMENT, recipients: [{ name: 'Lab GmbH', address: 'Berlin', country: 'DE' }] },
        ],
      }).content ?? notGenerated(),
    );
    expect(foreign).toContain('Трансграничная передача: осуществляется: Lab GmbH (DE)');
  });
});

function notGenerated(): never {
  throw new Error('not generated');
}
