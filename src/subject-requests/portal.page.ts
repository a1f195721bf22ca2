import { countryNameRu } from '../platform/countries.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { html, publicPage, type SafeHtml } from '../platform/http/html.ts';
import type { PortalOrg, PortalPurpose, PortalView } from './portal.service.ts';

/** The portal speaks Russian by default and English on request (`?lang=en`, Accept-Language). */
export type Lang = 'ru' | 'en';

const RU = {
  portalTitle: 'Мои данные',
  operator: 'Оператор персональных данных',
  signInTitle: 'Вход в раздел «Мои данные»',
  signInIntro:
    'Здесь можно узнать, какие ваши данные хранит оператор и зачем, скачать их, отозвать согласия и подать обращение. Для входа укажите email или телефон, которые вы оставляли оператору, — мы пришлём код.',
  signInIntroEmailOnly:
    'Здесь можно узнать, какие ваши данные хранит оператор и зачем, скачать их, отозвать согласия и подать обращение. Для входа укажите email, который вы оставляли оператору, — мы пришлём код.',
  addressLabel: 'Email или телефон',
  addressLabelEmailOnly: 'Email',
  sendCode: 'Получить код',
  codeTitle: 'Введите код',
  codeIntro:
    'Если этот адрес есть у оператора, мы отправили на него код из 6 цифр. Код действует 10 минут; можно сделать 5 попыток.',
  codeLabel: 'Код из сообщения',
  signIn: 'Войти',
  otherAddress: 'Указать другой адрес',
  signOut: 'Выйти',
  sessionNote: 'Сеанс завершится через 30 минут без действий.',
  viaLink: 'Вы вошли по ссылке из квитанции о согласии.',
  viaCode: 'Вы вошли по одноразовому коду.',
  erased:
    'Ваши данные уничтожены по вашему обращению. Ниже показано то, что осталось: обезличенные записи, которые оператор обязан хранить.',
  blocked: 'Обработка ваших данных сейчас приостановлена',
  stopped: 'Обработка ваших данных прекращена по вашему требованию',
  purposesTitle: 'Зачем оператор обрабатывает ваши данные',
  purposesIntro:
    'Каждая цель обработки, её правовое основание и состояние вашего согласия. Отозвать согласие можно в один клик; отзыв действует сразу.',
  purposeColumn: 'Цель',
  basisColumn: 'Основание',
  stateColumn: 'Согласие',
  actionColumn: 'Действие',
  document: 'Текст согласия',
  withdraw: 'Отозвать согласие',
  notNeeded: 'Не требуется',
  unsubscribeTitle: 'Рассылки',
  unsubscribeText:
    'Отписаться от всех рекламных рассылок сразу: будут отозваны все согласия на рекламу.',
  unsubscribe: 'Отписаться от всех рассылок',
  noMailings: 'У вас нет действующих согласий на рекламные рассылки.',
  dataTitle: 'Какие ваши данные хранятся',
  dataIntro: 'Все записи о вас у оператора, по категориям, в расшифрованном виде.',
  noData: 'У оператора нет записей о вас.',
  downloadTitle: 'Скачать мои данные',
  downloadText: 'Копия всех записей о вас в машиночитаемом виде (ст. 20 GDPR).',
  downloadJson: 'Скачать JSON',
  downloadCsv: 'Скачать CSV',
  requestsTitle: 'Обращения к оператору',
  requestsIntro:
    'Оператор обязан ответить в срок, установленный законом (152-ФЗ, ст. 14, 20, 21): срок считается в рабочих днях.',
  requestType: 'Что вы хотите',
  requestDetails: 'Подробности',
  requestDetailsHint: 'Для исправления укажите, какие данные неверны и как правильно.',
  sendRequest: 'Отправить обращение',
  yourRequests: 'Ваши обращения',
  noRequests: 'Вы ещё не подавали обращений.',
  receivedColumn: 'Получено',
  typeColumn: 'Обращение',
  statusColumn: 'Состояние',
  dueColumn: 'Срок ответа',
  infoTitle: 'Сведения об обработке (ст. 14 ч. 7 152-ФЗ)',
  confirmation: 'Оператор подтверждает, что обрабатывает ваши персональные данные.',
  operatorAddress: 'Адрес оператора',
  responsible: 'Ответственный за обработку персональных данных',
  categories: 'Категории данных',
  actions: 'Действия с данными',
  methods: 'Способы обработки',
  recipients: 'Кому передаются',
  noRecipients: 'никому',
  crossBorder: 'Трансграничная передача',
  crossBorderYes: 'да',
  crossBorderNo: 'нет, данные хранятся и обрабатываются в России',
  term: 'Срок обработки и хранения',
  days: (days: number) => `${days} дн.; при отзыве согласия данные уничтожаются в течение 30 дней`,
  processor: 'Обработчик по поручению оператора',
  noProcessor: 'не привлекается',
  source: 'Источник данных',
  sourceText: 'вы сами (формы на сайте оператора, звонки, обращения)',
  rights: 'Как реализовать права',
  rightsText:
    'На этой странице: узнать, какие данные хранятся, скачать их, отозвать согласие, потребовать исправления, прекращения обработки или удаления. Также можно написать оператору по адресу выше или обратиться в Роскомнадзор.',
  measures: 'Меры защиты (ст. 18.1, 19 152-ФЗ)',
  measuresText:
    'данные хранятся на серверах оператора в России, зашифрованы ключом, отдельным для каждого человека; каждый доступ к ним записывается в журнал.',
  policy: 'Политика обработки персональных данных',
  rkn: 'Номер в реестре операторов Роскомнадзора',
  errorTitle: 'Не получилось',
  back: 'Вернуться',
  notFoundTitle: 'Страница не найдена',
  notFoundText:
    'Проверьте адрес. Если вы пришли по ссылке из квитанции, ссылка могла устареть: войдите по коду.',
  expiredTitle: 'Сеанс завершён',
  expiredText: 'Войдите снова: сеанс завершается через 30 минут без действий.',
  signInAgain: 'Войти снова',
  language: 'English',
  notices: {
    withdrawn: 'Согласие отозвано. Оператор больше не использует данные для этой цели.',
    unsubscribed: 'Вы отписались от всех рекламных рассылок.',
    nothing: 'Действующих согласий на рассылки не было — отписываться не от чего.',
    request: 'Обращение отправлено. Срок ответа указан в списке ниже.',
    repeat:
      'Обращение отправлено. Похожее обращение уже было в последние 30 дней — оператор может сослаться на первый ответ.',
    signedOut: 'Вы вышли.',
    expired: 'Сеанс завершён, войдите снова.',
  } as Record<string, string>,
  basis: {
    consent: 'ваше согласие',
    contract: 'договор с вами',
    legal_obligation: 'обязанность по закону',
    medical_care: 'оказание медицинской помощи (ст. 10 ч. 2 п. 4 152-ФЗ)',
    vital_interests: 'защита жизни и здоровья',
    legitimate_interests: 'законные интересы оператора',
  } as Record<string, string>,
  kind: {
    processing: 'обработка',
    advertising: 'рекламные рассылки',
    transfer: 'передача третьим лицам',
    distribution: 'распространение',
  } as Record<string, string>,
  state: {
    given: 'действует',
    withdrawn: 'отозвано',
    expired: 'срок истёк',
    none: 'не давалось',
  } as Record<string, string>,
  requestTypes: {
    access: 'Получить официальный ответ: какие данные и зачем обрабатываются',
    correction: 'Исправить мои данные',
    stop: 'Прекратить обработку моих данных',
    deletion: 'Удалить мои данные',
    withdrawal: 'Отзыв согласия',
    rkn: 'Запрос Роскомнадзора',
  } as Record<string, string>,
  statuses: {
    received: 'получено',
    verifying: 'проверка личности',
    in_progress: 'в работе',
    extended: 'срок продлён',
    answered: 'дан ответ',
    refused: 'отказано',
    closed: 'закрыто',
  } as Record<string, string>,
  fieldErrors: {
    invalid_email: 'Это не похоже на адрес электронной почты.',
    invalid_address: 'Укажите email или номер телефона.',
    sms_unavailable: 'Код можно получить только по email.',
    code_wrong: 'Неверный код.',
    code_expired: 'Код больше не действует. Запросите новый.',
    code_exhausted: 'Слишком много неверных попыток. Запросите новый код.',
    required: 'Заполните поле.',
    too_long: 'Слишком длинный текст.',
    invalid: 'Неверное значение.',
    nothing_to_withdraw: 'По этой цели нет действующего согласия.',
  } as Record<string, string>,
  errors: {
    validation_failed: 'Проверьте введённые данные.',
    csrf_failed:
      'Форма устарела или открыта с другого сайта. Обновите страницу и попробуйте снова.',
    rate_limited: 'Слишком много попыток. Подождите немного и попробуйте снова.',
    too_many_attempts: 'Слишком много неверных попыток. Запросите новый код.',
    invalid_credentials: 'Код не подошёл.',
    unauthenticated: 'Сеанс завершён, войдите снова.',
    not_found: 'Не найдено.',
    rule_violated: 'Это действие сейчас недоступно.',
    payload_too_large: 'Слишком длинный текст.',
    unsupported_media_type: 'Отправьте форму со страницы.',
    internal: 'Что-то пошло не так. Попробуйте позже.',
  } as Record<string, string>,
  retryAfter: (seconds: number) => `Повторите через ${Math.ceil(seconds / 60)} мин.`,
  attemptsLeft: (count: number) => `Осталось попыток: ${count}.`,
};

