import { Alert, Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import {
  basisLabel,
  DECISION_COLOR,
  decisionLabel,
  type RunResult,
  reasonLabel,
} from './retention-types.ts';

type RunModalProps = { opened: boolean; onClose: () => void; onExecuted: () => void };

/**
 * "Run now": a dry run first lists who would be destroyed, held or kept; destruction happens
 * only after the privacy officer confirms what they saw.
 */
export function RunModal({ opened, onClose, onExecuted }: RunModalProps) {
  const i18n = useI18n();
  const { t, formatDate } = i18n;
  const [preview, setPreview] = useState<RunResult | null>(null);
  const [result, setResult] = useState<RunResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setPreview(null);
    setResult(null);
    setError(null);
    let isCurrent = true;
    api
      .post<RunResult>('/api/v1/retention/run', { mode: 'preview' })
      .then((answer) => {
        if (isCurrent) setPreview(answer);
      })
      .catch((caught: unknown) => {
        if (isCurrent) setError(caught);
      });
    return () => {
      isCurrent = false;
    };
  }, [opened]);

  const execute = async () => {
    setIsBusy(true);
    setError(null);
    try {
      setResult(await api.post<RunResult>('/api/v1/retention/run', { mode: 'execute' }));
      onExecuted();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };

  const shown = result ?? preview;
  const renderBody = () => {
    if (!shown) return error ? <ErrorAlert error={error} /> : <PageLoader />;
    return (
      <Stack gap="md">
        {result ? (
          <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />}>
            {result.actNumber !== null
              ? t('retention.runDoneWithAct', { count: result.destroyed, number: result.actNumber })
              : t('retention.runDoneNothing')}
          </Alert>
        ) : (
          <Text size="sm" c="dimmed">
            {t('retention.previewExplanation')}
          </Text>
        )}
        <Group gap="xs">
          <Badge color="red" variant="light" tt="none">
            {t('retention.countDestroy', { count: shown.destroyed })}
          </Badge>
          <Badge color="yellow" variant="light" tt="none">
            {t('retention.countHeld', { count: shown.held })}
          </Badge>
          <Badge color="teal" variant="light" tt="none">
            {t('retention.countKept', { count: shown.kept })}
          </Badge>
        </Group>
        {shown.subjects.length === 0 ? (
          <Text size="sm">{t('retention.previewEmpty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560} type="native">
            <Table withTableBorder verticalSpacing="xs" fz="sm" aria-label={t('retention.runNow')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('retention.columnSubject')}</Table.Th>
                  <Table.Th>{t('retention.columnReason')}</Table.Th>
                  <Table.Th>{t('retention.columnDue')}</Table.Th>
                  <Table.Th>{t('retention.columnDecision')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.subjects.map((subject) => (
                  <Table.Tr key={subject.contactId}>
                    <Table.Td>
                      {subject.name ?? (
                        <Text span ff="monospace" size="xs">
                          {subject.contactId.slice(0, 8)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {subject.reasons.map((reason) => reasonLabel(i18n, reason)).join(', ')}
                    </Table.Td>
                    <Table.Td>{formatDate(subject.dueAt)}</Table.Td>
                    <Table.Td>
                      <Badge color={DECISION_COLOR[subject.decision]} variant="light" tt="none">
                        {decisionLabel(i18n, subject.decision)}
                      </Badge>
                      {subject.keptFor.length > 0 && (
                        <Text size="xs" c="dimmed">
                          {subject.keptFor.map((basis) => basisLabel(i18n, basis)).join(', ')}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {error !== null && <ErrorAlert error={error} />}
        {!result && shown.destroyed > 0 && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
            {t('retention.executeWarning')}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={isBusy}>
            {result ? t('common.close') : t('common.cancel')}
          </Button>
          {!result && (
            <Button
              color="red"
              loading={isBusy}
              onClick={() => void execute()}
              disabled={shown.subjects.length === 0}
            >
              {shown.destroyed > 0
                ? t('retention.executeDestroy', { count: shown.destroyed })
                : t('retention.executeRecord')}
            </Button>
          )}
        </Group>
      </Stack>
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={isBusy ? () => undefined : onClose}
      size="xl"
      title={t('retention.runTitle')}
    >
      {renderBody()}
    </Modal>
  );
}
