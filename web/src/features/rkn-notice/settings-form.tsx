import {
  ActionIcon,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import type { DatabaseLocation, NoticeSettings } from './notice-types.ts';

/** Database locations, start date, end condition, protection level and extra measures. */
export function NoticeSettingsForm({
  settings,
  canManage,
  onSaved,
}: {
  settings: NoticeSettings;
  canManage: boolean;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [locations, setLocations] = useState<DatabaseLocation[]>(settings.databaseLocations);
  const [startDate, setStartDate] = useState(settings.processingStartDate ?? '');
  const [endCondition, setEndCondition] = useState(settings.endCondition ?? '');
  const [level, setLevel] = useState<string | null>(settings.protectionLevel);
  const [measures, setMeasures] = useState<string[]>(settings.extraMeasures);
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);

  useEffect(() => {
    setLocations(settings.databaseLocations);
    setStartDate(settings.processingStartDate ?? '');
    setEndCondition(settings.endCondition ?? '');
    setLevel(settings.protectionLevel);
    setMeasures(settings.extraMeasures);
  }, [settings]);

  const fieldError = (name: string) =>
    isApiError(error) ? error.fields[name]?.join('; ') : undefined;

  const setLocation = (index: number, patch: Partial<DatabaseLocation>) =>
    setLocations(
      locations.map((location, at) => (at === index ? { ...location, ...patch } : location)),
    );

  const save = async () => {
    setIsSaving(true);
    setError(null);
    try {
      await api.put('/api/v1/compliance/rkn-notice/settings', {
        databaseLocations: locations.map((location) => ({
          country: location.country.toUpperCase(),
          city: location.city,
          hostingProvider: location.hostingProvider,
          ...(location.address ? { address: location.address } : {}),
        })),
        processingStartDate: startDate || null,
        endCondition: endCondition || null,
        protectionLevel: level,
        extraMeasures: measures,
      });
      onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('rknNotice.settingsTitle')}
          </Title>
          {error !== null && <ErrorAlert error={error} />}
          <Text size="sm" fw={500}>
            {t('rknNotice.databaseLocations')}
          </Text>
          {locations.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('rknNotice.noLocations')}
            </Text>
          )}
          {locations.map((location, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id until saved
            <Group key={index} align="flex-start" gap="xs" wrap="wrap">
              <TextInput
                label={t('rknNotice.locationCountry')}
                w={90}
                maxLength={2}
                value={location.country}
                disabled={!canManage}
                onChange={(event) =>
                  setLocation(index, { country: event.currentTarget.value.toUpperCase() })
                }
                error={fieldError(`databaseLocations.${index}.country`)}
              />
              <TextInput
                label={t('rknNotice.locationCity')}
                value={location.city}
                disabled={!canManage}
                onChange={(event) => setLocation(index, { city: event.currentTarget.value })}
                error={fieldError(`databaseLocations.${index}.city`)}
              />
              <TextInput
                label={t('rknNotice.locationProvider')}
                value={location.hostingProvider}
                disabled={!canManage}
                onChange={(event) =>
                  setLocation(index, { hostingProvider: event.currentTarget.value })
                }
                error={fieldError(`databaseLocations.${index}.hostingProvider`)}
              />
              <TextInput
                label={t('rknNotice.locationAddress')}
                value={location.address ?? ''}
                disabled={!canManage}
                onChange={(event) => setLocation(index, { address: event.currentTarget.value })}
              />
              {canManage && (
                <ActionIcon
                  mt={26}
                  variant="subtle"
                  color="red"
                  aria-label={t('rknNotice.removeLocation')}
                  onClick={() => setLocations(locations.filter((_, at) => at !== index))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              )}
            </Group>
          ))}
          {canManage && (
            <Group>
              <Button
                variant="subtle"
                size="xs"
                leftSection={<IconPlus size={14} />}
                onClick={() =>
                  setLocations([...locations, { country: 'RU', city: '', hostingProvider: '' }])
                }
              >
                {t('rknNotice.addLocation')}
              </Button>
            </Group>
          )}
          <Group grow align="flex-start">
            <TextInput
              type="date"
              label={t('rknNotice.startDate')}
              value={startDate}
              disabled={!canManage}
              onChange={(event) => setStartDate(event.currentTarget.value)}
              error={fieldError('processingStartDate')}
            />
            <Select
              label={t('rknNotice.protectionLevel')}
              data={['1', '2', '3', '4'].map((value) => ({
                value,
                label: t('rknNotice.levelOption', { level: value }),
              }))}
              value={level}
              disabled={!canManage}
              onChange={setLevel}
              clearable
            />
          </Group>
          <Textarea
            label={t('rknNotice.endCondition')}
            autosize
            minRows={2}
            value={endCondition}
            disabled={!canManage}
            onChange={(event) => setEndCondition(event.currentTarget.value)}
            error={fieldError('endCondition')}
          />
          <TagsInput
            label={t('rknNotice.extraMeasures')}
            value={measures}
            disabled={!canManage}
            onChange={setMeasures}
            error={fieldError('extraMeasures')}
          />
          {canManage && (
            <Group justify="flex-end">
              <Button type="submit" loading={isSaving}>
                {t('rknNotice.saveSettings')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
