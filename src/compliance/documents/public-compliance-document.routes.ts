import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../platform/http/app-env.ts';
import { publicPageCsp } from '../../platform/http/html.ts';
import type { DocumentKind } from './document-content.ts';
import {
  renderComplianceHtml,
  renderComplianceNotFound,
  renderCompliancePdf,
} from './document-render.ts';
import { getPublicComplianceDocument, kindFromSlug } from './documents.service.ts';

const SLUG = '[a-z0-9][a-z0-9-]{0,62}';
const KIND = '[a-z][a-z0-9-]{1,40}';

// A version never changes; the latest address moves with each new version.
const VERSION_CACHE = 'public, max-age=3600';
const LATEST_CACHE = 'no-cache';

function notFound(c: Context<AppEnv>) {
  c.header('Content-Security-Policy', publicPageCsp({ 'script-src': "'none'" }));
  c.header('Cache-Control', 'no-store');
  return c.html(renderComplianceNotFound(), 404);
}

async function serve(
  c: Context<AppEnv>,
  input: { orgSlug: string; kind: DocumentKind; version: number | 'latest' },
  format: 'html' | 'txt' | 'pdf',
) {
  const document = await getPublicComplianceDocument(c.get('deps').db, input);
  if (!document) return notFound(c);
  c.header('Cache-Control', input.version === 'latest' ? LATEST_CACHE : VERSION_CACHE);
  c.header('X-Content-SHA256', document.sha256);
  const meta = { ...document };
  const filename = `${input.kind}-v${document.version}`;
  if (format === 'txt') {
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Content-Disposition', `inline; filename="${filename}.txt"`);
    return c.body(new TextEncoder().encode(document.body), 200);
  }
  if (format === 'pdf') {
    const pdf = await renderCompliancePdf(document.content, meta);
    c.header('Content-Type', 'application/pdf');
    c.header('Content-Disposition', `inline; filename="${filename}.pdf"`);
    return c.body(new Uint8Array(pdf), 200);
  }
  c.header('Content-Security-Policy', publicPageCsp({ 'script-src': "'none'" }));
  return c.html(renderComplianceHtml(document.content, meta));
}

/**
 * Generated compliance documents at stable public addresses (R-L4: the policy with unrestricted
 * access): `/doc/<org>/<kind>` always the newest version, `/doc/<org>/<kind>/v<N>` one version for
 * ever, with `.txt` (the exact canonical text whose SHA-256 is the hash) and `.pdf`.
 */
export function mountComplianceDocumentPages(app: Hono<AppEnv>): void {
  app.get(`/doc/:org{${SLUG}}/:kind{${KIND}}`, async (c) => {
    const kind = kindFromSlug(c.req.param('kind'));
    if (!kind) return notFound(c);
    return serve(c, { orgSlug: c.req.param('org'), kind, version: 'latest' }, 'html');
  });

  app.get(`/doc/:org{${SLUG}}/:kind{${KIND}}/:file{v[0-9]{1,6}(?:\\.txt|\\.pdf)?}`, async (c) => {
    const kind = kindFromSlug(c.req.param('kind'));
    if (!kind) return notFound(c);
    const match = /^v(\d+)(?:\.(txt|pdf))?$/.exec(c.req.param('file'));
    const version = Number(match?.[1]);
    if (!match || version < 1) return notFound(c);
    const format = (match[2] as 'txt' | 'pdf' | undefined) ?? 'html';
    return serve(c, { orgSlug: c.req.param('org'), kind, version }, format);
  });

  app.get('/doc/*', (c) => notFound(c));
}
