import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { api, withQuery } from '../../app/api-client.ts';
import type { Page } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { Pager } from '../../ui/pager.tsx';
import { useAnalyticsI18n } from './analytics-i18n.ts';
import { type Filters, formatRub } from './analytics-types.ts';
import { channelName } from './report-tab.tsx';

type ImportResult = {
  dryRun: boolean;
  format: string;
  channel: string;
  vat: string;
  header: string[];
  rowsTotal: number;
  rowsValid: number;
  rowsImported: number;
  errors: { line: number; column: string | null; message: string }[];
  amountKopecks: number;
  periodStart: string | null;
  periodEnd: string | null;
  replaces: number;
  preview: {
    line: number;
    day: string;
    campaign: string;
    keyword: string;
    amountKopecks: number;
  }[];
};
type SpendEntry = {
  id: string;
  origin: 'import' | 'manual';
  channel: string;
  campaign: string;
  keyword: string;
  periodStart: string;
  periodEnd: string;
  amountKopecks: number;
  vat: 'included' | 'excluded' | 'not_stated';
};
const VATS = ['included', 'excluded', 'not_stated'] as const;
const OFFLINE = ['outdoor', 'tv', 'radio', 'print', 'brand', 'maps', 'aggregators'];

async function readUpload(file: File): Promise<{ content?: string; contentBase64?: string }> {
  if (/\.xlsx$/i.test(file.name)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let index = 0; index < bytes.length; index += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
    }
    return { contentBase64: btoa(binary) };
  }
  const buffer = await file.arrayBuffer();
  // Russian cabinets still export in Windows-1251 at times: fall back when UTF-8 fails.
  try {
    return { content: new TextDecoder('utf-8', { fatal: true }).decode(buffer) };
  } catch {
    return { content: new TextDecoder('windows-1251').decode(buffer) };
  }
}

