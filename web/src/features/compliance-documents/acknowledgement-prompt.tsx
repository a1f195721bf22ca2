import { Alert, Anchor, Button, Group, Text } from '@mantine/core';
import { IconBook } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../app/api-client.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import type { AcknowledgementStatus } from './documents-types.ts';

/**
 * Asks a member to read and acknowledge the current internal regulation (R-L5). Shown above every
 * page until acknowledged; when the organization requires it, personal data stay closed till then.
 */
export function AcknowledgementPrompt() {
  const { t } = useI18n();
  const query = useApiQuery<AcknowledgementStatus>('/api/v1/compliance/acknowledgements/mine');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const status = query.data;
  if (!status?.document || status.hasAcknowledged) return null;
  const document = status.document;

  const acknowledge = async () => {
    setIsBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/compliance/acknowledgements', { documentId: document.id });
      query.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Alert
      mb="md"
      color={status.isRequired ? 'orange' : 'blue'}
      icon={<IconBook size={18} />}
      title={t('acknowledgement.title')}
    >
      <Text size="sm" mb="xs">
        {status.isRequired ? t('acknowledgement.required') : t('acknowledgement.text')}{' '}
        <Anchor href={document.url} target="_blank" rel="noopener">
          {document.title} ({t('documents.versionShort', { version: document.version })})
        </Anchor>
      </Text>
      {error !== null && <ErrorAlert error={error} onClose={() => setError(null)} />}
      <Group>
        <Button size="xs" onClick={() => void acknowledge()} loading={isBusy}>
          {t('acknowledgement.confirm')}
        </Button>
      </Group>
    </Alert>
  );
}
