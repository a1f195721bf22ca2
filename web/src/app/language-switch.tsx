import { SegmentedControl } from '@mantine/core';
import { useI18n } from '../i18n/i18n-context.tsx';
import { isLocale } from '../i18n/locale.ts';
import { useAuth } from './auth-context.tsx';

const OPTIONS = [
  { value: 'ru', label: 'RU' },
  { value: 'en', label: 'EN' },
];

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  const { saveLocale } = useAuth();

  const change = (value: string) => {
    if (!isLocale(value)) {
      return;
    }
    setLocale(value);
    // The account keeps the language for other devices and for e-mails; a failure is not shown,
    // because the interface has already switched.
    saveLocale(value).catch(() => undefined);
  };

  return (
    <SegmentedControl
      size="xs"
      value={locale}
      onChange={change}
      data={OPTIONS}
      aria-label={t('language.label')}
    />
  );
}
