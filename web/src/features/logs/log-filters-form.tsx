import { Button, Group, TextInput } from '@mantine/core';
import { IconFilter } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { emptyFilters, hasFilters, isRangeValid, type LogFilters } from './log-query.ts';

export type TextFilterField<TextField extends string> = {
  name: TextField;
  label: string;
  placeholder: string;
};

type LogFiltersFormProps<TextField extends string> = {
  fields: readonly TextFilterField<TextField>[];
  applied: LogFilters<TextField>;
  onApply: (filters: LogFilters<TextField>) => void;
};

/** The filter row above a log table; applies on Enter or with the button. */
export function LogFiltersForm<TextField extends string>({
  fields,
  applied,
  onApply,
}: LogFiltersFormProps<TextField>) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<LogFilters<TextField>>(applied);
  const [isRangeError, setIsRangeError] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = { ...draft.text };
    for (const field of fields) {
      text[field.name] = text[field.name].trim();
    }
    const next = { ...draft, text };
    if (!isRangeValid(next)) {
      setIsRangeError(true);
      return;
    }
    setIsRangeError(false);
    setDraft(next);
    onApply(next);
  };

  const reset = () => {
    const empty = emptyFilters(fields.map((field) => field.name));
    setDraft(empty);
    setIsRangeError(false);
    onApply(empty);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-end" gap="sm" wrap="wrap">
        {fields.map((field) => (
          <TextInput
            key={field.name}
            label={field.label}
            placeholder={field.placeholder}
            value={draft.text[field.name]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setDraft((current) => ({
                ...current,
                text: { ...current.text, [field.name]: value },
              }));
            }}
            w={{ base: '100%', sm: 190 }}
            spellCheck={false}
            autoComplete="off"
          />
        ))}
        <TextInput
          type="date"
          label={t('logs.filterFrom')}
          value={draft.from}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setDraft((current) => ({ ...current, from: value }));
          }}
          error={isRangeError ? t('validation.dateRange') : undefined}
          w={{ base: '100%', xs: 150 }}
        />
        <TextInput
          type="date"
          label={t('logs.filterTo')}
          value={draft.to}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setDraft((current) => ({ ...current, to: value }));
          }}
          w={{ base: '100%', xs: 150 }}
        />
        <Group gap="xs">
          <Button type="submit" leftSection={<IconFilter size={16} />}>
            {t('common.apply')}
          </Button>
          <Button
            variant="default"
            onClick={reset}
            disabled={!hasFilters(draft) && !hasFilters(applied)}
          >
            {t('common.reset')}
          </Button>
        </Group>
      </Group>
    </form>
  );
}
