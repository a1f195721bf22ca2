import path from 'node:path';
import type { Db } from './db.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** PostgreSQL when DATABASE_URL is set; otherwise embedded PGlite persisted in DATA_DIR. */
export function openDatabase(config: {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
}): Promise<Db> {
  if (config.databaseUrl) {
    return Promise.resolve(openPostgres(config.databaseUrl, { max: config.poolSize ?? 10 }));
  }
  return openPglite(path.join(config.dataDir, 'pglite'));
}
