import { Button, EmptyState, Group, Modal, Paper, Stack, Table, Text } from '@mantine/core';
import { IconDownload, IconFileExport, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import { type Audience, AudienceFields, audienceBody, EMPTY_AUDIENCE } from './audience-fields.tsx';
import type { ExportView } from './outbound-types.ts';
import { ReasonCounts } from './reason-badge.tsx';

/** Who is in and who is left out (and why), then the CSV to download. */
function ExportDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const { t, formatNumber } = useI18n();
  const [audience, setAudience] = useState<Audience>(EMPTY_AUDIENCE);
  const [created, setCreated] = useState<ExportView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);

  const submit = async () => {
    setIsSaving(true);
    setError(null);
    try {
      setCreated(await api.post<ExportView>('/api/v1/contact-exports', audienceBody(audience)));
      onCreated();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('exports.create')} size="lg">
      {created === null ? (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('exports.createHint')}
          </Text>
          <AudienceFields value={audience} onChange={setAudience} />
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button onClick={submit} loading={isSaving} disabled={!audience.purposeCode}>
              {t('exports.check')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm">
            {t('exports.result', {
              exported: formatNumber(created.exported),
              total: formatNumber(created.total),
            })}
          </Text>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('exports.excluded')}
            </Text>
            <ReasonCounts counts={created.excluded} />
          </Stack>
          <Text size="xs" c="dimmed">
            {t('exports.logged')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.close')}
            </Button>
            <Button
              component="a"
              href={created.csvUrl}
              download
              leftSection={<IconDownload size={16} />}
              disabled={created.exported === 0}
            >
              {t('exports.download')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** Exports of contacts: each one recorded with who, when, the purpose and the exclusions. */
export function ExportsPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [isCreating, setIsCreating] = useState(false);
  const query = useApiQuery<Page<ExportView>>(
    `/api/v1/contact-exports?page=${page}&pageSize=${pageSize}`,
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
            icon={<IconFileExport size={28} />}
            withIndicatorBackground
            title={t('exports.empty')}
            description={t('exports.emptyDescription')}
          />
        </Paper>
      );
    }
    return (
      <Stack gap="md">
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={800} type="native">
            <Table verticalSpacing="sm" aria-label={t('exports.listTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('outbound.columnCreated')}</Table.Th>
                  <Table.Th>{t('outbound.purpose')}</Table.Th>
                  <Table.Th>{t('exports.columnExported')}</Table.Th>
                  <Table.Th>{t('exports.excluded')}</Table.Th>
                  <Table.Th>{t('exports.columnDownloaded')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(item.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {item.purposeCode}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {t('callLists.allowedOf', {
                          allowed: formatNumber(item.exported),
                          total: formatNumber(item.total),
                        })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ReasonCounts counts={item.excluded} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(item.downloadedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {item.exported > 0 && (
                        <Button
                          component="a"
                          href={item.csvUrl}
                          download
                          size="xs"
                          variant="light"
                          leftSection={<IconDownload size={14} />}
                        >
                          CSV
                        </Button>
                      )}
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
          label={t('exports.pages')}
        />
      </Stack>
    );
  };

  return (
    <>
      <PageHeader
        title={t('exports.listTitle')}
        description={t('exports.listDescription')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setIsCreating(true)}>
            {t('exports.create')}
          </Button>
        }
      />
      {renderBody()}
      {isCreating && <ExportDialog onClose={() => setIsCreating(false)} onCreated={query.reload} />}
    </>
  );
}
