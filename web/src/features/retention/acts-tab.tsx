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
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconDownload, IconExternalLink, IconFileCertificate } from '@tabler/icons-react';
import { useState } from 'react';
import { withQuery } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { DetailList } from '../../ui/detail-list.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import { type Act, type ActSummary, reasonLabel } from './retention-types.ts';

function actUrl(id: string, format: 'html' | 'pdf'): string {
  return `/api/v1/retention/acts/${id}/${format}`;
}

/** The act as the inspector will read it: every Order 179 field, then the extract. */
function ActModal({ actId, onClose }: { actId: string | null; onClose: () => void }) {
  const i18n = useI18n();
  const { t, formatDateTime, formatDate } = i18n;
  const query = useApiQuery<Act>(actId ? `/api/v1/retention/acts/${actId}` : null);
  const act = query.data?.id === actId ? query.data : null;

  const renderBody = () => {
    if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
    if (!act) return <PageLoader />;
    const { content } = act;
    return (
      <Stack gap="md">
        <Group gap="sm">
          <Button
            component="a"
            href={actUrl(act.id, 'html')}
            target="_blank"
            rel="noopener"
            variant="light"
            leftSection={<IconExternalLink size={16} />}
          >
            {t('retention.openHtml')}
          </Button>
          <Button
            component="a"
            href={actUrl(act.id, 'pdf')}
            download
            variant="light"
            leftSection={<IconDownload size={16} />}
          >
            {t('retention.downloadPdf')}
          </Button>
          <Badge color={act.isSignatureValid ? 'green' : 'red'} variant="light" tt="none">
            {act.isSignatureValid ? t('retention.signatureValid') : t('retention.signatureInvalid')}
          </Badge>
        </Group>
        <DetailList
          items={[
            {
              label: t('retention.actOperator'),
              value: `${content.operator.name}${content.operator.inn ? `, ИНН ${content.operator.inn}` : ''}`,
            },
            { label: t('retention.actOperatorAddress'), value: content.operator.address },
            {
              label: t('retention.actProcessor'),
              value:
                content.processors.length > 0
                  ? content.processors
                      .map((processor) => `${processor.name}, ${processor.address}`)
                      .join('; ')
                  : t('retention.actNoProcessor'),
            },
            { label: t('retention.actDate'), value: formatDateTime(content.date) },
            { label: t('retention.actSystem'), value: content.informationSystem, isWide: true },
            { label: t('retention.actMethod'), value: content.method, isWide: true },
            {
              label: t('retention.actReason'),
              value: content.reasons
                .map((reason) => `${reason.text} (${reason.subjects})`)
                .join('; '),
              isWide: true,
            },
            {
              label: t('retention.actCategories'),
              value: content.categories.join('; '),
              isWide: true,
            },
            { label: t('retention.actKeepUntil'), value: formatDate(act.keepUntil) },
          ]}
        />
        <Title order={3} size="h5">
          {t('retention.actSubjects')}
        </Title>
        <Table.ScrollContainer minWidth={520} type="native">
          <Table withTableBorder verticalSpacing="xs">
            <Table.Tbody>
              {content.subjects.map((subject, index) => (
                <Table.Tr key={subject.contactId}>
                  <Table.Td w={40}>{index + 1}</Table.Td>
                  <Table.Td>
                    {[subject.name, subject.phone, subject.email].filter(Boolean).join(', ') ||
                      t('common.dash')}
                  </Table.Td>
                  <Table.Td ff="monospace" fz="xs">
                    {subject.contactId}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Title order={3} size="h5">
          {t('retention.actDestroyedBy')}
        </Title>
        <Stack gap={6}>
          {content.destroyedBy.map((person) => (
            <Paper key={`${person.name}-${person.position}`} withBorder p="xs" radius="sm">
              <Text size="sm" fw={600}>
                {person.name}
              </Text>
              <Text size="xs" c="dimmed">
                {person.position}
              </Text>
              <Text size="xs">{person.signature}</Text>
            </Paper>
          ))}
        </Stack>
        <Title order={3} size="h5">
          {t('retention.actExtract')}
        </Title>
        <Table.ScrollContainer minWidth={640} type="native">
          <Table withTableBorder verticalSpacing="xs" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('retention.columnSubject')}</Table.Th>
                <Table.Th>{t('retention.actCategories')}</Table.Th>
                <Table.Th>{t('retention.columnReason')}</Table.Th>
                <Table.Th>{t('retention.actDate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {content.extract.entries.map((entry) => (
                <Table.Tr key={entry.contactId}>
                  <Table.Td>{entry.subject}</Table.Td>
                  <Table.Td>{entry.categories.join('; ')}</Table.Td>
                  <Table.Td>{entry.reason}</Table.Td>
                  <Table.Td>{formatDateTime(entry.destroyedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
          SHA-256: {act.contentSha256}
        </Text>
      </Stack>
    );
  };

  return (
    <Modal
      opened={actId !== null}
      onClose={onClose}
      size="xl"
      title={act ? t('retention.actTitle', { number: act.number }) : t('retention.tabActs')}
    >
      {renderBody()}
    </Modal>
  );
}

/** Destruction acts with their extracts, kept three years (R-D6). */
export function ActsTab() {
  const i18n = useI18n();
  const { t, formatDateTime, formatDate } = i18n;
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [openActId, setOpenActId] = useState<string | null>(null);
  const query = useApiQuery<Page<ActSummary>>(
    withQuery('/api/v1/retention/acts', { page, pageSize }),
  );

  if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (query.data === null) return <PageLoader />;
  if (query.data.items.length === 0) {
    return (
      <Paper withBorder radius="md" py={48} px="md">
        <EmptyState
          icon={<IconFileCertificate size={28} />}
          withIndicatorBackground
          title={t('retention.actsEmpty')}
          description={t('retention.actsEmptyDescription')}
        />
      </Paper>
    );
  }
  return (
    <Stack gap="sm">
      <Paper withBorder radius="md" pos="relative">
        <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
        <Table.ScrollContainer minWidth={760} type="native">
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('retention.tabActs')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('retention.columnNumber')}</Table.Th>
                <Table.Th>{t('retention.actDate')}</Table.Th>
                <Table.Th>{t('retention.columnSubjects')}</Table.Th>
                <Table.Th>{t('retention.columnReason')}</Table.Th>
                <Table.Th>{t('retention.actKeepUntil')}</Table.Th>
                <Table.Th>{t('retention.columnFiles')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((act) => (
                <Table.Tr key={act.id}>
                  <Table.Td>
                    <Anchor
                      component="button"
                      type="button"
                      fw={600}
                      onClick={() => setOpenActId(act.id)}
                    >
                      {t('retention.actNumber', { number: act.number })}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDateTime(act.destroyedAt)}</Table.Td>
                  <Table.Td>{act.subjectsCount}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {act.reasons.map((reason) => reasonLabel(i18n, reason)).join(', ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDate(act.keepUntil)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor
                        href={actUrl(act.id, 'html')}
                        target="_blank"
                        rel="noopener"
                        size="sm"
                      >
                        HTML
                      </Anchor>
                      <Anchor href={actUrl(act.id, 'pdf')} download size="sm">
                        PDF
                      </Anchor>
                    </Group>
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
          label={t('retention.actsPages')}
        />
      </Box>
      <ActModal actId={openActId} onClose={() => setOpenActId(null)} />
    </Stack>
  );
}
