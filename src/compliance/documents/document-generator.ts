// Generates the operator's compliance documents from the purpose registry and the operator
// profile: the processing policy (152-FZ Art. 18.1, R-L4), the order appointing the person
// responsible and the internal regulation (Art. 18.1 p.1, Art. 22.1, R-L5), the harm assessment
// (RKN Order No. 178 of 27.10.2022, R-L5) and the record of processing activities (GDPR Art. 30(1),
// R-G4). Pure and deterministic: the same registry and profile give the same text and hash; no
// clock, no random values. Missing inputs are reported as gaps, never filled with placeholders.
import type {
  ContentBlock,
  ContentSection,
  DocumentContent,
  DocumentKind,
} from './document-content.ts';

export type GeneratorPurpose = {
  code: string;
  kind: 'processing' | 'advertising' | 'transfer' | 'distribution';
  versionId: string;
  version: number;
  title: string;
  legalBasis: string;
  dataCategories: { code: string; title: string; isSpecial: boolean }[];
  subjectCategories: string[];
  actions: string[];
  methods: string;
  channels: string[];
  recipients: { name: string; address: string; country: string }[];
  retentionDays: number | null;
};

export type GeneratorProfile = {
  legalName: string;
  address: string;
  inn?: string | undefined;
  ogrn?: string | undefined;
  responsibleName: string;
  responsibleContacts: string;
  processors: { name: string; address: string }[];
  rknRegisterNumber?: string | undefined;
};

export type GeneratorInput = {
  org: { slug: string };
  profile: GeneratorProfile | null;
  /** Active purposes, in any order (sorted by code here). */
  purposes: GeneratorPurpose[];
  publicUrl: string;
  /** How destruction is done and its deadline in days (from the retention domain). */
  destruction: { method: string; days: number };
};

export type Gap = { code: string; message: string; purposeCode?: string };

export const DOCUMENT_TITLES: Record<DocumentKind, string> = {
  policy: 'Политика в отношении обработки персональных данных',
  responsible_order:
    'Приказ о назначении лица, ответственного за организацию обработки персональных данных',
  internal_regulation: 'Положение об обработке и защите персональных данных',
  harm_assessment: 'Акт оценки вреда, который может быть причинён субъектам персональных данных',
  processing_record: 'Реестр (записи) операций по обработке персональных данных (ст. 30 GDPR)',
  processing_record_en: 'Record of processing activities (GDPR Art. 30(1))',
};

const LEGAL_BASIS_RU: Record<string, string> = {
  consent: 'согласие субъекта персональных данных (п. 1 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
  contract:
    'исполнение договора, стороной которого является субъект персональных данных, и заключение такого договора по его инициативе (п. 5 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
  legal_obligation:
    'выполнение возложенных законодательством Российской Федерации на оператора функций, полномочий и обязанностей (п. 2 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
  medical_care:
    'обработка в медико-профилактических целях, в целях установления медицинского диагноза и оказания медицинских услуг лицом, профессионально занимающимся медицинской деятельностью и обязанным сохранять врачебную тайну (п. 4 ч. 2 ст. 10 Федерального закона № 152-ФЗ)',
  vital_interests:
    'защита жизни, здоровья или иных жизненно важных интересов субъекта персональных данных (п. 6 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
  legitimate_interests:
    'осуществление прав и законных интересов оператора или третьих лиц (п. 7 ч. 1 ст. 6 Федерального закона № 152-ФЗ)',
};

const LEGAL_BASIS_EN: Record<string, string> = {
  consent: 'Consent of the data subject (GDPR Art. 6(1)(a))',
  contract: 'Performance of a contract with the data subject (GDPR Art. 6(1)(b))',
  legal_obligation: 'Compliance with a legal obligation (GDPR Art. 6(1)(c))',
  medical_care: 'Provision of health care (GDPR Art. 9(2)(h))',
  vital_interests: 'Vital interests of the data subject (GDPR Art. 6(1)(d))',
  legitimate_interests: 'Legitimate interests of the controller (GDPR Art. 6(1)(f))',
};

