import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { scheduleChaining } from '../src/consent/journal.service.ts';
import { createAuthenticator } from '../src/orgs/auth.service.ts';
import { deriveKeys } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/db.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPglite } from '../src/platform/db/pglite.ts';
import { sql } from '../src/platform/db/sql.ts';
import { openKeyStore } from '../src/platform/keystore.ts';
import { createLogger } from '../src/platform/log.ts';
import { TEST_MASTER_KEY, type TestApp, TestClock } from './app.ts';
import { makeCaptureOrg } from './capture-factories.ts';
import { createTestDb, type TestDb } from './db.ts';
import { contactOfSubmission, submitWithConsents } from './journal-factories.ts';

// Each command starts a process and opens the data and key store databases: minutes under load.
const E2E_TIMEOUT_MS = 240_000;

const ROOT = path.resolve(import.meta.dirname, '..');
const usesPostgres = Boolean(process.env.DATABASE_URL);
const databases: TestDb[] = [];

afterAll(async () => {
  for (const testDb of databases) await testDb.drop();
});

type Installation = { env: NodeJS.ProcessEnv; open: () => Promise<TestApp> };

/** A database of an installation the CLI runs against: a data directory, or a server database. */
async function installation(): Promise<Installation> {
  const env: NodeJS.ProcessEnv = { ...process.env, MASTER_KEY: TEST_MASTER_KEY.toString('hex') };
  delete env.DATABASE_URL;
  let openDb: () => Promise<Db>;
  if (usesPostgres) {
    const testDb = await createTestDb();
    databases.push(testDb);
    env.DATABASE_URL = testDb.url ?? '';
    const { openPostgres } = await import('../src/platform/db/postgres.ts');
    openDb = async () => openPostgres(testDb.url ?? '', { max: 3 });
  } else {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'soglasie-retention-'));
    env.DATA_DIR = dataDir;
    openDb = () => openPglite(path.join(dataDir, 'pglite'));
  }
  return {
    env,
    async open() {
      const db = await openDb();
      await migrate(db);
      // The key store the CLI opens for this installation.
      const keyStore = await openKeyStore({
        databaseUrl: env.DATABASE_URL || undefined,
        keystoreUrl: undefined,
        dataDir: env.DATA_DIR ?? '',
      });
      const keys = deriveKeys(TEST_MASTER_KEY, keyStore);
      const deps = {
        db,
        keys,
        logger: createLogger({ level: 'silent' }),
        authenticator: createAuthenticator({ db, keys }),
        now: new TestClock().now,
        cookieSecure: 'false' as const,
        trustProxy: false,
        publicUrl: 'http://soglasie.test',
        webRoot: null,
      };
      return {
        app: createApp(deps),
        db,
        keys,
        deps,
        clock: new TestClock(),
        logs: [],
        testDb: {
          db,
          url: null,
          keyStore,
          async drop() {
            await db.close();
            await keyStore.close();
          },
        },
      };
    },
  };
}

function retentionCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/soglasie.mjs', 'retention', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const DAY = 86_400_000;

describe(`soglasie retention run (${usesPostgres ? 'PostgreSQL' : 'PGlite'})`, {
  timeout: E2E_TIMEOUT_MS,
}, () => {
  it('previews without a change, then destroys what is due and names the act', async () => {
    const install = await installation();
    let testApp = await install.open();
    const org = await makeCaptureOrg(testApp);
    // The command runs on the wall clock: a consent given 400 days ago (term 365 days) is due.
    const submitted = await submitWithConsents(testApp, org, {
      isAdvertisingGiven: false,
      now: new Date(Date.now() - 400 * DAY),
    });
    const contactId = await contactOfSubmission(testApp, submitted.submissionId);
    await scheduleChaining(testApp.db, org.orgId);
    await testApp.db.close();

    const preview = await retentionCli(['run', '--dry-run', '--org', org.slug], install.env);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(`${org.orgId}: dry run, nothing changed`);
    expect(preview.stdout).toMatch(new RegExp(`destroy\\s+${contactId}`));

    const run = await retentionCli(['run', '--org', org.orgId], install.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('destroy: 1');
    expect(run.stdout).toMatch(/destruction act No\. 1 \(/);

    testApp = await install.open();
    const [contact] = await testApp.db.query<{ erased_at: Date | null }>(
      sql`SELECT erased_at FROM contacts WHERE id = ${contactId}`,
    );
    expect(contact?.erased_at).not.toBeNull();
    const [acts] = await testApp.db.query<{ total: number }>(
      sql`SELECT count(*)::int AS total FROM destruction_acts WHERE org_id = ${org.orgId}`,
    );
    expect(acts?.total).toBe(1);
    await testApp.db.close();
  });

  it('exits 2 on a wrong command or an unknown organization', async () => {
    const install = await installation();
    const wrong = await retentionCli(['purge'], install.env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/retention run/);
    const unknown = await retentionCli(['run', '--org', 'no-such-clinic'], install.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no organization "no-such-clinic"/);
    const help = await retentionCli(['--help'], install.env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--dry-run');
  });
});
