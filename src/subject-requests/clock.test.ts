import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import {
  addCalendarDays,
  addHours,
  addMonths,
  addWorkingDays,
  CalendarRangeError,
  CLOCK_TYPES,
  CLOCKS,
  type ClockType,
  computeDeadline,
  countWorkingDays,
  type Deadline,
  earliestDeadline,
  extend,
  isIsoDate,
  isWorkingDay,
  nextWorkingDayFrom,
  parseReceivedAt,
  SHIPPED_YEARS,
  startOfMoscowDay,
  toMoscowDate,
} from './clock.ts';
import { PRODUCTION_CALENDAR } from './production-calendar.ts';

// Every expected date below is worked out by hand from the decrees, not by the engine. Notation:
// "(n)" marks the n-th working day counted; "off" a weekday that is not worked.

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function daysOf(year: number): string[] {
  const days: string[] = [];
  for (let day = new Date(Date.UTC(year, 0, 1)); day.getUTCFullYear() === year; ) {
    days.push(day.toISOString().slice(0, 10));
    day = new Date(day.getTime() + 86_400_000);
  }
  return days;
}

function ruleOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.details?.rule;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('production calendar data', () => {
  it('ships 2025, 2026 and 2027, with 2027 marked unconfirmed', () => {
    expect(SHIPPED_YEARS).toEqual([2025, 2026, 2027]);
    expect(PRODUCTION_CALENDAR.map((year) => [year.year, year.isConfirmed])).toEqual([
      [2025, true],
      [2026, true],
      [2027, false],
    ]);
  });

  it('lists only weekdays as non-working and weekend days as working, sorted, each with a note', () => {
    for (const year of PRODUCTION_CALENDAR) {
      for (const list of [year.nonWorking, year.working]) {
        const dates = list.map((day) => day.date);
        expect(dates).toEqual([...new Set(dates)].sort());
        for (const day of list) {
          expect(isIsoDate(day.date)).toBe(true);
          expect(day.date.startsWith(`${year.year}-`)).toBe(true);
          expect(day.note.length).toBeGreaterThan(10);
        }
      }
      for (const day of year.nonWorking) expect([1, 2, 3, 4, 5]).toContain(weekday(day.date));
      for (const day of year.working) expect([0, 6]).toContain(weekday(day.date));
    }
  });

  it('makes every Labour Code Art. 112 holiday a day off', () => {
    const holidays = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08'];
    holidays.push('02-23', '03-08', '05-01', '05-09', '06-12', '11-04');
    for (const year of SHIPPED_YEARS) {
      for (const holiday of holidays) expect(isWorkingDay(`${year}-${holiday}`)).toBe(false);
    }
  });

  it('gives the working-day totals published with the decrees', () => {
    // 2025 and 2026: 247 working days each on a five-day week, as published with Decree 1335 and
    // Decree 1466. 2027 holds only the Art. 112 holidays: 365 − 104 weekend days − 12 weekday
    // holidays = 249; the decree will take two more days for the January weekend holidays.
    const totals = SHIPPED_YEARS.map((year) => daysOf(year).filter(isWorkingDay).length);
    expect(totals).toEqual([247, 247, 249]);
  });

  it('follows Decree 1335 for 2025: 23 Feb and 8 Mar moved to May and June, not to Mondays', () => {
    // The decree moved the days off of Sun 23 Feb and Sat 8 Mar to Thu 8 May and Fri 13 Jun, so
    // the Mondays after them stayed working days.
    expect(isWorkingDay('2025-02-24')).toBe(true);
    expect(isWorkingDay('2025-03-10')).toBe(true);
    for (const date of ['2025-05-02', '2025-05-08', '2025-06-13', '2025-11-03', '2025-12-31']) {
      expect(isWorkingDay(date)).toBe(false);
    }
    expect(isWorkingDay('2025-11-01')).toBe(true); // a Saturday, worked
  });

  it('follows Decree 1466 for 2026 and Art. 112 p.2 for holidays on weekends', () => {
    for (const date of ['2026-01-09', '2026-03-09', '2026-05-11', '2026-12-31']) {
      expect(isWorkingDay(date)).toBe(false);
    }
    expect(isWorkingDay('2026-01-12')).toBe(true); // the first working day of 2026
    expect(isWorkingDay('2026-02-24')).toBe(true);
  });
});

