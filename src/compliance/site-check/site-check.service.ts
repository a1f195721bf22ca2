import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { checkSite } from './check-site.ts';
import { type FetchPageOptions, fetchPage, SiteFetchError } from './fetch-page.ts';
import type { TRunSiteCheckBody, TSiteCheckResult } from './site-check.schema.ts';

/** An address as typed: "klinika.ru" means https://klinika.ru/. */
export function normalizeCheckUrl(value: string): string {
  const trimmed = value.trim();
  return /^[a-z][a-z\d+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/**
 * Checks a page given by URL (fetched server-side under the SSRF rules of fetch-page.ts) or as
 * pasted HTML. Nothing is stored: the page is the operator's public site, and the result goes
 * back to the caller only.
 */
export async function runSiteCheck(
  ctx: Pick<Ctx, 'now'>,
  input: TRunSiteCheckBody,
  fetchOptions: FetchPageOptions = {},
): Promise<TSiteCheckResult> {
  const clinic = input.clinic === undefined ? {} : { clinic: input.clinic };
  if (input.html !== undefined) {
    return { ...checkSite(input.html, clinic), finalUrl: null, checkedAt: ctx.now.toISOString() };
  }
  const url = normalizeCheckUrl(input.url ?? '');
  try {
    const page = await fetchPage(url, fetchOptions);
    const result = checkSite(page.html, { ...clinic, url: page.url, htmlBytes: page.bytes });
    return { ...result, finalUrl: page.finalUrl, checkedAt: ctx.now.toISOString() };
  } catch (error) {
    if (error instanceof SiteFetchError) {
      throw new AppError('site_fetch_failed', error.message, {
        details: { reason: error.code, ...error.details },
        cause: error,
      });
    }
    throw error;
  }
}
