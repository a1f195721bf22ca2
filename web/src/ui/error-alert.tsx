import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { isApiError } from '../app/api-client.ts';
import { useI18n } from '../i18n/i18n-context.tsx';

type ErrorAlertProps = {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  onClose?: () => void;
};

/** A failed request: the translated text for its code, and the code itself for support. */
export function ErrorAlert({ error, title, onRetry, onClose }: ErrorAlertProps) {
  const { t, errorMessage } = useI18n();
  const code = isApiError(error) ? error.code : null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={title}
      withCloseButton={onClose !== undefined}
      closeButtonLabel={t('common.close')}
      onClose={onClose}
      role="alert"
    >
      <Text size="sm">{errorMessage(error)}</Text>
      {code && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('common.errorCode', { code })}
        </Text>
      )}
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </Group>
      )}
    </Alert>
  );
}
