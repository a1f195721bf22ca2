import {
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api } from '../../app/api-client.ts';
import type { RecordedConsent, WithdrawBody } from '../../app/api-types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';

type Source = 'phone' | 'paper' | 'other';

type WithdrawConsentModalProps = {
  contactId: string;
  /** The purpose to withdraw, or null while the dialog is closed. */
  purpose: { code: string; title: string } | null;
  onClose: () => void;
  onWithdrawn: (recorded: RecordedConsent) => void;
};

/** A withdrawal the person asked staff for, with what proves it when there is something. */
export function WithdrawConsentModal({
  contactId,
  purpose,
  onClose,
  onWithdrawn,
}: WithdrawConsentModalProps) {
  const { t } = useI18n();
  const [source, setSource] = useState<Source>('phone');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  const close = () => {
    if (isBusy) {
      return;
    }
    setSource('phone');
    setReference('');
    setNote('');
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!purpose) {
      return;
    }
    const ref = reference.trim();
    const trimmedNote = note.trim();
    const body: WithdrawBody = {
      ...(ref && source === 'phone' ? { recordingRef: ref } : {}),
      ...(ref && source === 'paper' ? { scanRef: ref } : {}),
      ...(trimmedNote ? { note: trimmedNote } : {}),
    };
    setIsBusy(true);
    setError(null);
    try {
      const recorded = await api.post<RecordedConsent>(
        `/api/v1/contacts/${encodeURIComponent(contactId)}/consents/${encodeURIComponent(purpose.code)}/withdraw`,
        body,
      );
      setIsBusy(false);
      onWithdrawn(recorded);
      close();
    } catch (caught) {
      setError(caught);
      setIsBusy(false);
    }
  };

  return (
    <Modal
      opened={purpose !== null}
      onClose={close}
      title={<Text fw={600}>{t('contactCard.withdrawTitle')}</Text>}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          <Text size="sm">
            {t('contactCard.withdrawExplanation', { purpose: purpose?.title ?? '' })}
          </Text>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="withdraw-source-label">
              {t('contactCard.withdrawSource')}
            </Text>
            <SegmentedControl
              aria-labelledby="withdraw-source-label"
              value={source}
              onChange={(value) => setSource(value as Source)}
              data={[
                { value: 'phone', label: t('consentChannel.phone') },
                { value: 'paper', label: t('consentChannel.paper') },
                { value: 'other', label: t('contactCard.withdrawOther') },
              ]}
            />
          </Stack>
          {source !== 'other' && (
            <TextInput
              label={source === 'phone' ? t('contactCard.recordingRef') : t('contactCard.scanRef')}
              description={t('contactCard.withdrawRefHint')}
              value={reference}
              onChange={(event) => setReference(event.currentTarget.value)}
              maxLength={500}
            />
          )}
          <Textarea
            label={t('contactCard.note')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            maxLength={2000}
            autosize
            minRows={2}
          />
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={isBusy}>
              {t('contactCard.withdrawSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
