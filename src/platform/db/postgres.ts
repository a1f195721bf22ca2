import { createHash } from 'node:crypto';
import pg from 'pg';
import { type Db, deferringTx, type Queryable, type Row, type TxSettings } from './db.ts';
import { compile, type SqlFragment } from './sql.ts';

// int8 (counts, sums of kopecks) as numbers, as PGlite returns them.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// numeric stays a string in both engines; date (no time) stays 'YYYY-MM-DD' as PGlite returns it.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** PostgreSQL server through node-postgres, one pool per process. */
export function openPostgres(connectionString: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction(work, settings) {
      const client = await pool.connect();
      try {
        // BEGIN and the settings in one round trip (simple protocol, values checked below).
        await client.query(settings ? `BEGIN; ${settingsStatement(settings)}` : 'BEGIN');
        const tx = deferringTx(queryable(client));
        const result = await work(tx);
        await tx.flush();
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

// Named statements are parsed and planned once per connection instead of on every call;
// PostgreSQL replans by itself when the role (row-level security) or the schema changes.
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 5000) statementNames.set(text, name);
  }
  return name;
}

// Only identifiers and uuids (or empty) are ever inlined: anything else is refused, so no
// input can reach the SQL text.
const SETTING_NAME = /^[a-z_]+(\.[a-z_]+)?$/;
const SETTING_VALUE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z_]*)$/;

function settingsStatement(settings: TxSettings): string {
  const entries: [string, string][] = [['role', settings.role], ...Object.entries(settings.values)];
  const assignments = entries.map(([name, rawValue]) => {
    const value = rawValue.toLowerCase();
    if (!SETTING_NAME.test(name) || !SETTING_VALUE.test(value)) {
      throw new Error(`Refusing a transaction setting that is not an identifier or uuid: ${name}`);
    }
    return `set_config('${name}', '${value}', true)`;
  });
  return `SELECT ${assignments.join(', ')}`;
}

function queryable(target: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T extends Row>(fragment: SqlFragment) {
      const { text, values } = compile(fragment);
      const result = await target.query<T>({ name: statementName(text), text, values });
      return result.rows;
    },
    async execute(fragment: SqlFragment) {
      const { text, values } = compile(fragment);
      const result = await target.query({ name: statementName(text), text, values });
      return result.rowCount ?? 0;
    },
    async executeScript(script: string) {
      await target.query(script);
    },
  };
}
