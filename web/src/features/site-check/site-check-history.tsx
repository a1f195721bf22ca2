import {
  Badge,
  Box,
  Button,
  EmptyState,
  Group,
  LoadingOverlay,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api, withQuery } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/ru.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { Pager } from '../../ui/pager.tsx';
import {
  SEVERITIES,
  type Severity,
  type SiteCheckResult,
  type SiteCheckSummary,
} from './site-check-types.ts';

const SEVERITY_COLOR: Record<Severity, string> = { high: 'red', medium: 'orange', low: 'gray' };
const HISTORY_PAGE_SIZE = 25;

/** The organization's earlier checks, newest first; one opens as a full report. */
export function SiteCheckHistory({
  version,
  onOpen,
}: {
  /** Bumped after each new check, to reload the list. */
  version: number;
  onOpen: (result: SiteCheckResult) => void;
}) {
  const { t, formatDateTime } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(HISTORY_PAGE_SIZE);
  const [openError, setOpenError] = useState<unknown>(null);
  const [openingId, setOpeningId] = useState<string | null>(null);
  const query = useApiQuery<Page<SiteCheckSummary>>(
    withQuery('/api/v1/site-checks', { page, pageSize }),
  );
  const { reload } = query;

  useEffect(() => {
    if (version > 0) {
      setPage(1);
      reload();
    }
  }, [version, reload]);

  const open = async (id: string) => {
    setOpeningId(id);
    setOpenError(null);
    try {
      onOpen(await api.get<SiteCheckResult>(`/api/v1/site-checks/${id}`));
    } catch (caught) {
      setOpenError(caught);
    } finally {
      setOpeningId(null);
    }
  };

  const renderBody = () => {
    if (query.error !== null) {
      return <ErrorAlert error={query.error} onRetry={query.reload} />;
    }
    if (query.data === null) {
      return <PageLoader />;
    }
    if (query.data.items.length === 0) {
      return (
        <Paper withBorder radius="md" py={32} px="md">
          <EmptyState
            icon={<IconHistory size={24} />}
            title={t('siteCheck.historyEmpty')}
            description={t('siteCheck.historyEmptyDescription')}
          />
        </Paper>
      );
    }
    return (
      <Stack gap="sm">
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" aria-label={t('siteCheck.historyTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('siteCheck.historyWhen')}</Table.Th>
                  <Table.Th>{t('siteCheck.historyPage')}</Table.Th>
                  <Table.Th>{t('siteCheck.historyScore')}</Table.Th>
                  <Table.Th>{t('siteCheck.historyFindings')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.open')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(item.checkedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ wordBreak: 'break-all' }}>
                        {item.source === 'url'
                          ? (item.finalUrl ?? item.url)
                          : t('siteCheck.historyPasted')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {item.score}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {SEVERITIES.filter((severity) => item.counts[severity] > 0).map(
                          (severity) => (
                            <Badge
                              key={severity}
                              color={SEVERITY_COLOR[severity]}
                              variant="light"
                              size="sm"
                            >
                              {t(`siteCheck.severity.${severity}` as MessageKey)}:{' '}
                              {item.counts[severity]}
                            </Badge>
                          ),
                        )}
                        {item.codes.length === 0 && (
                          <Text size="sm" c="dimmed">
                            {t('siteCheck.historyClean')}
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        loading={openingId === item.id}
                        onClick={() => void open(item.id)}
                        aria-label={t('siteCheck.historyOpen', {
                          when: formatDateTime(item.checkedAt),
                        })}
                      >
                        {t('common.open')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <Box px={4}>
          <Pager
            page={query.data.page || page}
            pageSize={pageSize}
            total={query.data.total}
            onPageChange={setPage}
            onPageSizeChange={(size) => {
              setPageSize(size);
              setPage(1);
            }}
            label={t('siteCheck.historyPages')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <Stack gap="sm" component="section" mt="xl">
      <Title order={2} size="h3">
        {t('siteCheck.historyTitle')}
      </Title>
      {openError !== null && <ErrorAlert error={openError} onClose={() => setOpenError(null)} />}
      {renderBody()}
    </Stack>
  );
}
