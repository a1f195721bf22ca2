import { Button, EmptyState } from '@mantine/core';
import { IconLock, IconMapPinOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n-context.tsx';

export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <EmptyState
      py={64}
      icon={<IconLock size={28} />}
      withIndicatorBackground
      title={t('page.forbiddenTitle')}
      description={t('page.forbiddenDescription')}
    >
      <EmptyState.Actions>
        <Button component={Link} to="/" variant="default">
          {t('page.backHome')}
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <EmptyState
      py={64}
      icon={<IconMapPinOff size={28} />}
      withIndicatorBackground
      title={t('page.notFoundTitle')}
      description={t('page.notFoundDescription')}
    >
      <EmptyState.Actions>
        <Button component={Link} to="/" variant="default">
          {t('page.backHome')}
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
