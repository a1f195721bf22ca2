import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../app/api-client.ts';
import type { ItemList, Page, Purpose } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import type { PartnerView, TransferView } from './outbound-types.ts';
import { ReasonBadge } from './reason-badge.tsx';

const STATUS_COLOR: Record<TransferView['status'], string> = {
  refused: 'gray',
  sending: 'blue',
  delivered: 'green',
  failed: 'red',
};

function AddPartnerModal({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: '', url: '', secret: '', country: 'RU' });
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);
  const submit = async () => {
    setIsSaving(true);
    setError(null);
    try {
      await api.post<PartnerView>('/api/v1/partners', form);
      onSaved();
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('transfers.addPartner')} size="lg">
      <Stack gap="sm">
        <TextInput
          label={t('transfers.partnerName')}
          description={t('transfers.partnerNameHint')}
          value={form.name}
          onChange={(event) => setForm({ ...form, name: event.currentTarget.value })}
          required
          maxLength={300}
        />
        <TextInput
          label={t('transfers.partnerUrl')}
          placeholder="https://partner.example/hooks/soglasie"
          value={form.url}
          onChange={(event) => setForm({ ...form, url: event.currentTarget.value })}
          required
        />
        <PasswordInput
          label={t('transfers.partnerSecret')}
          description={t('transfers.partnerSecretHint')}
          value={form.secret}
          onChange={(event) => setForm({ ...form, secret: event.currentTarget.value })}
          required
        />
        <TextInput
          label={t('transfers.partnerCountry')}
          value={form.country}
          onChange={(event) =>
            setForm({ ...form, country: event.currentTarget.value.toUpperCase() })
          }
          maxLength={2}
          w={120}
          required
        />
        {error !== null && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={isSaving}>
            {t('transfers.savePartner')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function TransferModal({
  partners,
  onClose,
  onSent,
}: {
  partners: PartnerView[];
  onClose: () => void;
  onSent: () => void;
}) {
  const { t } = useI18n();
  const purposes = useApiQuery<ItemList<Purpose>>('/api/v1/purposes');
  const [form, setForm] = useState({ partnerId: '', purposeCode: '', contactId: '' });
  const [result, setResult] = useState<TransferView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);
  const submit = async () => {
    setIsSaving(true);
    setError(null);
    try {
      setResult(await api.post<TransferView>('/api/v1/transfers', form));
      onSent();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };
  const purposeOptions = (purposes.data?.items ?? [])
    .filter((purpose) => purpose.kind === 'transfer' && purpose.archivedAt === null)
    .map((purpose) => ({ value: purpose.code, label: purpose.currentVersion.title }));
  return (
    <Modal opened onClose={onClose} title={t('transfers.send')} size="lg">
      <Stack gap="sm">
        <Select
          label={t('transfers.partner')}
          data={partners
            .filter((partner) => partner.archivedAt === null)
            .map((partner) => ({ value: partner.id, label: partner.name }))}
          value={form.partnerId || null}
          onChange={(value) => setForm({ ...form, partnerId: value ?? '' })}
          required
        />
        <Select
          label={t('outbound.purpose')}
          data={purposeOptions}
          value={form.purposeCode || null}
          onChange={(value) => setForm({ ...form, purposeCode: value ?? '' })}
          nothingFoundMessage={t('outbound.noPurposes')}
          required
        />
        <TextInput
          label={t('transfers.contactId')}
          value={form.contactId}
          onChange={(event) => setForm({ ...form, contactId: event.currentTarget.value.trim() })}
          ff="monospace"
          required
        />
        {error !== null && <ErrorAlert error={error} />}
        {result !== null && (
          <Paper withBorder p="sm" radius="md">
            {result.allowed ? (
              <Text size="sm">
                {t(`transfers.status.${result.status}`)}
                {result.httpStatus !== null && ` (HTTP ${result.httpStatus})`}
              </Text>
            ) : (
              <Group gap="xs">
                <Text size="sm">{t('transfers.refusedBecause')}</Text>
                <ReasonBadge reason={result.reason ?? ''} />
              </Group>
            )}
          </Paper>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
          <Button
            onClick={submit}
            loading={isSaving}
            disabled={!form.partnerId || !form.purposeCode || !form.contactId}
            leftSection={<IconSend size={16} />}
          >
            {t('transfers.sendButton')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Partners (named third parties) and the log of every transfer to them, refused ones included. */
export function TransfersPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'partners.manage');
  const canSend = hasPermission(me, 'transfers.send');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [modal, setModal] = useState<'partner' | 'transfer' | null>(null);
  const partners = useApiQuery<ItemList<PartnerView>>('/api/v1/partners');
  const transfers = useApiQuery<Page<TransferView>>(
    `/api/v1/transfers?page=${page}&pageSize=${pageSize}`,
  );

  const renderPartners = () => {
    if (partners.error !== null) {
      return <ErrorAlert error={partners.error} onRetry={partners.reload} />;
    }
    if (partners.data === null) {
      return <PageLoader />;
    }
    if (partners.data.items.length === 0) {
      return (
        <Paper withBorder radius="md" p="lg">
          <Text size="sm" c="dimmed">
            {t('transfers.noPartners')}
          </Text>
        </Paper>
      );
    }
    return (
      <Paper withBorder radius="md">
        <Table verticalSpacing="sm" aria-label={t('transfers.partners')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('transfers.partnerName')}</Table.Th>
              <Table.Th>{t('transfers.partnerUrl')}</Table.Th>
              <Table.Th>{t('transfers.partnerCountry')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {partners.data.items.map((partner) => (
              <Table.Tr key={partner.id} style={partner.archivedAt ? { opacity: 0.55 } : undefined}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {partner.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {partner.url}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{partner.country}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    );
  };

  const renderLog = () => {
    if (transfers.error !== null) {
      return <ErrorAlert error={transfers.error} onRetry={transfers.reload} />;
    }
    if (transfers.data === null) {
      return <PageLoader />;
    }
    if (transfers.data.total === 0) {
      return (
        <Paper withBorder radius="md" p="lg">
          <Text size="sm" c="dimmed">
            {t('transfers.noTransfers')}
          </Text>
        </Paper>
      );
    }
    return (
      <Stack gap="md">
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={800} type="native">
            <Table verticalSpacing="sm" aria-label={t('transfers.log')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('outbound.columnCreated')}</Table.Th>
                  <Table.Th>{t('transfers.partner')}</Table.Th>
                  <Table.Th>{t('outbound.purpose')}</Table.Th>
                  <Table.Th>{t('transfers.contact')}</Table.Th>
                  <Table.Th>{t('transfers.result')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {transfers.data.items.map((transfer) => (
                  <Table.Tr key={transfer.id}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(transfer.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{transfer.partnerName}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {transfer.purposeCode}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/contacts/${transfer.contactId}`}
                        size="xs"
                        ff="monospace"
                      >
                        {transfer.contactId.slice(0, 8)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        <Badge
                          variant="light"
                          color={STATUS_COLOR[transfer.status]}
                          radius="sm"
                          tt="none"
                        >
                          {t(`transfers.status.${transfer.status}`)}
                          {transfer.httpStatus !== null && ` · HTTP ${transfer.httpStatus}`}
                        </Badge>
                        {transfer.reason && <ReasonBadge reason={transfer.reason} />}
                      </Group>
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
          total={transfers.data.total}
          onPageChange={setPage}
          onPageSizeChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          label={t('transfers.pages')}
        />
      </Stack>
    );
  };

  return (
    <>
      <PageHeader
        title={t('transfers.listTitle')}
        description={t('transfers.listDescription')}
        actions={
          <Group gap="sm">
            {canManage && (
              <Button
                variant="default"
                leftSection={<IconPlus size={16} />}
                onClick={() => setModal('partner')}
              >
                {t('transfers.addPartner')}
              </Button>
            )}
            {canSend && (
              <Button leftSection={<IconSend size={16} />} onClick={() => setModal('transfer')}>
                {t('transfers.send')}
              </Button>
            )}
          </Group>
        }
      />
      <Stack gap="xl">
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('transfers.partners')}
          </Title>
          {renderPartners()}
        </Stack>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('transfers.log')}
          </Title>
          {renderLog()}
        </Stack>
      </Stack>
      {modal === 'partner' && (
        <AddPartnerModal onClose={() => setModal(null)} onSaved={partners.reload} />
      )}
      {modal === 'transfer' && (
        <TransferModal
          partners={partners.data?.items ?? []}
          onClose={() => setModal(null)}
          onSent={transfers.reload}
        />
      )}
    </>
  );
}
