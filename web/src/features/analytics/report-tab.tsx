import { BarChart, CompositeChart } from '@mantine/charts';
import {
  Badge,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { useState } from 'react';
import { withQuery } from '../../app/api-client.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import type { AnalyticsKey } from './analytics-i18n.ts';
import { useAnalyticsI18n } from './analytics-i18n.ts';
import {
  type ChannelReport,
  type Filters,
  formatRub,
  type Metrics,
  type ReportRow,
  type Trend,
} from './analytics-types.ts';
import { ExportButtons } from './export-buttons.tsx';

type SortKey =
  | 'spend'
  | 'siteVisits'
  | 'leads'
  | 'costPerLead'
  | 'bookings'
  | 'clinicVisits'
  | 'newPatients'
  | 'cac'
  | 'revenue'
  | 'romi';

const COLUMNS: {
  key: SortKey;
  label: AnalyticsKey;
  value: (row: Metrics) => number | null;
  money?: boolean;
}[] = [
  { key: 'spend', label: 'analytics.col.spend', value: (row) => row.spendKopecks, money: true },
  { key: 'siteVisits', label: 'analytics.col.siteVisits', value: (row) => row.siteVisits },
  { key: 'leads', label: 'analytics.col.leads', value: (row) => row.leads },
  {
    key: 'costPerLead',
    label: 'analytics.col.costPerLead',
    value: (row) => row.costPerLeadKopecks,
    money: true,
  },
  { key: 'bookings', label: 'analytics.col.bookings', value: (row) => row.bookings },
  { key: 'clinicVisits', label: 'analytics.col.clinicVisits', value: (row) => row.clinicVisits },
  { key: 'newPatients', label: 'analytics.col.newPatients', value: (row) => row.newPatients },
  { key: 'cac', label: 'analytics.col.cac', value: (row) => row.cacKopecks, money: true },
  {
    key: 'revenue',
    label: 'analytics.col.revenue',
    value: (row) => row.revenueKopecks,
    money: true,
  },
  { key: 'romi', label: 'analytics.col.romi', value: (row) => row.romiPercent },
];

export function channelName(
  locale: string,
  channel: string,
  names: Map<string, { ru: string; en: string }>,
): string {
  const known = names.get(channel);
  return known ? (locale === 'en' ? known.en : known.ru) : channel || '—';
}

export function ReportTab({
  filters,
  channelNames,
}: {
  filters: Filters;
  channelNames: Map<string, { ru: string; en: string }>;
}) {
  const { t, locale, formatNumber } = useAnalyticsI18n();
  const [dimension, setDimension] = useState<'channel' | 'source' | 'campaign' | 'keyword'>(
    'channel',
  );
  const [bucket, setBucket] = useState<'day' | 'week' | 'month'>('week');
  const [sort, setSort] = useState<SortKey>('spend');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const base = { from: filters.from, to: filters.to, channel: filters.channel };
  const report = useApiQuery<ChannelReport>(
    withQuery('/api/v1/analytics/reports/channels', { ...base, dimension, sort, order }),
  );
  const trend = useApiQuery<Trend>(
    withQuery('/api/v1/analytics/reports/trend', { ...base, bucket }),
  );
  if (report.error) return <ErrorAlert error={report.error} onRetry={report.reload} />;
  if (!report.data) return <PageLoader />;
  const data = report.data;
  const name = (channel: string) => channelName(locale, channel, channelNames);
  const format = (value: number | null, money?: boolean) =>
    value === null ? '—' : money ? formatRub(locale, value) : formatNumber(value);
  const toggleSort = (key: SortKey) => {
    if (key === sort) setOrder(order === 'desc' ? 'asc' : 'desc');
    else {
      setSort(key);
      setOrder('desc');
    }
  };
  const label = (row: ReportRow) =>
    [name(row.channel), dimension === 'source' ? row.source : '', row.campaign, row.keyword]
      .filter((part) => part !== '')
      .join(' · ');
  const isEmpty = data.rows.length === 0;
  const change = data.comparison?.change ?? {};
  const cards: {
    label: AnalyticsKey;
    value: string;
    change: number | null | undefined;
    isCost?: boolean;
  }[] = [
    {
      label: 'analytics.col.spend',
      value: formatRub(locale, data.totals.spendKopecks),
      change: change.spendKopecks,
      isCost: true,
    },
    { label: 'analytics.col.leads', value: formatNumber(data.totals.leads), change: change.leads },
    {
      label: 'analytics.col.newPatients',
      value: formatNumber(data.totals.newPatients),
      change: change.newPatients,
    },
    {
      label: 'analytics.col.cac',
      value: formatRub(locale, data.totals.cacKopecks),
      change: change.cacKopecks,
      isCost: true,
    },
    {
      label: 'analytics.col.revenue',
      value: formatRub(locale, data.totals.revenueKopecks),
      change: change.revenueKopecks,
    },
    {
      label: 'analytics.col.romi',
      value: data.totals.romiPercent === null ? '—' : `${data.totals.romiPercent} %`,
      change: null,
    },
  ];
  return (
    <Stack gap="lg">
      {isEmpty && (
        <Paper withBorder p="lg">
          <Text c="dimmed">{t('analytics.empty')}</Text>
        </Paper>
      )}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        {cards.map((card) => (
          <Paper key={card.label} withBorder p="sm">
            <Text size="xs" c="dimmed">
              {t(card.label)}
            </Text>
            <Text fw={700} size="lg">
              {card.value}
            </Text>
            {card.change !== null && card.change !== undefined && (
              <Badge
                variant="light"
                color={card.change >= 0 !== Boolean(card.isCost) ? 'green' : 'red'}
                leftSection={
                  card.change >= 0 ? <IconArrowUp size={12} /> : <IconArrowDown size={12} />
                }
              >
                {card.change > 0 ? '+' : ''}
                {card.change} %
              </Badge>
            )}
          </Paper>
        ))}
      </SimpleGrid>
      {data.comparison && (
        <Text size="xs" c="dimmed">
          {t('analytics.comparison', data.comparison.period)}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="md">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              {t('analytics.spendVsRevenue')}
            </Title>
            <Group gap="xs">
              <SegmentedControl
                size="xs"
                value={bucket}
                onChange={(value) => setBucket(value as typeof bucket)}
                aria-label={t('analytics.bucket')}
                data={(['day', 'week', 'month'] as const).map((value) => ({
                  value,
                  label: t(`analytics.bucket.${value}`),
                }))}
              />
              <ExportButtons query={{ ...base, table: 'trend', bucket }} />
            </Group>
          </Group>
          <CompositeChart
            h={260}
            data={(trend.data?.points ?? []).map((point) => ({
              bucket: point.bucket,
              spend: point.spendKopecks / 100,
              revenue: point.revenueKopecks / 100,
              newPatients: point.newPatients,
            }))}
            dataKey="bucket"
            withLegend
            valueFormatter={(value) => formatNumber(Math.round(value))}
            series={[
              { name: 'spend', label: t('analytics.col.spend'), color: 'red.6', type: 'bar' },
              { name: 'revenue', label: t('analytics.col.revenue'), color: 'teal.6', type: 'line' },
            ]}
          />
        </Paper>
        <Paper withBorder p="md">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              {t('analytics.funnel')}
            </Title>
            <ExportButtons query={{ ...base, table: 'funnel' }} />
          </Group>
          <BarChart
            h={260}
            orientation="vertical"
            data={data.funnel.map((step) => ({
              step: t(`analytics.step.${step.step}` as AnalyticsKey),
              count: step.count,
            }))}
            dataKey="step"
            series={[{ name: 'count', label: t('analytics.col.leads'), color: 'blue.6' }]}
            valueFormatter={(value) => formatNumber(value)}
            yAxisProps={{ width: 110 }}
          />
          <Group gap="md" mt="xs">
            {data.funnel.slice(1).map((step) => (
              <Text key={step.step} size="xs" c="dimmed">
                {t(`analytics.step.${step.step}` as AnalyticsKey)}:{' '}
                {step.rate === null ? '—' : `${Math.round(step.rate * 1000) / 10} %`}
              </Text>
            ))}
          </Group>
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            {t('analytics.channelTable')}
          </Title>
          <Group gap="xs">
            <Select
              size="xs"
              aria-label={t('analytics.dimension')}
              value={dimension}
              allowDeselect={false}
              onChange={(value) => value && setDimension(value as typeof dimension)}
              data={(['channel', 'source', 'campaign', 'keyword'] as const).map((value) => ({
                value,
                label: t(`analytics.dimension.${value}`),
              }))}
            />
            <ExportButtons query={{ ...base, table: 'channels', dimension }} />
          </Group>
        </Group>
        <Table.ScrollContainer minWidth={1000}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t(`analytics.dimension.${dimension}`)}</Table.Th>
                {COLUMNS.map((column) => (
                  <Table.Th
                    key={column.key}
                    ta="right"
                    aria-sort={
                      sort === column.key ? (order === 'asc' ? 'ascending' : 'descending') : 'none'
                    }
                  >
                    <UnstyledButton onClick={() => toggleSort(column.key)} fz="sm" fw={600}>
                      {t(column.label)}
                      {sort === column.key && (order === 'desc' ? ' ↓' : ' ↑')}
                    </UnstyledButton>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rows.map((row) => (
                <Table.Tr key={`${row.channel}|${row.source}|${row.campaign}|${row.keyword}`}>
                  <Table.Td>{label(row)}</Table.Td>
                  {COLUMNS.map((column) => (
                    <Table.Td key={column.key} ta="right">
                      {column.key === 'romi'
                        ? row.romiPercent === null
                          ? '—'
                          : `${row.romiPercent} %`
                        : format(column.value(row), column.money)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}