const CHANNEL_RU: Record<string, string> = {
  call: 'телефонные звонки',
  sms: 'SMS-сообщения',
  email: 'электронная почта',
  messenger: 'мессенджеры',
  transfer: 'передача третьим лицам',
};

/** Security measures the system itself applies (152-FZ Art. 19, R-L6). */
export const SECURITY_MEASURES_RU = [
  'назначено лицо, ответственное за организацию обработки персональных данных',
  'изданы локальные акты по вопросам обработки персональных данных; работники ознакомлены с ними',
  'персональные данные хранятся в базах данных на территории Российской Федерации',
  'персональные данные в базе данных зашифрованы (AES-256-GCM) индивидуальными ключами субъектов',
  'доступ к персональным данным разграничен по ролям; каждая организация видит только свои данные (разграничение на уровне строк базы данных)',
  'каждое обращение к персональным данным регистрируется в журнале доступа (кто, когда, что и зачем)',
  'журнал согласий неизменяем и защищён цепочкой хешей с подписанными контрольными точками',
  'пароли хранятся в виде стойких хешей; доступ по защищённому соединению',
  'резервное копирование с раздельным хранением ключей и данных',
  'ежегодный внутренний контроль (аудит) соответствия обработки требованиям закона',
];

export const SECURITY_MEASURES_EN = [
  'a person responsible for the organisation of processing is appointed',
  'internal rules on processing are adopted and staff acknowledge them',
  'personal data are stored in databases located in the Russian Federation',
  'personal data are encrypted at rest (AES-256-GCM) under per-subject keys',
  'role-based access control and row-level isolation per organisation',
  'every access to personal data is recorded in an access log',
  'the consent journal is append-only and hash-chained with signed checkpoints',
  'password hashing and encrypted transport',
  'backups with keys and data kept apart',
  'an annual internal audit of processing',
];

