import { Stack, Table } from '@mantine/core';
import { useState } from 'react';
import { withQuery } from '../../app/api-client.ts';
import type { AuditLogEntry, Page } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ActorCell, CodeText, DetailsButton, ShortId, TimeCell } from './log-cells.tsx';
import { LogFiltersForm } from './log-filters-form.tsx';
import {
  DEFAULT_PAGE_SIZE,
  emptyFilters,
  hasFilters,
  type LogFilters,
  logQuery,
} from './log-query.ts';
import { LogResults } from './log-results.tsx';

const TEXT_FIELDS = ['action', 'entityType'] as const;

type TextField = (typeof TEXT_FIELDS)[number];

export function AuditLogTab() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<LogFilters<TextField>>(() => emptyFilters(TEXT_FIELDS));
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const query = useApiQuery<Page<AuditLogEntry>>(
    withQuery('/api/v1/audit-log', logQuery(filters, page, pageSize)),
  );

  return (
    <Stack gap="md">
      <LogFiltersForm
        fields={[
          {
            name: 'action',
            label: t('logs.filterAction'),
            placeholder: t('logs.filterActionPlaceholder'),
          },
          {
            name: 'entityType',
            label: t('logs.filterEntityType'),
            placeholder: t('logs.filterEntityTypePlaceholder'),
          },
        ]}
        applied={filters}
        onApply={(next) => {
          setFilters(next);
          setPage(1);
        }}
      />
      <LogResults
        query={query}
        isFiltered={hasFilters(filters)}
        page={page}
        pageSize={pageSize}
        onPageChange={setPage}
        onPageSizeChange={(size) => {
          setPageSize(size);
          setPage(1);
        }}
        caption={t('logs.tabAudit')}
        columns={[
          t('logs.columnAt'),
          t('logs.columnActor'),
          t('logs.columnAction'),
          t('logs.columnEntity'),
          t('logs.columnDetails'),
        ]}
        renderRow={(entry) => (
          <Table.Tr key={entry.id}>
            <Table.Td>
              <TimeCell iso={entry.at} />
            </Table.Td>
            <Table.Td>
              <ActorCell actor={entry.actor} />
            </Table.Td>
            <Table.Td>
              <CodeText value={entry.action} />
            </Table.Td>
            <Table.Td>
              <CodeText value={entry.entityType} />
              <ShortId value={entry.entityId} />
            </Table.Td>
            <Table.Td>
              <DetailsButton details={entry.details} requestId={entry.requestId} />
            </Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
