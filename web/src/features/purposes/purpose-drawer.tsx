import {
  ActionIcon,
  Alert,
  Autocomplete,
  Badge,
  Button,
  Drawer,
  Group,
  Menu,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCheck,
  IconChevronDown,
  IconInfoCircle,
  IconPlus,
  IconTrash,
  IconWorld,
} from '@tabler/icons-react';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../../app/api-client.ts';
import {
  CHANNELS,
  LEGAL_BASES,
  PURPOSE_KINDS,
  type Purpose,
  type PurposeKind,
} from '../../app/api-types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { serverErrorsByPath } from '../../ui/form-errors.ts';
import { MONO_INPUT } from '../../ui/mono-input.ts';
import { rowKey } from '../../ui/row-key.ts';
import {
  ACTION_SUGGESTIONS,
  COUNTRY_CODES,
  categoryCode,
  createBodyOf,
  DATA_CATEGORY_PRESETS,
  draftFromVersion,
  emptyPurposeDraft,
  MAX_RETENTION_DAYS,
  METHOD_SUGGESTIONS,
  mandatoryPlaceholders,
  type PurposeDraft,
  type PurposeErrors,
  SUBJECT_SUGGESTIONS,
  starterTemplate,
  updateBodyOf,
  validatePurposeDraft,
} from './purpose-draft.ts';
import { PurposeErrorAlert, placeholderHint } from './purpose-error-alert.tsx';
import {
  channelLabel,
  countryName,
  kindLabel,
  legalBasisLabel,
  retentionLabel,
} from './purpose-labels.ts';

export type PurposeDrawerMode = { type: 'create' } | { type: 'revise'; purpose: Purpose };

type PurposeDrawerProps = {
  opened: boolean;
  mode: PurposeDrawerMode;
  onClose: () => void;
  onSaved: (purpose: Purpose) => void;
};

function draftFor(mode: PurposeDrawerMode): PurposeDraft {
  return mode.type === 'create'
    ? emptyPurposeDraft()
    : draftFromVersion(mode.purpose.code, mode.purpose.kind, mode.purpose.currentVersion);
}

function FormSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="fieldset" m={0}>
      <Title order={3} size="h5" mb="sm" component="legend" px={4}>
        {title}
      </Title>
      <Stack gap="sm">{children}</Stack>
    </Paper>
  );
}

