import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Db, deferringTx, type Queryable, type Row } from './db.ts';
import { compile, type SqlFragment, sql } from './sql.ts';

/** Embedded PostgreSQL (WASM). `dataDir` persists it; without one it lives in memory. */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const instance = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  return wrapPglite(instance);
}

export function wrapPglite(instance: PGlite): Db {
  return {
    kind: 'pglite',
    ...queryable(instance),
    transaction: (work, settings) =>
      instance.transaction(async (transaction) => {
        const tx = deferringTx(queryable(transaction));
        if (settings) {
          const assignments = [
            sql`set_config('role', ${settings.role}, true)`,
            ...Object.entries(settings.values).map(
              ([name, value]) => sql`set_config(${name}, ${value}, true)`,
            ),
          ];
          await tx.query(sql`SELECT ${sql.join(assignments)}`);
        }
        const result = await work(tx);
        await tx.flush();
        return result;
      }),
    close: () => instance.close(),
  };
}

function queryable(target: PGlite | Transaction): Queryable {
  return {
    async query<T extends Row>(fragment: SqlFragment) {
      const { text, values } = compile(fragment);
      const result = await target.query<T>(text, values);
      return result.rows;
    },
    async execute(fragment: SqlFragment) {
      const { text, values } = compile(fragment);
      const result = await target.query(text, values);
      return result.affectedRows ?? 0;
    },
    async executeScript(script: string) {
      await target.exec(script);
    },
  };
}
