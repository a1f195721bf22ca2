export type FieldErrors = Record<string, string[]>;

type ErrorBody = {
  error?: {
    code?: unknown;
    message?: unknown;
    fields?: unknown;
    details?: unknown;
  };
};

/** A failed API call: the server's error code, or a client code when no answer could be read. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;
  readonly details: Record<string, unknown>;
  readonly retryAfterSeconds: number | null;

  constructor(options: {
    status: number;
    code: string;
    message: string;
    fields?: FieldErrors;
    details?: Record<string, unknown>;
    retryAfterSeconds?: number | null;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.fields = options.fields ?? {};
    this.details = options.details ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const CSRF_COOKIE = 'sg_csrf';
const CSRF_HEADER = 'X-CSRF-Token';

// Fallback for the CSRF token when the cookie cannot be read; set from the Me body.
let knownCsrfToken: string | null = null;
let unauthenticatedListener: (() => void) | null = null;

export function rememberCsrfToken(token: string | null): void {
  knownCsrfToken = token;
}

/** Called when a request made while signed in comes back 401, e.g. the session expired. */
export function onUnauthenticated(listener: (() => void) | null): void {
  unauthenticatedListener = listener;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [rawKey, ...rest] = part.trim().split('=');
    if (rawKey === name) {
      return decodeURIComponent(rest.join('='));
    }
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toFieldErrors(value: unknown): FieldErrors {
  if (!isObject(value)) {
    return {};
  }
  const fields: FieldErrors = {};
  for (const [key, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) {
      fields[key] = messages.map(String);
    } else if (typeof messages === 'string') {
      fields[key] = [messages];
    }
  }
  return fields;
}

function parseRetryAfter(response: Response, details: Record<string, unknown>): number | null {
  const fromDetails = details.retryAfterSeconds;
  if (typeof fromDetails === 'number' && Number.isFinite(fromDetails)) {
    return Math.max(0, Math.ceil(fromDetails));
  }
  const header = response.headers.get('Retry-After');
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) {
      return Math.max(0, Math.ceil(seconds));
    }
  }
  return null;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: ErrorBody | null = null;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = null;
  }
  const error = body?.error;
  if (!error || typeof error.code !== 'string') {
    // A bare 502–504 comes from a proxy in front of the app: the server itself is unreachable.
    const isGateway = response.status >= 502 && response.status <= 504;
    return new ApiError({
      status: response.status,
      code: isGateway ? 'network_error' : response.status >= 500 ? 'internal' : 'bad_response',
      message: `HTTP ${response.status}`,
    });
  }
  const details = isObject(error.details) ? error.details : {};
  return new ApiError({
    status: response.status,
    code: error.code,
    message: typeof error.message === 'string' ? error.message : error.code,
    fields: toFieldErrors(error.fields),
    details,
    retryAfterSeconds: parseRetryAfter(response, details),
  });
}

export type QueryValue = string | number | null | undefined;

export function withQuery(path: string, query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function apiRequest<T>(
  method: Method,
  path: string,
  options: { body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE) ?? knownCsrfToken;
    if (csrf) {
      headers[CSRF_HEADER] = csrf;
    }
  }

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') {
      throw cause;
    }
    throw new ApiError({ status: 0, code: 'network_error', message: String(cause) });
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.code === 'unauthenticated') {
      unauthenticatedListener?.();
    }
    throw error;
  }
  if (response.status === 204) {
    return undefined as T;
  }
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError({ status: response.status, code: 'bad_response', message: 'Invalid JSON' });
  }
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>('GET', path, { signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body }),
  delete: <T = void>(path: string) => apiRequest<T>('DELETE', path),
};
