import type { Context } from 'hono';
import type { Ctx } from '../context.ts';
import type { AppEnv, RequestAuth } from './app-env.ts';
import { requireOrgAuth } from './auth.ts';

/** Builds a service context from a request authorized for the current organization. */
export function orgCtx(c: Context<AppEnv>, auth: RequestAuth): Ctx {
  const scoped = requireOrgAuth(auth);
  const deps = c.get('deps');
  return {
    db: deps.db,
    keys: deps.keys,
    orgId: scoped.orgId,
    actor: scoped.actor,
    role: scoped.role ?? 'auditor',
    now: deps.now(),
    requestId: c.get('requestId'),
    route: `${c.req.method} ${c.req.routePath}`,
    publicUrl: deps.publicUrl,
  };
}
