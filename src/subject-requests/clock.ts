// The clock engine: due dates of the data-subject and incident clocks of 152-FZ and the GDPR,
// counted in Russian working days, calendar days, months or hours. Pure functions: no I/O, and no
// reading of the current time — callers pass the moment of receipt.
//
// Dates are calendar dates in Europe/Moscow: a request that arrives at 23:30 UTC on 30 April
// arrives on 1 May in Moscow, and its clock starts from 1 May.
import { AppError } from '../platform/errors.ts';
import { type IsoDate, PRODUCTION_CALENDAR } from './production-calendar.ts';

export type { IsoDate } from './production-calendar.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MOSCOW = 'Europe/Moscow';

type YearIndex = { isConfirmed: boolean; nonWorking: Set<IsoDate>; working: Set<IsoDate> };

const YEARS = new Map<number, YearIndex>(
  PRODUCTION_CALENDAR.map((year) => [
    year.year,
    {
      isConfirmed: year.isConfirmed,
      nonWorking: new Set(year.nonWorking.map((day) => day.date)),
      working: new Set(year.working.map((day) => day.date)),
    },
  ]),
);

/** The years the production calendar covers, ascending. */
export const SHIPPED_YEARS: readonly number[] = [...YEARS.keys()].sort((a, b) => a - b);

/** A working-day question about a date the shipped production calendar does not cover. */
export class CalendarRangeError extends AppError {
  readonly date: IsoDate;

  constructor(date: IsoDate) {
    const first = SHIPPED_YEARS[0];
    const last = SHIPPED_YEARS[SHIPPED_YEARS.length - 1];
    super(
      'rule_violated',
      `No production calendar for ${date}: the calendar covers ${first}–${last} only ` +
        '(add the year as docs/deadlines.md describes)',
      { details: { rule: 'calendar_range', date, years: SHIPPED_YEARS } },
    );
    this.name = 'CalendarRangeError';
    this.date = date;
  }
}

// ---------------------------------------------------------------------------------------------
// Calendar dates as day numbers (days since 1970-01-01), so arithmetic needs no time zone.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (2025-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

