import type { TestApp } from './app.ts';

export type Answer<T = Record<string, unknown>> = {
  status: number;
  body: T;
  headers: Headers;
};

type CallOptions = {
  body?: unknown;
  /** Sent as is (malformed JSON, huge bodies). */
  raw?: string;
  headers?: Record<string, string>;
  /** Leave out the CSRF header, to test its refusal. */
  withoutCsrf?: boolean;
};

/** A browser-like client over app.request(): keeps cookies and sends the CSRF header. */
export class Client {
  readonly cookies = new Map<string, string>();
  bearer: string | null = null;

  constructor(private readonly testApp: TestApp) {}

  get csrfToken(): string | undefined {
    return this.cookies.get('sg_csrf');
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (method !== 'GET' && !options.withoutCsrf && this.csrfToken) {
      headers['x-csrf-token'] = this.csrfToken;
    }
    let body: string | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] ??= 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await this.testApp.app.request(path, { method, headers, body });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (!name) continue;
      const text = value.join('=');
      if (text === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), text);
    }
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as T) : (undefined as T);
    return { status: response.status, body: parsed, headers: response.headers };
  }

  get<T = Record<string, unknown>>(path: string, options?: CallOptions) {
    return this.call<T>('GET', path, options);
  }
  post<T = Record<string, unknown>>(path: string, body?: unknown, options?: CallOptions) {
    return this.call<T>('POST', path, { ...options, body });
  }
  patch<T = Record<string, unknown>>(path: string, body?: unknown, options?: CallOptions) {
    return this.call<T>('PATCH', path, { ...options, body });
  }
  delete<T = Record<string, unknown>>(path: string, options?: CallOptions) {
    return this.call<T>('DELETE', path, options);
  }
}

export async function signIn(testApp: TestApp, email: string, password: string): Promise<Client> {
  const client = new Client(testApp);
  const answer = await client.post('/api/v1/auth/login', { email, password });
  if (answer.status !== 200) {
    throw new Error(`Sign-in failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return client;
}

export function bearerClient(testApp: TestApp, token: string): Client {
  const client = new Client(testApp);
  client.bearer = token;
  return client;
}
