import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http/app-env.ts';
import { clientIp } from '../platform/http/cookies.ts';
import { html, publicPage, publicPageCsp } from '../platform/http/html.ts';
import { type RateRule, SlidingWindowLimiter } from '../platform/http/rate-limit.ts';
import { handleMailFeedback } from './mail-feedback.service.ts';
import { ZMailFeedbackBody } from './messaging.schema.ts';
import { handleSmsCallback, SMS_PROVIDERS, unsubscribe } from './outbound.service.ts';
import { UNSUBSCRIBE_TOKEN_PATTERN } from './unsubscribe-token.ts';

/** Opt-outs per client address per minute: generous for people, a wall for a scanner. */
const PER_CLIENT: RateRule = { limit: 30, windowMs: 60_000 };
/** Provider callbacks per minute (a provider reports in bursts). */
const CALLBACKS: RateRule = { limit: 6000, windowMs: 60_000 };

const MAX_FORM_BYTES = 4096;

function page(title: string, text: string, extra?: ReturnType<typeof html>) {
  return publicPage({
    title,
    body: html`<div class="card"><h1>${title}</h1><p>${text}</p>${extra ?? ''}</div>`,
    style:
      'button{font:inherit;padding:.75rem 1.25rem;border:0;border-radius:8px;background:#1c5fd4;color:#fff;cursor:pointer}',
  });
}

function noStore(c: Context<AppEnv>): void {
  c.header('Content-Security-Policy', publicPageCsp({ 'script-src': "'none'" }));
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
}

const NOT_FOUND_TITLE = 'Ссылка недействительна';
const NOT_FOUND_TEXT =
  'Проверьте, что ссылка скопирована из письма целиком. Отказаться от рассылки можно и ответным письмом или по телефону клиники.';

/**
 * The one-click unsubscribe (RFC 8058, R-E1, R-A4) and the SMS provider callbacks. No login and
 * no cookies are read; the opt-out commits before the answer; replays answer the same.
 */
