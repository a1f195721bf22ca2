import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { isApiError } from '../app/api-client.ts';
import { isKnownErrorCode } from '../app/error-codes.ts';
import { isRole } from '../app/roles.ts';
import { en } from './en.ts';
import { formatDate, formatDateTime, formatNumber } from './format.ts';
import { DEFAULT_LOCALE, type Locale, readStoredLocale, storeLocale } from './locale.ts';
import { type Dictionary, type MessageKey, ru } from './ru.ts';

const DICTIONARIES: Record<Locale, Dictionary> = { ru, en };

export type MessageParams = Record<string, string | number>;

export type I18n = {
  locale: Locale;
  /** True when this browser has an explicit language choice stored. */
  hasStoredLocale: boolean;
  /** An explicit choice: shown at once and stored in this browser. */
  setLocale: (locale: Locale) => void;
  /** The signed-in account's language, used while this browser has no choice of its own. */
  adoptLocale: (locale: Locale) => void;
  t: (key: MessageKey, params?: MessageParams) => string;
  /** The translated role name, or the raw value for a role this UI does not know yet. */
  roleName: (role: string | null | undefined) => string;
  /** The translated text for an error (ApiError code, or a generic one). */
  errorMessage: (error: unknown) => string;
  formatDateTime: (iso: string | null | undefined) => string;
  formatDate: (iso: string | null | undefined) => string;
  formatNumber: (value: number) => string;
};

const I18nContext = createContext<I18n | null>(null);

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(ru, key);
}

function interpolate(template: string, params: MessageParams | undefined): string {
  if (!params) {
    return template;
  }
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    return value === undefined ? match : String(value);
  });
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [stored] = useState(readStoredLocale);
  const [locale, setLocaleState] = useState<Locale>(stored ?? DEFAULT_LOCALE);
  const [hasStoredLocale, setHasStoredLocale] = useState(stored !== null);

  const setLocale = useCallback((next: Locale) => {
    storeLocale(next);
    setHasStoredLocale(true);
    setLocaleState(next);
  }, []);

  const adoptLocale = useCallback((next: Locale) => {
    setLocaleState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = DICTIONARIES[locale]['app.name'];
  }, [locale]);

  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[locale];
    const t = (key: MessageKey, params?: MessageParams) => interpolate(dictionary[key], params);
    return {
      locale,
      hasStoredLocale,
      setLocale,
      adoptLocale,
      t,
      roleName: (role) => {
        if (!role) {
          return t('common.dash');
        }
        return isRole(role) ? t(`role.${role}`) : role;
      },
      errorMessage: (error) => {
        if (!isApiError(error)) {
          return t('error.unknown');
        }
        const rule = error.details.rule;
        if (error.code === 'rule_violated' && typeof rule === 'string') {
          const ruleKey = `rule.${rule}`;
          if (isMessageKey(ruleKey)) {
            return t(ruleKey);
          }
        }
        if (isKnownErrorCode(error.code)) {
          return t(`error.${error.code}`);
        }
        return t('error.unknown');
      },
      formatDateTime: (iso) => formatDateTime(locale, iso),
      formatDate: (iso) => formatDate(locale, iso),
      formatNumber: (number) => formatNumber(locale, number),
    };
  }, [locale, hasStoredLocale, setLocale, adoptLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) {
    throw new Error('useI18n must be used inside I18nProvider');
  }
  return context;
}
