import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { AppError, type FieldErrors } from '../errors.ts';
import type { Permission } from '../permissions.ts';
import type { AppEnv, RequestAuth } from './app-env.ts';
import { requireAuth } from './auth.ts';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * Who may call a route: anyone; any signed-in user (with or without a current organization);
 * or a member of the current organization holding `permission`.
 */
export type RouteAccess = 'public' | 'user' | { permission: Permission };

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export type RouteInput<P, Q, B> = {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  auth: RequestAuth;
};

export type RouteResult = { status: number; body?: unknown } | Response;

export type RouteSpec<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
> = {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  params?: P;
  query?: Q;
  body?: B;
  /** Response schemas by status: the allow-list of fields that may leave the server. */
  responses: Record<number, Schema | null>;
  /** Hono's pattern when it must differ from `path` (a regex keeping two public paths apart). */
  honoPath?: string;
  /**
   * A public endpoint that other sites call from the browser (form snippets): no Origin check
   * and no credentials are read, so nothing a visitor's cookies could authorize happens here.
   */
  isCrossSite?: boolean;
  /** Reads the body itself (a form post as well as JSON); `body` then validates the result. */
  readBody?: (c: Context<AppEnv>) => Promise<unknown>;
  handler: (input: RouteInput<P, Q, B>, c: Context<AppEnv>) => Promise<RouteResult>;
};

/** Declares a route; the same spec drives validation, types and `/openapi.json`. */
export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

// A route without a body or query schema accepts none (or an empty object): unknown fields
// are refused rather than silently dropped.
const ZEmptyBody = z.strictObject({}).optional();
const ZEmptyQuery = z.strictObject({});

export function mountRoutes(app: Hono<AppEnv>, routes: readonly RouteSpec[]): void {
  for (const route of routes) {
    const honoPath = route.honoPath ?? route.path;
    app.on(route.method.toUpperCase(), honoPath, async (c) => {
      const auth =
        route.isCrossSite && route.access === 'public' ? null : await requireAuth(c, route.access);
      const params = parseWith(route.params, c.req.param(), 'params');
      const query = parseWith(route.query ?? ZEmptyQuery, c.req.query(), 'query');
      const hasBody = route.method !== 'get';
      const rawBody = hasBody ? await (route.readBody ?? readJsonBody)(c) : undefined;
      const body = hasBody ? parseWith(route.body ?? ZEmptyBody, rawBody, 'body') : undefined;
      const result = await route.handler({ params, query, body, auth }, c);
      if (result instanceof Response) return result;
      const schema = route.responses[result.status];
      if (schema === undefined) {
        throw new Error(`Route ${route.method} ${route.path} answered undeclared ${result.status}`);
      }
      if (schema === null || result.status === 204) return c.body(null, result.status as 204);
      return c.json(schema.parse(result.body), result.status as 200);
    });
  }
}

function parseWith(schema: Schema | undefined, value: unknown, target: string): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError('validation_failed', `Invalid ${target}`, {
    fields: fieldErrors(parsed.error),
  });
}

export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    const messages = fields[key] ?? [];
    messages.push(issue.message);
    fields[key] = messages;
    if (issue.code === 'unrecognized_keys') {
      for (const unknownKey of issue.keys) {
        const path = [...issue.path, unknownKey].join('.');
        fields[path] = [...(fields[path] ?? []), 'Unknown field'];
      }
    }
  }
  return fields;
}

async function readJsonBody(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON');
  }
}
