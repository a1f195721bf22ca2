// The Roskomnadzor notice (152-FZ Art. 22 p.3, R-L3) composed from the purpose registry, the
// operator profile, the services register and the notice settings. Pure: no I/O, no clock.
import { createHash } from 'node:crypto';
import { countryNameRu } from '../../platform/countries.ts';
import { isAdequateCountry } from '../services/adequacy.ts';
import type {
  TDatabaseLocation,
  TNoticeFields,
  TNoticeGap,
  TNoticeSettingsBody,
} from './rkn-notice.schema.ts';

export const LEGAL_BASIS_RU: Record<string, string> = {
  consent: 'согласие субъекта персональных данных (п. 1 ч. 1 ст. 6 152-ФЗ)',
  contract:
    'исполнение договора, стороной которого является субъект персональных данных (п. 5 ч. 1 ст. 6 152-ФЗ)',
  legal_obligation:
    'осуществление функций и обязанностей, возложенных на оператора законом (п. 2 ч. 1 ст. 6 152-ФЗ)',
  medical_care:
    'медико-профилактические цели, установление диагноза, оказание медицинских услуг (п. 4 ч. 2 ст. 10 152-ФЗ)',
  vital_interests:
    'защита жизни, здоровья или иных жизненно важных интересов (п. 6 ч. 1 ст. 6 152-ФЗ)',
  legitimate_interests: 'законные интересы оператора (п. 7 ч. 1 ст. 6 152-ФЗ)',
};

/**
 * What Soglasie itself does to protect the data (Art. 18.1, 19), stated from the software:
 * each line is true of every installation.
 */
export const SOGLASIE_MEASURES: readonly string[] = [
  'Шифрование персональных данных при хранении: AES-256-GCM, отдельный ключ для каждого субъекта персональных данных; уничтожение ключа делает данные нечитаемыми',
  'Разграничение доступа по ролям сотрудников; изоляция данных организаций на уровне строк базы данных (row-level security)',
  'Журнал доступа: каждое чтение персональных данных записывается (кто, когда, какие поля, зачем)',
  'Журнал аудита изменений; журнал согласий защищён от изменения цепочкой хешей',
  'Пароли хранятся в виде хеша argon2id; ограничение числа попыток входа; защита от подделки запросов (CSRF)',
  'Сроки хранения по каждой цели обработки; уничтожение по истечении срока с актом об уничтожении',
  'Учёт инцидентов с персональными данными и сроков уведомления Роскомнадзора',
];

export const ENCRYPTION_RU =
  'Персональные данные шифруются при хранении (AES-256-GCM, ключи субъектов хранятся отдельно от данных и защищены главным ключом); поиск по контактам — по слепым индексам HMAC без хранения значений в открытом виде. Средства криптографической защиты информации, сертифицированные ФСБ России, не используются, если иное не указано оператором.';

export type ComposeInput = {
  profile: {
    legalName: string;
    address: string;
    inn?: string | undefined;
    ogrn?: string | undefined;
    responsibleName: string;
    responsibleContacts: string;
  } | null;
  purposes: {
    code: string;
    title: string;
    legalBasis: string;
    dataCategories: { title: string; isSpecial: boolean }[];
    subjectCategories: string[];
    actions: string[];
    methods: string;
    retentionDays: number;
    recipients: { name: string; country: string }[];
  }[];
  settings: TNoticeSettingsBody;
  /** Foreign services and partners (servers or seat outside Russia). */
  foreignRecipients: { name: string; country: string; hasNotice: boolean }[];
};

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b, 'ru'));
}

function crossBorderOf(input: ComposeInput): TNoticeFields['crossBorder'] {
  const byCountry = new Map<string, string[]>();
  const add = (country: string, name: string) => {
    if (country === 'RU') return;
    byCountry.set(country, [...(byCountry.get(country) ?? []), name]);
  };
  for (const purpose of input.purposes) {
    for (const recipient of purpose.recipients) add(recipient.country, recipient.name);
  }
  for (const recipient of input.foreignRecipients) add(recipient.country, recipient.name);
  const countries = [...byCountry.keys()].sort().map((country) => ({
    country,
    countryName: countryNameRu(country),
    isAdequate: isAdequateCountry(country),
    recipients: sortedUnique(byCountry.get(country) ?? []),
  }));
  return { isPerformed: countries.length > 0, countries };
}

