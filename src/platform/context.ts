import type { Keys } from './crypto.ts';
import type { Db } from './db/db.ts';

export const ROLES = [
  'owner',
  'admin',
  'front_desk',
  'marketer',
  'privacy_officer',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Who acts: a signed-in user, an integration's API token, or the system (scheduler, CLI). */
export type Actor =
  | { type: 'user'; userId: string; sessionId: string | null }
  | { type: 'token'; tokenId: string }
  | { type: 'system'; label: string };

/** What every service use case receives: dependencies, scope, actor and the clock. */
export type Ctx = {
  db: Db;
  keys: Keys;
  orgId: string;
  actor: Actor;
  role: Role;
  /** Logic never calls `new Date()`: tests move the clock through here. */
  now: Date;
  requestId: string | null;
  /** The route or command that acted, for the access log. */
  route: string | null;
  /** Where the public pages live (consent documents, forms), without a trailing slash. */
  publicUrl: string;
};

export function actorUserId(actor: Actor): string | null {
  return actor.type === 'user' ? actor.userId : null;
}

export function actorTokenId(actor: Actor): string | null {
  return actor.type === 'token' ? actor.tokenId : null;
}
