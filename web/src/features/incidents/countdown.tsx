import { Badge, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { clockColor, clockStateLabel, formatDuration } from './incident-labels.ts';
import type { IncidentClock } from './incident-types.ts';

/** The current time, ticking every second while a countdown is on screen. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * The state of one clock as the server computed it, with the time left (or past) counted live in
 * the browser: a running clock that passes its due time turns red without a reload.
 */
export function ClockBadge({
  clock,
  now,
  size = 'md',
}: {
  clock: IncidentClock;
  now: number;
  size?: 'sm' | 'md' | 'lg';
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const remaining = new Date(clock.dueAt).getTime() - now;
  const isRunning = clock.state === 'pending' || clock.state === 'overdue';
  const isPast = clock.state === 'overdue' || remaining <= 0;
  const state = isRunning ? (isPast ? 'overdue' : 'pending') : clock.state;
  const color = clockColor(state, remaining);
  const text = isRunning
    ? isPast
      ? t('incidents.overdueBy', { time: formatDuration(i18n, remaining) })
      : t('incidents.remaining', { time: formatDuration(i18n, remaining) })
    : clockStateLabel(i18n, state);
  return (
    <Badge
      color={color}
      variant={state === 'overdue' || state === 'missed' ? 'filled' : 'light'}
      size={size}
      radius="sm"
      tt="none"
      role="timer"
      data-state={state}
      style={{ fontVariantNumeric: 'tabular-nums' }}
    >
      {text}
    </Badge>
  );
}

/** The due moment under a countdown. */
export function DueText({ clock }: { clock: IncidentClock }) {
  const { t, formatDateTime, formatDate } = useI18n();
  return (
    <Text size="xs" c="dimmed">
      {clock.dueDate
        ? t('incidents.dueDay', { date: formatDate(`${clock.dueDate}T12:00:00Z`) })
        : t('incidents.dueAt', { date: formatDateTime(clock.dueAt) })}
    </Text>
  );
}
