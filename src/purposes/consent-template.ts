import { createHash } from 'node:crypto';
import { countryNameRu } from '../platform/countries.ts';
import type { TProfileBody } from './purposes.schema.ts';

/** Bumped whenever the built-in templates change; stored with every document. */
export const TEMPLATE_VERSION = 'ru-2025-09-v2';

export type TemplatePurpose = {
  kind: 'processing' | 'advertising' | 'transfer' | 'distribution';
  title: string;
  dataCategories: { title: string; isSpecial: boolean }[];
  actions: string[];
  methods: string;
  channels: string[];
  recipients: { name: string; address: string; country: string }[];
  retentionDays: number;
};

type Placeholder =
  | 'operator'
  | 'purpose'
  | 'data'
  | 'processor'
  | 'actions'
  | 'term'
  | 'withdrawal'
  | 'recipients'
  | 'channels'
  | 'policy';

/**
 * 152-FZ Art. 9 p.4 items 3–8 that a checkbox consent carries (R-C4): operator, purpose,
 * data, processor, actions and methods, term and withdrawal. A transfer names its recipients,
 * an advertising consent its channels (R-C2: three separate documents).
 */
export function mandatoryPlaceholders(kind: TemplatePurpose['kind']): Placeholder[] {
  const base: Placeholder[] = [
    'operator',
    'purpose',
    'data',
    'processor',
    'actions',
    'term',
    'withdrawal',
  ];
  if (kind === 'transfer') base.push('recipients');
  if (kind === 'advertising') base.push('channels');
  return base;
}

const CHANNEL_TITLES: Record<string, string> = {
  call: 'телефонные звонки',
  sms: 'SMS-сообщения',
  email: 'электронная почта',
  messenger: 'сообщения в мессенджерах',
  transfer: 'передача третьим лицам',
};

const INTRO: Record<TemplatePurpose['kind'], string> = {
  processing: 'Я даю согласие на обработку моих персональных данных',
  advertising:
    'Я даю согласие на получение рекламных и информационных сообщений и на обработку моих персональных данных для этой цели',
  transfer:
    'Я даю согласие на передачу (предоставление) моих персональных данных названным ниже третьим лицам',
  distribution: 'Я даю согласие на распространение моих персональных данных',
};

export function defaultTemplate(kind: TemplatePurpose['kind']): string {
  const lines = [
    `${INTRO[kind]} оператору: {{operator}}.`,
    '',
    'Цель обработки: {{purpose}}.',
    'Перечень персональных данных: {{data}}.',
  ];
  if (kind === 'advertising') lines.push('Способы связи: {{channels}}.');
  if (kind === 'transfer') lines.push('Получатели персональных данных: {{recipients}}.');
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

function term(days: number): string {
  if (days % 365 === 0) {
    const years = days / 365;
    return `${years} ${plural(years, 'год', 'года', 'лет')} с момента предоставления согласия или до его отзыва`;
  }
  return `${days} ${plural(days, 'день', 'дня', 'дней')} с момента предоставления согласия или до его отзыва`;
}

function plural(count: number, one: string, few: string, many: string): string {
  const mod10 = count % 10;
  const mod100 = count % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

function operatorLine(profile: TProfileBody): string {
  const ids = [
    profile.inn ? `ИНН ${profile.inn}` : null,
    profile.ogrn ? `ОГРН ${profile.ogrn}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return `${profile.legalName}${ids ? ` (${ids})` : ''}, адрес: ${profile.address}`;
}

export class TemplateError extends Error {
  constructor(readonly missing: string[]) {
    super(`The consent template lacks mandatory items: ${missing.join(', ')}`);
  }
}

/** Renders the exact consent text; the same input always gives the same text and hash. */
export function renderConsentText(input: {
  template: string;
  purpose: TemplatePurpose;
  profile: TProfileBody;
  policyUrl: string;
  /** The privacy portal, once the organization has one; letters and the contacts always work. */
  portalUrl?: string;
}): string {
  const { purpose, profile } = input;
  const missing = mandatoryPlaceholders(purpose.kind).filter(
    (placeholder) => !input.template.includes(`{{${placeholder}}}`),
  );
  if (missing.length > 0) throw new TemplateError(missing);
  const values: Record<Placeholder, string> = {
    operator: operatorLine(profile),
    purpose: purpose.title,
    data: purpose.dataCategories
      .map((category) =>
        category.isSpecial ? `${category.title} (специальная категория)` : category.title,
      )
      .join(', '),
    processor:
      profile.processors.length > 0
        ? profile.processors
            .map((processor) => `${processor.name}, адрес: ${processor.address}`)
            .join('; ')
        : 'не привлекается',
    actions: `${purpose.actions.join(', ')}; ${purpose.methods}`,
    term: term(purpose.retentionDays),
    withdrawal: `${input.portalUrl ? `направить отзыв через страницу ${input.portalUrl}, ` : ''}направить отзыв письмом по адресу ${profile.address} или ответственному за обработку персональных данных (${profile.responsibleName}, ${profile.responsibleContacts}); отзыв не влияет на законность обработки до его получения`,
    recipients: purpose.recipients
      .map(
        (recipient) =>
          `${recipient.name}, адрес: ${recipient.address}, страна: ${countryNameRu(recipient.country)}`,
      )
      .join('; '),
    channels: purpose.channels.map((channel) => CHANNEL_TITLES[channel] ?? channel).join(', '),
    policy: input.policyUrl,
  };
  return input.template.replace(/\{\{(\w+)\}\}/g, (match, name: string) =>
    name in values ? values[name as Placeholder] : match,
  );
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
