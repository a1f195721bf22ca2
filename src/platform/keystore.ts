import path from 'node:path';
import type { Db } from './db/db.ts';
import { openPglite } from './db/pglite.ts';
import { openPostgres } from './db/postgres.ts';
import { sql } from './db/sql.ts';

/**
 * Where subjects' data keys live: a database of its own, apart from the personal data, so
 * destroying a key here makes every copy of the subject's data unreadable — the live rows and
 * every data backup taken before (crypto-shredding, R-D5). Keys are stored wrapped by their
 * organization's key; this store never sees a key in clear. It is backed up on its own
 * schedule, with backups kept under the six-month limit (docs/backup.md).
 */
export type KeyStore = {
  readonly kind: 'pglite' | 'postgres';
  /** Stores a new subject's wrapped key; durable when the promise resolves. */
  put(orgId: string, subjectId: string, wrappedKey: Uint8Array): Promise<void>;
  /** Stores many at once (imports, moving keys in); existing subjects are left as they are. */
  putMany(
    rows: readonly { orgId: string; subjectId: string; wrappedKey: Uint8Array | null }[],
  ): Promise<void>;
  /** Wrapped keys by subject; a destroyed subject maps to null, an unknown one is absent. */
  get(orgId: string, subjectIds: readonly string[]): Promise<Map<string, Uint8Array | null>>;
  /** Destroys the key for ever; false when it was already destroyed or never existed. */
  destroy(orgId: string, subjectId: string, at: Date): Promise<boolean>;
  close(): Promise<void>;
};

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS subject_keys (
    subject_id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    wrapped_key bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    destroyed_at timestamptz
  );
  CREATE INDEX IF NOT EXISTS subject_keys_org_idx ON subject_keys (org_id);`;

/** A key store on a database of its own; its one table is created on first use. */
export async function keyStoreOn(db: Db): Promise<KeyStore> {
  await db.executeScript(SCHEMA);
  return {
    kind: db.kind,
    async put(orgId, subjectId, wrappedKey) {
      await db.execute(sql`
        INSERT INTO subject_keys (subject_id, org_id, wrapped_key)
        VALUES (${subjectId}, ${orgId}, ${wrappedKey})`);
    },
    async putMany(rows) {
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        await db.execute(sql`
          INSERT INTO subject_keys (subject_id, org_id, wrapped_key, destroyed_at)
          SELECT * FROM unnest(
            ${chunk.map((row) => row.subjectId)}::uuid[],
            ${chunk.map((row) => row.orgId)}::uuid[],
            ${chunk.map((row) => row.wrappedKey)}::bytea[],
            ${chunk.map((row) => (row.wrappedKey ? null : new Date(0)))}::timestamptz[])
          ON CONFLICT (subject_id) DO NOTHING`);
      }
    },
    async get(orgId, subjectIds) {
      const unique = [...new Set(subjectIds)];
      if (unique.length === 0) return new Map();
      const rows = await db.query<{ subject_id: string; wrapped_key: Uint8Array | null }>(sql`
        SELECT subject_id, wrapped_key FROM subject_keys
        WHERE org_id = ${orgId} AND subject_id = ANY(${unique}::uuid[])`);
      return new Map(rows.map((row) => [row.subject_id, row.wrapped_key]));
    },
    async destroy(orgId, subjectId, at) {
      const changed = await db.execute(sql`
        UPDATE subject_keys SET wrapped_key = NULL, destroyed_at = ${at}
        WHERE org_id = ${orgId} AND subject_id = ${subjectId} AND wrapped_key IS NOT NULL`);
      return changed > 0;
    },
    close: () => db.close(),
  };
}

/**
 * The configured key store: KEYSTORE_URL when set; with DATABASE_URL alone, a database named
 * after it with `_keys` on the same server (created when missing and the role may); on the
 * embedded database, a second embedded database in DATA_DIR/keystore.
 */
export async function openKeyStore(config: {
  databaseUrl: string | undefined;
  keystoreUrl: string | undefined;
  dataDir: string;
}): Promise<KeyStore> {
  if (config.keystoreUrl) return keyStoreOn(openPostgres(config.keystoreUrl, { max: 4 }));
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    const name = `${decodeURIComponent(url.pathname.slice(1)) || 'postgres'}_keys`;
    await createDatabaseIfMissing(config.databaseUrl, name);
    url.pathname = `/${encodeURIComponent(name)}`;
    return keyStoreOn(openPostgres(url.toString(), { max: 4 }));
  }
  return keyStoreOn(await openPglite(path.join(config.dataDir, 'keystore')));
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const admin = openPostgres(serverUrl, { max: 1 });
  try {
    const [found] = await admin.query(
      sql`SELECT 1 AS found FROM pg_database WHERE datname = ${name}`,
    );
    if (found) return;
    try {
      await admin.executeScript(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    } catch (error) {
      throw new Error(
        `The key store database "${name}" does not exist and could not be created; create it or set KEYSTORE_URL`,
        { cause: error },
      );
    }
  } finally {
    await admin.close();
  }
}
