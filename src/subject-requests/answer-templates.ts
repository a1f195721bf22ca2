// Letters to the data subject in Russian, generated from the purpose registry and the subject's
// own records. Pure functions: the service gathers the data (and logs the reads), these only
// write text. Each letter carries only what it is given, so an answer about one person cannot
// contain another's data unless the caller passed it in (R-S2, 152-FZ Art. 14 p.2).

export type OperatorInfo = {
  legalName: string;
  address: string;
  inn: string | null;
  ogrn: string | null;
  responsibleName: string;
  responsibleContacts: string;
  processors: { name: string; address: string }[];
  policyUrl: string | null;
  rknRegisterNumber: string | null;
};

export type PurposeInfo = {
  code: string;
  title: string;
  legalBasis: string;
  /** Where the subject stands: given, withdrawn, expired, or none for non-consent bases. */
  state: 'given' | 'withdrawn' | 'expired' | 'none';
  dataCategories: string[];
  actions: string[];
  methods: string;
  recipients: { name: string; address: string; country: string }[];
  retentionDays: number;
};

export type SubjectTable = {
  table: string;
  category: string;
  rows: Array<Record<string, unknown>>;
};

export type LetterHeader = {
  reference: string;
  /** The Moscow date of receipt, YYYY-MM-DD. */
  receivedOn: string;
  /** Today in Moscow, YYYY-MM-DD. */
  today: string;
  addressee: string | null;
  operator: OperatorInfo | null;
};

const LEGAL_BASES: Record<string, string> = {
  consent: 'согласие субъекта персональных данных (п. 1 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
  contract:
    'исполнение договора, стороной которого является субъект (п. 5 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
  legal_obligation:
    'исполнение обязанностей, возложенных на оператора законодательством (п. 2 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
  medical_care:
    'оказание медицинской помощи лицом, обязанным сохранять врачебную тайну (п. 4 ч. 2 ст. 10 Федерального закона № 152-ФЗ)',
  vital_interests:
    'защита жизни, здоровья или иных жизненно важных интересов субъекта (п. 6 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
  legitimate_interests:
    'осуществление прав и законных интересов оператора (п. 7 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
};

const STATES: Record<PurposeInfo['state'], string> = {
  given: 'согласие действует',
  withdrawn: 'согласие отозвано',
  expired: 'срок согласия истёк',
  none: 'обработка без согласия, на указанном основании',
};

const TABLE_TITLES: Record<string, string> = {
  contacts: 'Контактные данные',
  leads: 'Заявки',
  submissions: 'Отправленные формы',
  consent_journal: 'Журнал согласий',
  consent_receipts: 'Квитанции о согласии',
  mail_outbox: 'Отправленные письма',
  subject_requests: 'Ваши обращения',
};

// Technical columns that say nothing to the person and are not their data.
const HIDDEN_COLUMNS = /(^|_)(org_id|enc|hash|sha256|index|seq|token|jws)$/i;

/** 'YYYY-MM-DD' → 'DD.MM.YYYY'. */
export function ruDate(date: string): string {
  const [year, month, day] = date.slice(0, 10).split('-');
  return year && month && day ? `${day}.${month}.${year}` : date;
}

function operatorLine(operator: OperatorInfo | null): string {
  if (!operator) return 'Оператор персональных данных';
  const ids = [
    operator.inn ? `ИНН ${operator.inn}` : null,
    operator.ogrn ? `ОГРН ${operator.ogrn}` : null,
  ].filter(Boolean);
  return `${operator.legalName}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}, ${operator.address}`;
}

function header(letter: LetterHeader, title: string): string[] {
  return [
    operatorLine(letter.operator),
    '',
    letter.addressee ? `Кому: ${letter.addressee}` : 'Кому: заявителю',
    `Дата: ${ruDate(letter.today)}`,
    `Исх. к запросу № ${letter.reference} от ${ruDate(letter.receivedOn)}`,
    '',
    title.toUpperCase(),
    '',
  ];
}

