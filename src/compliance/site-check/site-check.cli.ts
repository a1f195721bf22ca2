import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CheckSiteOptions, checkSite, type SiteCheckResult } from './check-site.ts';
import { DEFAULT_MAX_BYTES, type FetchErrorCode, fetchPage, SiteFetchError } from './fetch-page.ts';
import { checkPolicyMentions } from './policy-mention.ts';
import {
  FINDING_CODES,
  FINDINGS,
  SEVERITIES,
  type Severity,
  type Texts,
} from './site-check.codes.ts';
import { normalizeCheckUrl } from './site-check.service.ts';

export const CHECK_SITE_HELP = `soglasie check-site <url|file> [--json] [--clinic | --no-clinic] [--allow-private]

Checks one page of a site: consent checkboxes, the policy link, foreign services at the point
of collection, the cookie notice, a clinic's key pages and basic technical SEO. Prints a score
(0–100) and the findings with how to fix them, in Russian (--lang en for English).

Arguments and options:
  <url|file>            an http(s) address ("klinika.ru" means https://klinika.ru/), or a saved
                        HTML file
  --json                print the result as JSON (stable finding codes, texts in ru and en)
  --clinic              check the clinic key pages even if the page does not read like a clinic's
  --no-clinic           never check them
  --allow-private       let the address you named be private or loopback (an intranet or local
                        test site); redirects to other hosts are still refused
  --timeout <ms>        for the whole fetch (default 15000)
  --lang <ru|en>        language of the text output (default ru)

Fetching refuses private, loopback, link-local (169.254.169.254), unique-local, multicast and
unspecified addresses, on every redirect too; non-HTML answers; pages over 5 MB.

Exit codes: 0 no high-severity findings; 1 at least one high-severity finding;
2 the page could not be read (the reason's code is printed: ssrf_refused, fetch_timeout,
too_large, not_html, too_many_redirects, http_error, dns_failed, connection_failed,
invalid_url, unsupported_scheme) or the arguments are wrong.

Finding codes (severity, rule):
${FINDING_CODES.map(
  (code) =>
    `  ${code.padEnd(38)} ${FINDINGS[code].severity.padEnd(6)} ${FINDINGS[code].rule}\n      ${FINDINGS[code].message.en}`,
).join('\n')}
`;

const SEVERITY_TITLES: Record<'ru' | 'en', Record<Severity, string>> = {
  ru: { high: 'Высокая важность', medium: 'Средняя важность', low: 'Низкая важность' },
  en: { high: 'High severity', medium: 'Medium severity', low: 'Low severity' },
};

const LABELS = {
  ru: {
    checked: 'Проверено',
    score: 'Оценка',
    none: 'Нарушений не найдено.',
    found: 'Найдено',
    fix: 'Как исправить',
    rule: 'Основание',
    clinic: 'проверены ключевые страницы клиники',
    fragment: 'фрагмент страницы: SEO не проверялось',
  },
  en: {
    checked: 'Checked',
    score: 'Score',
    none: 'No findings.',
    found: 'Found',
    fix: 'How to fix',
    rule: 'Rule',
    clinic: 'clinic key pages checked',
    fragment: 'a page fragment: SEO not checked',
  },
};

