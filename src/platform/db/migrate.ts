import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';
import { sql } from './sql.ts';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);

export type Migration = { version: number; name: string; script: string; checksum: string };

export function readMigrations(directory = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(directory)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort();
  return files.map((file, index) => {
    const version = Number(file.slice(0, 4));
    if (version !== index + 1) {
      throw new Error(`Migration ${file} breaks the numbering: expected ${index + 1}`);
    }
    const script = readFileSync(path.join(directory, file), 'utf8');
    const checksum = createHash('sha256').update(script).digest('hex');
    return { version, name: file, script, checksum };
  });
}

// Any constant: two app nodes starting together apply migrations one after the other.
const MIGRATION_LOCK = 7_352_001;

export async function countAppliedMigrations(db: Db): Promise<number> {
  const [row] = await db.query<{ count: number | string }>(
    sql`SELECT count(*) AS count FROM schema_migrations`,
  );
  return Number(row?.count ?? 0);
}

/**
 * Applies the migrations not yet recorded, each in its own transaction, forward only.
 * A recorded migration whose file changed stops the start: committed migrations are never edited.
 */
export async function migrate(
  db: Db,
  migrations = readMigrations(),
): Promise<{ applied: string[] }> {
  await db.executeScript(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const applied: string[] = [];
  for (const migration of migrations) {
    await db.transaction(async (tx) => {
      await tx.query(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const [recorded] = await tx.query<{ checksum: string }>(
        sql`SELECT checksum FROM schema_migrations WHERE version = ${migration.version}`,
      );
      if (recorded) {
        if (recorded.checksum !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was edited after it was applied`);
        }
        return;
      }
      await tx.executeScript(migration.script);
      await tx.execute(
        sql`INSERT INTO schema_migrations (version, name, checksum)
            VALUES (${migration.version}, ${migration.name}, ${migration.checksum})`,
      );
      applied.push(migration.name);
    });
  }
  return { applied };
}
