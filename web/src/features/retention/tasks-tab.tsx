import {
  Anchor,
  Badge,
  Box,
  EmptyState,
  Group,
  LoadingOverlay,
  Paper,
  Select,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconListCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { withQuery } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { type I18n, useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import { contactPath } from '../contacts/contact-path.ts';
import {
  basisLabel,
  type DestructionTask,
  daysUntil,
  reasonLabel,
  STATUS_COLOR,
  statusLabel,
  TASK_STATUSES,
  urgencyColor,
} from './retention-types.ts';

const ALL = '-';

function outcomeText(i18n: I18n, task: DestructionTask): string | null {
  const keptFor = task.outcome.keptFor;
  if (Array.isArray(keptFor)) {
    return i18n.t('retention.keptFor', {
      list: keptFor.map((basis) => basisLabel(i18n, String(basis))).join(', '),
    });
  }
  if (Array.isArray(task.outcome.blockIds) && task.outcome.blockIds.length > 0) {
    return i18n.t('retention.heldByBlock');
  }
  if (Array.isArray(task.outcome.holdIds)) return i18n.t('retention.heldByHold');
  if (task.status === 'cancelled') return i18n.t('retention.cancelledText');
  return null;
}

function DueCell({ task, now }: { task: DestructionTask; now: number }) {
  const { t, formatDate } = useI18n();
  const color = urgencyColor(task, now);
  const left = daysUntil(task.dueAt, now);
  const isOpen = task.status === 'pending' || task.status === 'held';
  return (
    <Stack gap={2}>
      <Text size="sm" fw={color ? 700 : 500} c={color} style={{ whiteSpace: 'nowrap' }}>
        {formatDate(task.dueAt)}
      </Text>
      {isOpen && (
        <Text size="xs" c={color ?? 'dimmed'}>
          {left <= 0 ? t('retention.dueNow') : t('retention.daysLeft', { count: left })}
        </Text>
      )}
    </Stack>
  );
}

/** The destruction queue: what is due when, and what became of it. */
export function TasksTab() {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const me = useMe();
  const canOpenContacts = hasPermission(me, 'contacts.read');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [now] = useState(() => Date.now());
  const query = useApiQuery<Page<DestructionTask>>(
    withQuery('/api/v1/retention/tasks', { page, pageSize, status: status || null }),
  );

  const renderBody = () => {
    if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
    if (query.data === null) return <PageLoader />;
    if (query.data.items.length === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconListCheck size={28} />}
            withIndicatorBackground
            title={status ? t('retention.tasksEmptyFiltered') : t('retention.tasksEmpty')}
            description={t('retention.tasksEmptyDescription')}
          />
        </Paper>
      );
    }
    return (
      <Stack gap="sm">
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={880} type="native">
            <Table verticalSpacing="sm" aria-label={t('retention.tabTasks')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('retention.columnSubject')}</Table.Th>
                  <Table.Th>{t('retention.columnReason')}</Table.Th>
                  <Table.Th>{t('retention.columnReceived')}</Table.Th>
                  <Table.Th>{t('retention.columnDue')}</Table.Th>
                  <Table.Th>{t('retention.columnStatus')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((task) => {
                  const outcome = outcomeText(i18n, task);
                  const isOverdue = urgencyColor(task, now) === 'red';
                  return (
                    <Table.Tr
                      key={task.id}
                      style={{
                        background: isOverdue ? 'var(--mantine-color-red-light)' : undefined,
                      }}
                    >
                      <Table.Td>
                        {canOpenContacts ? (
                          <Anchor
                            component={Link}
                            to={contactPath(task.contactId)}
                            ff="monospace"
                            size="sm"
                          >
                            {task.contactId.slice(0, 8)}
                          </Anchor>
                        ) : (
                          <Text ff="monospace" size="sm">
                            {task.contactId.slice(0, 8)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{reasonLabel(i18n, task.reason)}</Text>
                        {task.purposeCode && (
                          <Text size="xs" c="dimmed" ff="monospace">
                            {task.purposeCode}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(task.receivedAt)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <DueCell task={task} now={now} />
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={4}>
                          <Group gap={6}>
                            <Badge color={STATUS_COLOR[task.status]} variant="light" tt="none">
                              {statusLabel(i18n, task.status)}
                            </Badge>
                            {task.actId && (
                              <Anchor component={Link} to="?tab=acts" size="xs">
                                {t('retention.seeAct')}
                              </Anchor>
                            )}
                          </Group>
                          {outcome && (
                            <Text size="xs" c="dimmed">
                              {outcome}
                            </Text>
                          )}
                        </Stack>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
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
            label={t('retention.tasksPages')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <Stack gap="md">
      <Select
        label={t('retention.filterStatus')}
        data={[
          { value: ALL, label: t('retention.filterAll') },
          ...TASK_STATUSES.map((value) => ({ value, label: statusLabel(i18n, value) })),
        ]}
        value={status || ALL}
        onChange={(value) => {
          setStatus(value && value !== ALL ? value : '');
          setPage(1);
        }}
        allowDeselect={false}
        w={{ base: '100%', sm: 260 }}
      />
      {renderBody()}
    </Stack>
  );
}
