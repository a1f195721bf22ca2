import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createAuthenticator } from '../src/orgs/auth.service.ts';
import { deriveKeys } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/db.ts';
import { openPglite } from '../src/platform/db/pglite.ts';
import { openKeyStore } from '../src/platform/keystore.ts';
import { createLogger } from '../src/platform/log.ts';
import { TEST_MASTER_KEY, type TestApp, TestClock } from './app.ts';
import { createTestDb, type TestDb } from './db.ts';
import { signIn } from './http.ts';

// Each command starts a process and opens the data and key store databases: minutes under load.
const E2E_TIMEOUT_MS = 240_000;

const ROOT = path.resolve(import.meta.dirname, '..');
const usesPostgres = Boolean(process.env.DATABASE_URL);
const children: ChildProcess[] = [];
const databases: TestDb[] = [];

/** The environment of a fresh install: its own data directory, or its own PostgreSQL database. */
async function freshEnvironment(): Promise<{
  env: NodeJS.ProcessEnv;
  dataDir: string;
  url: string | null;
}> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'soglasie-data-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    MASTER_KEY: TEST_MASTER_KEY.toString('hex'),
    PORT: '0',
    HOST: '127.0.0.1',
  };
  delete env.DATABASE_URL;
  if (!usesPostgres) return { env, dataDir, url: null };
  const testDb = await createTestDb();
  databases.push(testDb);
  // The server process must migrate on its own: start from an empty database.
  await testDb.db.executeScript('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  env.DATABASE_URL = testDb.url ?? '';
  return { env, dataDir, url: testDb.url };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

function startServer(env: NodeJS.ProcessEnv): Promise<{ url: string; output: () => string }> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Server did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /running at (http:\/\/\S+) /.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code}:\n${output}`));
    });
  });
}

function stopChildren(): void {
  for (const child of children.splice(0)) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
}

afterEach(stopChildren);
afterAll(async () => {
  stopChildren();
  for (const testDb of databases) await testDb.drop();
});

/** An in-process app over the database a CLI command just wrote. */
async function appOver(env: {
  dataDir: string;
  url: string | null;
}): Promise<{ testApp: TestApp; close: () => Promise<void> }> {
  let db: Db;
  if (env.url) {
    const { openPostgres } = await import('../src/platform/db/postgres.ts');
    db = openPostgres(env.url);
  } else {
    db = await openPglite(path.join(env.dataDir, 'pglite'));
  }
  const keyStore = await openKeyStore({
    databaseUrl: env.url ?? undefined,
    keystoreUrl: undefined,
    dataDir: env.dataDir,
  });
  const keys = deriveKeys(TEST_MASTER_KEY, keyStore);
  const clock = new TestClock(new Date());
  const deps = {
    db,
    keys,
    logger: createLogger({ level: 'silent' }),
    authenticator: createAuthenticator({ db, keys }),
    now: clock.now,
    cookieSecure: 'false' as const,
    trustProxy: false,
    publicUrl: 'http://soglasie.test',
    webRoot: null,
  };
  const testApp: TestApp = {
    app: createApp(deps),
    db,
    keys,
    deps,
    clock,
    logs: [],
    testDb: { db, url: env.url, keyStore, drop: () => db.close() },
  };
  return {
    testApp,
    async close() {
      await db.close();
      await keyStore.close();
    },
  };
}

describe(`npm start on a fresh install (${usesPostgres ? 'PostgreSQL' : 'PGlite'})`, {
  timeout: E2E_TIMEOUT_MS,
}, () => {
  it('migrates, listens on PORT and reports the database in /health', async () => {
    const environment = await freshEnvironment();
    const server = await startServer(environment.env);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      database: usesPostgres ? 'postgres' : 'pglite',
      migrations: expect.any(Number),
    });
    expect(server.output()).toMatch(/create-admin|demo/);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});

describe.runIf(usesPostgres)(
  'npm start with several worker processes (PostgreSQL)',
  { timeout: E2E_TIMEOUT_MS },
  () => {
    it('migrates once in the primary and serves from every worker', async () => {
      const environment = await freshEnvironment();
      const server = await startServer({ ...environment.env, WORKERS: '2' });
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const health = await fetch(`${server.url}/health`);
        expect(await health.json()).toMatchObject({ status: 'ok', database: 'postgres' });
      }
      expect(server.output()).toMatch(/2 workers/);
    });
  },
);

describe('CLI', { timeout: E2E_TIMEOUT_MS }, () => {
  it('create-admin makes an organization and its owner, who can sign in', async () => {
    const environment = await freshEnvironment();
    const result = await run(
      process.execPath,
      [
        'bin/soglasie.mjs',
        'create-admin',
        '--email',
        'chief@clinic.test',
        '--password',
        'chief-password-1',
        '--org',
        'my-clinic',
        '--org-name',
        'Моя клиника',
      ],
      environment.env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Created organization "Моя клиника" \(my-clinic/);
    const { testApp, close } = await appOver(environment);
    try {
      const client = await signIn(testApp, 'chief@clinic.test', 'chief-password-1');
      const me = await client.get('/api/v1/me');
      expect(me.body).toMatchObject({
        role: 'owner',
        memberships: [{ orgSlug: 'my-clinic', orgName: 'Моя клиника' }],
      });
    } finally {
      await close();
    }
    const again = await run(
      process.execPath,
      [
        'bin/soglasie.mjs',
        'create-admin',
        '--email',
        'chief@clinic.test',
        '--password',
        'chief-password-1',
        '--org',
        'my-clinic',
      ],
      environment.env,
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already a member/);
  });

  it('create-admin explains bad arguments', async () => {
    const environment = await freshEnvironment();
    const result = await run(
      process.execPath,
      ['bin/soglasie.mjs', 'create-admin', '--email', 'nope', '--password', 'x', '--org', 'a'],
      environment.env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--email/);
  });

  it('demo fills a demo clinic, prints working logins, and can run again', async () => {
    const environment = await freshEnvironment();
    // A small patient base keeps the test quick; the default is 5,000.
    const demoEnv = { ...environment.env, SOGLASIE_DEMO_CONTACTS: '20' };
    const first = await run(process.execPath, ['bin/soglasie.mjs', 'demo'], demoEnv);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Created the demo clinic \(slug "demo"/);
    const second = await run(process.execPath, ['bin/soglasie.mjs', 'demo'], demoEnv);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Refreshed the demo clinic/);
    const login = /owner\s+(\S+@\S+)\s+(\S+)/.exec(second.stdout);
    expect(login).not.toBeNull();
    const { testApp, close } = await appOver(environment);
    try {
      const owner = await signIn(testApp, login?.[1] ?? '', login?.[2] ?? '');
      const members = await owner.get<{ items: { role: string }[] }>('/api/v1/members');
      expect(members.body.items.map((member) => member.role).sort()).toEqual([
        'admin',
        'auditor',
        'front_desk',
        'marketer',
        'owner',
        'privacy_officer',
      ]);
      const tokens = await owner.get<{ items: unknown[] }>('/api/v1/tokens');
      expect(tokens.body.items).toHaveLength(1);
      const audit = await owner.get<{ total: number }>('/api/v1/audit-log');
      expect(audit.body.total).toBeGreaterThan(5);
      const leads = await owner.get<{ total: number; items: { source: string }[] }>(
        '/api/v1/leads?pageSize=100',
      );
      // The capture demo's 48 enquiries and the retention demo's few people.
      expect(leads.body.total).toBeGreaterThanOrEqual(48);
      expect(new Set(leads.body.items.map((lead) => lead.source))).toContain('yandex');
      const forms = await owner.get<{ items: { slug: string; warnings: unknown[] }[] }>(
        '/api/v1/forms',
      );
      expect(forms.body.items).toEqual([expect.objectContaining({ slug: 'demo', warnings: [] })]);
      const verified = await owner.get<{ isIntact: boolean; entries: number }>(
        '/api/v1/consent/journal/verify',
      );
      expect(verified.body).toMatchObject({ isIntact: true });
      // The rights screens are alive: requests in every state, incidents, a destruction act.
      const requests = await owner.get<{ items: { status: string }[] }>(
        '/api/v1/subject-requests?pageSize=100',
      );
      expect(new Set(requests.body.items.map((item) => item.status))).toEqual(
        new Set([
          'received',
          'verifying',
          'in_progress',
          'extended',
          'answered',
          'refused',
          'closed',
        ]),
      );
      const incidents = await owner.get<{ total: number }>('/api/v1/incidents');
      expect(incidents.body.total).toBeGreaterThanOrEqual(2);
      const acts = await owner.get<{ items: unknown[] }>('/api/v1/retention/acts');
      expect(acts.body.items.length).toBeGreaterThanOrEqual(1);
      const journal = await owner.get<{ items: { event: string; channel: string }[] }>(
        '/api/v1/consent/journal?pageSize=200',
      );
      const events = journal.body.items.map((entry) => `${entry.event}/${entry.channel}`);
      expect(events).toEqual(
        expect.arrayContaining(['given/web_form', 'given/phone', 'withdrawn/staff']),
      );
    } finally {
      await close();
    }
  });

  it('prints help with every command', async () => {
    const result = await run(process.execPath, ['bin/soglasie.mjs', 'help'], { ...process.env });
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'create-admin', 'demo'])
      expect(result.stdout).toContain(command);
  });
});
