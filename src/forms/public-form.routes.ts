import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http/app-env.ts';
import { clientIp } from '../platform/http/cookies.ts';
import { publicPageCsp } from '../platform/http/html.ts';
import { rateLimit, SlidingWindowLimiter } from '../platform/http/rate-limit.ts';
import { defineRoute } from '../platform/http/route.ts';
import { type AttributionKey, campaignOf, cleanAttribution, cleanPageUrl } from './attribution.ts';
import { embedScript } from './embed/embed-bundle.ts';
import { errorCodeRu } from './field-messages.ts';
import type { TPublicForm } from './forms.schema.ts';
import { loadPublicForm } from './forms.service.ts';
import {
  EMBED_SCRIPT_PATH,
  type FormPageInput,
  renderFormPage,
  renderMessagePage,
  renderNotFoundPage,
  renderThankYouPage,
} from './public-form.page.ts';
import {
  SLUG_PATTERN,
  type TPublicFormView,
  type TSubmitBody,
  type TSubmitResult,
  ZFormFileParams,
  ZPublicFormView,
  ZSubmitBody,
  ZSubmitParams,
  ZSubmitResult,
} from './public-form.schema.ts';
import { type SubmissionInput, submitForm } from './submissions.service.ts';
import { acceptsHtml, isFormPost, readSubmitBody } from './submit-body.ts';

const TAG = 'Public forms';

/** A submission is a few fields: anything bigger is not a person typing. */
export const SUBMIT_BODY_LIMIT = 32 * 1024;
export const DEFAULT_SUBMIT_RATE_LIMITS = { perClientIp: 20, perForm: 600 };
const MINUTE = 60_000;

const SUBMIT_PATH = `/f/:slug{${SLUG_PATTERN}}/submit`;

function toPublicView(form: TPublicForm, publicUrl: string): TPublicFormView {
  return {
    slug: form.slug,
    title: form.title,
    version: form.version,
    fields: form.fields.map((field) => ({
      name: field.name,
      label: field.label,
      type: field.type,
      isRequired: field.isRequired,
      maxLength: field.maxLength,
    })),
    consents: form.consents.map((consent) => ({
      purposeCode: consent.purposeCode,
      kind: consent.kind,
      isRequired: consent.isRequired,
      label: consent.label,
      documentId: consent.documentId,
      documentVersion: consent.documentVersion,
      documentUrl: consent.documentUrl,
      recipients: consent.recipients,
    })),
    submitLabel: form.submitLabel,
    thankYou: form.thankYou,
    redirectUrl: form.redirectUrl,
    policyUrl: form.policyUrl,
    operatorName: form.operatorName,
    submitUrl: `${publicUrl}/f/${form.slug}/submit`,
  };
}

/** On the hosted page a document opens from the same origin, whatever PUBLIC_URL says. */
const sameOriginDocument = (documentId: string) => `/d/${documentId}`;

function httpOrigin(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * The headers of a public page. It may be framed by the operator's own site; a form post may
 * end in a redirect to the form's thank-you address, which form-action has to allow.
 */
function pageHeaders(redirectUrl: string | null = null): Record<string, string> {
  const redirectOrigin = httpOrigin(redirectUrl);
  return {
    'Content-Security-Policy': publicPageCsp({
      'frame-ancestors': '*',
      'form-action': redirectOrigin ? `'self' ${redirectOrigin}` : "'self'",
    }),
    'Cache-Control': 'no-store',
  };
}

function pageResponse(
  c: Context<AppEnv>,
  page: string,
  status: number,
  redirectUrl: string | null = null,
): Response {
  return c.html(page, status as 200, pageHeaders(redirectUrl));
}

function notFoundResponse(c: Context<AppEnv>): Response {
  if (!acceptsHtml(c)) throw new AppError('not_found', 'No such form');
  return pageResponse(c, renderNotFoundPage(), 404);
}

/** The campaign of the visit that opened the hosted page, carried in hidden inputs. */
function attributionOfVisit(c: Context<AppEnv>): Record<string, string> {
  const url = new URL(c.req.url);
  const landing = `${c.get('deps').publicUrl}${url.pathname}${url.search}`;
  return cleanAttribution({
    ...campaignOf(url.searchParams),
    landing_page: landing,
    referrer: c.req.header('referer') ?? null,
  });
}

function attributionOfBody(body: TSubmitBody): Record<string, string> {
  const picked: Partial<Record<AttributionKey, string>> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') picked[key as AttributionKey] = value;
  }
  return cleanAttribution(picked);
}

