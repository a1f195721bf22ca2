import { Center, Loader } from '@mantine/core';
import { useI18n } from '../i18n/i18n-context.tsx';

/** The first load of a page or a block, before there is anything to show. */
export function PageLoader({ py = 64 }: { py?: number }) {
  const { t } = useI18n();
  return (
    <Center py={py} aria-busy="true">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}
