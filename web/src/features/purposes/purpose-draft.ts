import type {
  Channel,
  LegalBasis,
  PurposeBody,
  PurposeKind,
  PurposeUpdateBody,
  PurposeVersion,
} from '../../app/api-types.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';
import { rowKey } from '../../ui/row-key.ts';
import { slugify } from '../setup/slug.ts';

/** The purpose as typed in the drawer; list rows carry a React key. */
export type PurposeDraft = {
  code: string;
  kind: PurposeKind;
  title: string;
  legalBasis: LegalBasis;
  dataCategories: {
    key: number;
    code: string;
    title: string;
    isSpecial: boolean;
    /** The code was typed by hand: it no longer follows the title. */
    isCodeEdited: boolean;
  }[];
  subjectCategories: string[];
  actions: string[];
  methods: string;
  channels: Channel[];
  recipients: { key: number; name: string; address: string; country: string }[];
  retentionDays: number | string;
  isWrittenConsentRequired: boolean;
  hasTemplate: boolean;
  template: string;
};

export type PurposeErrors = Record<string, string | undefined>;

export const CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

export const MIN_TEMPLATE_LENGTH = 50;

export const MAX_RETENTION_DAYS = 36_500;

/** The data categories a clinic asks for most; the codes match the standard form fields. */
export const DATA_CATEGORY_PRESETS = [
  { code: 'name', title: 'фамилия, имя, отчество', isSpecial: false },
  { code: 'phone', title: 'номер телефона', isSpecial: false },
  { code: 'email', title: 'адрес электронной почты', isSpecial: false },
  { code: 'birth_date', title: 'дата рождения', isSpecial: false },
  { code: 'address', title: 'адрес места жительства', isSpecial: false },
  { code: 'health', title: 'сведения о состоянии здоровья', isSpecial: true },
] as const;

export type DataCategoryPreset = (typeof DATA_CATEGORY_PRESETS)[number]['code'];

// The actions of 152-FZ Art. 3 p.3; the consent text quotes them, so they stay in Russian.
export const ACTION_SUGGESTIONS = [
  'сбор',
  'запись',
  'систематизация',
  'накопление',
  'хранение',
  'уточнение (обновление, изменение)',
  'извлечение',
  'использование',
  'передача (предоставление, доступ)',
  'обезличивание',
  'блокирование',
  'удаление',
  'уничтожение',
];

export const SUBJECT_SUGGESTIONS = [
  'пациенты',
  'законные представители пациентов',
  'посетители сайта',
  'клиенты',
];

export const METHOD_SUGGESTIONS = [
  'автоматизированная обработка',
  'смешанная обработка (с использованием средств автоматизации и без них)',
  'обработка без использования средств автоматизации',
];

export const COUNTRY_CODES = [
  'RU',
  'BY',
  'KZ',
  'AM',
  'KG',
  'UZ',
  'AZ',
  'TR',
  'AE',
  'CN',
  'IN',
  'IL',
  'DE',
  'FI',
  'NL',
  'IE',
  'FR',
  'GB',
  'CH',
  'US',
];

/** 152-FZ Art. 9 p.4 items a consent text must carry (mirrors the server's template check). */
export function mandatoryPlaceholders(kind: PurposeKind): string[] {
  const base = ['operator', 'purpose', 'data', 'processor', 'actions', 'term', 'withdrawal'];
  if (kind === 'transfer') {
    base.push('recipients');
  }
  if (kind === 'advertising') {
    base.push('channels');
  }
  return base;
}

export function missingPlaceholders(kind: PurposeKind, template: string): string[] {
  return mandatoryPlaceholders(kind).filter((name) => !template.includes(`{{${name}}}`));
}

const INTRO: Record<PurposeKind, string> = {
  processing: 'Я даю согласие на обработку моих персональных данных',
  advertising:
    'Я даю согласие на получение рекламных и информационных сообщений и на обработку моих персональных данных для этой цели',
  transfer:
    'Я даю согласие на передачу (предоставление) моих персональных данных названным ниже третьим лицам',
  distribution: 'Я даю согласие на распространение моих персональных данных',
};

/** A starting text with every mandatory placeholder, close to the built-in template. */
export function starterTemplate(kind: PurposeKind): string {
  const lines = [
    `${INTRO[kind]} оператору: {{operator}}.`,
    '',
    'Цель обработки: {{purpose}}.',
    'Перечень персональных данных: {{data}}.',
  ];
  if (kind === 'advertising') {
    lines.push('Способы связи: {{channels}}.');
  }
  if (kind === 'transfer') {
    lines.push('Получатели персональных данных: {{recipients}}.');
  }
  lines.push(
    'Лицо, осуществляющее обработку по поручению оператора: {{processor}}.',
    'Действия с персональными данными и способы обработки: {{actions}}.',
    'Срок действия согласия: {{term}}.',
    'Порядок отзыва: {{withdrawal}}.',
    '',
    'Политика оператора в отношении обработки персональных данных: {{policy}}.',
  );
  return lines.join('\n');
}

/** A category code from its title: "номер телефона" → "nomer_telefona". */
export function categoryCode(title: string): string {
  const code = slugify(title).replace(/-/g, '_').slice(0, 40).replace(/_+$/, '');
  return /^[a-z]/.test(code) ? code : code ? `c_${code}`.slice(0, 40) : '';
}

