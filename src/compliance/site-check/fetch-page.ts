import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import ipaddr from 'ipaddr.js';
import { VERSION } from '../../version.ts';

/** Why a page could not be fetched; stable, shown by the CLI and the API (`details.reason`). */
export const FETCH_ERROR_CODES = [
  'invalid_url',
  'unsupported_scheme',
  'ssrf_refused',
  'dns_failed',
  'connection_failed',
  'fetch_timeout',
  'too_large',
  'not_html',
  'too_many_redirects',
  'http_error',
] as const;

export type FetchErrorCode = (typeof FETCH_ERROR_CODES)[number];

export class SiteFetchError extends Error {
  readonly code: FetchErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: FetchErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'SiteFetchError';
    this.code = code;
    this.details = details;
  }
}

export type FetchPageOptions = {
  /**
   * Lets the host named in the URL itself resolve to a private, loopback or link-local address
   * (an intranet site, a local test server). A redirect to any other host is checked as usual.
   */
  allowPrivate?: boolean;
  /** For the whole fetch: DNS, connection, redirects and body. */
  timeoutMs?: number;
  /** Of the body, after decompression; enforced while it streams. */
  maxBytes?: number;
  maxRedirects?: number;
};

export type FetchedPage = {
  /** The address asked for. */
  url: string;
  /** The address the page finally came from, after redirects. */
  finalUrl: string;
  redirects: string[];
  status: number;
  contentType: string;
  /** The IP address the page was read from. */
  address: string;
  bytes: number;
  html: string;
};

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const HTML_TYPE = /^\s*(?:text\/html|application\/xhtml\+xml)\b/i;

/**
 * Whether an address is an ordinary public one. Everything else — private (RFC 1918), loopback,
 * link-local (169.254.169.254, the cloud metadata service), unique-local, multicast, unspecified,
 * carrier-grade NAT, reserved and the IPv6 forms that embed IPv4 — is refused (SSRF).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}

type HopPolicy = { allowPrivate: boolean };

function refuse(host: string, address: string): SiteFetchError {
  return new SiteFetchError(
    'ssrf_refused',
    host === address
      ? `${address} is not a public address`
      : `${host} resolves to ${address}, which is not a public address`,
    { host, address },
  );
}

/** A DNS lookup that refuses the whole name when any of its addresses is not public. */
function guardedLookup(policy: HopPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) {
        callback(
          new SiteFetchError('dns_failed', `${hostname} could not be resolved`, {
            host: hostname,
          }) as NodeJS.ErrnoException,
          '',
          0,
        );
        return;
      }
      const list = addresses as LookupAddress[];
      const bad = list.find((entry) => !isPublicAddress(entry.address));
      if (bad && !policy.allowPrivate) {
        callback(refuse(hostname, bad.address) as NodeJS.ErrnoException, '', 0);
        return;
      }
      const first = list[0];
      if (!first) {
        callback(new SiteFetchError('dns_failed', `${hostname} has no address`), '', 0);
        return;
      }
      if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, list);
      else callback(null, first.address, first.family);
    });
  };
}

function parseUrl(value: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw new SiteFetchError('invalid_url', 'Not a valid address', { url: value });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SiteFetchError('unsupported_scheme', 'Only http and https addresses are checked', {
      url: url.href,
    });
  }
  if (url.username || url.password) {
    throw new SiteFetchError('invalid_url', 'Addresses with credentials are not fetched', {
      url: `${url.protocol}//${url.host}`,
    });
  }
  return url;
}

/**
 * Fetches one HTML page for the site checker, server-side, with SSRF protection: http and https
 * only; every hop's name resolved and refused when an address is not public (the connection
 * goes only to the checked addresses, and the connected address is checked again); redirects
 * limited and each checked; a deadline for the whole fetch; the size limited while streaming;
 * text/html only.
 */
