import { Group, Pagination, Select, Text } from '@mantine/core';
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { PAGE_SIZES } from './log-query.ts';

type LogPaginationProps = {
  page: number;
  pageSize: number;
  total: number;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
};

const PAGE_SIZE_OPTIONS = PAGE_SIZES.map((size) => ({ value: String(size), label: String(size) }));

export function LogPagination({
  page,
  pageSize,
  total,
  onPageChange,
  onPageSizeChange,
}: LogPaginationProps) {
  const { t, formatNumber } = useI18n();
  const pageSizeId = useId();
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  return (
    <Group justify="space-between" wrap="wrap" gap="sm">
      <Group gap="md" wrap="wrap">
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('logs.range', {
            from: formatNumber(first),
            to: formatNumber(last),
            total: formatNumber(total),
          })}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" c="dimmed" component="label" htmlFor={pageSizeId}>
            {t('logs.pageSize')}
          </Text>
          <Select
            id={pageSizeId}
            size="xs"
            w={80}
            data={PAGE_SIZE_OPTIONS}
            value={String(pageSize)}
            onChange={(value) => value && onPageSizeChange(Number(value))}
            allowDeselect={false}
          />
        </Group>
      </Group>
      <nav aria-label={t('logs.pagination')}>
        <Pagination
          total={pageCount}
          value={Math.min(page, pageCount)}
          onChange={onPageChange}
          size="sm"
          siblings={1}
          getControlProps={(control) =>
            control === 'previous'
              ? { 'aria-label': t('logs.previousPage') }
              : control === 'next'
                ? { 'aria-label': t('logs.nextPage') }
                : {}
          }
          getItemProps={(item) => ({ 'aria-label': t('logs.pageNumber', { page: item }) })}
        />
      </nav>
    </Group>
  );
}
