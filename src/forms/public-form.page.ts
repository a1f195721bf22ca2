import { countryNameRu } from '../platform/countries.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { html, publicPage, type SafeHtml } from '../platform/http/html.ts';
import { FORM_STYLE } from './embed/form-style.ts';
import { errorCodeRu, fieldMessageRu } from './field-messages.ts';
import type { TPublicFormView, TSubmitResult } from './public-form.schema.ts';

const AUTOCOMPLETE: Record<string, string> = { name: 'name', phone: 'tel', email: 'email' };
const INPUT_MODE: Record<string, string> = { tel: 'tel', email: 'email' };

/** Where the embed snippet lives; the hosted page loads it to submit without reloading. */
export const EMBED_SCRIPT_PATH = '/embed.js';

export function countryName(code: string): string {
  return countryNameRu(code);
}

export type FormPageInput = {
  form: TPublicFormView;
  /** The document link as the page shows it (same-origin `/d/<id>` on the hosted page). */
  documentHref: (documentId: string) => string;
  idempotencyKey: string;
  /** Hidden attribution inputs: the campaign of the page the visitor came from. */
  attribution: Record<string, string>;
  values?: Record<string, string>;
  errors?: FieldErrors;
  errorCode?: string;
};

function fieldErrorsOf(errors: FieldErrors | undefined, name: string): string {
  return (errors?.[name] ?? []).map(fieldMessageRu).join(' ');
}

function fieldBlock(input: FormPageInput, field: TPublicFormView['fields'][number]): SafeHtml {
  const id = `sg-${input.form.slug}-${field.name}`;
  const value = input.values?.[field.name] ?? '';
  const error = fieldErrorsOf(input.errors, field.name);
  const type = field.type === 'textarea' ? null : field.type;
  const autocomplete = AUTOCOMPLETE[field.name] ?? (field.type === 'tel' ? 'tel' : undefined);
  const inputMode = INPUT_MODE[field.type];
  const common = html`class="sg-input" id="${id}" name="${field.name}" maxlength="${field.maxLength}"${
    autocomplete ? html` autocomplete="${autocomplete}"` : ''
  }${inputMode ? html` inputmode="${inputMode}"` : ''}${
    field.isRequired ? html` required aria-required="true"` : ''
  } aria-describedby="${id}-error"${error ? html` aria-invalid="true"` : ''}`;
  return html`<div class="sg-field">
<label class="sg-label" for="${id}">${field.label}${
    field.isRequired ? html` <span class="sg-req" aria-hidden="true">*</span>` : ''
  }</label>
${
  type
    ? html`<input ${common} type="${type}" value="${value}">`
    : html`<textarea ${common} rows="4">${value}</textarea>`
}
<p class="sg-error" id="${id}-error" data-sg-error-for="${field.name}">${error}</p>
</div>`;
}

function consentBlock(
  input: FormPageInput,
  consent: TPublicFormView['consents'][number],
): SafeHtml {
  const name = `consent_${consent.purposeCode}`;
  const id = `sg-${input.form.slug}-${name}`;
  const error = fieldErrorsOf(input.errors, name);
  const documentError = fieldErrorsOf(input.errors, `${name}_document`);
  // R-C1: never pre-checked, not even when the page comes back with errors: the tick must be
  // the visitor's own act on the page they are looking at.
  return html`<div class="sg-consent" data-sg-consent="${consent.purposeCode}">
<input type="checkbox" id="${id}" name="${name}" value="on"${
    consent.isRequired ? html` required aria-required="true"` : ''
  } aria-describedby="${id}-error">
<label for="${id}">${consent.label} <span class="sg-note">${
    consent.isRequired ? '(обязательно)' : '(по желанию)'
  }</span></label>
${
  consent.recipients.length > 0
    ? html`<p class="sg-recipients">Получатели данных: ${consent.recipients
        .map((recipient) => `${recipient.name} (${countryName(recipient.country)})`)
        .join('; ')}</p>`
    : ''
}
<p><a href="${input.documentHref(consent.documentId)}" target="_blank" rel="noopener">Текст согласия (версия ${consent.documentVersion})</a></p>
<input type="hidden" name="${name}_document" value="${consent.documentId}">
<p class="sg-error" id="${id}-error" data-sg-error-for="${name}">${[error, documentError]
    .filter(Boolean)
    .join(' ')}</p>
</div>`;
}

