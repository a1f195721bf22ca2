import { Anchor, Badge, Button, EmptyState, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconClipboardList, IconExternalLink, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ItemList, Purpose } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { PurposeDrawer } from './purpose-drawer.tsx';
import { KIND_COLOR, kindLabel, legalBasisLabel, retentionLabel } from './purpose-labels.ts';
import { purposePath } from './purpose-path.ts';

export function PurposesPage() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const me = useMe();
  const canManage = hasPermission(me, 'purposes.manage');
  const navigate = useNavigate();
  const query = useApiQuery<ItemList<Purpose>>('/api/v1/purposes');
  const [isCreateOpen, createDrawer] = useDisclosure(false);
  // A new key on every opening gives the drawer a fresh, empty form.
  const [drawerKey, setDrawerKey] = useState(0);

  const openCreate = () => {
    setDrawerKey((key) => key + 1);
    createDrawer.open();
  };

  const renderBody = () => {
    if (query.error !== null) {
      return <ErrorAlert error={query.error} onRetry={query.reload} />;
    }
    if (query.data === null) {
      return <PageLoader />;
    }
    const purposes = query.data.items;
    if (purposes.length === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconClipboardList size={28} />}
            withIndicatorBackground
            title={t('purposes.empty')}
            description={t('purposes.emptyDescription')}
          >
            {canManage && (
              <EmptyState.Actions>
                <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
                  {t('purposes.create')}
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Paper>
      );
    }
    return (
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={960} type="native">
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('purposes.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('purposes.columnPurpose')}</Table.Th>
                <Table.Th>{t('purposes.columnKind')}</Table.Th>
                <Table.Th>{t('purposes.columnBasis')}</Table.Th>
                <Table.Th>{t('purposes.columnRetention')}</Table.Th>
                <Table.Th>{t('purposes.columnVersion')}</Table.Th>
                <Table.Th>{t('purposes.columnDocument')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {purposes.map((purpose) => (
                <Table.Tr
                  key={purpose.id}
                  style={{ cursor: 'pointer' }}
                  onClick={(event) => {
                    // Links inside the row keep their own behaviour.
                    if ((event.target as HTMLElement).closest('a')) {
                      return;
                    }
                    navigate(purposePath(purpose.code));
                  }}
                >
                  <Table.Td>
                    <Stack gap={2}>
                      <Anchor component={Link} to={purposePath(purpose.code)} fw={500} size="sm">
                        {purpose.currentVersion.title}
                      </Anchor>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {purpose.code}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge variant="light" color={KIND_COLOR[purpose.kind]} radius="sm" tt="none">
                      {kindLabel(i18n, purpose.kind)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {legalBasisLabel(i18n, purpose.currentVersion.legalBasis)}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">
                      {retentionLabel(locale, purpose.currentVersion.retentionDays)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {t('purposes.versionNumber', { version: purpose.currentVersion.version })}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {purpose.document ? (
                      <Anchor
                        href={purpose.document.url}
                        target="_blank"
                        rel="noopener noreferrer"
                        size="sm"
                      >
                        <Group gap={4} component="span" wrap="nowrap">
                          {t('purposes.documentVersion', { version: purpose.document.version })}
                          <IconExternalLink size={14} />
                        </Group>
                      </Anchor>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('purposes.noDocument')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    );
  };

  return (
    <>
      <PageHeader
        title={t('purposes.title')}
        description={t('purposes.description')}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
              {t('purposes.create')}
            </Button>
          )
        }
      />
      {renderBody()}
      {canManage && (
        <PurposeDrawer
          key={drawerKey}
          opened={isCreateOpen}
          mode={{ type: 'create' }}
          onClose={createDrawer.close}
          onSaved={(purpose) => {
            createDrawer.close();
            navigate(purposePath(purpose.code), { state: { created: true } });
          }}
        />
      )}
    </>
  );
}
