import {
  Anchor,
  Button,
  EmptyState,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPhone, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import { type Audience, AudienceFields, audienceBody, EMPTY_AUDIENCE } from './audience-fields.tsx';
import type { CallListView } from './outbound-types.ts';
import { ReasonCounts } from './reason-badge.tsx';

function NewCallListModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [audience, setAudience] = useState<Audience>(EMPTY_AUDIENCE);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);

  const submit = async () => {
    setIsSaving(true);
    setError(null);
    try {
      const created = await api.post<CallListView>('/api/v1/call-lists', {
        ...audienceBody(audience),
        ...(title.trim() ? { title: title.trim() } : {}),
      });
      navigate(`/call-lists/${created.id}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('callLists.create')} size="lg">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('callLists.createHint')}
        </Text>
        <TextInput
          label={t('callLists.title')}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          maxLength={300}
        />
        <AudienceFields value={audience} onChange={setAudience} />
        {error !== null && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={isSaving} disabled={!audience.purposeCode}>
            {t('callLists.build')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Call lists for the front desk: each person checked for a call before anyone dials. */
export function CallListsPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [isCreating, setIsCreating] = useState(false);
  const query = useApiQuery<Page<CallListView>>(
    `/api/v1/call-lists?page=${page}&pageSize=${pageSize}`,
  );

  const renderBody = () => {
    if (query.error !== null) {
      return <ErrorAlert error={query.error} onRetry={query.reload} />;
    }
    if (query.data === null) {
      return <PageLoader />;
    }
    if (query.data.total === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconPhone size={28} />}
            withIndicatorBackground
            title={t('callLists.empty')}
            description={t('callLists.emptyDescription')}
          >
            <EmptyState.Actions>
              <Button leftSection={<IconPlus size={16} />} onClick={() => setIsCreating(true)}>
                {t('callLists.create')}
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
      );
    }
    return (
      <Stack gap="md">
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={800} type="native">
            <Table verticalSpacing="sm" aria-label={t('callLists.listTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('callLists.title')}</Table.Th>
                  <Table.Th>{t('outbound.purpose')}</Table.Th>
                  <Table.Th>{t('callLists.columnAllowed')}</Table.Th>
                  <Table.Th>{t('callLists.columnRefused')}</Table.Th>
                  <Table.Th>{t('outbound.columnCreated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((list) => (
                  <Table.Tr key={list.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/call-lists/${list.id}`} size="sm" fw={500}>
                        {list.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {list.purposeCode}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {t('callLists.allowedOf', {
                          allowed: formatNumber(list.allowed),
                          total: formatNumber(list.total),
                        })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ReasonCounts counts={list.refused} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(list.createdAt)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <Pager
          page={page}
          pageSize={pageSize}
          total={query.data.total}
          onPageChange={setPage}
          onPageSizeChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          label={t('callLists.pages')}
        />
      </Stack>
    );
  };

  return (
    <>
      <PageHeader
        title={t('callLists.listTitle')}
        description={t('callLists.listDescription')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setIsCreating(true)}>
            {t('callLists.create')}
          </Button>
        }
      />
      {renderBody()}
      {isCreating && <NewCallListModal opened onClose={() => setIsCreating(false)} />}
    </>
  );
}
