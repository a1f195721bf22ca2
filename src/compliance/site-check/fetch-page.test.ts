import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from './check-site.ts';
import { fetchPage, isPublicAddress, SiteFetchError } from './fetch-page.ts';

// Real local HTTP servers, no mocks: a site with pages, redirects, a stall and a flood.
type Site = { server: Server; base: string; port: number; hits: string[] };

async function startSite(
  handler: (request: IncomingMessage, response: ServerResponse, site: Site) => void,
): Promise<Site> {
  const site = { hits: [] as string[] } as unknown as Site;
  const server = createServer((request, response) => {
    site.hits.push(request.url ?? '');
    handler(request, response, site);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(site, { server, port, base: `http://127.0.0.1:${port}` });
  return site;
}

const PAGE = `<!doctype html><html><head><title>Клиника</title></head><body>
<form action="/lead"><input type="tel" name="phone"><button>Отправить</button></form>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></body></html>`;

let site: Site;
let other: Site;
const openResponses: ServerResponse[] = [];

beforeAll(async () => {
  other = await startSite((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<p>other</p>');
  });
  site = await startSite((request, response) => {
    const url = request.url ?? '/';
    if (url === '/page') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (url === '/moved') {
      response.writeHead(301, { location: '/page' }).end();
    } else if (url === '/to-localhost') {
      response.writeHead(302, { location: `http://localhost:${other.port}/` }).end();
    } else if (url === '/to-metadata') {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    } else if (url === '/to-file') {
      response.writeHead(302, { location: 'file:///etc/passwd' }).end();
    } else if (url.startsWith('/loop')) {
      const step = Number(url.slice('/loop'.length) || '0');
      response.writeHead(302, { location: `/loop${step + 1}` }).end();
    } else if (url === '/json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else if (url === '/missing') {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<p>no</p>');
    } else if (url === '/stall-headers') {
      openResponses.push(response);
    } else if (url === '/stall-body') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.write('<html><body>');
      openResponses.push(response);
    } else if (url === '/flood') {
      response.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) {
          // keep writing until the socket pushes back
        }
        if (!response.destroyed) response.once('drain', pump);
      };
      response.on('close', () => response.removeAllListeners('drain'));
      pump();
    } else if (url === '/declared-large') {
      response.writeHead(200, {
        'content-type': 'text/html',
        'content-length': String(10_000_000),
      });
      response.write('<p>');
      openResponses.push(response);
    } else if (url === '/gzip') {
      response
        .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.from('<h1>Сжато</h1>')));
    } else if (url === '/gzip-bomb') {
      response
        .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.alloc(2_000_000, 'a')));
    } else if (url === '/cp1251') {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          Buffer.concat([
            Buffer.from('<meta charset="windows-1251"><h1>'),
            Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]),
            Buffer.from('</h1>'),
          ]),
        );
    } else {
      response.writeHead(404).end();
    }
  });
});

afterAll(async () => {
  for (const response of openResponses) response.destroy();
  for (const server of [site.server, other.server]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function failure(promise: Promise<unknown>): Promise<SiteFetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SiteFetchError) return error;
    throw error;
  }
  throw new Error('expected the fetch to fail');
}