type Texts = typeof RU;

const EN: Texts = {
  portalTitle: 'My data',
  operator: 'Personal data operator',
  signInTitle: 'Sign in to “My data”',
  signInIntro:
    'See what personal data the operator keeps about you and why, download it, withdraw consents and file requests. Enter the email or phone you gave the operator and we will send you a code.',
  signInIntroEmailOnly:
    'See what personal data the operator keeps about you and why, download it, withdraw consents and file requests. Enter the email you gave the operator and we will send you a code.',
  addressLabel: 'Email or phone',
  addressLabelEmailOnly: 'Email',
  sendCode: 'Send me a code',
  codeTitle: 'Enter the code',
  codeIntro:
    'If the operator has this address, we have sent a 6-digit code to it. It is valid for 10 minutes; you have 5 tries.',
  codeLabel: 'Code from the message',
  signIn: 'Sign in',
  otherAddress: 'Use another address',
  signOut: 'Sign out',
  sessionNote: 'The session ends after 30 minutes without activity.',
  viaLink: 'You signed in with the link from your consent receipt.',
  viaCode: 'You signed in with a one-time code.',
  erased:
    'Your data was destroyed at your request. What remains below are de-identified records the operator must keep.',
  blocked: 'Processing of your data is on hold',
  stopped: 'Processing of your data stopped at your request',
  purposesTitle: 'Why the operator processes your data',
  purposesIntro:
    'Each purpose, its legal basis and the state of your consent. Withdrawing takes one click and applies at once.',
  purposeColumn: 'Purpose',
  basisColumn: 'Basis',
  stateColumn: 'Consent',
  actionColumn: 'Action',
  document: 'Consent text',
  withdraw: 'Withdraw consent',
  notNeeded: 'Not needed',
  unsubscribeTitle: 'Mailings',
  unsubscribeText:
    'Unsubscribe from every advertising mailing at once: every advertising consent is withdrawn.',
  unsubscribe: 'Unsubscribe from all mailings',
  noMailings: 'You have no live consent to advertising mailings.',
  dataTitle: 'What data is kept',
  dataIntro: 'Every record the operator keeps about you, by category, decrypted.',
  noData: 'The operator keeps no records about you.',
  downloadTitle: 'Download my data',
  downloadText: 'A copy of all your records in a machine-readable format (GDPR Art. 20).',
  downloadJson: 'Download JSON',
  downloadCsv: 'Download CSV',
  requestsTitle: 'Requests to the operator',
  requestsIntro:
    'The operator must answer within the legal term (152-FZ Art. 14, 20, 21), counted in Russian working days.',
  requestType: 'What you want',
  requestDetails: 'Details',
  requestDetailsHint: 'For a correction, say which data is wrong and what is right.',
  sendRequest: 'Send the request',
  yourRequests: 'Your requests',
  noRequests: 'You have filed no requests yet.',
  receivedColumn: 'Received',
  typeColumn: 'Request',
  statusColumn: 'Status',
  dueColumn: 'Answer due',
  infoTitle: 'About the processing (152-FZ Art. 14 p. 7)',
  confirmation: 'The operator confirms that it processes your personal data.',
  operatorAddress: 'Operator address',
  responsible: 'Person responsible for personal data',
  categories: 'Data categories',
  actions: 'Actions',
  methods: 'Methods',
  recipients: 'Recipients',
  noRecipients: 'none',
  crossBorder: 'Cross-border transfer',
  crossBorderYes: 'yes',
  crossBorderNo: 'no, the data is stored and processed in Russia',
  term: 'Processing and storage term',
  days: (days: number) => `${days} days; on withdrawal the data is destroyed within 30 days`,
  processor: 'Processor acting for the operator',
  noProcessor: 'none',
  source: 'Source of the data',
  sourceText: 'you (forms on the operator’s site, calls, requests)',
  rights: 'How to exercise your rights',
  rightsText:
    'On this page: see the data kept, download it, withdraw consent, demand correction, a stop of processing or deletion. You may also write to the operator at the address above or complain to Roskomnadzor.',
  measures: 'Protection measures (152-FZ Art. 18.1, 19)',
  measuresText:
    'the data is kept on the operator’s servers in Russia, encrypted with a key of its own for each person; every access is logged.',
  policy: 'Personal data processing policy',
  rkn: 'Roskomnadzor operator register number',
  errorTitle: 'That did not work',
  back: 'Go back',
  notFoundTitle: 'Page not found',
  notFoundText:
    'Check the address. A link from a consent receipt may have expired: sign in with a code.',
  expiredTitle: 'Session ended',
  expiredText: 'Sign in again: a session ends after 30 minutes without activity.',
  signInAgain: 'Sign in again',
  language: 'Русский',
  notices: {
    withdrawn: 'Consent withdrawn. The operator no longer uses your data for this purpose.',
    unsubscribed: 'You are unsubscribed from every advertising mailing.',
    nothing: 'There was no live consent to mailings to withdraw.',
    request: 'Request sent. Its due date is in the list below.',
    repeat:
      'Request sent. A similar request was filed in the last 30 days: the operator may refer to its first answer.',
    signedOut: 'You are signed out.',
    expired: 'The session ended; sign in again.',
  },
  basis: {
    consent: 'your consent',
    contract: 'a contract with you',
    legal_obligation: 'a legal obligation',
    medical_care: 'medical care (152-FZ Art. 10 p. 2 item 4)',
    vital_interests: 'protection of life and health',
    legitimate_interests: 'the operator’s legitimate interests',
  },
  kind: {
    processing: 'processing',
    advertising: 'advertising mailings',
    transfer: 'transfer to third parties',
    distribution: 'distribution',
  },
  state: { given: 'given', withdrawn: 'withdrawn', expired: 'expired', none: 'not given' },
  requestTypes: {
    access: 'A formal answer: what data is processed and why',
    correction: 'Correct my data',
    stop: 'Stop processing my data',
    deletion: 'Delete my data',
    withdrawal: 'Consent withdrawal',
    rkn: 'Roskomnadzor request',
  },
  statuses: {
    received: 'received',
    verifying: 'identity check',
    in_progress: 'in progress',
    extended: 'term extended',
    answered: 'answered',
    refused: 'refused',
    closed: 'closed',
  },
  fieldErrors: {
    invalid_email: 'This does not look like an email address.',
    invalid_address: 'Enter an email or a phone number.',
    sms_unavailable: 'Codes are sent by email only.',
    code_wrong: 'Wrong code.',
    code_expired: 'The code is no longer valid. Ask for a new one.',
    code_exhausted: 'Too many wrong tries. Ask for a new code.',
    required: 'Fill this in.',
    too_long: 'The text is too long.',
    invalid: 'Invalid value.',
    nothing_to_withdraw: 'There is no live consent for this purpose.',
  },
  errors: {
    validation_failed: 'Check what you entered.',
    csrf_failed: 'The form is stale or came from another site. Reload the page and try again.',
    rate_limited: 'Too many tries. Wait a little and try again.',
    too_many_attempts: 'Too many wrong tries. Ask for a new code.',
    invalid_credentials: 'The code did not match.',
    unauthenticated: 'The session ended; sign in again.',
    not_found: 'Not found.',
    rule_violated: 'This is not available now.',
    payload_too_large: 'The text is too long.',
    unsupported_media_type: 'Send the form from the page.',
    internal: 'Something went wrong. Try again later.',
  },
  retryAfter: (seconds: number) => `Try again in ${Math.ceil(seconds / 60)} min.`,
  attemptsLeft: (count: number) => `Tries left: ${count}.`,
};

