import { Group, Pagination, Select, Text } from '@mantine/core';
import { useId } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';

export const PAGE_SIZES = [25, 50, 100] as const;

export const DEFAULT_PAGE_SIZE = 50;

const PAGE_SIZE_OPTIONS = PAGE_SIZES.map((size) => ({ value: String(size), label: String(size) }));

type PagerProps = {
  page: number;
  pageSize: number;
  total: number;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
  /** Names the page list for screen readers, e.g. "Страницы лидов". */
  label: string;
};

/** The range shown, the page size and the page list under a table. */
export function Pager({
  page,
  pageSize,
  total,
  onPageChange,
  onPageSizeChange,
  label,
}: PagerProps) {
  const { t, formatNumber } = useI18n();
  const pageSizeId = useId();
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  return (
    <Group justify="space-between" wrap="wrap" gap="sm">
      <Group gap="md" wrap="wrap">
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('pager.range', {
            from: formatNumber(first),
            to: formatNumber(last),
            total: formatNumber(total),
          })}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" c="dimmed" component="label" htmlFor={pageSizeId}>
            {t('pager.pageSize')}
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
      {pageCount > 1 && (
        <nav aria-label={label}>
          <Pagination
            total={pageCount}
            value={Math.min(page, pageCount)}
            onChange={onPageChange}
            size="sm"
            siblings={1}
            getControlProps={(control) =>
              control === 'previous'
                ? { 'aria-label': t('pager.previous') }
                : control === 'next'
                  ? { 'aria-label': t('pager.next') }
                  : {}
            }
            getItemProps={(item) => ({ 'aria-label': t('pager.page', { page: item }) })}
          />
        </nav>
      )}
    </Group>
  );
}
