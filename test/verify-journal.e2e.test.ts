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
import { submitWithConsents, tamperJournal } from './journal-factories.ts';

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
    const dataDir = mkdtempSync(path.join(tmpdir(), 'soglasie-journal-'));
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

function verifyJournalCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/soglasie.mjs', 'verify-journal', ...args], {
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

describe(`soglasie verify-journal (${usesPostgres ? 'PostgreSQL' : 'PGlite'})`, {
  timeout: E2E_TIMEOUT_MS,
}, () => {
  it('exits 0 on an intact journal and 1 after an entry was edited, naming it', async () => {
    const install = await installation();
    let testApp = await install.open();
    const org = await makeCaptureOrg(testApp);
    await submitWithConsents(testApp, org);
    await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    // Let the background chaining the submissions started finish before the CLI opens the files.
    await scheduleChaining(testApp.db, org.orgId);
    await testApp.db.close();

    const intact = await verifyJournalCli(['--org', org.slug], install.env);
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`(${org.slug}, ${org.orgId})`);
    expect(intact.stdout).toMatch(/entries chained:\s+3/);
    expect(intact.stdout).toContain('Result: INTACT');

    testApp = await install.open();
    const [victim] = await testApp.db.query<{ entry_id: string }>(
      sql`SELECT entry_id FROM consent_chain WHERE org_id = ${org.orgId} AND position = 2`,
    );
    if (!victim) throw new Error('No second link');
    await tamperJournal(testApp, victim.entry_id, 'channel');
    await testApp.db.close();

    const broken = await verifyJournalCli(['--org', org.orgId], install.env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('Result: BROKEN');
    expect(broken.stdout).toContain(`first broken entry: ${victim.entry_id}`);
    expect(broken.stdout).toMatch(/at chain position:\s+2/);
    expect(broken.stdout).toContain('content_hash_mismatch');
  });

  it('exits 2 without --org or with an unknown organization', async () => {
    const install = await installation();
    const missing = await verifyJournalCli([], install.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--org is required/);
    const unknown = await verifyJournalCli(['--org', 'no-such-clinic'], install.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no organization "no-such-clinic"/);
    const extra = await verifyJournalCli(['--org', 'x', '--bogus'], install.env);
    expect(extra.code).toBe(2);
  });
});
