import type { Context } from 'hono';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http/app-env.ts';
import { ATTRIBUTION_KEYS } from './attribution.ts';

const TOP_LEVEL = new Set<string>(['idempotency_key', 'website', ...ATTRIBUTION_KEYS]);
const CHECKED = new Set(['on', 'true', '1', 'yes', 'да']);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** A post from a browser form (no script): the answer is a page, not JSON. */
export function isFormPost(c: Context<AppEnv>): boolean {
  return mediaTypeOf(c.req.header('content-type')).type === FORM_TYPE;
}

export function acceptsHtml(c: Context<AppEnv>): boolean {
  return /\btext\/html\b/i.test(c.req.header('accept') ?? '');
}

function mediaTypeOf(header: string | undefined): { type: string; charset: string | null } {
  const [type = '', ...parameters] = (header ?? '').split(';').map((part) => part.trim());
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^";]+)"?$/i.exec(parameter)?.[1])
    .find(Boolean);
  return { type: type.toLowerCase(), charset: charset?.toLowerCase() ?? null };
}

/**
 * Reads a submission sent as JSON or as a UTF-8 form post into the JSON shape. Anything else,
 * including a declared charset other than UTF-8 (an old site builder's windows-1251), is
 * refused with 415 rather than stored as mojibake.
 */
export async function readSubmitBody(c: Context<AppEnv>): Promise<unknown> {
  const { type, charset } = mediaTypeOf(c.req.header('content-type'));
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length === 0) return undefined;
  const isJson = JSON_TYPE.test(type);
  if (!isJson && type !== FORM_TYPE) {
    throw new AppError(
      'unsupported_media_type',
      'Send application/json or application/x-www-form-urlencoded',
    );
  }
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError('unsupported_media_type', `Send UTF-8, not ${charset.slice(0, 40)}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('unsupported_media_type', 'The body is not valid UTF-8');
  }
  if (!isJson) return parseFormPost(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON');
  }
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // Percent-escapes of windows-1251 bytes are not UTF-8 either.
    throw new AppError('unsupported_media_type', 'The form data is not UTF-8 percent-encoding');
  }
}

/**
 * `name=…&consent_<code>=on&consent_<code>_document=<id>&utm_source=…` into the JSON shape.
 * A box counts as ticked only when its own field arrives with a ticked value (R-C1).
 */
export function parseFormPost(text: string): Record<string, unknown> {
  const values = new Map<string, string>();
  const consents = new Map<string, { isGiven: boolean; documentId: string | null }>();
  const topLevel = new Map<string, string>();
  const consentOf = (code: string) => {
    const existing = consents.get(code) ?? { isGiven: false, documentId: null };
    consents.set(code, existing);
    return existing;
  };
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const key = decodeComponent(separator < 0 ? pair : pair.slice(0, separator));
    const value = separator < 0 ? '' : decodeComponent(pair.slice(separator + 1));
    const documentOf = /^consent_(.+)_document$/.exec(key);
    const boxOf = /^consent_(.+)$/.exec(key);
    if (TOP_LEVEL.has(key)) topLevel.set(key, value);
    else if (documentOf?.[1]) consentOf(documentOf[1]).documentId = value.trim() || null;
    else if (boxOf?.[1]) consentOf(boxOf[1]).isGiven = CHECKED.has(value.trim().toLowerCase());
    else values.set(key, value);
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
  return {
    ...Object.fromEntries(topLevel),
    values: Object.fromEntries(values),
    consents: Object.fromEntries(consents),
  };
}
