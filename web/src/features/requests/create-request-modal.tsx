import { Divider, Select, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ModalShell } from './request-modals.tsx';
import {
  INTAKE_SOURCES,
  JURISDICTIONS,
  jurisdictionLabel,
  methodLabel,
  REQUEST_TYPES,
  sourceLabel,
  typeLabel,
  VERIFICATION_METHODS,
} from './request-types.ts';

/** Staff intake: a request that came by phone, on paper or by email. */
export function CreateRequestModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [values, setValues] = useState({
    type: 'access',
    source: 'phone',
    jurisdiction: 'ru',
    contactId: '',
    purposeCode: '',
    name: '',
    email: '',
    phone: '',
    address: '',
    details: '',
    sourceRef: '',
    method: 'none',
    documentNumber: '',
    documentIssuer: '',
  });
  const set = (key: keyof typeof values) => (value: string | null) =>
    setValues((current) => ({ ...current, [key]: value ?? '' }));
  const text = (key: keyof typeof values) => ({
    value: values[key],
    onChange: (event: { currentTarget: { value: string } }) => set(key)(event.currentTarget.value),
  });
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);

  const submit = async () => {
    setIsBusy(true);
    setError(null);
    try {
      const requester = {
        name: optional(values.name),
        email: optional(values.email),
        phone: optional(values.phone),
        address: optional(values.address),
      };
      const created = await api.post<{ id: string }>('/api/v1/subject-requests', {
        type: values.type,
        source: values.source,
        jurisdiction: values.jurisdiction,
        contactId: optional(values.contactId),
        purposeCode: optional(values.purposeCode),
        requester: Object.values(requester).some(Boolean) ? requester : undefined,
        details: optional(values.details),
        sourceRef: optional(values.sourceRef),
        verification:
          values.method === 'none'
            ? undefined
            : {
                method: values.method,
                documentNumber: optional(values.documentNumber),
                documentIssuer: optional(values.documentIssuer),
              },
      });
      onCreated(created.id);
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <ModalShell
      opened={opened}
      size="xl"
      title={t('requests.createTitle')}
      isBusy={isBusy}
      error={error}
      submitLabel={t('requests.createSubmit')}
      onClose={onClose}
      onSubmit={submit}
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label={t('requests.fieldType')}
          data={REQUEST_TYPES.map((value) => ({ value, label: typeLabel(i18n, value) }))}
          value={values.type}
          onChange={set('type')}
          allowDeselect={false}
          data-autofocus
        />
        <Select
          label={t('requests.fieldSource')}
          data={INTAKE_SOURCES.map((value) => ({ value, label: sourceLabel(i18n, value) }))}
          value={values.source}
          onChange={set('source')}
          allowDeselect={false}
        />
        <Select
          label={t('requests.fieldJurisdiction')}
          data={JURISDICTIONS.map((value) => ({ value, label: jurisdictionLabel(i18n, value) }))}
          value={values.jurisdiction}
          onChange={set('jurisdiction')}
          allowDeselect={false}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('requests.createContact')}
          description={t('requests.createContactHint')}
          {...text('contactId')}
        />
        {values.type === 'withdrawal' || values.type === 'stop' ? (
          <TextInput
            label={t('requests.createPurpose')}
            description={t('requests.createPurposeHint')}
            {...text('purposeCode')}
          />
        ) : (
          <TextInput label={t('requests.fieldSourceRef')} {...text('sourceRef')} maxLength={500} />
        )}
      </SimpleGrid>
      <Divider label={t('requests.fieldRequester')} labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('requests.requesterName')} {...text('name')} maxLength={300} />
        <TextInput label={t('requests.requesterEmail')} {...text('email')} type="email" />
        <TextInput label={t('requests.requesterPhone')} {...text('phone')} maxLength={50} />
        <TextInput label={t('requests.requesterAddress')} {...text('address')} maxLength={500} />
      </SimpleGrid>
      <Textarea
        label={t('requests.fieldDetails')}
        {...text('details')}
        maxLength={5000}
        autosize
        minRows={3}
      />
      <Divider label={t('requests.sectionIdentity')} labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label={t('requests.fieldMethod')}
          data={VERIFICATION_METHODS.filter((value) => value !== 'portal_code').map((value) => ({
            value,
            label: methodLabel(i18n, value),
          }))}
          value={values.method}
          onChange={set('method')}
          allowDeselect={false}
        />
        {values.method === 'document' && (
          <>
            <TextInput
              label={t('requests.fieldDocumentNumber')}
              {...text('documentNumber')}
              required
            />
            <TextInput label={t('requests.fieldDocumentIssuer')} {...text('documentIssuer')} />
          </>
        )}
      </SimpleGrid>
    </ModalShell>
  );
}
