import {
  Anchor,
  Badge,
  Button,
  EmptyState,
  Group,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { IconCalendarTime } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../app/api-client.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/ru.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import type { PurposeRetention } from './retention-types.ts';

const DEFAULT_INACTIVITY_DAYS = 180;

function PurposeCard({
  purpose,
  canManage,
  onSaved,
}: {
  purpose: PurposeRetention;
  canManage: boolean;
  onSaved: (saved: PurposeRetention) => void;
}) {
  const { t } = useI18n();
  const inactivity = purpose.triggers.find((trigger) => trigger.kind === 'no_activity_days');
  const [isLeadLost, setIsLeadLost] = useState(
    purpose.triggers.some((trigger) => trigger.kind === 'lead_lost'),
  );
  const [isInactivity, setIsInactivity] = useState(inactivity !== undefined);
  const [days, setDays] = useState<number | string>(inactivity?.days ?? DEFAULT_INACTIVITY_DAYS);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [isSaved, setIsSaved] = useState(false);
  const isDaysValid = typeof days === 'number' && Number.isInteger(days) && days >= 1;

  const save = async () => {
    setIsBusy(true);
    setError(null);
    setIsSaved(false);
    try {
      const triggers = [
        ...(isLeadLost ? [{ kind: 'lead_lost', days: null }] : []),
        ...(isInactivity ? [{ kind: 'no_activity_days', days }] : []),
      ];
      onSaved(
        await api.put<PurposeRetention>(`/api/v1/retention/purposes/${purpose.code}/triggers`, {
          triggers,
        }),
      );
      setIsSaved(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={purpose.title}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={2} maw={620}>
            <Title order={3} size="h5">
              {purpose.title}
            </Title>
            <Group gap={6}>
              <Text size="xs" ff="monospace" c="dimmed">
                {purpose.code}
              </Text>
              <Badge variant="light" tt="none" size="sm">
                {t(`retention.basis.${purpose.legalBasis}` as MessageKey)}
              </Badge>
              {purpose.isArchived && (
                <Badge variant="light" color="gray" tt="none" size="sm">
                  {t('retention.archived')}
                </Badge>
              )}
            </Group>
          </Stack>
          <Stack gap={0} align="flex-end">
            <Text size="sm" fw={600}>
              {t('retention.term', { days: purpose.retentionDays })}
            </Text>
            <Anchor component={Link} to={`/purposes/${purpose.code}`} size="xs">
              {t('retention.changeTerm')}
            </Anchor>
          </Stack>
        </Group>
        <Text size="xs" c="dimmed">
          {purpose.legalBasis === 'consent'
            ? t('retention.termFromConsent')
            : t('retention.termFromActivity')}
        </Text>
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('retention.triggersTitle')}
          </Text>
          <Switch
            label={t('retention.trigger.lead_lost')}
            description={t('retention.triggerLeadLostHint')}
            checked={isLeadLost}
            disabled={!canManage}
            onChange={(event) => setIsLeadLost(event.currentTarget.checked)}
          />
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Switch
              label={t('retention.trigger.no_activity_days')}
              description={t('retention.triggerInactivityHint')}
              checked={isInactivity}
              disabled={!canManage}
              onChange={(event) => setIsInactivity(event.currentTarget.checked)}
            />
            {isInactivity && (
              <NumberInput
                label={t('retention.inactivityDays')}
                value={days}
                onChange={setDays}
                min={1}
                max={36500}
                allowDecimal={false}
                disabled={!canManage}
                error={isDaysValid ? undefined : t('validation.invalid')}
                w={160}
              />
            )}
          </Group>
        </Stack>
        {error !== null && <ErrorAlert error={error} />}
        {canManage && (
          <Group gap="sm">
            <Button
              size="sm"
              variant="light"
              loading={isBusy}
              disabled={isInactivity && !isDaysValid}
              onClick={() => void save()}
            >
              {t('retention.saveTriggers')}
            </Button>
            {isSaved && (
              <Text size="sm" c="green" role="status">
                {t('retention.saved')}
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** Per purpose: the term (from the registry) and the "purpose achieved" triggers (R-D3). */
export function SettingsTab({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const query = useApiQuery<{ items: PurposeRetention[] }>('/api/v1/retention/purposes');
  if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (query.data === null) return <PageLoader />;
  if (query.data.items.length === 0) {
    return (
      <Paper withBorder radius="md" py={48} px="md">
        <EmptyState
          icon={<IconCalendarTime size={28} />}
          withIndicatorBackground
          title={t('retention.settingsEmpty')}
          description={t('retention.settingsEmptyDescription')}
        />
      </Paper>
    );
  }
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={760}>
        {t('retention.settingsExplanation')}
      </Text>
      {query.data.items.map((purpose) => (
        <PurposeCard
          key={purpose.purposeId}
          purpose={purpose}
          canManage={canManage}
          onSaved={() => undefined}
        />
      ))}
    </Stack>
  );
}
