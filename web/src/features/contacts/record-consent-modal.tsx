import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api } from '../../app/api-client.ts';
import type { Purpose, RecordedConsent, StaffConsentBody } from '../../app/api-types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { serverErrorsByPath } from '../../ui/form-errors.ts';
import { kindLabel } from '../purposes/purpose-labels.ts';

type Channel = StaffConsentBody['channel'];

type RecordConsentModalProps = {
  opened: boolean;
  contactId: string;
  /** Purposes with a consent document: only these can be consented to. */
  purposes: Purpose[];
  onClose: () => void;
  onRecorded: (recorded: RecordedConsent) => void;
};

/** A consent taken by phone (recording and script) or on paper (signed scan). */
export function RecordConsentModal({
  opened,
  contactId,
  purposes,
  onClose,
  onRecorded,
}: RecordConsentModalProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [purposeCode, setPurposeCode] = useState<string | null>(null);
  const [channel, setChannel] = useState<Channel>('phone');
  const [recordingRef, setRecordingRef] = useState('');
  const [scriptVersion, setScriptVersion] = useState('');
  const [scanRef, setScanRef] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  const purpose = purposes.find((candidate) => candidate.code === purposeCode) ?? null;
  const needsPaper = purpose?.currentVersion.isWrittenConsentRequired ?? false;
  const effectiveChannel: Channel = needsPaper ? 'paper' : channel;

  const close = () => {
    if (isBusy) {
      return;
    }
    setPurposeCode(null);
    setChannel('phone');
    setRecordingRef('');
    setScriptVersion('');
    setScanRef('');
    setNote('');
    setErrors({});
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const required = t('validation.required');
    const found = {
      purposeCode: purposeCode ? undefined : required,
      recordingRef: effectiveChannel === 'phone' && !recordingRef.trim() ? required : undefined,
      scriptVersion: effectiveChannel === 'phone' && !scriptVersion.trim() ? required : undefined,
      scanRef: effectiveChannel === 'paper' && !scanRef.trim() ? required : undefined,
    };
    setErrors(found);
    setError(null);
    if (Object.values(found).some(Boolean) || !purposeCode) {
      return;
    }
    const trimmedNote = note.trim();
    const body: StaffConsentBody =
      effectiveChannel === 'phone'
        ? {
            channel: 'phone',
            purposeCode,
            recordingRef: recordingRef.trim(),
            scriptVersion: scriptVersion.trim(),
            ...(trimmedNote ? { note: trimmedNote } : {}),
          }
        : {
            channel: 'paper',
            purposeCode,
            scanRef: scanRef.trim(),
            ...(trimmedNote ? { note: trimmedNote } : {}),
          };
    setIsBusy(true);
    try {
      const recorded = await api.post<RecordedConsent>(
        `/api/v1/contacts/${encodeURIComponent(contactId)}/consents`,
        body,
      );
      setIsBusy(false);
      onRecorded(recorded);
      close();
    } catch (caught) {
      setError(caught);
      setErrors(serverErrorsByPath(caught, i18n));
      setIsBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{t('contactCard.recordTitle')}</Text>}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          <Select
            label={t('contactCard.recordPurpose')}
            placeholder={t('forms.choosePurpose')}
            data={purposes.map((candidate) => ({
              value: candidate.code,
              label: `${candidate.currentVersion.title} · ${kindLabel(i18n, candidate.kind)}`,
            }))}
            value={purposeCode}
            onChange={setPurposeCode}
            error={errors.purposeCode}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            data-autofocus
          />
          {purpose?.document && (
            <Text size="sm">
              {t('contactCard.recordDocument', { version: purpose.document.version })}{' '}
              <Anchor href={purpose.document.url} target="_blank" rel="noopener noreferrer">
                {t('contactCard.recordDocumentLink')}
              </Anchor>
            </Text>
          )}
          <Stack gap={4}>
            <Text size="sm" fw={500} id="record-channel-label">
              {t('contactCard.recordChannel')}
            </Text>
            <SegmentedControl
              aria-labelledby="record-channel-label"
              value={effectiveChannel}
              onChange={(value) => setChannel(value === 'paper' ? 'paper' : 'phone')}
              data={[
                { value: 'phone', label: t('consentChannel.phone'), disabled: needsPaper },
                { value: 'paper', label: t('consentChannel.paper') },
              ]}
            />
          </Stack>
          {needsPaper && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
              {t('contactCard.writtenOnly')}
            </Alert>
          )}
          {effectiveChannel === 'phone' ? (
            <>
              <TextInput
                label={t('contactCard.recordingRef')}
                description={t('contactCard.recordingRefHint')}
                value={recordingRef}
                onChange={(event) => setRecordingRef(event.currentTarget.value)}
                error={errors.recordingRef}
                maxLength={500}
              />
              <TextInput
                label={t('contactCard.scriptVersion')}
                description={t('contactCard.scriptVersionHint')}
                value={scriptVersion}
                onChange={(event) => setScriptVersion(event.currentTarget.value)}
                error={errors.scriptVersion}
                maxLength={200}
              />
            </>
          ) : (
            <TextInput
              label={t('contactCard.scanRef')}
              description={t('contactCard.scanRefHint')}
              value={scanRef}
              onChange={(event) => setScanRef(event.currentTarget.value)}
              error={errors.scanRef}
              maxLength={500}
            />
          )}
          <Textarea
            label={t('contactCard.note')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            error={errors.note}
            maxLength={2000}
            autosize
            minRows={2}
          />
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isBusy}>
              {t('contactCard.recordSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