export async function fetchPage(
  address: string,
  options: FetchPageOptions = {},
): Promise<FetchedPage> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const start = parseUrl(address);
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new SiteFetchError('fetch_timeout', `No complete answer within ${timeoutMs} ms`, {
        timeoutMs,
      }),
    );
  }, timeoutMs);
  try {
    const redirects: string[] = [];
    let current = start;
    for (;;) {
      // --allow-private covers the host the user named, not wherever a redirect points.
      const policy = {
        allowPrivate: Boolean(options.allowPrivate) && current.hostname === start.hostname,
      };
      const answer = await requestOnce(current, policy, controller.signal);
      const location = answer.response.headers.location;
      if (REDIRECT_STATUSES.has(answer.response.statusCode ?? 0) && location) {
        answer.response.resume();
        if (redirects.length >= maxRedirects) {
          throw new SiteFetchError('too_many_redirects', `More than ${maxRedirects} redirects`, {
            maxRedirects,
          });
        }
        current = parseUrl(location, current.href);
        redirects.push(current.href);
        continue;
      }
      const status = answer.response.statusCode ?? 0;
      if (status >= 400) {
        answer.response.resume();
        throw new SiteFetchError('http_error', `The server answered ${status}`, { status });
      }
      const contentType = String(answer.response.headers['content-type'] ?? '');
      if (!HTML_TYPE.test(contentType)) {
        answer.response.resume();
        throw new SiteFetchError('not_html', 'The address does not serve an HTML page', {
          contentType: contentType || null,
        });
      }
      const declared = Number(answer.response.headers['content-length'] ?? Number.NaN);
      const isIdentity = !answer.response.headers['content-encoding'];
      if (isIdentity && Number.isFinite(declared) && declared > maxBytes) {
        answer.response.destroy();
        throw new SiteFetchError('too_large', `The page is larger than ${maxBytes} bytes`, {
          maxBytes,
        });
      }
      const body = await readLimited(decoded(answer.response), maxBytes, controller.signal);
      return {
        url: start.href,
        finalUrl: current.href,
        redirects,
        status,
        contentType,
        address: answer.address,
        bytes: body.length,
        html: decodeHtml(body, contentType),
      };
    }
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof SiteFetchError) {
      throw controller.signal.reason;
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

type Answer = { response: IncomingMessage; address: string };

function requestOnce(url: URL, policy: HopPolicy, signal: AbortSignal): Promise<Answer> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A literal address skips DNS, so it is checked here.
  if (isIP(host) && !policy.allowPrivate && !isPublicAddress(host)) {
    return Promise.reject(refuse(host, host));
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'GET',
        lookup: guardedLookup(policy),
        signal,
        agent: false,
        headers: {
          'user-agent': `Soglasie-SiteCheck/${VERSION}`,
          accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
          'accept-encoding': 'gzip, deflate, br',
        },
      },
      (response) => {
        const address = response.socket.remoteAddress ?? '';
        // The address actually connected to is checked again.
        if (!policy.allowPrivate && !isPublicAddress(address)) {
          response.destroy();
          reject(refuse(host, address));
          return;
        }
        resolve({ response, address });
      },
    );
    request.on('socket', (socket: Socket) => {
      socket.on('connect', () => {
        const address = socket.remoteAddress ?? '';
        if (!policy.allowPrivate && !isPublicAddress(address)) {
          request.destroy(refuse(host, address));
        }
      });
    });
    request.on('error', (error) => {
      if (error instanceof SiteFetchError) reject(error);
      else if (signal.aborted) reject(signal.reason);
      else
        reject(
          new SiteFetchError('connection_failed', `Could not connect to ${url.host}`, {
            host: url.host,
            cause: (error as NodeJS.ErrnoException).code ?? null,
          }),
        );
    });
    request.end();
  });
}

function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '')
    .toLowerCase()
    .trim();
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(createGunzip());
  if (encoding === 'deflate') return response.pipe(createInflate());
  if (encoding === 'br') return response.pipe(createBrotliDecompress());
  return response;
}

function readLimited(stream: Readable, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onAbort = () => {
      stream.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        signal.removeEventListener('abort', onAbort);
        stream.destroy();
        reject(
          new SiteFetchError('too_large', `The page is larger than ${maxBytes} bytes`, {
            maxBytes,
          }),
        );
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks));
    });
    stream.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) reject(signal.reason);
      else
        reject(
          new SiteFetchError('connection_failed', 'The connection broke while reading the page', {
            cause: (error as NodeJS.ErrnoException).code ?? error.message,
          }),
        );
    });
  });
}

/** The charset from the header, else from a <meta> in the first bytes, else UTF-8. */
export function decodeHtml(body: Buffer, contentType: string): string {
  const fromHeader = /charset\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1];
  const head = body.subarray(0, 2048).toString('latin1');
  const fromMeta = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
  const label = fromHeader ?? fromMeta ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
