import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/db.ts';
import { migrate, readMigrations } from './migrate.ts';
import { sql } from './sql.ts';

describe('migrations', () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb.drop());

  it('records every applied migration and applies nothing twice', async () => {
    const recorded = await testDb.db.query<{ version: number; name: string }>(
      sql`SELECT version, name FROM schema_migrations ORDER BY version`,
    );
    expect(recorded.map((row) => row.name)).toEqual(
      readMigrations().map((migration) => migration.name),
    );
    expect(await migrate(testDb.db)).toEqual({ applied: [] });
  });

  it('applies a new numbered migration forward, in order', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'soglasie-migrations-'));
    const existing = readMigrations();
    for (const migration of existing)
      writeFileSync(path.join(directory, migration.name), migration.script);
    const next = String(existing.length + 1).padStart(4, '0');
    writeFileSync(
      path.join(directory, `${next}_probe.sql`),
      'CREATE TABLE migration_probe (id int);',
    );
    expect(await migrate(testDb.db, readMigrations(directory))).toEqual({
      applied: [`${next}_probe.sql`],
    });
    expect(await testDb.db.query(sql`SELECT * FROM migration_probe`)).toEqual([]);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const edited = readMigrations().map((migration, index) =>
      index === 0 ? { ...migration, checksum: 'edited' } : migration,
    );
    await expect(migrate(testDb.db, edited)).rejects.toThrow(/edited after it was applied/);
  });

  it('refuses a gap in the numbering', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'soglasie-migrations-'));
    writeFileSync(path.join(directory, '0001_a.sql'), 'SELECT 1;');
    writeFileSync(path.join(directory, '0003_c.sql'), 'SELECT 1;');
    expect(() => readMigrations(directory)).toThrow(/numbering/);
  });
});
