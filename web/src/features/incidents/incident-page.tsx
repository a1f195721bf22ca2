import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  EmptyState,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertOctagon,
  IconArrowLeft,
  IconCircleCheck,
  IconClock,
  IconEdit,
  IconLink,
  IconLock,
  IconShieldSearch,
  IconTrash,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api-client.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { type I18n, useI18n } from '../../i18n/i18n-context.tsx';
import { DetailList } from '../../ui/detail-list.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { contactPath } from '../contacts/contact-path.ts';
import { ClockBadge, DueText, useNow } from './countdown.tsx';
import { kindLabel, STATUS_COLOR, statusLabel, stepLabel } from './incident-labels.ts';
import {
  CloseIncidentModal,
  EditIncidentModal,
  LinkRecordsModal,
  RecordStepModal,
} from './incident-modals.tsx';
import type { IncidentDetail, IncidentEvent, IncidentStep } from './incident-types.ts';
import { NoticeTexts } from './notice-texts.tsx';

/** The access log filtered to one subject's reads. */
export function accessLogPath(subjectType: string, subjectId: string): string {
  const query = new URLSearchParams({ tab: 'access', subjectType, subjectId });
  return `/logs?${query.toString()}`;
}

function Section({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={title}>
      <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

function eventText(i18n: I18n, event: IncidentEvent): string {
  const { t } = i18n;
  const details = event.details;
  switch (event.action) {
    case 'created':
      return t('incidentEvent.created');
    case 'updated': {
      const changed = Object.keys((details.changed as Record<string, unknown>) ?? {});
      const texts = Array.isArray(details.textFields) ? (details.textFields as string[]) : [];
      const names = [...changed, ...texts].map((field) => fieldName(i18n, field));
      return t('incidentEvent.updated', { fields: names.join(', ') });
    }
    case 'step_recorded':
    case 'step_corrected':
      return t(`incidentEvent.${event.action}`, {
        step: stepLabel(i18n, details.step as IncidentStep),
        evidence: String(details.evidence ?? ''),
      });
    case 'records_linked': {
      const contacts = Array.isArray(details.contactIds) ? details.contactIds.length : 0;
      const entries = Array.isArray(details.accessLogIds) ? details.accessLogIds.length : 0;
      return t('incidentEvent.records_linked', { contacts, entries });
    }
    case 'record_unlinked':
      return t('incidentEvent.record_unlinked');
    case 'closed':
      return t('incidentEvent.closed');
    default:
      return event.action;
  }
}

const FIELD_KEYS = {
  title: 'incidents.fieldTitle',
  kind: 'incidents.fieldKind',
  detectedAt: 'incidents.fieldDetectedAt',
  description: 'incidents.fieldDescription',
  causes: 'incidents.fieldCauses',
  harm: 'incidents.fieldHarm',
  measures: 'incidents.fieldMeasures',
  contactPerson: 'incidents.fieldContactPerson',
  investigation: 'incidents.fieldInvestigation',
  responsiblePersons: 'incidents.fieldResponsiblePersons',
  affectedSubjectsCount: 'incidents.fieldAffectedCount',
  affectedCategories: 'incidents.fieldCategories',
  gdprApplies: 'incidents.fieldGdprShort',
} as const;

function fieldName(i18n: I18n, field: string): string {
  const key = FIELD_KEYS[field as keyof typeof FIELD_KEYS];
  return key ? i18n.t(key).toLowerCase() : field;
}

export function IncidentPage() {
  const i18n = useI18n();
  const { t, formatDateTime, formatNumber } = i18n;
  const { id = '' } = useParams();
  const me = useMe();
  const query = useApiQuery<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`);
  const [saved, setSaved] = useState<IncidentDetail | null>(null);
  const [step, setStep] = useState<IncidentStep | null>(null);
  const [isEditOpen, editModal] = useDisclosure(false);
  const [isLinkOpen, linkModal] = useDisclosure(false);
  const [isCloseOpen, closeModal] = useDisclosure(false);
  const [unlinkError, setUnlinkError] = useState<unknown>(null);
  const now = useNow();

  if (query.error !== null) {
    return <ErrorAlert error={query.error} onRetry={query.reload} />;
  }
  // A change answers with the whole incident: shown at once, without another request.
  const incident = saved?.id === id ? saved : query.data;
  if (!incident) {
    return <PageLoader />;
  }
  const isOpen = incident.status !== 'closed';
  const canManage = hasPermission(me, 'incidents.manage') && isOpen;
  const overdue = incident.clocks.filter((clock) => clock.state === 'overdue');

  const unlink = async (recordId: string) => {
    setUnlinkError(null);
    try {
      setSaved(
        await api.delete<IncidentDetail>(
          `/api/v1/incidents/${encodeURIComponent(incident.id)}/records/${encodeURIComponent(recordId)}`,
        ),
      );
    } catch (caught) {
      setUnlinkError(caught);
    }
  };

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/incidents" size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} />
          {t('incidents.backToList')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Stack gap={6} maw={760}>
          <Title order={1} size="h2">
            {t('incidents.pageTitle', { number: incident.number, title: incident.title })}
          </Title>
          <Group gap={6}>
            <Badge color={STATUS_COLOR[incident.status]} variant="light" tt="none">
              {statusLabel(i18n, incident.status)}
            </Badge>
            <Badge color="gray" variant="outline" tt="none">
              {kindLabel(i18n, incident.kind)}
            </Badge>
            {incident.gdprApplies && (
              <Badge color="indigo" variant="outline" tt="none">
                GDPR
              </Badge>
            )}
          </Group>
        </Stack>
        {canManage && (
          <Group gap="xs">
            <Button variant="default" leftSection={<IconEdit size={16} />} onClick={editModal.open}>
              {t('incidents.edit')}
            </Button>
            <Button
              variant="default"
              leftSection={<IconLock size={16} />}
              onClick={closeModal.open}
            >
              {t('incidents.close')}
            </Button>
          </Group>
        )}
      </Group>

      {overdue.length > 0 && (
        <Alert
          color="red"
          variant="filled"
          icon={<IconAlertOctagon size={20} />}
          title={t('incidents.overdueTitle')}
          role="alert"
        >
          {t('incidents.overdueText', {
            steps: overdue.map((clock) => stepLabel(i18n, clock.step)).join(', '),
          })}
        </Alert>
      )}

      <Section title={t('incidents.clocksTitle')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {incident.clocks.map((clock) => (
            <Paper
              key={clock.step}
              withBorder
              radius="md"
              p="md"
              data-step={clock.step}
              style={{
                borderColor:
                  clock.state === 'overdue' || clock.state === 'missed'
                    ? 'var(--mantine-color-red-6)'
                    : undefined,
              }}
            >
              <Stack gap={6}>
                <Group gap={6} wrap="nowrap">
                  {clock.doneAt ? (
                    <IconCircleCheck size={18} color="var(--mantine-color-teal-6)" />
                  ) : (
                    <IconClock size={18} />
                  )}
                  <Text fw={600} size="sm">
                    {stepLabel(i18n, clock.step)}
                  </Text>
                </Group>
                <ClockBadge clock={clock} now={now} size="lg" />
                <DueText clock={clock} />
                {clock.doneAt && (
                  <Text size="sm">
                    {t('incidents.doneAt', { date: formatDateTime(clock.doneAt) })}
                    <br />
                    <Text span size="xs" c="dimmed">
                      {clock.evidence}
                    </Text>
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {clock.basis}
                </Text>
                {canManage && (
                  <Button
                    size="xs"
                    variant={clock.doneAt ? 'subtle' : 'light'}
                    color={clock.state === 'overdue' ? 'red' : undefined}
                    onClick={() => setStep(clock.step)}
                  >
                    {clock.doneAt ? t('incidents.correctStep') : t('incidents.recordStep')}
                  </Button>
                )}
              </Stack>
            </Paper>
          ))}
        </SimpleGrid>
      </Section>

      <Section title={t('incidents.detailsTitle')}>
        <DetailList
          items={[
            { label: t('incidents.fieldDetectedAt'), value: formatDateTime(incident.detectedAt) },
            {
              label: t('incidents.fieldAffectedCount'),
              value:
                incident.affectedSubjectsCount === null
                  ? t('incidents.unknownYet')
                  : formatNumber(incident.affectedSubjectsCount),
            },
            {
              label: t('incidents.fieldCategories'),
              value: incident.affectedCategories.join(', '),
              isWide: true,
            },
            { label: t('incidents.fieldDescription'), value: incident.description, isWide: true },
            { label: t('incidents.fieldCauses'), value: incident.causes, isWide: true },
            { label: t('incidents.fieldHarm'), value: incident.harm, isWide: true },
            { label: t('incidents.fieldMeasures'), value: incident.measures, isWide: true },
            {
              label: t('incidents.fieldContactPerson'),
              value: incident.contactPerson,
              isWide: true,
            },
            {
              label: t('incidents.fieldInvestigation'),
              value: incident.investigation,
              isWide: true,
            },
            {
              label: t('incidents.fieldResponsiblePersons'),
              value: incident.responsiblePersons,
              isWide: true,
            },
            ...(incident.status === 'closed'
              ? [
                  { label: t('incidents.closedAt'), value: formatDateTime(incident.closedAt) },
                  {
                    label: t('incidents.fieldResolution'),
                    value: incident.resolution,
                    isWide: true,
                  },
                ]
              : []),
          ]}
        />
      </Section>

      <Section title={t('incidents.noticesTitle')}>
        <NoticeTexts incidentId={incident.id} version={incident.updatedAt} />
      </Section>

      <Section
        title={t('incidents.recordsTitle')}
        actions={
          canManage && (
            <Button variant="default" leftSection={<IconLink size={16} />} onClick={linkModal.open}>
              {t('incidents.linkRecords')}
            </Button>
          )
        }
      >
        {unlinkError !== null && (
          <ErrorAlert error={unlinkError} onClose={() => setUnlinkError(null)} />
        )}
        {incident.records.length === 0 ? (
          <EmptyState
            icon={<IconShieldSearch size={24} />}
            withIndicatorBackground
            title={t('incidents.recordsEmpty')}
            description={t('incidents.recordsEmptyDescription')}
          />
        ) : (
          <Table.ScrollContainer minWidth={640} type="native">
            <Table verticalSpacing="xs" aria-label={t('incidents.recordsTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('incidents.columnRecord')}</Table.Th>
                  <Table.Th>{t('incidents.columnLinkedAt')}</Table.Th>
                  <Table.Th>{t('incidents.columnAccessLog')}</Table.Th>
                  {canManage && <Table.Th aria-label={t('incidents.unlink')} />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {incident.records.map((record) => (
                  <Table.Tr key={record.id}>
                    <Table.Td>
                      {record.contactId ? (
                        <Anchor component={Link} to={contactPath(record.contactId)} size="sm">
                          {t('incidents.recordContact')} <Code>{record.contactId.slice(0, 8)}</Code>
                        </Anchor>
                      ) : (
                        <Stack gap={0}>
                          <Text size="sm">
                            {t('incidents.recordEntry', { id: record.accessLogId ?? '' })}
                          </Text>
                          {record.accessEntry && (
                            <Text size="xs" c="dimmed">
                              {formatDateTime(record.accessEntry.at)} ·{' '}
                              {record.accessEntry.subjectType}{' '}
                              {record.accessEntry.subjectId.slice(0, 8)} ·{' '}
                              {record.accessEntry.reason}
                            </Text>
                          )}
                        </Stack>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(record.createdAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {record.contactId ? (
                        <Anchor
                          component={Link}
                          to={accessLogPath('contact', record.contactId)}
                          size="sm"
                        >
                          {t('incidents.readsOfContact')}
                        </Anchor>
                      ) : record.accessEntry ? (
                        <Anchor
                          component={Link}
                          to={accessLogPath(
                            record.accessEntry.subjectType,
                            record.accessEntry.subjectId,
                          )}
                          size="sm"
                        >
                          {t('incidents.readsOfSubject')}
                        </Anchor>
                      ) : (
                        t('common.dash')
                      )}
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Tooltip label={t('incidents.unlink')}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t('incidents.unlink')}
                            onClick={() => void unlink(record.id)}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <Section title={t('incidents.timelineTitle')}>
        <Timeline bulletSize={14} lineWidth={2} active={incident.events.length}>
          {incident.events.map((event) => (
            <Timeline.Item key={event.id} title={eventText(i18n, event)}>
              <Text size="xs" c="dimmed">
                {formatDateTime(event.at)} · {event.actor.label}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </Section>

      <RecordStepModal
        incidentId={incident.id}
        step={step}
        onClose={() => setStep(null)}
        onSaved={setSaved}
      />
      {isEditOpen && (
        <EditIncidentModal
          incident={incident}
          opened={isEditOpen}
          onClose={editModal.close}
          onSaved={setSaved}
        />
      )}
      <LinkRecordsModal
        incidentId={incident.id}
        opened={isLinkOpen}
        onClose={linkModal.close}
        onSaved={setSaved}
      />
      <CloseIncidentModal
        incident={incident}
        opened={isCloseOpen}
        onClose={closeModal.close}
        onSaved={setSaved}
      />
    </Stack>
  );
}
