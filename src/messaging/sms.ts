/** One text message to one phone number (E.164). */
export type SmsMessage = { to: string; text: string };

/**
 * Sends SMS through a provider. An install without a provider keeps `isConfigured` false and
 * refuses to send, so callers can say so instead of pretending a code went out.
 */
export type SmsSender = {
  readonly isConfigured: boolean;
  send(message: SmsMessage): Promise<void>;
};

/** A refusal by the provider: only the HTTP status is kept, never the body (it may echo the number). */
export class SmsSendError extends Error {
  constructor(readonly status: number | null) {
    super(
      status === null ? 'The SMS webhook did not answer' : `The SMS webhook answered ${status}`,
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
  return {
    isConfigured: true,
    async send(message) {
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
      // The body is read and dropped: it is not ours to log.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new SmsSendError(response.status);
    },
  };
}
