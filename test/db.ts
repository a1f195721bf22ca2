import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import type { Db } from '../src/platform/db/db.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { wrapPglite } from '../src/platform/db/pglite.ts';
import { openPostgres } from '../src/platform/db/postgres.ts';
import { type KeyStore, keyStoreOn } from '../src/platform/keystore.ts';
import { databaseUrlFor, TEST_DB_PREFIX } from './pg-url.ts';

export type TestDb = {
  db: Db;
  url: string | null;
  /** The subject key store, apart from `db`: embedded, or the run's key store database. */
  keyStore: KeyStore;
  /** The embedded instance behind `db` on PGlite (to dump its data directory), else absent. */
  pglite?: PGlite;
  drop(): Promise<void>;
};

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a clone of
 * the migrated template on the PostgreSQL server when DATABASE_URL is set.
 */
export async function createTestDb(): Promise<TestDb> {
  const template = inject('pgTemplate');
  const baseUrl = process.env.DATABASE_URL;
  if (!template || !baseUrl) {
    const pglite = await PGlite.create();
    const db = wrapPglite(pglite);
    await migrate(db);
    const keyStore = await keyStoreOn(wrapPglite(await PGlite.create()));
    return {
      db,
      url: null,
      pglite,
      keyStore,
      async drop() {
        await db.close();
        await keyStore.close();
      },
    };
  }
  const name = `${TEST_DB_PREFIX}${randomBytes(4).toString('hex')}_${template.split('_').slice(-2).join('_')}`;
  const admin = openPostgres(baseUrl, { max: 1 });
  await admin.executeScript(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await admin.close();
  const url = databaseUrlFor(baseUrl, name);
  const db = openPostgres(url, { max: 5 });
  const keyStore = await keyStoreOn(
    openPostgres(databaseUrlFor(baseUrl, inject('pgKeyStore') ?? ''), { max: 2 }),
  );
  return {
    db,
    url,
    keyStore,
    async drop() {
      await db.close();
      await keyStore.close();
      const cleaner = openPostgres(baseUrl, { max: 1 });
      await cleaner.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleaner.close();
    },
  };
}
