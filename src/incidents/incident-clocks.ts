// The clocks of an incident and their state at a moment. Pure: the service passes the stored
// row and the time.
import {
  CLOCKS,
  type ClockType,
  computeDeadline,
  toMoscowDate,
} from '../subject-requests/clock.service.ts';
import type { IncidentRow } from './incidents.repo.ts';
import type { IncidentKind, IncidentStep, TIncidentClock } from './incidents.schema.ts';

/** The due times an incident gets from its detection and kind. */
export type IncidentDueTimes = {
  due24hAt: Date;
  due72hAt: Date;
  dueStopAt: Date | null;
  dueDestroyAt: Date | null;
};

/**
 * 152-FZ Art. 21 p.3.1 (R-D7): 24 h to notify Roskomnadzor, 72 h to report the investigation,
 * in elapsed hours from detection; the GDPR notice (Art. 33(1), R-G5) shares the 72 h. Unlawful
 * processing (Art. 21 p.3, R-D2) also gets 3 working days to stop and 10 to destroy, counted in
 * Russian working days from the Moscow date of detection.
 */
export function dueTimesOf(kind: IncidentKind, detectedAt: Date): IncidentDueTimes {
  const isUnlawful = kind === 'unlawful_processing';
  return {
    due24hAt: computeDeadline({ type: 'incident-24h', receivedAt: detectedAt }).dueAt,
    due72hAt: computeDeadline({ type: 'incident-72h', receivedAt: detectedAt }).dueAt,
    dueStopAt: isUnlawful
      ? computeDeadline({ type: 'unlawful-stop', receivedAt: detectedAt }).dueAt
      : null,
    dueDestroyAt: isUnlawful
      ? computeDeadline({ type: 'unlawful-destroy-10', receivedAt: detectedAt }).dueAt
      : null,
  };
}

const STEP_CLOCKS: Record<IncidentStep, ClockType> = {
  notice24h: 'incident-24h',
  report72h: 'incident-72h',
  gdprNotice: 'incident-72h',
  processingStopped: 'unlawful-stop',
  dataDestroyed: 'unlawful-destroy-10',
};

const GDPR_BASIS = 'GDPR Art. 33(1) (R-G5)';

/** Which steps apply to an incident: the GDPR notice only under the GDPR, R-D2 only to unlawful processing. */
export function stepsOf(row: Pick<IncidentRow, 'kind' | 'gdprApplies'>): IncidentStep[] {
  const steps: IncidentStep[] = ['notice24h', 'report72h'];
  if (row.gdprApplies) steps.push('gdprNotice');
  if (row.kind === 'unlawful_processing') steps.push('processingStopped', 'dataDestroyed');
  return steps;
}

function dueOf(row: IncidentRow, step: IncidentStep): Date | null {
  switch (step) {
    case 'notice24h':
      return row.due24hAt;
    case 'report72h':
    case 'gdprNotice':
      return row.due72hAt;
    case 'processingStopped':
      return row.dueStopAt;
    case 'dataDestroyed':
      return row.dueDestroyAt;
  }
}

/**
 * Each clock's state at `now`: pending before its due time, overdue after it without the step
 * recorded, done (or done late) once recorded; on a closed incident a step never recorded is
 * missed.
 */
export function clocksOf(row: IncidentRow, now: Date): TIncidentClock[] {
  return stepsOf(row).flatMap((step) => {
    const dueAt = dueOf(row, step);
    if (!dueAt) return [];
    const clock = STEP_CLOCKS[step];
    const done = row.steps[step];
    let state: TIncidentClock['state'];
    if (done.at) state = done.at.getTime() <= dueAt.getTime() ? 'done' : 'done_late';
    else if (row.status === 'closed') state = 'missed';
    else state = now.getTime() >= dueAt.getTime() ? 'overdue' : 'pending';
    const isDayClock = CLOCKS[clock].unit !== 'hours';
    return [
      {
        step,
        clock,
        basis: step === 'gdprNotice' ? GDPR_BASIS : CLOCKS[clock].basis,
        dueAt: dueAt.toISOString(),
        // A working-day clock runs to the end of its last Moscow day.
        dueDate: isDayClock ? toMoscowDate(new Date(dueAt.getTime() - 1)) : null,
        doneAt: done.at?.toISOString() ?? null,
        evidence: done.evidence,
        state,
      },
    ];
  });
}

/** The nearest clock still running or overdue. */
export function nextClockOf(clocks: readonly TIncidentClock[]): TIncidentClock | null {
  return clocks
    .filter((clock) => clock.state === 'pending' || clock.state === 'overdue')
    .reduce<TIncidentClock | null>(
      (best, clock) => (best === null || clock.dueAt < best.dueAt ? clock : best),
      null,
    );
}
