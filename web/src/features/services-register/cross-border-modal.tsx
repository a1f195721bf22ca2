import { Button, Group, Modal, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';

export type NoticeTarget = { type: 'service' | 'partner'; id: string; name: string };

/** Records the cross-border transfer notice (152-FZ Art. 12) of a foreign service or partner. */
export function CrossBorderModal({
  target,
  onClose,
  onSaved,
}: {
  target: NoticeTarget | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [dataCategories, setDataCategories] = useState<string[]>([]);
  const [subjectCategories, setSubjectCategories] = useState<string[]>([]);
  const [recipientAddress, setRecipientAddress] = useState('');
  const [recipientMeasures, setRecipientMeasures] = useState('');
  const [assessedOn, setAssessedOn] = useState('');
  const [noticeDate, setNoticeDate] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);

  useEffect(() => {
    if (target) {
      setError(null);
    }
  }, [target]);

  const fieldError = (name: string) =>
    isApiError(error)
      ? Object.entries(error.fields)
          .filter(([key]) => key === name || key.startsWith(`${name}.`))
          .flatMap(([, messages]) => messages)
          .join('; ') || undefined
      : undefined;

  const save = async () => {
    if (!target) {
      return;
    }
    setIsSaving(true);
    setError(null);
    const path =
      target.type === 'service'
        ? `/api/v1/compliance/services/${target.id}/cross-border-notice`
        : `/api/v1/compliance/cross-border/partners/${target.id}/notice`;
    try {
      await api.post(path, {
        facts: {
          purpose,
          legalBasis,
          dataCategories,
          subjectCategories,
          recipientName: target.name,
          recipientAddress,
          recipientMeasures,
          assessedOn,
        },
        noticeDate,
        ...(reference ? { reference } : {}),
      });
      onSaved();
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={t('services.crossBorderTitle', { name: target?.name ?? '' })}
      size="lg"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          {error !== null && <ErrorAlert error={error} />}
          <TextInput
            label={t('services.cbPurpose')}
            required
            value={purpose}
            onChange={(event) => setPurpose(event.currentTarget.value)}
            error={fieldError('facts.purpose')}
            data-autofocus
          />
          <TextInput
            label={t('services.cbLegalBasis')}
            required
            value={legalBasis}
            onChange={(event) => setLegalBasis(event.currentTarget.value)}
            error={fieldError('facts.legalBasis')}
          />
          <TagsInput
            label={t('services.cbCategories')}
            required
            value={dataCategories}
            onChange={setDataCategories}
            error={fieldError('facts.dataCategories')}
          />
          <TagsInput
            label={t('services.cbSubjects')}
            required
            value={subjectCategories}
            onChange={setSubjectCategories}
            error={fieldError('facts.subjectCategories')}
          />
          <TextInput
            label={t('services.cbRecipientAddress')}
            required
            value={recipientAddress}
            onChange={(event) => setRecipientAddress(event.currentTarget.value)}
            error={fieldError('facts.recipientAddress')}
          />
          <Textarea
            label={t('services.cbMeasures')}
            required
            autosize
            minRows={2}
            value={recipientMeasures}
            onChange={(event) => setRecipientMeasures(event.currentTarget.value)}
            error={fieldError('facts.recipientMeasures')}
          />
          <Group grow align="flex-start">
            <TextInput
              type="date"
              label={t('services.cbAssessedOn')}
              required
              value={assessedOn}
              onChange={(event) => setAssessedOn(event.currentTarget.value)}
              error={fieldError('facts.assessedOn')}
            />
            <TextInput
              type="date"
              label={t('services.cbNoticeDate')}
              required
              value={noticeDate}
              onChange={(event) => setNoticeDate(event.currentTarget.value)}
              error={fieldError('noticeDate')}
            />
          </Group>
          <TextInput
            label={t('services.cbReference')}
            value={reference}
            onChange={(event) => setReference(event.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isSaving}>
              {t('services.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
