import type { Db, Tx } from './db.ts';

/** The non-owner role every request runs as, so row-level security applies. */
export const APP_ROLE = 'soglasie_app';

export type Scope = {
  /** The organization whose rows the transaction may see; null for global work (login). */
  orgId: string | null;
  /** The signed-in user, for policies on the user's own rows (their memberships). */
  userId?: string | null;
};

/**
 * Opens a transaction scoped to one organization: switches to the non-owner role
 * (superusers and PGlite's default role bypass RLS) and sets `app.org_id` for the policies.
 * Code that forgets `WHERE org_id = …` still sees only this organization's rows.
 */
export function withTx<T>(db: Db, scope: Scope, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work, {
    role: APP_ROLE,
    values: { 'app.org_id': scope.orgId ?? '', 'app.user_id': scope.userId ?? '' },
  });
}
