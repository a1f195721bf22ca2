// The texts sent to Roskomnadzor about an incident (152-FZ Art. 21 p.3.1, R-D7): the notice
// within 24 hours (the incident, its presumed causes, the harm, the measures taken and the
// person to contact) and the report within 72 hours (the internal investigation and the persons
// responsible, if found). Pure: the service passes the decrypted incident and the operator.
// The operator submits them through Roskomnadzor's portal; these are pre-filled drafts to copy.
import type { IncidentKind } from './incidents.schema.ts';

export type NoticeOperator = {
  legalName: string;
  address: string;
  inn?: string | undefined;
  ogrn?: string | undefined;
  responsibleName: string;
  responsibleContacts: string;
  rknRegisterNumber?: string | undefined;
};

export type NoticeIncident = {
  number: number;
  title: string;
  kind: IncidentKind;
  detectedAt: Date;
  description: string | null;
  causes: string | null;
  harm: string | null;
  measures: string | null;
  contactPerson: string | null;
  investigation: string | null;
  responsiblePersons: string | null;
  affectedSubjectsCount: number | null;
  affectedCategories: readonly string[];
  notice24h: { at: Date | null; evidence: string | null };
};

export const KIND_TEXT: Record<IncidentKind, string> = {
  leak: 'неправомерная или случайная передача (предоставление, распространение) персональных данных (утечка)',
  unlawful_processing: 'неправомерная обработка персональных данных',
  unauthorized_access: 'неправомерный доступ к персональным данным',
  loss: 'утрата или случайное уничтожение персональных данных',
  other: 'иной инцидент, повлёкший нарушение прав субъектов персональных данных',
};

const MISSING = '[не заполнено — дополните перед отправкой]';

const MOSCOW_TIME = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** `02.03.2026, 12:00 (МСК)`. */
export function moscowTime(instant: Date): string {
  return `${MOSCOW_TIME.format(instant)} (МСК)`;
}

function filled(value: string | null | undefined): string {
  const text = value?.trim();
  return text ? text : MISSING;
}

function operatorLines(operator: NoticeOperator | null): string[] {
  if (!operator) {
    return [`Оператор: ${MISSING} (заполните профиль оператора)`];
  }
  const lines = [`Наименование: ${operator.legalName}`, `Адрес: ${operator.address}`];
  if (operator.inn) lines.push(`ИНН: ${operator.inn}`);
  if (operator.ogrn) lines.push(`ОГРН: ${operator.ogrn}`);
  lines.push(
    `Регистрационный номер в реестре операторов: ${operator.rknRegisterNumber?.trim() || 'нет'}`,
  );
  return lines;
}

function incidentLines(incident: NoticeIncident): string[] {
  const count =
    incident.affectedSubjectsCount === null
      ? 'устанавливается'
      : String(incident.affectedSubjectsCount);
  return [
    `Номер в журнале инцидентов оператора: ${incident.number}`,
    `Краткое наименование: ${incident.title}`,
    `Вид инцидента: ${KIND_TEXT[incident.kind]}`,
    `Дата и время выявления: ${moscowTime(incident.detectedAt)}`,
    `Количество субъектов, чьи права нарушены: ${count}`,
    `Категории персональных данных: ${
      incident.affectedCategories.length > 0
        ? incident.affectedCategories.join(', ')
        : 'устанавливаются'
    }`,
    `Описание: ${filled(incident.description)}`,
  ];
}

function section(number: number, title: string, body: string[]): string {
  return [`${number}. ${title}`, ...body].join('\n');
}

/** The notice within 24 hours of detection (152-FZ Art. 21 p.3.1 item 1). */
export function renderNotice24h(
  incident: NoticeIncident,
  operator: NoticeOperator | null,
  composedAt: Date,
): string {
  const contact =
    incident.contactPerson?.trim() ||
    (operator ? `${operator.responsibleName}, ${operator.responsibleContacts}` : null);
  return `${[
    'В Федеральную службу по надзору в сфере связи, информационных технологий и массовых коммуникаций (Роскомнадзор)',
    '',
    'УВЕДОМЛЕНИЕ',
    'о факте неправомерной или случайной передачи (предоставления, распространения, доступа) персональных данных, повлёкшей нарушение прав субъектов персональных данных',
    '(часть 3.1 статьи 21 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных», пункт 1: в течение 24 часов)',
    '',
    section(1, 'Сведения об операторе', operatorLines(operator)),
    '',
    section(2, 'Сведения об инциденте', incidentLines(incident)),
    '',
    section(3, 'Предполагаемые причины, повлёкшие нарушение прав субъектов персональных данных', [
      filled(incident.causes),
    ]),
    '',
    section(4, 'Предполагаемый вред, нанесённый правам субъектов персональных данных', [
      filled(incident.harm),
    ]),
    '',
    section(5, 'Принятые меры по устранению последствий инцидента', [filled(incident.measures)]),
    '',
    section(
      6,
      'Лицо, уполномоченное оператором на взаимодействие с Роскомнадзором по вопросам, связанным с инцидентом',
      [filled(contact)],
    ),
    '',
    `Дата составления: ${moscowTime(composedAt)}`,
  ].join('\n')}\n`;
}

/** The report within 72 hours of detection (152-FZ Art. 21 p.3.1 item 2). */
export function renderReport72h(
  incident: NoticeIncident,
  operator: NoticeOperator | null,
  composedAt: Date,
): string {
  const firstNotice = incident.notice24h.at
    ? `${moscowTime(incident.notice24h.at)}${incident.notice24h.evidence ? `, ${incident.notice24h.evidence}` : ''}`
    : 'не направлялось';
  return `${[
    'В Федеральную службу по надзору в сфере связи, информационных технологий и массовых коммуникаций (Роскомнадзор)',
    '',
    'ДОПОЛНИТЕЛЬНОЕ УВЕДОМЛЕНИЕ',
    'о результатах внутреннего расследования выявленного инцидента',
    '(часть 3.1 статьи 21 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных», пункт 2: в течение 72 часов)',
    '',
    section(1, 'Сведения об операторе', operatorLines(operator)),
    '',
    section(2, 'Сведения об инциденте', [
      ...incidentLines(incident),
      `Первичное уведомление направлено: ${firstNotice}`,
    ]),
    '',
    section(3, 'Результаты внутреннего расследования', [filled(incident.investigation)]),
    '',
    section(4, 'Лица, действия которых стали причиной инцидента (при наличии)', [
      incident.responsiblePersons?.trim() || 'не установлены',
    ]),
    '',
    `Дата составления: ${moscowTime(composedAt)}`,
  ].join('\n')}\n`;
}
