import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { type FormErrors, hasErrors, serverFieldErrors } from '../../ui/form-errors.ts';
import { kindLabel } from './incident-labels.ts';
import { INCIDENT_KINDS, type IncidentDetail, type IncidentKind } from './incident-types.ts';

/** `YYYY-MM-DDTHH:mm` in the user's time zone, for a datetime-local input. */
export function toLocalInput(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

/** A datetime-local value as an ISO instant, or null when it is not one. */
export function fromLocalInput(value: string): string | null {
  if (!value) {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

type Field = 'title' | 'detectedAt';

type Draft = {
  title: string;
  kind: IncidentKind;
  detectedAt: string;
  description: string;
  causes: string;
  harm: string;
  measures: string;
  contactPerson: string;
  affectedSubjectsCount: number | string;
  affectedCategories: string[];
  gdprApplies: boolean;
};

function emptyDraft(): Draft {
  return {
    title: '',
    kind: 'leak',
    detectedAt: toLocalInput(new Date()),
    description: '',
    causes: '',
    harm: '',
    measures: '',
    contactPerson: '',
    affectedSubjectsCount: '',
    affectedCategories: [],
    gdprApplies: false,
  };
}

function textOrNull(value: string): string | undefined {
  const text = value.trim();
  return text ? text : undefined;
}

/**
 * Registers an incident. Only the title, kind and detection time are needed at once: the clocks
 * start at detection (R-D7), and the rest can be filled in while the 24 hours run.
 */
export function CreateIncidentModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (incident: IncidentDetail) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const close = () => {
    if (isBusy) {
      return;
    }
    setDraft(emptyDraft());
    setErrors({});
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const detectedAt = fromLocalInput(draft.detectedAt);
    const found: FormErrors<Field> = {
      title: draft.title.trim() ? undefined : t('validation.required'),
      detectedAt:
        detectedAt === null
          ? t('validation.required')
          : new Date(detectedAt).getTime() > Date.now()
            ? t('incidents.detectedInFuture')
            : undefined,
    };
    setErrors(found);
    if (hasErrors(found) || detectedAt === null) {
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      const count = draft.affectedSubjectsCount;
      const created = await api.post<IncidentDetail>('/api/v1/incidents', {
        title: draft.title.trim(),
        kind: draft.kind,
        detectedAt,
        description: textOrNull(draft.description),
        causes: textOrNull(draft.causes),
        harm: textOrNull(draft.harm),
        measures: textOrNull(draft.measures),
        contactPerson: textOrNull(draft.contactPerson),
        affectedSubjectsCount: typeof count === 'number' ? count : undefined,
        affectedCategories: draft.affectedCategories,
        gdprApplies: draft.gdprApplies,
      });
      setIsBusy(false);
      onCreated(created);
      setDraft(emptyDraft());
      onClose();
    } catch (caught) {
      setErrors(serverFieldErrors(caught, ['title', 'detectedAt'] as const, i18n));
      setError(caught);
      setIsBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{t('incidents.createTitle')}</Text>}
      size="xl"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('incidents.createExplanation')}
          </Text>
          <TextInput
            label={t('incidents.fieldTitle')}
            description={t('incidents.fieldTitleHint')}
            value={draft.title}
            onChange={(event) => set('title', event.currentTarget.value)}
            error={errors.title}
            maxLength={300}
            required
            data-autofocus
          />
          <Group grow align="flex-start" wrap="wrap">
            <Select
              label={t('incidents.fieldKind')}
              data={INCIDENT_KINDS.map((kind) => ({ value: kind, label: kindLabel(i18n, kind) }))}
              value={draft.kind}
              onChange={(value) => value && set('kind', value as IncidentKind)}
              allowDeselect={false}
              required
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              type="datetime-local"
              label={t('incidents.fieldDetectedAt')}
              description={t('incidents.fieldDetectedAtHint')}
              value={draft.detectedAt}
              onChange={(event) => set('detectedAt', event.currentTarget.value)}
              error={errors.detectedAt}
              required
            />
          </Group>
          {draft.kind === 'unlawful_processing' && (
            <Text size="sm" c="orange.8">
              {t('incidents.unlawfulHint')}
            </Text>
          )}
          <Textarea
            label={t('incidents.fieldDescription')}
            value={draft.description}
            onChange={(event) => set('description', event.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={10_000}
          />
          <Textarea
            label={t('incidents.fieldCauses')}
            value={draft.causes}
            onChange={(event) => set('causes', event.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={10_000}
          />
          <Textarea
            label={t('incidents.fieldHarm')}
            value={draft.harm}
            onChange={(event) => set('harm', event.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={10_000}
          />
          <Textarea
            label={t('incidents.fieldMeasures')}
            value={draft.measures}
            onChange={(event) => set('measures', event.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={10_000}
          />
          <TextInput
            label={t('incidents.fieldContactPerson')}
            description={t('incidents.fieldContactPersonHint')}
            value={draft.contactPerson}
            onChange={(event) => set('contactPerson', event.currentTarget.value)}
            maxLength={1000}
          />
          <Group grow align="flex-start" wrap="wrap">
            <NumberInput
              label={t('incidents.fieldAffectedCount')}
              description={t('incidents.fieldAffectedCountHint')}
              value={draft.affectedSubjectsCount}
              onChange={(value) => set('affectedSubjectsCount', value)}
              min={0}
              allowDecimal={false}
              allowNegative={false}
            />
            <TagsInput
              label={t('incidents.fieldCategories')}
              description={t('incidents.fieldCategoriesHint')}
              value={draft.affectedCategories}
              onChange={(value) => set('affectedCategories', value)}
              maxTags={50}
              clearable
            />
          </Group>
          <Checkbox
            label={t('incidents.fieldGdpr')}
            description={t('incidents.fieldGdprHint')}
            checked={draft.gdprApplies}
            onChange={(event) => set('gdprApplies', event.currentTarget.checked)}
          />
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isBusy}>
              {t('incidents.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
