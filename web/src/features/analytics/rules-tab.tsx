import {
  Alert,
  Button,
  Code,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../../app/api-client.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { useAnalyticsI18n } from './analytics-i18n.ts';

type Rule = { id: string; when: unknown[]; result: { channel: string } };
type RuleSet = {
  rules: Rule[];
  version: number;
  defaults: Rule[];
  reclassified: { touchpoints: number; changed: number; conversions: number } | null;
};
type Classification = {
  channel: string;
  source: string | null;
  campaign: string | null;
  ruleId: string;
};

const EXAMPLE = [
  {
    id: 'partner-portal',
    when: [{ field: 'utm_source', equals: 'dentalportal' }],
    result: { channel: 'aggregators', source: 'dentalportal' },
  },
];
const SAMPLE_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'referrer'] as const;

/** The organization's own rules in front of the defaults, tried on a sample before saving. */
export function RulesTab() {
  const { t } = useAnalyticsI18n();
  const query = useApiQuery<RuleSet>('/api/v1/analytics/channel-rules');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isJsonBad, setIsJsonBad] = useState(false);
  const [saved, setSaved] = useState<RuleSet | null>(null);
  const [sample, setSample] = useState<Record<(typeof SAMPLE_FIELDS)[number], string>>({
    utm_source: 'dentalportal',
    utm_medium: 'listing',
    utm_campaign: '',
    referrer: '',
  });
  const [tried, setTried] = useState<Classification | null>(null);

  useEffect(() => {
    if (query.data) {
      setText(JSON.stringify(query.data.rules.length > 0 ? query.data.rules : EXAMPLE, null, 2));
    }
  }, [query.data]);

  function parsed(): unknown[] | null {
    try {
      const value: unknown = JSON.parse(text);
      setIsJsonBad(!Array.isArray(value));
      return Array.isArray(value) ? value : null;
    } catch {
      setIsJsonBad(true);
      return null;
    }
  }

  async function tryRules() {
    const rules = parsed();
    if (!rules) return;
    setError(null);
    try {
      const touch = Object.fromEntries(Object.entries(sample).filter(([, value]) => value !== ''));
      const answer = await api.post<{ results: Classification[] }>(
        '/api/v1/analytics/channel-rules/test',
        {
          rules,
          touches: [touch],
        },
      );
      setTried(answer.results[0] ?? null);
    } catch (caught) {
      setError(caught);
    }
  }

  async function save() {
    const rules = parsed();
    if (!rules || !query.data) return;
    setError(null);
    try {
      const answer = await api.put<RuleSet & { version: number }>(
        '/api/v1/analytics/channel-rules',
        {
          rules,
          expectedVersion: saved?.version ?? query.data.version,
        },
      );
      setSaved(answer);
    } catch (caught) {
      setError(caught);
    }
  }

  if (query.error) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (!query.data) return <PageLoader />;
  return (
    <Stack gap="lg">
      <Text size="sm">{t('analytics.rulesHint')}</Text>
      <Paper withBorder p="md">
        <Textarea
          label={t('analytics.rulesJson')}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          autosize
          minRows={8}
          maxRows={30}
          styles={{ input: { fontFamily: 'monospace' } }}
          error={isJsonBad ? t('analytics.rulesInvalidJson') : undefined}
        />
        <Group mt="sm" align="flex-end">
          {SAMPLE_FIELDS.map((field) => (
            <TextInput
              key={field}
              label={field}
              value={sample[field]}
              onChange={(event) => setSample({ ...sample, [field]: event.currentTarget.value })}
            />
          ))}
          <Button variant="light" onClick={() => void tryRules()}>
            {t('analytics.rulesTest')}
          </Button>
          <Button onClick={() => void save()}>{t('analytics.rulesSave')}</Button>
        </Group>
        {tried && (
          <Alert mt="sm" variant="light">
            {t('analytics.rulesResult', {
              channel: tried.channel,
              source: tried.source ?? '—',
              campaign: tried.campaign ?? '—',
              rule: tried.ruleId,
            })}
          </Alert>
        )}
        {saved?.reclassified && (
          <Alert mt="sm" color="green" variant="light">
            {t('analytics.rulesSaved', { version: saved.version, ...saved.reclassified })}
          </Alert>
        )}
        {error ? <ErrorAlert error={error} onClose={() => setError(null)} /> : null}
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          {t('analytics.rulesDefaults', { count: query.data.defaults.length })}
        </Title>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('analytics.rule')}</Table.Th>
              <Table.Th>{t('analytics.channel')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.data.defaults.map((rule) => (
              <Table.Tr key={rule.id}>
                <Table.Td>
                  <Code>{rule.id}</Code>
                </Table.Td>
                <Table.Td>{rule.result.channel}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
