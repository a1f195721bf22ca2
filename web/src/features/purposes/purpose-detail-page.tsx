import {
  Accordion,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconArrowLeft,
  IconCheck,
  IconExternalLink,
  IconFileText,
  IconGitBranch,
} from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { isApiError } from '../../app/api-client.ts';
import type { ConsentDocument, Purpose, PurposeHistory } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { CopyField } from '../../ui/copy-field.tsx';
import { DetailList } from '../../ui/detail-list.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { NotFoundPage } from '../../ui/status-page.tsx';
import { PurposeDrawer } from './purpose-drawer.tsx';
import {
  channelLabel,
  countryName,
  KIND_COLOR,
  kindLabel,
  legalBasisLabel,
  retentionLabel,
} from './purpose-labels.ts';

type LocationState = { created?: boolean } | null;

/** The exact consent text, as the person reads it, with its hash and public address. */
export function DocumentText({ document }: { document: ConsentDocument }) {
  const { t } = useI18n();
  return (
    <Stack gap="sm">
      <Paper
        withBorder
        radius="sm"
        p="md"
        bg="var(--mantine-color-gray-0)"
        aria-label={t('purposes.documentText', { version: document.version })}
        component="article"
      >
        <Text
          size="sm"
          style={{ whiteSpace: 'pre-wrap', lineHeight: 1.65, maxWidth: '80ch' }}
          data-testid="document-body"
        >
          {document.body}
        </Text>
      </Paper>
      <CopyField label={t('purposes.documentSha256')} value={document.sha256} />
      <Group gap="xs">
        <Anchor href={document.url} target="_blank" rel="noopener noreferrer" size="sm">
          <Group gap={4} component="span" wrap="nowrap">
            {t('purposes.documentPublicLink')}
            <IconExternalLink size={14} />
          </Group>
        </Anchor>
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
          {document.url}
        </Text>
      </Group>
    </Stack>
  );
}

function CurrentVersion({ purpose }: { purpose: Purpose }) {
  const i18n = useI18n();
  const { t, locale, formatDateTime } = i18n;
  const version = purpose.currentVersion;
  return (
    <Paper withBorder radius="md" p="lg" component="section">
      <Title order={2} size="h4" mb="md">
        {t('purposes.currentVersion', { version: version.version })}
      </Title>
      <DetailList
        items={[
          {
            label: t('purposes.kind'),
            value: (
              <Badge variant="light" color={KIND_COLOR[purpose.kind]} radius="sm" tt="none">
                {kindLabel(i18n, purpose.kind)}
              </Badge>
            ),
          },
          { label: t('purposes.legalBasis'), value: legalBasisLabel(i18n, version.legalBasis) },
          {
            label: t('purposes.dataCategories'),
            isWide: true,
            value: (
              <Group gap={6} component="span">
                {version.dataCategories.map((category) => (
                  <Badge
                    key={category.code}
                    variant={category.isSpecial ? 'light' : 'outline'}
                    color={category.isSpecial ? 'red' : 'gray'}
                    tt="none"
                    radius="sm"
                    title={category.code}
                  >
                    {category.isSpecial
                      ? t('purposes.specialCategoryBadge', { title: category.title })
                      : category.title}
                  </Badge>
                ))}
              </Group>
            ),
          },
          { label: t('purposes.subjectCategories'), value: version.subjectCategories.join(', ') },
          { label: t('purposes.actions'), value: version.actions.join(', ') },
          { label: t('purposes.methods'), value: version.methods },
          {
            label: t('purposes.channels'),
            value: version.channels.map((channel) => channelLabel(i18n, channel)).join(', '),
          },
          ...(version.recipients.length > 0
            ? [
                {
                  label: t('purposes.recipients'),
                  isWide: true,
                  value: (
                    <Stack gap={2} component="span">
                      {version.recipients.map((recipient) => (
                        <Text size="sm" key={`${recipient.name}|${recipient.address}`} span>
                          {recipient.name}, {recipient.address} —{' '}
                          {countryName(locale, recipient.country)}
                          {recipient.country !== 'RU' && (
                            <Badge ml={6} size="xs" color="orange" variant="light" tt="none">
                              {t('purposes.crossBorder')}
                            </Badge>
                          )}
                        </Text>
                      ))}
                    </Stack>
                  ),
                },
              ]
            : []),
          {
            label: t('purposes.retention'),
            value: retentionLabel(locale, version.retentionDays),
          },
          {
            label: t('purposes.writtenConsent'),
            value: version.isWrittenConsentRequired ? t('common.yes') : t('common.no'),
          },
          { label: t('purposes.versionCreatedAt'), value: formatDateTime(version.createdAt) },
        ]}
      />
    </Paper>
  );
}

