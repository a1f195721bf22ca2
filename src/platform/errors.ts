/**
 * Stable error codes. The UI looks up its Russian or English text by code;
 * `message` is English and meant for logs and integrators.
 */
export type ErrorCode =
  /** The request body, query or params failed validation; see `fields`. */
  | 'validation_failed'
  /** The body is not parseable JSON. */
  | 'invalid_json'
  /** The body is larger than the route allows. */
  | 'payload_too_large'
  /** The content type is not one the route accepts. */
  | 'unsupported_media_type'
  /** No valid session or API token. */
  | 'unauthenticated'
  /** Email and password do not match an account. */
  | 'invalid_credentials'
  /** Too many failed logins; try again after `Retry-After` seconds. */
  | 'too_many_attempts'
  /** A cookie-authenticated change came without a matching CSRF token. */
  | 'csrf_failed'
  /** Authenticated, but the role lacks the permission. */
  | 'forbidden'
  /** No such record in the caller's organization. */
  | 'not_found'
  /** The record already exists (unique key). */
  | 'conflict'
  /** The first-run setup was already done. */
  | 'setup_done'
  /** The request is well-formed but breaks a rule; see `details`. */
  | 'rule_violated'
  /** Too many requests from one source. */
  | 'rate_limited'
  /** A form submission's values are wrong; see `fields`. */
  | 'submission_invalid'
  /** A required consent was not given; `details.purposes` names them. */
  | 'consent_required'
  /** The submission looks automated (honeypot filled). */
  | 'spam_suspected'
  /** The organization requires acknowledging its internal regulation before reading personal data. */
  | 'acknowledgement_required'
  /** A page to check could not be fetched; `details.reason` says why (e.g. `ssrf_refused`). */
  | 'site_fetch_failed'
  /** A webhook's signature or token does not match the integration's secret. */
  | 'signature_invalid'
  /** An unexpected server error; see `requestId` in the logs. */
  | 'internal';

/** The one place where codes meet HTTP. */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  invalid_credentials: 401,
  too_many_attempts: 429,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  setup_done: 409,
  rule_violated: 422,
  rate_limited: 429,
  submission_invalid: 422,
  consent_required: 422,
  spam_suspected: 422,
  acknowledgement_required: 403,
  site_fetch_failed: 422,
  signature_invalid: 401,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

export type FieldErrors = Record<string, string[]>;

/** The one error type services throw; `onError` turns it into `{ error: { code, message, fields? } }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      fields?: FieldErrors;
      details?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.fields = options.fields;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`Unreachable value: ${String(value)}`);
}
