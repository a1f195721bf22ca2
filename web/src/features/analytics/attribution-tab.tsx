import { BarChart } from '@mantine/charts';
import { Group, NumberInput, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { withQuery } from '../../app/api-client.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { useAnalyticsI18n } from './analytics-i18n.ts';
import { type AttributionReport, type Filters, formatRub, MODELS } from './analytics-types.ts';
import { ExportButtons } from './export-buttons.tsx';
import { channelName } from './report-tab.tsx';

const COLORS = [
  'blue.6',
  'cyan.6',
  'teal.6',
  'green.6',
  'lime.6',
  'yellow.6',
  'orange.6',
  'grape.6',
];
const GOALS = ['lead', 'booking', 'visit', 'new_patient', 'payment'] as const;

export function AttributionTab({
  filters,
  channelNames,
}: {
  filters: Filters;
  channelNames: Map<string, { ru: string; en: string }>;
}) {
  const { t, locale, formatNumber } = useAnalyticsI18n();
  const [goal, setGoal] = useState<(typeof GOALS)[number]>('new_patient');
  const [lookbackDays, setLookbackDays] = useState(90);
  const [halfLifeDays, setHalfLifeDays] = useState(7);
  const [model, setModel] = useState<(typeof MODELS)[number]>('last_non_direct');
  const query = { from: filters.from, to: filters.to, goal, lookbackDays, halfLifeDays, model };
  const result = useApiQuery<AttributionReport>(
    withQuery('/api/v1/analytics/reports/attribution', query),
  );
  const name = (channel: string) => channelName(locale, channel, channelNames);
  const modelName = (value: (typeof MODELS)[number]) => t(`analytics.model.${value}`);
  return (
    <Stack gap="lg">
      <Group gap="sm" align="flex-end">
        <Select
          label={t('analytics.goal')}
          value={goal}
          allowDeselect={false}
          onChange={(value) => value && setGoal(value as typeof goal)}
          data={GOALS.map((value) => ({ value, label: t(`analytics.goal.${value}`) }))}
        />
        <NumberInput
          label={t('analytics.lookback')}
          value={lookbackDays}
          min={1}
          max={365}
          onChange={(value) => typeof value === 'number' && setLookbackDays(value)}
          w={180}
        />
        <NumberInput
          label={t('analytics.halfLife')}
          value={halfLifeDays}
          min={1}
          max={365}
          onChange={(value) => typeof value === 'number' && setHalfLifeDays(value)}
          w={180}
        />
        <ExportButtons query={{ ...query, table: 'attribution' }} />
      </Group>
      {result.error ? <ErrorAlert error={result.error} onRetry={result.reload} /> : null}
      {!result.data && !result.error && <PageLoader />}
      {result.data && (
        <>
          {(['conversions', 'valueKopecks'] as const).map((measure) => (
            <Paper withBorder p="md" key={measure}>
              <Title order={2} size="h4" mb="sm">
                {t(
                  measure === 'conversions'
                    ? 'analytics.modelsConversions'
                    : 'analytics.modelsValue',
                )}
              </Title>
              {result.data && result.data.channels.length === 0 ? (
                <Text c="dimmed">{t('analytics.noConversions')}</Text>
              ) : (
                <BarChart
                  h={300}
                  withLegend
                  data={(result.data?.channels ?? []).map((channel) => ({
                    channel: name(channel),
                    ...Object.fromEntries(
                      MODELS.map((key) => [
                        key,
                        (result.data?.[measure][key]?.[channel] ?? 0) /
                          (measure === 'valueKopecks' ? 100 : 1),
                      ]),
                    ),
                  }))}
                  dataKey="channel"
                  valueFormatter={(value) => formatNumber(Math.round(value * 100) / 100)}
                  series={MODELS.map((key, index) => ({
                    name: key,
                    label: modelName(key),
                    color: COLORS[index] ?? 'gray.6',
                  }))}
                />
              )}
            </Paper>
          ))}
          <Paper withBorder p="md">
            <Table.ScrollContainer minWidth={900}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('analytics.channel')}</Table.Th>
                    {MODELS.map((key) => (
                      <Table.Th key={key} ta="right">
                        {modelName(key)}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {result.data.channels.map((channel) => (
                    <Table.Tr key={channel}>
                      <Table.Td>{name(channel)}</Table.Td>
                      {MODELS.map((key) => (
                        <Table.Td key={key} ta="right">
                          {formatNumber(result.data?.conversions[key]?.[channel] ?? 0)}
                          <Text size="xs" c="dimmed">
                            {formatRub(locale, result.data?.valueKopecks[key]?.[channel] ?? 0)}
                          </Text>
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <Paper withBorder p="md">
            <Group justify="space-between" mb="sm">
              <Title order={2} size="h4">
                {t('analytics.directorsCheck')}
              </Title>
              <Select
                size="xs"
                aria-label={t('analytics.model')}
                value={model}
                allowDeselect={false}
                onChange={(value) => value && setModel(value as typeof model)}
                data={MODELS.map((value) => ({ value, label: modelName(value) }))}
              />
            </Group>
            <Text size="sm" mb="sm">
              {t('analytics.directorsCheckHint', {
                perClient: formatRub(
                  locale,
                  result.data.directorsCheck.unattributablePerClientKopecks,
                ),
                clients: result.data.directorsCheck.allNewClients,
              })}
            </Text>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('analytics.channel')}</Table.Th>
                  <Table.Th ta="right">{t('analytics.col.spend')}</Table.Th>
                  <Table.Th ta="right">{t('analytics.credited')}</Table.Th>
                  <Table.Th ta="right">{t('analytics.modelledCac')}</Table.Th>
                  <Table.Th ta="right">{t('analytics.directorsCac')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.data.directorsCheck.channels.map((row) => (
                  <Table.Tr key={row.channel}>
                    <Table.Td>{name(row.channel)}</Table.Td>
                    <Table.Td ta="right">{formatRub(locale, row.spendKopecks)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(row.newClients)}</Table.Td>
                    <Table.Td ta="right">{formatRub(locale, row.modelledCacKopecks)}</Table.Td>
                    <Table.Td ta="right" fw={600}>
                      {formatRub(locale, row.directorsCacKopecks)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="sm" c="dimmed" mt="sm">
              {t('analytics.blended', {
                spend: formatRub(locale, result.data.directorsCheck.blended.spendKopecks),
                clients: result.data.directorsCheck.blended.newClients,
                cac: formatRub(locale, result.data.directorsCheck.blended.cacKopecks),
              })}
            </Text>
          </Paper>
        </>
      )}
    </Stack>
  );
}
