// The built-in catalogue of services the founding material names, added to an organization's
// register with one click. Countries are where the service keeps the data by default: the
// Russian ones host in Russia; the foreign ones make any use a cross-border transfer (R-L2) and
// can never be a form's first destination (R-L1). Check a service's current terms before relying
// on an entry: a provider can move its servers.
import type { ServiceKind, ServiceRole } from './services.schema.ts';

export type CatalogueEntry = {
  code: string;
  name: string;
  kind: ServiceKind;
  country: string;
  role: ServiceRole;
  note: string;
};

export const SERVICE_CATALOGUE: readonly CatalogueEntry[] = [
  // Russian.
  {
    code: 'sbis',
    name: 'СБИС',
    kind: 'accounting',
    country: 'RU',
    role: 'processor',
    note: 'Электронный документооборот и отчётность (ООО «Компания Тензор»)',
  },
  {
    code: 'yandex_360',
    name: 'Яндекс 360',
    kind: 'cloud_storage',
    country: 'RU',
    role: 'processor',
    note: 'Почта, диск и документы (ООО «Яндекс»)',
  },
  {
    code: 'tilda',
    name: 'Tilda',
    kind: 'site_builder',
    country: 'RU',
    role: 'processor',
    note: 'Конструктор сайтов; заявки форм хранятся у сервиса',
  },
  {
    code: 'amocrm',
    name: 'amoCRM',
    kind: 'crm',
    country: 'RU',
    role: 'processor',
    note: 'CRM; российская площадка (amocrm.ru)',
  },
  {
    code: 'one_c_crm',
    name: '1С:CRM',
    kind: 'crm',
    country: 'RU',
    role: 'processor',
    note: 'CRM на платформе 1С, облако или свой сервер',
  },
  {
    code: 'bitrix24',
    name: 'Битрикс24',
    kind: 'crm',
    country: 'RU',
    role: 'processor',
    note: 'CRM и корпоративный портал; российская площадка (bitrix24.ru)',
  },
  {
    code: 'jivosite',
    name: 'JivoSite (Jivo)',
    kind: 'chat',
    country: 'RU',
    role: 'processor',
    note: 'Онлайн-чат на сайте',
  },
  // Foreign.
  {
    code: 'google_sheets',
    name: 'Google Sheets',
    kind: 'cloud_storage',
    country: 'US',
    role: 'tool',
    note: 'Таблицы Google: серверы за рубежом',
  },
  {
    code: 'trello',
    name: 'Trello',
    kind: 'other',
    country: 'US',
    role: 'tool',
    note: 'Доски задач Atlassian: серверы за рубежом',
  },
  {
    code: 'notion',
    name: 'Notion',
    kind: 'other',
    country: 'US',
    role: 'tool',
    note: 'Заметки и базы данных: серверы за рубежом',
  },
  {
    code: 'facebook',
    name: 'Facebook',
    kind: 'messenger',
    country: 'US',
    role: 'recipient',
    note: 'Meta Platforms: серверы за рубежом',
  },
  {
    code: 'instagram',
    name: 'Instagram',
    kind: 'messenger',
    country: 'US',
    role: 'recipient',
    note: 'Meta Platforms: серверы за рубежом',
  },
  {
    code: 'whatsapp',
    name: 'WhatsApp',
    kind: 'messenger',
    country: 'US',
    role: 'recipient',
    note: 'Meta Platforms: серверы за рубежом',
  },
  {
    code: 'telegram',
    name: 'Telegram',
    kind: 'messenger',
    country: 'AE',
    role: 'recipient',
    note: 'Переписка с пациентами в Telegram — трансграничная передача',
  },
];

export function catalogueEntry(code: string): CatalogueEntry | undefined {
  return SERVICE_CATALOGUE.find((entry) => entry.code === code);
}
