import {
  Badge,
  Box,
  Button,
  EmptyState,
  Group,
  LoadingOverlay,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLock, IconPlus } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api, withQuery } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import type { LegalHold } from './retention-types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function PlaceHoldModal({
  opened,
  onClose,
  onPlaced,
}: {
  opened: boolean;
  onClose: () => void;
  onPlaced: () => void;
}) {
  const { t } = useI18n();
  const [scope, setScope] = useState<'contact' | 'org'>('contact');
  const [contactId, setContactId] = useState('');
  const [reason, setReason] = useState('');
  const [untilDate, setUntilDate] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [isSubmitted, setIsSubmitted] = useState(false);
  const contactError =
    scope === 'contact' && !UUID.test(contactId.trim()) ? t('retention.holdContactInvalid') : null;
  const reasonError = reason.trim().length < 3 ? t('validation.required') : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIsSubmitted(true);
    if (contactError || reasonError) return;
    setIsBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/retention/holds', {
        contactId: scope === 'contact' ? contactId.trim() : null,
        reason: reason.trim(),
        untilDate: untilDate || null,
      });
      setContactId('');
      setReason('');
      setUntilDate('');
      setIsSubmitted(false);
      onPlaced();
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('retention.holdCreateTitle')} size="lg">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('retention.holdExplanation')}
          </Text>
          <SegmentedControl
            value={scope}
            onChange={(value) => setScope(value === 'org' ? 'org' : 'contact')}
            data={[
              { value: 'contact', label: t('retention.holdScopeContact') },
              { value: 'org', label: t('retention.holdScopeOrg') },
            ]}
          />
          {scope === 'contact' && (
            <TextInput
              label={t('retention.holdContact')}
              description={t('retention.holdContactHint')}
              value={contactId}
              onChange={(event) => setContactId(event.currentTarget.value)}
              error={isSubmitted ? contactError : undefined}
              ff="monospace"
              required
            />
          )}
          <Textarea
            label={t('retention.holdReason')}
            description={t('retention.holdReasonHint')}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={isSubmitted ? reasonError : undefined}
            autosize
            minRows={2}
            maxLength={1000}
            required
          />
          <TextInput
            type="date"
            label={t('retention.holdUntil')}
            description={t('retention.holdUntilHint')}
            value={untilDate}
            onChange={(event) => setUntilDate(event.currentTarget.value)}
            w={220}
          />
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isBusy}>
              {t('retention.holdPlace')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ReleaseModal({
  hold,
  onClose,
  onReleased,
}: {
  hold: LegalHold | null;
  onClose: () => void;
  onReleased: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!hold || reason.trim().length < 3) return;
    setIsBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/retention/holds/${hold.id}/release`, { reason: reason.trim() });
      setReason('');
      onReleased();
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <Modal opened={hold !== null} onClose={onClose} title={t('retention.holdReleaseTitle')}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('retention.holdReleaseText')}</Text>
          <Textarea
            label={t('retention.holdReleaseReason')}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={1000}
            required
            data-autofocus
          />
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color="orange"
              loading={isBusy}
              disabled={reason.trim().length < 3}
            >
              {t('retention.holdRelease')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Legal holds: while one is in force, nothing it covers is destroyed. */
export function HoldsTab({ canManage }: { canManage: boolean }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const [filter, setFilter] = useState('true');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [isCreateOpen, createModal] = useDisclosure(false);
  const [releasing, setReleasing] = useState<LegalHold | null>(null);
  const query = useApiQuery<Page<LegalHold>>(
    withQuery('/api/v1/retention/holds', {
      page,
      pageSize,
      isActive: filter === 'all' ? null : filter,
    }),
  );

  const renderBody = () => {
    if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
    if (query.data === null) return <PageLoader />;
    if (query.data.items.length === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconLock size={28} />}
            withIndicatorBackground
            title={t('retention.holdsEmpty')}
            description={t('retention.holdsEmptyDescription')}
          />
        </Paper>
      );
    }
    return (
      <Stack gap="sm">
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={720} type="native">
            <Table verticalSpacing="sm" aria-label={t('retention.tabHolds')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('retention.holdScope')}</Table.Th>
                  <Table.Th>{t('retention.holdReason')}</Table.Th>
                  <Table.Th>{t('retention.holdPlaced')}</Table.Th>
                  <Table.Th>{t('retention.holdUntil')}</Table.Th>
                  <Table.Th>{t('retention.columnStatus')}</Table.Th>
                  {canManage && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((hold) => (
                  <Table.Tr key={hold.id}>
                    <Table.Td>
                      {hold.contactId ? (
                        <Text size="sm" ff="monospace">
                          {hold.contactId.slice(0, 8)}
                        </Text>
                      ) : (
                        <Badge color="orange" variant="light" tt="none">
                          {t('retention.holdScopeOrg')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{hold.reason}</Text>
                      {hold.releaseReason && (
                        <Text size="xs" c="dimmed">
                          {t('retention.holdReleasedBecause', { reason: hold.releaseReason })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{formatDateTime(hold.createdAt)}</Table.Td>
                    <Table.Td>
                      {hold.untilAt ? formatDate(hold.untilAt) : t('retention.holdNoEnd')}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={hold.isActive ? 'yellow' : 'gray'} variant="light" tt="none">
                        {hold.isActive ? t('retention.holdActive') : t('retention.holdInactive')}
                      </Badge>
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        {hold.releasedAt === null && (
                          <Button
                            size="xs"
                            variant="subtle"
                            color="orange"
                            onClick={() => setReleasing(hold)}
                          >
                            {t('retention.holdRelease')}
                          </Button>
                        )}
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
            label={t('retention.holdsPages')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <SegmentedControl
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setPage(1);
          }}
          data={[
            { value: 'true', label: t('retention.holdsFilterActive') },
            { value: 'false', label: t('retention.holdsFilterInactive') },
            { value: 'all', label: t('retention.filterAll') },
          ]}
          aria-label={t('retention.tabHolds')}
        />
        {canManage && (
          <Button leftSection={<IconPlus size={16} />} variant="light" onClick={createModal.open}>
            {t('retention.holdPlace')}
          </Button>
        )}
      </Group>
      {renderBody()}
      <PlaceHoldModal opened={isCreateOpen} onClose={createModal.close} onPlaced={query.reload} />
      <ReleaseModal hold={releasing} onClose={() => setReleasing(null)} onReleased={query.reload} />
    </Stack>
  );
}
