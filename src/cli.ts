import { parseArgs } from 'node:util';
import { runAttributionCli } from './analytics/attribution/attribution.cli.ts';
import { runCheckSiteCli } from './compliance/site-check/site-check.cli.ts';
import { runVerifyJournal } from './consent/verify-journal.cli.ts';
import { seedDemo } from './demo/demo.ts';
import { startServer } from './main.ts';
import { createOrgWithOwner, findOrg, systemCtx } from './orgs/auth.service.ts';
import { addMember } from './orgs/members.service.ts';
import { ZEmail, ZNewPassword, ZOrgSlug, ZPersonName } from './orgs/orgs.schema.ts';
import { loadConfig, publicUrlOf } from './platform/config.ts';
import { migrate } from './platform/db/migrate.ts';
import { openDatabase } from './platform/db/open.ts';
import { AppError } from './platform/errors.ts';
import { runRetentionCli } from './retention/retention.cli.ts';
import { openStorage } from './storage.ts';
import { runDeadline } from './subject-requests/deadline.cli.ts';

const HELP = `Soglasie — consent-first CRM

Usage: soglasie <command> [options]

Commands:
  serve                     Migrate the database and start the server (what npm start runs)
  migrate                   Apply pending database migrations and exit
  create-admin              Create an organization's owner account
      --email <email>         the owner's email (login)
      --password <password>   at least 10 characters
      --org <id or slug>      an existing organization, or the slug of a new one
      --org-name <name>       the new organization's name (default: the slug)
      --name <full name>      the owner's name (default: the email)
  demo                      Fill the database with a demo clinic (slug "demo") and print its logins
  deadline                  Print the due date of a legal clock (no database; see deadline --help)
      --type <clock>          access, correction, stop, gdpr-access, incident-24h, …
      --received <date>       YYYY-MM-DD (Moscow), or an ISO timestamp for the hour clocks
  verify-journal            Verify an organization's consent journal (exit 0 intact, 1 broken)
      --org <id or slug>      the organization
  retention run             Destroy what is due, write the destruction act, purge 3-year-old acts
      --dry-run               list who would be destroyed, held or kept; change nothing
      --org <id or slug>      one organization (default: every organization)
  attribution               Every attribution model over aggregated paths from a CSV (no database)
      --paths <file.csv>      header path,conversions,nulls,value; channels separated by " > "
      --json                  print JSON; --lookback-days N, --half-life-days N (attribution --help)
  check-site <url|file>     Check a site page: consents, policy link, foreign services, clinic
                            pages, SEO (no database; exit 1 on high-severity findings;
                            see check-site --help for every finding code)
      --json                  print the findings as JSON
      --clinic                check a clinic's key pages (auto-detected otherwise)
      --allow-private         let the named address be private or loopback
  help                      Show this help

Environment: DATABASE_URL (PostgreSQL; embedded PGlite in DATA_DIR otherwise), DATA_DIR,
MASTER_KEY (required with DATABASE_URL), PORT, HOST, PUBLIC_URL, LOG_LEVEL, COOKIE_SECURE,
TRUST_PROXY, WORKERS, DATABASE_POOL_SIZE, SMTP_URL, MAIL_FROM, SUBMIT_RATE_PER_IP,
SUBMIT_RATE_PER_FORM, SMS_WEBHOOK_URL, SMS_WEBHOOK_TOKEN. See README.md.
`;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

function required(value: string | undefined, flag: string): string {
  if (!value) fail(`${flag} is required (see soglasie help)`);
  return value;
}