export function textsOf(lang: Lang): Texts {
  return lang === 'en' ? EN : RU;
}

const PORTAL_STYLE = `
main{max-width:52rem}
header.portal{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between;margin-bottom:1rem}
header.portal p{margin:0}
section.card{margin-bottom:1rem}
h2{font-size:1.2rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
details.category{border-top:1px solid #e4e6eb}
details.category summary{cursor:pointer;padding:.25rem 0}
details.category summary h3{display:inline;margin:0}
table{width:100%;border-collapse:collapse;font-size:.9375rem}
caption{text-align:left;font-weight:600;padding-bottom:.25rem}
th,td{text-align:left;vertical-align:top;padding:.5rem .375rem;border-bottom:1px solid #e4e6eb}
th{font-weight:600;color:#3d434d}
dl{display:grid;grid-template-columns:minmax(6rem,35%) 1fr;gap:.25rem .75rem;margin:.25rem 0 .75rem}
dt{color:#5c6370}
dd{margin:0;word-break:break-word}
.record{border:1px solid #e4e6eb;border-radius:8px;padding:.5rem .75rem;margin:.5rem 0}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=email],input[type=tel],input[inputmode],select,textarea{width:100%;font:inherit;font-size:16px;padding:.625rem .75rem;border:1px solid #b9bec7;border-radius:8px;background:#fff}
textarea{min-height:6rem}
button{font:inherit;font-size:1rem;padding:.625rem 1rem;border-radius:8px;border:1px solid #1c5fd4;background:#1c5fd4;color:#fff;cursor:pointer;min-height:44px}
button.secondary{background:#fff;color:#1c5fd4}
button.danger{background:#fff;color:#b42318;border-color:#b42318}
button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
form.inline{display:inline;margin:0}
a.button{display:inline-block;padding:.625rem 1rem;border-radius:8px;border:1px solid #1c5fd4;color:#1c5fd4;text-decoration:none;min-height:44px}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.75rem}
.notice{background:#e7f6ec;border:1px solid #9fd8b2;border-radius:8px;padding:.75rem 1rem;margin-bottom:1rem}
.alert{background:#fdecea;border:1px solid #f5b5ae;border-radius:8px;padding:.75rem 1rem;margin-bottom:1rem}
.field-error{color:#b42318;margin:.25rem 0 0}
.state-given{color:#1e7a3c;font-weight:600}
.state-withdrawn,.state-expired{color:#b42318;font-weight:600}
.state-none{color:#5c6370}
.due-soon{color:#b54708;font-weight:600}
.badge{display:inline-block;font-size:.75rem;padding:.0625rem .375rem;border-radius:999px;background:#eef0f3;color:#3d434d;margin-left:.25rem}
@media (max-width:40rem){dl{grid-template-columns:1fr;gap:0}dt{margin-top:.5rem}thead{display:none}table,tbody,tr,td{display:block;width:100%}tr{border-bottom:1px solid #e4e6eb;padding:.5rem 0}td{border:0;padding:.125rem 0}td[data-label]::before{content:attr(data-label) ": ";color:#5c6370}}
`;

