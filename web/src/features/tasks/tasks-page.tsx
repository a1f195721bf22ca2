import {
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
import { IconChecklist } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import type { Task } from '../rkn-notice/notice-types.ts';

/** Where a task is done: compliance tasks link to the page of their action. */
const TASK_LINKS: Record<string, string> = {
  'compliance.rkn_notice_update': '/compliance/rkn-notice',
  'compliance.annual_audit': '/compliance/audit',
};

/** «Задачи»: staff tasks, open first by due date, overdue ones marked. */
export function TasksPage() {
  const { t, formatDate } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'tasks.manage');
  const [status, setStatus] = useState<string>('open');
  const [isOverdueOnly, setIsOverdueOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [actionError, setActionError] = useState<unknown>(null);
  const query = useApiQuery<Page<Task>>(
    withQuery('/api/v1/tasks', {
      page,
      pageSize,
      status: isOverdueOnly || status === 'all' ? null : status,
      isOverdue: isOverdueOnly ? 'true' : null,
    }),
  );

  const close = async (task: Task) => {
    setActionError(null);
    try {
      await api.post(`/api/v1/tasks/${task.id}/close`, {});
      query.reload();
    } catch (caught) {
      setActionError(caught);
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
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconChecklist size={28} />}
            withIndicatorBackground
            title={t('tasks.empty')}
            description={t('tasks.emptyDescription')}
          />
        </Paper>
      );
    }
    return (
      <Stack gap="sm">
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={640} type="native">
            <Table verticalSpacing="sm" aria-label={t('tasks.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tasks.columnTask')}</Table.Th>
                  <Table.Th>{t('tasks.columnDue')}</Table.Th>
                  <Table.Th>{t('tasks.columnStatus')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((task) => {
                  const link = TASK_LINKS[task.kind];
                  const isClosedByAction = task.kind.startsWith('compliance.');
                  return (
                    <Table.Tr key={task.id}>
                      <Table.Td>
                        {link ? (
                          <Text component={Link} to={link} fw={500} c="blue">
                            {task.title}
                          </Text>
                        ) : (
                          <Text fw={500}>{task.title}</Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {task.dueDate ? formatDate(task.dueDate) : t('common.dash')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {task.status === 'done' ? (
                          <Badge color="gray" variant="light" tt="none">
                            {t('tasks.done')}
                          </Badge>
                        ) : (
                          <Badge color={task.isOverdue ? 'red' : 'blue'} variant="light" tt="none">
                            {task.isOverdue ? t('tasks.overdue') : t('tasks.open')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">
                        {task.status === 'open' &&
                          (isClosedByAction ? (
                            <Text size="xs" c="dimmed">
                              {t('tasks.closedByAction')}
                            </Text>
                          ) : (
                            canManage && (
                              <Button size="xs" variant="light" onClick={() => void close(task)}>
                                {t('tasks.close')}
                              </Button>
                            )
                          ))}
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
            label={t('tasks.pages')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <>
      <PageHeader title={t('tasks.title')} description={t('tasks.description')} />
      <Stack gap="md">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t('tasks.filterStatus')}
            data={[
              { value: 'open', label: t('tasks.open') },
              { value: 'done', label: t('tasks.done') },
              { value: 'all', label: t('tasks.all') },
            ]}
            value={status}
            onChange={(value) => {
              setStatus(value ?? 'open');
              setPage(1);
            }}
            allowDeselect={false}
            disabled={isOverdueOnly}
            w={{ base: '100%', sm: 200 }}
          />
          <Checkbox
            label={t('tasks.filterOverdue')}
            checked={isOverdueOnly}
            onChange={(event) => {
              setIsOverdueOnly(event.currentTarget.checked);
              setPage(1);
            }}
            mb={8}
          />
        </Group>
        {actionError !== null && (
          <ErrorAlert error={actionError} onClose={() => setActionError(null)} />
        )}
        {renderBody()}
      </Stack>
    </>
  );
}
