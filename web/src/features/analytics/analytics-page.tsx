import '@mantine/charts/styles.css';
import { Button, Group, Select, Stack, Tabs, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { Permission } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { useAnalyticsI18n } from './analytics-i18n.ts';
import { daysBefore, type Filters, today } from './analytics-types.ts';
import { AttributionTab } from './attribution-tab.tsx';
import { ReportTab } from './report-tab.tsx';
import { RulesTab } from './rules-tab.tsx';
import { SpendTab } from './spend-tab.tsx';

const PRESETS = [7, 30, 90, 180] as const;

/** End-to-end analytics: the report, the models side by side, spend and the channel rules. */
export function AnalyticsPage() {
  const { t, locale } = useAnalyticsI18n();
  const me = useMe();
  const end = today();
  const [filters, setFilters] = useState<Filters>({
    from: daysBefore(end, 29),
    to: end,
    channel: null,
  });
  const rules = useApiQuery<{ channels: { id: string; ru: string; en: string }[] }>(
    '/api/v1/analytics/channel-rules',
  );
  const channelNames = useMemo(
    () => new Map((rules.data?.channels ?? []).map((channel) => [channel.id, channel])),
    [rules.data],
  );
  const canSpend = hasPermission(me, 'analytics.spend' as Permission);
  const canRules = hasPermission(me, 'analytics.rules' as Permission);
  return (
    <Stack gap="md">
      <PageHeader title={t('analytics.title')} description={t('analytics.description')} />
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          type="date"
          label={t('analytics.from')}
          value={filters.from}
          max={filters.to}
          onChange={(event) =>
            event.currentTarget.value && setFilters({ ...filters, from: event.currentTarget.value })
          }
        />
        <TextInput
          type="date"
          label={t('analytics.to')}
          value={filters.to}
          min={filters.from}
          onChange={(event) =>
            event.currentTarget.value && setFilters({ ...filters, to: event.currentTarget.value })
          }
        />
        <Button.Group>
          {PRESETS.map((days) => (
            <Button
              key={days}
              variant="default"
              size="sm"
              onClick={() => setFilters({ ...filters, from: daysBefore(end, days - 1), to: end })}
            >
              {t(`analytics.period.${days}`)}
            </Button>
          ))}
        </Button.Group>
        <Select
          label={t('analytics.channel')}
          placeholder={t('analytics.allChannels')}
          clearable
          searchable
          value={filters.channel}
          onChange={(value) => setFilters({ ...filters, channel: value })}
          data={[...channelNames.values()].map((channel) => ({
            value: channel.id,
            label: locale === 'en' ? channel.en : channel.ru,
          }))}
        />
      </Group>
      <Tabs defaultValue="report" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="report">{t('analytics.tabReport')}</Tabs.Tab>
          <Tabs.Tab value="attribution">{t('analytics.tabAttribution')}</Tabs.Tab>
          {canSpend && <Tabs.Tab value="spend">{t('analytics.tabSpend')}</Tabs.Tab>}
          {canRules && <Tabs.Tab value="rules">{t('analytics.tabRules')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="report" pt="md">
          <ReportTab filters={filters} channelNames={channelNames} />
        </Tabs.Panel>
        <Tabs.Panel value="attribution" pt="md">
          <AttributionTab filters={filters} channelNames={channelNames} />
        </Tabs.Panel>
        {canSpend && (
          <Tabs.Panel value="spend" pt="md">
            <SpendTab filters={filters} channelNames={channelNames} />
          </Tabs.Panel>
        )}
        {canRules && (
          <Tabs.Panel value="rules" pt="md">
            <RulesTab />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
