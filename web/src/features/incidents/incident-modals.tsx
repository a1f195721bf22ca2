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
import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { fromLocalInput, toLocalInput } from './create-incident-modal.tsx';
import { kindLabel, stepLabel } from './incident-labels.ts';
import {
  INCIDENT_KINDS,
  type IncidentDetail,
  type IncidentKind,
  type IncidentStep,
  TEXT_FIELDS,
  type TextField,
} from './incident-types.ts';

type ModalShellProps = {
  opened: boolean;
  title: string;
  isBusy: boolean;
  error: unknown;
  submitLabel: string;
  submitColor?: string;
  onClose: () => void;
  onSubmit: () => Promise<void>;
  children: ReactNode;
};

/** A dialog with one form: cancel and submit, the server's error above them. */
function ModalShell({
  opened,
  title,
  isBusy,
  error,
  submitLabel,
  submitColor,
  onClose,
  onSubmit,
  children,
}: ModalShellProps) {
  const { t } = useI18n();
  return (
    <Modal
      opened={opened}
      onClose={() => !isBusy && onClose()}
      title={<Text fw={600}>{title}</Text>}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          void onSubmit();
        }}
        noValidate
      >
        <Stack gap="md">
          {children}
          {error !== null && <ErrorAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isBusy} color={submitColor}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Runs a change against the API, keeping the dialog open with the error when it fails. */
function useSubmit(onDone: (incident: IncidentDetail) => void, onClose: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const run = async (call: () => Promise<IncidentDetail>) => {
    setIsBusy(true);
    setError(null);
    try {
      const incident = await call();
      setIsBusy(false);
      onDone(incident);
      onClose();
    } catch (caught) {
      setError(caught);
      setIsBusy(false);
    }
  };
  return { error, setError, isBusy, run };
}

function incidentUrl(incidentId: string, suffix = ''): string {
  return `/api/v1/incidents/${encodeURIComponent(incidentId)}${suffix}`;
}

