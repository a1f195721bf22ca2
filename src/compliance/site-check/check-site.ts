import { type CheerioAPI, load } from 'cheerio';
import { KNOWN_SERVICES, type KnownService, type ServiceKind } from './known-services.ts';
import {
  FINDING_CODES,
  FINDINGS,
  type FindingCategory,
  type FindingCode,
  SEVERITY_PENALTY,
  type Severity,
  type Texts,
} from './site-check.codes.ts';

export type SiteFinding = {
  code: FindingCode;
  severity: Severity;
  category: FindingCategory;
  rule: string;
  message: Texts;
  fix: Texts;
  /** What was found: forms, service names, addresses, counts (no visitor data). */
  evidence: string[];
};

export type SiteCheckResult = {
  /** The checked address, when the page came from one. */
  url: string | null;
  /** 100 minus the penalties of the codes found (by severity), never below 0. */
  score: number;
  /** Whether the clinic key-page checks ran (asked for, or the page reads like a clinic's). */
  isClinic: boolean;
  /** A whole document (page-level SEO checks ran) rather than a fragment such as one form. */
  isFullPage: boolean;
  htmlBytes: number;
  counts: Record<Severity, number>;
  /** Sorted by severity, then by the catalogue's order; one entry per code. */
  findings: SiteFinding[];
};

export type CheckSiteOptions = {
  url?: string;
  /** true: check the clinic key pages; false: never; left out: when the page reads like a clinic. */
  clinic?: boolean;
  /** The size of the document as it was received, when it differs from the decoded text. */
  htmlBytes?: number;
};

/** A page heavier than this in HTML alone is reported (`page_too_heavy`). */
export const MAX_HTML_BYTES = 1_000_000;
/** More external scripts, styles, images and frames than this is reported too. */
export const MAX_RESOURCES = 150;
const MAX_EVIDENCE = 20;

type Collector = (code: FindingCode, evidence: string) => void;

/**
 * Checks one HTML page for what the law and the clinic checklists require: consent checkboxes
 * (R-C1, R-C2), the policy link (R-L4), foreign services at the point of collection (R-L1),
 * cookies (R-E0), a clinic's key pages and basic technical SEO. Pure: no I/O.
 */
export function checkSite(html: string, options: CheckSiteOptions = {}): SiteCheckResult {
  const $ = load(html);
  const found = new Map<FindingCode, string[]>();
  const add: Collector = (code, evidence) => {
    const list = found.get(code) ?? [];
    if (!list.includes(evidence) && list.length < MAX_EVIDENCE) list.push(evidence);
    found.set(code, list);
  };
  const htmlBytes = options.htmlBytes ?? Buffer.byteLength(html, 'utf8');
  const isFullPage = /<(?:html|head|body|title)[\s>]/i.test(html);
  const text = visibleText($);

  checkForms($, add);
  const services = detectServices($);
  for (const service of services) {
    const code = SERVICE_FINDING[service.kind];
    add(code, service.name);
  }
  const setsCookies = services.some((service) => COOKIE_SETTING_KINDS.has(service.kind));
  if (setsCookies && !hasCookieNotice($, text)) {
    add(
      'cookie_notice_missing',
      services
        .filter((service) => COOKIE_SETTING_KINDS.has(service.kind))
        .map((service) => service.name)
        .join(', '),
    );
  }

  const isClinic = options.clinic ?? (isFullPage && looksLikeClinic($, text));
  if (isClinic) checkClinicPages($, add);
  if (isFullPage) checkSeo($, add, htmlBytes);

  const findings = FINDING_CODES.filter((code) => found.has(code))
    .map((code): SiteFinding => ({ code, ...FINDINGS[code], evidence: found.get(code) ?? [] }))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return {
    url: options.url ?? null,
    isClinic,
    isFullPage,
    htmlBytes,
    ...scoreFindings(findings),
  };
}

