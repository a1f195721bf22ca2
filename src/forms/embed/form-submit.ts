// Sends a rendered form (hosted or embedded) as JSON and shows the answer in place.
import { ATTRIBUTION_KEYS } from '../attribution.ts';
import { errorCodeRu, fieldMessageRu } from '../field-messages.ts';
import type { TSubmitResult } from '../public-form.schema.ts';
import { element } from './form-dom.ts';

const TOP_LEVEL = new Set<string>(['idempotency_key', 'website', ...ATTRIBUTION_KEYS]);

type Consents = Record<string, { isGiven: boolean; documentId: string | null }>;
type ErrorAnswer = {
  error?: {
    code?: string;
    fields?: Record<string, string[]>;
    details?: { retryAfterSeconds?: number };
  };
};

/** The same reading of field names as a form post on the server (submit-body.ts). */
export function serializeForm(form: HTMLFormElement): Record<string, unknown> {
  const values: Record<string, string> = {};
  const consents: Consents = {};
  const body: Record<string, unknown> = { values, consents };
  const consentOf = (code: string) => {
    consents[code] ??= { isGiven: false, documentId: null };
    return consents[code];
  };
  for (const control of Array.from(form.elements)) {
    if (!(control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement)) continue;
    const name = control.name;
    if (!name) continue;
    const documentOf = /^consent_(.+)_document$/.exec(name);
    const boxOf = /^consent_(.+)$/.exec(name);
    if (TOP_LEVEL.has(name)) {
      if (control.value !== '') body[name] = control.value;
    } else if (documentOf?.[1]) {
      consentOf(documentOf[1]).documentId = control.value || null;
    } else if (boxOf?.[1] && control.type === 'checkbox') {
      // R-C1: a consent is sent as given only when its own box is ticked.
      consentOf(boxOf[1]).isGiven = (control as HTMLInputElement).checked;
    } else {
      values[name] = control.value;
    }
  }
  return body;
}

/** A server field name (`values.phone`, `consents.x.documentId`) as the form names it. */
function formFieldName(field: string): string {
  const value = /^values\.(.+)$/.exec(field);
  if (value?.[1]) return value[1];
  const consent = /^(?:consents\.([^.]+)\..*|consent_(.+)_document)$/.exec(field);
  const code = consent?.[1] ?? consent?.[2];
  return code ? `consent_${code}` : field;
}

function clearErrors(form: HTMLFormElement): void {
  for (const slot of Array.from(form.querySelectorAll('[data-sg-error-for]'))) {
    slot.textContent = '';
  }
  for (const control of Array.from(form.querySelectorAll('[aria-invalid]'))) {
    control.removeAttribute('aria-invalid');
  }
  const summary = form.querySelector('.sg-summary');
  if (summary) summary.textContent = '';
}

function showErrors(form: HTMLFormElement, answer: ErrorAnswer): void {
  const error = answer.error ?? {};
  const unplaced: string[] = [];
  let first: HTMLElement | null = null;
  for (const [field, messages] of Object.entries(error.fields ?? {})) {
    const name = formFieldName(field);
    const text = messages.map(fieldMessageRu).join(' ');
    const slot = Array.from(form.querySelectorAll<HTMLElement>('[data-sg-error-for]')).find(
      (candidate) => candidate.dataset.sgErrorFor === name,
    );
    const control = Array.from(form.elements).find(
      (candidate) => (candidate as HTMLInputElement).name === name,
    ) as HTMLElement | undefined;
    if (!slot) {
      unplaced.push(text);
      continue;
    }
    slot.textContent = [slot.textContent, text].filter(Boolean).join(' ');
    control?.setAttribute('aria-invalid', 'true');
    first ??= control ?? null;
  }
  const summary = form.querySelector('.sg-summary');
  if (summary) {
    summary.textContent = [
      errorCodeRu(error.code ?? 'internal', error.details?.retryAfterSeconds),
      ...unplaced,
    ].join(' ');
  }
  first?.focus();
}

function showThanks(form: HTMLFormElement, result: TSubmitResult): void {
  if (result.redirectUrl && /^https?:\/\//i.test(result.redirectUrl)) {
    window.location.assign(result.redirectUrl);
    return;
  }
  const thanks = element('div', { class: 'sg-form sg-thanks', role: 'status', tabindex: '-1' }, [
    element('h2', {}, [result.thankYou.title]),
    result.thankYou.text ? element('p', {}, [result.thankYou.text]) : null,
    result.receiptUrl
      ? element('p', {}, [
          element('a', { href: result.receiptUrl, target: '_blank', rel: 'noopener' }, [
            'Квитанция о согласии',
          ]),
        ])
      : null,
  ]);
  form.replaceWith(thanks);
  thanks.focus();
}

/** Submits with fetch instead of a page load; the plain form post stays the fallback. */
export function enhanceForm(form: HTMLFormElement, submitUrl: string): void {
  if (form.dataset.soglasieReady) return;
  form.dataset.soglasieReady = 'true';
  let isBusy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy) return;
    isBusy = true;
    const button = form.querySelector<HTMLButtonElement>('.sg-submit');
    if (button) button.disabled = true;
    clearErrors(form);
    try {
      const response = await fetch(submitUrl, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(serializeForm(form)),
      });
      const answer = (await response.json().catch(() => ({}))) as TSubmitResult & ErrorAnswer;
      if (response.ok) showThanks(form, answer);
      else showErrors(form, answer);
    } catch {
      // The same idempotency key is sent again on the next try, so a retry never doubles.
      showErrors(form, { error: { code: 'network' } });
    } finally {
      isBusy = false;
      if (button) button.disabled = false;
    }
  });
}