/** Records that a notice went out (or a duty was done): when, and what proves it (R-D7). */
export function RecordStepModal({
  incidentId,
  step,
  onClose,
  onSaved,
}: {
  incidentId: string;
  step: IncidentStep | null;
  onClose: () => void;
  onSaved: (incident: IncidentDetail) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [at, setAt] = useState(() => toLocalInput(new Date()));
  const [evidence, setEvidence] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const submit = useSubmit(onSaved, onClose);

  return (
    <ModalShell
      opened={step !== null}
      title={step ? t('incidents.recordStepTitle', { step: stepLabel(i18n, step) }) : ''}
      isBusy={submit.isBusy}
      error={submit.error}
      submitLabel={t('incidents.recordStepSubmit')}
      onClose={() => {
        setFieldError(null);
        submit.setError(null);
        onClose();
      }}
      onSubmit={async () => {
        const instant = fromLocalInput(at);
        if (!instant || !evidence.trim()) {
          setFieldError(t('validation.required'));
          return;
        }
        setFieldError(null);
        await submit.run(() =>
          api.post<IncidentDetail>(incidentUrl(incidentId, '/steps'), {
            step,
            at: instant,
            evidence: evidence.trim(),
          }),
        );
      }}
    >
      <Text size="sm" c="dimmed">
        {t('incidents.recordStepExplanation')}
      </Text>
      <TextInput
        type="datetime-local"
        label={t('incidents.recordStepAt')}
        value={at}
        onChange={(event) => setAt(event.currentTarget.value)}
        error={fieldError && !fromLocalInput(at) ? fieldError : undefined}
        required
      />
      <TextInput
        label={t('incidents.recordStepEvidence')}
        description={t('incidents.recordStepEvidenceHint')}
        value={evidence}
        onChange={(event) => setEvidence(event.currentTarget.value)}
        error={fieldError && !evidence.trim() ? fieldError : undefined}
        maxLength={1000}
        required
        data-autofocus
      />
    </ModalShell>
  );
}

const TEXT_LIMITS: Record<TextField, number> = {
  description: 10_000,
  causes: 10_000,
  harm: 10_000,
  measures: 10_000,
  contactPerson: 1000,
  investigation: 20_000,
  responsiblePersons: 5000,
};

type EditDraft = Record<TextField, string> & {
  title: string;
  kind: IncidentKind;
  detectedAt: string;
  affectedSubjectsCount: number | string;
  affectedCategories: string[];
  gdprApplies: boolean;
};

function draftOf(incident: IncidentDetail): EditDraft {
  const texts = Object.fromEntries(
    TEXT_FIELDS.map((field) => [field, incident[field] ?? '']),
  ) as Record<TextField, string>;
  return {
    ...texts,
    title: incident.title,
    kind: incident.kind,
    detectedAt: toLocalInput(new Date(incident.detectedAt)),
    affectedSubjectsCount: incident.affectedSubjectsCount ?? '',
    affectedCategories: incident.affectedCategories,
    gdprApplies: incident.gdprApplies,
  };
}

/** Edits an open incident; only what changed is sent, so the timeline names exactly that. */
export function EditIncidentModal({
  incident,
  opened,
  onClose,
  onSaved,
}: {
  incident: IncidentDetail;
  opened: boolean;
  onClose: () => void;
  onSaved: (incident: IncidentDetail) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, setDraft] = useState<EditDraft>(() => draftOf(incident));
  const submit = useSubmit(onSaved, onClose);
  const set = <K extends keyof EditDraft>(key: K, value: EditDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const changes = (): Record<string, unknown> => {
    const original = draftOf(incident);
    const body: Record<string, unknown> = {};
    if (draft.title.trim() !== original.title) body.title = draft.title.trim();
    if (draft.kind !== original.kind) body.kind = draft.kind;
    if (draft.detectedAt !== original.detectedAt)
      body.detectedAt = fromLocalInput(draft.detectedAt);
    for (const field of TEXT_FIELDS) {
      const value = draft[field].trim();
      if (value !== original[field]) body[field] = value === '' ? null : value;
    }
    if (draft.affectedSubjectsCount !== original.affectedSubjectsCount) {
      body.affectedSubjectsCount =
        typeof draft.affectedSubjectsCount === 'number' ? draft.affectedSubjectsCount : null;
    }
    if (JSON.stringify(draft.affectedCategories) !== JSON.stringify(original.affectedCategories)) {
      body.affectedCategories = draft.affectedCategories;
    }
    if (draft.gdprApplies !== original.gdprApplies) body.gdprApplies = draft.gdprApplies;
    return body;
  };

  const textLabel: Record<TextField, string> = {
    description: t('incidents.fieldDescription'),
    causes: t('incidents.fieldCauses'),
    harm: t('incidents.fieldHarm'),
    measures: t('incidents.fieldMeasures'),
    contactPerson: t('incidents.fieldContactPerson'),
    investigation: t('incidents.fieldInvestigation'),
    responsiblePersons: t('incidents.fieldResponsiblePersons'),
  };

  return (
    <ModalShell
      opened={opened}
      title={t('incidents.editTitle', { number: incident.number })}
      isBusy={submit.isBusy}
      error={submit.error}
      submitLabel={t('incidents.editSubmit')}
      onClose={() => {
        setDraft(draftOf(incident));
        submit.setError(null);
        onClose();
      }}
      onSubmit={async () => {
        const body = changes();
        if (Object.keys(body).length === 0) {
          onClose();
          return;
        }
        await submit.run(() => api.patch<IncidentDetail>(incidentUrl(incident.id), body));
      }}
    >
      <TextInput
        label={t('incidents.fieldTitle')}
        description={t('incidents.fieldTitleHint')}
        value={draft.title}
        onChange={(event) => set('title', event.currentTarget.value)}
        maxLength={300}
        required
      />
      <Group grow align="flex-start" wrap="wrap">
        <Select
          label={t('incidents.fieldKind')}
          data={INCIDENT_KINDS.map((kind) => ({ value: kind, label: kindLabel(i18n, kind) }))}
          value={draft.kind}
          onChange={(value) => value && set('kind', value as IncidentKind)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          type="datetime-local"
          label={t('incidents.fieldDetectedAt')}
          description={t('incidents.editDetectedHint')}
          value={draft.detectedAt}
          onChange={(event) => set('detectedAt', event.currentTarget.value)}
        />
      </Group>
      {TEXT_FIELDS.map((field) =>
        field === 'contactPerson' ? (
          <TextInput
            key={field}
            label={textLabel[field]}
            value={draft[field]}
            onChange={(event) => set(field, event.currentTarget.value)}
            maxLength={TEXT_LIMITS[field]}
          />
        ) : (
          <Textarea
            key={field}
            label={textLabel[field]}
            value={draft[field]}
            onChange={(event) => set(field, event.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={TEXT_LIMITS[field]}
          />
        ),
      )}
      <Group grow align="flex-start" wrap="wrap">
        <NumberInput
          label={t('incidents.fieldAffectedCount')}
          value={draft.affectedSubjectsCount}
          onChange={(value) => set('affectedSubjectsCount', value)}
          min={0}
          allowDecimal={false}
          allowNegative={false}
        />
        <TagsInput
          label={t('incidents.fieldCategories')}
          value={draft.affectedCategories}
          onChange={(value) => set('affectedCategories', value)}
          maxTags={50}
          clearable
        />
      </Group>
      <Checkbox
        label={t('incidents.fieldGdpr')}
        checked={draft.gdprApplies}
        onChange={(event) => set('gdprApplies', event.currentTarget.checked)}
      />
    </ModalShell>
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function tokensOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((token) => token.trim())
    .filter((token) => token !== '');
}

/** Links affected contacts (by id) and access-log entries (by number) to the incident. */
export function LinkRecordsModal({
  incidentId,
  opened,
  onClose,
  onSaved,
}: {
  incidentId: string;
  opened: boolean;
  onClose: () => void;
  onSaved: (incident: IncidentDetail) => void;
}) {
  const { t } = useI18n();
  const [contacts, setContacts] = useState('');
  const [entries, setEntries] = useState('');
  const [fieldError, setFieldError] = useState<{ contacts?: string; entries?: string }>({});
  const submit = useSubmit(onSaved, onClose);

  return (
    <ModalShell
      opened={opened}
      title={t('incidents.linkTitle')}
      isBusy={submit.isBusy}
      error={submit.error}
      submitLabel={t('incidents.linkSubmit')}
      onClose={() => {
        setFieldError({});
        submit.setError(null);
        onClose();
      }}
      onSubmit={async () => {
        const contactIds = tokensOf(contacts);
        const accessLogIds = tokensOf(entries);
        const errors = {
          contacts: contactIds.every((id) => UUID.test(id))
            ? undefined
            : t('incidents.linkBadContact'),
          entries: accessLogIds.every((id) => /^\d{1,15}$/.test(id))
            ? undefined
            : t('incidents.linkBadEntry'),
        };
        if (!errors.contacts && !errors.entries && contactIds.length + accessLogIds.length === 0) {
          errors.contacts = t('incidents.linkNothing');
        }
        setFieldError(errors);
        if (errors.contacts || errors.entries) {
          return;
        }
        await submit.run(() =>
          api.post<IncidentDetail>(incidentUrl(incidentId, '/records'), {
            contactIds,
            accessLogIds: accessLogIds.map(Number),
          }),
        );
        setContacts('');
        setEntries('');
      }}
    >
      <Text size="sm" c="dimmed">
        {t('incidents.linkExplanation')}
      </Text>
      <Textarea
        label={t('incidents.linkContacts')}
        description={t('incidents.linkContactsHint')}
        value={contacts}
        onChange={(event) => setContacts(event.currentTarget.value)}
        error={fieldError.contacts}
        autosize
        minRows={2}
        ff="monospace"
        data-autofocus
      />
      <Textarea
        label={t('incidents.linkEntries')}
        description={t('incidents.linkEntriesHint')}
        value={entries}
        onChange={(event) => setEntries(event.currentTarget.value)}
        error={fieldError.entries}
        autosize
        minRows={2}
        ff="monospace"
      />
    </ModalShell>
  );
}

/** Closes the incident with its resolution; steps not recorded will show as missed. */
export function CloseIncidentModal({
  incident,
  opened,
  onClose,
  onSaved,
}: {
  incident: IncidentDetail;
  opened: boolean;
  onClose: () => void;
  onSaved: (incident: IncidentDetail) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [resolution, setResolution] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const submit = useSubmit(onSaved, onClose);
  const missing = incident.clocks.filter((clock) => clock.doneAt === null);

  return (
    <ModalShell
      opened={opened}
      title={t('incidents.closeTitle', { number: incident.number })}
      isBusy={submit.isBusy}
      error={submit.error}
      submitLabel={t('incidents.closeSubmit')}
      submitColor={missing.length > 0 ? 'red' : undefined}
      onClose={() => {
        setFieldError(undefined);
        submit.setError(null);
        onClose();
      }}
      onSubmit={async () => {
        if (!resolution.trim()) {
          setFieldError(t('validation.required'));
          return;
        }
        await submit.run(() =>
          api.post<IncidentDetail>(incidentUrl(incident.id, '/close'), {
            resolution: resolution.trim(),
          }),
        );
      }}
    >
      {missing.length > 0 && (
        <Text size="sm" c="red.8" role="alert">
          {t('incidents.closeMissing', {
            steps: missing.map((clock) => stepLabel(i18n, clock.step)).join(', '),
          })}
        </Text>
      )}
      <Textarea
        label={t('incidents.fieldResolution')}
        description={t('incidents.fieldResolutionHint')}
        value={resolution}
        onChange={(event) => setResolution(event.currentTarget.value)}
        error={fieldError}
        autosize
        minRows={3}
        maxLength={5000}
        required
        data-autofocus
      />
    </ModalShell>
  );
}