/** The score (100 minus each code's penalty by severity, never below 0) and counts. */
export function scoreFindings(
  findings: SiteFinding[],
): Pick<SiteCheckResult, 'score' | 'counts' | 'findings'> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  let penalty = 0;
  for (const finding of findings) {
    counts[finding.severity] += 1;
    penalty += SEVERITY_PENALTY[finding.severity];
  }
  return { score: Math.max(0, 100 - penalty), counts, findings };
}

/** The first link on the page that reads as the personal data policy, if any. */
export function findPolicyHref(html: string): string | null {
  const $ = load(html);
  const link = $('a[href]')
    .toArray()
    .find((element) => isPolicyLink($, element));
  return link ? ($(link).attr('href') ?? null) : null;
}

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

const SERVICE_FINDING: Record<ServiceKind, FindingCode> = {
  foreign_tracker: 'foreign_tracker',
  foreign_captcha: 'foreign_captcha',
  foreign_font: 'foreign_font',
  foreign_chat_widget: 'foreign_chat_widget',
  foreign_form: 'foreign_form_action',
  russian_tracker: 'russian_tracker_needs_policy_mention',
};

// Analytics, pixels and chats store identifiers in the visitor's browser (R-E0).
const COOKIE_SETTING_KINDS: ReadonlySet<ServiceKind> = new Set([
  'foreign_tracker',
  'russian_tracker',
  'foreign_chat_widget',
]);

function normalize(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

type TreeNode = { type: string; name?: string; data?: string; children?: TreeNode[] };
const HIDDEN_TAGS = new Set(['script', 'style', 'noscript', 'template']);

/** The text a visitor reads: no scripts, styles or templates (a walk, not a copy of the tree). */
function visibleText($: CheerioAPI): string {
  const parts: string[] = [];
  const stack = [...($('body').get() as unknown as TreeNode[])];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    if (node.type === 'text') parts.push(node.data ?? '');
    else if (node.children && !(node.name && HIDDEN_TAGS.has(node.name))) {
      for (let index = node.children.length - 1; index >= 0; index -= 1) {
        const child = node.children[index];
        if (child) stack.push(child);
      }
      parts.push(' ');
    }
  }
  return normalize(parts.join(''));
}

// ---------------------------------------------------------------------------------------------
// Forms (R-C1, R-C2, R-L4, R-L1)

const NON_DATA_INPUT_TYPES = new Set([
  'hidden',
  'submit',
  'button',
  'reset',
  'image',
  'checkbox',
  'radio',
  'search',
  'range',
  'color',
]);
const SEARCH_FIELD = /^(?:q|s|query|search|poisk|text)$/i;
const CONSENT_WORDS = /соглас|consent|agree|персональн|обработк|рассылк|newsletter/i;
const POLICY_TEXT = /политик|конфиденциальн|privacy|policy/i;
const POLICY_HREF = /polic|privacy|politika|politic|konfiden|confiden/i;

// What one checkbox may cover; two of these in one label is a bundle (R-C2).
const CONSENT_SUBJECTS: readonly RegExp[] = [
  /обработк[а-яё]*\s+(?:\S+\s+){0,2}?(?:персональн|данн)|processing of (?:my )?(?:personal )?data/i,
  /рассылк|реклам|маркетинг|новост|newsletter|marketing|advertis/i,
  /третьи[а-яё]*\s+лиц|третьим\s+лицам|third[-\s]part/i,
  /распространени|разрешённ[а-яё]+ для распространения/i,
  /оферт|пользовательск[а-яё]*\s+соглашени|договор|terms of (?:service|use)/i,
];
const CONSENT_DOCUMENT_LINK = /соглас|consent|oferta|оферт|agreement/i;

function describeForm(form: ReturnType<CheerioAPI>, index: number): string {
  const id = form.attr('id');
  const name = form.attr('name');
  const action = form.attr('action');
  const label = id ? `form #${id}` : name ? `form "${name}"` : `form ${index + 1}`;
  return action ? `${label} → ${action}` : label;
}

