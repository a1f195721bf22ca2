import type { Logger } from 'pino';
import type { Actor, Role } from '../context.ts';
import type { Keys } from '../crypto.ts';
import type { Db } from '../db/db.ts';
import type { Mailer } from '../mail.ts';
import type { Metrics } from '../metrics.ts';

/** What an SMS provider answered on acceptance: its name and message id, for callbacks. */
export type SmsAccepted = { provider: string; providerId: string | null };

/** What a credential resolves to. */
export type Authenticated = {
  actor: Actor;
  userId: string | null;
  sessionId: string | null;
  orgId: string | null;
  role: Role | null;
  /** Cookie-authenticated requests need a CSRF token on changes; Bearer ones do not. */
  via: 'session' | 'token';
  /** The session's secret, to derive its CSRF token. */
  sessionToken: string | null;
};

export type RequestAuth = Authenticated | null;

/** Resolves credentials to an identity; implemented by the orgs domain. */
export type Authenticator = {
  bySessionToken(token: string, now: Date): Promise<Authenticated | null>;
  byApiToken(token: string, now: Date): Promise<Authenticated | null>;
};

export type Deps = {
  db: Db;
  keys: Keys;
  logger: Logger;
  authenticator: Authenticator;
  /** The clock; tests replace it. */
  now: () => Date;
  /** 'auto' marks cookies Secure when the request came over HTTPS. */
  cookieSecure: 'auto' | 'true' | 'false';
  /** Take the client address, host and scheme from X-Forwarded-* (only behind a proxy). */
  trustProxy: boolean;
  /** Where the public pages live, without a trailing slash. */
  publicUrl: string;
  /** Built web UI to serve under `/`, if any. */
  webRoot: string | null;
  /** Outgoing mail (SMTP); without it mail stays queued. */
  mailer?: Mailer;
  /** Outgoing SMS (a provider adapter, src/messaging/sms.ts); without it no SMS is sent. */
  sms?: {
    readonly isConfigured: boolean;
    send(message: { to: string; text: string }): Promise<void>;
    /** Sends and says what the provider answered (the id its delivery callbacks name). */
    deliver?(message: { to: string; text: string }): Promise<SmsAccepted>;
  };
  /** Shared secret the SMS provider's delivery callbacks carry (SMS_CALLBACK_SECRET). */
  smsCallbackSecret?: string | undefined;
  mailFeedbackSecret?: string | undefined;
  /** The process's metrics (shared with its scheduler); the app makes its own when absent. */
  metrics?: Metrics;
  /** Bearer token that `GET /metrics` requires (METRICS_TOKEN); no endpoint without it. */
  metricsToken?: string | undefined;
  /** DNS lookups of the deliverability check (tests point it at a local server). */
  dnsServers?: readonly string[];
  /**
   * Privacy portal limits (tests change them): code requests per client address and per
   * address asked for, and code checks per client address, in a 15-minute window.
   */
  portalRateLimits?: {
    codesPerClientIp: number;
    codesPerAddress: number;
    checksPerClientIp: number;
  };
  /**
   * Public submissions allowed per minute, per client address and per form (tests change
   * them); 20 and 600 when left out.
   */
  submitRateLimits?: { perClientIp: number; perForm: number };
  /**
   * Limits of the site checker's server-side fetch (tests change them). `allowPrivate` lets a
   * checked address be private or loopback: for tests and intranet installs only.
   */
  siteCheck?: { allowPrivate?: boolean; timeoutMs?: number; maxBytes?: number };
};

export type AppEnv = {
  Variables: {
    requestId: string;
    deps: Deps;
    auth: RequestAuth | undefined;
  };
};
