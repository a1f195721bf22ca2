import type { Locale } from '../i18n/locale.ts';

export type Permission = 'logs.read' | 'members.read' | 'members.manage' | 'tokens.manage';

export type Membership = {
  orgId: string;
  orgSlug: string;
  orgName: string;
  role: string;
};

export type Me = {
  user: { id: string; email: string; name: string; locale: Locale };
  memberships: Membership[];
  currentOrgId: string | null;
  role: string | null;
  permissions: string[];
  csrfToken: string;
};

export type SetupStatus = { needsSetup: boolean };

export type Actor = {
  type: 'user' | 'token' | 'system';
  id: string | null;
  label: string;
};

export type Page<T> = {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
};

export type AuditLogEntry = {
  id: number;
  at: string;
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
};

export type AccessLogEntry = {
  id: number;
  at: string;
  actor: Actor;
  subjectType: string;
  subjectId: string;
  fields: string[];
  reason: string;
  route: string | null;
  requestId: string | null;
};

export type Member = {
  userId: string;
  email: string;
  name: string;
  role: string;
  createdAt: string;
};

export type ApiToken = {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};

export type CreatedToken = { token: ApiToken; secret: string };

export type ItemList<T> = { items: T[] };