function isDataForm($: CheerioAPI, form: ReturnType<CheerioAPI>): boolean {
  if (
    /search/i.test(form.attr('role') ?? '') ||
    /search|poisk|поиск/i.test(form.attr('action') ?? '')
  )
    return false;
  if (form.find('input[type="password" i]').length > 0) return false;
  let dataFields = 0;
  form.find('input, textarea, select').each((_, element) => {
    const field = $(element);
    const tag = element.tagName.toLowerCase();
    const type = (field.attr('type') ?? 'text').toLowerCase();
    if (tag === 'input' && NON_DATA_INPUT_TYPES.has(type)) return;
    const name = field.attr('name') ?? field.attr('id') ?? '';
    if (tag === 'input' && type === 'text' && SEARCH_FIELD.test(name)) return;
    dataFields += 1;
  });
  return dataFields > 0;
}

type BoxLabel = { text: string; links: { text: string; href: string }[] };

function labelOf($: CheerioAPI, nodes: ReturnType<CheerioAPI>): BoxLabel {
  const links = nodes.filter('a[href]').add(nodes.find('a[href]'));
  return {
    text: normalize(nodes.text()),
    links: links.toArray().map((link) => ({
      text: normalize($(link).text()),
      href: $(link).attr('href') ?? '',
    })),
  };
}

/**
 * The words that go with a checkbox: its label (by `for` or wrapping), else its parent's text —
 * or, when the parent holds other boxes too, only what follows the box up to the next field.
 */
function checkboxLabel(
  $: CheerioAPI,
  box: ReturnType<CheerioAPI>,
  labelsByFor: Map<string, ReturnType<CheerioAPI>>,
): BoxLabel {
  const id = box.attr('id');
  const byFor = id ? labelsByFor.get(id) : undefined;
  if (byFor) return labelOf($, byFor);
  const wrapping = box.closest('label');
  if (wrapping.length > 0) return labelOf($, wrapping);
  const parent = box.parent();
  if (parent.length === 0 || parent.is('form')) return { text: '', links: [] };
  if (parent.find('input, textarea, select').length <= 1) return labelOf($, parent);
  const following: unknown[] = [];
  let node = (box.get(0) as unknown as { next: unknown } | undefined)?.next;
  while (node) {
    const current = $(node as never);
    if (current.is('input, textarea, select, br, label') || current.find('input').length > 0) break;
    following.push(node);
    node = (node as { next: unknown }).next;
  }
  return labelOf($, $(following as never));
}

function checkForms($: CheerioAPI, add: Collector): void {
  const labelsByFor = new Map<string, ReturnType<CheerioAPI>>();
  $('label[for]').each((_, element) => {
    const label = $(element);
    const target = label.attr('for');
    if (target && !labelsByFor.has(target)) labelsByFor.set(target, label);
  });
  $('form').each((index, element) => {
    const form = $(element);
    const label = describeForm(form, index);
    if (!isDataForm($, form)) return;
    const consentBoxes: { box: ReturnType<CheerioAPI>; label: BoxLabel }[] = [];
    form.find('input[type="checkbox" i]').each((_, boxElement) => {
      const box = $(boxElement);
      const boxLabel = checkboxLabel($, box, labelsByFor);
      const words = `${box.attr('aria-label') ?? ''} ${boxLabel.text}`;
      if (CONSENT_WORDS.test(words)) consentBoxes.push({ box, label: boxLabel });
    });
    // R-C1: a submit button is not consent; each purpose needs its own unticked box.
    if (consentBoxes.length === 0) add('consent_missing', label);
    for (const { box, label: boxLabel } of consentBoxes) {
      const boxName = box.attr('name') ?? box.attr('id') ?? 'checkbox';
      if (box.attr('checked') !== undefined)
        add('consent_checkbox_prechecked', `${label}: ${boxName}`);
      // R-C2: one checkbox, one consent document.
      const subjects = CONSENT_SUBJECTS.filter((pattern) => pattern.test(boxLabel.text)).length;
      const documents = new Set(
        boxLabel.links
          .filter((link) => CONSENT_DOCUMENT_LINK.test(`${link.text} ${link.href}`))
          .map((link) => link.href),
      );
      if (subjects >= 2 || documents.size >= 2) add('consents_bundled', `${label}: ${boxName}`);
    }
    // R-L4: the policy is published where the data are collected; every form links it.
    const hasPolicyLink =
      form.find('a[href]').filter((_, link) => isPolicyLink($, link)).length > 0;
    if (!hasPolicyLink) add('policy_link_missing', label);
  });
}

