import { Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconPlus, IconWorld } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../app/api-client.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { type CatalogueEntry, countryFlag } from './service-types.ts';

/** The built-in catalogue: one click adds a service with its country and role. */
export function CatalogueModal({
  opened,
  onClose,
  onAdded,
}: {
  opened: boolean;
  onClose: () => void;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const query = useApiQuery<{ items: CatalogueEntry[] }>(
    opened ? '/api/v1/compliance/services/catalogue' : null,
  );
  const [adding, setAdding] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const add = async (code: string) => {
    setAdding(code);
    setError(null);
    try {
      await api.post('/api/v1/compliance/services/catalogue', { code });
      query.reload();
      onAdded();
    } catch (caught) {
      setError(caught);
    } finally {
      setAdding(null);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('services.catalogueTitle')} size="xl">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('services.catalogueDescription')}
        </Text>
        {error !== null && <ErrorAlert error={error} />}
        {query.error !== null && <ErrorAlert error={query.error} onRetry={query.reload} />}
        {query.data === null ? (
          <PageLoader py={32} />
        ) : (
          <Table.ScrollContainer minWidth={640} type="native">
            <Table verticalSpacing="xs" aria-label={t('services.catalogueTitle')}>
              <Table.Tbody>
                {query.data.items.map((entry) => (
                  <Table.Tr key={entry.code}>
                    <Table.Td>
                      <Text fw={500}>{entry.name}</Text>
                      <Text size="xs" c="dimmed">
                        {t(`services.kind.${entry.kind}`)} · {entry.note}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <span aria-hidden>{countryFlag(entry.country)}</span>
                        <Text size="sm">{entry.country}</Text>
                        {entry.isForeign && (
                          <Badge
                            color="orange"
                            variant="light"
                            tt="none"
                            leftSection={<IconWorld size={12} />}
                          >
                            {t('services.foreign')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">
                      {entry.isAdded ? (
                        <Badge variant="light" color="gray" tt="none">
                          {t('services.added')}
                        </Badge>
                      ) : (
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconPlus size={14} />}
                          loading={adding === entry.code}
                          onClick={() => void add(entry.code)}
                        >
                          {t('services.add')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Modal>
  );
}
