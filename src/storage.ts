import { moveLegacySubjectKeys, reshredErasedSubjects } from './keys/keys.service.ts';
import type { Config } from './platform/config.ts';
import { deriveKeys, type Keys } from './platform/crypto.ts';
import type { Db } from './platform/db/db.ts';
import { migrate } from './platform/db/migrate.ts';
import { openDatabase } from './platform/db/open.ts';
import { openKeyStore } from './platform/keystore.ts';

/** The data database and the keys — master-derived, and the subject key store apart. */
export type Storage = { db: Db; keys: Keys; close(): Promise<void> };

/**
 * Opens the configured database and key store. With `migrate` (every process that owns the
 * schema: the server's primary, the CLI) it brings the schema up to date and moves subject
 * keys that earlier versions kept beside the data into the key store.
 */
export async function openStorage(
  config: Config,
  options: { migrate: boolean } = { migrate: true },
): Promise<Storage> {
  const db = await openDatabase(config);
  try {
    if (options.migrate) await migrate(db);
    const store = await openKeyStore(config);
    const keys = deriveKeys(config.masterKey, store);
    if (options.migrate) {
      await moveLegacySubjectKeys(db, keys);
      // A key store restored from an older backup brings back keys destroyed since.
      const reshredded = await reshredErasedSubjects(db, keys, new Date());
      if (reshredded > 0) {
        process.stderr.write(
          `Destroyed again ${reshredded} subject key(s) of erased people found in the key store\n`,
        );
      }
    }
    return {
      db,
      keys,
      async close() {
        await db.close();
        await store.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
