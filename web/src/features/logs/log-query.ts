export { DEFAULT_PAGE_SIZE } from '../../ui/pager.tsx';

/** The filters as typed in the form: free-text codes by query parameter, dates as `YYYY-MM-DD`. */
export type LogFilters<TextField extends string> = {
  text: Record<TextField, string>;
  from: string;
  to: string;
};

export function emptyFilters<TextField extends string>(
  fields: readonly TextField[],
): LogFilters<TextField> {
  const text = Object.fromEntries(fields.map((field) => [field, ''])) as Record<TextField, string>;
  return { text, from: '', to: '' };
}

// Dates are days in the user's time zone: "from" starts at its midnight, "to" includes the whole day.
export function startOfDayIso(day: string): string | null {
  return day ? toIso(`${day}T00:00:00`) : null;
}

export function endOfDayIso(day: string): string | null {
  return day ? toIso(`${day}T23:59:59.999`) : null;
}

function toIso(local: string): string | null {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function isRangeValid(filters: LogFilters<string>): boolean {
  return !filters.from || !filters.to || filters.from <= filters.to;
}

export function hasFilters(filters: LogFilters<string>): boolean {
  return (
    Object.values(filters.text).some((value) => value !== '') ||
    filters.from !== '' ||
    filters.to !== ''
  );
}

/** The query parameters of a log request. */
export function logQuery<TextField extends string>(
  filters: LogFilters<TextField>,
  page: number,
  pageSize: number,
): Record<string, string | number | null> {
  return {
    page,
    pageSize,
    ...filters.text,
    from: startOfDayIso(filters.from),
    to: endOfDayIso(filters.to),
  };
}
