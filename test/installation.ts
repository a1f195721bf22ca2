import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createApp } from '../src/app.ts';
import { createAuthenticator } from '../src/orgs/auth.service.ts';
import { deriveKeys } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/db.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPglite } from '../src/platform/db/pglite.ts';
import { openKeyStore } from '../src/platform/keystore.ts';
import { createLogger } from '../src/platform/log.ts';
import { TEST_MASTER_KEY, type TestApp, TestClock } from './app.ts';
import { createTestDb, type TestDb } from './db.ts';

/** Each command starts a process and opens the data and key store databases: minutes under load. */
export const E2E_TIMEOUT_MS = 240_000;

export const usesPostgres = Boolean(process.env.DATABASE_URL);

const ROOT = path.resolve(import.meta.dirname, '..');

export type Installation = { env: NodeJS.ProcessEnv; open: () => Promise<TestApp> };

/**
 * Installations the CLI runs against — a data directory, or a server database — for one test
 * file; the server databases are dropped after it.
 */
export function setupInstallations(): () => Promise<Installation> {
  const databases: TestDb[] = [];
  afterAll(async () => {
    for (const testDb of databases) await testDb.drop();
  });
  return async () => {
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
      const dataDir = mkdtempSync(path.join(tmpdir(), 'soglasie-cli-'));
      env.DATA_DIR = dataDir;
      openDb = () => openPglite(path.join(dataDir, 'pglite'));
    }
    return { env, open: () => openInstallation(env, openDb) };
  };
}

/** An in-process app over the installation's databases, as the CLI opens them. */
async function openInstallation(
  env: NodeJS.ProcessEnv,
  openDb: () => Promise<Db>,
): Promise<TestApp> {
  const db = await openDb();
  await migrate(db);
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
}

/** Runs `soglasie <command> …args` as a process and collects its exit code and output. */
export function runCli(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/soglasie.mjs', command, ...args], {
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