const DATE_TIME: Record<Lang, Intl.DateTimeFormat> = {
  ru: new Intl.DateTimeFormat('ru-RU', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Moscow',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Moscow',
  }),
};
const DATE: Record<Lang, Intl.DateTimeFormat> = {
  ru: new Intl.DateTimeFormat('ru-RU', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }),
};

function dateTime(lang: Lang, value: Date): string {
  return `${DATE_TIME[lang].format(value)} ${lang === 'ru' ? '(МСК)' : '(Moscow)'}`;
}

function isoDateText(lang: Lang, isoDate: string): string {
  return DATE[lang].format(new Date(`${isoDate}T00:00:00Z`));
}

function label(map: Record<string, string>, key: string): string {
  return map[key] ?? key;
}

function page(lang: Lang, title: string, body: SafeHtml): string {
  return publicPage({ title, body, style: PORTAL_STYLE, lang });
}

function languageSwitch(lang: Lang, path: string): SafeHtml {
  const other: Lang = lang === 'ru' ? 'en' : 'ru';
  return html`<a href="${path}?lang=${other}" lang="${other}" hreflang="${other}">${textsOf(lang).language}</a>`;
}

function fieldErrorText(texts: Texts, errors: FieldErrors | undefined, name: string): string {
  return (errors?.[name] ?? [])
    .map((code) => texts.fieldErrors[code] ?? texts.fieldErrors.invalid)
    .join(' ');
}