describe('isPublicAddress', () => {
  it('accepts ordinary public addresses', () => {
    for (const address of ['93.184.216.34', '77.88.55.242', '2a02:6b8::2:242']) {
      expect(isPublicAddress(address)).toBe(true);
    }
  });
  it('refuses private, loopback, link-local, unique-local, multicast and unspecified ones', () => {
    for (const address of [
      '127.0.0.1',
      '127.1.2.3',
      '10.0.0.5',
      '172.16.4.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.251',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
      'not an address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});

describe('fetchPage SSRF protection', () => {
  it('refuses 127.0.0.1 and never connects', async () => {
    const error = await failure(fetchPage(`${site.base}/page`));
    expect(error.code).toBe('ssrf_refused');
    expect(site.hits).not.toContain('/page');
  });

  it('refuses the cloud metadata address 169.254.169.254', async () => {
    const error = await failure(fetchPage('http://169.254.169.254/latest/meta-data/'));
    expect(error.code).toBe('ssrf_refused');
  });

  it('refuses a name that resolves to loopback (localhost)', async () => {
    const hitsBefore = other.hits.length;
    const error = await failure(fetchPage(`http://localhost:${other.port}/`));
    expect(error.code).toBe('ssrf_refused');
    expect(other.hits.length).toBe(hitsBefore);
  });

  it('refuses IPv6 loopback and an IPv4-mapped form of 127.0.0.1', async () => {
    expect((await failure(fetchPage(`http://[::1]:${site.port}/page`))).code).toBe('ssrf_refused');
    expect((await failure(fetchPage(`http://[::ffff:7f00:1]:${site.port}/page`))).code).toBe(
      'ssrf_refused',
    );
    // The URL parser turns decimal forms into dotted ones: still loopback.
    expect((await failure(fetchPage(`http://2130706433:${site.port}/page`))).code).toBe(
      'ssrf_refused',
    );
  });

  it('refuses schemes other than http and https, and addresses with credentials', async () => {
    expect((await failure(fetchPage('file:///etc/passwd'))).code).toBe('unsupported_scheme');
    expect((await failure(fetchPage('ftp://example.com/'))).code).toBe('unsupported_scheme');
    expect((await failure(fetchPage('not a url'))).code).toBe('invalid_url');
    expect((await failure(fetchPage('http://user:secret@example.com/'))).code).toBe('invalid_url');
  });

  it('with allowPrivate fetches the named local site, follows its redirects and checks the page', async () => {
    const page = await fetchPage(`${site.base}/moved`, { allowPrivate: true });
    expect(page.status).toBe(200);
    expect(page.finalUrl).toBe(`${site.base}/page`);
    expect(page.redirects).toEqual([`${site.base}/page`]);
    expect(page.address).toBe('127.0.0.1');
    const codes = checkSite(page.html, { url: page.finalUrl }).findings.map((f) => f.code);
    expect(codes).toContain('foreign_tracker');
    expect(codes).toContain('consent_missing');
  });

  it('refuses a redirect to another private host even with allowPrivate for the first hop', async () => {
    const hitsBefore = other.hits.length;
    const toLocalhost = await failure(
      fetchPage(`${site.base}/to-localhost`, { allowPrivate: true }),
    );
    expect(toLocalhost.code).toBe('ssrf_refused');
    expect(other.hits.length).toBe(hitsBefore);
    const toMetadata = await failure(fetchPage(`${site.base}/to-metadata`, { allowPrivate: true }));
    expect(toMetadata.code).toBe('ssrf_refused');
    expect(toMetadata.details).toMatchObject({ address: '169.254.169.254' });
  });

  it('refuses a redirect to another scheme and stops after too many redirects', async () => {
    expect((await failure(fetchPage(`${site.base}/to-file`, { allowPrivate: true }))).code).toBe(
      'unsupported_scheme',
    );
    const loop = await failure(
      fetchPage(`${site.base}/loop`, { allowPrivate: true, maxRedirects: 3 }),
    );
    expect(loop.code).toBe('too_many_redirects');
  });
});

describe('fetchPage limits', () => {
  it('times out on a server that never answers', async () => {
    const error = await failure(
      fetchPage(`${site.base}/stall-headers`, { allowPrivate: true, timeoutMs: 300 }),
    );
    expect(error.code).toBe('fetch_timeout');
  });

  it('times out on a body that stops in the middle', async () => {
    const error = await failure(
      fetchPage(`${site.base}/stall-body`, { allowPrivate: true, timeoutMs: 300 }),
    );
    expect(error.code).toBe('fetch_timeout');
  });

  it('stops reading a page that streams past the size limit', async () => {
    const error = await failure(
      fetchPage(`${site.base}/flood`, { allowPrivate: true, maxBytes: 256 * 1024 }),
    );
    expect(error.code).toBe('too_large');
  });

  it('refuses a declared length over the limit before reading', async () => {
    const error = await failure(
      fetchPage(`${site.base}/declared-large`, { allowPrivate: true, maxBytes: 1024 * 1024 }),
    );
    expect(error.code).toBe('too_large');
  });

  it('limits the decompressed size, not only the bytes on the wire', async () => {
    const error = await failure(
      fetchPage(`${site.base}/gzip-bomb`, { allowPrivate: true, maxBytes: 1024 * 1024 }),
    );
    expect(error.code).toBe('too_large');
    const page = await fetchPage(`${site.base}/gzip`, { allowPrivate: true });
    expect(page.html).toBe('<h1>Сжато</h1>');
  });

  it('reads only HTML and reports an error status', async () => {
    expect((await failure(fetchPage(`${site.base}/json`, { allowPrivate: true }))).code).toBe(
      'not_html',
    );
    const missing = await failure(fetchPage(`${site.base}/missing`, { allowPrivate: true }));
    expect(missing.code).toBe('http_error');
    expect(missing.details).toEqual({ status: 404 });
  });

  it('decodes a windows-1251 page by its meta charset', async () => {
    const page = await fetchPage(`${site.base}/cp1251`, { allowPrivate: true });
    expect(page.html).toContain('<h1>Привет</h1>');
  });
});