export function SpendTab({
  filters,
  channelNames,
}: {
  filters: Filters;
  channelNames: Map<string, { ru: string; en: string }>;
}) {
  const { t, locale } = useAnalyticsI18n();
  const [file, setFile] = useState<File | null>(null);
  const [vat, setVat] = useState<(typeof VATS)[number]>('not_stated');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [mapping, setMapping] = useState({ date: '', cost: '', campaign: '' });
  const [mappingChannel, setMappingChannel] = useState<string | null>(null);
  const [needsMapping, setNeedsMapping] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [manual, setManual] = useState({
    channel: 'outdoor',
    campaign: '',
    periodStart: filters.from,
    periodEnd: filters.to,
    amount: 0 as number | string,
    vat: 'included' as (typeof VATS)[number],
  });
  const entries = useApiQuery<Page<SpendEntry> & { amountKopecks: number }>(
    withQuery('/api/v1/analytics/spend', {
      from: filters.from,
      to: filters.to,
      channel: filters.channel,
      page,
      pageSize,
    }),
  );
  const name = (channel: string) => channelName(locale, channel, channelNames);
  const channelOptions = [...channelNames.entries()].map(([value, names]) => ({
    value,
    label: locale === 'en' ? names.en : names.ru,
  }));

  async function send(dryRun: boolean) {
    if (!file) return;
    setIsBusy(true);
    setError(null);
    try {
      const upload = await readUpload(file);
      const hasMapping = needsMapping && mapping.date && mapping.cost;
      const answer = await api.post<ImportResult>('/api/v1/analytics/spend/imports', {
        ...upload,
        fileName: file.name,
        vat,
        dryRun,
        skipInvalid,
        ...(hasMapping
          ? {
              mapping: {
                date: mapping.date,
                cost: mapping.cost,
                ...(mapping.campaign ? { campaign: mapping.campaign } : {}),
              },
              channel: mappingChannel ?? 'other',
            }
          : {}),
      });
      setResult(answer);
      if (!dryRun) entries.reload();
    } catch (caught) {
      setError(caught);
      const message = caught instanceof Error ? caught.message : '';
      if (/map the columns/.test(message)) setNeedsMapping(true);
    } finally {
      setIsBusy(false);
    }
  }

  async function addManual() {
    setError(null);
    try {
      await api.post('/api/v1/analytics/spend', {
        channel: manual.channel,
        campaign: manual.campaign,
        periodStart: manual.periodStart,
        periodEnd: manual.periodEnd,
        amountKopecks: Math.round(Number(manual.amount) * 100),
        vat: manual.vat,
      });
      entries.reload();
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <Stack gap="lg">
      <Paper withBorder p="md">
        <Title order={2} size="h4">
          {t('analytics.spendImport')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('analytics.spendImportHint')}
        </Text>
        <Group align="flex-end" gap="sm">
          <FileInput
            label={t('analytics.file')}
            accept=".csv,.tsv,.txt,.xlsx"
            value={file}
            onChange={(value) => {
              setFile(value);
              setResult(null);
              setNeedsMapping(false);
            }}
            leftSection={<IconFileUpload size={16} />}
            w={320}
            clearable
          />
          <Select
            label={t('analytics.vat')}
            value={vat}
            allowDeselect={false}
            onChange={(value) => value && setVat(value as typeof vat)}
            data={VATS.map((value) => ({ value, label: t(`analytics.vat.${value}`) }))}
            w={160}
          />
          <Button onClick={() => void send(true)} disabled={!file} loading={isBusy}>
            {t('analytics.preview')}
          </Button>
        </Group>
        {needsMapping && (
          <Stack gap="xs" mt="sm">
            <Text size="sm" fw={600}>
              {t('analytics.mapping')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 4 }}>
              <TextInput
                label={t('analytics.mapDate')}
                value={mapping.date}
                onChange={(event) => setMapping({ ...mapping, date: event.currentTarget.value })}
              />
              <TextInput
                label={t('analytics.mapCost')}
                value={mapping.cost}
                onChange={(event) => setMapping({ ...mapping, cost: event.currentTarget.value })}
              />
              <TextInput
                label={t('analytics.mapCampaign')}
                value={mapping.campaign}
                onChange={(event) =>
                  setMapping({ ...mapping, campaign: event.currentTarget.value })
                }
              />
              <Select
                label={t('analytics.channel')}
                data={channelOptions}
                value={mappingChannel}
                onChange={setMappingChannel}
                searchable
              />
            </SimpleGrid>
          </Stack>
        )}
        {error ? <ErrorAlert error={error} onClose={() => setError(null)} /> : null}
        {result && (
          <Stack gap="sm" mt="md">
            <Alert color={result.errors.length > 0 ? 'orange' : 'blue'} variant="light">
              {result.dryRun
                ? t('analytics.previewSummary', {
                    format: result.format,
                    rows: result.rowsValid,
                    amount: formatRub(locale, result.amountKopecks),
                    from: result.periodStart ?? '—',
                    to: result.periodEnd ?? '—',
                    replaces: result.replaces,
                  })
                : t('analytics.imported', { rows: result.rowsImported })}
            </Alert>
            {result.errors.length > 0 && (
              <>
                <Text fw={600}>{t('analytics.rowErrors', { count: result.errors.length })}</Text>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('analytics.line')}</Table.Th>
                      <Table.Th>{t('analytics.column')}</Table.Th>
                      <Table.Th>{t('analytics.problem')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {result.errors.slice(0, 100).map((rowError) => (
                      <Table.Tr key={`${rowError.line}-${rowError.column}`}>
                        <Table.Td>{rowError.line}</Table.Td>
                        <Table.Td>{rowError.column ?? '—'}</Table.Td>
                        <Table.Td>{rowError.message}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Checkbox
                  label={t('analytics.skipInvalid')}
                  checked={skipInvalid}
                  onChange={(event) => setSkipInvalid(event.currentTarget.checked)}
                />
              </>
            )}
            {result.dryRun && (
              <>
                <Table striped>
                  <Table.Tbody>
                    {result.preview.slice(0, 10).map((row) => (
                      <Table.Tr key={row.line}>
                        <Table.Td>{row.day}</Table.Td>
                        <Table.Td>{row.campaign}</Table.Td>
                        <Table.Td>{row.keyword}</Table.Td>
                        <Table.Td ta="right">{formatRub(locale, row.amountKopecks)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Group>
                  <Button
                    onClick={() => void send(false)}
                    loading={isBusy}
                    disabled={result.rowsValid === 0 || (result.errors.length > 0 && !skipInvalid)}
                  >
                    {t('analytics.import', { rows: result.rowsValid })}
                  </Button>
                </Group>
              </>
            )}
          </Stack>
        )}
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          {t('analytics.manualSpend')}
        </Title>
        <Group align="flex-end" gap="sm">
          <Select
            label={t('analytics.channel')}
            value={manual.channel}
            allowDeselect={false}
            searchable
            onChange={(value) => value && setManual({ ...manual, channel: value })}
            data={[
              ...OFFLINE.map((value) => ({ value, label: name(value) })),
              ...channelOptions.filter((option) => !OFFLINE.includes(option.value)),
            ]}
          />
          <TextInput
            label={t('analytics.campaign')}
            value={manual.campaign}
            onChange={(event) => setManual({ ...manual, campaign: event.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('analytics.from')}
            value={manual.periodStart}
            onChange={(event) => setManual({ ...manual, periodStart: event.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('analytics.to')}
            value={manual.periodEnd}
            onChange={(event) => setManual({ ...manual, periodEnd: event.currentTarget.value })}
          />
          <NumberInput
            label={t('analytics.amount')}
            value={manual.amount}
            min={0}
            decimalScale={2}
            thousandSeparator=" "
            onChange={(value) => setManual({ ...manual, amount: value })}
          />
          <Select
            label={t('analytics.vat')}
            value={manual.vat}
            allowDeselect={false}
            onChange={(value) =>
              value && setManual({ ...manual, vat: value as (typeof VATS)[number] })
            }
            data={VATS.map((value) => ({ value, label: t(`analytics.vat.${value}`) }))}
            w={150}
          />
          <Button onClick={() => void addManual()}>{t('analytics.add')}</Button>
        </Group>
      </Paper>
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            {t('analytics.spendList')}
          </Title>
          {entries.data && (
            <Text fw={600}>
              {t('analytics.spendTotal', { amount: formatRub(locale, entries.data.amountKopecks) })}
            </Text>
          )}
        </Group>
        {entries.error ? <ErrorAlert error={entries.error} onRetry={entries.reload} /> : null}
        {entries.data && entries.data.items.length === 0 && (
          <Text c="dimmed">{t('analytics.noSpend')}</Text>
        )}
        {entries.data && entries.data.items.length > 0 && (
          <>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('analytics.period')}</Table.Th>
                  <Table.Th>{t('analytics.channel')}</Table.Th>
                  <Table.Th>{t('analytics.campaign')}</Table.Th>
                  <Table.Th>{t('analytics.dimension.keyword')}</Table.Th>
                  <Table.Th ta="right">{t('analytics.amount')}</Table.Th>
                  <Table.Th>{t('analytics.vat')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.data.items.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>
                      {entry.periodStart === entry.periodEnd
                        ? entry.periodStart
                        : `${entry.periodStart} — ${entry.periodEnd}`}
                    </Table.Td>
                    <Table.Td>
                      {name(entry.channel)}{' '}
                      <Text span size="xs" c="dimmed">
                        ({t(`analytics.origin.${entry.origin}`)})
                      </Text>
                    </Table.Td>
                    <Table.Td>{entry.campaign}</Table.Td>
                    <Table.Td>{entry.keyword}</Table.Td>
                    <Table.Td ta="right">{formatRub(locale, entry.amountKopecks)}</Table.Td>
                    <Table.Td>{t(`analytics.vat.${entry.vat}`)}</Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() =>
                          void api
                            .delete(`/api/v1/analytics/spend/${entry.id}`)
                            .then(entries.reload, setError)
                        }
                      >
                        {t('analytics.remove')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Pager
              page={entries.data.page}
              pageSize={pageSize}
              total={entries.data.total}
              onPageChange={setPage}
              onPageSizeChange={(size) => {
                setPageSize(size);
                setPage(1);
              }}
              label={t('analytics.spendList')}
            />
          </>
        )}
      </Paper>
    </Stack>
  );
}