function toSubmissionInput(
  c: Context<AppEnv>,
  slug: string,
  body: TSubmitBody,
  attribution: Record<string, string>,
): SubmissionInput {
  return {
    formSlug: slug,
    values: body.values,
    consents: Object.fromEntries(
      Object.entries(body.consents).map(([code, consent]) => [
        code,
        { isGiven: consent.isGiven, documentId: consent.documentId ?? null },
      ]),
    ),
    idempotencyKey: body.idempotency_key ?? null,
    attribution,
    // The evidence of the consent (R-C1): who sent it, from where, on which page.
    client: {
      ip: clientIp(c),
      userAgent: c.req.header('user-agent')?.slice(0, 500) ?? null,
      pageUrl: attribution.landing_page ?? cleanPageUrl(c.req.header('referer')) ?? null,
    },
  };
}

async function formPageAgain(
  c: Context<AppEnv>,
  slug: string,
  body: TSubmitBody,
  attribution: Record<string, string>,
  error: AppError,
): Promise<Response> {
  const deps = c.get('deps');
  const { form } = await loadPublicForm(deps.db, deps.publicUrl, slug);
  const input: FormPageInput = {
    form: toPublicView(form, deps.publicUrl),
    documentHref: sameOriginDocument,
    idempotencyKey: body.idempotency_key ?? randomUUID(),
    attribution,
    values: body.values,
    errors: error.fields ?? {},
    errorCode: error.code,
  };
  return pageResponse(c, renderFormPage(input), error.status, form.redirectUrl);
}

async function thankYouPage(
  c: Context<AppEnv>,
  slug: string,
  body: TSubmitBody,
  result: TSubmitResult,
  status: number,
): Promise<Response> {
  const deps = c.get('deps');
  if (result.redirectUrl && httpOrigin(result.redirectUrl)) {
    return c.redirect(result.redirectUrl, 303);
  }
  const { form } = await loadPublicForm(deps.db, deps.publicUrl, slug);
  const page = renderThankYouPage({
    form: toPublicView(form, deps.publicUrl),
    result,
    values: body.values,
    documentHref: sameOriginDocument,
  });
  return pageResponse(c, page, status);
}

