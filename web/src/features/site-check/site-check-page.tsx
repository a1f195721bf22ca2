import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Paper,
  RingProgress,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconWorldSearch } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/ru.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { SiteCheckHistory } from './site-check-history.tsx';
import {
  isFetchReason,
  MAX_PASTED_HTML_CHARS,
  SEVERITIES,
  type Severity,
  type SiteCheckResult,
  type SiteFinding,
} from './site-check-types.ts';

type Source = 'url' | 'html';
type ClinicMode = 'auto' | 'yes' | 'no';

const SEVERITY_COLOR: Record<Severity, string> = { high: 'red', medium: 'orange', low: 'gray' };

function scoreColor(score: number): string {
  if (score >= 80) return 'teal';
  if (score >= 50) return 'yellow';
  return 'red';
}

/**
 * «Проверка сайта»: a page of the clinic's site, by address (fetched by the server, which refuses
 * private addresses) or pasted HTML; the score and the findings grouped by severity, with fixes.
 */
export function SiteCheckPage() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [source, setSource] = useState<Source>('url');
  const [url, setUrl] = useState('');
  const [html, setHtml] = useState('');
  const [clinic, setClinic] = useState<ClinicMode>('auto');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [result, setResult] = useState<SiteCheckResult | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  const me = useMe();
  const canRun = hasPermission(me, 'site_check.run');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = source === 'url' ? url.trim() : html;
    if (value.trim() === '') {
      setFieldError(t('validation.required'));
      return;
    }
    if (source === 'html' && value.length > MAX_PASTED_HTML_CHARS) {
      setFieldError(
        t('siteCheck.htmlTooLong', { max: MAX_PASTED_HTML_CHARS.toLocaleString(locale) }),
      );
      return;
    }
    setFieldError(null);
    setError(null);
    setIsBusy(true);
    try {
      const body: Record<string, unknown> = source === 'url' ? { url: value } : { html: value };
      if (clinic !== 'auto') body.clinic = clinic === 'yes';
      setResult(await api.post<SiteCheckResult>('/api/v1/site-checks', body));
      setHistoryVersion((current) => current + 1);
    } catch (caught) {
      setResult(null);
      if (isApiError(caught) && caught.code === 'validation_failed') {
        setFieldError(
          locale === 'en'
            ? Object.values(caught.fields).flat().join('; ')
            : source === 'url'
              ? t('siteCheck.urlInvalid')
              : t('validation.invalid'),
        );
      } else {
        setError(caught);
      }
    } finally {
      setIsBusy(false);
    }
  };

  const reason =
    isApiError(error) && error.code === 'site_fetch_failed' ? error.details.reason : null;

  return (
    <>
      <PageHeader title={t('siteCheck.title')} description={t('siteCheck.description')} />
      {canRun && (
        <Paper withBorder p="md" radius="md" mb="lg">
          <form onSubmit={(event) => void submit(event)} noValidate>
            <Stack gap="md">
              <SegmentedControl
                value={source}
                onChange={(value) => {
                  setSource(value as Source);
                  setFieldError(null);
                }}
                data={[
                  { value: 'url', label: t('siteCheck.sourceUrl') },
                  { value: 'html', label: t('siteCheck.sourceHtml') },
                ]}
                aria-label={t('siteCheck.sourceLabel')}
                w="fit-content"
              />
              {source === 'url' ? (
                <TextInput
                  label={t('siteCheck.urlLabel')}
                  description={t('siteCheck.urlHint')}
                  placeholder="https://klinika.ru/"
                  value={url}
                  onChange={(event) => setUrl(event.currentTarget.value)}
                  error={fieldError}
                  maxLength={2048}
                  leftSection={<IconWorldSearch size={16} />}
                  data-autofocus
                />
              ) : (
                <Textarea
                  label={t('siteCheck.htmlLabel')}
                  description={t('siteCheck.htmlHint')}
                  placeholder="<!doctype html>…"
                  value={html}
                  onChange={(event) => setHtml(event.currentTarget.value)}
                  error={fieldError}
                  autosize
                  minRows={6}
                  maxRows={16}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                />
              )}
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('siteCheck.clinicLabel')}
                </Text>
                <SegmentedControl
                  value={clinic}
                  onChange={(value) => setClinic(value as ClinicMode)}
                  data={[
                    { value: 'auto', label: t('siteCheck.clinicAuto') },
                    { value: 'yes', label: t('siteCheck.clinicYes') },
                    { value: 'no', label: t('siteCheck.clinicNo') },
                  ]}
                  aria-label={t('siteCheck.clinicLabel')}
                  w="fit-content"
                />
              </Stack>
              <Group>
                <Button type="submit" loading={isBusy}>
                  {t('siteCheck.run')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}

      {error !== null &&
        (isFetchReason(reason) ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={t('siteCheck.fetchFailed')}
            role="alert"
            mb="lg"
          >
            <Text size="sm">{t(`siteCheck.reason.${reason}` as MessageKey)}</Text>
            <Text size="xs" c="dimmed" mt={4}>
              {t('common.errorCode', { code: reason })}
            </Text>
          </Alert>
        ) : (
          <ErrorAlert error={error} />
        ))}

      {result && <SiteCheckReport result={result} />}
      <SiteCheckHistory version={historyVersion} onOpen={setResult} />
    </>
  );
}

