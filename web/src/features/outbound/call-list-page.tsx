import { Anchor, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import type { CallListEntriesPage } from './outbound-types.ts';
import { ReasonBadge, ReasonCounts } from './reason-badge.tsx';

/**
 * One call list: whom to call, and who must not be called and why. Refused entries are greyed
 * and carry no phone number.
 */
export function CallListPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const { id = '' } = useParams();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const query = useApiQuery<CallListEntriesPage>(
    `/api/v1/call-lists/${encodeURIComponent(id)}?page=${page}&pageSize=${pageSize}`,
  );

  if (query.error !== null) {
    return <ErrorAlert error={query.error} onRetry={query.reload} />;
  }
  if (query.data === null) {
    return <PageLoader />;
  }
  const { list, items, total } = query.data;
  return (
    <>
      <Anchor component={Link} to="/call-lists" size="sm" mb="sm" display="inline-block">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} />
          {t('callLists.back')}
        </Group>
      </Anchor>
      <PageHeader
        title={list.title}
        description={t('callLists.summary', {
          purpose: list.purposeCode,
          allowed: formatNumber(list.allowed),
          total: formatNumber(list.total),
          created: formatDateTime(list.createdAt),
        })}
      />
      <Stack gap="md">
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('callLists.columnRefused')}:
          </Text>
          <ReasonCounts counts={list.refused} />
        </Group>
        {items.length === 0 ? (
          <Paper withBorder radius="md" p="xl">
            <Text c="dimmed" ta="center">
              {t('callLists.noEntries')}
            </Text>
          </Paper>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={700} type="native">
              <Table verticalSpacing="sm" aria-label={list.title}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>№</Table.Th>
                    <Table.Th>{t('callLists.columnName')}</Table.Th>
                    <Table.Th>{t('callLists.columnPhone')}</Table.Th>
                    <Table.Th>{t('callLists.columnAnswer')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((entry) => (
                    <Table.Tr
                      key={entry.position}
                      style={entry.allowed ? undefined : { opacity: 0.55 }}
                      aria-disabled={!entry.allowed}
                    >
                      <Table.Td>
                        <Text size="sm">{entry.position}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/contacts/${entry.contactId}`} size="sm">
                          {entry.name ?? t('callLists.nameWithheld')}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {entry.phone ? (
                          <Anchor href={`tel:${entry.phone}`} size="sm" ff="monospace">
                            {entry.phone}
                          </Anchor>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t('common.dash')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {entry.allowed ? (
                          <Badge variant="light" color="green" radius="sm" tt="none">
                            {entry.basis === 'consent'
                              ? t('outbound.allowedByConsent')
                              : t('outbound.allowedByBasis', { basis: entry.basis ?? '' })}
                          </Badge>
                        ) : (
                          <ReasonBadge reason={entry.reason ?? ''} />
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
        <Pager
          page={page}
          pageSize={pageSize}
          total={total}
          onPageChange={setPage}
          onPageSizeChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          label={t('callLists.entryPages')}
        />
      </Stack>
    </>
  );
}
