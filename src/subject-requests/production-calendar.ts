// The Russian production calendar (производственный календарь) for a five-day week, as data.
//
// Working days are Monday to Friday, except:
// - the non-working holidays of Labour Code Art. 112 p.1: 1–6 and 8 Jan (New Year holidays),
//   7 Jan (Christmas), 23 Feb, 8 Mar, 1 May, 9 May, 12 Jun, 4 Nov;
// - Art. 112 p.2: a weekend day that coincides with a holiday moves to the next working day after
//   the holiday — except weekend days that coincide with the January holidays: the Government
//   moves two of those to other days of the year by its yearly decree;
// - Art. 112 p.5: the Government may move other days off too, and make a weekend day a working
//   day, by that decree.
// So a year cannot be derived by a rule: it is copied here from the decree, and a year whose
// decree is not yet adopted (or not yet checked) carries `isConfirmed: false`.
//
// Each year lists only the exceptions to "Monday to Friday": `nonWorking` are weekdays that are
// not worked (holidays on weekdays and days off moved onto weekdays), `working` are Saturdays or
// Sundays that are worked. A holiday that falls on a weekend is not listed: it is a day off either
// way. To add a year, see docs/deadlines.md.

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export type CalendarException = {
  date: IsoDate;
  /** Why the day is an exception, with its legal source. */
  note: string;
};

export type ProductionCalendarYear = {
  year: number;
  /** True when the days below were checked against the Government's decree for that year. */
  isConfirmed: boolean;
  /** The decree on transfers of days off, or why there is none yet. */
  source: string;
  /** Weekdays (Mon–Fri) that are not working days. */
  nonWorking: readonly CalendarException[];
  /** Weekend days (Sat–Sun) that are working days. */
  working: readonly CalendarException[];
};

const ART_112 = 'Labour Code Art. 112 p.1';
const ART_112_P2 = 'Labour Code Art. 112 p.2';
const DECREE_2025 = 'Government Decree No. 1335 of 04.10.2024';
const DECREE_2026 = 'Government Decree No. 1466 of 24.09.2025';