function SiteCheckReport({ result }: { result: SiteCheckResult }) {
  const { t, locale } = useI18n();
  return (
    <Stack gap="lg" aria-live="polite">
      <Card withBorder radius="md" p="md">
        <Group gap="lg" wrap="wrap">
          <RingProgress
            size={110}
            thickness={10}
            roundCaps
            sections={[{ value: result.score, color: scoreColor(result.score) }]}
            label={
              <Text ta="center" fw={700} size="xl" aria-label={t('siteCheck.scoreLabel')}>
                {result.score}
              </Text>
            }
          />
          <Stack gap={6}>
            <Title order={2} size="h4">
              {t('siteCheck.scoreTitle', { score: result.score })}
            </Title>
            <Group gap="xs">
              {SEVERITIES.map((severity) => (
                <Badge key={severity} color={SEVERITY_COLOR[severity]} variant="light">
                  {t(`siteCheck.severity.${severity}` as MessageKey)}: {result.counts[severity]}
                </Badge>
              ))}
            </Group>
            {result.finalUrl && (
              <Text size="sm" c="dimmed">
                {t('siteCheck.checkedUrl')}{' '}
                <Anchor href={result.finalUrl} target="_blank" rel="noopener noreferrer">
                  {result.finalUrl}
                </Anchor>
              </Text>
            )}
            <Text size="sm" c="dimmed">
              {[
                result.isClinic ? t('siteCheck.clinicChecked') : t('siteCheck.clinicNotChecked'),
                result.isFullPage ? null : t('siteCheck.fragment'),
                new Date(result.checkedAt).toLocaleString(locale),
              ]
                .filter(Boolean)
                .join(' · ')}
            </Text>
          </Stack>
        </Group>
      </Card>

      {result.findings.length === 0 ? (
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />}>
          {t('siteCheck.noFindings')}
        </Alert>
      ) : (
        SEVERITIES.map((severity) => {
          const group = result.findings.filter((finding) => finding.severity === severity);
          if (group.length === 0) return null;
          return (
            <Stack key={severity} gap="sm" component="section">
              <Title order={2} size="h4">
                {t(`siteCheck.group.${severity}` as MessageKey)} ({group.length})
              </Title>
              {group.map((finding) => (
                <FindingCard key={finding.code} finding={finding} />
              ))}
            </Stack>
          );
        })
      )}
    </Stack>
  );
}

function FindingCard({ finding }: { finding: SiteFinding }) {
  const { t, locale } = useI18n();
  return (
    <Card withBorder radius="md" p="md" component="article">
      <Stack gap="xs">
        <Group gap="xs">
          <Badge color={SEVERITY_COLOR[finding.severity]} variant="filled">
            {t(`siteCheck.severity.${finding.severity}` as MessageKey)}
          </Badge>
          <Badge color="gray" variant="outline" tt="none" ff="monospace">
            {finding.code}
          </Badge>
        </Group>
        <Text fw={500}>{finding.message[locale]}</Text>
        {finding.evidence.length > 0 && (
          <div>
            <Text size="sm" c="dimmed">
              {t('siteCheck.evidence')}
            </Text>
            <List size="sm" spacing={2}>
              {finding.evidence.map((item) => (
                <List.Item key={item}>
                  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {item}
                  </Text>
                </List.Item>
              ))}
            </List>
          </div>
        )}
        <Text size="sm">
          <Text span fw={600}>
            {t('siteCheck.fix')}:
          </Text>{' '}
          {finding.fix[locale]}
        </Text>
        <Text size="xs" c="dimmed">
          {t('siteCheck.rule')}: {finding.rule}
        </Text>
      </Stack>
    </Card>
  );
}