export const publicFormRoutes = [
  defineRoute({
    method: 'get',
    path: '/f/:file',
    honoPath: `/f/:file{${SLUG_PATTERN}\\.json}`,
    summary:
      'A published form as the embed snippet renders it (`/f/<slug>.json`): fields, one checkbox per consent with its document, the policy link. Open to any site (CORS *)',
    tag: TAG,
    access: 'public',
    isCrossSite: true,
    params: ZFormFileParams,
    responses: { 200: ZPublicFormView },
    handler: async ({ params }, c) => {
      const deps = c.get('deps');
      const slug = params.file.slice(0, -'.json'.length);
      const { form } = await loadPublicForm(deps.db, deps.publicUrl, slug);
      c.header('Cache-Control', 'no-cache');
      return { status: 200, body: toPublicView(form, deps.publicUrl) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/f/:slug/submit',
    summary:
      'Submit a form from any site: JSON, or a UTF-8 form post (`name=…&consent_<code>=on&consent_<code>_document=<id>`). 201 when stored, 200 for a repeated idempotency key; 422 `consent_required` names the purposes. A form post that accepts HTML gets a thank-you page or a 303 to the form’s redirect address',
    tag: TAG,
    access: 'public',
    isCrossSite: true,
    readBody: readSubmitBody,
    params: ZSubmitParams,
    body: ZSubmitBody,
    responses: { 201: ZSubmitResult, 200: ZSubmitResult },
    handler: async ({ params, body }, c) => {
      // The honeypot: people never see the field, so nothing about this post is stored.
      if (body.website && body.website.trim() !== '') {
        throw new AppError('spam_suspected', 'The hidden field was filled in');
      }
      const deps = c.get('deps');
      const isPage = isFormPost(c) && acceptsHtml(c);
      const attribution = attributionOfBody(body);
      let result: TSubmitResult;
      try {
        result = await submitForm(
          {
            db: deps.db,
            keys: deps.keys,
            publicUrl: deps.publicUrl,
            now: deps.now(),
            ...(deps.mailer ? { mailer: deps.mailer } : {}),
            logger: deps.logger,
          },
          toSubmissionInput(c, params.slug, body, attribution),
        );
      } catch (error) {
        const isFixable =
          error instanceof AppError &&
          (error.code === 'submission_invalid' || error.code === 'consent_required');
        if (isPage && isFixable) return formPageAgain(c, params.slug, body, attribution, error);
        throw error;
      }
      const status = result.isDuplicate ? 200 : 201;
      if (isPage) return thankYouPage(c, params.slug, body, result, status);
      return { status, body: result };
    },
  }),
];

/**
 * What runs before the public form routes: CORS (the snippet posts JSON from the operator's
 * own site), a page instead of JSON for errors of a plain form post, rate and size limits.
 */
export function mountPublicFormGuards(app: Hono<AppEnv>): void {
  const limiter = new SlidingWindowLimiter();

  app.use(`/f/:file{${SLUG_PATTERN}\\.json}`, async (c, next) => {
    await next();
    c.res.headers.set('Access-Control-Allow-Origin', '*');
    c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  });

  // No credentials are ever read on this path, so echoing the caller's origin is safe.
  app.options(SUBMIT_PATH, (c) => {
    const origin = c.req.header('origin');
    if (origin) c.header('Access-Control-Allow-Origin', origin);
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '600');
    c.header('Vary', 'Origin');
    return c.body(null, 204);
  });
  app.use(SUBMIT_PATH, async (c, next) => {
    await next();
    const origin = c.req.header('origin');
    if (origin) c.res.headers.set('Access-Control-Allow-Origin', origin);
    if (!/\bOrigin\b/i.test(c.res.headers.get('vary') ?? ''))
      c.res.headers.append('Vary', 'Origin');
    c.res.headers.set('Cache-Control', 'no-store');
  });
  // A browser's form post gets a page for every refusal, not a JSON body it cannot show.
  app.use(SUBMIT_PATH, async (c, next) => {
    await next();
    if (c.req.method !== 'POST' || !c.error || !(isFormPost(c) && acceptsHtml(c))) return;
    if (c.res.headers.get('content-type')?.startsWith('text/html')) return;
    const code = c.error instanceof AppError ? c.error.code : 'internal';
    const status = c.res.status;
    const retryAfter = Number(c.res.headers.get('retry-after') ?? '') || undefined;
    const page = renderMessagePage({
      title: 'Заявка не отправлена',
      text: errorCodeRu(code, retryAfter),
      backHref: `/f/${c.req.param('slug')}`,
    });
    // Assigning c.res keeps the error's other headers (Retry-After).
    c.res = new Response(page, {
      status,
      headers: { 'Content-Type': 'text/html; charset=UTF-8', ...pageHeaders() },
    });
  });
  const limitSubmissions = rateLimit(limiter, (context) => {
    const limits = context.get('deps').submitRateLimits ?? DEFAULT_SUBMIT_RATE_LIMITS;
    return [
      { key: `ip:${clientIp(context)}`, rule: { limit: limits.perClientIp, windowMs: MINUTE } },
      {
        key: `form:${context.req.param('slug')}`,
        rule: { limit: limits.perForm, windowMs: MINUTE },
      },
    ];
  });
  app.use(SUBMIT_PATH, (c, next) => (c.req.method === 'POST' ? limitSubmissions(c, next) : next()));
  app.use(
    SUBMIT_PATH,
    bodyLimit({
      maxSize: SUBMIT_BODY_LIMIT,
      onError: () => {
        throw new AppError(
          'payload_too_large',
          `The body is larger than ${SUBMIT_BODY_LIMIT} bytes`,
        );
      },
    }),
  );
}

/** The hosted form page, the embed snippet and a 404 for every other address under /f/. */
export function mountPublicFormPages(app: Hono<AppEnv>): void {
  app.get(`/f/:slug{${SLUG_PATTERN}}`, async (c) => {
    const deps = c.get('deps');
    let form: TPublicForm;
    try {
      form = (await loadPublicForm(deps.db, deps.publicUrl, c.req.param('slug'))).form;
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return notFoundResponse(c);
      throw error;
    }
    let attribution: Record<string, string> = {};
    try {
      attribution = attributionOfVisit(c);
    } catch {
      // A malformed query string only loses the campaign, never the form.
    }
    const page = renderFormPage({
      form: toPublicView(form, deps.publicUrl),
      documentHref: sameOriginDocument,
      idempotencyKey: randomUUID(),
      attribution,
    });
    return pageResponse(c, page, 200, form.redirectUrl);
  });

  app.get(EMBED_SCRIPT_PATH, async (c) => {
    const script = await embedScript();
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    // Loaded by <script src> from the operator's site: another origin must be able to run it.
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(script, 200);
  });

  app.all('/f/*', (c) => notFoundResponse(c));
}