export const PRODUCTION_CALENDAR: readonly ProductionCalendarYear[] = [
  {
    year: 2025,
    isConfirmed: true,
    // The decree moved Sat 4 Jan → Fri 2 May, Sun 5 Jan → Wed 31 Dec, Sun 23 Feb → Thu 8 May,
    // Sat 8 Mar → Fri 13 Jun, Sat 1 Nov → Mon 3 Nov. Moving 23 Feb and 8 Mar replaced their
    // Art. 112 p.2 transfers: Mon 24 Feb and Mon 10 Mar 2025 were working days.
    // Check: 365 days − 104 weekend days − 15 below + 1 worked Saturday = 247 working days,
    // the figure published with the decree.
    source: `${DECREE_2025} "On the transfer of days off in 2025"`,
    nonWorking: [
      { date: '2025-01-01', note: `New Year holidays (${ART_112})` },
      { date: '2025-01-02', note: `New Year holidays (${ART_112})` },
      { date: '2025-01-03', note: `New Year holidays (${ART_112})` },
      { date: '2025-01-06', note: `New Year holidays (${ART_112})` },
      { date: '2025-01-07', note: `Christmas (${ART_112})` },
      { date: '2025-01-08', note: `New Year holidays (${ART_112})` },
      { date: '2025-05-01', note: `Spring and Labour Day (${ART_112})` },
      { date: '2025-05-02', note: `day off moved from Sat 4 Jan (${DECREE_2025})` },
      { date: '2025-05-08', note: `day off moved from Sun 23 Feb (${DECREE_2025})` },
      { date: '2025-05-09', note: `Victory Day (${ART_112})` },
      { date: '2025-06-12', note: `Russia Day (${ART_112})` },
      { date: '2025-06-13', note: `day off moved from Sat 8 Mar (${DECREE_2025})` },
      { date: '2025-11-03', note: `day off moved from Sat 1 Nov (${DECREE_2025})` },
      { date: '2025-11-04', note: `National Unity Day (${ART_112})` },
      { date: '2025-12-31', note: `day off moved from Sun 5 Jan (${DECREE_2025})` },
    ],
    working: [
      { date: '2025-11-01', note: `worked; its day off moved to Mon 3 Nov (${DECREE_2025})` },
    ],
  },
  {
    year: 2026,
    isConfirmed: true,
    // The decree moved Sat 3 Jan → Fri 9 Jan and Sun 4 Jan → Thu 31 Dec; 8 Mar (Sun) and
    // 9 May (Sat) move to the following Monday by Art. 112 p.2. No Saturday is worked.
    // Check: 365 − 104 − 14 = 247 working days, the figure published with the decree.
    source: `${DECREE_2026} "On the transfer of days off in 2026"`,
    nonWorking: [
      { date: '2026-01-01', note: `New Year holidays (${ART_112})` },
      { date: '2026-01-02', note: `New Year holidays (${ART_112})` },
      { date: '2026-01-05', note: `New Year holidays (${ART_112})` },
      { date: '2026-01-06', note: `New Year holidays (${ART_112})` },
      { date: '2026-01-07', note: `Christmas (${ART_112})` },
      { date: '2026-01-08', note: `New Year holidays (${ART_112})` },
      { date: '2026-01-09', note: `day off moved from Sat 3 Jan (${DECREE_2026})` },
      { date: '2026-02-23', note: `Defender of the Fatherland Day (${ART_112})` },
      { date: '2026-03-09', note: `for Sun 8 Mar, International Women's Day (${ART_112_P2})` },
      { date: '2026-05-01', note: `Spring and Labour Day (${ART_112})` },
      { date: '2026-05-11', note: `for Sat 9 May, Victory Day (${ART_112_P2})` },
      { date: '2026-06-12', note: `Russia Day (${ART_112})` },
      { date: '2026-11-04', note: `National Unity Day (${ART_112})` },
      { date: '2026-12-31', note: `day off moved from Sun 4 Jan (${DECREE_2026})` },
    ],
    working: [],
  },
  {
    year: 2027,
    // No decree for 2027 was available when this was written. Only what the Labour Code fixes by
    // itself is encoded. Sat 2 Jan and Sun 3 Jan coincide with the New Year holidays, and the
    // decree will move them to two other days (often 31 Dec and a day next to a May or
    // November holiday); those two days off are missing here, so a working-day count across
    // them comes out earlier than the law's. The decree may also make a Saturday a working day,
    // which would make the law's date earlier than this one. Answers carry
    // `calendarConfirmed: false` until the decree is copied in and this flag is set.
    isConfirmed: false,
    source: 'Labour Code Art. 112 only: the decree on transfers of days off in 2027 is not encoded',
    nonWorking: [
      { date: '2027-01-01', note: `New Year holidays (${ART_112})` },
      { date: '2027-01-04', note: `New Year holidays (${ART_112})` },
      { date: '2027-01-05', note: `New Year holidays (${ART_112})` },
      { date: '2027-01-06', note: `New Year holidays (${ART_112})` },
      { date: '2027-01-07', note: `Christmas (${ART_112})` },
      { date: '2027-01-08', note: `New Year holidays (${ART_112})` },
      { date: '2027-02-23', note: `Defender of the Fatherland Day (${ART_112})` },
      { date: '2027-03-08', note: `International Women's Day (${ART_112})` },
      { date: '2027-05-03', note: `for Sat 1 May, Spring and Labour Day (${ART_112_P2})` },
      { date: '2027-05-10', note: `for Sun 9 May, Victory Day (${ART_112_P2})` },
      { date: '2027-06-14', note: `for Sat 12 Jun, Russia Day (${ART_112_P2})` },
      { date: '2027-11-04', note: `National Unity Day (${ART_112})` },
    ],
    working: [],
  },
];