export function mountMessagingPages(app: Hono<AppEnv>): void {
  const limiter = new SlidingWindowLimiter();
  for (const path of ['/u/*', '/hooks/sms/*', '/hooks/mail/*']) {
    app.use(
      path,
      bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text('Payload too large', 413) }),
    );
  }
  const limited = (c: Context<AppEnv>, key: string, rule: RateRule): Response | null => {
    const decision = limiter.take([{ key, rule }], c.get('deps').now().getTime());
    if (decision.isAllowed) return null;
    c.header('Retry-After', String(decision.retryAfterSeconds));
    return c.text('Слишком много запросов, попробуйте позже', 429);
  };
  const tokenPath = `/u/:token{${UNSUBSCRIBE_TOKEN_PATTERN}}`;

  app.get(tokenPath, (c) => {
    noStore(c);
    const over = limited(c, `u:${clientIp(c)}`, PER_CLIENT);
    if (over) return over;
    // The page itself changes nothing (link scanners open it); the button posts the form.
    return c.html(
      page(
        'Отписаться от рассылки',
        'Нажмите кнопку, и клиника больше не будет присылать вам рекламу по этому каналу. Согласие на рекламную рассылку будет отозвано.',
        html`<form method="post" action=""><input type="hidden" name="confirm" value="1"><button type="submit">Отписаться</button></form>`,
      ),
    );
  });

  app.post(tokenPath, async (c) => {
    noStore(c);
    const over = limited(c, `u:${clientIp(c)}`, PER_CLIENT);
    if (over) return over;
    const deps = c.get('deps');
    const raw = (await c.req.text().catch(() => '')).slice(0, MAX_FORM_BYTES);
    const form = new URLSearchParams(raw);
    // RFC 8058 allows the body as a URL-encoded form or as multipart/form-data.
    const isOneClick =
      form.get('List-Unsubscribe') === 'One-Click' ||
      /name="List-Unsubscribe"\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/.test(raw);
    if (!isOneClick && form.get('confirm') !== '1') {
      return c.text('Send List-Unsubscribe=One-Click', 400);
    }
    try {
      await unsubscribe(
        { db: deps.db, keys: deps.keys, publicUrl: deps.publicUrl, now: deps.now() },
        c.req.param('token'),
        { via: isOneClick ? 'one_click' : 'page', requestId: c.get('requestId') },
      );
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'not_found')) throw error;
      return isOneClick
        ? c.text('Unknown unsubscribe link', 404)
        : c.html(page(NOT_FOUND_TITLE, NOT_FOUND_TEXT), 404);
    }
    // RFC 8058: answer the POST itself, never redirect.
    return isOneClick
      ? c.text('Unsubscribed', 200)
      : c.html(
          page(
            'Вы отписались',
            'Больше не будем присылать вам рекламную рассылку. Если передумаете, скажите об этом администратору клиники.',
          ),
        );
  });

  // A malformed token is a 404 page, never a server error.
  app.on(['GET', 'POST'], '/u/:token', (c) => {
    noStore(c);
    return c.html(page(NOT_FOUND_TITLE, NOT_FOUND_TEXT), 404);
  });

  app.post('/hooks/sms/:provider', async (c) => {
    c.header('Cache-Control', 'no-store');
    const over = limited(c, 'hooks:sms', CALLBACKS);
    if (over) return over;
    const provider = c.req.param('provider');
    if (!(SMS_PROVIDERS as readonly string[]).includes(provider)) {
      return c.json({ error: { code: 'not_found', message: 'No such provider' } }, 404);
    }
    const fields = await readCallback(c);
    const providerId = fields.id;
    const status = fields.status;
    if (!providerId || !status || providerId.length > 100 || status.length > 50) {
      return c.json({ error: { code: 'validation_failed', message: 'Send id and status' } }, 400);
    }
    const deps = c.get('deps');
    try {
      const result = await handleSmsCallback(
        {
          db: deps.db,
          keys: deps.keys,
          publicUrl: deps.publicUrl,
          now: deps.now(),
          secret: deps.smsCallbackSecret,
        },
        {
          provider,
          presentedSecret: c.req.query('token') ?? c.req.header('x-callback-token') ?? null,
          providerId,
          status,
          requestId: c.get('requestId'),
        },
      );
      return c.json(result, 200);
    } catch (error) {
      if (
        error instanceof AppError &&
        (error.code === 'not_found' || error.code === 'unauthenticated')
      ) {
        return c.json(
          { error: { code: error.code, message: error.message } },
          error.code === 'not_found' ? 404 : 401,
        );
      }
      throw error;
    }
  });
  // Mail feedback (R-E2): complaints from feedback loops and late bounces, by Message-ID.
  app.post('/hooks/mail/feedback', async (c) => {
    c.header('Cache-Control', 'no-store');
    const over = limited(c, 'hooks:mail', CALLBACKS);
    if (over) return over;
    let body: unknown;
    try {
      body = JSON.parse((await c.req.text()).slice(0, MAX_FORM_BYTES));
    } catch {
      return c.json({ error: { code: 'validation_failed', message: 'Send a JSON body' } }, 400);
    }
    const parsed = ZMailFeedbackBody.safeParse(body);
    if (!parsed.success) {
      return c.json(
        {
          error: {
            code: 'validation_failed',
            message: 'Invalid feedback report',
            fields: z.flattenError(parsed.error).fieldErrors,
          },
        },
        400,
      );
    }
    const deps = c.get('deps');
    try {
      const result = await handleMailFeedback(
        {
          db: deps.db,
          keys: deps.keys,
          publicUrl: deps.publicUrl,
          now: deps.now(),
          secret: deps.mailFeedbackSecret,
        },
        {
          presentedSecret: c.req.query('token') ?? c.req.header('x-callback-token') ?? null,
          kind: parsed.data.type,
          messageId: parsed.data.messageId,
          source: parsed.data.source ?? 'fbl',
          requestId: c.get('requestId'),
        },
      );
      return c.json(result, 200);
    } catch (error) {
      if (
        error instanceof AppError &&
        (error.code === 'not_found' || error.code === 'unauthenticated')
      ) {
        return c.json(
          { error: { code: error.code, message: error.message } },
          error.code === 'not_found' ? 404 : 401,
        );
      }
      throw error;
    }
  });
}

/** A callback's fields from a form post (SMSC) or a JSON body (a webhook provider). */
async function readCallback(c: Context<AppEnv>): Promise<Record<string, string | undefined>> {
  const text = (await c.req.text().catch(() => '')).slice(0, MAX_FORM_BYTES);
  const type = c.req.header('content-type') ?? '';
  if (/json/i.test(type)) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const pick = (key: string) =>
        typeof parsed[key] === 'string' || typeof parsed[key] === 'number'
          ? String(parsed[key])
          : undefined;
      return { id: pick('id'), status: pick('status') };
    } catch {
      return {};
    }
  }
  const form = new URLSearchParams(text);
  return { id: form.get('id') ?? undefined, status: form.get('status') ?? undefined };
}
