import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { scheduledJobs } from './jobs.ts';
import { createAuthenticator, needsSetup } from './orgs/auth.service.ts';
import { type Config, loadConfig, publicUrlOf } from './platform/config.ts';
import { deriveKeys } from './platform/crypto.ts';
import type { Db } from './platform/db/db.ts';
import { migrate } from './platform/db/migrate.ts';
import { openDatabase } from './platform/db/open.ts';
import { createLogger } from './platform/log.ts';
import { createMailer } from './platform/mail.ts';
import { startScheduler } from './platform/scheduler.ts';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/web');

/** Opens the configured database and brings its schema up to date. */
export async function openMigratedDatabase(config: Config): Promise<Db> {
  const db = await openDatabase(config);
  await migrate(db);
  return db;
}

/** config → database → migrations → HTTP server + scheduler; stops cleanly on SIGINT/SIGTERM. */
export async function startServer(config: Config = loadConfig()): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const db = await openMigratedDatabase(config);
  const keys = deriveKeys(config.masterKey);
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const app = createApp({
    db,
    keys,
    logger,
    authenticator: createAuthenticator({ db, keys }),
    now: () => new Date(),
    cookieSecure: config.cookieSecure,
    trustProxy: config.trustProxy,
    publicUrl: publicUrlOf(config),
    mailer: createMailer(config),
    submitRateLimits: config.submitRateLimits,
    webRoot: WEB_ROOT,
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const url = config.publicUrl ?? `http://${shownHost}:${info.port}`;
    logger.info({ port: info.port, database: db.kind }, 'listening');
    process.stdout.write(`\nSoglasie is running at ${url} (database: ${db.kind})\n`);
    void needsSetup({ db, keys }).then((isFirstRun) => {
      if (isFirstRun) {
        process.stdout.write(
          `No account yet: open ${url} to create the owner, or run\n` +
            "  npx soglasie create-admin --email you@clinic.ru --password '…' --org my-clinic\n" +
            'or fill a demo clinic with: npx soglasie demo\n',
        );
      }
    });
  });
  const scheduler = startScheduler(
    scheduledJobs({ db, keys, publicUrl: publicUrlOf(config), logger }),
    { logger },
  );
  const stop = () => {
    logger.info('stopping');
    server.close(() => {
      void scheduler
        .stop()
        .then(() => db.close())
        .finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