function plural(count: number, one: string, few: string, many: string): string {
  const mod10 = count % 10;
  const mod100 = count % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

export function daysRu(days: number): string {
  return `${days} ${plural(days, 'день', 'дня', 'дней')}`;
}

function sorted(purposes: GeneratorPurpose[]): GeneratorPurpose[] {
  return [...purposes].sort((left, right) => left.code.localeCompare(right.code));
}

function foreignRecipients(purposes: GeneratorPurpose[]) {
  return purposes.flatMap((purpose) =>
    purpose.recipients
      .filter((recipient) => recipient.country !== 'RU')
      .map((recipient) => ({ ...recipient, purposeCode: purpose.code })),
  );
}

export function portalUrl(input: Pick<GeneratorInput, 'publicUrl' | 'org'>): string {
  return `${input.publicUrl}/p/${input.org.slug}`;
}

// Gaps

/** What a document needs that the registry or profile does not have yet. */
export function findGaps(kind: DocumentKind, input: GeneratorInput): Gap[] {
  const gaps: Gap[] = [];
  const { profile } = input;
  if (!profile) {
    gaps.push({ code: 'profile_missing', message: 'Не заполнен профиль оператора' });
  } else {
    if (profile.legalName.trim() === '' || profile.address.trim() === '') {
      gaps.push({
        code: 'operator_incomplete',
        message: 'Не указаны наименование или адрес оператора',
      });
    }
    if (profile.responsibleName.trim() === '') {
      gaps.push({
        code: 'responsible_missing',
        message: 'Не назначено лицо, ответственное за обработку ПДн',
      });
    }
    if (profile.responsibleContacts.trim() === '') {
      gaps.push({
        code: 'responsible_contacts_missing',
        message: 'Не указаны контакты ответственного лица',
      });
    }
  }
  if (kind === 'responsible_order') return gaps;
  if (input.purposes.length === 0) {
    gaps.push({
      code: 'purposes_missing',
      message: 'В реестре нет ни одной действующей цели обработки',
    });
  }
  for (const purpose of sorted(input.purposes)) {
    const missing: [boolean, string, string][] = [
      [
        purpose.retentionDays === null || purpose.retentionDays <= 0,
        'purpose_retention_missing',
        'не задан срок обработки и хранения',
      ],
      [
        purpose.dataCategories.length === 0,
        'purpose_data_missing',
        'не указан перечень персональных данных',
      ],
      [
        purpose.subjectCategories.length === 0,
        'purpose_subjects_missing',
        'не указаны категории субъектов',
      ],
      [purpose.actions.length === 0, 'purpose_actions_missing', 'не указаны действия с данными'],
      [purpose.methods.trim() === '', 'purpose_methods_missing', 'не указаны способы обработки'],
    ];
    for (const [isMissing, code, text] of missing) {
      if (isMissing) {
        gaps.push({ code, message: `Цель «${purpose.title}»: ${text}`, purposeCode: purpose.code });
      }
    }
  }
  return gaps;
}

// Shared fragments

function operatorRows(profile: GeneratorProfile): { label: string; value: string }[] {
  const rows = [
    { label: 'Оператор', value: profile.legalName },
    { label: 'Адрес', value: profile.address },
  ];
  if (profile.inn) rows.push({ label: 'ИНН', value: profile.inn });
  if (profile.ogrn) rows.push({ label: 'ОГРН', value: profile.ogrn });
  if (profile.rknRegisterNumber) {
    rows.push({
      label: 'Регистрационный номер в реестре операторов',
      value: profile.rknRegisterNumber,
    });
  }
  return rows;
}

function recipientText(recipient: { name: string; address: string; country: string }): string {
  return `${recipient.name}, ${recipient.address} (страна: ${recipient.country})`;
}

/** Every item Art. 18.1 and the RKN recommendations ask per purpose (R-L4). */
export function purposeSection(purpose: GeneratorPurpose, input: GeneratorInput): ContentSection {
  const categories = purpose.dataCategories.map(
    (category) => `${category.title}${category.isSpecial ? ' (специальная категория)' : ''}`,
  );
  const hasSpecial = purpose.dataCategories.some((category) => category.isSpecial);
  const blocks: ContentBlock[] = [
    {
      type: 'fields',
      rows: [
        { label: 'Цель обработки', value: purpose.title },
        {
          label: 'Правовое основание',
          value: LEGAL_BASIS_RU[purpose.legalBasis] ?? purpose.legalBasis,
        },
        {
          label: 'Категории персональных данных',
          value: hasSpecial
            ? 'иные категории и специальные категории персональных данных (ст. 10 Федерального закона № 152-ФЗ)'
            : 'иные категории персональных данных',
        },
        { label: 'Перечень персональных данных', value: categories.join('; ') },
        { label: 'Категории субъектов', value: purpose.subjectCategories.join('; ') },
        { label: 'Перечень действий', value: purpose.actions.join(', ') },
        { label: 'Способы обработки', value: purpose.methods },
        {
          label: 'Сроки обработки и хранения',
          value:
            purpose.retentionDays === null
              ? 'не установлен'
              : `${daysRu(purpose.retentionDays)} с момента получения персональных данных либо до достижения цели обработки${purpose.legalBasis === 'consent' ? ' или отзыва согласия' : ''}, если это наступит раньше`,
        },
        {
          label: 'Порядок уничтожения',
          value: `в течение ${daysRu(input.destruction.days)} с даты достижения цели обработки, истечения срока хранения или отзыва согласия (ч. 4, 5 ст. 21 Федерального закона № 152-ФЗ): ${input.destruction.method}. Уничтожение подтверждается актом и выгрузкой из журнала событий (Приказ Роскомнадзора от 28.10.2022 № 179)`,
        },
      ],
    },
  ];
  const extra: { label: string; value: string }[] = [];
  if (purpose.channels.length > 0) {
    extra.push({
      label: 'Каналы связи',
      value: purpose.channels.map((channel) => CHANNEL_RU[channel] ?? channel).join(', '),
    });
  }
  extra.push({
    label: 'Третьи лица, которым передаются данные',
    value:
      purpose.recipients.length > 0
        ? purpose.recipients.map(recipientText).join('; ')
        : 'не передаются',
  });
  const foreign = purpose.recipients.filter((recipient) => recipient.country !== 'RU');
  extra.push({
    label: 'Трансграничная передача',
    value:
      foreign.length > 0
        ? `осуществляется: ${foreign.map((recipient) => `${recipient.name} (${recipient.country})`).join('; ')}`
        : 'не осуществляется',
  });
  blocks.push({ type: 'fields', rows: extra });
  return { id: `purpose-${purpose.code}`, heading: `Цель обработки: ${purpose.title}`, blocks };
}

function rightsSection(input: GeneratorInput, profile: GeneratorProfile): ContentSection {
  return {
    id: 'rights',
    heading: 'Права субъектов персональных данных и порядок их реализации',
    blocks: [
      {
        type: 'paragraph',
        text: 'Субъект персональных данных вправе (ст. 14–17, 21 Федерального закона № 152-ФЗ):',
      },
      {
        type: 'list',
        items: [
          'получить сведения об обработке своих персональных данных',
          'потребовать уточнения, блокирования или уничтожения данных, если они неполные, устаревшие, неточные, незаконно полученные или не нужны для заявленной цели',
          'отозвать согласие на обработку персональных данных',
          'потребовать прекращения обработки данных в целях продвижения товаров и услуг',
          'обжаловать действия оператора в Роскомнадзоре или в суде',
        ],
      },
      {
        type: 'paragraph',
        text: `Запросы и отзыв согласия принимаются в разделе «Мои данные» по адресу ${portalUrl(input)}, письмом по адресу ${profile.address} или по контактам ответственного лица: ${profile.responsibleContacts}. Ответ даётся в течение 10 рабочих дней (срок может быть продлён на 5 рабочих дней с уведомлением субъекта).`,
      },
    ],
  };
}

function crossBorderText(purposes: GeneratorPurpose[]): string {
  const foreign = foreignRecipients(purposes);
  if (foreign.length === 0) {
    return 'Трансграничная передача персональных данных не осуществляется. Запись, систематизация, накопление, хранение, уточнение и извлечение персональных данных граждан Российской Федерации осуществляются с использованием баз данных, находящихся на территории Российской Федерации (ч. 5 ст. 18 Федерального закона № 152-ФЗ).';
  }
  return `Трансграничная передача осуществляется следующим получателям: ${foreign
    .map((recipient) => `${recipient.name} (${recipient.country})`)
    .join(
      '; ',
    )}. До начала передачи оператор уведомляет Роскомнадзор (ст. 12 Федерального закона № 152-ФЗ). Сбор и хранение персональных данных граждан Российской Федерации осуществляются с использованием баз данных на территории Российской Федерации.`;
}

// The documents

function policy(input: GeneratorInput, profile: GeneratorProfile): DocumentContent {
  const purposes = sorted(input.purposes);
  return {
    title: DOCUMENT_TITLES.policy,
    language: 'ru',
    preamble: [profile.legalName],
    sections: [
      {
        id: 'general',
        heading: 'Общие положения',
        blocks: [
          {
            type: 'paragraph',
            text: 'Настоящая политика определяет цели, содержание и порядок обработки персональных данных оператором и меры по их защите (ст. 18.1 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных»). Политика опубликована в открытом доступе на странице, где собираются персональные данные.',
          },
          { type: 'fields', rows: operatorRows(profile) },
        ],
      },
      {
        id: 'responsible',
        heading: 'Лицо, ответственное за организацию обработки персональных данных',
        blocks: [
          {
            type: 'fields',
            rows: [
              { label: 'Ответственное лицо', value: profile.responsibleName },
              { label: 'Контакты', value: profile.responsibleContacts },
            ],
          },
        ],
      },
      ...purposes.map((purpose) => purposeSection(purpose, input)),
      rightsSection(input, profile),
      {
        id: 'security',
        heading: 'Меры по обеспечению безопасности персональных данных',
        blocks: [{ type: 'list', items: SECURITY_MEASURES_RU }],
      },
      {
        id: 'cross-border',
        heading: 'Трансграничная передача и место хранения',
        blocks: [{ type: 'paragraph', text: crossBorderText(purposes) }],
      },
      {
        id: 'processors',
        heading: 'Обработка по поручению оператора',
        blocks: [
          {
            type: 'paragraph',
            text:
              profile.processors.length > 0
                ? `Обработку по поручению оператора (ч. 3 ст. 6 Федерального закона № 152-ФЗ) осуществляют: ${profile.processors.map((processor) => `${processor.name}, ${processor.address}`).join('; ')}.`
                : 'Оператор не поручает обработку персональных данных другим лицам.',
          },
        ],
      },
      {
        id: 'final',
        heading: 'Заключительные положения',
        blocks: [
          {
            type: 'paragraph',
            text: 'Политика формируется из реестра целей обработки оператора. Каждое изменение реестра создаёт новую редакцию; прежние редакции остаются доступны по своим адресам с контрольной суммой SHA-256.',
          },
        ],
      },
    ],
  };
}

function responsibleOrder(profile: GeneratorProfile): DocumentContent {
  return {
    title: DOCUMENT_TITLES.responsible_order,
    language: 'ru',
    preamble: [profile.legalName, profile.address],
    sections: [
      {
        id: 'appointment',
        heading: 'Назначение',
        blocks: [
          {
            type: 'paragraph',
            text: `В соответствии со ст. 18.1 и 22.1 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных» назначить ${profile.responsibleName} лицом, ответственным за организацию обработки персональных данных.`,
          },
          {
            type: 'fields',
            rows: [
              { label: 'Ответственное лицо', value: profile.responsibleName },
              { label: 'Контакты', value: profile.responsibleContacts },
            ],
          },
        ],
      },
      {
        id: 'duties',
        heading: 'Обязанности ответственного лица (ч. 4 ст. 22.1 Федерального закона № 152-ФЗ)',
        blocks: [
          {
            type: 'list',
            items: [
              'осуществлять внутренний контроль за соблюдением оператором и его работниками законодательства о персональных данных, в том числе требований к защите персональных данных',
              'доводить до сведения работников положения законодательства о персональных данных, локальных актов по вопросам обработки персональных данных и требований к их защите',
              'организовывать приём и обработку обращений и запросов субъектов персональных данных или их представителей и осуществлять контроль за приёмом и обработкой таких обращений и запросов',
              'проводить ежегодный аудит обработки персональных данных и оценку вреда',
            ],
          },
        ],
      },
      {
        id: 'control',
        heading: 'Контроль',
        blocks: [
          {
            type: 'paragraph',
            text: 'Контроль за исполнением приказа оставляю за собой. С приказом ознакомлен(а): ____________ / ____________',
          },
        ],
      },
    ],
  };
}

function internalRegulation(input: GeneratorInput, profile: GeneratorProfile): DocumentContent {
  const purposes = sorted(input.purposes);
  return {
    title: DOCUMENT_TITLES.internal_regulation,
    language: 'ru',
    preamble: [profile.legalName],
    sections: [
      {
        id: 'scope',
        heading: 'Назначение и область действия',
        blocks: [
          {
            type: 'paragraph',
            text: 'Положение устанавливает порядок обработки персональных данных работниками оператора, процедуры, направленные на предотвращение и выявление нарушений законодательства, и устранение последствий таких нарушений (п. 2 ч. 1 ст. 18.1 Федерального закона № 152-ФЗ). Каждый работник, получающий доступ к персональным данным, знакомится с положением и подтверждает ознакомление в системе.',
          },
        ],
      },
      {
        id: 'purposes',
        heading: 'Цели обработки и сроки',
        blocks: [
          {
            type: 'list',
            items: purposes.map(
              (purpose) =>
                `${purpose.title}: ${purpose.dataCategories.map((category) => category.title).join(', ')}; срок — ${purpose.retentionDays === null ? 'не установлен' : daysRu(purpose.retentionDays)}`,
            ),
          },
        ],
      },
      {
        id: 'collection',
        heading: 'Сбор персональных данных',
        blocks: [
          {
            type: 'list',
            items: [
              'персональные данные собираются только через формы и каналы, зарегистрированные в системе, с отдельным согласием на каждую цель',
              'запрещается собирать персональные данные в сторонние сервисы, серверы которых находятся за пределами Российской Федерации',
              `на каждой странице, где собираются данные, размещается ссылка на политику обработки персональных данных`,
            ],
          },
        ],
      },
      {
        id: 'access',
        heading: 'Доступ работников к персональным данным',
        blocks: [
          {
            type: 'list',
            items: [
              'доступ предоставляется по ролям: владелец, администратор, регистратура, маркетолог (только обезличенная аналитика), ответственный за ПДн, аудитор (только журналы)',
              'каждое обращение к персональным данным регистрируется в журнале доступа; ответственное лицо ежеквартально просматривает журнал',
              'выгрузка персональных данных допускается только в случаях, предусмотренных политикой, и регистрируется',
            ],
          },
        ],
      },
      {
        id: 'destruction',
        heading: 'Хранение и уничтожение',
        blocks: [
          {
            type: 'paragraph',
            text: `По достижении цели, истечении срока или отзыве согласия персональные данные уничтожаются в течение ${daysRu(input.destruction.days)}: ${input.destruction.method}. Уничтожение оформляется актом (Приказ Роскомнадзора № 179).`,
          },
        ],
      },
      {
        id: 'requests',
        heading: 'Обращения субъектов и инциденты',
        blocks: [
          {
            type: 'list',
            items: [
              `обращения субъектов принимаются в том числе через раздел «Мои данные» (${portalUrl(input)}); ответ — в течение 10 рабочих дней`,
              'о неправомерной или случайной передаче персональных данных оператор уведомляет Роскомнадзор в течение 24 часов и сообщает результаты расследования в течение 72 часов (ч. 3.1 ст. 21 Федерального закона № 152-ФЗ)',
            ],
          },
        ],
      },
      {
        id: 'control',
        heading: 'Внутренний контроль',
        blocks: [
          {
            type: 'paragraph',
            text: `Ответственный за организацию обработки персональных данных (${profile.responsibleName}) проводит аудит не реже одного раза в год по контрольному перечню системы и хранит подтверждающие материалы.`,
          },
        ],
      },
    ],
  };
}

export type HarmLevel = 'high' | 'medium' | 'low';

const HARM_LEVEL_RU: Record<HarmLevel, string> = {
  high: 'высокая',
  medium: 'средняя',
  low: 'низкая',
};

/**
 * The harm level of one purpose by the criteria of RKN Order No. 178: special categories,
 * biometrics and foreign recipients are high; direct-contact advertising (Art. 15), making data
 * public (distribution) and online consent without identification are medium; otherwise low.
 * Each reason is named, so the act says why.
 */
export function assessHarm(purpose: GeneratorPurpose): { level: HarmLevel; reasons: string[] } {
  const high: string[] = [];
  const medium: string[] = [];
  if (purpose.dataCategories.some((category) => category.isSpecial)) {
    high.push(
      'обработка специальных категорий персональных данных (ст. 10 Федерального закона № 152-ФЗ) — критерий высокой степени вреда',
    );
  }
  if (
    purpose.dataCategories.some((category) =>
      /biometr|биометр/i.test(`${category.code} ${category.title}`),
    )
  ) {
    high.push(
      'обработка биометрических персональных данных (ст. 11) — критерий высокой степени вреда',
    );
  }
  if (purpose.recipients.some((recipient) => recipient.country !== 'RU')) {
    high.push('передача (поручение обработки) иностранным лицам — критерий высокой степени вреда');
  }
  if (purpose.kind === 'advertising') {
    medium.push(
      'продвижение товаров и услуг путём прямых контактов с помощью средств связи (ст. 15) — критерий средней степени вреда',
    );
  }
  if (purpose.kind === 'distribution') {
    medium.push(
      'распространение персональных данных неопределённому кругу лиц — критерий средней степени вреда',
    );
  }
  if (purpose.legalBasis === 'consent') {
    medium.push(
      'получение согласия через сайт без последующей идентификации субъекта — критерий средней степени вреда',
    );
  }
  if (high.length > 0) return { level: 'high', reasons: [...high, ...medium] };
  if (medium.length > 0) return { level: 'medium', reasons: medium };
  return {
    level: 'low',
    reasons: ['критерии высокой и средней степени вреда, установленные Требованиями, отсутствуют'],
  };
}

function harmAssessment(input: GeneratorInput, profile: GeneratorProfile): DocumentContent {
  const purposes = sorted(input.purposes);
  const levels = purposes.map((purpose) => ({ purpose, ...assessHarm(purpose) }));
  const order: HarmLevel[] = ['high', 'medium', 'low'];
  const overall =
    order.find((level) => levels.some((entry) => entry.level === level)) ?? ('low' as HarmLevel);
  return {
    title: DOCUMENT_TITLES.harm_assessment,
    language: 'ru',
    preamble: [
      'Составлен в соответствии с Требованиями к оценке вреда, утверждёнными приказом Роскомнадзора от 27.10.2022 № 178',
    ],
    sections: [
      {
        id: 'operator',
        heading: 'Оператор и лицо, проводившее оценку',
        blocks: [
          {
            type: 'fields',
            rows: [
              ...operatorRows(profile),
              {
                label: 'Оценку провёл',
                value: `${profile.responsibleName}, лицо, ответственное за организацию обработки персональных данных`,
              },
            ],
          },
        ],
      },
      ...levels.map(({ purpose, level, reasons }) => ({
        id: `purpose-${purpose.code}`,
        heading: `Цель обработки: ${purpose.title}`,
        blocks: [
          {
            type: 'fields' as const,
            rows: [{ label: 'Степень вреда', value: HARM_LEVEL_RU[level] }],
          },
          { type: 'paragraph' as const, text: 'Основания:' },
          { type: 'list' as const, items: reasons },
        ],
      })),
      {
        id: 'result',
        heading: 'Результат оценки',
        blocks: [
          {
            type: 'paragraph',
            text: `Степень вреда, который может быть причинён субъектам персональных данных: ${HARM_LEVEL_RU[overall]}. При соответствии обработки нескольким степеням вреда применяется наиболее высокая. Меры защиты соответствуют установленной степени вреда.`,
          },
          {
            type: 'paragraph',
            text: `Подпись ответственного лица: ____________ / ${profile.responsibleName}`,
          },
        ],
      },
    ],
  };
}

function processingRecord(input: GeneratorInput, profile: GeneratorProfile): DocumentContent {
  const purposes = sorted(input.purposes);
  return {
    title: DOCUMENT_TITLES.processing_record,
    language: 'ru',
    preamble: [profile.legalName],
    sections: [
      {
        id: 'controller',
        heading: 'Оператор (контролёр) и ответственное лицо (DPO)',
        blocks: [
          {
            type: 'fields',
            rows: [
              ...operatorRows(profile),
              {
                label: 'Ответственное лицо',
                value: `${profile.responsibleName}, ${profile.responsibleContacts}`,
              },
            ],
          },
        ],
      },
      ...purposes.map((purpose) => {
        const foreign = purpose.recipients.filter((recipient) => recipient.country !== 'RU');
        return {
          id: `purpose-${purpose.code}`,
          heading: `Цель обработки: ${purpose.title}`,
          blocks: [
            {
              type: 'fields' as const,
              rows: [
                { label: 'Цель', value: purpose.title },
                {
                  label: 'Правовое основание',
                  value: LEGAL_BASIS_RU[purpose.legalBasis] ?? purpose.legalBasis,
                },
                { label: 'Категории субъектов', value: purpose.subjectCategories.join('; ') },
                {
                  label: 'Категории данных',
                  value: purpose.dataCategories.map((category) => category.title).join('; '),
                },
                {
                  label: 'Получатели',
                  value:
                    purpose.recipients.length > 0
                      ? purpose.recipients.map(recipientText).join('; ')
                      : 'нет',
                },
                {
                  label: 'Передача в третьи страны и гарантии',
                  value:
                    foreign.length > 0
                      ? `${foreign.map((recipient) => `${recipient.name} (${recipient.country})`).join('; ')}; уведомление Роскомнадзора до начала передачи и отдельное согласие субъекта`
                      : 'не осуществляется',
                },
                {
                  label: 'Срок удаления',
                  value:
                    purpose.retentionDays === null
                      ? 'не установлен'
                      : `${daysRu(purpose.retentionDays)}; уничтожение в течение ${daysRu(input.destruction.days)}`,
                },
                { label: 'Меры безопасности', value: 'см. раздел «Меры безопасности»' },
              ],
            },
          ],
        };
      }),
      {
        id: 'security',
        heading: 'Меры безопасности',
        blocks: [{ type: 'list', items: SECURITY_MEASURES_RU }],
      },
    ],
  };
}

function processingRecordEn(input: GeneratorInput, profile: GeneratorProfile): DocumentContent {
  const purposes = sorted(input.purposes);
  return {
    title: DOCUMENT_TITLES.processing_record_en,
    language: 'en',
    preamble: [profile.legalName],
    sections: [
      {
        id: 'controller',
        heading: 'Controller and data protection officer',
        blocks: [
          {
            type: 'fields',
            rows: [
              { label: 'Controller', value: profile.legalName },
              { label: 'Address', value: profile.address },
              {
                label: 'Data protection officer (person responsible)',
                value: `${profile.responsibleName}, ${profile.responsibleContacts}`,
              },
            ],
          },
        ],
      },
      ...purposes.map((purpose) => {
        const foreign = purpose.recipients.filter((recipient) => recipient.country !== 'RU');
        return {
          id: `purpose-${purpose.code}`,
          heading: `Purpose: ${purpose.title} (${purpose.code})`,
          blocks: [
            {
              type: 'fields' as const,
              rows: [
                { label: 'Purpose', value: purpose.title },
                {
                  label: 'Legal basis',
                  value: LEGAL_BASIS_EN[purpose.legalBasis] ?? purpose.legalBasis,
                },
                {
                  label: 'Categories of data subjects',
                  value: purpose.subjectCategories.join('; '),
                },
                {
                  label: 'Categories of personal data',
                  value: purpose.dataCategories
                    .map(
                      (category) =>
                        `${category.title}${category.isSpecial ? ' (special category)' : ''}`,
                    )
                    .join('; '),
                },
                {
                  label: 'Recipients',
                  value:
                    purpose.recipients.length > 0
                      ? purpose.recipients
                          .map((recipient) => `${recipient.name} (${recipient.country})`)
                          .join('; ')
                      : 'none',
                },
                {
                  label: 'Transfers to third countries and safeguards',
                  value:
                    foreign.length > 0
                      ? `${foreign.map((recipient) => `${recipient.name} (${recipient.country})`).join('; ')}; prior notice to Roskomnadzor and a separate consent of the data subject`
                      : 'none',
                },
                {
                  label: 'Time limit for erasure',
                  value:
                    purpose.retentionDays === null
                      ? 'not set'
                      : `${purpose.retentionDays} days; destruction within ${input.destruction.days} days`,
                },
                { label: 'Security measures', value: 'see “Security measures”' },
              ],
            },
          ],
        };
      }),
      {
        id: 'security',
        heading: 'Security measures (GDPR Art. 32)',
        blocks: [{ type: 'list', items: SECURITY_MEASURES_EN }],
      },
    ],
  };
}

/** The document of a kind, or the gaps that keep it from being generated. */
export function generateDocument(
  kind: DocumentKind,
  input: GeneratorInput,
): { content: DocumentContent; gaps: [] } | { content: null; gaps: Gap[] } {
  const gaps = findGaps(kind, input);
  const { profile } = input;
  if (gaps.length > 0 || !profile) return { content: null, gaps };
  switch (kind) {
    case 'policy':
      return { content: policy(input, profile), gaps: [] };
    case 'responsible_order':
      return { content: responsibleOrder(profile), gaps: [] };
    case 'internal_regulation':
      return { content: internalRegulation(input, profile), gaps: [] };
    case 'harm_assessment':
      return { content: harmAssessment(input, profile), gaps: [] };
    case 'processing_record':
      return { content: processingRecord(input, profile), gaps: [] };
    case 'processing_record_en':
      return { content: processingRecordEn(input, profile), gaps: [] };
  }
}
