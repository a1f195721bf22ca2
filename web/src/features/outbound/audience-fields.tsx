import { Select, Stack, TextInput } from '@mantine/core';
import type { ItemList, Purpose } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

export type Audience = { purposeCode: string; leadSource: string; leadStatus: string };

export const EMPTY_AUDIENCE: Audience = { purposeCode: '', leadSource: '', leadStatus: '' };

/** The request body of an audience: empty filters are left out. */
export function audienceBody(audience: Audience): Record<string, string> {
  return {
    purposeCode: audience.purposeCode,
    ...(audience.leadSource.trim() ? { leadSource: audience.leadSource.trim() } : {}),
    ...(audience.leadStatus.trim() ? { leadStatus: audience.leadStatus.trim() } : {}),
  };
}

type AudienceFieldsProps = {
  value: Audience;
  onChange: (next: Audience) => void;
  /** Only purposes of these kinds are offered; all when absent. */
  kinds?: readonly string[];
};

/** Purpose and lead filters of a call list or an export. */
export function AudienceFields({ value, onChange, kinds }: AudienceFieldsProps) {
  const { t } = useI18n();
  const purposes = useApiQuery<ItemList<Purpose>>('/api/v1/purposes');
  const options = (purposes.data?.items ?? [])
    .filter((purpose) => purpose.archivedAt === null)
    .filter((purpose) => !kinds || kinds.includes(purpose.kind))
    .map((purpose) => ({
      value: purpose.code,
      label: `${purpose.currentVersion.title} (${purpose.code})`,
    }));
  return (
    <Stack gap="sm">
      <Select
        label={t('outbound.purpose')}
        description={t('outbound.purposeHint')}
        data={options}
        value={value.purposeCode || null}
        onChange={(code) => onChange({ ...value, purposeCode: code ?? '' })}
        searchable
        required
        nothingFoundMessage={t('outbound.noPurposes')}
      />
      <TextInput
        label={t('outbound.leadSource')}
        description={t('outbound.leadSourceHint')}
        value={value.leadSource}
        onChange={(event) => onChange({ ...value, leadSource: event.currentTarget.value })}
        maxLength={200}
      />
      <TextInput
        label={t('outbound.leadStatus')}
        value={value.leadStatus}
        onChange={(event) => onChange({ ...value, leadStatus: event.currentTarget.value })}
        maxLength={100}
      />
    </Stack>
  );
}
