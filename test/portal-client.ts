import type { TestApp } from './app.ts';

export type PageAnswer = { status: number; text: string; headers: Headers };

/**
 * A browser-like client for the server-rendered portal pages: keeps cookies per path (the
 * portal's live under /p), posts forms as a browser does and never follows redirects itself.
 */
export class PageClient {
  readonly cookies = new Map<string, { value: string; path: string }>();

  constructor(
    private readonly testApp: TestApp,
    private readonly defaults: Record<string, string> = { accept: 'text/html' },
  ) {}

  private cookieHeader(path: string): string | undefined {
    const sent = [...this.cookies]
      .filter(
        ([, cookie]) =>
          path === cookie.path || path.startsWith(`${cookie.path}/`) || cookie.path === '/',
      )
      .map(([name, cookie]) => `${name}=${cookie.value}`);
    return sent.length > 0 ? sent.join('; ') : undefined;
  }

  async request(
    method: string,
    path: string,
    options: { body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> } = {},
  ): Promise<PageAnswer> {
    const pathname = path.split('?')[0] ?? path;
    const cookie = this.cookieHeader(pathname);
    const headers: Record<string, string> = {
      ...this.defaults,
      ...(cookie ? { cookie } : {}),
      ...options.headers,
    };
    const response = await this.testApp.app.request(path, {
      method,
      headers,
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const [name = '', ...rest] = pair.split('=');
      const value = rest.join('=');
      const cookiePath =
        attributes.find((attribute) => /^path=/i.test(attribute))?.slice('path='.length) ?? '/';
      if (value === '' || attributes.some((attribute) => /^max-age=0$/i.test(attribute))) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, { value, path: cookiePath });
      }
    }
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  get(path: string, headers?: Record<string, string>): Promise<PageAnswer> {
    return this.request('GET', path, headers ? { headers } : {});
  }

  /** A form post as a browser sends it: urlencoded UTF-8, from the same origin. */
  postForm(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<PageAnswer> {
    return this.request('POST', path, {
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }
}

/** The value of a hidden input in a page. */
export function hiddenValue(page: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(page);
  if (!match?.[1]) throw new Error(`No hidden input ${name} in the page`);
  return match[1];
}

/** The href of the first link whose address matches. */
export function linkMatching(page: string, pattern: RegExp): string {
  const found = [...page.matchAll(/href="([^"]+)"/g)]
    .map((match) => match[1] ?? '')
    .find((href) => pattern.test(href));
  if (!found) throw new Error(`No link matching ${pattern} in the page`);
  return found.replace(/&amp;/g, '&');
}
