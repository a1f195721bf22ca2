import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Menu,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowDown,
  IconArrowUp,
  IconChevronDown,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { FORM_FIELD_TYPES, type FormFieldType, type FormWarning } from '../../app/api-types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { MONO_INPUT } from '../../ui/mono-input.ts';
import {
  emptyField,
  FIELD_PRESETS,
  type FieldDraft,
  type FormErrors,
  fieldFromPreset,
  fieldName,
  IMPLIED_CATEGORY,
  MAX_FIELDS,
} from './form-draft.ts';

type FieldsEditorProps = {
  fields: FieldDraft[];
  onChange: (fields: FieldDraft[]) => void;
  errors: FormErrors;
  /** The server's minimization warnings of the saved version, by field name. */
  warnings: FormWarning[];
  categoryOptions: { value: string; label: string }[];
};

// The Select's value for "no category of its own"; category codes start with a letter.
const NO_CATEGORY = '-';

function move<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item !== undefined) {
    next.splice(to, 0, item);
  }
  return next;
}

export function FieldsEditor({
  fields,
  onChange,
  errors,
  warnings,
  categoryOptions,
}: FieldsEditorProps) {
  const { t } = useI18n();
  const usedNames = new Set(fields.map((field) => field.name));

  const update = (index: number, patch: Partial<FieldDraft>) =>
    onChange(
      fields.map((field, at) => {
        if (at !== index) {
          return field;
        }
        const next = { ...field, ...patch };
        if (patch.label !== undefined && !field.isNameEdited) {
          next.name = fieldName(patch.label);
        }
        return next;
      }),
    );

  const warningText = (field: FieldDraft): string => {
    const category = field.category || IMPLIED_CATEGORY[field.name];
    return category ? t('forms.warningCategory', { category }) : t('forms.warningNoCategory');
  };

  return (
    <Stack gap="sm">
      {errors['definition.fields'] && (
        <Text size="sm" c="red" role="alert">
          {errors['definition.fields']}
        </Text>
      )}
      {fields.map((field, index) => {
        const implied = IMPLIED_CATEGORY[field.name];
        const fieldWarnings = warnings.filter((warning) => warning.field === field.name);
        const number = index + 1;
        return (
          <Paper key={field.key} withBorder radius="sm" p="sm">
            <Stack gap="xs">
              <Group align="flex-start" gap="sm" wrap="wrap">
                <TextInput
                  label={t('forms.fieldLabel')}
                  aria-label={t('forms.fieldLabelOf', { number })}
                  value={field.label}
                  onChange={(event) => update(index, { label: event.currentTarget.value })}
                  error={errors[`definition.fields.${index}.label`]}
                  style={{ flex: '1 1 200px' }}
                />
                <TextInput
                  label={t('forms.fieldName')}
                  aria-label={t('forms.fieldNameOf', { number })}
                  value={field.name}
                  onChange={(event) =>
                    update(index, {
                      name: event.currentTarget.value.toLowerCase(),
                      isNameEdited: true,
                    })
                  }
                  error={errors[`definition.fields.${index}.name`]}
                  w={150}
                  styles={MONO_INPUT}
                  spellCheck={false}
                  autoComplete="off"
                />
                <Select
                  label={t('forms.fieldType')}
                  aria-label={t('forms.fieldTypeOf', { number })}
                  data={FORM_FIELD_TYPES.map((type) => ({
                    value: type,
                    label: t(`fieldType.${type}`),
                  }))}
                  value={field.type}
                  onChange={(value) => value && update(index, { type: value as FormFieldType })}
                  allowDeselect={false}
                  w={190}
                  comboboxProps={{ withinPortal: true }}
                />
              </Group>
              <Group align="flex-end" gap="sm" wrap="wrap" justify="space-between">
                <Group align="flex-end" gap="md" wrap="wrap">
                  <Select
                    label={t('forms.fieldCategory')}
                    aria-label={t('forms.fieldCategoryOf', { number })}
                    data={[
                      {
                        value: NO_CATEGORY,
                        label: implied
                          ? t('forms.categoryImplied', { category: implied })
                          : t('forms.categoryNone'),
                      },
                      ...categoryOptions,
                    ]}
                    value={field.category || NO_CATEGORY}
                    onChange={(value) =>
                      update(index, { category: !value || value === NO_CATEGORY ? '' : value })
                    }
                    allowDeselect={false}
                    w={300}
                    searchable
                    error={errors[`definition.fields.${index}.category`]}
                    comboboxProps={{ withinPortal: true }}
                  />
                  <Switch
                    label={t('forms.fieldRequired')}
                    aria-label={t('forms.fieldRequiredOf', { number })}
                    checked={field.isRequired}
                    onChange={(event) => update(index, { isRequired: event.currentTarget.checked })}
                    mb={8}
                  />
                </Group>
                <Group gap={4} wrap="nowrap">
                  <Tooltip label={t('forms.moveUp')}>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      disabled={index === 0}
                      aria-label={t('forms.moveFieldUp', { number })}
                      onClick={() => onChange(move(fields, index, index - 1))}
                    >
                      <IconArrowUp size={18} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label={t('forms.moveDown')}>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      disabled={index === fields.length - 1}
                      aria-label={t('forms.moveFieldDown', { number })}
                      onClick={() => onChange(move(fields, index, index + 1))}
                    >
                      <IconArrowDown size={18} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label={t('forms.removeField')}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('forms.removeFieldLabel', {
                        name: field.label || String(number),
                      })}
                      onClick={() => onChange(fields.filter((_, at) => at !== index))}
                    >
                      <IconTrash size={18} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Group>
              {fieldWarnings.map((warning) => (
                <Alert
                  key={warning.code}
                  color="orange"
                  variant="light"
                  p="xs"
                  icon={<IconAlertTriangle size={16} />}
                  data-testid="field-warning"
                >
                  <Text size="xs">{warningText(field)}</Text>
                </Alert>
              ))}
            </Stack>
          </Paper>
        );
      })}
      <Group gap="xs">
        <Button
          variant="default"
          leftSection={<IconPlus size={16} />}
          disabled={fields.length >= MAX_FIELDS}
          onClick={() => onChange([...fields, emptyField()])}
        >
          {t('forms.addField')}
        </Button>
        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button
              variant="subtle"
              rightSection={<IconChevronDown size={14} />}
              disabled={fields.length >= MAX_FIELDS}
            >
              {t('forms.addStandardField')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {FIELD_PRESETS.map((preset) => (
              <Menu.Item
                key={preset.name}
                disabled={usedNames.has(preset.name)}
                onClick={() => onChange([...fields, fieldFromPreset(preset)])}
              >
                {t(`fieldPreset.${preset.name}`)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
    </Stack>
  );
}
