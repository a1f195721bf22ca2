import { Anchor, Badge, Button, EmptyState, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconExternalLink, IconForms, IconPlus } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import type { FormView, ItemList } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { STATUS_COLOR } from './form-draft.ts';

function formPath(slug: string): string {
  return `/forms/${encodeURIComponent(slug)}`;
}

export function FormsPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'forms.manage');
  const navigate = useNavigate();
  const query = useApiQuery<ItemList<FormView>>('/api/v1/forms');

  const renderBody = () => {
    if (query.error !== null) {
      return <ErrorAlert error={query.error} onRetry={query.reload} />;
    }
    if (query.data === null) {
      return <PageLoader />;
    }
    const forms = query.data.items;
    if (forms.length === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconForms size={28} />}
            withIndicatorBackground
            title={t('forms.empty')}
            description={t('forms.emptyDescription')}
          >
            {canManage && (
              <EmptyState.Actions>
                <Button component={Link} to="/forms/new" leftSection={<IconPlus size={16} />}>
                  {t('forms.create')}
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Paper>
      );
    }
    return (
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={900} type="native">
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('forms.listTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('forms.columnTitle')}</Table.Th>
                <Table.Th>{t('forms.columnStatus')}</Table.Th>
                <Table.Th>{t('forms.columnVersion')}</Table.Th>
                <Table.Th>{t('forms.columnWarnings')}</Table.Th>
                <Table.Th>{t('forms.columnUpdated')}</Table.Th>
                <Table.Th>{t('forms.columnLink')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {forms.map((form) => (
                <Table.Tr
                  key={form.id}
                  style={{ cursor: 'pointer' }}
                  onClick={(event) => {
                    if ((event.target as HTMLElement).closest('a')) {
                      return;
                    }
                    navigate(formPath(form.slug));
                  }}
                >
                  <Table.Td>
                    <Stack gap={2}>
                      <Anchor component={Link} to={formPath(form.slug)} fw={500} size="sm">
                        {form.title}
                      </Anchor>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {form.slug}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATUS_COLOR[form.status]} radius="sm" tt="none">
                      {t(`formStatus.${form.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t('forms.versionNumber', { version: form.version })}</Text>
                  </Table.Td>
                  <Table.Td>
                    {form.warnings.length > 0 ? (
                      <Badge variant="light" color="orange" radius="sm" tt="none">
                        {t('forms.warningsCount', { count: form.warnings.length })}
                      </Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('forms.noWarnings')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(form.updatedAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor
                      href={form.hostedUrl}
                      target="_blank"
                      rel="noopener noreferrer"
                      size="sm"
                    >
                      <Group gap={4} component="span" wrap="nowrap">
                        {t('forms.openHostedShort')}
                        <IconExternalLink size={14} />
                      </Group>
                    </Anchor>
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
        title={t('forms.listTitle')}
        description={t('forms.listDescription')}
        actions={
          canManage && (
            <Button component={Link} to="/forms/new" leftSection={<IconPlus size={16} />}>
              {t('forms.create')}
            </Button>
          )
        }
      />
      {renderBody()}
    </>
  );
}
