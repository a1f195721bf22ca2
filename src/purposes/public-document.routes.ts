import type { Context, Hono } from 'hono';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http/app-env.ts';
import { publicPageCsp } from '../platform/http/html.ts';
import { renderDocumentNotFoundPage, renderDocumentPage } from './public-document.page.ts';
import { getPublicDocument } from './purposes.service.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

// A document never changes once written (a new text is a new version with a new id).
const CACHE = 'public, max-age=3600';

async function findDocument(c: Context<AppEnv>, id: string) {
  try {
    return await getPublicDocument(c.get('deps').db, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  }
}

/**
 * Consent documents at their stable public addresses (R-C2): `/d/<id>` for people and
 * `/d/<id>.txt` with the exact bytes whose SHA-256 is stored with every consent given to it.
 */
export function mountDocumentPages(app: Hono<AppEnv>): void {
  app.get(`/d/:id{${UUID}}`, async (c) => {
    c.header('Content-Security-Policy', publicPageCsp({ 'script-src': "'none'" }));
    const document = await findDocument(c, c.req.param('id'));
    if (!document) {
      c.header('Cache-Control', 'no-store');
      return c.html(renderDocumentNotFoundPage(), 404);
    }
    c.header('Cache-Control', CACHE);
    return c.html(renderDocumentPage(document));
  });

  app.get(`/d/:file{${UUID}\\.txt}`, async (c) => {
    const document = await findDocument(c, c.req.param('file').slice(0, -'.txt'.length));
    if (!document) throw new AppError('not_found', 'No such document');
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Cache-Control', CACHE);
    c.header(
      'Content-Disposition',
      `inline; filename="consent-${document.id}-v${document.version}.txt"`,
    );
    c.header('X-Content-SHA256', document.sha256);
    return c.body(new TextEncoder().encode(document.body), 200);
  });

  app.get('/d/*', (c) => {
    c.header('Content-Security-Policy', publicPageCsp({ 'script-src': "'none'" }));
    return c.html(renderDocumentNotFoundPage(), 404);
  });
}
