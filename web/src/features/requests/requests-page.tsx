import {
  Anchor,
  Badge,
  Box,
  Button,
  Checkbox,
  CloseButton,
  EmptyState,
  Group,
  LoadingOverlay,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertOctagon,
  IconBell,
  IconPlus,
  IconRepeat,
  IconUserQuestion,
} from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, withQuery } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { type I18n, useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import { CreateRequestModal } from './create-request-modal.tsx';
import {
  dateOnly,
  REQUEST_STATUSES,
  REQUEST_TYPES,
  type Reminder,
  type RequestSummary,
  requestPath,
  STATUS_COLOR,
  statusLabel,
  typeLabel,
  urgencyColor,
} from './request-types.ts';

// "All" in the filter selects.
const ALL = '-';

/** The due date with its urgency: red when overdue, orange within two working days. */
export function DueCell({ request }: { request: RequestSummary }) {
  const i18n = useI18n();
  const { t } = i18n;
  const color = urgencyColor(request);
  const left = request.workingDaysLeft;
  let hint: string | null = null;
  if (left !== null) {
    if (request.isOverdue) hint = t('requests.overdueBy', { count: -left });
    else if (left === 0) hint = t('requests.dueToday');
    else hint = t('requests.daysLeft', { count: left });
  }
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Text
          size="sm"
          fw={color ? 700 : 500}
          c={color}
          style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
        >
          {dateOnly(i18n, request.effectiveDueDate)}
        </Text>
        {!request.isCalendarConfirmed && (
          <Tooltip label={t('requests.calendarUnconfirmed')}>
            <Text size="xs" c="dimmed" aria-label={t('requests.calendarUnconfirmed')}>
              *
            </Text>
          </Tooltip>
        )}
      </Group>
      {hint && (
        <Text size="xs" c={color ?? 'dimmed'}>
          {hint}
        </Text>
      )}
      {request.effectiveDueDate !== request.dueDate && (
        <Text size="xs" c="dimmed">
          {t('requests.extendedFrom', { date: dateOnly(i18n, request.dueDate) })}
        </Text>
      )}
    </Stack>
  );
}

function subjectCell(i18n: I18n, request: RequestSummary) {
  if (request.subjectName) return request.subjectName;
  return request.contactId ? i18n.t('requests.hiddenSubject') : i18n.t('requests.unknownSubject');
}

