import {
  Anchor,
  Box,
  Button,
  EmptyState,
  Group,
  LoadingOverlay,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAddressBook, IconEye, IconSearch } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { withQuery } from '../../app/api-client.ts';
import type { Contact, Page } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import { contactPath } from './contact-path.ts';
import { ShreddedBadge } from './shredded-badge.tsx';

export function ContactsPage() {
  const { t, formatDateTime } = useI18n();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [draft, setDraft] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const query = useApiQuery<Page<Contact>>(
    withQuery('/api/v1/contacts', { page, pageSize, q: q || null }),
  );

  const search = (event: FormEvent) => {
    event.preventDefault();
    setQ(draft.trim());
    setPage(1);
  };

  const reset = () => {
    setDraft('');
    setQ('');
    setPage(1);
  };

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
            icon={<IconAddressBook size={28} />}
            withIndicatorBackground
            title={q ? t('contacts.notFound') : t('contacts.empty')}
            description={q ? t('contacts.notFoundHint') : t('contacts.emptyDescription')}
          />
        </Paper>
      );
    }
    return (
      <Stack gap="sm">
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={760} type="native">
            <Table
              verticalSpacing="sm"
              highlightOnHover
              striped
              aria-label={t('contacts.title')}
              aria-busy={query.isLoading}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('contacts.columnName')}</Table.Th>
                  <Table.Th>{t('contacts.columnPhone')}</Table.Th>
                  <Table.Th>{t('contacts.columnEmail')}</Table.Th>
                  <Table.Th>{t('contacts.columnCreated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.items.map((contact) => (
                  <Table.Tr
                    key={contact.id}
                    style={{ cursor: 'pointer' }}
                    onClick={(event) => {
                      if ((event.target as HTMLElement).closest('a')) {
                        return;
                      }
                      navigate(contactPath(contact.id));
                    }}
                  >
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Anchor component={Link} to={contactPath(contact.id)} size="sm" fw={500}>
                          {contact.isShredded
                            ? t('contacts.shreddedName')
                            : contact.name || t('contacts.noName')}
                        </Anchor>
                        {contact.isShredded && <ShreddedBadge />}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {contact.phone || t('common.dash')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{contact.email || t('common.dash')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(contact.createdAt)}
                      </Text>
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
            pageSize={query.data.pageSize || pageSize}
            total={query.data.total}
            onPageChange={setPage}
            onPageSizeChange={(size) => {
              setPageSize(size);
              setPage(1);
            }}
            label={t('contacts.pagination')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <>
      <PageHeader title={t('contacts.title')} description={t('contacts.description')} />
      <Stack gap="md">
        <form onSubmit={search} noValidate>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label={t('contacts.search')}
              description={t('contacts.searchHint')}
              placeholder={t('contacts.searchPlaceholder')}
              value={draft}
              onChange={(event) => setDraft(event.currentTarget.value)}
              leftSection={<IconSearch size={16} />}
              w={{ base: '100%', sm: 360 }}
              spellCheck={false}
              autoComplete="off"
            />
            <Group gap="xs">
              <Button type="submit">{t('contacts.find')}</Button>
              <Button variant="default" onClick={reset} disabled={!q && !draft}>
                {t('common.reset')}
              </Button>
            </Group>
          </Group>
        </form>
        <Group gap={6}>
          <IconEye size={14} color="var(--mantine-color-dimmed)" />
          <Text size="xs" c="dimmed">
            {t('contacts.listLogged')}
          </Text>
        </Group>
        {renderBody()}
      </Stack>
    </>
  );
}
