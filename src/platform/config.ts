import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const ZEnv = z.object({
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  KEYSTORE_URL: z.string().optional(),
  MASTER_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'MASTER_KEY must be 64 hex characters (32 bytes)')
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Soglasie <no-reply@localhost>'),
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SUBMIT_RATE_PER_IP: z.coerce.number().int().min(1).default(20),
  SUBMIT_RATE_PER_FORM: z.coerce.number().int().min(1).default(600),
  SMS_WEBHOOK_URL: z.url().or(z.literal('')).optional(),
  SMS_WEBHOOK_TOKEN: z.string().optional(),
  SMSC_URL: z.url().or(z.literal('')).optional(),
  SMSC_LOGIN: z.string().optional(),
  SMSC_PASSWORD: z.string().optional(),
  SMSC_SENDER: z.string().optional(),
  SMS_CALLBACK_SECRET: z.string().optional(),
  MAIL_FEEDBACK_SECRET: z.string().optional(),
  METRICS_TOKEN: z
    .string()
    .min(16, 'METRICS_TOKEN must be at least 16 characters')
    .or(z.literal(''))
    .optional(),
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY: z.string().optional(),
});

export type Config = {
  databaseUrl: string | undefined;
  /** HTTP worker processes on PostgreSQL (the embedded database allows one). */
  workers: number;
  /** Connections to PostgreSQL per process. */
  poolSize: number;
  dataDir: string;
  /** Where subject keys live, apart from the data (see openKeyStore). */
  keystoreUrl: string | undefined;
  masterKey: Buffer;
  port: number;
  host: string;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
  cookieSecure: 'auto' | 'true' | 'false';
  /** Behind a reverse proxy: take the client address, host and scheme from X-Forwarded-*. */
  trustProxy: boolean;
  /** smtp://user:password@host:port or smtps://…; mail stays queued without it. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Public form submissions allowed per minute per client address and per form. */
  submitRateLimits: { perClientIp: number; perForm: number };
  /** SMS provider webhook (POST JSON {to, text}) and its bearer token; no SMS without it. */
  smsWebhook: { url: string | undefined; token: string | undefined };
  /** An SMSC.ru-style provider (GET /sys/send.php); used instead of the webhook when set. */
  smsc: { url: string; login: string; password: string; sender: string | undefined } | undefined;
  /** Shared secret of the provider's delivery-status callbacks (POST /hooks/sms/:provider). */
  smsCallbackSecret: string | undefined;
  /** Shared secret of mail feedback reports: complaints and late bounces (POST /hooks/mail/feedback). */
  mailFeedbackSecret: string | undefined;
  /** Bearer token of Prometheus scrapes (GET /metrics); the endpoint is off without it. */
  metricsToken: string | undefined;
  /** DKIM signing of outgoing mail; all three of DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY. */
  dkim: { domain: string; selector: string; privateKey: string } | undefined;
};

/**
 * Reads the environment. Without MASTER_KEY, an embedded install keeps a generated key in
 * DATA_DIR/master.key so that `npm start` works on a fresh machine; production sets MASTER_KEY.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  const dataDir = path.resolve(values.DATA_DIR);
  if (values.DATABASE_URL && !values.MASTER_KEY) {
    // A server install must not depend on a key file beside one app node: set it explicitly.
    throw new Error('Invalid configuration:\nMASTER_KEY is required when DATABASE_URL is set');
  }
  const dkimValues = [values.DKIM_DOMAIN, values.DKIM_SELECTOR, values.DKIM_PRIVATE_KEY];
  if (dkimValues.some(Boolean) && !dkimValues.every(Boolean)) {
    throw new Error(
      'Invalid configuration:\nDKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY go together',
    );
  }
  const masterKey = values.MASTER_KEY
    ? Buffer.from(values.MASTER_KEY, 'hex')
    : loadOrCreateLocalKey(dataDir);
  return {
    databaseUrl: values.DATABASE_URL || undefined,
    poolSize: values.DATABASE_POOL_SIZE,
    workers: values.WORKERS,
    dataDir,
    keystoreUrl: values.KEYSTORE_URL || undefined,
    masterKey,
    port: values.PORT,
    host: values.HOST,
    publicUrl: values.PUBLIC_URL,
    logLevel: values.LOG_LEVEL,
    cookieSecure: values.COOKIE_SECURE,
    trustProxy: values.TRUST_PROXY === 'true',
    smtpUrl: values.SMTP_URL || undefined,
    mailFrom: values.MAIL_FROM,
    submitRateLimits: {
      perClientIp: values.SUBMIT_RATE_PER_IP,
      perForm: values.SUBMIT_RATE_PER_FORM,
    },
    smsWebhook: {
      url: values.SMS_WEBHOOK_URL || undefined,
      token: values.SMS_WEBHOOK_TOKEN || undefined,
    },
    smsc:
      values.SMSC_URL && values.SMSC_LOGIN && values.SMSC_PASSWORD
        ? {
            url: values.SMSC_URL.replace(/\/+$/, ''),
            login: values.SMSC_LOGIN,
            password: values.SMSC_PASSWORD,
            sender: values.SMSC_SENDER || undefined,
          }
        : undefined,
    smsCallbackSecret: values.SMS_CALLBACK_SECRET || undefined,
    mailFeedbackSecret: values.MAIL_FEEDBACK_SECRET || undefined,
    metricsToken: values.METRICS_TOKEN || undefined,
    dkim:
      values.DKIM_DOMAIN && values.DKIM_SELECTOR && values.DKIM_PRIVATE_KEY
        ? {
            domain: values.DKIM_DOMAIN,
            selector: values.DKIM_SELECTOR,
            // A PEM key in one environment line keeps its newlines as \n.
            privateKey: values.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'),
          }
        : undefined,
  };
}

function loadOrCreateLocalKey(dataDir: string): Buffer {
  const keyPath = path.join(dataDir, 'master.key');
  if (existsSync(keyPath)) {
    return Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'hex');
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(keyPath, `${key.toString('hex')}\n`, { mode: 0o600 });
  return key;
}

/** Where people reach the server: PUBLIC_URL, or the local address for a local install. */
export function publicUrlOf(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return (config.publicUrl ?? `http://${host}:${config.port}`).replace(/\/+$/, '');
}
