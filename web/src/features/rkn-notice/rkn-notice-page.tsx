import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconDownload,
  IconFileCheck,
  IconPrinter,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import type { NoticeView, Task } from './notice-types.ts';
import { NoticeSettingsForm } from './settings-form.tsx';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w="32%" style={{ verticalAlign: 'top', fontWeight: 500 }}>
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

function FileModal({
  opened,
  onClose,
  onFiled,
}: {
  opened: boolean;
  onClose: () => void;
  onFiled: () => void;
}) {
  const { t } = useI18n();
  const [filedOn, setFiledOn] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);
  const fieldError = (name: string) =>
    isApiError(error) ? error.fields[name]?.join('; ') : undefined;
  const save = async () => {
    setIsSaving(true);
    setError(null);
    try {
      await api.post('/api/v1/compliance/rkn-notice/filings', { filedOn, reference });
      onFiled();
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('rknNotice.fileTitle')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('rknNotice.fileDescription')}
          </Text>
          {error !== null && <ErrorAlert error={error} />}
          <TextInput
            type="date"
            label={t('rknNotice.filedOn')}
            required
            value={filedOn}
            onChange={(event) => setFiledOn(event.currentTarget.value)}
            error={fieldError('filedOn')}
            data-autofocus
          />
          <TextInput
            label={t('rknNotice.reference')}
            required
            value={reference}
            onChange={(event) => setReference(event.currentTarget.value)}
            error={fieldError('reference')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isSaving}>
              {t('rknNotice.markFiled')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** «Уведомление РКН»: every Art. 22 field, the gaps, whether it changed since filed, tasks. */
export function RknNoticePage() {
  const { t, formatDate } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'rkn_notice.manage');
  const query = useApiQuery<NoticeView>('/api/v1/compliance/rkn-notice');
  const tasks = useApiQuery<Page<Task>>(
    hasPermission(me, 'tasks.read') ? '/api/v1/tasks?status=open&pageSize=20' : null,
  );
  const [isFileOpen, fileModal] = useDisclosure(false);
  const reload = () => {
    query.reload();
    tasks.reload();
  };

  if (query.error !== null) {
    return <ErrorAlert error={query.error} onRetry={query.reload} />;
  }
  if (query.data === null) {
    return <PageLoader />;
  }
  const notice = query.data;
  const { fields } = notice;
  const none = (
    <Text size="sm" c="dimmed" fs="italic">
      {t('rknNotice.notSet')}
    </Text>
  );
  const text = (value: string | null) => (value ? <Text size="sm">{value}</Text> : none);

  return (
    <>
      <PageHeader
        title={t('rknNotice.title')}
        description={t('rknNotice.description')}
        actions={
          <Group gap="xs">
            <Button
              component="a"
              href="/api/v1/compliance/rkn-notice/export.html"
              target="_blank"
              rel="noopener"
              variant="default"
              leftSection={<IconPrinter size={16} />}
            >
              {t('rknNotice.print')}
            </Button>
            <Button
              component="a"
              href="/api/v1/compliance/rkn-notice/export.pdf"
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              PDF
            </Button>
            <Button
              component="a"
              href="/api/v1/compliance/rkn-notice/export.json"
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              JSON
            </Button>
            {canManage && (
              <Button leftSection={<IconFileCheck size={16} />} onClick={fileModal.open}>
                {t('rknNotice.markFiled')}
              </Button>
            )}
          </Group>
        }
      />
      <Stack gap="md">
        {notice.lastFiling && !notice.isChangedSinceFiled && (
          <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />}>
            {t('rknNotice.upToDate', {
              date: formatDate(notice.lastFiling.filedOn),
              reference: notice.lastFiling.reference,
            })}
          </Alert>
        )}
        {notice.isChangedSinceFiled && (
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            role="status"
          >
            {notice.lastFiling
              ? t('rknNotice.changedSinceFiled', {
                  date: formatDate(notice.lastFiling.filedOn),
                  reference: notice.lastFiling.reference,
                })
              : t('rknNotice.neverFiled')}
          </Alert>
        )}
        {notice.gaps.length > 0 && (
          <Alert color="red" variant="light" title={t('rknNotice.gapsTitle')}>
            <List size="sm">
              {notice.gaps.map((gap) => (
                <List.Item key={`${gap.code}-${gap.message}`}>{gap.message}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {tasks.data && (
          <Paper withBorder radius="md" p="md">
            <Title order={3} size="h4" mb="xs">
              {t('rknNotice.tasksTitle')}
            </Title>
            {tasks.data.items.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('rknNotice.noTasks')}
              </Text>
            ) : (
              <Stack gap={6}>
                {tasks.data.items.map((task) => (
                  <Group key={task.id} gap="xs">
                    <Text size="sm" fw={500}>
                      {task.title}
                    </Text>
                    {task.dueDate && (
                      <Badge color={task.isOverdue ? 'red' : 'blue'} variant="light" tt="none">
                        {task.isOverdue
                          ? t('rknNotice.overdueSince', { date: formatDate(task.dueDate) })
                          : t('rknNotice.dueBy', { date: formatDate(task.dueDate) })}
                      </Badge>
                    )}
                  </Group>
                ))}
              </Stack>
            )}
          </Paper>
        )}
        <Paper withBorder radius="md">
          <Table verticalSpacing="xs" aria-label={t('rknNotice.title')}>
            <Table.Tbody>
              <Field label={t('rknNotice.operator')}>
                {text(fields.operator.legalName)}
                <Text size="xs" c="dimmed">
                  {[
                    fields.operator.address,
                    fields.operator.inn && `ИНН ${fields.operator.inn}`,
                    fields.operator.ogrn && `ОГРН ${fields.operator.ogrn}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </Field>
              <Field label={t('rknNotice.purposes')}>
                {fields.purposes.length === 0
                  ? none
                  : fields.purposes.map((purpose) => (
                      <Stack key={purpose.code} gap={2} mb="xs">
                        <Text size="sm" fw={500}>
                          {purpose.title}
                        </Text>
                        <Text size="xs">
                          {t('rknNotice.categories')}:{' '}
                          {purpose.dataCategories
                            .map((category) =>
                              category.isSpecial
                                ? `${category.title} (${t('rknNotice.special')})`
                                : category.title,
                            )
                            .join(', ')}
                        </Text>
                        <Text size="xs">
                          {t('rknNotice.subjects')}: {purpose.subjectCategories.join(', ')}
                        </Text>
                        <Text size="xs">
                          {t('rknNotice.legalBasis')}: {purpose.legalBasis}
                        </Text>
                        <Text size="xs">
                          {t('rknNotice.actions')}: {purpose.actions.join(', ')}; {purpose.methods}
                        </Text>
                      </Stack>
                    ))}
              </Field>
              <Field label={t('rknNotice.measures')}>
                <List size="xs">
                  {[...fields.securityMeasures.soglasie, ...fields.securityMeasures.extra].map(
                    (measure) => (
                      <List.Item key={measure}>{measure}</List.Item>
                    ),
                  )}
                </List>
                <Text size="xs" mt={4}>
                  {fields.securityMeasures.encryption}
                </Text>
              </Field>
              <Field label={t('rknNotice.responsible')}>
                {text(fields.responsible.name)}
                <Text size="xs" c="dimmed">
                  {fields.responsible.contacts}
                </Text>
              </Field>
              <Field label={t('rknNotice.startDate')}>
                {fields.processingStartDate ? text(formatDate(fields.processingStartDate)) : none}
              </Field>
              <Field label={t('rknNotice.endCondition')}>{text(fields.endCondition)}</Field>
              <Field label={t('rknNotice.crossBorder')}>
                {fields.crossBorder.isPerformed ? (
                  fields.crossBorder.countries.map((country) => (
                    <Text size="sm" key={country.country}>
                      {country.countryName}
                      {!country.isAdequate && ` (${t('rknNotice.notAdequate')})`}:{' '}
                      {country.recipients.join(', ')}
                    </Text>
                  ))
                ) : (
                  <Text size="sm">{t('rknNotice.noCrossBorder')}</Text>
                )}
              </Field>
              <Field label={t('rknNotice.databaseLocations')}>
                {fields.databaseLocations.length === 0
                  ? none
                  : fields.databaseLocations.map((location) => (
                      <Text
                        size="sm"
                        key={`${location.country}-${location.city}-${location.hostingProvider}`}
                      >
                        {location.country}, {location.city}
                        {location.address ? `, ${location.address}` : ''} —{' '}
                        {location.hostingProvider}
                      </Text>
                    ))}
              </Field>
              <Field label={t('rknNotice.protectionLevel')}>
                {fields.protectionLevel
                  ? text(t('rknNotice.levelOption', { level: fields.protectionLevel }))
                  : none}
              </Field>
            </Table.Tbody>
          </Table>
        </Paper>
        <NoticeSettingsForm settings={notice.settings} canManage={canManage} onSaved={reload} />
        <Text size="xs" c="dimmed">
          {t('rknNotice.fingerprint', { fingerprint: notice.fingerprint.slice(0, 16) })}
        </Text>
      </Stack>
      <FileModal opened={isFileOpen} onClose={fileModal.close} onFiled={reload} />
    </>
  );
}