export function emptyPurposeDraft(): PurposeDraft {
  return {
    code: '',
    kind: 'processing',
    title: '',
    legalBasis: 'consent',
    dataCategories: DATA_CATEGORY_PRESETS.slice(0, 2).map((preset) => ({
      key: rowKey(),
      ...preset,
      isCodeEdited: true,
    })),
    subjectCategories: [],
    actions: [],
    methods: '',
    channels: [],
    recipients: [],
    retentionDays: 365,
    isWrittenConsentRequired: false,
    hasTemplate: false,
    template: '',
  };
}

/** A new version starts from the current one; the consent text is rebuilt unless replaced. */
export function draftFromVersion(
  code: string,
  kind: PurposeKind,
  version: PurposeVersion,
): PurposeDraft {
  return {
    code,
    kind,
    title: version.title,
    legalBasis: version.legalBasis,
    dataCategories: version.dataCategories.map((category) => ({
      key: rowKey(),
      ...category,
      isCodeEdited: true,
    })),
    subjectCategories: [...version.subjectCategories],
    actions: [...version.actions],
    methods: version.methods,
    channels: [...version.channels],
    recipients: version.recipients.map((recipient) => ({ key: rowKey(), ...recipient })),
    retentionDays: version.retentionDays,
    isWrittenConsentRequired: version.isWrittenConsentRequired,
    hasTemplate: false,
    template: '',
  };
}

export function updateBodyOf(draft: PurposeDraft): PurposeUpdateBody {
  const usesConsent = draft.legalBasis === 'consent';
  return {
    title: draft.title.trim(),
    legalBasis: draft.legalBasis,
    dataCategories: draft.dataCategories.map(({ code, title, isSpecial }) => ({
      code: code.trim(),
      title: title.trim(),
      isSpecial,
    })),
    subjectCategories: draft.subjectCategories.map((item) => item.trim()).filter(Boolean),
    actions: draft.actions.map((item) => item.trim()).filter(Boolean),
    methods: draft.methods.trim(),
    channels: draft.channels,
    recipients:
      draft.kind === 'transfer'
        ? draft.recipients.map(({ name, address, country }) => ({
            name: name.trim(),
            address: address.trim(),
            country,
          }))
        : [],
    retentionDays: Number(draft.retentionDays),
    isWrittenConsentRequired: draft.isWrittenConsentRequired,
    ...(usesConsent && draft.hasTemplate ? { template: draft.template.trim() } : {}),
  };
}

export function createBodyOf(draft: PurposeDraft): PurposeBody {
  return { code: draft.code.trim(), kind: draft.kind, ...updateBodyOf(draft) };
}

/** The server's limits and rules (src/purposes), checked before sending. */
export function validatePurposeDraft(
  draft: PurposeDraft,
  { t }: Pick<I18n, 't'>,
  isNew: boolean,
): PurposeErrors {
  const errors: PurposeErrors = {};
  const required = t('validation.required');
  if (isNew) {
    const code = draft.code.trim();
    errors.code = !code
      ? required
      : CODE_PATTERN.test(code)
        ? undefined
        : t('purposes.codeInvalid');
  }
  const title = draft.title.trim();
  errors.title = !title
    ? required
    : title.length < 3
      ? t('validation.minLength', { min: 3 })
      : undefined;
  if (draft.dataCategories.length === 0) {
    errors.dataCategories = t('purposes.needDataCategory');
  }
  const codes = new Set<string>();
  draft.dataCategories.forEach((category, index) => {
    if (!category.title.trim()) {
      errors[`dataCategories.${index}.title`] = required;
    }
    const code = category.code.trim();
    if (!CODE_PATTERN.test(code)) {
      errors[`dataCategories.${index}.code`] = t('purposes.codeInvalid');
    } else if (codes.has(code)) {
      errors[`dataCategories.${index}.code`] = t('purposes.codeDuplicate');
    }
    codes.add(code);
  });
  if (draft.kind === 'advertising' && draft.dataCategories.some((item) => item.isSpecial)) {
    errors.dataCategories = t('rule.special_category_for_marketing');
  }
  if (draft.subjectCategories.length === 0) {
    errors.subjectCategories = required;
  }
  if (draft.actions.length === 0) {
    errors.actions = required;
  }
  if (!draft.methods.trim()) {
    errors.methods = required;
  }
  if (draft.kind === 'advertising' && draft.channels.length === 0) {
    errors.channels = t('purposes.needChannel');
  }
  if (draft.kind === 'transfer') {
    if (draft.recipients.length === 0) {
      errors.recipients = t('purposes.needRecipient');
    }
    draft.recipients.forEach((recipient, index) => {
      if (!recipient.name.trim()) {
        errors[`recipients.${index}.name`] = required;
      }
      if (!recipient.address.trim()) {
        errors[`recipients.${index}.address`] = required;
      }
      if (!/^[A-Z]{2}$/.test(recipient.country)) {
        errors[`recipients.${index}.country`] = required;
      }
    });
  }
  const days = Number(draft.retentionDays);
  if (
    draft.retentionDays === '' ||
    !Number.isInteger(days) ||
    days < 1 ||
    days > MAX_RETENTION_DAYS
  ) {
    errors.retentionDays = t('purposes.retentionInvalid', { max: MAX_RETENTION_DAYS });
  }
  if (draft.legalBasis === 'consent' && draft.hasTemplate) {
    const template = draft.template.trim();
    const missing = missingPlaceholders(draft.kind, template);
    if (template.length < MIN_TEMPLATE_LENGTH) {
      errors.template = t('validation.minLength', { min: MIN_TEMPLATE_LENGTH });
    } else if (missing.length > 0) {
      errors.template = t('purposes.templateMissing', {
        list: missing.map((name) => `{{${name}}}`).join(', '),
      });
    }
  }
  return errors;
}
