import { Badge, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';

type ComplaintReport = {
  windowDays: number;
  sent: number;
  complaints: number;
  bounces: number;
  complaintRate: number | null;
  level: 'ok' | 'warning' | 'error';
};

const LEVEL_COLOR: Record<ComplaintReport['level'], string> = {
  ok: 'teal',
  warning: 'orange',
  error: 'red',
};

// Google and Yahoo: under 0.3 %, aim for under 0.1 % (R-E2); the bar is drawn up to 0.5 %.
const SCALE_MAX = 0.005;

/** Spam complaints per email sent over the last 30 days, against the mailbox providers' limit. */
export function ComplaintRate() {
  const { t, formatNumber } = useI18n();
  const query = useApiQuery<ComplaintReport>('/api/v1/messaging/complaints');
  const report = query.data;
  const percent = (value: number) =>
    `${(value * 100).toLocaleString(undefined, { maximumFractionDigits: 2 })} %`;
  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('messaging.complaintsTitle')}
          </Title>
          {report && (
            <Badge color={LEVEL_COLOR[report.level]} variant="light" tt="none">
              {t(`messaging.complaintsLevel.${report.level}`)}
            </Badge>
          )}
        </Group>
        {query.error !== null && <ErrorAlert error={query.error} />}
        {report && report.sent === 0 && (
          <Text size="sm" c="dimmed">
            {t('messaging.complaintsNone', { days: String(report.windowDays) })}
          </Text>
        )}
        {report && report.sent > 0 && (
          <>
            <Text size="sm">
              {t('messaging.complaintsSummary', {
                rate: percent(report.complaintRate ?? 0),
                complaints: formatNumber(report.complaints),
                sent: formatNumber(report.sent),
                bounces: formatNumber(report.bounces),
                days: String(report.windowDays),
              })}
            </Text>
            <Progress
              aria-label={t('messaging.complaintsTitle')}
              value={Math.min(100, ((report.complaintRate ?? 0) / SCALE_MAX) * 100)}
              color={LEVEL_COLOR[report.level]}
            />
          </>
        )}
        <Text size="xs" c="dimmed">
          {t('messaging.complaintsHint')}
        </Text>
      </Stack>
    </Paper>
  );
}
