// The answer of POST /api/v1/site-checks (src/compliance/site-check/site-check.schema.ts).

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Texts = { ru: string; en: string };

export type SiteFinding = {
  code: string;
  severity: Severity;
  category: 'consent' | 'localization' | 'clinic' | 'seo';
  rule: string;
  message: Texts;
  fix: Texts;
  evidence: string[];
};

export type SiteCheckResult = {
  id: string;
  source: 'url' | 'html';
  url: string | null;
  finalUrl: string | null;
  score: number;
  isClinic: boolean;
  isFullPage: boolean;
  htmlBytes: number;
  counts: Record<Severity, number>;
  findings: SiteFinding[];
  checkedAt: string;
};

/** Why the server could not read a page (`details.reason` of `site_fetch_failed`). */
export const FETCH_REASONS = [
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
export type FetchReason = (typeof FETCH_REASONS)[number];

export function isFetchReason(value: unknown): value is FetchReason {
  return typeof value === 'string' && (FETCH_REASONS as readonly string[]).includes(value);
}

/** Pasted HTML is limited to what the API's body limit holds. */
export const MAX_PASTED_HTML_CHARS = 200_000;

/** One check in the history (GET /api/v1/site-checks). */
export type SiteCheckSummary = {
  id: string;
  source: 'url' | 'html';
  url: string | null;
  finalUrl: string | null;
  score: number;
  isClinic: boolean;
  counts: Record<Severity, number>;
  codes: string[];
  checkedAt: string;
};
