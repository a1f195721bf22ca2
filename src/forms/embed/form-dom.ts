// Builds a form in the browser with the same structure as the hosted page (public-form.page.ts).
// Text goes in through textContent and attributes only, never through markup.
import type { TPublicFormView } from '../public-form.schema.ts';

const AUTOCOMPLETE: Record<string, string> = { name: 'name', phone: 'tel', email: 'email' };
const INPUT_MODE: Record<string, string> = { tel: 'tel', email: 'email' };
function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['ru'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

type Attributes = Record<string, string | null | undefined>;

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  children: (Node | string | null)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null) node.append(child);
  }
  return node;
}

function hidden(name: string, value: string): HTMLInputElement {
  return element('input', { type: 'hidden', name, value });
}

function fieldBlock(prefix: string, field: TPublicFormView['fields'][number]): HTMLDivElement {
  const id = `${prefix}-${field.name}`;
  const attributes: Attributes = {
    class: 'sg-input',
    id,
    name: field.name,
    maxlength: String(field.maxLength),
    autocomplete: AUTOCOMPLETE[field.name] ?? (field.type === 'tel' ? 'tel' : null),
    inputmode: INPUT_MODE[field.type],
    required: field.isRequired ? '' : null,
    'aria-required': field.isRequired ? 'true' : null,
    'aria-describedby': `${id}-error`,
  };
  const control =
    field.type === 'textarea'
      ? element('textarea', { ...attributes, rows: '4' })
      : element('input', { ...attributes, type: field.type });
  return element('div', { class: 'sg-field' }, [
    element('label', { class: 'sg-label', for: id }, [
      field.label,
      field.isRequired ? ' ' : null,
      field.isRequired ? element('span', { class: 'sg-req', 'aria-hidden': 'true' }, ['*']) : null,
    ]),
    control,
    element('p', { class: 'sg-error', id: `${id}-error`, 'data-sg-error-for': field.name }),
  ]);
}

function consentBlock(
  prefix: string,
  consent: TPublicFormView['consents'][number],
): HTMLDivElement {
  const name = `consent_${consent.purposeCode}`;
  const id = `${prefix}-${name}`;
  // R-C1: the box starts unticked; only the visitor ticks it.
  const box = element('input', {
    type: 'checkbox',
    id,
    name,
    value: 'on',
    required: consent.isRequired ? '' : null,
    'aria-required': consent.isRequired ? 'true' : null,
    'aria-describedby': `${id}-error`,
  });
  box.checked = false;
  return element('div', { class: 'sg-consent', 'data-sg-consent': consent.purposeCode }, [
    box,
    element('label', { for: id }, [
      `${consent.label} `,
      element('span', { class: 'sg-note' }, [
        consent.isRequired ? '(обязательно)' : '(по желанию)',
      ]),
    ]),
    consent.recipients.length > 0
      ? element('p', { class: 'sg-recipients' }, [
          `Получатели данных: ${consent.recipients
            .map((recipient) => `${recipient.name} (${countryName(recipient.country)})`)
            .join('; ')}`,
        ])
      : null,
    element('p', {}, [
      element('a', { href: consent.documentUrl, target: '_blank', rel: 'noopener' }, [
        `Текст согласия (версия ${consent.documentVersion})`,
      ]),
    ]),
    hidden(`${name}_document`, consent.documentId),
    element('p', { class: 'sg-error', id: `${id}-error`, 'data-sg-error-for': name }),
  ]);
}

/** The form for one target; `prefix` keeps element ids unique when a page holds several. */
export function renderForm(
  form: TPublicFormView,
  options: { prefix: string; idempotencyKey: string; attribution: Record<string, string> },
): HTMLFormElement {
  const honeypotInput = element('input', {
    type: 'text',
    name: 'website',
    value: '',
    tabindex: '-1',
    autocomplete: 'off',
  });
  const honeypot = element('div', { class: 'sg-hp', 'aria-hidden': 'true' }, [
    element('label', {}, ['Оставьте это поле пустым ', honeypotInput]),
  ]);
  // Inline styles are not needed for this: the style property is set through the DOM, which
  // a strict Content-Security-Policy on the embedding site still allows.
  honeypot.style.position = 'absolute';
  honeypot.style.left = '-10000px';
  return element(
    'form',
    {
      class: 'sg-form',
      method: 'post',
      action: form.submitUrl,
      'accept-charset': 'UTF-8',
      'data-soglasie-slug': form.slug,
    },
    [
      element('div', { class: 'sg-summary', role: 'alert' }),
      ...form.fields.map((field) => fieldBlock(options.prefix, field)),
      honeypot,
      hidden('idempotency_key', options.idempotencyKey),
      ...Object.entries(options.attribution).map(([name, value]) => hidden(name, value)),
      element('fieldset', { class: 'sg-consents' }, [
        element('legend', { class: 'sg-legend' }, ['Согласия']),
        ...form.consents.map((consent) => consentBlock(options.prefix, consent)),
        form.policyUrl
          ? element('p', { class: 'sg-policy' }, [
              element('a', { href: form.policyUrl, target: '_blank', rel: 'noopener' }, [
                'Политика обработки персональных данных',
              ]),
            ])
          : null,
      ]),
      element('button', { class: 'sg-submit', type: 'submit' }, [form.submitLabel]),
      form.operatorName
        ? element('p', { class: 'sg-operator' }, [
            `Оператор персональных данных: ${form.operatorName}`,
          ])
        : null,
    ],
  );
}
