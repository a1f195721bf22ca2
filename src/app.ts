import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { mountCallTrackingGuards } from './analytics/calls/calls.routes.ts';
import { SPEND_IMPORT_BODY_LIMIT, SPEND_IMPORT_PATH } from './analytics/spend/spend.schema.ts';
import { mountComplianceDocumentPages } from './compliance/documents/public-compliance-document.routes.ts';
import { mountReceiptPages } from './consent/receipt.routes.ts';
import { mountPublicFormGuards, mountPublicFormPages } from './forms/public-form.routes.ts';
import { mountMessagingPages } from './messaging/unsubscribe.routes.ts';
import { AppError } from './platform/errors.ts';
import type { AppEnv, Deps } from './platform/http/app-env.ts';
import { isHttps } from './platform/http/cookies.ts';
import { onError } from './platform/http/on-error.ts';
import { buildOpenApi } from './platform/http/openapi.ts';
import { mountRoutes } from './platform/http/route.ts';
import { createMetrics, mayScrape } from './platform/metrics.ts';
import { mountDocumentPages } from './purposes/public-document.routes.ts';
import { ROUTES } from './routes.ts';
import { mountPortalPages } from './subject-requests/portal.routes.ts';
import { addDomainGauges } from './system.metrics.ts';
import { VERSION } from './version.ts';

/** Request bodies above this are refused with 413 before they are read. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

const defaultLimit = bodyLimit({
  maxSize: DEFAULT_BODY_LIMIT,
  onError: () => {
    throw new AppError('payload_too_large', `The body is larger than ${DEFAULT_BODY_LIMIT} bytes`);
  },
});

export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  const metrics = deps.metrics ?? createMetrics();
  addDomainGauges(metrics, deps.db);

  app.use(
    requestId({
      // Accept a caller's id only when it is a plain token; otherwise make one.
      generator: () => crypto.randomUUID(),
      limitLength: 64,
    }),
  );
  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('auth', undefined);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    metrics.observeRequest({
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      seconds,
    });
    const auth = c.get('auth');
    // Ids and codes only: no query string, body, cookie or header values.
    deps.logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
        orgId: auth?.orgId ?? undefined,
        userId: auth?.userId ?? undefined,
      },
      'request',
    );
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
      crossOriginEmbedderPolicy: false,
      // Sent below, and only over HTTPS: over plain HTTP browsers ignore it anyway.
      strictTransportSecurity: false,
      // Public pages set their own policy (a form may be framed by the operator's site).
      overwrite: false,
    }),
  );
  app.use(async (c, next) => {
    await next();
    if (isHttps(c)) c.header('Strict-Transport-Security', 'max-age=15552000; includeSubDomains');
  });
  // A cabinet's spend export for half a year runs to megabytes; everything else stays small.
  app.use(
    SPEND_IMPORT_PATH,
    bodyLimit({
      maxSize: SPEND_IMPORT_BODY_LIMIT,
      onError: () => {
        throw new AppError(
          'payload_too_large',
          `The file is larger than ${SPEND_IMPORT_BODY_LIMIT} bytes`,
        );
      },
    }),
  );
  app.use('/api/*', async (c, next) =>
    c.req.path === SPEND_IMPORT_PATH ? next() : defaultLimit(c, next),
  );
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  // Prometheus scrapes, with the bearer token of METRICS_TOKEN; absent without it.
  app.get('/metrics', async (c) => {
    if (!deps.metricsToken) throw new AppError('not_found', 'Metrics are not enabled');
    if (!mayScrape(deps.metricsToken, c.req.header('authorization'))) {
      throw new AppError('unauthenticated', 'A valid metrics token is required');
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics(), 200, {
      'Content-Type': metrics.registry.contentType,
    });
  });

  mountPublicFormGuards(app);
  mountCallTrackingGuards(app);
  mountRoutes(app, ROUTES);
  mountPublicFormPages(app);
  mountDocumentPages(app);
  mountReceiptPages(app);
  mountPortalPages(app);
  mountMessagingPages(app);
  mountComplianceDocumentPages(app);

  const openApi = buildOpenApi(ROUTES, { version: VERSION });
  app.get('/openapi.json', (c) => c.json(openApi));

  app.all('/api/*', () => {
    throw new AppError('not_found', 'No such API route');
  });
  mountWeb(app, deps.webRoot);
  return app;
}

/** The built web UI; unknown paths get index.html so the client router can take them. */
function mountWeb(app: Hono<AppEnv>, webRoot: string | null): void {
  const indexPath = webRoot ? path.join(webRoot, 'index.html') : null;
  if (!webRoot || !indexPath || !existsSync(indexPath)) {
    app.get('/', (c) =>
      c.text('Soglasie API is running. The web UI is not built: run `npm run build`.', 200),
    );
    return;
  }
  const root = path.relative(process.cwd(), webRoot) || '.';
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('/*', serveStatic({ root }));
  const indexHtml = readFileSync(indexPath, 'utf8');
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(indexHtml);
  });
}