function Documents({ purpose, history }: { purpose: Purpose; history: PurposeHistory }) {
  const { t, formatDateTime } = useI18n();
  const currentId = purpose.document?.id ?? null;
  if (history.documents.length === 0) {
    return (
      <Paper withBorder radius="md" p="lg" component="section">
        <Title order={2} size="h4" mb="xs">
          {t('purposes.documents')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('purposes.noDocumentsForBasis')}
        </Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder radius="md" p="lg" component="section">
      <Stack gap={4} mb="md">
        <Title order={2} size="h4">
          {t('purposes.documents')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('purposes.documentsHint')}
        </Text>
      </Stack>
      <Accordion
        key={currentId ?? 'none'}
        multiple
        variant="separated"
        defaultValue={currentId ? [currentId] : []}
        chevronPosition="left"
      >
        {history.documents.map((document) => (
          <Accordion.Item key={document.id} value={document.id}>
            <Accordion.Control icon={<IconFileText size={18} />}>
              <Group gap="sm" wrap="wrap">
                <Text fw={600} size="sm">
                  {t('purposes.documentVersion', { version: document.version })}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('purposes.documentForVersion', { version: document.purposeVersion })}
                </Text>
                <Text size="sm" c="dimmed">
                  {formatDateTime(document.createdAt)}
                </Text>
                {document.id === currentId && (
                  <Badge color="teal" variant="light" radius="sm" tt="none">
                    {t('purposes.documentCurrent')}
                  </Badge>
                )}
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <DocumentText document={document} />
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Paper>
  );
}

function VersionHistory({ history }: { history: PurposeHistory }) {
  const i18n = useI18n();
  const { t, locale, formatDateTime } = i18n;
  return (
    <Paper withBorder radius="md" component="section">
      <Group gap="xs" p="lg" pb="sm">
        <IconGitBranch size={18} />
        <Title order={2} size="h4">
          {t('purposes.history')}
        </Title>
      </Group>
      <Table.ScrollContainer minWidth={720} type="native">
        <Table verticalSpacing="sm" aria-label={t('purposes.history')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('purposes.columnVersion')}</Table.Th>
              <Table.Th>{t('purposes.versionCreatedAt')}</Table.Th>
              <Table.Th>{t('purposes.fieldTitle')}</Table.Th>
              <Table.Th>{t('purposes.columnBasis')}</Table.Th>
              <Table.Th>{t('purposes.columnRetention')}</Table.Th>
              <Table.Th>{t('purposes.columnDocument')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.versions.map((version) => {
              const documents = history.documents.filter(
                (document) => document.purposeVersion === version.version,
              );
              return (
                <Table.Tr key={version.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {t('purposes.versionNumber', { version: version.version })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(version.createdAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{version.title}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{legalBasisLabel(i18n, version.legalBasis)}</Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{retentionLabel(locale, version.retentionDays)}</Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {documents.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('common.dash')}
                      </Text>
                    ) : (
                      <Group gap={6}>
                        {documents.map((document) => (
                          <Anchor
                            key={document.id}
                            href={document.url}
                            target="_blank"
                            rel="noopener noreferrer"
                            size="sm"
                          >
                            {t('purposes.documentVersion', { version: document.version })}
                          </Anchor>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

export function PurposeDetailPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { code = '' } = useParams();
  const location = useLocation();
  const me = useMe();
  const canManage = hasPermission(me, 'purposes.manage');
  const path = `/api/v1/purposes/${encodeURIComponent(code)}`;
  const purposeQuery = useApiQuery<Purpose>(path);
  const historyQuery = useApiQuery<PurposeHistory>(`${path}/history`);
  const [isReviseOpen, reviseDrawer] = useDisclosure(false);
  const [drawerKey, setDrawerKey] = useState(0);
  const [notice, setNotice] = useState<'created' | 'revised' | null>(() =>
    (location.state as LocationState)?.created ? 'created' : null,
  );

  const error = purposeQuery.error ?? historyQuery.error;
  if (isApiError(error) && error.code === 'not_found') {
    return <NotFoundPage />;
  }

  const purpose = purposeQuery.data;
  const history = historyQuery.data;

  const backLink = (
    <Anchor component={Link} to="/purposes" size="sm" mb="xs" display="inline-block">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} />
        {t('purposes.backToList')}
      </Group>
    </Anchor>
  );

  if (error !== null) {
    return (
      <>
        {backLink}
        <ErrorAlert
          error={error}
          onRetry={() => {
            purposeQuery.reload();
            historyQuery.reload();
          }}
        />
      </>
    );
  }
  if (purpose === null || history === null) {
    return (
      <>
        {backLink}
        <PageLoader />
      </>
    );
  }

  return (
    <>
      {backLink}
      <PageHeader
        title={purpose.currentVersion.title}
        description={t('purposes.detailDescription', {
          code: purpose.code,
          kind: kindLabel(i18n, purpose.kind),
        })}
        actions={
          canManage && (
            <Button
              leftSection={<IconGitBranch size={16} />}
              onClick={() => {
                setDrawerKey((key) => key + 1);
                reviseDrawer.open();
              }}
            >
              {t('purposes.revise')}
            </Button>
          )
        }
      />
      <Stack gap="lg">
        {notice !== null && (
          <Alert
            color="teal"
            variant="light"
            icon={<IconCheck size={18} />}
            role="status"
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => setNotice(null)}
          >
            {notice === 'created'
              ? purpose.document
                ? t('purposes.createdWithDocument', { version: purpose.document.version })
                : t('purposes.created')
              : t('purposes.revised', { version: purpose.currentVersion.version })}
          </Alert>
        )}
        <CurrentVersion purpose={purpose} />
        <Documents purpose={purpose} history={history} />
        <VersionHistory history={history} />
      </Stack>
      {canManage && (
        <PurposeDrawer
          key={drawerKey}
          opened={isReviseOpen}
          mode={{ type: 'revise', purpose }}
          onClose={reviseDrawer.close}
          onSaved={() => {
            reviseDrawer.close();
            setNotice('revised');
            purposeQuery.reload();
            historyQuery.reload();
          }}
        />
      )}
    </>
  );
}
