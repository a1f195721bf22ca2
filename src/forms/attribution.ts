// What a lead's attribution may hold, and how it is cleaned before it is stored. Shared by the
// server and the embed snippet, so it imports nothing.

export const UTM_KEYS = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
] as const;
export const CLICK_ID_KEYS = ['yclid', 'gclid', 'vkclid'] as const;
export const ATTRIBUTION_KEYS = [
  ...UTM_KEYS,
  ...CLICK_ID_KEYS,
  'referrer',
  'landing_page',
  'visitor_id',
  'session_id',
  'tracking_phone',
] as const;
export type AttributionKey = (typeof ATTRIBUTION_KEYS)[number];

/** The query parameters worth keeping from a page address: the campaign, never the rest. */
const KEPT_PARAMETERS = new Set<string>([...UTM_KEYS, ...CLICK_ID_KEYS]);
const URL_KEYS = new Set<string>(['referrer', 'landing_page']);

export const MAX_URL_LENGTH = 1000;
export const MAX_VALUE_LENGTH = 200;

/**
 * A page address as it may be stored: http(s) only, without credentials, fragment or any
 * query parameter but utm_* and click ids. Those other parameters are where sites leak a
 * visitor's phone, email or session token, which must not reach the lead.
 */
export function cleanPageUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.username = '';
  url.password = '';
  url.hash = '';
  const kept = [...url.searchParams].filter(([name]) => KEPT_PARAMETERS.has(name));
  url.search = '';
  for (const [name, value] of kept) {
    url.searchParams.append(name, value.slice(0, MAX_VALUE_LENGTH));
  }
  let text = url.toString();
  if (text.length > MAX_URL_LENGTH) {
    url.search = '';
    text = url.toString().slice(0, MAX_URL_LENGTH);
  }
  return text;
}

function cleanValue(raw: string): string {
  // Control characters have no place in a campaign name and break logs and exports.
  return raw
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, MAX_VALUE_LENGTH);
}

/** The attribution to store: known keys only, page addresses cleaned, lengths capped. */
export function cleanAttribution(
  input: Partial<Record<AttributionKey, string | null | undefined>>,
): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const key of ATTRIBUTION_KEYS) {
    const raw = input[key];
    if (typeof raw !== 'string') continue;
    const value = URL_KEYS.has(key) ? cleanPageUrl(raw) : cleanValue(raw);
    if (value) clean[key] = value;
  }
  return clean;
}

/** The campaign parameters of a page address (utm_* and click ids), for a form shown there. */
export function campaignOf(search: URLSearchParams): Partial<Record<AttributionKey, string>> {
  const found: Partial<Record<AttributionKey, string>> = {};
  for (const key of KEPT_PARAMETERS) {
    const value = search.get(key);
    if (value) found[key as AttributionKey] = value;
  }
  return found;
}