function isPolicyLink($: CheerioAPI, link: Parameters<CheerioAPI>[0]): boolean {
  const anchor = $(link as never);
  return POLICY_TEXT.test(anchor.text()) || POLICY_HREF.test(anchor.attr('href') ?? '');
}

// ---------------------------------------------------------------------------------------------
// Third-party services (R-L1, R-L2, R-E0)

function detectServices($: CheerioAPI): KnownService[] {
  const urls: { url: string; isLink: boolean; isFormTarget: boolean }[] = [];
  const push = (value: string | undefined, isLink = false, isFormTarget = false) => {
    if (value) urls.push({ url: value.trim(), isLink, isFormTarget });
  };
  $('script[src]').each((_, element) => push($(element).attr('src')));
  $('img[src], iframe[src], embed[src], source[src]').each((_, element) => {
    push($(element).attr('src'), false, element.tagName.toLowerCase() === 'iframe');
  });
  $('iframe[data-src], script[data-src]').each((_, element) => push($(element).attr('data-src')));
  $('link[href]').each((_, element) => {
    const rel = ($(element).attr('rel') ?? '').toLowerCase();
    // A preconnect alone loads nothing.
    if (/\b(?:preconnect|dns-prefetch)\b/.test(rel)) return;
    push($(element).attr('href'));
  });
  $('form[action]').each((_, element) => push($(element).attr('action'), false, true));
  $('a[href]').each((_, element) => push($(element).attr('href'), true));

  const inlineCode: string[] = [];
  $('script:not([src]), style, noscript').each((_, element) => {
    inlineCode.push($(element).text());
  });
  $('[style]').each((_, element) => {
    inlineCode.push($(element).attr('style') ?? '');
  });
  const markers: string[] = [];
  $('[class], [id]').each((_, element) => {
    markers.push(`${$(element).attr('class') ?? ''} ${$(element).attr('id') ?? ''}`);
  });

  return KNOWN_SERVICES.filter((service) => {
    const isForm = service.kind === 'foreign_form';
    const urlHit = urls.some(
      (entry) =>
        // A plain link loads nothing; only a link to a foreign form sends visitors there.
        (!entry.isLink || isForm) && service.urls.some((pattern) => pattern.test(entry.url)),
    );
    if (urlHit) return true;
    if (isForm) return false;
    const inlinePatterns = [...service.urls, ...(service.inline ?? [])];
    if (inlineCode.some((code) => inlinePatterns.some((pattern) => pattern.test(code))))
      return true;
    return (service.markers ?? []).some((pattern) => markers.some((value) => pattern.test(value)));
  });
}

const COOKIE_NOTICE_MARKER = /cookie|gdpr|cc-window|cc-banner|consent-banner/i;

function hasCookieNotice($: CheerioAPI, text: string): boolean {
  if (/cookie|куки/i.test(text)) return true;
  let hasMarker = false;
  $('body [class], body [id]').each((_, element) => {
    const node = $(element);
    if (node.is('script, style, noscript')) return;
    if (COOKIE_NOTICE_MARKER.test(`${node.attr('class') ?? ''} ${node.attr('id') ?? ''}`)) {
      hasMarker = true;
      return false;
    }
    return undefined;
  });
  return hasMarker;
}

// ---------------------------------------------------------------------------------------------
// Clinic key pages

const CLINIC_SIGNS: readonly RegExp[] = [
  /клиник/i,
  /медицинск|медцентр/i,
  /стоматолог/i,
  /врач|доктор/i,
  /пациент/i,
  /при[её]м[а-яё]*\s+(?:врача|специалиста)|записаться на при[её]м/i,
  /лечени/i,
  /clinic|dental|physician/i,
];