/** Unread reminders of deadlines: 3 and 1 working days before, and when overdue. */
function RemindersPanel() {
  const { t, formatDateTime } = useI18n();
  const query = useApiQuery<Page<Reminder> & { unread: number }>(
    withQuery('/api/v1/notifications', { isUnreadOnly: 'true', pageSize: 10 }),
  );
  if (query.data === null || query.data.items.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={t('requests.reminders')}>
      <Group gap="xs" mb="xs">
        <IconBell size={18} aria-hidden />
        <Title order={2} size="h5">
          {t('requests.reminders')}
        </Title>
        <Badge color="red" variant="filled" size="sm">
          {query.data.unread}
        </Badge>
      </Group>
      <Stack gap={6}>
        {query.data.items.map((reminder) => (
          <Group key={reminder.id} justify="space-between" wrap="nowrap" gap="sm">
            <Stack gap={0} miw={0}>
              <Anchor component={Link} to={requestPath(reminder.entityId)} size="sm">
                {reminder.text}
              </Anchor>
              <Text size="xs" c="dimmed">
                {formatDateTime(reminder.createdAt)}
              </Text>
            </Stack>
            <CloseButton
              aria-label={t('requests.reminderRead')}
              title={t('requests.reminderRead')}
              onClick={() => {
                void api
                  .post(`/api/v1/notifications/${reminder.id}/read`)
                  .then(() => query.reload());
              }}
            />
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

export function RequestsPage() {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const me = useMe();
  const canManage = hasPermission(me, 'requests.manage');
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const isOverdueOnly = searchParams.get('overdue') === '1';
  const [status, setStatus] = useState('open');
  const [type, setType] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [isCreateOpen, createModal] = useDisclosure(false);

  const query = useApiQuery<Page<RequestSummary>>(
    withQuery('/api/v1/subject-requests', {
      page,
      pageSize,
      status: status || null,
      type: type || null,
      isOverdue: isOverdueOnly ? 'true' : null,
    }),
  );
  const isFiltered = status !== '' || type !== '' || isOverdueOnly;

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
            icon={<IconUserQuestion size={28} />}
            withIndicatorBackground
            title={isFiltered ? t('requests.emptyFiltered') : t('requests.empty')}
            description={t('requests.emptyDescription')}
          >
            {canManage && (
              <EmptyState.Actions>
                <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
                  {t('requests.create')}
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
          <Table.ScrollContainer minWidth={860} type="native">
            <Table verticalSpacing="sm" highlightOnHover aria-label={t('requests.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('requests.columnReference')}</Table.Th>
                  <Table.Th>{t('requests.columnSubject')}</Table.Th>
                  <Table.Th>{t('requests.columnType')}</Table.Th>
                  <Table.Th>{t('requests.columnStatus')}</Table.Th>
                  <Table.Th>{t('requests.columnReceived')}</Table.Th>
                  <Table.Th>{t('requests.columnDue')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((request) => (
                  <Table.Tr
                    key={request.id}
                    data-overdue={request.isOverdue || undefined}
                    style={{
                      cursor: 'pointer',
                      background: request.isOverdue ? 'var(--mantine-color-red-light)' : undefined,
                    }}
                    onClick={(event) => {
                      if ((event.target as HTMLElement).closest('a')) return;
                      void navigate(requestPath(request.id));
                    }}
                  >
                    <Table.Td>
                      <Anchor component={Link} to={requestPath(request.id)} fw={600} ff="monospace">
                        {request.reference}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{subjectCell(i18n, request)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        <Text size="sm">{typeLabel(i18n, request.type)}</Text>
                        {request.isRepeat && (
                          <Badge
                            color="yellow"
                            variant="light"
                            tt="none"
                            size="sm"
                            leftSection={<IconRepeat size={12} />}
                          >
                            {t('requests.repeat')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        <Badge color={STATUS_COLOR[request.status]} variant="light" tt="none">
                          {statusLabel(i18n, request.status)}
                        </Badge>
                        {request.isOverdue && (
                          <Badge
                            color="red"
                            variant="filled"
                            tt="none"
                            leftSection={<IconAlertOctagon size={12} />}
                          >
                            {t('requests.overdue')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(request.receivedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <DueCell request={request} />
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
            label={t('requests.pages')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <>
      <PageHeader
        title={t('requests.title')}
        description={t('requests.description')}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
              {t('requests.create')}
            </Button>
          )
        }
      />
      <Stack gap="md">
        <RemindersPanel />
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t('requests.filterStatus')}
            data={[
              { value: 'open', label: t('requests.filterOpen') },
              { value: ALL, label: t('requests.filterAll') },
              ...REQUEST_STATUSES.map((value) => ({ value, label: statusLabel(i18n, value) })),
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
            label={t('requests.filterType')}
            data={[
              { value: ALL, label: t('requests.filterAll') },
              ...REQUEST_TYPES.map((value) => ({ value, label: typeLabel(i18n, value) })),
            ]}
            value={type || ALL}
            onChange={(value) => {
              setType(value && value !== ALL ? value : '');
              setPage(1);
            }}
            allowDeselect={false}
            w={{ base: '100%', sm: 240 }}
          />
          <Checkbox
            label={t('requests.filterOverdue')}
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
      <CreateRequestModal
        opened={isCreateOpen}
        onClose={createModal.close}
        onCreated={(id) => void navigate(requestPath(id))}
      />
    </>
  );
}
