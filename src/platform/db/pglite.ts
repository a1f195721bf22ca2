import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db, Row, Tx } from './db.ts';
import { compile, type SqlFragment } from './sql.ts';

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
    transaction: (work) => instance.transaction((transaction) => work(queryable(transaction))),
    close: () => instance.close(),
  };
}

function queryable(target: PGlite | Transaction): Tx {
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
