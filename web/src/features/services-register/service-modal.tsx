import { Button, Group, Modal, Select, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { SERVICE_KINDS, SERVICE_ROLES, type Service } from './service-types.ts';

type Draft = {
  name: string;
  kind: string;
  country: string;
  role: string;
  dataCategories: string[];
  purposeCodes: string[];
  contractReference: string;
  notes: string;
};

const EMPTY: Draft = {
  name: '',
  kind: 'other',
  country: 'RU',
  role: 'processor',
  dataCategories: [],
  purposeCodes: [],
  contractReference: '',
  notes: '',
};

function draftOf(service: Service | null): Draft {
  if (!service) {
    return EMPTY;
  }
  return {
    name: service.name,
    kind: service.kind,
    country: service.country,
    role: service.role,
    dataCategories: service.dataCategories,
    purposeCodes: service.purposeCodes,
    contractReference: service.contractReference ?? '',
    notes: service.notes ?? '',
  };
}

/** Adds a service by hand, or edits one; the server's field messages show under the fields. */
export function ServiceModal({
  opened,
  service,
  onClose,
  onSaved,
}: {
  opened: boolean;
  service: Service | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(draftOf(service));
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);

  useEffect(() => {
    if (opened) {
      setDraft(draftOf(service));
      setError(null);
    }
  }, [opened, service]);

  const fieldError = (name: string) =>
    isApiError(error) ? error.fields[name]?.join('; ') : undefined;

  const save = async () => {
    setIsSaving(true);
    setError(null);
    const body = {
      name: draft.name,
      kind: draft.kind,
      country: draft.country.toUpperCase(),
      role: draft.role,
      dataCategories: draft.dataCategories,
      purposeCodes: draft.purposeCodes,
      ...(draft.contractReference ? { contractReference: draft.contractReference } : {}),
      ...(draft.notes ? { notes: draft.notes } : {}),
    };
    try {
      if (service) {
        await api.patch(`/api/v1/compliance/services/${service.id}`, {
          ...body,
          contractReference: draft.contractReference || null,
          notes: draft.notes || null,
        });
      } else {
        await api.post('/api/v1/compliance/services', body);
      }
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
      opened={opened}
      onClose={onClose}
      title={service ? t('services.editTitle') : t('services.addTitle')}
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
            label={t('services.fieldName')}
            required
            value={draft.name}
            onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })}
            error={fieldError('name')}
            data-autofocus
          />
          <Group grow align="flex-start">
            <Select
              label={t('services.fieldKind')}
              data={SERVICE_KINDS.map((kind) => ({
                value: kind,
                label: t(`services.kind.${kind}`),
              }))}
              value={draft.kind}
              onChange={(value) => setDraft({ ...draft, kind: value ?? 'other' })}
              allowDeselect={false}
            />
            <Select
              label={t('services.fieldRole')}
              data={SERVICE_ROLES.map((role) => ({
                value: role,
                label: t(`services.role.${role}`),
              }))}
              value={draft.role}
              onChange={(value) => setDraft({ ...draft, role: value ?? 'processor' })}
              allowDeselect={false}
            />
          </Group>
          <TextInput
            label={t('services.fieldCountry')}
            description={t('services.fieldCountryHint')}
            required
            maxLength={2}
            value={draft.country}
            onChange={(event) =>
              setDraft({ ...draft, country: event.currentTarget.value.toUpperCase() })
            }
            error={fieldError('country')}
          />
          <TagsInput
            label={t('services.fieldCategories')}
            description={t('services.fieldCodesHint')}
            value={draft.dataCategories}
            onChange={(value) => setDraft({ ...draft, dataCategories: value })}
            error={fieldError('dataCategories')}
          />
          <TagsInput
            label={t('services.fieldPurposes')}
            description={t('services.fieldCodesHint')}
            value={draft.purposeCodes}
            onChange={(value) => setDraft({ ...draft, purposeCodes: value })}
            error={fieldError('purposeCodes')}
          />
          <TextInput
            label={t('services.fieldContract')}
            value={draft.contractReference}
            onChange={(event) =>
              setDraft({ ...draft, contractReference: event.currentTarget.value })
            }
            error={fieldError('contractReference')}
          />
          <Textarea
            label={t('services.fieldNotes')}
            autosize
            minRows={2}
            value={draft.notes}
            onChange={(event) => setDraft({ ...draft, notes: event.currentTarget.value })}
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
