// `soglasie retention run`: the daily retention run from the command line (cron, or an operator
// checking what is due). Exit code 0 when every organization ran, 1 when one failed, 2 on bad
// arguments (as every command here).
import { parseArgs } from 'node:util';
import { findOrg } from '../orgs/auth.service.ts';
import { loadConfig, publicUrlOf } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { createLogger } from '../platform/log.ts';
import { openStorage } from '../storage.ts';
import type { TRunResult } from './retention.schema.ts';
import { runRetentionForAllOrgs } from './retention.service.ts';

export const RETENTION_HELP = `Usage: soglasie retention run [--dry-run] [--org <id or slug>]

Destroys the personal data that is due (consent withdrawn 30 days ago, a purpose achieved
30 days ago, every purpose's term ended), unless a legal hold or another live basis keeps it;
writes one destruction act with its event-log extract per organization, and purges acts older
than three years. Without --org, runs for every organization.

  --dry-run        list who would be destroyed, held or kept; change nothing
  --org <ref>      one organization, by id or slug
`;

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean' },
        org: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `${error instanceof Error ? error.message : String(error)} (see soglasie retention --help)`,
    );
  }
}

export function formatRun(org: string, result: TRunResult | null): string {
  if (!result) return `${org}: FAILED (see the log)\n`;
  const lines = [
    `${org}: ${result.isDryRun ? 'dry run, nothing changed' : `run ${result.runId}`}`,
    `  destroy: ${result.destroyed}  held: ${result.held}  kept on another basis: ${result.kept}`,
  ];
  for (const subject of result.subjects) {
    lines.push(
      `  ${subject.decision.padEnd(16)} ${subject.contactId}  due ${subject.dueAt}  ${subject.reasons.join(',')}${
        subject.keptFor.length > 0 ? `  kept for ${subject.keptFor.join(',')}` : ''
      }`,
    );
  }
  if (result.actNumber !== null)
    lines.push(`  destruction act No. ${result.actNumber} (${result.actId})`);
  if (result.actsPurged > 0)
    lines.push(`  acts older than three years purged: ${result.actsPurged}`);
  return `${lines.join('\n')}\n`;
}

export async function runRetentionCli(args: string[]): Promise<void> {
  const { values, positionals } = parseOptions(args);
  if (values.help || positionals[0] !== 'run') {
    if (!values.help) {
      throw new AppError(
        'validation_failed',
        'Expected "retention run" (see soglasie retention --help)',
      );
    }
    process.stdout.write(RETENTION_HELP);
    return;
  }
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    const deps = {
      db: storage.db,
      keys: storage.keys,
      publicUrl: publicUrlOf(config),
      logger: createLogger({ level: config.logLevel, destination: process.stderr }),
    };
    let orgIds: string[] | undefined;
    if (values.org) {
      const org = await findOrg(deps, values.org);
      if (!org) throw new AppError('not_found', `--org: no organization "${values.org}"`);
      orgIds = [org.id];
    }
    const results = await runRetentionForAllOrgs(deps, new Date(), {
      isDryRun: values['dry-run'] === true,
      actorLabel: 'cli',
      ...(orgIds ? { orgIds } : {}),
    });
    for (const { orgId, result } of results) process.stdout.write(formatRun(orgId, result));
    if (results.some(({ result }) => result === null)) process.exitCode = 1;
  } finally {
    await storage.close();
  }
}
