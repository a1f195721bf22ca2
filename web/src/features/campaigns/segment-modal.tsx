import {
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { api } from '../../app/api-client.ts';
import type { ItemList, Purpose } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import type { AudiencePreview, Segment, SegmentFilters } from './campaign-types.ts';
import { ExclusionCounts } from './reason-counts.tsx';

type Tristate = 'any' | 'yes' | 'no';

const tristate = (value: boolean | undefined): Tristate =>
  value === undefined ? 'any' : value ? 'yes' : 'no';
const fromTristate = (value: Tristate): boolean | undefined =>
  value === 'any' ? undefined : value === 'yes';

/** The segment builder: filters on contacts for one purpose, saved and previewed. */
export function SegmentModal({
  segment,
  onClose,
  onSaved,
}: {
  segment: Segment | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, formatNumber } = useI18n();
  const purposes = useApiQuery<ItemList<Purpose>>('/api/v1/purposes');
  const initial = segment?.filters ?? {};
  const [name, setName] = useState(segment?.name ?? '');
  const [purposeCode, setPurposeCode] = useState<string | null>(segment?.purposeCode ?? null);
  const [hasEmail, setHasEmail] = useState<Tristate>(tristate(initial.hasEmail));
  const [hasPhone, setHasPhone] = useState<Tristate>(tristate(initial.hasPhone));
  const [statuses, setStatuses] = useState<string[]>(initial.leadStatuses ?? []);
  const [sources, setSources] = useState<string[]>(initial.leadSources ?? []);
  const [from, setFrom] = useState(initial.lastActivityFrom ?? '');
  const [to, setTo] = useState(initial.lastActivityTo ?? '');
  const [consentPurpose, setConsentPurpose] = useState<string | null>(
    initial.consent?.purposeCode ?? null,
  );
  const [consentState, setConsentState] = useState<string>(initial.consent?.state ?? 'given');
  const [categories, setCategories] = useState<string[]>(initial.dataCategories ?? []);
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);
  const [preview, setPreview] = useState<AudiencePreview | null>(null);
  // Saved once, a new segment is changed (not created again) by the next save.
  const [savedId, setSavedId] = useState<string | null>(segment?.id ?? null);

  const filters = (): SegmentFilters => {
    const result: SegmentFilters = {};
    const email = fromTristate(hasEmail);
    const phone = fromTristate(hasPhone);
    if (email !== undefined) result.hasEmail = email;
    if (phone !== undefined) result.hasPhone = phone;
    if (statuses.length > 0) result.leadStatuses = statuses;
    if (sources.length > 0) result.leadSources = sources;
    if (from) result.lastActivityFrom = from;
    if (to) result.lastActivityTo = to;
    if (consentPurpose) {
      result.consent = {
        purposeCode: consentPurpose,
        state: consentState as NonNullable<SegmentFilters['consent']>['state'],
      };
    }
    if (categories.length > 0) result.dataCategories = categories;
    return result;
  };

  const save = async () => {
    setIsSaving(true);
    setError(null);
    try {
      const body = { name: name.trim(), purposeCode, filters: filters() };
      const saved = savedId
        ? await api.put<Segment>(`/api/v1/segments/${savedId}`, body)
        : await api.post<Segment>('/api/v1/segments', body);
      setSavedId(saved.id);
      const channel = saved.filters.hasPhone && !saved.filters.hasEmail ? 'sms' : 'email';
      setPreview(
        await api.get<AudiencePreview>(
          `/api/v1/segments/${saved.id}/preview?channel=${channel}&pageSize=10`,
        ),
      );
      onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };

  const purposeOptions = (purposes.data?.items ?? [])
    .filter((purpose) => !purpose.archivedAt)
    .map((purpose) => ({
      value: purpose.code,
      label: `${purpose.currentVersion.title} (${purpose.code})`,
    }));
  const tristateOptions = [
    { value: 'any', label: t('campaigns.filterAny') },
    { value: 'yes', label: t('campaigns.filterYes') },
    { value: 'no', label: t('campaigns.filterNo') },
  ];

  return (
    <Modal
      opened
      onClose={onClose}
      title={segment ? t('campaigns.editSegment') : t('campaigns.newSegment')}
      size="xl"
    >
      <Stack gap="md">
        <TextInput
          label={t('campaigns.segmentName')}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          maxLength={200}
          required
        />
        <Select
          label={t('campaigns.purpose')}
          description={t('campaigns.purposeHint')}
          data={purposeOptions}
          value={purposeCode}
          onChange={setPurposeCode}
          required
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('campaigns.filterHasEmail')}
            data={tristateOptions}
            value={hasEmail}
            onChange={(value) => setHasEmail((value as Tristate) ?? 'any')}
          />
          <Select
            label={t('campaigns.filterHasPhone')}
            data={tristateOptions}
            value={hasPhone}
            onChange={(value) => setHasPhone((value as Tristate) ?? 'any')}
          />
          <TagsInput
            label={t('campaigns.filterStatuses')}
            description={t('campaigns.filterListHint')}
            value={statuses}
            onChange={setStatuses}
          />
          <TagsInput
            label={t('campaigns.filterSources')}
            description={t('campaigns.filterListHint')}
            value={sources}
            onChange={setSources}
          />
          <TextInput
            type="date"
            label={t('campaigns.filterFrom')}
            value={from}
            onChange={(event) => setFrom(event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('campaigns.filterTo')}
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
          />
          <Select
            label={t('campaigns.filterConsent')}
            data={purposeOptions}
            value={consentPurpose}
            onChange={setConsentPurpose}
            clearable
          />
          <Select
            label={t('campaigns.filterConsentState')}
            data={(['given', 'withdrawn', 'expired', 'none'] as const).map((state) => ({
              value: state,
              label: t(`campaigns.consentState.${state}`),
            }))}
            value={consentState}
            onChange={(value) => setConsentState(value ?? 'given')}
            disabled={!consentPurpose}
          />
        </SimpleGrid>
        <TagsInput
          label={t('campaigns.filterCategories')}
          description={t('campaigns.filterCategoriesHint')}
          value={categories}
          onChange={setCategories}
        />
        {error !== null && <ErrorAlert error={error} />}
        {preview && (
          <Paper withBorder p="md" radius="md">
            <Stack gap="xs">
              <Text fw={500}>
                {t('campaigns.previewSummary', {
                  included: formatNumber(preview.included),
                  matched: formatNumber(preview.matched),
                })}
              </Text>
              <Text size="sm" c="dimmed">
                {t('campaigns.excluded')}
              </Text>
              <ExclusionCounts counts={preview.excluded} />
            </Stack>
          </Paper>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
          <Button onClick={save} loading={isSaving} disabled={!name.trim() || !purposeCode}>
            {t('campaigns.saveAndPreview')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
