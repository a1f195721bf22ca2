// `soglasie deadline`: prints a clock's due date. Pure computation over the shipped production
// calendar — it reads no configuration and opens no database.
import { parseArgs } from 'node:util';
import { AppError } from '../platform/errors.ts';
import { CLOCK_TYPES, CLOCKS, computeDeadline, isClockType, parseReceivedAt } from './clock.ts';

const UNIT_LABELS = {
  'working-days': ['working day', 'working days'],
  'calendar-days': ['calendar day', 'calendar days'],
  months: ['month', 'months'],
  hours: ['hour', 'hours'],
} as const;

const NAME_WIDTH = Math.max(...CLOCK_TYPES.map((type) => type.length)) + 2;

export const DEADLINE_HELP = `Usage: soglasie deadline --type <clock> --received <date or timestamp>

Prints the due date of a legal clock as YYYY-MM-DD (for the hour clocks, the due instant as an
ISO timestamp). Dates are Moscow calendar dates; working days follow the Russian production
calendar shipped with Soglasie (see docs/deadlines.md).

Options:
  --type <clock>        one of the clocks below
  --received <value>    the date of receipt, YYYY-MM-DD in Moscow, or an ISO timestamp with an
                        offset (2025-04-30T23:30:00Z); the hour clocks need a timestamp
  --help                show this help

Clocks:
${CLOCK_TYPES.map((type) => {
  const clock = CLOCKS[type];
  const length = `${clock.amount} ${UNIT_LABELS[clock.unit][clock.amount === 1 ? 0 : 1]}`;
  return `  ${type.padEnd(NAME_WIDTH)}${length.padEnd(18)}${clock.basis}`;
}).join('\n')}
`;

function parseOptions(args: string[]): { type?: string; received?: string; help?: boolean } {
  try {
    return parseArgs({
      args,
      options: {
        type: { type: 'string' },
        received: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `${error instanceof Error ? error.message : String(error)} (see soglasie deadline --help)`,
    );
  }
}

export async function runDeadline(args: string[]): Promise<void> {
  const values = parseOptions(args);
  if (values.help) {
    process.stdout.write(DEADLINE_HELP);
    return;
  }
  if (!values.type) {
    throw new AppError('validation_failed', '--type is required (see soglasie deadline --help)');
  }
  if (!isClockType(values.type)) {
    throw new AppError(
      'validation_failed',
      `--type: unknown clock "${values.type}"; one of: ${CLOCK_TYPES.join(', ')}`,
    );
  }
  if (!values.received) {
    throw new AppError(
      'validation_failed',
      '--received is required (see soglasie deadline --help)',
    );
  }
  const deadline = computeDeadline({
    type: values.type,
    receivedAt: parseReceivedAt(values.received),
  });
  process.stdout.write(
    `${deadline.unit === 'hours' ? deadline.dueAt.toISOString() : deadline.dueDate}\n`,
  );
  if (!deadline.calendarConfirmed) {
    process.stderr.write(
      'warning: this date rests on a production calendar year not yet checked against the ' +
        "Government's decree on transfers of days off; it may change (see docs/deadlines.md)\n",
    );
  }
}