function signature(letter: LetterHeader): string[] {
  const operator = letter.operator;
  return [
    '',
    'Ответственный за организацию обработки персональных данных',
    operator ? `${operator.responsibleName}, ${operator.responsibleContacts}` : '',
  ];
}

function rightsParagraph(letter: LetterHeader): string[] {
  const contacts = letter.operator?.responsibleContacts ?? 'по адресу оператора';
  return [
    'Вы вправе требовать уточнения, блокирования или уничтожения своих персональных данных, если ' +
      'они неполные, устаревшие, неточные, незаконно получены или не являются необходимыми для ' +
      'заявленной цели (ч. 1 ст. 14 Федерального закона № 152-ФЗ); отозвать согласие на обработку ' +
      '(ч. 2 ст. 9); потребовать прекратить обработку (ч. 5.1 ст. 21); повторно обратиться с запросом ' +
      '(ч. 4–5 ст. 14); обжаловать действия или бездействие оператора в Роскомнадзор или в суд ' +
      '(ст. 17). Запрос можно направить ответственному лицу: ' +
      `${contacts}.`,
  ];
}

function valueText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The subject's records, table by table, without technical columns. */
export function renderSubjectData(tables: readonly SubjectTable[]): string[] {
  const lines: string[] = [];
  for (const table of tables) {
    if (table.rows.length === 0) continue;
    lines.push(
      `${TABLE_TITLES[table.table] ?? table.table} (${table.category}), записей: ${table.rows.length}`,
    );
    for (const [index, row] of table.rows.entries()) {
      const fields = Object.entries(row).flatMap(([key, value]) => {
        if (HIDDEN_COLUMNS.test(key)) return [];
        const text = valueText(value);
        return text === null ? [] : [`${key}: ${text}`];
      });
      lines.push(`  ${index + 1}. ${fields.join('; ')}`);
    }
  }
  return lines.length > 0 ? lines : ['  Записей о вас не найдено.'];
}

function days(count: number): string {
  const last = count % 10;
  const lastTwo = count % 100;
  if (last === 1 && lastTwo !== 11) return `${count} день`;
  if (last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)) return `${count} дня`;
  return `${count} дней`;
}

/**
 * The answer to an access request (152-FZ Art. 14 p.7, R-S2): every item the law lists, numbered
 * as in the law, filled from the registry and from the subject's own records.
 */