function dayNumberOf(date: IsoDate): number {
  if (!isIsoDate(date)) {
    throw new AppError('validation_failed', `Not a calendar date (YYYY-MM-DD): "${date}"`);
  }
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function dateOf(dayNumber: number): IsoDate {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday. */
function weekdayOf(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCDay();
}

// ---------------------------------------------------------------------------------------------
// Moscow time.

const MOSCOW_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: MOSCOW,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const MOSCOW_OFFSET = new Intl.DateTimeFormat('en-US', {
  timeZone: MOSCOW,
  timeZoneName: 'longOffset',
});

/** The calendar date in Moscow at an instant. */
export function toMoscowDate(instant: Date): IsoDate {
  if (Number.isNaN(instant.getTime())) throw new AppError('validation_failed', 'Invalid instant');
  const parts = MOSCOW_DATE.formatToParts(instant);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function moscowOffsetMs(instant: Date): number {
  const name = MOSCOW_OFFSET.formatToParts(instant).find((entry) => entry.type === 'timeZoneName');
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name?.value ?? '');
  if (!match) return 0;
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * HOUR_MS + Number(match[3]) * 60_000);
}

/** The instant a Moscow calendar day begins. */
export function startOfMoscowDay(date: IsoDate): Date {
  const utcMidnight = dayNumberOf(date) * DAY_MS;
  const guess = utcMidnight - moscowOffsetMs(new Date(utcMidnight));
  return new Date(utcMidnight - moscowOffsetMs(new Date(guess)));
}

// ---------------------------------------------------------------------------------------------
// The production calendar.

function yearIndexOf(date: IsoDate): YearIndex {
  dayNumberOf(date);
  const year = YEARS.get(yearOf(date));
  if (!year) throw new CalendarRangeError(date);
  return year;
}

/** Whether a date is a working day under the Russian production calendar (five-day week). */
export function isWorkingDay(date: IsoDate): boolean {
  const year = yearIndexOf(date);
  if (year.working.has(date)) return true;
  if (year.nonWorking.has(date)) return false;
  const weekday = weekdayOf(dayNumberOf(date));
  return weekday !== 0 && weekday !== 6;
}

/** Whether every calendar year from `from` to `to` is confirmed against its decree. */
function isCalendarConfirmed(from: IsoDate, to: IsoDate): boolean {
  for (let year = yearOf(from); year <= yearOf(to); year += 1) {
    if (!YEARS.get(year)?.isConfirmed) return false;
  }
  return true;
}

function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive whole number, got ${value}`);
  }
}

/**
 * The n-th working day after `start`.
 *
 * The day of receipt is not counted: a period starts on the day after the event that begins it
 * (Civil Code Art. 191), so a request received on day D with a 10-working-day clock is due on the
 * 10th working day after D, whether D itself was a working day or not. The answer is always a
 * working day, so Civil Code Art. 193 (a last day that is non-working moves to the next working
 * day) never applies to it.
 */
export function addWorkingDays(start: IsoDate, workingDays: number): IsoDate {
  assertCount(workingDays, 'workingDays');
  let day = dayNumberOf(start);
  let left = workingDays;
  while (left > 0) {
    day += 1;
    if (isWorkingDay(dateOf(day))) left -= 1;
  }
  return dateOf(day);
}

/** How many working days lie after `from` up to and including `to` (0 when `to` ≤ `from`). */
export function countWorkingDays(from: IsoDate, to: IsoDate): number {
  let count = 0;
  const last = dayNumberOf(to);
  for (let day = dayNumberOf(from) + 1; day <= last; day += 1) {
    if (isWorkingDay(dateOf(day))) count += 1;
  }
  return count;
}

/** The first working day on or after `date`. */
export function nextWorkingDayFrom(date: IsoDate): IsoDate {
  let day = dayNumberOf(date);
  while (!isWorkingDay(dateOf(day))) day += 1;
  return dateOf(day);
}

/** `start` plus `days` calendar days (negative goes back). Needs no production calendar. */
export function addCalendarDays(start: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  return dateOf(dayNumberOf(start) + days);
}

/**
 * `start` plus `months` months: the same day number, or the last day of the target month when it
 * is shorter (31 Jan + 1 month → 28 or 29 Feb). This is how GDPR Art. 12(3) "one month" is counted
 * (Regulation 1182/71 Art. 3(2)(c)). Each result is counted from `start` itself, so 31 Jan +
 * 3 months is 30 Apr, not 28 Apr. Needs no production calendar.
 */
export function addMonths(start: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) {
    throw new RangeError(`months must be a whole number, got ${months}`);
  }
  dayNumberOf(start);
  const [year, month, day] = start.split('-').map(Number) as [number, number, number];
  const target = Date.UTC(year, month - 1 + months, 1);
  const targetYear = new Date(target).getUTCFullYear();
  const targetMonth = new Date(target).getUTCMonth();
  const daysInTarget = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return dateOf(Date.UTC(targetYear, targetMonth, Math.min(day, daysInTarget)) / DAY_MS);
}

/** An instant plus a number of hours of elapsed time. */
export function addHours(instant: Date, hours: number): Date {
  if (Number.isNaN(instant.getTime())) throw new AppError('validation_failed', 'Invalid instant');
  return new Date(instant.getTime() + hours * HOUR_MS);
}

// ---------------------------------------------------------------------------------------------
// The clocks.

export const CLOCK_TYPES = [
  'access',
  'access-extended',
  'correction',
  'unlawful-destroy',
  'stop',
  'stop-extended',
  'unlawful-stop',
  'unlawful-destroy-10',
  'rkn-request',
  'distribution-stop',
  'withdrawal-destroy',
  'purpose-destroy',
  'incident-24h',
  'incident-72h',
  'gdpr-access',
  'gdpr-extended',
] as const;

export type ClockType = (typeof CLOCK_TYPES)[number];

export type ClockUnit = 'working-days' | 'calendar-days' | 'months' | 'hours';

export type ClockDefinition = {
  unit: ClockUnit;
  amount: number;
  law: '152-FZ' | 'GDPR';
  /** The legal source, for people: shown in the UI and in `soglasie deadline --help`. */
  basis: string;
  /** What must be done by the due date. */
  duty: string;
  /** The 152-FZ clocks that may be extended once by up to 5 working days with a motivated notice. */
  isExtendable: boolean;
};

export const CLOCKS: Record<ClockType, ClockDefinition> = {
  access: {
    unit: 'working-days',
    amount: 10,
    law: '152-FZ',
    basis: '152-FZ Art. 14 p.3, Art. 20 p.1–2 (R-S1)',
    duty: 'answer an access request or refuse it with reasons',
    isExtendable: true,
  },
  'access-extended': {
    unit: 'working-days',
    amount: 15,
    law: '152-FZ',
    basis: '152-FZ Art. 20 p.2: +5 wd once, with reasons (R-S1)',
    duty: 'answer an access request after the one extension',
    isExtendable: false,
  },
  correction: {
    unit: 'working-days',
    amount: 7,
    law: '152-FZ',
    basis: '152-FZ Art. 20 p.3 (R-S4)',
    duty: 'correct data shown to be inaccurate',
    isExtendable: false,
  },
  'unlawful-destroy': {
    unit: 'working-days',
    amount: 7,
    law: '152-FZ',
    basis: '152-FZ Art. 20 p.3 (R-S4)',
    duty: 'destroy data shown to be unlawfully obtained or not needed for the purpose',
    isExtendable: false,
  },
  stop: {
    unit: 'working-days',
    amount: 10,
    law: '152-FZ',
    basis: '152-FZ Art. 21 p.5.1 (R-S6)',
    duty: "stop processing on the subject's demand",
    isExtendable: true,
  },
  'stop-extended': {
    unit: 'working-days',
    amount: 15,
    law: '152-FZ',
    basis: '152-FZ Art. 21 p.5.1: +5 wd once, with reasons (R-S6)',
    duty: "stop processing on the subject's demand after the one extension",
    isExtendable: false,
  },
  'unlawful-stop': {
    unit: 'working-days',
    amount: 3,
    law: '152-FZ',
    basis: '152-FZ Art. 21 p.3 (R-D2)',
    duty: 'stop unlawful processing once it is found',
    isExtendable: false,
  },
  'unlawful-destroy-10': {
    unit: 'working-days',
    amount: 10,
    law: '152-FZ',
    basis: '152-FZ Art. 21 p.3 (R-D2)',
    duty: 'destroy data whose processing cannot be made lawful',
    isExtendable: false,
  },
  'rkn-request': {
    unit: 'working-days',
    amount: 10,
    law: '152-FZ',
    basis: '152-FZ Art. 20 p.4 (R-S5)',
    duty: "answer Roskomnadzor's request",
    isExtendable: true,
  },
  'distribution-stop': {
    unit: 'working-days',
    amount: 3,
    law: '152-FZ',
    basis: '152-FZ Art. 10.1 p.12, p.14 (R-C8)',
    duty: 'stop distributing data the subject permitted for distribution, on demand',
    isExtendable: false,
  },
  'withdrawal-destroy': {
    unit: 'calendar-days',
    amount: 30,
    law: '152-FZ',
    basis: '152-FZ Art. 21 p.5 (R-D4)',
    duty: 'stop processing and destroy data after consent is withdrawn',
    isExtendable: false,
  },
  'purpose-destroy': {
    unit: 'calendar-days',
    amount: 30,
    law: '152-FZ',
    basis: '152-FZ Art. 21 p.4 (R-D3)',
    duty: 'stop processing and destroy data once the purpose is achieved',
    isExtendable: false,
  },
  'incident-24h': {
    unit: 'hours',
    amount: 24,
    law: '152-FZ',
    basis: '152-FZ Art. 21 p.3.1 (R-D7)',
    duty: 'notify Roskomnadzor of a leak, from its detection',
    isExtendable: false,
  },
  'incident-72h': {
    unit: 'hours',
    amount: 72,
    law: '152-FZ',
    basis: '152-FZ Art. 21 p.3.1 (R-D7); GDPR Art. 33(1) (R-G5)',
    duty: 'report the investigation of a leak, from its detection',
    isExtendable: false,
  },
  'gdpr-access': {
    unit: 'months',
    amount: 1,
    law: 'GDPR',
    basis: 'GDPR Art. 12(3) (R-G2)',
    duty: "act on a data subject's request",
    isExtendable: false,
  },
  'gdpr-extended': {
    unit: 'months',
    amount: 3,
    law: 'GDPR',
    basis: 'GDPR Art. 12(3): +2 months, told within the first (R-G2)',
    duty: 'act on a complex or numerous request after the extension',
    isExtendable: false,
  },
};

export function isClockType(value: string): value is ClockType {
  return (CLOCK_TYPES as readonly string[]).includes(value);
}

/** At most this many working days, and only once (152-FZ Art. 20 p.2, p.4; Art. 21 p.5.1). */
export const MAX_EXTENSION_WORKING_DAYS = 5;

export type Deadline = {
  type: ClockType;
  unit: ClockUnit;
  /** Units counted from receipt, with an extension included. */
  amount: number;
  basis: string;
  /** The Moscow date of receipt (or of detection, for an incident). */
  receivedOn: IsoDate;
  /** The instant of receipt, when it was given as one. */
  receivedAt: Date | null;
  /** The last Moscow calendar day on which the duty is still done in time. */
  dueDate: IsoDate;
  /** When the period runs out: receipt plus the hours for hour clocks, else the end of `dueDate` in Moscow. */
  dueAt: Date;
  /**
   * False when the answer rests on a calendar year not yet checked against its decree: the UI
   * must say that the date may change.
   */
  calendarConfirmed: boolean;
  /** For a calendar-day clock whose last day was not a working day: that day (Civil Code Art. 193). */
  movedFrom: IsoDate | null;
  extension: { byWorkingDays: number; reason: string } | null;
};

/** What a calendar-day clock does when its last day is not a working day. */
export type NonWorkingLastDay = 'next-working-day' | 'keep';

export type DeadlineInput = {
  type: ClockType;
  /** The instant of receipt, or its Moscow calendar date `YYYY-MM-DD`. Hour clocks need an instant. */
  receivedAt: Date | IsoDate;
  /**
   * Calendar-day clocks only. REQUIREMENTS 1.9: a period whose last day is non-working ends on the
   * next working day (Civil Code Art. 193, applied by practice to these clocks) — the default.
   * `keep` ends on the 30th day itself, the stricter reading.
   */
  nonWorkingLastDay?: NonWorkingLastDay;
};

/** The due date of a clock started at `receivedAt`. */
export function computeDeadline(input: DeadlineInput): Deadline {
  const clock = CLOCKS[input.type];
  if (!clock) throw new AppError('validation_failed', `Unknown clock type "${String(input.type)}"`);
  const receivedAt = input.receivedAt instanceof Date ? input.receivedAt : null;
  const receivedOn =
    input.receivedAt instanceof Date ? toMoscowDate(input.receivedAt) : input.receivedAt;
  dayNumberOf(receivedOn);
  const base = {
    type: input.type,
    unit: clock.unit,
    amount: clock.amount,
    basis: clock.basis,
    receivedOn,
    receivedAt,
    movedFrom: null,
    extension: null,
  };

  switch (clock.unit) {
    case 'hours': {
      // 152-FZ Art. 21 p.3.1 counts from detection in hours: elapsed time, not calendar days.
      if (!receivedAt) {
        throw new AppError(
          'validation_failed',
          `The ${input.type} clock counts hours: give the instant of detection, not a date`,
        );
      }
      const dueAt = addHours(receivedAt, clock.amount);
      return { ...base, dueDate: toMoscowDate(dueAt), dueAt, calendarConfirmed: true };
    }
    case 'working-days': {
      const dueDate = addWorkingDays(receivedOn, clock.amount);
      return {
        ...base,
        dueDate,
        dueAt: endOfMoscowDay(dueDate),
        calendarConfirmed: isCalendarConfirmed(addCalendarDays(receivedOn, 1), dueDate),
      };
    }
    case 'calendar-days': {
      // Civil Code Art. 191: the count starts the day after receipt, so day 30 is receipt + 30.
      const lastDay = addCalendarDays(receivedOn, clock.amount);
      if ((input.nonWorkingLastDay ?? 'next-working-day') === 'keep') {
        return {
          ...base,
          dueDate: lastDay,
          dueAt: endOfMoscowDay(lastDay),
          calendarConfirmed: true,
        };
      }
      const dueDate = nextWorkingDayFrom(lastDay);
      return {
        ...base,
        dueDate,
        dueAt: endOfMoscowDay(dueDate),
        calendarConfirmed: isCalendarConfirmed(lastDay, dueDate),
        movedFrom: dueDate === lastDay ? null : lastDay,
      };
    }
    case 'months': {
      // GDPR Art. 12(3): "within one month of receipt". The EU rule that moves a last day falling
      // on a weekend or holiday (Regulation 1182/71 Art. 3(4)) is not applied: it depends on a
      // member state's holidays, which we do not ship, and the earlier date is the safe one.
      const dueDate = addMonths(receivedOn, clock.amount);
      return { ...base, dueDate, dueAt: endOfMoscowDay(dueDate), calendarConfirmed: true };
    }
  }
}

function endOfMoscowDay(date: IsoDate): Date {
  return startOfMoscowDay(addCalendarDays(date, 1));
}

export type ExtensionInput = {
  /** At most 5 working days. */
  byWorkingDays: number;
  /** The reason given to the subject in the motivated notice; the law requires one. */
  reason: string;
};

function refuseExtension(rule: string, message: string): never {
  throw new AppError('rule_violated', message, { details: { rule } });
}

/**
 * Extends a 152-FZ clock that allows it (access, stop, RKN request) once, by up to 5 working days
 * counted on from the original due date, with a motivated notice giving the reason
 * (152-FZ Art. 20 p.2, p.4; Art. 21 p.5.1).
 */
export function extend(deadline: Deadline, input: ExtensionInput): Deadline {
  if (!CLOCKS[deadline.type].isExtendable) {
    refuseExtension('extension_not_allowed', `The ${deadline.type} clock cannot be extended`);
  }
  if (deadline.extension) {
    refuseExtension(
      'extension_used',
      'The clock was extended already; the law allows one extension only',
    );
  }
  if (
    !Number.isInteger(input.byWorkingDays) ||
    input.byWorkingDays < 1 ||
    input.byWorkingDays > MAX_EXTENSION_WORKING_DAYS
  ) {
    refuseExtension(
      'extension_too_long',
      `An extension is 1 to ${MAX_EXTENSION_WORKING_DAYS} working days, got ${input.byWorkingDays}`,
    );
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason) {
    refuseExtension(
      'extension_reason_required',
      'An extension needs the reason sent to the subject in a motivated notice',
    );
  }
  const dueDate = addWorkingDays(deadline.dueDate, input.byWorkingDays);
  return {
    ...deadline,
    amount: deadline.amount + input.byWorkingDays,
    dueDate,
    dueAt: endOfMoscowDay(dueDate),
    calendarConfirmed:
      deadline.calendarConfirmed &&
      isCalendarConfirmed(addCalendarDays(deadline.dueDate, 1), dueDate),
    extension: { byWorkingDays: input.byWorkingDays, reason },
  };
}

/**
 * The deadline that runs out first, for a request under several regimes at once (a subject under
 * both 152-FZ and the GDPR must be answered by the earlier date, R-G2). Its `calendarConfirmed`
 * is false when any of the compared dates rests on an unconfirmed calendar year, since the
 * choice itself could then change.
 */
export function earliestDeadline(deadlines: readonly Deadline[]): Deadline {
  const [first, ...others] = deadlines;
  if (!first) throw new RangeError('earliestDeadline needs at least one deadline');
  const earliest = others.reduce(
    (best, deadline) => (deadline.dueAt.getTime() < best.dueAt.getTime() ? deadline : best),
    first,
  );
  return {
    ...earliest,
    calendarConfirmed: deadlines.every((deadline) => deadline.calendarConfirmed),
  };
}

const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a moment of receipt: a Moscow calendar date `YYYY-MM-DD`, or an ISO timestamp with its
 * offset (`2025-04-30T23:30:00Z`, `2025-05-01T02:30+03:00`). A timestamp without an offset is
 * refused: which day it means would depend on the machine's time zone.
 */
export function parseReceivedAt(value: string): Date | IsoDate {
  if (isIsoDate(value)) return value;
  const match = ISO_TIMESTAMP.exec(value);
  const instant = match ? new Date(value) : null;
  if (!match || !instant || Number.isNaN(instant.getTime()) || !isIsoDate(match[1] ?? '')) {
    throw new AppError(
      'validation_failed',
      `Not a date (YYYY-MM-DD) or an ISO timestamp with an offset (2025-04-30T23:30:00Z): "${value}"`,
    );
  }
  return instant;
}
