import { Badge, CloseButton, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { withQuery } from '../../app/api-client.ts';
import type { AccessLogEntry, Page } from '../../app/api-types.ts';
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

const TEXT_FIELDS = ['subjectType'] as const;

type TextField = (typeof TEXT_FIELDS)[number];

export function AccessLogTab() {
  const { t } = useI18n();
  // Other pages link here filtered to one record (?subjectType=contact&subjectId=…), e.g. the
  // records an incident affected; the subject filter shows until removed.
  const [searchParams, setSearchParams] = useSearchParams();
  const subjectId = searchParams.get('subjectId');
  const [filters, setFilters] = useState<LogFilters<TextField>>(() => {
    const initial = emptyFilters(TEXT_FIELDS);
    initial.text.subjectType = searchParams.get('subjectType') ?? '';
    return initial;
  });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const query = useApiQuery<Page<AccessLogEntry>>(
    withQuery('/api/v1/access-log', { ...logQuery(filters, page, pageSize), subjectId }),
  );

  return (
    <Stack gap="md">
      <LogFiltersForm
        fields={[
          {
            name: 'subjectType',
            label: t('logs.filterSubjectType'),
            placeholder: t('logs.filterSubjectTypePlaceholder'),
          },
        ]}
        applied={filters}
        onApply={(next) => {
          setFilters(next);
          setPage(1);
        }}
      />
      {subjectId !== null && (
        <Group gap={4}>
          <Text size="sm">{t('logs.subjectFilter', { id: subjectId.slice(0, 8) })}</Text>
          <CloseButton
            size="sm"
            aria-label={t('logs.subjectFilterRemove')}
            onClick={() => {
              setSearchParams({ tab: 'access' });
              setPage(1);
            }}
          />
        </Group>
      )}
      <LogResults
        query={query}
        isFiltered={hasFilters(filters) || subjectId !== null}
        page={page}
        pageSize={pageSize}
        onPageChange={setPage}
        onPageSizeChange={(size) => {
          setPageSize(size);
          setPage(1);
        }}
        caption={t('logs.tabAccess')}
        columns={[
          t('logs.columnAt'),
          t('logs.columnActor'),
          t('logs.columnSubject'),
          t('logs.columnFields'),
          t('logs.columnReason'),
          t('logs.columnRoute'),
        ]}
        renderRow={(entry) => (
          <Table.Tr key={entry.id}>
            <Table.Td>
              <TimeCell iso={entry.at} />
              <Text size="xs" c="dimmed">
                {t('logs.entryNumber', { id: entry.id })}
              </Text>
            </Table.Td>
            <Table.Td>
              <ActorCell actor={entry.actor} />
            </Table.Td>
            <Table.Td>
              <CodeText value={entry.subjectType} />
              <ShortId value={entry.subjectId} />
            </Table.Td>
            <Table.Td>
              {entry.fields.length === 0 ? (
                <Text size="sm">{t('common.dash')}</Text>
              ) : (
                <Group gap={4} maw={260}>
                  {entry.fields.map((field) => (
                    <Badge key={field} variant="outline" color="gray" size="sm" tt="none">
                      {field}
                    </Badge>
                  ))}
                </Group>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm">{entry.reason || t('common.dash')}</Text>
            </Table.Td>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <CodeText value={entry.route} />
                {entry.requestId && <DetailsButton details={null} requestId={entry.requestId} />}
              </Group>
            </Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