function check<T>(
  parse: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
  },
  value: string,
  flag: string,
): T {
  const result = parse.safeParse(value);
  if (!result.success)
    fail(`${flag}: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
  return result.data;
}

async function createAdmin(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      org: { type: 'string' },
      'org-name': { type: 'string' },
      name: { type: 'string' },
    },
  });
  const email = check(ZEmail, required(values.email, '--email'), '--email');
  const password = check(ZNewPassword, required(values.password, '--password'), '--password');
  const orgRef = required(values.org, '--org');
  const name = check(ZPersonName, values.name ?? email, '--name');
  const config = loadConfig();
  const storage = await openStorage(config);
  const deps = { db: storage.db, keys: storage.keys };
  const now = new Date();
  try {
    const existing = await findOrg(deps, orgRef);
    if (existing) {
      const ctx = systemCtx(deps, {
        orgId: existing.id,
        now,
        actor: { type: 'system', label: 'cli' },
      });
      try {
        const member = await addMember(ctx, { email, name, role: 'owner', password });
        process.stdout.write(
          `Added ${email} as owner of "${existing.name}" (${existing.slug}), user ${member.userId}\n`,
        );
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'conflict')) throw error;
        fail(`${email} is already a member of ${existing.slug}`);
      }
      return;
    }
    const slug = check(ZOrgSlug, orgRef, '--org');
    const created = await createOrgWithOwner(deps, {
      orgSlug: slug,
      orgName: values['org-name'] ?? slug,
      owner: { email, name, password },
      now,
      actorLabel: 'cli',
    });
    if (!created.isNewUser) {
      process.stdout.write(`${email} had an account already: its password is unchanged.\n`);
    }
    process.stdout.write(
      `Created organization "${created.org.name}" (${created.org.slug}, ${created.org.id}) with owner ${email}\n`,
    );
  } finally {
    await storage.close();
  }
}

async function demo(): Promise<void> {
  const config = loadConfig();
  const storage = await openStorage(config);
  const deps = { db: storage.db, keys: storage.keys, publicUrl: publicUrlOf(config) };
  try {
    // SOGLASIE_DEMO_CONTACTS sizes the demo patient base (5,000 by default).
    const crmContacts = Number(process.env.SOGLASIE_DEMO_CONTACTS ?? 5000);
    const result = await seedDemo(deps, new Date(), {
      crmContacts: Number.isInteger(crmContacts) && crmContacts >= 0 ? crmContacts : 5000,
      onProgress: (done, total) => {
        process.stderr.write(`\rDemo patients: ${done} / ${total}`);
        if (done === total) process.stderr.write('\n');
      },
    });
    process.stdout.write(
      `${result.isNew ? 'Created' : 'Refreshed'} the demo clinic (slug "demo", ${result.orgId}).\n` +
        'Sign in with any of these (passwords are new on every run):\n',
    );
    for (const login of result.logins) {
      process.stdout.write(
        `  ${login.role.padEnd(16)} ${login.email.padEnd(32)} ${login.password}\n`,
      );
    }
    process.stdout.write(`The demo form: ${publicUrlOf(config)}/f/demo\n`);
    if (result.apiToken) {
      process.stdout.write(`API token for integrations (shown once): ${result.apiToken}\n`);
    }
  } finally {
    await storage.close();
  }
}

async function runMigrate(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const { applied } = await migrate(db);
    process.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'Up to date\n');
  } finally {
    await db.close();
  }
}

const [command = 'help', ...rest] = process.argv.slice(2);
const commands: Record<string, () => Promise<void>> = {
  serve: () => startServer(),
  migrate: runMigrate,
  'create-admin': () => createAdmin(rest),
  deadline: () => runDeadline(rest),
  'verify-journal': () => runVerifyJournal(rest),
  retention: () => runRetentionCli(rest),
  'check-site': () => runCheckSiteCli(rest),
  attribution: () => runAttributionCli(rest),
  demo,
  help: async () => {
    process.stdout.write(HELP);
  },
  '--help': async () => {
    process.stdout.write(HELP);
  },
};
const run = commands[command];
if (!run) fail(`unknown command "${command}"\n\n${HELP}`);
run().catch((error: unknown) => {
  if (error instanceof AppError) fail(`${error.code}: ${error.message}`);
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
