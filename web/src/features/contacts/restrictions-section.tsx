import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconHandStop, IconLock } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api } from '../../app/api-client.ts';
import type { ItemList, Purpose } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';

type Restriction = {
  id: string;
  kind: 'blocked' | 'stopped';
  purposeId: string | null;
  reason: string;
  requestId: string | null;
  createdAt: string;
};

type Kind = Restriction['kind'];

function AddRestrictionModal({
  contactId,
  opened,
  purposes,
  onClose,
  onAdded,
}: {
  contactId: string;
  opened: boolean;
  purposes: Purpose[];
  onClose: () => void;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>('stopped');
  const [purposeCode, setPurposeCode] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  const close = () => {
    if (isBusy) return;
    setKind('stopped');
    setPurposeCode(null);
    setReason('');
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/contacts/${encodeURIComponent(contactId)}/blocks`, {
        kind,
        reason: reason.trim(),
        ...(purposeCode ? { purposeCode } : {}),
      });
      setIsBusy(false);
      onAdded();
      close();
    } catch (caught) {
      setError(caught);
      setIsBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{t('restrictions.addTitle')}</Text>}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          <SegmentedControl
            aria-label={t('restrictions.kind')}
            value={kind}
            onChange={(value) => setKind(value as Kind)}
            data={[
              { value: 'stopped', label: t('restrictions.kind.stopped') },
              { value: 'blocked', label: t('restrictions.kind.blocked') },
            ]}
          />
          <Text size="sm" c="dimmed">
            {t(kind === 'blocked' ? 'restrictions.blockedHint' : 'restrictions.stoppedHint')}
          </Text>
          <Select
            label={t('restrictions.purpose')}
            placeholder={t('restrictions.allPurposes')}
            clearable
            value={purposeCode}
            onChange={setPurposeCode}
            data={purposes.map((purpose) => ({
              value: purpose.code,
              label: purpose.currentVersion.title,
            }))}
          />
          <Textarea
            label={t('restrictions.reason')}
            required
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            maxLength={1000}
            autosize
            minRows={2}
          />
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={isBusy} disabled={reason.trim().length < 3}>
              {t('restrictions.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function LiftModal({
  contactId,
  restriction,
  onClose,
  onLifted,
}: {
  contactId: string;
  restriction: Restriction | null;
  onClose: () => void;
  onLifted: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const close = () => {
    if (isBusy) return;
    setReason('');
    setError(null);
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!restriction) return;
    setIsBusy(true);
    try {
      await api.post(
        `/api/v1/contacts/${encodeURIComponent(contactId)}/blocks/${encodeURIComponent(restriction.id)}/lift`,
        { reason: reason.trim() },
      );
      setIsBusy(false);
      onLifted();
      close();
    } catch (caught) {
      setError(caught);
      setIsBusy(false);
    }
  };
  return (
    <Modal
      opened={restriction !== null}
      onClose={close}
      title={<Text fw={600}>{t('restrictions.liftTitle')}</Text>}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          <Textarea
            label={t('restrictions.liftReason')}
            required
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            maxLength={1000}
            autosize
            minRows={2}
          />
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isBusy} disabled={reason.trim().length < 3}>
              {t('restrictions.lift')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Blocks (R-D1) and stops (R-S6) of one person, and the privacy officer's actions on them. */
export function RestrictionsSection({
  contactId,
  canRestrict,
  onChange,
}: {
  contactId: string;
  canRestrict: boolean;
  onChange: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const query = useApiQuery<ItemList<Restriction>>(
    `/api/v1/contacts/${encodeURIComponent(contactId)}/blocks`,
  );
  const purposesQuery = useApiQuery<ItemList<Purpose>>(canRestrict ? '/api/v1/purposes' : null);
  const [isAddOpen, setIsAddOpen] = useState(false);
  const [toLift, setToLift] = useState<Restriction | null>(null);
  const purposes = purposesQuery.data?.items ?? [];
  const titleOf = (purposeId: string | null) =>
    purposeId === null
      ? t('restrictions.allPurposes')
      : (purposes.find((purpose) => purpose.id === purposeId)?.currentVersion.title ?? purposeId);
  const changed = () => {
    query.reload();
    onChange();
  };
  const items = query.data?.items ?? [];

  return (
    <Paper withBorder radius="md" p="lg" component="section">
      <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
        <Title order={2} size="h4">
          {t('restrictions.title')}
        </Title>
        {canRestrict && (
          <Button
            variant="light"
            color="red"
            leftSection={<IconHandStop size={16} />}
            onClick={() => setIsAddOpen(true)}
          >
            {t('restrictions.add')}
          </Button>
        )}
      </Group>
      {query.error !== null && <ErrorAlert error={query.error} onRetry={query.reload} />}
      {query.data !== null && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('restrictions.none')}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('restrictions.kind')}</Table.Th>
                <Table.Th>{t('restrictions.purpose')}</Table.Th>
                <Table.Th>{t('restrictions.reason')}</Table.Th>
                <Table.Th>{t('restrictions.since')}</Table.Th>
                {canRestrict && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    <Badge
                      color={item.kind === 'blocked' ? 'red' : 'orange'}
                      variant="light"
                      leftSection={item.kind === 'blocked' ? <IconLock size={12} /> : null}
                      tt="none"
                    >
                      {t(`restrictions.kind.${item.kind}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{titleOf(item.purposeId)}</Table.Td>
                  <Table.Td>{item.reason}</Table.Td>
                  <Table.Td>{formatDateTime(item.createdAt)}</Table.Td>
                  {canRestrict && (
                    <Table.Td>
                      <Button size="xs" variant="subtle" onClick={() => setToLift(item)}>
                        {t('restrictions.lift')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canRestrict && (
        <>
          <AddRestrictionModal
            contactId={contactId}
            opened={isAddOpen}
            purposes={purposes}
            onClose={() => setIsAddOpen(false)}
            onAdded={changed}
          />
          <LiftModal
            contactId={contactId}
            restriction={toLift}
            onClose={() => setToLift(null)}
            onLifted={changed}
          />
        </>
      )}
    </Paper>
  );
}

/** Shown instead of the card when a blocked person is opened by someone else than the officer. */
export function BlockedNotice() {
  const { t } = useI18n();
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconLock size={18} />}
      title={t('restrictions.blockedTitle')}
    >
      {t('restrictions.blockedText')}
    </Alert>
  );
}