function fieldErrorBlock(texts: Texts, errors: FieldErrors | undefined, name: string): SafeHtml {
  const text = fieldErrorText(texts, errors, name);
  return html`<p class="field-error" id="${name}-error" data-field="${name}" data-codes="${(errors?.[name] ?? []).join(' ')}">${text}</p>`;
}

// Sign-in

export function renderSignInPage(input: {
  lang: Lang;
  org: PortalOrg;
  csrfToken: string;
  isSmsAvailable: boolean;
  address?: string;
  errors?: FieldErrors;
  alert?: string | null;
  notice?: string | null;
}): string {
  const texts = textsOf(input.lang);
  const error = fieldErrorText(texts, input.errors, 'address');
  const base = `/p/${input.org.slug}`;
  return page(
    input.lang,
    texts.signInTitle,
    html`<header class="portal"><p class="muted">${texts.operator}: ${input.org.operatorName}</p>${languageSwitch(input.lang, base)}</header>
${input.notice ? html`<div class="notice" role="status">${input.notice}</div>` : ''}
${input.alert ? html`<div class="alert" role="alert">${input.alert}</div>` : ''}
<section class="card">
<h1>${texts.signInTitle}</h1>
<p>${input.isSmsAvailable ? texts.signInIntro : texts.signInIntroEmailOnly}</p>
<form method="post" action="${base}/code" accept-charset="UTF-8">
<input type="hidden" name="csrf" value="${input.csrfToken}">
<label for="address">${input.isSmsAvailable ? texts.addressLabel : texts.addressLabelEmailOnly}</label>
<input id="address" name="address" type="${input.isSmsAvailable ? 'text' : 'email'}" inputmode="email" autocomplete="email" maxlength="254" required value="${input.address ?? ''}" aria-describedby="address-error"${error ? html` aria-invalid="true"` : ''} autofocus>
${fieldErrorBlock(texts, input.errors, 'address')}
<div class="actions"><button type="submit">${texts.sendCode}</button></div>
</form>
</section>`,
  );
}

export function renderCodePage(input: {
  lang: Lang;
  org: PortalOrg;
  csrfToken: string;
  errors?: FieldErrors;
  alert?: string | null;
}): string {
  const texts = textsOf(input.lang);
  const base = `/p/${input.org.slug}`;
  const error = fieldErrorText(texts, input.errors, 'code');
  return page(
    input.lang,
    texts.codeTitle,
    html`<header class="portal"><p class="muted">${texts.operator}: ${input.org.operatorName}</p>${languageSwitch(input.lang, base)}</header>
${input.alert ? html`<div class="alert" role="alert">${input.alert}</div>` : ''}
<section class="card">
<h1>${texts.codeTitle}</h1>
<p>${texts.codeIntro}</p>
<form method="post" action="${base}/verify" accept-charset="UTF-8">
<input type="hidden" name="csrf" value="${input.csrfToken}">
<label for="code">${texts.codeLabel}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required aria-describedby="code-error"${error ? html` aria-invalid="true"` : ''} autofocus>
${fieldErrorBlock(texts, input.errors, 'code')}
<div class="actions"><button type="submit">${texts.signIn}</button></div>
</form>
<p><a href="${base}">${texts.otherAddress}</a></p>
</section>`,
  );
}

