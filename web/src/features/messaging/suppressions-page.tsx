import {
  Anchor,
  Badge,
  Box,
  Button,
  EmptyState,
  Group,
  LoadingOverlay,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { IconMailOff } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
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
import {
  channelLabel,
  SUPPRESSION_CHANNELS,
  SUPPRESSION_REASONS,
  type Suppression,
  type SuppressionChannel,
  type SuppressionReason,
  suppressionReasonLabel,
} from './messaging-labels.ts';

const ALL = '-';

const REASON_COLOR: Record<SuppressionReason, string> = {
  unsubscribed: 'blue',
  provider_refused: 'orange',
  bounced: 'gray',
  complaint: 'red',
  staff: 'grape',
};

/** The suppression list (R-A4): who gets no advertising on which channel, and why. */
export function SuppressionsPage() {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const me = useMe();
  const canManage = hasPermission(me, 'messaging.manage');
  const canOpenContact = hasPermission(me, 'contacts.read');
  const [channel, setChannel] = useState<SuppressionChannel | ''>('');
  const [reason, setReason] = useState<SuppressionReason | ''>('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [removing, setRemoving] = useState<Suppression | null>(null);
  const query = useApiQuery<Page<Suppression>>(
    withQuery('/api/v1/messaging/suppressions', {
      page,
      pageSize,
      channel: channel || null,
      reason: reason || null,
    }),
  );
  const isFiltered = channel !== '' || reason !== '';

  const renderBody = () => {
    if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
    if (query.data === null) return <PageLoader />;
    if (query.data.items.length === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconMailOff size={28} />}
            withIndicatorBackground
            title={
              isFiltered
                ? t('messaging.suppressionsEmptyFiltered')
                : t('messaging.suppressionsEmpty')
            }
            description={t('messaging.suppressionsEmptyDescription')}
          />
        </Paper>
      );
    }
    return (
      <Stack gap="sm">
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={720} type="native">
            <Table verticalSpacing="sm" aria-label={t('messaging.suppressionsTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('messaging.columnContact')}</Table.Th>
                  <Table.Th>{t('messaging.columnChannel')}</Table.Th>
                  <Table.Th>{t('messaging.columnReason')}</Table.Th>
                  <Table.Th>{t('messaging.columnSince')}</Table.Th>
                  {canManage && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      {canOpenContact ? (
                        <Anchor component={Link} to={`/contacts/${item.contactId}`} size="sm">
                          {t('messaging.openContact')}
                        </Anchor>
                      ) : (
                        <Text size="xs" ff="monospace" c="dimmed">
                          {item.contactId.slice(0, 8)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{channelLabel(i18n, item.channel)}</Table.Td>
                    <Table.Td>
                      <Badge color={REASON_COLOR[item.reason]} variant="light" tt="none">
                        {suppressionReasonLabel(i18n, item.reason)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(item.createdAt)}</Text>
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          onClick={() => setRemoving(item)}
                        >
                          {t('messaging.remove')}
                        </Button>
                      </Table.Td>
                    )}
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
            label={t('messaging.suppressionsPages')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <>
      <PageHeader
        title={t('messaging.suppressionsTitle')}
        description={t('messaging.suppressionsDescription')}
      />
      <Stack gap="md">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t('messaging.columnChannel')}
            data={[
              { value: ALL, label: t('messaging.filterAll') },
              ...SUPPRESSION_CHANNELS.map((value) => ({ value, label: channelLabel(i18n, value) })),
            ]}
            value={channel || ALL}
            onChange={(value) => {
              setChannel(value && value !== ALL ? (value as SuppressionChannel) : '');
              setPage(1);
            }}
            allowDeselect={false}
            w={{ base: '100%', sm: 220 }}
          />
          <Select
            label={t('messaging.columnReason')}
            data={[
              { value: ALL, label: t('messaging.filterAll') },
              ...SUPPRESSION_REASONS.map((value) => ({
                value,
                label: suppressionReasonLabel(i18n, value),
              })),
            ]}
            value={reason || ALL}
            onChange={(value) => {
              setReason(value && value !== ALL ? (value as SuppressionReason) : '');
              setPage(1);
            }}
            allowDeselect={false}
            w={{ base: '100%', sm: 260 }}
          />
        </Group>
        {renderBody()}
      </Stack>
      <RemoveModal
        suppression={removing}
        onClose={() => setRemoving(null)}
        onRemoved={query.reload}
      />
    </>
  );
}

function RemoveModal({
  suppression,
  onClose,
  onRemoved,
}: {
  suppression: Suppression | null;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const close = () => {
    if (isBusy) return;
    setReason('');
    setError(null);
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!suppression) return;
    setIsBusy(true);
    try {
      await api.post(
        `/api/v1/messaging/suppressions/${encodeURIComponent(suppression.id)}/remove`,
        { reason: reason.trim() },
      );
      setIsBusy(false);
      onRemoved();
      close();
    } catch (caught) {
      setError(caught);
      setIsBusy(false);
    }
  };
  return (
    <Modal
      opened={suppression !== null}
      onClose={close}
      title={<Text fw={600}>{t('messaging.removeTitle')}</Text>}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('messaging.removeText')}
          </Text>
          <Textarea
            label={t('messaging.removeReason')}
            required
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            maxLength={1000}
            autosize
            minRows={2}
          />
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={isBusy} disabled={reason.trim().length < 3}>
              {t('messaging.remove')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
