import type { Hono } from 'hono';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http/app-env.ts';
import { html, publicPage, publicPageCsp } from '../platform/http/html.ts';
import {
  PORTAL_LINK_PAGE_TTL_MS,
  portalLinkToken,
} from '../subject-requests/portal-link.service.ts';
import { renderReceiptPage } from './receipt.page.ts';
import { getPublicReceipt } from './receipt.service.ts';

/** The consent receipt at its unguessable address, handed to the person after submitting. */
export function mountReceiptPages(app: Hono<AppEnv>): void {
  app.get('/r/:token{[0-9a-f-]{36}\\.[A-Za-z0-9_-]{1,64}}', async (c) => {
    const deps = c.get('deps');
    c.header('Content-Security-Policy', publicPageCsp({ 'script-src': "'none'" }));
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    try {
      const found = await getPublicReceipt(deps.db, deps.keys, c.req.param('token'));
      // "My data": a signed, expiring link into the privacy portal for the person named.
      const portalToken = portalLinkToken(deps.keys, {
        orgId: found.orgId,
        contactId: found.receipt.piiPrincipalId,
        expiresAt: new Date(deps.now().getTime() + PORTAL_LINK_PAGE_TTL_MS),
      });
      return c.html(renderReceiptPage({ ...found, portalHref: `/p/link/${portalToken}` }));
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'not_found')) throw error;
      return c.html(
        publicPage({
          title: 'Квитанция не найдена',
          body: html`<div class="card"><h1>Квитанция не найдена</h1><p>Проверьте ссылку из письма или со страницы формы.</p></div>`,
        }),
        404,
      );
    }
  });
}