/** A refusal or a dead end, with a way back; field codes are in the markup for machines. */
export function renderPortalMessagePage(input: {
  lang: Lang;
  title: string;
  text: string;
  backHref: string;
  backLabel?: string;
  code?: string;
  fields?: FieldErrors;
}): string {
  const texts = textsOf(input.lang);
  const fieldNames = Object.keys(input.fields ?? {});
  return page(
    input.lang,
    input.title,
    html`<section class="card" data-error-code="${input.code ?? ''}">
<h1>${input.title}</h1>
<p role="alert">${input.text}</p>
${fieldNames.map((name) => fieldErrorBlock(texts, input.fields, name))}
<p><a href="${input.backHref}">${input.backLabel ?? texts.back}</a></p>
</section>`,
  );
}

// The portal

function stateCell(texts: Texts, lang: Lang, purpose: PortalPurpose): SafeHtml {
  if (purpose.legalBasis !== 'consent' && purpose.state === 'none') {
    return html`<span class="state-none">${texts.notNeeded}</span>`;
  }
  const when =
    purpose.state === 'given' && purpose.expiresAt
      ? html`<br><span class="muted">${lang === 'ru' ? 'до' : 'until'} ${dateTime(lang, purpose.expiresAt)}</span>`
      : purpose.at
        ? html`<br><span class="muted">${dateTime(lang, purpose.at)}</span>`
        : '';
  return html`<span class="state-${purpose.state}">${label(texts.state, purpose.state)}</span>${when}`;
}