function looksLikeClinic($: CheerioAPI, text: string): boolean {
  const all = `${$('title').text()} ${$('meta[name="description" i]').attr('content') ?? ''} ${text}`;
  return CLINIC_SIGNS.filter((pattern) => pattern.test(all)).length >= 2;
}

type KeyPage = { code: FindingCode; text: RegExp; href: RegExp };

const KEY_PAGES: readonly KeyPage[] = [
  {
    code: 'page_missing_about',
    text: /^о\s+(?:клинике|нас|центре|компании)|^about/i,
    href: /\/(?:about|o-klinike|o-nas|o-kompanii|o-centre|o-tsentre)\b/i,
  },
  { code: 'page_missing_licenses', text: /лицензи|licen[cs]e/i, href: /licen[sz]|litsenz/i },
  {
    code: 'page_missing_doctors',
    text: /^(?:наши\s+)?(?:врачи|доктора|специалисты)|^doctors|^our doctors/i,
    href: /\/(?:doctors?|vrachi|specialists|spetsialisty|team)\b/i,
  },
  {
    code: 'page_missing_prices',
    text: /^(?:цены|прайс|стоимость|прейскурант)|^prices?\b/i,
    href: /\/(?:prices?|ceny|tseny|prajs|prays|price-list|preyskurant)\b/i,
  },
  {
    code: 'page_missing_reviews',
    text: /отзыв|^reviews?|testimonials/i,
    href: /\/(?:reviews?|otzyvy|testimonials)\b/i,
  },
  {
    code: 'page_missing_booking',
    text: /записаться|запись на при[её]м|онлайн-запись|^запись(?![а-яё])|book(?:ing)?\b|appointment/i,
    href: /\/(?:zapis|booking|book|appointment)\b|#(?:zapis|booking|appointment)/i,
  },
];

function checkClinicPages($: CheerioAPI, add: Collector): void {
  const items: { text: string; href: string }[] = [];
  $('a, button, [role="button"]').each((_, element) => {
    const node = $(element);
    items.push({ text: normalize(node.text()), href: node.attr('href') ?? '' });
  });
  $('input[type="submit" i], input[type="button" i]').each((_, element) => {
    items.push({ text: normalize($(element).attr('value') ?? ''), href: '' });
  });
  for (const page of KEY_PAGES) {
    const isLinked = items.some(
      (item) => page.text.test(item.text) || (item.href !== '' && page.href.test(item.href)),
    );
    if (!isLinked) add(page.code, 'no link or button found');
  }
}

// ---------------------------------------------------------------------------------------------
// Technical SEO

function checkSeo($: CheerioAPI, add: Collector, htmlBytes: number): void {
  const title = normalize($('head title').first().text() || $('title').first().text());
  if (title === '') add('seo_title_missing', '<title> absent or empty');
  const description = normalize($('meta[name="description" i]').first().attr('content') ?? '');
  if (description === '') add('seo_meta_description_missing', 'meta description absent or empty');
  const h1Count = $('h1').length;
  if (h1Count === 0) add('seo_h1_missing', 'no <h1>');
  if (h1Count > 1) add('seo_h1_multiple', `${h1Count} × <h1>`);
  const canonical = $('link[rel~="canonical" i]').first().attr('href') ?? '';
  if (canonical.trim() === '') add('seo_canonical_missing', 'no <link rel="canonical">');
  const resources =
    $('script[src]').length +
    $('link[rel~="stylesheet" i]').length +
    $('img[src]').length +
    $('iframe[src]').length;
  if (htmlBytes > MAX_HTML_BYTES)
    add('page_too_heavy', `HTML ${htmlBytes} bytes (> ${MAX_HTML_BYTES})`);
  if (resources > MAX_RESOURCES)
    add('page_too_heavy', `${resources} resources (> ${MAX_RESOURCES})`);
}
