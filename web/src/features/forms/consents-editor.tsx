import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconExternalLink, IconPlus, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Purpose } from '../../app/api-types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { rowKey } from '../../ui/row-key.ts';
import { KIND_COLOR, kindLabel } from '../purposes/purpose-labels.ts';
import { type ConsentDraft, type FormErrors, MAX_CONSENTS } from './form-draft.ts';

type ConsentsEditorProps = {
  consents: ConsentDraft[];
  onChange: (consents: ConsentDraft[]) => void;
  purposes: Purpose[];
  errors: FormErrors;
};

/**
 * The form's checkboxes. Each row picks exactly one purpose from a single-choice list, so a
 * checkbox can never carry two consents; a purpose already used is not offered again.
 */
export function ConsentsEditor({ consents, onChange, purposes, errors }: ConsentsEditorProps) {
  const i18n = useI18n();
  const { t } = i18n;

  const update = (index: number, patch: Partial<ConsentDraft>) =>
    onChange(consents.map((consent, at) => (at === index ? { ...consent, ...patch } : consent)));

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('forms.consentsHint')}
      </Text>
      {purposes.length === 0 && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
          <Text size="sm">{t('forms.noPurposes')}</Text>
          <Anchor component={Link} to="/purposes" size="sm" fw={500}>
            {t('forms.openPurposes')}
          </Anchor>
        </Alert>
      )}
      {errors['definition.consents'] && (
        <Text size="sm" c="red" role="alert">
          {errors['definition.consents']}
        </Text>
      )}
      {consents.map((consent, index) => {
        const purpose = purposes.find((candidate) => candidate.code === consent.purpose) ?? null;
        const usedElsewhere = new Set(
          consents.filter((_, at) => at !== index).flatMap((other) => other.purpose ?? []),
        );
        const number = index + 1;
        return (
          <Paper key={consent.key} withBorder radius="sm" p="sm" data-testid="consent-row">
            <Stack gap="xs">
              <Group align="flex-end" gap="sm" wrap="wrap">
                <Select
                  label={t('forms.consentPurpose', { number })}
                  placeholder={t('forms.choosePurpose')}
                  data={purposes.map((candidate) => ({
                    value: candidate.code,
                    label: `${candidate.currentVersion.title} · ${kindLabel(i18n, candidate.kind)}`,
                    disabled: candidate.document === null || usedElsewhere.has(candidate.code),
                  }))}
                  value={consent.purpose}
                  onChange={(value) => update(index, { purpose: value })}
                  error={errors[`definition.consents.${index}.purposes`]}
                  allowDeselect={false}
                  style={{ flex: '1 1 280px' }}
                  comboboxProps={{ withinPortal: true }}
                  nothingFoundMessage={t('forms.noPurposes')}
                />
                <Switch
                  label={t('forms.consentRequired')}
                  aria-label={t('forms.consentRequiredOf', { number })}
                  checked={consent.isRequired}
                  onChange={(event) => update(index, { isRequired: event.currentTarget.checked })}
                  mb={8}
                />
                <Tooltip label={t('forms.removeConsent')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mb={4}
                    aria-label={t('forms.removeConsentLabel', { number })}
                    onClick={() => onChange(consents.filter((_, at) => at !== index))}
                  >
                    <IconTrash size={18} />
                  </ActionIcon>
                </Tooltip>
              </Group>
              {purpose && (
                <Group gap="xs">
                  <Badge variant="light" color={KIND_COLOR[purpose.kind]} radius="sm" tt="none">
                    {kindLabel(i18n, purpose.kind)}
                  </Badge>
                  {purpose.document && (
                    <Anchor
                      href={purpose.document.url}
                      target="_blank"
                      rel="noopener noreferrer"
                      size="xs"
                    >
                      <Group gap={4} component="span" wrap="nowrap">
                        {t('purposes.documentVersion', { version: purpose.document.version })}
                        <IconExternalLink size={12} />
                      </Group>
                    </Anchor>
                  )}
                </Group>
              )}
              {purpose && purpose.kind !== 'processing' && consent.isRequired && (
                <Alert color="orange" variant="light" p="xs" icon={<IconAlertTriangle size={16} />}>
                  <Text size="xs">{t('forms.optionalConsentWarning')}</Text>
                </Alert>
              )}
            </Stack>
          </Paper>
        );
      })}
      <Group>
        <Button
          variant="default"
          leftSection={<IconPlus size={16} />}
          disabled={consents.length >= MAX_CONSENTS || purposes.length === 0}
          onClick={() =>
            onChange([...consents, { key: rowKey(), purpose: null, isRequired: false }])
          }
        >
          {t('forms.addConsent')}
        </Button>
      </Group>
    </Stack>
  );
}