/** The drawer that registers a purpose or makes its next version. */
export function PurposeDrawer({ opened, mode, onClose, onSaved }: PurposeDrawerProps) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const isNew = mode.type === 'create';
  const [draft, setDraft] = useState<PurposeDraft>(() => draftFor(mode));
  const [errors, setErrors] = useState<PurposeErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  const set = <K extends keyof PurposeDraft>(field: K, value: PurposeDraft[K]) =>
    setDraft((current) => ({ ...current, [field]: value }));

  const close = () => {
    if (isBusy) {
      return;
    }
    setErrors({});
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validatePurposeDraft(draft, i18n, isNew);
    setErrors(found);
    setError(null);
    if (Object.values(found).some(Boolean)) {
      return;
    }
    setIsBusy(true);
    try {
      const saved =
        mode.type === 'create'
          ? await api.post<Purpose>('/api/v1/purposes', createBodyOf(draft))
          : await api.put<Purpose>(
              `/api/v1/purposes/${encodeURIComponent(mode.purpose.code)}`,
              updateBodyOf(draft),
            );
      setIsBusy(false);
      onSaved(saved);
    } catch (caught) {
      setError(caught);
      setErrors(serverErrorsByPath(caught, i18n));
      setIsBusy(false);
    }
  };

  const setCategory = (index: number, patch: Partial<PurposeDraft['dataCategories'][number]>) =>
    set(
      'dataCategories',
      draft.dataCategories.map((category, at) => {
        if (at !== index) {
          return category;
        }
        const next = { ...category, ...patch };
        // Until the code is typed by hand, it follows the title.
        if (patch.title !== undefined && !category.isCodeEdited) {
          next.code = categoryCode(patch.title);
        }
        return next;
      }),
    );

  const setRecipient = (index: number, patch: Partial<PurposeDraft['recipients'][number]>) =>
    set(
      'recipients',
      draft.recipients.map((recipient, at) =>
        at === index ? { ...recipient, ...patch } : recipient,
      ),
    );

  const usedCodes = new Set(draft.dataCategories.map((category) => category.code));
  const usesConsent = draft.legalBasis === 'consent';
  const placeholders = [...mandatoryPlaceholders(draft.kind), 'policy'];
  const days = Number(draft.retentionDays);
  const countryOptions = COUNTRY_CODES.map((code) => ({
    value: code,
    label: `${countryName(locale, code)} (${code})`,
  }));
  const nextVersion = mode.type === 'revise' ? mode.purpose.currentVersion.version + 1 : 1;

  return (
    <Drawer
      opened={opened}
      onClose={close}
      position="right"
      size={760}
      title={
        <Text fw={600} size="lg">
          {isNew ? t('purposes.createTitle') : t('purposes.reviseTitle', { version: nextVersion })}
        </Text>
      }
      closeButtonProps={{ 'aria-label': t('common.close') }}
      closeOnClickOutside={!isBusy}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          {mode.type === 'revise' && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
              {t('purposes.reviseExplanation', {
                version: nextVersion,
                current: mode.purpose.currentVersion.version,
              })}
            </Alert>
          )}

          <FormSection title={t('purposes.sectionMain')}>
            {isNew ? (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label={t('purposes.kind')}
                  data={PURPOSE_KINDS.map((kind) => ({
                    value: kind,
                    label: kindLabel(i18n, kind),
                  }))}
                  value={draft.kind}
                  onChange={(value) => value && set('kind', value as PurposeKind)}
                  allowDeselect={false}
                  description={t(`purposeKindHint.${draft.kind}`)}
                  comboboxProps={{ withinPortal: true }}
                />
                <TextInput
                  label={t('purposes.code')}
                  description={t('purposes.codeHint')}
                  value={draft.code}
                  onChange={(event) => set('code', event.currentTarget.value.toLowerCase())}
                  error={errors.code}
                  spellCheck={false}
                  autoComplete="off"
                  required
                  data-autofocus
                />
              </SimpleGrid>
            ) : (
              <Group gap="xs">
                <Badge variant="light" tt="none">
                  {kindLabel(i18n, draft.kind)}
                </Badge>
                <Text size="sm" c="dimmed" ff="monospace">
                  {draft.code}
                </Text>
              </Group>
            )}
            <TextInput
              label={t('purposes.fieldTitle')}
              description={t('purposes.titleHint')}
              value={draft.title}
              onChange={(event) => set('title', event.currentTarget.value)}
              error={errors.title}
              required
              data-autofocus={isNew ? undefined : true}
            />
            <Select
              label={t('purposes.legalBasis')}
              data={LEGAL_BASES.map((basis) => ({
                value: basis,
                label: legalBasisLabel(i18n, basis),
              }))}
              value={draft.legalBasis}
              onChange={(value) => value && set('legalBasis', value as PurposeDraft['legalBasis'])}
              allowDeselect={false}
              description={
                usesConsent ? t('purposes.basisConsentHint') : t('purposes.basisOtherHint')
              }
              error={errors.legalBasis}
              comboboxProps={{ withinPortal: true }}
            />
          </FormSection>

          <FormSection title={t('purposes.sectionData')}>
            {errors.dataCategories && (
              <Text size="sm" c="red" role="alert">
                {errors.dataCategories}
              </Text>
            )}
            {draft.dataCategories.map((category, index) => (
              <Group key={category.key} align="flex-start" gap="sm" wrap="nowrap">
                <TextInput
                  label={t('purposes.categoryTitle')}
                  aria-label={t('purposes.categoryTitleOf', { number: index + 1 })}
                  value={category.title}
                  onChange={(event) => setCategory(index, { title: event.currentTarget.value })}
                  error={errors[`dataCategories.${index}.title`]}
                  style={{ flex: 1 }}
                />
                <TextInput
                  label={t('purposes.categoryCode')}
                  aria-label={t('purposes.categoryCodeOf', { number: index + 1 })}
                  value={category.code}
                  onChange={(event) =>
                    setCategory(index, {
                      code: event.currentTarget.value.toLowerCase(),
                      isCodeEdited: true,
                    })
                  }
                  error={errors[`dataCategories.${index}.code`]}
                  w={150}
                  spellCheck={false}
                  autoComplete="off"
                  styles={MONO_INPUT}
                />
                <Switch
                  label={t('purposes.categorySpecial')}
                  aria-label={t('purposes.categorySpecialOf', { number: index + 1 })}
                  checked={category.isSpecial}
                  onChange={(event) =>
                    setCategory(index, { isSpecial: event.currentTarget.checked })
                  }
                  color="red"
                  mt={32}
                  w={150}
                />
                <Tooltip label={t('purposes.removeCategory')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mt={28}
                    aria-label={t('purposes.removeCategoryLabel', {
                      name: category.title || String(index + 1),
                    })}
                    onClick={() =>
                      set(
                        'dataCategories',
                        draft.dataCategories.filter((_, at) => at !== index),
                      )
                    }
                  >
                    <IconTrash size={18} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ))}
            {draft.dataCategories.some((category) => category.isSpecial) && (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
                {draft.kind === 'advertising'
                  ? t('rule.special_category_for_marketing')
                  : t('purposes.specialWarning')}
              </Alert>
            )}
            <Group gap="xs">
              <Button
                variant="default"
                leftSection={<IconPlus size={16} />}
                onClick={() =>
                  set('dataCategories', [
                    ...draft.dataCategories,
                    { key: rowKey(), code: '', title: '', isSpecial: false, isCodeEdited: false },
                  ])
                }
              >
                {t('purposes.addCategory')}
              </Button>
              <Menu position="bottom-start" withinPortal>
                <Menu.Target>
                  <Button variant="subtle" rightSection={<IconChevronDown size={14} />}>
                    {t('purposes.addPreset')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {DATA_CATEGORY_PRESETS.map((preset) => (
                    <Menu.Item
                      key={preset.code}
                      disabled={usedCodes.has(preset.code)}
                      onClick={() =>
                        set('dataCategories', [
                          ...draft.dataCategories,
                          { key: rowKey(), ...preset, isCodeEdited: true },
                        ])
                      }
                    >
                      {t(`dataPreset.${preset.code}`)}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            </Group>
          </FormSection>

          <FormSection title={t('purposes.sectionProcessing')}>
            <TagsInput
              label={t('purposes.subjectCategories')}
              description={t('purposes.tagsHint')}
              data={SUBJECT_SUGGESTIONS}
              value={draft.subjectCategories}
              onChange={(value) => set('subjectCategories', value)}
              error={errors.subjectCategories}
              maxTags={20}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            <TagsInput
              label={t('purposes.actions')}
              description={t('purposes.tagsHint')}
              data={ACTION_SUGGESTIONS}
              value={draft.actions}
              onChange={(value) => set('actions', value)}
              error={errors.actions}
              maxTags={30}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            <Autocomplete
              label={t('purposes.methods')}
              data={METHOD_SUGGESTIONS}
              value={draft.methods}
              onChange={(value) => set('methods', value)}
              error={errors.methods}
              comboboxProps={{ withinPortal: true }}
            />
            <MultiSelect
              label={t('purposes.channels')}
              description={
                draft.kind === 'advertising'
                  ? t('purposes.channelsAdvertisingHint')
                  : t('purposes.channelsHint')
              }
              data={CHANNELS.map((channel) => ({
                value: channel,
                label: channelLabel(i18n, channel),
              }))}
              value={draft.channels}
              onChange={(value) => set('channels', value as PurposeDraft['channels'])}
              error={errors.channels}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
          </FormSection>

          {draft.kind === 'transfer' && (
            <FormSection title={t('purposes.sectionRecipients')}>
              <Text size="sm" c="dimmed">
                {t('purposes.recipientsHint')}
              </Text>
              {errors.recipients && (
                <Text size="sm" c="red" role="alert">
                  {errors.recipients}
                </Text>
              )}
              {draft.recipients.map((recipient, index) => (
                <Paper key={recipient.key} withBorder radius="sm" p="sm">
                  <Group align="flex-start" gap="sm" wrap="nowrap">
                    <SimpleGrid cols={{ base: 1, sm: 3 }} style={{ flex: 1 }}>
                      <TextInput
                        label={t('purposes.recipientName')}
                        aria-label={t('purposes.recipientNameOf', { number: index + 1 })}
                        value={recipient.name}
                        onChange={(event) =>
                          setRecipient(index, { name: event.currentTarget.value })
                        }
                        error={errors[`recipients.${index}.name`]}
                      />
                      <TextInput
                        label={t('purposes.recipientAddress')}
                        aria-label={t('purposes.recipientAddressOf', { number: index + 1 })}
                        value={recipient.address}
                        onChange={(event) =>
                          setRecipient(index, { address: event.currentTarget.value })
                        }
                        error={errors[`recipients.${index}.address`]}
                      />
                      <Select
                        label={t('purposes.recipientCountry')}
                        aria-label={t('purposes.recipientCountryOf', { number: index + 1 })}
                        data={countryOptions}
                        value={recipient.country || null}
                        onChange={(value) => setRecipient(index, { country: value ?? '' })}
                        error={errors[`recipients.${index}.country`]}
                        searchable
                        allowDeselect={false}
                        comboboxProps={{ withinPortal: true }}
                      />
                    </SimpleGrid>
                    <Tooltip label={t('purposes.removeRecipient')}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        mt={28}
                        aria-label={t('purposes.removeRecipientLabel', {
                          name: recipient.name || String(index + 1),
                        })}
                        onClick={() =>
                          set(
                            'recipients',
                            draft.recipients.filter((_, at) => at !== index),
                          )
                        }
                      >
                        <IconTrash size={18} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                  {recipient.country !== '' && recipient.country !== 'RU' && (
                    <Group gap={6} mt="xs" wrap="nowrap">
                      <IconWorld size={16} color="var(--mantine-color-orange-7)" />
                      <Text size="xs" c="orange.8">
                        {t('purposes.crossBorderWarning')}
                      </Text>
                    </Group>
                  )}
                </Paper>
              ))}
              <Group>
                <Button
                  variant="default"
                  leftSection={<IconPlus size={16} />}
                  onClick={() =>
                    set('recipients', [
                      ...draft.recipients,
                      { key: rowKey(), name: '', address: '', country: 'RU' },
                    ])
                  }
                >
                  {t('purposes.addRecipient')}
                </Button>
              </Group>
            </FormSection>
          )}

          <FormSection title={t('purposes.sectionTerm')}>
            <NumberInput
              label={t('purposes.retentionDays')}
              description={
                Number.isInteger(days) && days > 0
                  ? t('purposes.retentionHint', { term: retentionLabel(locale, days) })
                  : undefined
              }
              value={draft.retentionDays}
              onChange={(value) => set('retentionDays', value)}
              min={1}
              max={MAX_RETENTION_DAYS}
              allowDecimal={false}
              allowNegative={false}
              error={errors.retentionDays}
              w={{ base: '100%', sm: 320 }}
            />
            <Switch
              label={t('purposes.writtenConsent')}
              description={t('purposes.writtenConsentHint')}
              checked={draft.isWrittenConsentRequired}
              onChange={(event) => set('isWrittenConsentRequired', event.currentTarget.checked)}
            />
          </FormSection>

          {usesConsent && (
            <FormSection title={t('purposes.sectionTemplate')}>
              <Switch
                label={t('purposes.customTemplate')}
                description={
                  draft.hasTemplate
                    ? t('purposes.customTemplateOnHint')
                    : t('purposes.customTemplateOffHint', { kind: kindLabel(i18n, draft.kind) })
                }
                checked={draft.hasTemplate}
                onChange={(event) => {
                  const checked = event.currentTarget.checked;
                  setDraft((current) => ({
                    ...current,
                    hasTemplate: checked,
                    template:
                      checked && current.template.trim() === ''
                        ? starterTemplate(current.kind)
                        : current.template,
                  }));
                }}
              />
              {draft.hasTemplate && (
                <>
                  <Stack gap={6}>
                    <Text size="sm" fw={500}>
                      {t('purposes.placeholders')}
                    </Text>
                    <Group gap={6}>
                      {placeholders.map((name) => {
                        const isPresent = draft.template.includes(`{{${name}}}`);
                        const isMandatory = name !== 'policy';
                        return (
                          <Tooltip key={name} label={placeholderHint(t, name)} withArrow>
                            <Badge
                              variant={isPresent ? 'light' : 'outline'}
                              color={isPresent ? 'teal' : isMandatory ? 'red' : 'gray'}
                              tt="none"
                              ff="monospace"
                              leftSection={isPresent ? <IconCheck size={12} /> : undefined}
                              aria-label={`{{${name}}}: ${placeholderHint(t, name)}${
                                isPresent ? '' : ` — ${t('purposes.placeholderMissing')}`
                              }`}
                            >
                              {`{{${name}}}`}
                            </Badge>
                          </Tooltip>
                        );
                      })}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t('purposes.placeholdersHint')}
                    </Text>
                  </Stack>
                  <Textarea
                    label={t('purposes.template')}
                    value={draft.template}
                    onChange={(event) => set('template', event.currentTarget.value)}
                    error={errors.template}
                    autosize
                    minRows={8}
                    maxRows={20}
                    spellCheck
                    styles={MONO_INPUT}
                  />
                </>
              )}
            </FormSection>
          )}

          {error !== null && <PurposeErrorAlert error={error} />}

          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isBusy}>
              {isNew
                ? t('purposes.createSubmit')
                : t('purposes.reviseSubmit', { version: nextVersion })}
            </Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}