export function accessAnswer(
  letter: LetterHeader,
  input: { purposes: readonly PurposeInfo[]; tables: readonly SubjectTable[]; sources: string[] },
): string {
  const operator = letter.operator;
  const purposes = input.purposes;
  const recipients = purposes.flatMap((purpose) => purpose.recipients);
  const foreign = recipients.filter((recipient) => recipient.country !== 'RU');
  const hasData = input.tables.some((table) => table.rows.length > 0);
  const lines = [
    ...header(letter, 'Ответ на запрос субъекта персональных данных'),
    'В ответ на ваш запрос сообщаем сведения, предусмотренные ч. 7 ст. 14 Федерального закона ' +
      'от 27.07.2006 № 152-ФЗ «О персональных данных».',
    '',
    '1. Подтверждение факта обработки персональных данных',
    hasData
      ? `  Оператор обрабатывает ваши персональные данные (по состоянию на ${ruDate(letter.today)}).`
      : `  По состоянию на ${ruDate(letter.today)} оператор не обрабатывает ваших персональных данных.`,
    '',
    '2. Правовые основания и цели обработки',
    ...(purposes.length > 0
      ? purposes.map(
          (purpose) =>
            `  — ${purpose.title}: ${LEGAL_BASES[purpose.legalBasis] ?? purpose.legalBasis} (${STATES[purpose.state]}).`,
        )
      : ['  Цели обработки, относящиеся к вам, отсутствуют.']),
    '',
    '3. Цели и применяемые оператором способы обработки',
    ...purposes.map(
      (purpose) =>
        `  — ${purpose.title}: ${purpose.actions.join(', ')}; способ обработки — ${purpose.methods}.`,
    ),
    '',
    '4. Наименование и место нахождения оператора; лица, которые имеют доступ к персональным ' +
      'данным или которым они могут быть раскрыты',
    `  Оператор: ${operatorLine(operator)}.`,
    ...(operator?.rknRegisterNumber
      ? [`  Регистрационный номер в реестре операторов: ${operator.rknRegisterNumber}.`]
      : []),
    ...(recipients.length > 0
      ? recipients.map(
          (recipient) =>
            `  Получатель: ${recipient.name}, ${recipient.address} (страна: ${recipient.country}).`,
        )
      : ['  Персональные данные третьим лицам не передаются и не раскрываются.']),
    '',
    '5. Обрабатываемые персональные данные, относящиеся к вам, и источник их получения',
    ...renderSubjectData(input.tables),
    `  Источник получения: ${input.sources.length > 0 ? input.sources.join('; ') : 'непосредственно от вас'}.`,
    '',
    '6. Сроки обработки персональных данных, в том числе сроки их хранения',
    ...purposes.map(
      (purpose) =>
        `  — ${purpose.title}: ${days(purpose.retentionDays)} либо до отзыва согласия или достижения цели; ` +
        'после этого данные уничтожаются в течение 30 дней (ч. 4–5 ст. 21 Федерального закона № 152-ФЗ).',
    ),
    '',
    '7. Порядок осуществления ваших прав',
    ...rightsParagraph(letter).map((line) => `  ${line}`),
    '',
    '8. Трансграничная передача персональных данных',
    foreign.length > 0
      ? `  Осуществляется или предполагается: ${foreign.map((recipient) => `${recipient.name} (${recipient.country})`).join(', ')}.`
      : '  Не осуществляется и не предполагается.',
    '',
    '9. Лицо, осуществляющее обработку по поручению оператора',
    ...(operator && operator.processors.length > 0
      ? operator.processors.map((processor) => `  ${processor.name}, ${processor.address}.`)
      : ['  Обработка по поручению оператора третьим лицам не поручалась.']),
    '',
    '10. Способы исполнения оператором обязанностей, установленных ст. 18.1 Федерального закона № 152-ФЗ',
    `  Назначен ответственный за организацию обработки персональных данных${operator ? ` — ${operator.responsibleName}` : ''}; ` +
      `опубликована политика в отношении обработки персональных данных${operator?.policyUrl ? ` (${operator.policyUrl})` : ''}; ` +
      'персональные данные хранятся в зашифрованном виде на серверах в Российской Федерации; доступ ' +
      'разграничен по ролям, каждое обращение к данным записывается в журнал; проводится внутренний ' +
      'контроль и оценка вреда; работники ознакомлены с требованиями законодательства.',
    '',
    '11. Иные сведения',
    '  Сведения предоставлены безвозмездно. Ответ не содержит персональных данных других субъектов.',
    ...signature(letter),
  ];
  return lines.join('\n');
}

export function extensionNotice(
  letter: LetterHeader,
  input: { reason: string; byWorkingDays: number; newDueDate: string; oldDueDate: string },
): string {
  return [
    ...header(letter, 'Уведомление о продлении срока ответа'),
    `Срок ответа на ваш запрос продлён на ${input.byWorkingDays} рабоч${input.byWorkingDays === 1 ? 'ий день' : input.byWorkingDays < 5 ? 'их дня' : 'их дней'} — ` +
      `с ${ruDate(input.oldDueDate)} до ${ruDate(input.newDueDate)} включительно ` +
      '(ч. 2 ст. 20, ч. 3 ст. 14 Федерального закона № 152-ФЗ).',
    '',
    `Причина продления: ${input.reason}`,
    '',
    'Срок может быть продлён только один раз и не более чем на пять рабочих дней.',
    ...signature(letter),
  ].join('\n');
}

