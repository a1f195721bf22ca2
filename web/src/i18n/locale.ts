export const LOCALES = ['ru', 'en'] as const;

export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'ru';

const STORAGE_KEY = 'soglasie.locale';

export function isLocale(value: unknown): value is Locale {
  return value === 'ru' || value === 'en';
}

// Null when this browser has no explicit choice yet; the signed-in user's setting then applies.
export function readStoredLocale(): Locale | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    return null;
  }
}

export function storeLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage can be unavailable (private mode, quota); the choice then lasts for the tab only.
  }
}
