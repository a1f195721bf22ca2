import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  List,
  Modal,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconFileText, IconHistory, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../app/api-client.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { CopyField } from '../../ui/copy-field.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import type {
  AcknowledgementStatus,
  DocumentKind,
  DocumentList,
  DocumentSummary,
  DocumentVersion,
  GenerateResult,
} from './documents-types.ts';

function VersionsModal({ kind, onClose }: { kind: DocumentKind | null; onClose: () => void }) {
  const { t, formatDateTime } = useI18n();
  const query = useApiQuery<{ items: DocumentVersion[] }>(
    kind ? `/api/v1/compliance/documents/${kind}/versions` : null,
  );
  return (
    <Modal opened={kind !== null} onClose={onClose} title={t('documents.versions')} size="xl">
      {query.error !== null && <ErrorAlert error={query.error} onRetry={query.reload} />}
      {!query.data && query.error === null && <PageLoader py={24} />}
      {query.data && (
        <Table.ScrollContainer minWidth={560} type="native">
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('documents.version')}</Table.Th>
                <Table.Th>{t('documents.createdAt')}</Table.Th>
                <Table.Th>SHA-256</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((version) => (
                <Table.Tr key={version.id}>
                  <Table.Td>
                    <Anchor href={version.url} target="_blank" rel="noopener">
                      {t('documents.versionShort', { version: version.version })}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDateTime(version.createdAt)}</Table.Td>
                  <Table.Td>
                    <Code fz="xs">{version.sha256}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Modal>
  );
}

function DocumentCard({
  item,
  onVersions,
}: {
  item: DocumentSummary;
  onVersions: (kind: DocumentKind) => void;
}) {
  const { t, formatDateTime } = useI18n();
  const status = !item.latest
    ? { color: 'gray', label: t('documents.statusMissing') }
    : item.isOutdated
      ? { color: 'orange', label: t('documents.statusOutdated') }
      : { color: 'green', label: t('documents.statusCurrent') };
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={item.title}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Title order={3} size="h5" maw={720}>
            {item.title}
          </Title>
          <Badge color={status.color} variant="light" tt="none">
            {status.label}
          </Badge>
        </Group>
        {item.latest && (
          <>
            <Text size="sm">
              {t('documents.versionShort', { version: item.latest.version })} ·{' '}
              {formatDateTime(item.latest.createdAt)} ·{' '}
              <Anchor href={item.latest.url} target="_blank" rel="noopener">
                {t('documents.open')}
              </Anchor>{' '}
              ·{' '}
              <Anchor href={`${item.latest.url}.pdf`} target="_blank" rel="noopener">
                PDF
              </Anchor>
            </Text>
            <Text size="xs" c="dimmed">
              SHA-256: <Code fz="xs">{item.latest.sha256}</Code>
            </Text>
            <CopyField label={t('documents.latestUrl')} value={item.latestUrl} />
          </>
        )}
        {item.gaps.length > 0 && (
          <Alert color="orange" title={t('documents.gaps')} p="xs">
            <List size="sm">
              {item.gaps.map((gap) => (
                <List.Item key={`${gap.code}-${gap.purposeCode ?? ''}`}>{gap.message}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {item.versionCount > 0 && (
          <Group>
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconHistory size={14} />}
              onClick={() => onVersions(item.kind)}
            >
              {t('documents.versionsCount', { count: item.versionCount })}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function AcknowledgementsPanel({ canManage }: { canManage: boolean }) {
  const { t, formatDateTime } = useI18n();
  const query = useApiQuery<AcknowledgementStatus>('/api/v1/compliance/acknowledgements');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const status = query.data;
  if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (!status) return <PageLoader py={24} />;

  const toggle = async (isRequired: boolean) => {
    setIsBusy(true);
    setError(null);
    try {
      await api.put('/api/v1/compliance/settings', { isAcknowledgementRequired: isRequired });
      query.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-label={t('documents.acknowledgements')}
    >
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('documents.acknowledgements')}
        </Title>
        <Text size="sm" c="dimmed">
          {status.document
            ? t('documents.acknowledgementsOf', {
                title: status.document.title,
                version: status.document.version,
              })
            : t('documents.acknowledgementsNone')}
        </Text>
        {canManage && (
          <Switch
            checked={status.isRequired}
            disabled={isBusy || !status.document}
            onChange={(event) => void toggle(event.currentTarget.checked)}
            label={t('documents.requireAcknowledgement')}
            description={t('documents.requireAcknowledgementHint')}
          />
        )}
        {error !== null && <ErrorAlert error={error} onClose={() => setError(null)} />}
        {status.members && status.document && (
          <Table.ScrollContainer minWidth={420} type="native">
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('documents.member')}</Table.Th>
                  <Table.Th>{t('documents.acknowledgedAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {status.members.map((member) => (
                  <Table.Tr key={member.userId}>
                    <Table.Td>
                      {member.name}{' '}
                      <Text span size="xs" c="dimmed">
                        {t(`role.${member.role}` as never)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {member.acknowledgedAt ? (
                        formatDateTime(member.acknowledgedAt)
                      ) : (
                        <Badge color="orange" variant="light" tt="none">
                          {t('documents.notAcknowledged')}
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

type PurposeDocuments = {
  items: {
    code: string;
    archivedAt: string | null;
    document: {
      id: string;
      version: number;
      title: string;
      sha256: string;
      url: string;
      createdAt: string;
    } | null;
  }[];
};

/** The consent texts of the registry (R-C2, R-C4): one document per purpose version. */
function ConsentDocuments() {
  const { t, formatDateTime } = useI18n();
  const query = useApiQuery<PurposeDocuments>('/api/v1/purposes');
  if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (!query.data) return <PageLoader py={24} />;
  const documents = query.data.items.flatMap((purpose) =>
    purpose.document && purpose.archivedAt === null ? [purpose.document] : [],
  );
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={t('documents.consents')}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('documents.consents')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('documents.consentsHint')}
        </Text>
        {documents.length === 0 ? (
          <Text size="sm">{t('documents.consentsEmpty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560} type="native">
            <Table verticalSpacing="xs">
              <Table.Tbody>
                {documents.map((document) => (
                  <Table.Tr key={document.id}>
                    <Table.Td>
                      <Anchor href={document.url} target="_blank" rel="noopener">
                        {document.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {t('documents.versionShort', { version: document.version })},{' '}
                      {formatDateTime(document.createdAt)}
                    </Table.Td>
                    <Table.Td>
                      <Code fz="xs">{document.sha256}</Code>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

/** «Документы»: generated documents, their versions with hashes and public links, gaps. */
export function DocumentsPage() {
  const { t } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'documents.manage');
  const query = useApiQuery<DocumentList>('/api/v1/compliance/documents');
  const [versionsOf, setVersionsOf] = useState<DocumentKind | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<GenerateResult | null>(null);

  const generate = async () => {
    setIsBusy(true);
    setError(null);
    try {
      setResult(await api.post<GenerateResult>('/api/v1/compliance/documents/generate', {}));
      query.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t('documents.title')}
        description={t('documents.description')}
        actions={
          canManage && (
            <Button
              leftSection={<IconRefresh size={16} />}
              onClick={() => void generate()}
              loading={isBusy}
            >
              {t('documents.generate')}
            </Button>
          )
        }
      />
      <Stack gap="md">
        {error !== null && <ErrorAlert error={error} onClose={() => setError(null)} />}
        {result && (
          <Alert
            color="blue"
            withCloseButton
            onClose={() => setResult(null)}
            icon={<IconFileText size={18} />}
          >
            {t('documents.generated', {
              created: result.created.length,
              unchanged: result.unchanged.length,
              refused: result.refused.length,
            })}
          </Alert>
        )}
        {query.error !== null && <ErrorAlert error={query.error} onRetry={query.reload} />}
        {!query.data && query.error === null && <PageLoader />}
        {query.data && (
          <>
            <Text size="sm">
              {query.data.policyUrl ? (
                <>
                  {t('documents.formsLink')}{' '}
                  <Anchor href={query.data.policyUrl} target="_blank" rel="noopener">
                    {query.data.policyUrl}
                  </Anchor>
                </>
              ) : (
                <Text span c="orange.8">
                  {t('documents.formsNoPolicy')}
                </Text>
              )}
            </Text>
            {query.data.items.map((item) => (
              <DocumentCard key={item.kind} item={item} onVersions={setVersionsOf} />
            ))}
            <ConsentDocuments />
            <AcknowledgementsPanel canManage={canManage} />
          </>
        )}
      </Stack>
      <VersionsModal kind={versionsOf} onClose={() => setVersionsOf(null)} />
    </>
  );
}