export function formatSiteCheck(
  result: SiteCheckResult,
  source: string,
  lang: 'ru' | 'en',
): string {
  const labels = LABELS[lang];
  const lines = [`${labels.checked}: ${source}`];
  const notes = [
    result.isClinic ? labels.clinic : null,
    result.isFullPage ? null : labels.fragment,
  ].filter(Boolean);
  lines.push(
    `${labels.score}: ${result.score}/100 (${SEVERITIES.map((severity) => `${SEVERITY_TITLES[lang][severity].toLowerCase()}: ${result.counts[severity]}`).join(', ')})${notes.length > 0 ? ` — ${notes.join('; ')}` : ''}`,
  );
  if (result.findings.length === 0) lines.push('', labels.none);
  for (const severity of SEVERITIES) {
    const group = result.findings.filter((finding) => finding.severity === severity);
    if (group.length === 0) continue;
    lines.push('', `${SEVERITY_TITLES[lang][severity]}:`);
    for (const finding of group) {
      lines.push(`  • [${finding.code}] ${finding.message[lang]}`);
      if (finding.evidence.length > 0)
        lines.push(`    ${labels.found}: ${finding.evidence.join('; ')}`);
      lines.push(`    ${labels.fix}: ${finding.fix[lang]}`);
      lines.push(`    ${labels.rule}: ${finding.rule}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const FETCH_ERROR_TEXTS: Record<FetchErrorCode, Texts> = {
  invalid_url: { ru: 'Адрес указан неверно.', en: 'The address is not valid.' },
  unsupported_scheme: {
    ru: 'Проверяются только адреса http:// и https://.',
    en: 'Only http:// and https:// addresses are checked.',
  },
  ssrf_refused: {
    ru: 'Адрес ведёт во внутреннюю сеть или на этот компьютер; такие адреса загружаются только с --allow-private.',
    en: 'The address leads into an internal network or to this machine; such addresses are fetched only with --allow-private.',
  },
  dns_failed: {
    ru: 'Такого домена нет или DNS не отвечает.',
    en: 'No such domain, or DNS does not answer.',
  },
  connection_failed: {
    ru: 'Сайт не принимает соединения.',
    en: 'The site does not accept connections.',
  },
  fetch_timeout: { ru: 'Сайт не ответил вовремя.', en: 'The site did not answer in time.' },
  too_large: { ru: 'Страница больше 5 МБ.', en: 'The page is larger than 5 MB.' },
  not_html: { ru: 'По адресу не HTML-страница.', en: 'The address does not serve an HTML page.' },
  too_many_redirects: { ru: 'Слишком много перенаправлений.', en: 'Too many redirects.' },
  http_error: {
    ru: 'Сервер сайта ответил ошибкой.',
    en: 'The site’s server answered with an error.',
  },
};

function usage(message: string): never {
  process.stderr.write(`error: ${message}\n\n${CHECK_SITE_HELP}`);
  process.exit(2);
}

/** `soglasie check-site`: exit 0 clean, 1 high-severity findings, 2 unreadable page or usage. */
export async function runCheckSiteCli(args: string[]): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(CHECK_SITE_HELP);
    return;
  }
  const target = positionals[0];
  if (!target || positionals.length > 1) usage('give one address or file');
  if (values.clinic && values['no-clinic']) usage('--clinic and --no-clinic contradict');
  const lang = values.lang ?? 'ru';
  if (lang !== 'ru' && lang !== 'en') usage('--lang is ru or en');
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))
    usage('--timeout is a positive number of milliseconds');
  const options: CheckSiteOptions = {};
  if (values.clinic) options.clinic = true;
  if (values['no-clinic']) options.clinic = false;

  let result: SiteCheckResult;
  let source: string;
  let fetched: Record<string, unknown> | null = null;
  const isUrl = /^[a-z][a-z\d+.-]*:\/\//i.test(target);
  if (!isUrl && existsSync(target) && statSync(target).isFile()) {
    if (statSync(target).size > DEFAULT_MAX_BYTES) usage(`${target} is larger than 5 MB`);
    const buffer = readFileSync(target);
    result = checkSite(buffer.toString('utf8'), { ...options, htmlBytes: buffer.length });
    source = target;
  } else {
    const url = normalizeCheckUrl(target);
    try {
      const fetchOptions = {
        allowPrivate: Boolean(values['allow-private']),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      };
      const page = await fetchPage(url, fetchOptions);
      result = await checkPolicyMentions({
        result: checkSite(page.html, { ...options, url: page.url, htmlBytes: page.bytes }),
        html: page.html,
        pageUrl: page.finalUrl,
        requestedHost: new URL(page.url).hostname,
        fetchOptions,
      });
      source = page.finalUrl === page.url ? page.url : `${page.url} → ${page.finalUrl}`;
      fetched = {
        finalUrl: page.finalUrl,
        status: page.status,
        address: page.address,
        redirects: page.redirects,
      };
    } catch (error) {
      if (!(error instanceof SiteFetchError)) throw error;
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } }, null, 2)}\n`,
        );
      }
      process.stderr.write(
        `${FETCH_ERROR_TEXTS[error.code][lang]}\nerror: ${error.code}: ${error.message}\n`,
      );
      process.exit(2);
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...result, source, fetched }, null, 2)}\n`);
  } else {
    process.stdout.write(formatSiteCheck(result, source, lang));
  }
  process.exitCode = result.counts.high > 0 ? 1 : 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      clinic: { type: 'boolean' },
      'no-clinic': { type: 'boolean' },
      'allow-private': { type: 'boolean' },
      timeout: { type: 'string' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