function purposeRow(
  texts: Texts,
  lang: Lang,
  base: string,
  csrfToken: string,
  purpose: PortalPurpose,
): SafeHtml {
  return html`<tr data-purpose="${purpose.code}">
<td data-label="${texts.purposeColumn}"><strong>${purpose.title}</strong><span class="badge">${label(texts.kind, purpose.kind)}</span>
${purpose.documentId ? html`<br><a href="/d/${purpose.documentId}" target="_blank" rel="noopener">${texts.document}</a>` : ''}</td>
<td data-label="${texts.basisColumn}">${label(texts.basis, purpose.legalBasis)}</td>
<td data-label="${texts.stateColumn}">${stateCell(texts, lang, purpose)}</td>
<td data-label="${texts.actionColumn}">${
    purpose.canWithdraw && purpose.state === 'given'
      ? html`<form class="inline" method="post" action="${base}/me/withdraw" accept-charset="UTF-8">
<input type="hidden" name="csrf" value="${csrfToken}">
<input type="hidden" name="purposeId" value="${purpose.purposeId}">
<button type="submit" class="danger" aria-label="${texts.withdraw}: ${purpose.title}">${texts.withdraw}</button>
</form>`
      : ''
  }</td>
</tr>`;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

function valueText(lang: Lang, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' && ISO_TIME.test(value)) return dateTime(lang, new Date(value));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const HIDDEN_FIELDS = new Set(['org_id', 'orgId']);

// Column names a person reads; any other column is shown under its own name.
const FIELD_LABELS: Record<Lang, Record<string, string>> = {
  ru: {
    id: 'Номер записи',
    name: 'Имя',
    phone: 'Телефон',
    email: 'Email',
    fields: 'Поля формы',
    attribution: 'Откуда вы пришли',
    source: 'Источник',
    status: 'Состояние',
    event: 'Событие',
    channel: 'Канал',
    evidence: 'Подтверждение',
    subject: 'Тема',
    body: 'Текст',
    recipient: 'Получатель',
    kind: 'Вид',
    reason: 'Причина',
    method: 'Способ входа',
    at: 'Когда',
    created_at: 'Создано',
    updated_at: 'Изменено',
    expires_at: 'Действует до',
    sent_at: 'Отправлено',
    erased_at: 'Уничтожено',
  },
  en: {
    id: 'Record id',
    name: 'Name',
    phone: 'Phone',
    email: 'Email',
    fields: 'Form fields',
    attribution: 'Where you came from',
    source: 'Source',
    status: 'Status',
    event: 'Event',
    channel: 'Channel',
    evidence: 'Evidence',
    subject: 'Subject',
    body: 'Text',
    recipient: 'Recipient',
    kind: 'Kind',
    reason: 'Reason',
    method: 'Sign-in method',
    at: 'When',
    created_at: 'Created',
    updated_at: 'Changed',
    expires_at: 'Valid until',
    sent_at: 'Sent',
    erased_at: 'Destroyed',
  },
};

/**
 * Every record, by category: the contact details open, the rest folded (a receipt's signed
 * text is long) but one keypress away, without script.
 */
function dataSection(texts: Texts, lang: Lang, view: PortalView): SafeHtml {
  const tables = view.data.tables
    .filter((table) => table.rows.length > 0)
    .sort((left, right) => Number(right.table === 'contacts') - Number(left.table === 'contacts'));
  if (tables.length === 0) return html`<p>${texts.noData}</p>`;
  const labels = FIELD_LABELS[lang];
  return html`${tables.map(
    (
      table,
      index,
    ) => html`<details class="category" data-table="${table.table}"${index === 0 ? html` open` : ''}>
<summary><h3>${lang === 'en' ? table.categoryEn : table.category} <span class="badge">${table.rows.length}</span></h3></summary>
${table.rows.map(
  (row) =>
    html`<div class="record"><dl>${Object.entries(row)
      .filter(([field]) => !HIDDEN_FIELDS.has(field))
      .map(
        ([field, value]) =>
          html`<dt>${labels[field] ?? field}</dt><dd>${valueText(lang, value)}</dd>`,
      )}</dl></div>`,
)}
</details>`,
  )}`;
}

function requestRows(texts: Texts, lang: Lang, view: PortalView, now: Date): SafeHtml {
  if (view.requests.length === 0) return html`<p>${texts.noRequests}</p>`;
  const soon = new Date(now.getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
  return html`<table>
<caption>${texts.yourRequests}</caption>
<thead><tr><th scope="col">${texts.receivedColumn}</th><th scope="col">${texts.typeColumn}</th><th scope="col">${texts.statusColumn}</th><th scope="col">${texts.dueColumn}</th></tr></thead>
<tbody>${view.requests.map((request) => {
    const due = request.extendedDueDate ?? request.dueDate;
    const isOpen = !['answered', 'refused', 'closed'].includes(request.status);
    return html`<tr data-request="${request.id}">
<td data-label="${texts.receivedColumn}">${dateTime(lang, request.receivedAt)}</td>
<td data-label="${texts.typeColumn}">${label(texts.requestTypes, request.type)}</td>
<td data-label="${texts.statusColumn}">${label(texts.statuses, request.status)}</td>
<td data-label="${texts.dueColumn}"${isOpen && due <= soon ? html` class="due-soon"` : ''}>${isoDateText(lang, due)}</td>
</tr>`;
  })}</tbody>
</table>`;
}

function infoSection(texts: Texts, view: PortalView): SafeHtml {
  const operator = view.operator;
  const used = view.purposes.filter(
    (purpose) => purpose.state !== 'none' || purpose.legalBasis !== 'consent',
  );
  const recipients = used.flatMap((purpose) => purpose.recipients);
  const abroad = recipients.filter((recipient) => recipient.country !== 'RU');
  return html`<p>${texts.confirmation}</p>
<dl>
<dt>${texts.operator}</dt><dd>${operator?.legalName ?? view.org.operatorName}${operator?.inn ? html`, ИНН ${operator.inn}` : ''}${operator?.ogrn ? html`, ОГРН ${operator.ogrn}` : ''}</dd>
<dt>${texts.operatorAddress}</dt><dd>${operator?.address ?? '—'}</dd>
<dt>${texts.responsible}</dt><dd>${operator ? `${operator.responsibleName}, ${operator.responsibleContacts}` : '—'}</dd>
${operator?.rknRegisterNumber ? html`<dt>${texts.rkn}</dt><dd>${operator.rknRegisterNumber}</dd>` : ''}
<dt>${texts.processor}</dt><dd>${
    operator && operator.processors.length > 0
      ? operator.processors.map((processor) => `${processor.name}, ${processor.address}`).join('; ')
      : texts.noProcessor
  }</dd>
<dt>${texts.source}</dt><dd>${texts.sourceText}</dd>
<dt>${texts.crossBorder}</dt><dd>${
    abroad.length > 0
      ? `${texts.crossBorderYes}: ${abroad.map((recipient) => `${recipient.name} (${countryNameRu(recipient.country)})`).join('; ')}`
      : texts.crossBorderNo
  }</dd>
<dt>${texts.measures}</dt><dd>${texts.measuresText}</dd>
<dt>${texts.rights}</dt><dd>${texts.rightsText}</dd>
${operator?.policyUrl ? html`<dt>${texts.policy}</dt><dd><a href="${operator.policyUrl}" target="_blank" rel="noopener">${operator.policyUrl}</a></dd>` : ''}
</dl>
${used.map(
  (purpose) => html`<h3>${purpose.title}</h3>
<dl>
<dt>${texts.basisColumn}</dt><dd>${label(texts.basis, purpose.legalBasis)}</dd>
<dt>${texts.categories}</dt><dd>${purpose.dataCategories.map((category) => category.title).join(', ')}</dd>
<dt>${texts.actions}</dt><dd>${purpose.actions.join(', ')}</dd>
<dt>${texts.methods}</dt><dd>${purpose.methods}</dd>
<dt>${texts.recipients}</dt><dd>${
    purpose.recipients.length > 0
      ? purpose.recipients
          .map(
            (recipient) =>
              `${recipient.name}, ${recipient.address} (${countryNameRu(recipient.country)})`,
          )
          .join('; ')
      : texts.noRecipients
  }</dd>
<dt>${texts.term}</dt><dd>${texts.days(purpose.retentionDays)}</dd>
</dl>`,
)}`;
}

export function renderPortalPage(input: {
  lang: Lang;
  view: PortalView;
  csrfToken: string;
  now: Date;
  notice?: string | null;
  errors?: FieldErrors;
}): string {
  const { lang, view } = input;
  const texts = textsOf(lang);
  const base = `/p/${view.org.slug}`;
  const mailings = view.purposes.filter(
    (purpose) => purpose.kind === 'advertising' && purpose.state === 'given',
  );
  const stop = view.blocks.find((block) => block.purposeId === null);
  return page(
    lang,
    `${texts.portalTitle} — ${view.org.operatorName}`,
    html`<header class="portal">
<p class="muted">${texts.operator}: <strong>${view.org.operatorName}</strong></p>
<p>${languageSwitch(lang, `${base}/me`)}
<form class="inline" method="post" action="${base}/me/logout"><input type="hidden" name="csrf" value="${input.csrfToken}"> <button type="submit" class="secondary">${texts.signOut}</button></form></p>
</header>
<h1>${texts.portalTitle}</h1>
<p class="muted">${view.method === 'signed_link' ? texts.viaLink : texts.viaCode} ${texts.sessionNote}</p>
${input.notice ? html`<div class="notice" role="status">${input.notice}</div>` : ''}
${view.isErased ? html`<div class="alert" role="status">${texts.erased}</div>` : ''}
${stop ? html`<div class="alert" role="status">${stop.kind === 'blocked' ? texts.blocked : texts.stopped}</div>` : ''}
<section class="card" id="consents" aria-labelledby="consents-title">
<h2 id="consents-title">${texts.purposesTitle}</h2>
<p>${texts.purposesIntro}</p>
<table aria-labelledby="consents-title">
<thead><tr><th scope="col">${texts.purposeColumn}</th><th scope="col">${texts.basisColumn}</th><th scope="col">${texts.stateColumn}</th><th scope="col">${texts.actionColumn}</th></tr></thead>
<tbody>${view.purposes.map((purpose) => purposeRow(texts, lang, base, input.csrfToken, purpose))}</tbody>
</table>
${fieldErrorBlock(texts, input.errors, 'purposeId')}
<h3>${texts.unsubscribeTitle}</h3>
${
  mailings.length > 0
    ? html`<p>${texts.unsubscribeText}</p>
<form method="post" action="${base}/me/unsubscribe" accept-charset="UTF-8"><input type="hidden" name="csrf" value="${input.csrfToken}"><button type="submit" class="danger">${texts.unsubscribe}</button></form>`
    : html`<p class="muted">${texts.noMailings}</p>`
}
</section>
<section class="card" id="data" aria-labelledby="data-title">
<h2 id="data-title">${texts.dataTitle}</h2>
<p>${texts.dataIntro}</p>
${dataSection(texts, lang, view)}
<h3>${texts.downloadTitle}</h3>
<p>${texts.downloadText}</p>
<div class="actions"><a class="button" href="${base}/me/export.json" download>${texts.downloadJson}</a> <a class="button" href="${base}/me/export.csv" download>${texts.downloadCsv}</a></div>
</section>
<section class="card" id="requests" aria-labelledby="requests-title">
<h2 id="requests-title">${texts.requestsTitle}</h2>
<p>${texts.requestsIntro}</p>
<form method="post" action="${base}/me/request" accept-charset="UTF-8">
<input type="hidden" name="csrf" value="${input.csrfToken}">
<label for="request-type">${texts.requestType}</label>
<select id="request-type" name="type">${(['correction', 'stop', 'deletion', 'access'] as const).map(
      (type) => html`<option value="${type}">${label(texts.requestTypes, type)}</option>`,
    )}</select>
${fieldErrorBlock(texts, input.errors, 'type')}
<label for="request-details">${texts.requestDetails}</label>
<textarea id="request-details" name="details" maxlength="4000" aria-describedby="request-details-hint details-error"></textarea>
<p class="muted" id="request-details-hint">${texts.requestDetailsHint}</p>
${fieldErrorBlock(texts, input.errors, 'details')}
<div class="actions"><button type="submit">${texts.sendRequest}</button></div>
</form>
${requestRows(texts, lang, view, input.now)}
</section>
<section class="card" id="about" aria-labelledby="about-title">
<h2 id="about-title">${texts.infoTitle}</h2>
${infoSection(texts, view)}
</section>`,
  );
}