function locationsOf(locations: readonly TDatabaseLocation[]): TDatabaseLocation[] {
  return [...locations].sort((a, b) =>
    `${a.country}|${a.city}|${a.hostingProvider}`.localeCompare(
      `${b.country}|${b.city}|${b.hostingProvider}`,
    ),
  );
}

export function composeNoticeFields(input: ComposeInput): TNoticeFields {
  const profile = input.profile;
  return {
    operator: {
      legalName: profile?.legalName ?? null,
      address: profile?.address ?? null,
      inn: profile?.inn ?? null,
      ogrn: profile?.ogrn ?? null,
    },
    purposes: [...input.purposes]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((purpose) => ({
        code: purpose.code,
        title: purpose.title,
        legalBasis: LEGAL_BASIS_RU[purpose.legalBasis] ?? purpose.legalBasis,
        dataCategories: purpose.dataCategories.map((category) => ({
          title: category.title,
          isSpecial: category.isSpecial,
        })),
        subjectCategories: purpose.subjectCategories,
        actions: purpose.actions,
        methods: purpose.methods,
        retentionDays: purpose.retentionDays,
      })),
    securityMeasures: {
      soglasie: [...SOGLASIE_MEASURES],
      extra: input.settings.extraMeasures,
      encryption: ENCRYPTION_RU,
    },
    responsible: {
      name: profile?.responsibleName ?? null,
      contacts: profile?.responsibleContacts ?? null,
    },
    processingStartDate: input.settings.processingStartDate,
    endCondition: input.settings.endCondition,
    crossBorder: crossBorderOf(input),
    databaseLocations: locationsOf(input.settings.databaseLocations),
    protectionLevel: input.settings.protectionLevel,
  };
}

/** What is missing before the notice can be filed. */
export function noticeGaps(fields: TNoticeFields, input: ComposeInput): TNoticeGap[] {
  const gaps: TNoticeGap[] = [];
  const gap = (field: string, code: string, message: string) => gaps.push({ field, code, message });
  if (!input.profile) {
    gap(
      'operator',
      'profile_missing',
      'Заполните профиль оператора: наименование, адрес, ответственный',
    );
  } else {
    if (!fields.operator.inn) gap('operator.inn', 'inn_missing', 'Укажите ИНН в профиле оператора');
    if (!fields.operator.ogrn)
      gap('operator.ogrn', 'ogrn_missing', 'Укажите ОГРН в профиле оператора');
  }
  if (fields.purposes.length === 0) {
    gap('purposes', 'purposes_missing', 'Добавьте цели обработки в реестр');
  }
  if (!fields.processingStartDate) {
    gap('processingStartDate', 'start_date_missing', 'Укажите дату начала обработки');
  }
  if (!fields.endCondition) {
    gap('endCondition', 'end_condition_missing', 'Укажите срок или условие прекращения обработки');
  }
  if (fields.databaseLocations.length === 0) {
    gap('databaseLocations', 'database_locations_missing', 'Укажите места нахождения баз данных');
  }
  fields.databaseLocations.forEach((location, index) => {
    if (location.country !== 'RU') {
      gap(
        `databaseLocations.${index}`,
        'database_abroad',
        `База данных за пределами России (${countryNameRu(location.country)}): запись и хранение данных граждан России — только в России (ч. 5 ст. 18 152-ФЗ)`,
      );
    }
  });
  if (!fields.protectionLevel) {
    gap(
      'protectionLevel',
      'protection_level_missing',
      'Укажите уровень защищённости (ПП РФ № 1119)',
    );
  }
  for (const recipient of input.foreignRecipients) {
    if (!recipient.hasNotice) {
      gap(
        'crossBorder',
        'cross_border_notice_missing',
        `Нет уведомления о трансграничной передаче: ${recipient.name} (${countryNameRu(recipient.country)})`,
      );
    }
  }
  return gaps;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the fields in a canonical form: equal fields, equal fingerprint. */
export function noticeFingerprint(fields: TNoticeFields): string {
  return createHash('sha256').update(canonical(fields)).digest('hex');
}