describe('isWorkingDay', () => {
  it('treats an ordinary weekday as working and a weekend as not', () => {
    expect(isWorkingDay('2025-04-30')).toBe(true); // Wednesday
    expect(isWorkingDay('2025-05-10')).toBe(false); // Saturday
    expect(isWorkingDay('2025-05-11')).toBe(false); // Sunday
  });

  it('refuses a date outside the shipped years with CalendarRangeError naming them', () => {
    for (const date of ['2024-12-31', '2028-01-01']) {
      expect(() => isWorkingDay(date)).toThrow(CalendarRangeError);
      expect(() => isWorkingDay(date)).toThrow(/covers 2025–2027 only/);
    }
    const error = (() => {
      try {
        isWorkingDay('2028-03-01');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as CalendarRangeError).date).toBe('2028-03-01');
    expect((error as AppError).details).toMatchObject({ years: [2025, 2026, 2027] });
  });

  it('refuses a malformed or impossible date', () => {
    for (const date of ['2025-02-30', '2025-4-30', '30.04.2025', '']) {
      expect(() => isWorkingDay(date)).toThrow(/Not a calendar date/);
    }
  });
});

describe('addWorkingDays', () => {
  it('counts 10 working days from 30 Apr 2025 across the May holidays', () => {
    // After Wed 30 Apr: Thu 1 May holiday, Fri 2 May off (from Sat 4 Jan), Sat 3–Sun 4,
    // Mon 5 (1), Tue 6 (2), Wed 7 (3), Thu 8 off (from Sun 23 Feb), Fri 9 holiday, Sat 10–Sun 11,
    // Mon 12 (4), 13 (5), 14 (6), 15 (7), Fri 16 (8), Mon 19 (9), Tue 20 (10).
    expect(addWorkingDays('2025-04-30', 10)).toBe('2025-05-20');
  });

  it('counts 10 working days from 25 Dec 2025 across the New Year holidays into 2026', () => {
    // After Thu 25 Dec: Fri 26 (1), Sat 27–Sun 28, Mon 29 (2), Tue 30 (3), Wed 31 off (from
    // Sun 5 Jan 2025), 1–11 Jan 2026 off (holidays, Fri 9 from Sat 3 Jan, weekends),
    // Mon 12 (4), 13 (5), 14 (6), 15 (7), Fri 16 (8), Mon 19 (9), Tue 20 (10).
    expect(addWorkingDays('2025-12-25', 10)).toBe('2026-01-20');
  });

  it('counts 7 working days across 12 Jun 2025', () => {
    // After Tue 10 Jun: Wed 11 (1), Thu 12 holiday, Fri 13 off (from Sat 8 Mar), Sat 14–Sun 15,
    // Mon 16 (2), 17 (3), 18 (4), 19 (5), Fri 20 (6), Mon 23 (7).
    expect(addWorkingDays('2025-06-10', 7)).toBe('2025-06-23');
  });

  it('counts 3 working days over the worked Saturday 1 Nov 2025', () => {
    // After Thu 30 Oct: Fri 31 (1), Sat 1 Nov worked (2), Sun 2, Mon 3 off (from Sat 1 Nov),
    // Tue 4 holiday, Wed 5 (3). Without the worked Saturday it would be Thu 6 Nov.
    expect(addWorkingDays('2025-10-30', 3)).toBe('2025-11-05');
  });

  it('starts the count the day after receipt even when receipt is on a day off', () => {
    // Received Sat 3 May 2025: Sun 4, Mon 5 (1).
    expect(addWorkingDays('2025-05-03', 1)).toBe('2025-05-05');
    // Received Fri 2 May (a day off): the same.
    expect(addWorkingDays('2025-05-02', 1)).toBe('2025-05-05');
  });

  it('refuses to count past the last shipped year', () => {
    // After Mon 27 Dec 2027: 28 (1), 29 (2), 30 (3), Fri 31 (4), then 1 Jan 2028 is unknown.
    expect(() => addWorkingDays('2027-12-27', 10)).toThrow(CalendarRangeError);
    expect(() => addWorkingDays('2027-12-27', 10)).toThrow(/2028-01-01/);
  });

  it('takes a positive whole number of days only', () => {
    expect(() => addWorkingDays('2025-04-30', 0)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-04-30', 1.5)).toThrow(RangeError);
  });

  it('always lands on a working day n working days later (every start, 2025 to autumn 2027)', () => {
    const starts = [...daysOf(2025), ...daysOf(2026), ...daysOf(2027).slice(0, 300)];
    for (const start of starts) {
      for (const n of [1, 3, 5, 7, 10, 15]) {
        const due = addWorkingDays(start, n);
        expect(isWorkingDay(due)).toBe(true);
        expect(countWorkingDays(start, due)).toBe(n);
        // …and on the first such day: the day before it holds one working day fewer.
        expect(countWorkingDays(start, addCalendarDays(due, -1))).toBe(n - 1);
      }
    }
  });
});

describe('countWorkingDays and nextWorkingDayFrom', () => {
  it('counts the working days after the first date up to the second', () => {
    // After Wed 30 Apr 2025 up to Fri 9 May: Mon 5, Tue 6, Wed 7.
    expect(countWorkingDays('2025-04-30', '2025-05-09')).toBe(3);
    expect(countWorkingDays('2025-05-09', '2025-04-30')).toBe(0);
  });

  it('finds the first working day on or after a date', () => {
    expect(nextWorkingDayFrom('2025-12-31')).toBe('2026-01-12');
    expect(nextWorkingDayFrom('2025-11-01')).toBe('2025-11-01');
  });
});

describe('addCalendarDays and addMonths', () => {
  it('adds calendar days without the production calendar', () => {
    // 31 Jan + 28 = 28 Feb, + 2 more = 2 Mar.
    expect(addCalendarDays('2025-01-31', 30)).toBe('2025-03-02');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29'); // 2028 is a leap year
    expect(addCalendarDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('keeps the day number, or takes the last day of a shorter month', () => {
    expect(addMonths('2025-01-15', 1)).toBe('2025-02-15');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2025-03-31', 1)).toBe('2025-04-30');
    expect(addMonths('2025-12-31', 1)).toBe('2026-01-31');
    // Counted from the start each time: 31 Jan + 3 months is 30 Apr, not 28 Apr.
    expect(addMonths('2025-01-31', 3)).toBe('2025-04-30');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
  });
});

describe('Moscow dates', () => {
  it('takes the calendar date in Moscow (UTC+3), not in UTC', () => {
    expect(toMoscowDate(new Date('2025-04-30T23:30:00Z'))).toBe('2025-05-01');
    expect(toMoscowDate(new Date('2025-04-30T20:59:59.999Z'))).toBe('2025-04-30');
    expect(toMoscowDate(new Date('2025-04-30T21:00:00Z'))).toBe('2025-05-01');
    expect(startOfMoscowDay('2025-05-01').toISOString()).toBe('2025-04-30T21:00:00.000Z');
  });

  it('starts the clock from the Moscow date at the midnight boundary', () => {
    // 23:59:59 on Tue 6 May in Moscow: after 6 May, Wed 7 (1), Thu 8 off, Fri 9 holiday,
    // Mon 12 (2) … Fri 16 (6), Mon 19 (7), 20 (8), 21 (9), Thu 22 (10).
    const before = computeDeadline({
      type: 'access',
      receivedAt: new Date('2025-05-06T20:59:59Z'),
    });
    expect(before.receivedOn).toBe('2025-05-06');
    expect(before.dueDate).toBe('2025-05-22');
    // 00:00 on Wed 7 May in Moscow (still 6 May in UTC): Mon 12 (1) … Fri 16 (5), Mon 19 (6),
    // 20 (7), 21 (8), 22 (9), Fri 23 (10).
    const after = computeDeadline({ type: 'access', receivedAt: new Date('2025-05-06T21:00:00Z') });
    expect(after.receivedOn).toBe('2025-05-07');
    expect(after.dueDate).toBe('2025-05-23');
    // The period runs out at the end of that day in Moscow.
    expect(after.dueAt.toISOString()).toBe('2025-05-23T21:00:00.000Z');
  });

  it('reads 23:30 UTC on 30 Apr as receipt on 1 May', () => {
    // After Thu 1 May: Fri 2 off, Sat 3–Sun 4, Mon 5 (1) … the same 10th day as from 30 Apr,
    // Tue 20 May, because 1 May is itself a day off.
    const deadline = computeDeadline({
      type: 'access',
      receivedAt: new Date('2025-04-30T23:30:00Z'),
    });
    expect(deadline.receivedOn).toBe('2025-05-01');
    expect(deadline.dueDate).toBe('2025-05-20');
  });
});

describe('computeDeadline', () => {
  // Received Wed 30 Apr 2025. Working days after it: Mon 5 May (1), 6 (2), 7 (3), [8 off, 9
  // holiday, 10–11 weekend] Mon 12 (4), 13 (5), 14 (6), 15 (7), 16 (8), Mon 19 (9), 20 (10),
  // 21 (11), 22 (12), 23 (13), Mon 26 (14), Tue 27 (15).
  // 30 calendar days after 30 Apr: Fri 30 May, a working day. One month: 30 May; three: 30 Jul.
  const fromLastDayOfApril: Record<Exclude<ClockType, 'incident-24h' | 'incident-72h'>, string> = {
    access: '2025-05-20',
    'access-extended': '2025-05-27',
    correction: '2025-05-15',
    'unlawful-destroy': '2025-05-15',
    stop: '2025-05-20',
    'stop-extended': '2025-05-27',
    'unlawful-stop': '2025-05-07',
    'unlawful-destroy-10': '2025-05-20',
    'rkn-request': '2025-05-20',
    'distribution-stop': '2025-05-07',
    'withdrawal-destroy': '2025-05-30',
    'purpose-destroy': '2025-05-30',
    'gdpr-access': '2025-05-30',
    'gdpr-extended': '2025-07-30',
  };

  for (const [type, expected] of Object.entries(fromLastDayOfApril)) {
    it(`gives ${type} received on 30 Apr 2025 the due date ${expected}`, () => {
      const deadline = computeDeadline({ type: type as ClockType, receivedAt: '2025-04-30' });
      expect(deadline).toMatchObject({
        type,
        receivedOn: '2025-04-30',
        receivedAt: null,
        dueDate: expected,
        calendarConfirmed: true,
        extension: null,
        basis: CLOCKS[type as ClockType].basis,
      });
      expect(deadline.dueAt.toISOString()).toBe(`${expected}T21:00:00.000Z`);
    });
  }

  it('has a case above or below for every clock type', () => {
    expect([...Object.keys(fromLastDayOfApril), 'incident-24h', 'incident-72h'].sort()).toEqual(
      [...CLOCK_TYPES].sort(),
    );
  });

  it('counts the incident clocks in hours from the moment of detection', () => {
    // Detected 23:30 UTC on 30 Apr (02:30 on 1 May in Moscow): + 24 h and + 72 h of elapsed
    // time, holidays or not.
    const detectedAt = new Date('2025-04-30T23:30:00Z');
    const first = computeDeadline({ type: 'incident-24h', receivedAt: detectedAt });
    expect(first.dueAt.toISOString()).toBe('2025-05-01T23:30:00.000Z');
    expect(first.dueDate).toBe('2025-05-02'); // 02:30 on 2 May in Moscow
    expect(first.receivedAt).toEqual(detectedAt);
    const second = computeDeadline({ type: 'incident-72h', receivedAt: detectedAt });
    expect(second.dueAt.toISOString()).toBe('2025-05-03T23:30:00.000Z');
    // Hours need no production calendar, so 2028 is fine.
    const later = computeDeadline({
      type: 'incident-24h',
      receivedAt: new Date('2028-02-28T12:00:00Z'),
    });
    expect(later.dueAt.toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(addHours(detectedAt, 72)).toEqual(second.dueAt);
  });

  it('refuses a bare date for an hour clock', () => {
    expect(() => computeDeadline({ type: 'incident-24h', receivedAt: '2025-05-01' })).toThrow(
      /counts hours/,
    );
  });

  it('moves a 30-day clock ending on a day off to the next working day (Civil Code Art. 193)', () => {
    // Received Sat 4 Oct 2025: day 30 is Mon 3 Nov, a day off (from Sat 1 Nov); Tue 4 Nov is a
    // holiday; the next working day is Wed 5 Nov.
    const moved = computeDeadline({ type: 'withdrawal-destroy', receivedAt: '2025-10-04' });
    expect(moved.dueDate).toBe('2025-11-05');
    expect(moved.movedFrom).toBe('2025-11-03');
    // The stricter reading keeps day 30 itself.
    const kept = computeDeadline({
      type: 'withdrawal-destroy',
      receivedAt: '2025-10-04',
      nonWorkingLastDay: 'keep',
    });
    expect(kept.dueDate).toBe('2025-11-03');
    expect(kept.movedFrom).toBeNull();
    // Received Tue 2 Dec 2025: day 30 is Thu 1 Jan 2026; 1–11 Jan are off; Mon 12 Jan.
    const overNewYear = computeDeadline({ type: 'purpose-destroy', receivedAt: '2025-12-02' });
    expect(overNewYear.dueDate).toBe('2026-01-12');
    expect(overNewYear.movedFrom).toBe('2026-01-01');
  });

  it('needs the calendar for a moved 30-day clock but not for a kept one', () => {
    // Received 15 Dec 2027: day 30 is 14 Jan 2028.
    expect(() => computeDeadline({ type: 'purpose-destroy', receivedAt: '2027-12-15' })).toThrow(
      CalendarRangeError,
    );
    const kept = computeDeadline({
      type: 'purpose-destroy',
      receivedAt: '2027-12-15',
      nonWorkingLastDay: 'keep',
    });
    expect(kept.dueDate).toBe('2028-01-14');
  });

  it('flags an answer that rests on the unconfirmed 2027 calendar', () => {
    // Received Fri 25 Dec 2026: Mon 28 (1), 29 (2), 30 (3), Thu 31 off (from Sun 4 Jan 2026);
    // 2027: Fri 1 Jan holiday, 2–3 weekend, 4–8 holidays, 9–10 weekend, Mon 11 (4) … Fri 15 (8),
    // Mon 18 (9), Tue 19 (10).
    const intoNextYear = computeDeadline({ type: 'access', receivedAt: '2026-12-25' });
    expect(intoNextYear.dueDate).toBe('2027-01-19');
    expect(intoNextYear.calendarConfirmed).toBe(false);
    // Inside 2026 only: confirmed.
    expect(computeDeadline({ type: 'access', receivedAt: '2026-12-01' }).calendarConfirmed).toBe(
      true,
    );
    // Received Thu 3 Dec 2026: day 30 is Sat 2 Jan 2027; Mon 4–Fri 8 are holidays; Mon 11 Jan.
    const moved = computeDeadline({ type: 'withdrawal-destroy', receivedAt: '2026-12-03' });
    expect(moved.dueDate).toBe('2027-01-11');
    expect(moved.calendarConfirmed).toBe(false);
  });

  it('counts the GDPR month from receipt: 31 Jan 2025 → 28 Feb 2025', () => {
    const deadline = computeDeadline({ type: 'gdpr-access', receivedAt: '2025-01-31' });
    expect(deadline.dueDate).toBe('2025-02-28');
    // One month + two: 30 Apr (April has 30 days).
    expect(computeDeadline({ type: 'gdpr-extended', receivedAt: '2025-01-31' }).dueDate).toBe(
      '2025-04-30',
    );
  });

  it('answers a month clock for 31 Jan 2028 but refuses a working-day clock then', () => {
    // Month clocks need no production calendar: 2028 is a leap year, so 29 Feb.
    const gdpr = computeDeadline({ type: 'gdpr-access', receivedAt: '2028-01-31' });
    expect(gdpr.dueDate).toBe('2028-02-29');
    expect(gdpr.calendarConfirmed).toBe(true);
    expect(() => computeDeadline({ type: 'access', receivedAt: '2028-01-31' })).toThrow(
      CalendarRangeError,
    );
  });

  it('refuses an unknown type or an impossible date', () => {
    expect(() =>
      computeDeadline({ type: 'access-forever' as ClockType, receivedAt: '2025-04-30' }),
    ).toThrow(/Unknown clock type/);
    expect(() => computeDeadline({ type: 'access', receivedAt: '2025-02-30' })).toThrow(
      /Not a calendar date/,
    );
    expect(() => computeDeadline({ type: 'access', receivedAt: new Date('nonsense') })).toThrow(
      /Invalid instant/,
    );
  });
});

describe('extend', () => {
  const access = computeDeadline({ type: 'access', receivedAt: '2025-04-30' }); // due 20 May

  it('extends an access clock once by up to 5 working days with a reason', () => {
    // After Tue 20 May: 21 (1), 22 (2), 23 (3), Mon 26 (4), Tue 27 (5) — the access-extended date.
    const extended = extend(access, { byWorkingDays: 5, reason: 'Records held in the archive' });
    expect(extended.dueDate).toBe('2025-05-27');
    expect(extended.amount).toBe(15);
    expect(extended.extension).toEqual({ byWorkingDays: 5, reason: 'Records held in the archive' });
    expect(extended.dueDate).toBe(
      computeDeadline({ type: 'access-extended', receivedAt: '2025-04-30' }).dueDate,
    );
    expect(access.extension).toBeNull(); // the original is untouched
  });

  it('extends the RKN and stop clocks too', () => {
    // RKN: after Tue 20 May, 21 (1), 22 (2), Fri 23 (3).
    const rkn = computeDeadline({ type: 'rkn-request', receivedAt: '2025-04-30' });
    expect(extend(rkn, { byWorkingDays: 3, reason: 'Data from a branch' }).dueDate).toBe(
      '2025-05-23',
    );
    const stop = computeDeadline({ type: 'stop', receivedAt: '2025-04-30' });
    expect(extend(stop, { byWorkingDays: 1, reason: 'Processor must confirm' }).dueDate).toBe(
      '2025-05-21',
    );
  });

  it('refuses a second extension', () => {
    const extended = extend(access, { byWorkingDays: 2, reason: 'Archive' });
    expect(ruleOf(() => extend(extended, { byWorkingDays: 2, reason: 'Again' }))).toBe(
      'extension_used',
    );
  });

  it('refuses more than 5 working days, or not a positive whole number', () => {
    for (const byWorkingDays of [6, 0, -1, 2.5]) {
      expect(ruleOf(() => extend(access, { byWorkingDays, reason: 'Archive' }))).toBe(
        'extension_too_long',
      );
    }
  });

  it('refuses an extension without a reason', () => {
    for (const reason of ['', '   ']) {
      expect(ruleOf(() => extend(access, { byWorkingDays: 5, reason }))).toBe(
        'extension_reason_required',
      );
    }
    expect(
      ruleOf(() => extend(access, { byWorkingDays: 5 } as unknown as Parameters<typeof extend>[1])),
    ).toBe('extension_reason_required');
  });

  it('refuses clocks the law does not let extend', () => {
    for (const type of ['correction', 'access-extended', 'gdpr-access'] as const) {
      const deadline = computeDeadline({ type, receivedAt: '2025-04-30' });
      expect(ruleOf(() => extend(deadline, { byWorkingDays: 1, reason: 'Archive' }))).toBe(
        'extension_not_allowed',
      );
    }
  });

  it('flags an extension that runs into the unconfirmed 2027 calendar', () => {
    // Received Thu 10 Dec 2026: Fri 11 (1), Mon 14 (2) … Fri 18 (6), Mon 21 (7) … Thu 24 (10).
    const deadline = computeDeadline({ type: 'access', receivedAt: '2026-12-10' });
    expect(deadline.dueDate).toBe('2026-12-24');
    expect(deadline.calendarConfirmed).toBe(true);
    // + 5: Fri 25 (1), Mon 28 (2), 29 (3), 30 (4), Thu 31 off, 1–10 Jan 2027 off, Mon 11 (5).
    const extended = extend(deadline, { byWorkingDays: 5, reason: 'Archive' });
    expect(extended.dueDate).toBe('2027-01-11');
    expect(extended.calendarConfirmed).toBe(false);
  });
});

describe('earliestDeadline', () => {
  it('takes the 152-FZ date over the GDPR month for a subject under both', () => {
    // Received Fri 31 Jan 2025: 152-FZ access — Mon 3 Feb (1) … Fri 7 (5), Mon 10 (6) …
    // Fri 14 (10); GDPR — 28 Feb.
    const russian = computeDeadline({ type: 'access', receivedAt: '2025-01-31' });
    const european = computeDeadline({ type: 'gdpr-access', receivedAt: '2025-01-31' });
    expect(russian.dueDate).toBe('2025-02-14');
    expect(earliestDeadline([european, russian])).toEqual(russian);
  });

  it('takes the GDPR month when it ends first', () => {
    // Received Sat 20 Dec 2025. access-extended: Mon 22 (1) … Fri 26 (5), Mon 29 (6), Tue 30 (7),
    // 31 Dec–11 Jan off, Mon 12 (8) … Fri 16 (12), Mon 19 (13), 20 (14), Wed 21 Jan (15).
    // GDPR: 20 Jan 2026.
    const russian = computeDeadline({ type: 'access-extended', receivedAt: '2025-12-20' });
    const european = computeDeadline({ type: 'gdpr-access', receivedAt: '2025-12-20' });
    expect(russian.dueDate).toBe('2026-01-21');
    expect(earliestDeadline([russian, european]).type).toBe('gdpr-access');
  });

  it('compares hour clocks and day clocks by the instant they run out', () => {
    // The access clock from 30 Apr 2025 runs out at the end of 20 May in Moscow (21:00 UTC).
    const access = computeDeadline({ type: 'access', receivedAt: '2025-04-30' });
    // Detected 10:00 UTC on 17 May: 72 h later is 10:00 UTC on 20 May, earlier.
    const sooner = computeDeadline({
      type: 'incident-72h',
      receivedAt: new Date('2025-05-17T10:00:00Z'),
    });
    expect(earliestDeadline([access, sooner]).type).toBe('incident-72h');
    // Detected 10:00 UTC on 18 May: 72 h later is 10:00 UTC on 21 May, later.
    const later = computeDeadline({
      type: 'incident-72h',
      receivedAt: new Date('2025-05-18T10:00:00Z'),
    });
    expect(earliestDeadline([later, access]).type).toBe('access');
  });

  it('is unconfirmed when any compared date is, and needs at least one deadline', () => {
    const confirmed: Deadline = computeDeadline({ type: 'access', receivedAt: '2026-12-01' });
    const unconfirmed = computeDeadline({ type: 'access', receivedAt: '2026-12-25' });
    const earliest = earliestDeadline([unconfirmed, confirmed]);
    expect(earliest.type).toBe('access');
    expect(earliest.receivedOn).toBe('2026-12-01');
    expect(earliest.calendarConfirmed).toBe(false);
    expect(() => earliestDeadline([])).toThrow(RangeError);
  });
});

describe('parseReceivedAt', () => {
  it('reads a date as a Moscow calendar date and a timestamp as an instant', () => {
    expect(parseReceivedAt('2025-04-30')).toBe('2025-04-30');
    expect(parseReceivedAt('2025-04-30T23:30:00Z')).toEqual(new Date('2025-04-30T23:30:00Z'));
    expect(parseReceivedAt('2025-05-01T02:30+03:00')).toEqual(new Date('2025-04-30T23:30:00Z'));
  });

  it('refuses an impossible date, a timestamp without an offset and free text', () => {
    for (const value of ['2025-02-30', '2025-02-30T10:00Z', '2025-04-30T23:30:00', 'yesterday']) {
      expect(() => parseReceivedAt(value)).toThrow(/Not a date/);
    }
  });
});