/** The form's markup; the embed snippet builds the same structure in the browser. */
export function formMarkup(input: FormPageInput): SafeHtml {
  const { form } = input;
  const summary =
    input.errorCode || input.errors?._
      ? [input.errorCode ? errorCodeRu(input.errorCode) : '', fieldErrorsOf(input.errors, '_')]
          .filter(Boolean)
          .join(' ')
      : '';
  return html`<form class="sg-form" method="post" action="/f/${form.slug}/submit" accept-charset="UTF-8" data-soglasie-enhance="${form.slug}">
<div class="sg-summary" role="alert">${summary}</div>
${form.fields.map((field) => fieldBlock(input, field))}
<div class="sg-hp" aria-hidden="true"><label>Оставьте это поле пустым <input type="text" name="website" value="" tabindex="-1" autocomplete="off"></label></div>
<input type="hidden" name="idempotency_key" value="${input.idempotencyKey}">
${Object.entries(input.attribution).map(
  ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
)}
<fieldset class="sg-consents">
<legend class="sg-legend">Согласия</legend>
${form.consents.map((consent) => consentBlock(input, consent))}
${
  form.policyUrl
    ? html`<p class="sg-policy"><a href="${form.policyUrl}" target="_blank" rel="noopener">Политика обработки персональных данных</a></p>`
    : ''
}
</fieldset>
<button class="sg-submit" type="submit">${form.submitLabel}</button>
${form.operatorName ? html`<p class="sg-operator">Оператор персональных данных: ${form.operatorName}</p>` : ''}
</form>`;
}

export function renderFormPage(input: FormPageInput): string {
  return publicPage({
    title: input.form.title,
    style: FORM_STYLE,
    scriptSrc: EMBED_SCRIPT_PATH,
    body: html`<div class="card">
<h1>${input.form.title}</h1>
${formMarkup(input)}
</div>`,
  });
}

/** After a form post without script: what was sent and which documents were agreed to. */
export function renderThankYouPage(input: {
  form: TPublicFormView;
  result: TSubmitResult;
  values: Record<string, string>;
  documentHref: (documentId: string) => string;
}): string {
  const { form, result } = input;
  const sent = form.fields.filter((field) => (input.values[field.name] ?? '').trim() !== '');
  const agreed = form.consents.filter((consent) =>
    result.consents.some((given) => given.purposeCode === consent.purposeCode),
  );
  return publicPage({
    title: result.thankYou.title,
    body: html`<div class="card sg-thanks" role="status">
<h1>${result.thankYou.title}</h1>
${result.thankYou.text ? html`<p>${result.thankYou.text}</p>` : ''}
${
  sent.length > 0
    ? html`<p class="muted">Вы отправили:</p><ul>${sent.map(
        (field) => html`<li>${field.label}: ${input.values[field.name]}</li>`,
      )}</ul>`
    : ''
}
${
  agreed.length > 0
    ? html`<p class="muted">Ваши согласия:</p><ul>${agreed.map(
        (consent) =>
          html`<li><a href="${input.documentHref(consent.documentId)}" target="_blank" rel="noopener">${consent.label}</a></li>`,
      )}</ul>`
    : ''
}
${
  result.receiptUrl
    ? html`<p><a href="${result.receiptUrl}" target="_blank" rel="noopener">Квитанция о согласии</a> — подписанная оператором запись о том, на что вы согласились и как отозвать согласие.</p>`
    : ''
}
${result.isDuplicate ? html`<p class="muted">Эта заявка уже была принята раньше.</p>` : ''}
</div>`,
  });
}

export function renderMessagePage(input: { title: string; text: string; backHref?: string }) {
  return publicPage({
    title: input.title,
    body: html`<div class="card">
<h1>${input.title}</h1>
<p>${input.text}</p>
${input.backHref ? html`<p><a href="${input.backHref}">Вернуться к форме</a></p>` : ''}
</div>`,
  });
}

export function renderNotFoundPage(): string {
  return renderMessagePage({
    title: 'Форма не найдена',
    text: 'Такой формы нет или она больше не принимает заявки. Проверьте адрес или свяжитесь с клиникой по телефону.',
  });
}