export function refusalLetter(letter: LetterHeader, input: { motivation: string }): string {
  return [
    ...header(letter, 'Мотивированный отказ'),
    'Рассмотрев ваш запрос, оператор отказывает в его выполнении по следующим основаниям:',
    '',
    input.motivation,
    '',
    'Отказ дан в срок, установленный ч. 2 ст. 20 Федерального закона № 152-ФЗ. Обязанность ' +
      'доказать обоснованность отказа лежит на операторе (ч. 6 ст. 14).',
    ...rightsParagraph(letter),
    ...signature(letter),
  ].join('\n');
}

export function deletionConfirmation(
  letter: LetterHeader,
  input: { categories: string[] },
): string {
  return [
    ...header(letter, 'Уведомление об уничтожении персональных данных'),
    `Сообщаем, что ${ruDate(letter.today)} ваши персональные данные уничтожены (ч. 3 ст. 20, ` +
      'ст. 21 Федерального закона № 152-ФЗ).',
    input.categories.length > 0
      ? `Уничтожены категории: ${input.categories.join(', ')}.`
      : 'Персональных данных, подлежащих уничтожению, не обнаружено.',
    'Ключ шифрования ваших данных уничтожен, поэтому они не могут быть восстановлены и из ' +
      'резервных копий. Сведения о данном согласии и ответе хранятся без ваших персональных данных.',
    ...signature(letter),
  ].join('\n');
}

export function correctionConfirmation(letter: LetterHeader): string {
  return [
    ...header(letter, 'Уведомление об уточнении персональных данных'),
    'Сообщаем, что на основании представленных вами сведений ваши персональные данные уточнены ' +
      '(ч. 3 ст. 20 Федерального закона № 152-ФЗ). Третьи лица, которым данные были переданы, ' +
      'уведомлены об изменениях.',
    ...signature(letter),
  ].join('\n');
}

export function stopConfirmation(letter: LetterHeader): string {
  return [
    ...header(letter, 'Уведомление о прекращении обработки персональных данных'),
    `Обработка ваших персональных данных прекращена с ${ruDate(letter.receivedOn)} — в день ` +
      'получения вашего требования (ч. 5.1 ст. 21 Федерального закона № 152-ФЗ). Рассылки, звонки ' +
      'и передача данных третьим лицам по вашим данным не выполняются.',
    'Обработка продолжается только в случаях, когда у оператора есть иное законное основание ' +
      '(например, исполнение обязанностей по законодательству об охране здоровья).',
    ...signature(letter),
  ].join('\n');
}

export function withdrawalConfirmation(
  letter: LetterHeader,
  input: { purposeTitle: string | null },
): string {
  return [
    ...header(letter, 'Уведомление об отзыве согласия'),
    `Ваш отзыв согласия${input.purposeTitle ? ` на обработку персональных данных в целях «${input.purposeTitle}»` : ''} ` +
      `зарегистрирован ${ruDate(letter.receivedOn)}; обработка в этих целях прекращена.`,
    'Если иного законного основания нет, персональные данные, обрабатываемые только в этих целях, ' +
      'будут уничтожены в течение 30 дней с даты получения отзыва (ч. 5 ст. 21 Федерального закона ' +
      '№ 152-ФЗ).',
    ...signature(letter),
  ].join('\n');
}

export function rknAnswer(letter: LetterHeader): string {
  return [
    ...header(letter, 'Ответ на запрос уполномоченного органа'),
    'В ответ на запрос Роскомнадзора сообщаем следующее (ч. 4 ст. 20 Федерального закона № 152-ФЗ):',
    '',
    '[Изложите запрошенные сведения.]',
    ...signature(letter),
  ].join('\n');
}

/** An answer as a printable HTML page: the same text, escaped, in a <pre>. */
export function answerHtml(title: string, text: string): string {
  const escapeHtml = (value: string) =>
    value
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;');
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px/1.5 'PT Serif',Georgia,serif;max-width:48em;margin:2em auto;padding:0 1em}
pre{white-space:pre-wrap;font:inherit}</style></head>
<body><pre>${escapeHtml(text)}</pre></body></html>
`;
}
