import { Badge } from '@mantine/core';
import { useI18n } from '../../i18n/i18n-context.tsx';

/** A contact whose key was destroyed: name, phone and email are gone for good. */
export function ShreddedBadge() {
  const { t } = useI18n();
  return (
    <Badge variant="light" color="gray" radius="sm" tt="none">
      {t('contacts.shredded')}
    </Badge>
  );
}
