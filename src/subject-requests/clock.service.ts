// The legal clock engine as other domains use it (the incident register's 24 h / 72 h and
// R-D2 working-day clocks): domains reach one another only through a service or schema.
export {
  addCalendarDays,
  addWorkingDays,
  CLOCKS,
  type ClockType,
  computeDeadline,
  type Deadline,
  isWorkingDay,
  toMoscowDate,
} from './clock.ts';
