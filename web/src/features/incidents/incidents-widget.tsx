import { Anchor, Badge, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertOctagon, IconArrowRight, IconShieldCheck } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { ClockBadge, useNow } from './countdown.tsx';
import { stepLabel } from './incident-labels.ts';
import { type IncidentOverview, incidentPath } from './incident-types.ts';

/**
 * Open incidents with their nearest countdown, on the dashboard. It turns red when a clock ran
 * out without its notice recorded (R-D7: the 24 h notice and the 72 h report).
 */
export function IncidentsWidget() {
  const i18n = useI18n();
  const { t } = i18n;
  const query = useApiQuery<IncidentOverview>('/api/v1/incidents/overview');
  const now = useNow();

  if (query.error !== null) {
    return <ErrorAlert error={query.error} onRetry={query.reload} />;
  }
  const overview = query.data;
  if (overview === null) {
    return null;
  }
  const isRed = overview.overdueCount > 0;
  return (
    <Paper
      withBorder
      radius="md"
      p="lg"
      component="section"
      aria-labelledby="incidents-widget-title"
      data-testid="incidents-widget"
      data-overdue={isRed || undefined}
      style={{
        borderColor: isRed ? 'var(--mantine-color-red-6)' : undefined,
        background: isRed ? 'var(--mantine-color-red-light)' : undefined,
      }}
    >
      <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon
            variant={isRed ? 'filled' : 'light'}
            color={isRed ? 'red' : overview.openCount > 0 ? 'orange' : 'teal'}
            size="lg"
            radius="md"
          >
            {isRed || overview.openCount > 0 ? (
              <IconAlertOctagon size={20} />
            ) : (
              <IconShieldCheck size={20} />
            )}
          </ThemeIcon>
          <Title order={2} size="h4" id="incidents-widget-title">
            {t('incidents.widgetTitle')}
          </Title>
        </Group>
        <Group gap={6}>
          <Badge color={overview.openCount > 0 ? 'orange' : 'gray'} variant="light" tt="none">
            {t('incidents.widgetOpen', { count: overview.openCount })}
          </Badge>
          {isRed && (
            <Badge color="red" variant="filled" tt="none">
              {t('incidents.widgetOverdue', { count: overview.overdueCount })}
            </Badge>
          )}
        </Group>
      </Group>
      {overview.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('incidents.widgetNone')}
        </Text>
      ) : (
        <Stack gap="xs">
          {overview.items.map((incident) => (
            <Group key={incident.id} justify="space-between" wrap="wrap" gap="xs">
              <Anchor component={Link} to={incidentPath(incident.id)} size="sm" fw={500}>
                №&nbsp;{incident.number} · {incident.title}
              </Anchor>
              {incident.nextClock && (
                <Group gap={6} wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {stepLabel(i18n, incident.nextClock.step)}
                  </Text>
                  <ClockBadge clock={incident.nextClock} now={now} size="sm" />
                </Group>
              )}
            </Group>
          ))}
        </Stack>
      )}
      <Group gap="md" mt="md">
        <Anchor component={Link} to="/incidents" size="sm">
          <Group gap={4} component="span">
            {t('incidents.widgetAll')}
            <IconArrowRight size={14} />
          </Group>
        </Anchor>
        {isRed && (
          <Anchor component={Link} to="/incidents?overdue=1" size="sm" c="red.8">
            {t('incidents.widgetOverdueLink')}
          </Anchor>
        )}
      </Group>
    </Paper>
  );
}
