import {
  Anchor,
  Autocomplete,
  Badge,
  Box,
  Button,
  EmptyState,
  Group,
  LoadingOverlay,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconEyeOff, IconFilter, IconTargetArrow } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { withQuery } from '../../app/api-client.ts';
import type { Lead, Page } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import { contactPath } from '../contacts/contact-path.ts';
import { useCrmI18n } from './crm-i18n.ts';

// Sources a clinic sees most; the filter also offers those on the current page.
const COMMON_SOURCES = ['yandex', 'google', 'vk', '2gis', 'direct'];

function LeadStatus({ status }: { status: string }) {
  const { t } = useI18n();
  switch (status) {
    case 'new':
    case 'contacted':
    case 'booked':
    case 'visited':
    case 'paid':
    case 'lost':
      return (
        <Badge variant="light" color={status === 'lost' ? 'gray' : 'blue'} radius="sm" tt="none">
          {t(`leadStatus.${status}`)}
        </Badge>
      );
    default:
      return <Text size="sm">{status}</Text>;
  }
}

export function LeadsPage() {
  const { t, formatDateTime } = useI18n();
  const { t: tCrm } = useCrmI18n();
  const me = useMe();
  const canOpenContacts = hasPermission(me, 'contacts.read');
  const navigate = useNavigate();
  // The board's "more" link opens one stage as a list.
  const [searchParams] = useSearchParams();
  const stage = searchParams.get('stage');
  const [source, setSource] = useState('');
  const [draftSource, setDraftSource] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const query = useApiQuery<Page<Lead>>(
    withQuery('/api/v1/leads', { page, pageSize, source: source || null, stage }),
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setSource(draftSource.trim());
    setPage(1);
  };

  const reset = () => {
    setDraftSource('');
    setSource('');
    setPage(1);
  };

  const sources = [
    ...new Set([...COMMON_SOURCES, ...(query.data?.items ?? []).map((lead) => lead.source)]),
  ];

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
            icon={<IconTargetArrow size={28} />}
            withIndicatorBackground
            title={source ? t('leads.emptyFiltered') : t('leads.empty')}
            description={source ? t('leads.emptyFilteredHint') : t('leads.emptyDescription')}
          >
            {!source && hasPermission(me, 'forms.read') && (
              <EmptyState.Actions>
                <Button component={Link} to="/forms" variant="default">
                  {t('leads.openForms')}
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
          <Table.ScrollContainer minWidth={900} type="native">
            <Table
              verticalSpacing="sm"
              highlightOnHover
              striped
              aria-label={t('leads.title')}
              aria-busy={query.isLoading}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('leads.columnDate')}</Table.Th>
                  <Table.Th>{t('leads.columnSource')}</Table.Th>
                  <Table.Th>{t('leads.columnCampaign')}</Table.Th>
                  <Table.Th>{t('leads.columnMedium')}</Table.Th>
                  <Table.Th>{t('leads.columnContact')}</Table.Th>
                  <Table.Th>{t('leads.columnStatus')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((lead) => {
                  const contact = lead.contact;
                  const canOpen = contact !== null && canOpenContacts;
                  return (
                    <Table.Tr
                      key={lead.id}
                      style={canOpen ? { cursor: 'pointer' } : undefined}
                      onClick={(event) => {
                        if (!canOpen || (event.target as HTMLElement).closest('a')) {
                          return;
                        }
                        navigate(contactPath(contact.id));
                      }}
                    >
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(lead.createdAt)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color="grape" radius="sm" tt="none">
                          {lead.source === 'direct' ? t('leads.sourceDirect') : lead.source}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{lead.attribution.utm_campaign || t('common.dash')}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{lead.attribution.utm_medium || t('common.dash')}</Text>
                      </Table.Td>
                      <Table.Td>
                        {contact === null ? (
                          <Tooltip label={t('leads.hiddenHint')} multiline w={260}>
                            <Badge
                              variant="outline"
                              color="gray"
                              radius="sm"
                              tt="none"
                              leftSection={<IconEyeOff size={12} />}
                            >
                              {t('leads.hidden')}
                            </Badge>
                          </Tooltip>
                        ) : (
                          <Stack gap={0}>
                            {canOpen ? (
                              <Anchor
                                component={Link}
                                to={contactPath(contact.id)}
                                size="sm"
                                fw={500}
                              >
                                {contact.name || t('contacts.noName')}
                              </Anchor>
                            ) : (
                              <Text size="sm" fw={500}>
                                {contact.name || t('contacts.noName')}
                              </Text>
                            )}
                            <Text size="xs" c="dimmed">
                              {[contact.phone, contact.email].filter(Boolean).join(' · ') ||
                                t('common.dash')}
                            </Text>
                          </Stack>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <LeadStatus status={lead.status} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <Box px={4}>
          <Pager
            page={query.data.page || page}
            pageSize={query.data.pageSize || pageSize}
            total={query.data.total}
            onPageChange={setPage}
            onPageSizeChange={(size) => {
              setPageSize(size);
              setPage(1);
            }}
            label={t('leads.pagination')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <>
      <PageHeader
        title={t('leads.title')}
        description={t('leads.description')}
        actions={
          <Button component={Link} to="/pipeline" variant="default">
            {tCrm('pipeline.boardView')}
          </Button>
        }
      />
      <Stack gap="md">
        <form onSubmit={apply} noValidate>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Autocomplete
              label={t('leads.filterSource')}
              placeholder={t('leads.filterSourcePlaceholder')}
              data={sources}
              value={draftSource}
              onChange={setDraftSource}
              w={{ base: '100%', sm: 240 }}
              spellCheck={false}
              autoComplete="off"
            />
            <Group gap="xs">
              <Button type="submit" leftSection={<IconFilter size={16} />}>
                {t('common.apply')}
              </Button>
              <Button variant="default" onClick={reset} disabled={!source && !draftSource}>
                {t('common.reset')}
              </Button>
            </Group>
          </Group>
        </form>
        {renderBody()}
      </Stack>
    </>
  );
}
