import type { TestProject } from 'vitest/node';
import { migrate } from '../src/platform/db/migrate.ts';
import { openPostgres } from '../src/platform/db/postgres.ts';
import { sql } from '../src/platform/db/sql.ts';
import { keyStoreOn } from '../src/platform/keystore.ts';
import { databaseUrlFor, TEST_DB_PREFIX } from './pg-url.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
    /** One subject key store database shared by the run's test files (keys are per subject). */
    pgKeyStore: string | null;
  }
}

/**
 * With DATABASE_URL set, one migrated template database serves the run; every test file
 * clones it (CREATE DATABASE … TEMPLATE) and drops its clone afterwards.
 */
export default async function setup(project: TestProject) {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    project.provide('pgTemplate', null);
    project.provide('pgKeyStore', null);
    return;
  }
  const template = `${TEST_DB_PREFIX}tpl_${process.pid}_${Date.now()}`;
  const admin = openPostgres(baseUrl, { max: 1 });
  await admin.execute(sql`SELECT 1`);
  await admin.executeScript(`CREATE DATABASE "${template}"`);
  const templateDb = openPostgres(databaseUrlFor(baseUrl, template), { max: 1 });
  await migrate(templateDb);
  await templateDb.close();
  const keyStoreName = `${TEST_DB_PREFIX}keys_${process.pid}_${Date.now()}`;
  await admin.executeScript(`CREATE DATABASE "${keyStoreName}"`);
  const keyStore = await keyStoreOn(
    openPostgres(databaseUrlFor(baseUrl, keyStoreName), { max: 1 }),
  );
  await keyStore.close();
  project.provide('pgTemplate', template);
  project.provide('pgKeyStore', keyStoreName);
  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      sql`SELECT datname FROM pg_database WHERE datname LIKE ${`${TEST_DB_PREFIX}%_${process.pid}_%`}`,
    );
    for (const { datname } of leftovers) {
      await admin.executeScript(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.close();
  };
}
