import { zonedInstant } from './zoned-time.ts';

/** Appointments occupy a grid of 5-minute cells; the database keys each cell (migration 0017). */
export const CELL_MINUTES = 5;
const CELL_MS = CELL_MINUTES * 60_000;

export type Interval = { start: Date; end: Date };

/** The cells an appointment occupies: every 5-minute start from its start to before its end. */
export function cellsOf(interval: Interval): Date[] {
  const cells: Date[] = [];
  for (let at = interval.start.getTime(); at < interval.end.getTime(); at += CELL_MS) {
    cells.push(new Date(at));
  }
  return cells;
}

export function isOnGrid(instant: Date): boolean {
  return instant.getTime() % CELL_MS === 0;
}

/** Offered starts are this far apart: the service's duration, at most half an hour. */
export function stepOf(durationMinutes: number): number {
  return Math.min(durationMinutes, 30);
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

export type DaySchedule = {
  /** The calendar date in the branch's zone. */
  date: string;
  timeZone: string;
  /** Working windows of that weekday, wall-clock 'HH:MM'. */
  windows: readonly { startsAt: string; endsAt: string }[];
  /** Exceptions on that date: a whole day off (no times) or a time range off. */
  exceptions: readonly { startsAt: string | null; endsAt: string | null }[];
};

/**
 * The free starts of one specialist on one day for a service: inside a working window, outside
 * every exception and every busy interval, not before `notBefore`, stepping by `stepOf`. Pure;
 * the booking itself is guarded by the database's slot key, not by this answer.
 */
export function freeStarts(
  day: DaySchedule,
  input: { durationMinutes: number; busy: readonly Interval[]; notBefore: Date },
): Date[] {
  if (day.exceptions.some((exception) => exception.startsAt === null)) return [];
  const off: Interval[] = day.exceptions.flatMap((exception) =>
    exception.startsAt && exception.endsAt
      ? [
          {
            start: zonedInstant(day.date, exception.startsAt, day.timeZone),
            end: zonedInstant(day.date, exception.endsAt, day.timeZone),
          },
        ]
      : [],
  );
  const blocked = [...off, ...input.busy];
  const durationMs = input.durationMinutes * 60_000;
  const stepMs = stepOf(input.durationMinutes) * 60_000;
  const starts = new Map<number, Date>();
  for (const window of day.windows) {
    const windowStart = zonedInstant(day.date, window.startsAt, day.timeZone).getTime();
    const windowEnd = zonedInstant(day.date, window.endsAt, day.timeZone).getTime();
    for (let at = windowStart; at + durationMs <= windowEnd; at += stepMs) {
      const candidate = { start: new Date(at), end: new Date(at + durationMs) };
      if (candidate.start < input.notBefore) continue;
      if (blocked.some((interval) => overlaps(candidate, interval))) continue;
      starts.set(at, candidate.start);
    }
  }
  return [...starts.values()].sort((a, b) => a.getTime() - b.getTime());
}

/** Whether an interval lies inside one working window of the day and outside its exceptions. */
export function isWithinSchedule(day: DaySchedule, interval: Interval): boolean {
  if (day.exceptions.some((exception) => exception.startsAt === null)) return false;
  const inWindow = day.windows.some(
    (window) =>
      zonedInstant(day.date, window.startsAt, day.timeZone) <= interval.start &&
      interval.end <= zonedInstant(day.date, window.endsAt, day.timeZone),
  );
  if (!inWindow) return false;
  return !day.exceptions.some(
    (exception) =>
      exception.startsAt &&
      exception.endsAt &&
      overlaps(interval, {
        start: zonedInstant(day.date, exception.startsAt, day.timeZone),
        end: zonedInstant(day.date, exception.endsAt, day.timeZone),
      }),
  );
}
