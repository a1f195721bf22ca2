import type { Locale } from './locale.ts';

const INTL_LOCALE: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' };

// Building an Intl formatter is far slower than using one; a log page formats hundreds of dates.
const formatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(locale: Locale, kind: 'date' | 'dateTime'): Intl.DateTimeFormat {
  const key = `${locale}:${kind}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(
      INTL_LOCALE[locale],
      kind === 'date' ? { dateStyle: 'medium' } : { dateStyle: 'short', timeStyle: 'medium' },
    );
    formatters.set(key, formatter);
  }
  return formatter;
}

function parseDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Date and time in the user's time zone, e.g. 23.11.2026, 14:05:59. */
export function formatDateTime(locale: Locale, iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = parseDate(iso);
  return date ? dateFormatter(locale, 'dateTime').format(date) : iso;
}

/** A day, e.g. 23 нояб. 2026 г. */
export function formatDate(locale: Locale, iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = parseDate(iso);
  return date ? dateFormatter(locale, 'date').format(date) : iso;
}

export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale]).format(value);
}

// "5 минут" / "30 seconds": Intl picks the plural form, which Russian needs three of.
export function formatWait(locale: Locale, seconds: number): string {
  const isMinutes = seconds >= 60;
  const amount = isMinutes ? Math.ceil(seconds / 60) : Math.max(1, Math.ceil(seconds));
  return new Intl.NumberFormat(INTL_LOCALE[locale], {
    style: 'unit',
    unit: isMinutes ? 'minute' : 'second',
    unitDisplay: 'long',
  }).format(amount);
}
