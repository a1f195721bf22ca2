import {
  ActionIcon,
  Badge,
  Button,
  EmptyState,
  Group,
  LoadingOverlay,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconArchive,
  IconBook,
  IconPencil,
  IconPlus,
  IconServer,
  IconWorld,
} from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../app/api-client.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { type I18n, useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { CatalogueModal } from './catalogue-modal.tsx';
import { CrossBorderModal, type NoticeTarget } from './cross-border-modal.tsx';
import { ServiceModal } from './service-modal.tsx';
import {
  type CrossBorderStatus,
  countryFlag,
  type ForeignRecipient,
  type Service,
} from './service-types.ts';

const STATE_COLOR: Record<CrossBorderStatus['state'], string> = {
  not_required: 'gray',
  missing: 'red',
  waiting: 'yellow',
  ready: 'green',
};

function CrossBorderBadge({ status, i18n }: { status: CrossBorderStatus; i18n: I18n }) {
  const { t, formatDate } = i18n;
  if (!status.isForeign) {
    return null;
  }
  return (
    <Tooltip
      label={
        status.allowedFrom
          ? t('services.allowedFrom', { date: formatDate(status.allowedFrom) })
          : t('services.cbState.missing')
      }
    >
      <Badge color={STATE_COLOR[status.state]} variant="light" tt="none">
        {t(`services.cbState.${status.state}`)}
      </Badge>
    </Tooltip>
  );
}

/** «Реестр сервисов»: every external service data passes through, foreign ones flagged. */
export function ServicesRegisterPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const canManage = hasPermission(me, 'services.manage');
  const query = useApiQuery<{ items: Service[] }>('/api/v1/compliance/services');
  const foreign = useApiQuery<{ items: ForeignRecipient[] }>('/api/v1/compliance/cross-border');
  const [isCatalogueOpen, catalogueModal] = useDisclosure(false);
  const [editing, setEditing] = useState<Service | null>(null);
  const [isEditOpen, editModal] = useDisclosure(false);
  const [noticeTarget, setNoticeTarget] = useState<NoticeTarget | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const reload = () => {
    query.reload();
    foreign.reload();
  };

  const archive = async (service: Service) => {
    setActionError(null);
    try {
      await api.delete(`/api/v1/compliance/services/${service.id}`);
      reload();
    } catch (caught) {
      setActionError(caught);
    }
  };

  const renderTable = () => {
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
            icon={<IconServer size={28} />}
            withIndicatorBackground
            title={t('services.empty')}
            description={t('services.emptyDescription')}
          >
            {canManage && (
              <EmptyState.Actions>
                <Button leftSection={<IconBook size={16} />} onClick={catalogueModal.open}>
                  {t('services.fromCatalogue')}
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Paper>
      );
    }
    return (
      <Paper withBorder radius="md" pos="relative">
        <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
        <Table.ScrollContainer minWidth={900} type="native">
          <Table verticalSpacing="sm" aria-label={t('services.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('services.columnService')}</Table.Th>
                <Table.Th>{t('services.columnCountry')}</Table.Th>
                <Table.Th>{t('services.columnRole')}</Table.Th>
                <Table.Th>{t('services.columnContract')}</Table.Th>
                <Table.Th>{t('services.columnForms')}</Table.Th>
                {canManage && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((service) => (
                <Table.Tr
                  key={service.id}
                  style={{
                    background: service.crossBorder.isForeign
                      ? 'var(--mantine-color-orange-light)'
                      : undefined,
                  }}
                >
                  <Table.Td>
                    <Text fw={500}>{service.name}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`services.kind.${service.kind}`)}
                      {service.purposeCodes.length > 0 && ` · ${service.purposeCodes.join(', ')}`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <span aria-hidden>{countryFlag(service.country)}</span>
                      <Text size="sm">{service.countryName}</Text>
                      {service.crossBorder.isForeign && (
                        <Badge
                          color="orange"
                          variant="filled"
                          tt="none"
                          leftSection={<IconWorld size={12} />}
                        >
                          {t('services.foreign')}
                        </Badge>
                      )}
                    </Group>
                    <CrossBorderBadge status={service.crossBorder} i18n={i18n} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`services.role.${service.role}`)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {service.contractReference ? (
                      <Text size="sm">{service.contractReference}</Text>
                    ) : (
                      service.warnings.includes('contract_missing') && (
                        <Badge
                          color="yellow"
                          variant="light"
                          tt="none"
                          leftSection={<IconAlertTriangle size={12} />}
                        >
                          {t('services.contractMissing')}
                        </Badge>
                      )
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {service.forms.length === 0
                        ? t('common.dash')
                        : service.forms
                            .map((form) =>
                              form.isPrimary
                                ? `${form.slug} (${t('services.primary')})`
                                : form.slug,
                            )
                            .join(', ')}
                    </Text>
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        {service.crossBorder.isForeign && (
                          <Button
                            size="xs"
                            variant="light"
                            color="orange"
                            onClick={() =>
                              setNoticeTarget({
                                type: 'service',
                                id: service.id,
                                name: service.name,
                              })
                            }
                          >
                            {t('services.recordNotice')}
                          </Button>
                        )}
                        <ActionIcon
                          variant="subtle"
                          aria-label={t('services.edit')}
                          onClick={() => {
                            setEditing(service);
                            editModal.open();
                          }}
                        >
                          <IconPencil size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('services.archive')}
                          onClick={() => void archive(service)}
                        >
                          <IconArchive size={16} />
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    );
  };

  const partners = foreign.data?.items.filter((item) => item.type === 'partner') ?? [];

  return (
    <>
      <PageHeader
        title={t('services.title')}
        description={t('services.description')}
        actions={
          canManage && (
            <Group gap="xs">
              <Button
                variant="default"
                leftSection={<IconPlus size={16} />}
                onClick={() => {
                  setEditing(null);
                  editModal.open();
                }}
              >
                {t('services.addManually')}
              </Button>
              <Button leftSection={<IconBook size={16} />} onClick={catalogueModal.open}>
                {t('services.fromCatalogue')}
              </Button>
            </Group>
          )
        }
      />
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('services.ruleL1')}
        </Text>
        {actionError !== null && (
          <ErrorAlert error={actionError} onClose={() => setActionError(null)} />
        )}
        {renderTable()}
        {partners.length > 0 && (
          <Stack gap="xs">
            <Title order={3} size="h4">
              {t('services.foreignPartners')}
            </Title>
            <Paper withBorder radius="md">
              <Table verticalSpacing="xs" aria-label={t('services.foreignPartners')}>
                <Table.Tbody>
                  {partners.map((partner) => (
                    <Table.Tr key={partner.id}>
                      <Table.Td>{partner.name}</Table.Td>
                      <Table.Td>
                        {countryFlag(partner.country)} {partner.countryName}
                      </Table.Td>
                      <Table.Td>
                        <CrossBorderBadge status={partner.crossBorder} i18n={i18n} />
                      </Table.Td>
                      {canManage && (
                        <Table.Td ta="right">
                          <Button
                            size="xs"
                            variant="light"
                            color="orange"
                            onClick={() =>
                              setNoticeTarget({
                                type: 'partner',
                                id: partner.id,
                                name: partner.name,
                              })
                            }
                          >
                            {t('services.recordNotice')}
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          </Stack>
        )}
      </Stack>
      <CatalogueModal opened={isCatalogueOpen} onClose={catalogueModal.close} onAdded={reload} />
      <ServiceModal
        opened={isEditOpen}
        service={editing}
        onClose={editModal.close}
        onSaved={reload}
      />
      <CrossBorderModal
        target={noticeTarget}
        onClose={() => setNoticeTarget(null)}
        onSaved={reload}
      />
    </>
  );
}
