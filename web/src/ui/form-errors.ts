import { isApiError } from '../app/api-client.ts';
import type { I18n } from '../i18n/i18n-context.tsx';

export type FormErrors<Field extends string> = Partial<Record<Field, string>>;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const MIN_PASSWORD_LENGTH = 10;

export function isEmail(value: string): boolean {
  return EMAIL_PATTERN.test(value.trim());
}

export function hasErrors<Field extends string>(errors: FormErrors<Field>): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}

/**
 * Field errors from a `validation_failed` answer, keyed by our form's fields. The server's
 * messages are English and meant for logs, so the Russian interface shows its own wording.
 */
export function serverFieldErrors<Field extends string>(
  error: unknown,
  fields: readonly Field[],
  i18n: I18n,
): FormErrors<Field> {
  const result: FormErrors<Field> = {};
  if (!isApiError(error)) {
    return result;
  }
  for (const field of fields) {
    const messages = error.fields[field];
    if (messages && messages.length > 0) {
      result[field] = i18n.locale === 'en' ? messages.join('; ') : i18n.t('validation.invalid');
    }
  }
  return result;
}

/**
 * Every field error of a failed answer by the server's field path (`processors.0.name`),
 * for forms whose fields are lists; the wording follows `serverFieldErrors`.
 */
export function serverErrorsByPath(error: unknown, i18n: I18n): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isApiError(error)) {
    return result;
  }
  for (const [path, messages] of Object.entries(error.fields)) {
    if (messages.length > 0) {
      result[path] = i18n.locale === 'en' ? messages.join('; ') : i18n.t('validation.invalid');
    }
  }
  return result;
}
