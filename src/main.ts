import cluster from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { scheduledJobs } from './jobs.ts';
import { createSmsSender } from './messaging/sms.ts';
import { createAuthenticator, needsSetup } from './orgs/auth.service.ts';
import { type Config, loadConfig, publicUrlOf } from './platform/config.ts';
import type { Keys } from './platform/crypto.ts';
import type { Db } from './platform/db/db.ts';
import { createLogger, type Logger } from './platform/log.ts';
import { createMailer } from './platform/mail.ts';
import { createMetrics } from './platform/metrics.ts';
import { type Scheduler, startScheduler } from './platform/scheduler.ts';
import { openStorage, type Storage } from './storage.ts';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/web');

/**
 * config → database → migrations → HTTP server + scheduler; stops cleanly on SIGINT/SIGTERM.
 * On PostgreSQL with WORKERS > 1 the primary process migrates and runs the scheduler, and
 * that many worker processes serve HTTP on the same port (the embedded database belongs to
 * one process, so PGlite always runs as one).
 */
export async function startServer(config: Config = loadConfig()): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const isClustered = config.workers > 1 && Boolean(config.databaseUrl);
  if (isClustered && cluster.isPrimary) return startPrimary(config, logger);
  if (config.workers > 1 && !config.databaseUrl) {
    logger.warn(
      { workers: config.workers },
      'WORKERS needs DATABASE_URL; serving from one process',
    );
  }
  const storage = await openStorage(config, { migrate: !isClustered });
  const { db, keys } = storage;
  const mailer = createMailer(config);
  const metrics = createMetrics({ processMetrics: true });
  const app = createApp({
    db,
    keys,
    logger,
    authenticator: createAuthenticator({ db, keys }),
    now: () => new Date(),
    cookieSecure: config.cookieSecure,
    trustProxy: config.trustProxy,
    publicUrl: publicUrlOf(config),
    mailer,
    sms: createSmsSender(config),
    smsCallbackSecret: config.smsCallbackSecret,
    mailFeedbackSecret: config.mailFeedbackSecret,
    metrics,
    metricsToken: config.metricsToken,
    submitRateLimits: config.submitRateLimits,
    webRoot: WEB_ROOT,
  });
  const isFirstWorker = !isClustered || cluster.worker?.id === 1;
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info({ port: info.port, database: db.kind }, 'listening');
    if (isFirstWorker) announce(config, info.port, db, keys);
  });
  const scheduler = isClustered
    ? null
    : startScheduler(
        scheduledJobs({
          db,
          keys,
          publicUrl: publicUrlOf(config),
          logger,
          mailer,
          sms: createSmsSender(config),
        }),
        { logger, metrics },
      );
  onStop(logger, (done) => server.close(() => void closeAll(scheduler, storage).finally(done)));
}

async function startPrimary(config: Config, logger: Logger): Promise<void> {
  const storage = await openStorage(config);
  const { db, keys } = storage;
  const scheduler = startScheduler(
    scheduledJobs({
      db,
      keys,
      publicUrl: publicUrlOf(config),
      logger,
      mailer: createMailer(config),
      sms: createSmsSender(config),
    }),
    { logger },
  );
  let isStopping = false;
  for (let index = 0; index < config.workers; index += 1) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (isStopping) return;
    logger.error({ workerId: worker.id, code }, 'worker exited; starting another');
    cluster.fork();
  });
  onStop(logger, (done) => {
    isStopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    void closeAll(scheduler, storage).finally(done);
  });
}

function announce(config: Config, port: number, db: Db, keys: Keys) {
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = config.publicUrl ?? `http://${shownHost}:${port}`;
  const workers = config.workers > 1 && config.databaseUrl ? `, ${config.workers} workers` : '';
  process.stdout.write(`\nSoglasie is running at ${url} (database: ${db.kind}${workers})\n`);
  void needsSetup({ db, keys }).then((isFirstRun) => {
    if (isFirstRun) {
      process.stdout.write(
        `No account yet: open ${url} to create the owner, or run\n` +
          "  npx soglasie create-admin --email you@clinic.ru --password '…' --org my-clinic\n" +
          'or fill a demo clinic with: npx soglasie demo\n',
      );
    }
  });
}

async function closeAll(scheduler: Scheduler | null, storage: Storage): Promise<void> {
  await scheduler?.stop();
  await storage.close();
}

function onStop(logger: Logger, close: (done: () => void) => void): void {
  const stop = () => {
    logger.info('stopping');
    close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
