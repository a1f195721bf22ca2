import type { SmsAccepted } from '../platform/http/app-env.ts';

export type { SmsAccepted };

/** One text message to one phone number (E.164). */
export type SmsMessage = { to: string; text: string };

/**
 * Sends SMS through a provider. An install without a provider keeps `isConfigured` false and
 * refuses to send, so callers can say so instead of pretending a code went out.
 */
export type SmsSender = {
  readonly isConfigured: boolean;
  send(message: SmsMessage): Promise<void>;
  /** Sends and returns the provider's name and message id (for delivery callbacks). */
  deliver?(message: SmsMessage): Promise<SmsAccepted>;
};

/** A refusal by the provider: only the HTTP status is kept, never the body (it may echo the number). */
export class SmsSendError extends Error {
  constructor(
    readonly status: number | null,
    /** The provider's own error code, when it answered one (SMSC: 1–9). */
    readonly providerCode: number | null = null,
  ) {
    super(
      status === null
        ? 'The SMS provider did not answer'
        : providerCode === null
          ? `The SMS provider answered ${status}`
          : `The SMS provider refused with error ${providerCode}`,
    );
    this.name = 'SmsSendError';
  }
}

export type SmsWebhookConfig = {
  /** SMS_WEBHOOK_URL: receives POST {"to": "+7…", "text": "…"} as JSON. */
  url: string | undefined;
  /** SMS_WEBHOOK_TOKEN: sent as `Authorization: Bearer <token>` when set. */
  token: string | undefined;
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A generic HTTP webhook adapter: most Russian SMS gateways (or a small relay in front of one)
 * take a JSON POST. Any 2xx answer counts as accepted; anything else is an SmsSendError.
 */
export function createWebhookSmsSender(config: SmsWebhookConfig): SmsSender {
  const { url, token } = config;
  if (!url) {
    return {
      isConfigured: false,
      async send() {
        throw new Error('SMS is not configured (set SMS_WEBHOOK_URL)');
      },
    };
  }
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deliver = async (message: SmsMessage): Promise<SmsAccepted> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ to: message.to, text: message.text }),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new SmsSendError(null);
    }
    // Only an accepted answer's `id` is read; the rest is not ours to log.
    const text = await response.text().catch(() => '');
    if (!response.ok) throw new SmsSendError(response.status);
    let providerId: string | null = null;
    try {
      const answer = JSON.parse(text) as { id?: unknown };
      if (typeof answer.id === 'string' || typeof answer.id === 'number') {
        providerId = String(answer.id);
      }
    } catch {
      providerId = null;
    }
    return { provider: 'webhook', providerId };
  };
  return {
    isConfigured: true,
    async send(message) {
      await deliver(message);
    },
    deliver,
  };
}

export type SmscConfig = {
  /** SMSC_URL: the provider's base address (https://smsc.ru; tests use a local server). */
  url: string;
  login: string;
  password: string;
  /** An approved sender name, when the account has one. */
  sender?: string | undefined;
  timeoutMs?: number;
};

/**
 * An SMSC.ru-style adapter: POST /sys/send.php with login, psw, phones, mes, fmt=3 (a JSON
 * answer), charset=utf-8. The answer `{"id": …, "cnt": …}` accepts the message; `{"error": …,
 * "error_code": …}` refuses it. The message id is the one the status callbacks name.
 */
export function createSmscSender(config: SmscConfig): SmsSender {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deliver = async (message: SmsMessage): Promise<SmsAccepted> => {
    const form = new URLSearchParams({
      login: config.login,
      psw: config.password,
      phones: message.to.replace(/^\+/, ''),
      mes: message.text,
      fmt: '3',
      charset: 'utf-8',
      ...(config.sender ? { sender: config.sender } : {}),
    });
    let response: Response;
    try {
      response = await fetch(`${config.url}/sys/send.php`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new SmsSendError(null);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw new SmsSendError(response.status);
    let answer: { id?: unknown; error_code?: unknown };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new SmsSendError(response.status);
    }
    if (answer.error_code !== undefined || answer.id === undefined) {
      // Only the numeric code is kept: the error text may repeat the number.
      const code = Number(answer.error_code);
      throw new SmsSendError(response.status, Number.isFinite(code) ? code : null);
    }
    return { provider: 'smsc', providerId: String(answer.id) };
  };
  return {
    isConfigured: true,
    async send(message) {
      await deliver(message);
    },
    deliver,
  };
}

/** The provider this install uses: SMSC when configured, else the webhook (or none). */
export function createSmsSender(config: {
  smsc: SmscConfig | undefined;
  smsWebhook: SmsWebhookConfig;
}): SmsSender {
  return config.smsc ? createSmscSender(config.smsc) : createWebhookSmsSender(config.smsWebhook);
}
