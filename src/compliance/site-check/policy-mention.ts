import { load } from 'cheerio';
import { findPolicyHref, type SiteCheckResult, scoreFindings } from './check-site.ts';
import { type FetchPageOptions, fetchPage, SiteFetchError } from './fetch-page.ts';

/** How a policy names each Russian analytics service the checker recognises. */
const MENTIONS: Record<string, RegExp> = {
  'Яндекс Метрика': /метрик|metri[ck]a/i,
  'Top@Mail.ru': /top@mail|top\.mail|рейтинг\s+mail/i,
  'Пиксель VK': /\bvk\b|вконтакте|vk\.com/i,
};

/**
 * For a page read from its address: follows the page's policy link (under the same fetch rules)
 * and keeps `russian_tracker_needs_policy_mention` only for the services the policy does not
 * name (R-L4). Pasted HTML has no policy to read, so there the finding stays a reminder.
 */
export async function checkPolicyMentions(input: {
  result: SiteCheckResult;
  html: string;
  pageUrl: string;
  /** The host named by the user: only it may be private when `allowPrivate` is set. */
  requestedHost: string;
  fetchOptions: FetchPageOptions;
}): Promise<SiteCheckResult> {
  const finding = input.result.findings.find(
    (entry) => entry.code === 'russian_tracker_needs_policy_mention',
  );
  if (!finding) return input.result;
  const href = findPolicyHref(input.html);
  if (!href) return input.result;
  let policyUrl: URL;
  try {
    policyUrl = new URL(href, input.pageUrl);
  } catch {
    return input.result;
  }
  if (policyUrl.protocol !== 'http:' && policyUrl.protocol !== 'https:') return input.result;
  let evidence: string[];
  try {
    const policy = await fetchPage(policyUrl.href, {
      ...input.fetchOptions,
      allowPrivate:
        Boolean(input.fetchOptions.allowPrivate) && policyUrl.hostname === input.requestedHost,
    });
    const $ = load(policy.html);
    $('script, style, noscript, template').remove();
    const text = $('body').text() || $.root().text();
    evidence = finding.evidence
      .filter((service) => !(MENTIONS[service]?.test(text) ?? false))
      .map((service) => `${service} (not named in ${policy.finalUrl})`);
  } catch (error) {
    if (!(error instanceof SiteFetchError)) throw error;
    evidence = finding.evidence.map(
      (service) => `${service} (policy ${policyUrl.href} not read: ${error.code})`,
    );
  }
  const findings =
    evidence.length === 0
      ? input.result.findings.filter((entry) => entry !== finding)
      : input.result.findings.map((entry) => (entry === finding ? { ...entry, evidence } : entry));
  return { ...input.result, ...scoreFindings(findings) };
}
