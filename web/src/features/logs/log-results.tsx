import {
  Box,
  Center,
  EmptyState,
  Loader,
  LoadingOverlay,
  Paper,
  Stack,
  Table,
} from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { type ReactNode, useRef } from 'react';
import type { Page } from '../../app/api-types.ts';
import type { ApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { Pager } from '../../ui/pager.tsx';

type LogResultsProps<T> = {
  query: ApiQuery<Page<T>>;
  isFiltered: boolean;
  page: number;
  pageSize: number;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
  columns: string[];
  renderRow: (item: T) => ReactNode;
  caption: string;
};

/** Loading, error, empty and filled states of one log table, with its pagination. */
export function LogResults<T>({
  query,
  isFiltered,
  page,
  pageSize,
  onPageChange,
  onPageSizeChange,
  columns,
  renderRow,
  caption,
}: LogResultsProps<T>) {
  const { t } = useI18n();
  const { data, error, isLoading, reload } = query;
  const topRef = useRef<HTMLDivElement>(null);

  // The pager sits below a long table: show the new page from its first row.
  const changePage = (next: number) => {
    onPageChange(next);
    topRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };

  if (error !== null) {
    return <ErrorAlert error={error} onRetry={reload} />;
  }

  if (data === null) {
    return (
      <Center py={64} aria-busy="true">
        <Loader size="md" aria-label={t('common.loading')} />
      </Center>
    );
  }

  if (data.items.length === 0) {
    return (
      <Paper withBorder radius="md" py={48} px="md">
        <EmptyState
          icon={<IconInbox size={28} />}
          withIndicatorBackground
          title={t('logs.empty')}
          description={isFiltered ? t('logs.emptyFiltered') : undefined}
        />
      </Paper>
    );
  }

  return (
    <Stack
      gap="sm"
      ref={topRef}
      style={{ scrollMarginTop: 'calc(var(--app-shell-header-height, 60px) + 16px)' }}
    >
      <Paper withBorder radius="md" pos="relative">
        <LoadingOverlay visible={isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
        <Table.ScrollContainer minWidth={860} type="native">
          <Table
            striped
            highlightOnHover
            verticalSpacing="sm"
            aria-busy={isLoading}
            aria-label={caption}
          >
            <Table.Thead>
              <Table.Tr>
                {columns.map((column) => (
                  <Table.Th key={column}>{column}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>{data.items.map(renderRow)}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Box px={4}>
        <Pager
          page={data.page || page}
          pageSize={data.pageSize || pageSize}
          total={data.total}
          onPageChange={changePage}
          onPageSizeChange={onPageSizeChange}
          label={t('logs.pagination')}
        />
      </Box>
    </Stack>
  );
}
