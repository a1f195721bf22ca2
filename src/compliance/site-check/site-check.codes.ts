/**
 * Every finding the site checker can report, with its severity, the rule behind it and the
 * Russian and English texts. The codes are stable: the CLI's `--json`, the API and the UI key
 * on them.
 */
export const FINDING_CODES = [
  'consent_missing',
  'consent_checkbox_prechecked',
  'consents_bundled',
  'policy_link_missing',
  'foreign_form_action',
  'foreign_tracker',
  'foreign_captcha',
  'foreign_font',
  'foreign_chat_widget',
  'russian_tracker_needs_policy_mention',
  'cookie_notice_missing',
  'page_missing_about',
  'page_missing_licenses',
  'page_missing_doctors',
  'page_missing_prices',
  'page_missing_reviews',
  'page_missing_booking',
  'seo_title_missing',
  'seo_meta_description_missing',
  'seo_h1_missing',
  'seo_h1_multiple',
  'seo_canonical_missing',
  'page_too_heavy',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'high' | 'medium' | 'low';

export type FindingCategory = 'consent' | 'localization' | 'clinic' | 'seo';

export type Texts = { ru: string; en: string };

export type FindingDefinition = {
  severity: Severity;
  category: FindingCategory;
  /** The requirement ID (../shared REQUIREMENTS) or the law the finding rests on. */
  rule: string;
  message: Texts;
  fix: Texts;
};

/** Points taken off the score of 100 for each code found, by severity. */
export const SEVERITY_PENALTY: Record<Severity, number> = { high: 20, medium: 8, low: 3 };

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

export const FINDINGS: Record<FindingCode, FindingDefinition> = {
  consent_missing: {
    severity: 'high',
    category: 'consent',
    rule: 'R-C1 (152-FZ Art. 9 p.1)',
    message: {
      ru: 'Форма собирает персональные данные, но в ней нет отдельного неотмеченного чекбокса согласия: нажатие кнопки «Отправить» согласием не является.',
      en: 'A form collects personal data without a separate unticked consent checkbox; pressing “Send” is not consent.',
    },
    fix: {
      ru: 'Добавьте рядом с кнопкой отправки отдельный чекбокс для каждой цели обработки, по умолчанию не отмеченный, со ссылкой на текст согласия. Удобнее всего встроить форму Soglasie: она делает это сама.',
      en: 'Add one unticked checkbox per processing purpose next to the submit button, linking the consent text. A Soglasie form does this for you.',
    },
  },
  consent_checkbox_prechecked: {
    severity: 'high',
    category: 'consent',
    rule: 'R-C1, R-G1 (152-FZ Art. 9 p.1; CJEU C-673/17 Planet49)',
    message: {
      ru: 'Чекбокс согласия отмечен заранее. Согласие должно быть конкретным и сознательным: заранее поставленная галочка его не доказывает.',
      en: 'A consent checkbox is ticked in advance; a pre-ticked box proves no conscious consent.',
    },
    fix: {
      ru: 'Уберите атрибут checked у чекбоксов согласия: посетитель должен поставить галочку сам.',
      en: 'Remove the checked attribute from consent checkboxes: the visitor must tick them.',
    },
  },
  consents_bundled: {
    severity: 'high',
    category: 'consent',
    rule: 'R-C2 (152-FZ Art. 9 p.1, 156-FZ, from 01.09.2025)',
    message: {
      ru: 'Один чекбокс объединяет несколько согласий (например, на обработку данных и на рекламную рассылку) или согласие с офертой. С 1 сентября 2025 г. согласие — отдельный документ, объединять согласия нельзя.',
      en: 'One checkbox covers several consents (e.g. processing and advertising), or a consent and an offer. Since 1 September 2025 each consent is a separate document and consents may not be merged.',
    },
    fix: {
      ru: 'Сделайте отдельный чекбокс и отдельный документ для каждого согласия: обработка данных, рассылка, передача третьим лицам. Политику и оферту давайте ссылкой, а не частью согласия.',
      en: 'Give each consent its own checkbox and document: processing, mailing, transfer to third parties. Link the policy and the offer instead of bundling them.',
    },
  },
  policy_link_missing: {
    severity: 'high',
    category: 'consent',
    rule: 'R-L4 (152-FZ Art. 18.1 p.2)',
    message: {
      ru: 'На странице, где собираются персональные данные, нет ссылки на политику обработки персональных данных.',
      en: 'A page that collects personal data does not link the personal data processing policy.',
    },
    fix: {
      ru: 'Опубликуйте политику обработки ПДн и поставьте ссылку на неё в каждой форме (рядом с чекбоксом согласия) и в подвале сайта.',
      en: 'Publish the personal data policy and link it from every form (next to the consent checkbox) and the site footer.',
    },
  },
  foreign_form_action: {
    severity: 'high',
    category: 'localization',
    rule: 'R-L1 (152-FZ Art. 18 p.5, 23-FZ, from 01.07.2025)',
    message: {
      ru: 'Форма отправляет данные в иностранный сервис (или встроена из него). С 1 июля 2025 г. собирать данные россиян в иностранные базы данных запрещено.',
      en: 'A form posts to (or is embedded from) a foreign service. Since 1 July 2025 collecting Russians’ data into foreign databases is prohibited.',
    },
    fix: {
      ru: 'Принимайте заявки на сервере в России — например, формой Soglasie. Иностранный сервис может получать данные только после записи в российскую базу и с соблюдением правил трансграничной передачи.',
      en: 'Receive submissions on a server in Russia, e.g. with a Soglasie form. A foreign service may get data only after the Russian database and under the cross-border transfer rules.',
    },
  },
  foreign_tracker: {
    severity: 'high',
    category: 'localization',
    rule: 'R-L1, R-L2 (152-FZ Art. 18 p.5, Art. 12)',
    message: {
      ru: 'На странице стоит иностранная система аналитики или рекламный пиксель: идентификаторы и IP-адреса посетителей уходят за рубеж.',
      en: 'The page loads a foreign analytics system or advertising pixel; visitors’ identifiers and IP addresses go abroad.',
    },
    fix: {
      ru: 'Удалите иностранные счётчики и пиксели (Google Analytics, Google Tag Manager, Meta Pixel и т. п.) или замените их российскими (Яндекс Метрика, Top@Mail.ru), упомянув их в политике.',
      en: 'Remove foreign counters and pixels (Google Analytics, Tag Manager, Meta Pixel, …) or replace them with Russian ones (Yandex Metrica, Top@Mail.ru) named in the policy.',
    },
  },
  foreign_captcha: {
    severity: 'high',
    category: 'localization',
    rule: 'R-L1 (152-FZ Art. 18 p.5)',
    message: {
      ru: 'Форма защищена иностранной капчей (reCAPTCHA, hCaptcha, Turnstile): данные посетителя и его поведение передаются иностранному сервису при сборе данных.',
      en: 'A form uses a foreign captcha (reCAPTCHA, hCaptcha, Turnstile): the visitor’s data and behaviour go to a foreign service at the point of collection.',
    },
    fix: {
      ru: 'Замените капчу на Yandex SmartCaptcha или на защиту без внешних сервисов (скрытое поле-ловушка, ограничение частоты — так работает форма Soglasie).',
      en: 'Replace it with Yandex SmartCaptcha or protection without outside services (a honeypot field and rate limits, as a Soglasie form does).',
    },
  },
  foreign_font: {
    severity: 'medium',
    category: 'localization',
    rule: 'R-L2 (152-FZ Art. 12); GDPR Art. 44',
    message: {
      ru: 'Шрифты загружаются с иностранного сервера (Google Fonts, Adobe Fonts): браузер каждого посетителя передаёт туда свой IP-адрес.',
      en: 'Fonts load from a foreign server (Google Fonts, Adobe Fonts); every visitor’s browser sends it their IP address.',
    },
    fix: {
      ru: 'Скачайте файлы шрифтов и раздавайте их со своего сервера (@font-face с локальными путями).',
      en: 'Download the font files and serve them from your own server (@font-face with local paths).',
    },
  },
  foreign_chat_widget: {
    severity: 'high',
    category: 'localization',
    rule: 'R-L1 (152-FZ Art. 18 p.5)',
    message: {
      ru: 'На странице иностранный чат-виджет: имена, телефоны и переписка посетителей сохраняются в иностранной базе данных.',
      en: 'The page has a foreign chat widget; visitors’ names, phones and messages are stored in a foreign database.',
    },
    fix: {
      ru: 'Замените виджет на российский сервис с серверами в России (например, JivoSite) и укажите его в политике и реестре сервисов.',
      en: 'Replace it with a service whose servers are in Russia (e.g. JivoSite) and list it in the policy and the services register.',
    },
  },
  russian_tracker_needs_policy_mention: {
    severity: 'low',
    category: 'localization',
    rule: 'R-L4 (152-FZ Art. 18.1 p.2); R-E0',
    message: {
      ru: 'На странице российская система аналитики (Яндекс Метрика, Top@Mail.ru, пиксель VK). Она обрабатывает cookie и IP-адреса — это персональные данные.',
      en: 'The page uses a Russian analytics system (Yandex Metrica, Top@Mail.ru, VK pixel). It processes cookies and IP addresses, which are personal data.',
    },
    fix: {
      ru: 'Укажите сервис аналитики в политике обработки ПДн (цель, состав данных, срок) и в реестре сервисов; запускайте счётчик только после согласия на cookie.',
      en: 'Name the analytics service in the policy (purpose, data, term) and the services register; start the counter only after cookie consent.',
    },
  },
  cookie_notice_missing: {
    severity: 'medium',
    category: 'consent',
    rule: 'R-E0 (ePrivacy Art. 5(3); RKN treats cookies with IP as personal data)',
    message: {
      ru: 'Страница подключает сервисы, ставящие cookie (аналитика, пиксели, чаты), но уведомления о cookie нет.',
      en: 'The page loads services that set cookies (analytics, pixels, chats) but shows no cookie notice.',
    },
    fix: {
      ru: 'Покажите баннер о cookie со ссылкой на политику и запускайте необязательные скрипты только после согласия посетителя.',
      en: 'Show a cookie banner linking the policy and start non-essential scripts only after the visitor agrees.',
    },
  },
  page_missing_about: {
    severity: 'low',
    category: 'clinic',
    rule: 'Patient trust; Decree 736 of 11.05.2023 (information about the provider)',
    message: {
      ru: 'Не найдена страница «О клинике».',
      en: 'No “About the clinic” page is linked.',
    },
    fix: {
      ru: 'Добавьте в меню страницу «О клинике»: история, оборудование, юридическое лицо, адрес и режим работы.',
      en: 'Add an “About the clinic” page to the menu: history, equipment, legal entity, address and hours.',
    },
  },
  page_missing_licenses: {
    severity: 'medium',
    category: 'clinic',
    rule: '323-FZ Art. 79 p.1 item 7; Decree 736 of 11.05.2023',
    message: {
      ru: 'Не найдена страница с лицензией на медицинскую деятельность. Медицинская организация обязана разместить сведения о лицензии на сайте.',
      en: 'No page with the medical licence is linked; a medical organization must publish its licence details on its site.',
    },
    fix: {
      ru: 'Опубликуйте страницу «Лицензии» с номером и датой лицензии, перечнем работ и ссылкой на реестр Росздравнадзора, и добавьте её в меню.',
      en: 'Publish a “Licences” page with the licence number, date, the list of services and a link to the Roszdravnadzor register, and add it to the menu.',
    },
  },
  page_missing_doctors: {
    severity: 'medium',
    category: 'clinic',
    rule: '323-FZ Art. 79 p.1 item 7; Decree 736 of 11.05.2023 (doctors’ qualifications)',
    message: {
      ru: 'Не найдена страница «Врачи» со сведениями о медицинских работниках.',
      en: 'No “Doctors” page with information about the medical staff is linked.',
    },
    fix: {
      ru: 'Добавьте страницу «Врачи»: специальность, образование, сертификат или аккредитация, стаж, график приёма.',
      en: 'Add a “Doctors” page: specialty, education, certificate or accreditation, experience, schedule.',
    },
  },
  page_missing_prices: {
    severity: 'medium',
    category: 'clinic',
    rule: 'Decree 736 of 11.05.2023 (price list of paid medical services)',
    message: {
      ru: 'Не найдена страница с ценами (прейскурантом) на платные медицинские услуги.',
      en: 'No price list page for paid medical services is linked.',
    },
    fix: {
      ru: 'Опубликуйте прейскурант платных услуг в рублях и добавьте ссылку «Цены» в меню.',
      en: 'Publish the price list of paid services in roubles and add a “Prices” link to the menu.',
    },
  },
  page_missing_reviews: {
    severity: 'low',
    category: 'clinic',
    rule: 'Patient trust; R-C8 for publishing patients’ names',
    message: {
      ru: 'Не найдена страница с отзывами пациентов.',
      en: 'No patient reviews page is linked.',
    },
    fix: {
      ru: 'Добавьте страницу «Отзывы». Имена и фото пациентов публикуйте только с согласием на распространение (ст. 10.1 152-ФЗ).',
      en: 'Add a “Reviews” page. Publish patients’ names or photos only with a consent to distribution (152-FZ Art. 10.1).',
    },
  },
  page_missing_booking: {
    severity: 'low',
    category: 'clinic',
    rule: 'Lead capture (product)',
    message: {
      ru: 'Не найдена запись на приём: нет ссылки или кнопки «Записаться».',
      en: 'No way to book: there is no “Book an appointment” link or button.',
    },
    fix: {
      ru: 'Добавьте заметную кнопку «Записаться на приём», ведущую на форму записи с отдельными согласиями.',
      en: 'Add a visible “Book an appointment” button leading to a booking form with separate consents.',
    },
  },
  seo_title_missing: {
    severity: 'low',
    category: 'seo',
    rule: 'Technical SEO',
    message: { ru: 'У страницы нет заголовка <title>.', en: 'The page has no <title>.' },
    fix: {
      ru: 'Задайте уникальный <title> длиной 30–65 символов с названием услуги и города.',
      en: 'Set a unique <title> of 30–65 characters naming the service and the city.',
    },
  },
  seo_meta_description_missing: {
    severity: 'low',
    category: 'seo',
    rule: 'Technical SEO',
    message: {
      ru: 'У страницы нет описания <meta name="description">.',
      en: 'The page has no <meta name="description">.',
    },
    fix: {
      ru: 'Добавьте meta description на 120–160 символов: что предлагает страница и почему стоит прийти.',
      en: 'Add a meta description of 120–160 characters: what the page offers and why to come.',
    },
  },
  seo_h1_missing: {
    severity: 'low',
    category: 'seo',
    rule: 'Technical SEO',
    message: { ru: 'На странице нет заголовка H1.', en: 'The page has no H1 heading.' },
    fix: {
      ru: 'Добавьте один заголовок <h1>, описывающий содержание страницы.',
      en: 'Add one <h1> describing the page.',
    },
  },
  seo_h1_multiple: {
    severity: 'low',
    category: 'seo',
    rule: 'Technical SEO',
    message: {
      ru: 'На странице несколько заголовков H1.',
      en: 'The page has more than one H1 heading.',
    },
    fix: {
      ru: 'Оставьте один <h1>, остальные сделайте <h2>–<h3>.',
      en: 'Keep one <h1> and turn the others into <h2>–<h3>.',
    },
  },
  seo_canonical_missing: {
    severity: 'low',
    category: 'seo',
    rule: 'Technical SEO',
    message: {
      ru: 'Не указан канонический адрес страницы (<link rel="canonical">).',
      en: 'The page has no canonical address (<link rel="canonical">).',
    },
    fix: {
      ru: 'Добавьте <link rel="canonical" href="…"> с основным адресом страницы, чтобы дубли с метками не конкурировали с ней.',
      en: 'Add <link rel="canonical" href="…"> with the page’s main address so that copies with tracking parameters do not compete with it.',
    },
  },
  page_too_heavy: {
    severity: 'low',
    category: 'seo',
    rule: 'Technical SEO (load speed)',
    message: {
      ru: 'Страница слишком тяжёлая: большой HTML или слишком много подключаемых ресурсов.',
      en: 'The page is too heavy: a large HTML document or too many resources.',
    },
    fix: {
      ru: 'Вынесите встроенные картинки и стили в отдельные файлы, объедините скрипты, уберите неиспользуемые виджеты.',
      en: 'Move inline images and styles to files, bundle scripts, drop unused widgets.',
    },
  },
};
