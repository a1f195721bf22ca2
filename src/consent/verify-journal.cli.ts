// `soglasie verify-journal`: checks one organization's consent journal from the command line,
// for an operator or an inspector who does not use the web interface. Exit code 0 when the
// journal is intact, 1 when it is broken, 2 on bad arguments (as every command here).
import { parseArgs } from 'node:util';
import { findOrg, systemCtx } from '../orgs/auth.service.ts';
import { loadConfig } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { openStorage } from '../storage.ts';
import type { TVerification } from './consent.schema.ts';
import { verifyJournal } from './journal.service.ts';

export const VERIFY_JOURNAL_HELP = `Usage: soglasie verify-journal --org <id or slug>

Links pending consent journal entries, then recomputes every entry's content hash, every link
of the hash chain and every signed checkpoint. Prints a report; exits with 0 when the journal is
intact, 1 when it is broken (naming the first broken entry), 2 on bad arguments.
`;

function parseOptions(args: string[]): { org?: string; help?: boolean } {
  try {
    return parseArgs({
      args,
      options: { org: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `${error instanceof Error ? error.message : String(error)} (see soglasie verify-journal --help)`,
    );
  }
}

export function formatVerification(
  org: { name: string; slug: string; id: string },
  result: TVerification,
): string {
  const lines = [
    `Consent journal of "${org.name}" (${org.slug}, ${org.id})`,
    `  verified at:        ${result.verifiedAt}`,
    `  entries chained:    ${result.entries}`,
    `  signed checkpoints: ${result.checkpoints}`,
    `  chain head:         ${
      result.head ? `position ${result.head.position}, ${result.head.linkHash}` : 'empty journal'
    }`,
  ];
  if (result.unchained > 0) {
    lines.push(`  not chained yet:    ${result.unchained} (committed while verifying)`);
  }
  if (result.isIntact) {
    lines.push('Result: INTACT');
  } else {
    lines.push('Result: BROKEN');
    if (result.firstBroken) {
      lines.push(`  first broken entry: ${result.firstBroken.entryId ?? '(none)'}`);
      lines.push(`  at chain position:  ${result.firstBroken.position}`);
      lines.push(`  reason:             ${result.firstBroken.description}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function runVerifyJournal(args: string[]): Promise<void> {
  const values = parseOptions(args);
  if (values.help) {
    process.stdout.write(VERIFY_JOURNAL_HELP);
    return;
  }
  if (!values.org) {
    throw new AppError(
      'validation_failed',
      '--org is required (see soglasie verify-journal --help)',
    );
  }
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    const deps = { db: storage.db, keys: storage.keys };
    const org = await findOrg(deps, values.org);
    if (!org) throw new AppError('not_found', `--org: no organization "${values.org}"`);
    const ctx = systemCtx(deps, {
      orgId: org.id,
      now: new Date(),
      actor: { type: 'system', label: 'cli' },
    });
    const result = await verifyJournal(ctx);
    process.stdout.write(formatVerification(org, result));
    if (!result.isIntact) process.exitCode = 1;
  } finally {
    await storage.close();
  }
}
