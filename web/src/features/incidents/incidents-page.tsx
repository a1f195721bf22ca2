import {
  Anchor,
  Badge,
  Box,
  Button,
  Checkbox,
  EmptyState,
  Group,
  LoadingOverlay,
  Paper,
  Select,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertOctagon, IconPlus, IconShieldX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { withQuery } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import { ClockBadge, DueText, useNow } from './countdown.tsx';
import { CreateIncidentModal } from './create-incident-modal.tsx';
import { kindLabel, STATUS_COLOR, statusLabel, stepLabel } from './incident-labels.ts';
import {
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  type IncidentSummary,
  incidentPath,
} from './incident-types.ts';

// "All" in the filter selects.
const ALL = '-';

export function IncidentsPage() {
  const i18n = useI18n();
  const { t, formatDateTime, formatNumber } = i18n;
  const me = useMe();
  const canManage = hasPermission(me, 'incidents.manage');
  const navigate = useNavigate();
  // The dashboard links here with ?overdue=1.
  const [searchParams, setSearchParams] = useSearchParams();
  const isOverdueOnly = searchParams.get('overdue') === '1';
  const [status, setStatus] = useState('active');
  const [kind, setKind] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [isCreateOpen, createModal] = useDisclosure(false);
  const now = useNow();

  const query = useApiQuery<Page<IncidentSummary>>(
    withQuery('/api/v1/incidents', {
      page,
      pageSize,
      status: status || null,
      kind: kind || null,
      isOverdue: isOverdueOnly ? 'true' : null,
    }),
  );
  // Not closed is the default view, not a filter the user chose.
  const isFiltered = status !== 'active' || kind !== '' || isOverdueOnly;

  const renderBody = () => {
    if (query.error !== null) {
      return <ErrorAlert error={query.error} onRetry={query.reload} />;
    }
    if (query.data === null) {
      return <PageLoader />;
    }
    if (query.data.items.length === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconShieldX size={28} />}
            withIndicatorBackground
            title={isFiltered ? t('incidents.emptyFiltered') : t('incidents.empty')}
            description={t('incidents.emptyDescription')}
          >
            {canManage && (
              <EmptyState.Actions>
                <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
                  {t('incidents.create')}
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Paper>
      );
    }
    return (
      <Stack gap="sm">
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={900} type="native">
            <Table verticalSpacing="sm" highlightOnHover aria-label={t('incidents.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('incidents.columnNumber')}</Table.Th>
                  <Table.Th>{t('incidents.columnIncident')}</Table.Th>
                  <Table.Th>{t('incidents.columnDetected')}</Table.Th>
                  <Table.Th>{t('incidents.columnStatus')}</Table.Th>
                  <Table.Th>{t('incidents.columnNextClock')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((incident) => (
                  <Table.Tr
                    key={incident.id}
                    data-overdue={incident.isOverdue || undefined}
                    style={{
                      cursor: 'pointer',
                      background: incident.isOverdue ? 'var(--mantine-color-red-light)' : undefined,
                    }}
                    onClick={(event) => {
                      if ((event.target as HTMLElement).closest('a')) {
                        return;
                      }
                      void navigate(incidentPath(incident.id));
                    }}
                  >
                    <Table.Td>
                      <Text fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                        №&nbsp;{incident.number}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        <Anchor component={Link} to={incidentPath(incident.id)} fw={500}>
                          {incident.title}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {kindLabel(i18n, incident.kind)}
                          {incident.affectedSubjectsCount !== null &&
                            ` · ${t('incidents.subjectsCount', {
                              count: formatNumber(incident.affectedSubjectsCount),
                            })}`}
                          {incident.gdprApplies && ' · GDPR'}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(incident.detectedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        <Badge color={STATUS_COLOR[incident.status]} variant="light" tt="none">
                          {statusLabel(i18n, incident.status)}
                        </Badge>
                        {incident.isOverdue && (
                          <Badge
                            color="red"
                            variant="filled"
                            tt="none"
                            leftSection={<IconAlertOctagon size={12} />}
                          >
                            {t('incidents.overdue')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {incident.nextClock ? (
                        <Stack gap={2}>
                          <Text size="xs" fw={500}>
                            {stepLabel(i18n, incident.nextClock.step)}
                          </Text>
                          <ClockBadge clock={incident.nextClock} now={now} size="sm" />
                          <DueText clock={incident.nextClock} />
                        </Stack>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {incident.status === 'closed'
                            ? t('incidents.closedOn', {
                                date: formatDateTime(incident.closedAt),
                              })
                            : t('incidents.allStepsDone')}
                        </Text>
                      )}
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
            label={t('incidents.pages')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <>
      <PageHeader
        title={t('incidents.title')}
        description={t('incidents.description')}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
              {t('incidents.create')}
            </Button>
          )
        }
      />
      <Stack gap="md">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t('incidents.filterStatus')}
            data={[
              { value: 'active', label: t('incidents.filterActive') },
              { value: ALL, label: t('incidents.filterAll') },
              ...INCIDENT_STATUSES.map((value) => ({
                value,
                label: statusLabel(i18n, value),
              })),
            ]}
            value={status || ALL}
            onChange={(value) => {
              setStatus(value && value !== ALL ? value : '');
              setPage(1);
            }}
            allowDeselect={false}
            w={{ base: '100%', sm: 200 }}
          />
          <Select
            label={t('incidents.filterKind')}
            data={[
              { value: ALL, label: t('incidents.filterAll') },
              ...INCIDENT_KINDS.map((value) => ({ value, label: kindLabel(i18n, value) })),
            ]}
            value={kind || ALL}
            onChange={(value) => {
              setKind(value && value !== ALL ? value : '');
              setPage(1);
            }}
            allowDeselect={false}
            w={{ base: '100%', sm: 280 }}
          />
          <Checkbox
            label={t('incidents.filterOverdue')}
            checked={isOverdueOnly}
            onChange={(event) => {
              setSearchParams(event.currentTarget.checked ? { overdue: '1' } : {});
              setPage(1);
            }}
            mb={8}
          />
        </Group>
        {renderBody()}
      </Stack>
      <CreateIncidentModal
        opened={isCreateOpen}
        onClose={createModal.close}
        onCreated={(incident) => void navigate(incidentPath(incident.id))}
      />
    </>
  );
}
