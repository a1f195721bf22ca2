import { type SqlFragment, sql } from './sql.ts';

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

/** An open transaction. */
export type Tx = Queryable & {
  /**
   * Queues an INSERT whose result is not needed. Queued inserts run together as one statement
   * before the next query or at commit: one round trip instead of one per row. Foreign keys
   * are checked at the end of that statement, so a queued child may follow its queued parent.
   */
  defer(fragment: SqlFragment): void;
};

export type DbKind = 'pglite' | 'postgres';

/** Session settings a transaction starts with (role and `app.*` scope for row-level security). */
export type TxSettings = { role: string; values: Record<string, string> };

/** One small interface over both engines: PGlite embedded and PostgreSQL server. */
export type Db = Queryable & {
  readonly kind: DbKind;
  /**
   * Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws.
   * `settings` are applied transaction-locally before `work` runs.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, settings?: TxSettings): Promise<T>;
  close(): Promise<void>;
};

const INSERT = /^\s*INSERT\s/i;

/** Wraps a connection in a transaction with deferred inserts; `flush` runs before COMMIT. */
export function deferringTx(base: Queryable): Tx & { flush(): Promise<void> } {
  const pending: SqlFragment[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    const [only] = batch;
    if (batch.length === 1 && only) {
      await base.execute(only);
      return;
    }
    // Data-modifying statements in WITH all run, once, to completion (PostgreSQL docs 7.8.4).
    const parts = batch.map(
      (fragment, index) => sql`${sql.unsafeRaw(`w${index}`)} AS (${fragment})`,
    );
    await base.execute(sql`WITH ${sql.join(parts, ', ')} SELECT 1`);
  };
  return {
    async query(fragment) {
      await flush();
      return base.query(fragment);
    },
    async execute(fragment) {
      await flush();
      return base.execute(fragment);
    },
    async executeScript(script) {
      await flush();
      return base.executeScript(script);
    },
    defer(fragment) {
      if (!INSERT.test(fragment.strings[0] ?? '')) {
        throw new Error('Only INSERT statements can be deferred');
      }
      pending.push(fragment);
    },
    flush,
  };
}

/** int8 comes back as a number from PGlite and a string from `pg`: one place decides. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  throw new TypeError(`Not a number: ${typeof value}`);
}
