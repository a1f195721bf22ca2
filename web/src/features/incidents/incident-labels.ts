import type { I18n } from '../../i18n/i18n-context.tsx';
import type { ClockState, IncidentKind, IncidentStatus, IncidentStep } from './incident-types.ts';

export function kindLabel(i18n: I18n, kind: IncidentKind): string {
  return i18n.t(`incidentKind.${kind}`);
}

export function statusLabel(i18n: I18n, status: IncidentStatus): string {
  return i18n.t(`incidentStatus.${status}`);
}

export function stepLabel(i18n: I18n, step: IncidentStep): string {
  return i18n.t(`incidentStep.${step}`);
}

export function clockStateLabel(i18n: I18n, state: ClockState): string {
  return i18n.t(`incidentClockState.${state}`);
}

export const STATUS_COLOR: Record<IncidentStatus, string> = {
  open: 'orange',
  notified: 'blue',
  investigated: 'grape',
  closed: 'gray',
};

// Less than this left on a clock turns it orange: a warning before it turns red.
const WARNING_MS = 6 * 3_600_000;

/** Red once passed without the step, orange when close, green when done in time. */
export function clockColor(state: ClockState, remainingMs: number): string {
  switch (state) {
    case 'overdue':
    case 'missed':
      return 'red';
    case 'done':
      return 'teal';
    case 'done_late':
      return 'yellow';
    case 'pending':
      return remainingMs <= 0 ? 'red' : remainingMs < WARNING_MS ? 'orange' : 'blue';
  }
}

/** "2 д 3 ч", "5 ч 07 мин 12 с", "4 мин 09 с". */
export function formatDuration(i18n: I18n, ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  if (days > 0) {
    return i18n.t('incidents.durationDays', { days, hours });
  }
  if (hours > 0) {
    return i18n.t('incidents.durationHours', {
      hours,
      minutes: pad(minutes),
      seconds: pad(seconds),
    });
  }
  return i18n.t('incidents.durationMinutes', { minutes, seconds: pad(seconds) });
}
