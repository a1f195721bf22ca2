import { Writable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../src/app.ts';
import { createAuthenticator } from '../src/orgs/auth.service.ts';
import { deriveKeys, type Keys } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/db.ts';
import type { Deps } from '../src/platform/http/app-env.ts';
import { createLogger } from '../src/platform/log.ts';
import { createTestDb, type TestDb } from './db.ts';

export const TEST_MASTER_KEY = Buffer.alloc(32, 7);

/** A clock tests can move. */
export class TestClock {
  private current: Date;
  constructor(start = new Date('2026-03-02T09:00:00Z')) {
    this.current = new Date(start);
  }
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export type TestApp = {
  app: ReturnType<typeof createApp>;
  db: Db;
  keys: Keys;
  deps: Deps;
  clock: TestClock;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  testDb: TestDb;
};

export async function buildTestApp(options: { webRoot?: string | null } = {}): Promise<TestApp> {
  const testDb = await createTestDb();
  const keys = deriveKeys(TEST_MASTER_KEY, testDb.keyStore);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const clock = new TestClock();
  const deps: Deps = {
    db: testDb.db,
    keys,
    logger: createLogger({ level: 'debug', destination }),
    authenticator: createAuthenticator({ db: testDb.db, keys }),
    now: clock.now,
    cookieSecure: 'false',
    trustProxy: false,
    publicUrl: 'http://soglasie.test',
    webRoot: options.webRoot ?? null,
  };
  return { app: createApp(deps), db: testDb.db, keys, deps, clock, logs, testDb };
}

/** One app and database per test file, dropped afterwards. */
export function setupTestApp(options: { webRoot?: string | null } = {}): () => TestApp {
  let current: TestApp | null = null;
  beforeAll(async () => {
    current = await buildTestApp(options);
  });
  afterAll(async () => {
    await current?.testDb.drop();
  });
  return () => {
    if (!current) throw new Error('The test app is not ready');
    return current;
  };
}
