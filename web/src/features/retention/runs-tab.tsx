import { Box, EmptyState, LoadingOverlay, Paper, Stack, Table, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { withQuery } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import type { RetentionRun } from './retention-types.ts';

/** Executed runs: the daily job's, the command line's and those started here. */
export function RunsTab() {
  const { t, formatDateTime } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const query = useApiQuery<Page<RetentionRun>>(
    withQuery('/api/v1/retention/runs', { page, pageSize }),
  );
  if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (query.data === null) return <PageLoader />;
  if (query.data.items.length === 0) {
    return (
      <Paper withBorder radius="md" py={48} px="md">
        <EmptyState
          icon={<IconHistory size={28} />}
          withIndicatorBackground
          title={t('retention.runsEmpty')}
          description={t('retention.runsEmptyDescription')}
        />
      </Paper>
    );
  }
  return (
    <Stack gap="sm">
      <Paper withBorder radius="md" pos="relative">
        <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
        <Table.ScrollContainer minWidth={640} type="native">
          <Table verticalSpacing="sm" aria-label={t('retention.tabRuns')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('retention.columnStarted')}</Table.Th>
                <Table.Th>{t('retention.columnActor')}</Table.Th>
                <Table.Th>{t('retention.columnDestroyed')}</Table.Th>
                <Table.Th>{t('retention.columnHeld')}</Table.Th>
                <Table.Th>{t('retention.columnKept')}</Table.Th>
                <Table.Th>{t('retention.columnPurged')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>{formatDateTime(run.startedAt)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {run.actor === 'scheduler'
                        ? t('retention.actorScheduler')
                        : run.actor === 'cli'
                          ? t('retention.actorCli')
                          : run.actor}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={run.destroyed > 0 ? 700 : 400}>
                      {run.destroyed}
                    </Text>
                  </Table.Td>
                  <Table.Td>{run.held}</Table.Td>
                  <Table.Td>{run.kept}</Table.Td>
                  <Table.Td>{run.actsPurged}</Table.Td>
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
          label={t('retention.runsPages')}
        />
      </Box>
    </Stack>
  );
}
