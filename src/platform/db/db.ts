import type { SqlFragment } from './sql.ts';

export type Row = Record<string, unknown>;

/** Anything queries can run on: the database itself or an open transaction. */
export type Queryable = {
  /** Runs one statement and returns its rows. */
  query<T extends Row = Row>(fragment: SqlFragment): Promise<T[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(fragment: SqlFragment): Promise<number>;
  /** Runs a script of several statements (migrations), without parameters. */
  executeScript(script: string): Promise<void>;
};

export type Tx = Queryable;

export type DbKind = 'pglite' | 'postgres';

/** One small interface over both engines: PGlite embedded and PostgreSQL server. */
export type Db = Queryable & {
  readonly kind: DbKind;
  /** Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/** int8 comes back as a number from PGlite and a string from `pg`: one place decides. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  throw new TypeError(`Not a number: ${typeof value}`);
}
