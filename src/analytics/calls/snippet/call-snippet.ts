// The call-tracking snippet, served as /calltracking.js:
//   <script src="https://crm.example/calltracking.js" data-key="…" async></script>
// It asks the server it was loaded from which number this visit should see and writes it over
// the clinic's own number in the page text and in tel: links. It sets no cookie and stores
// nothing on the visitor's device: before consent the server knows the visit only by a daily
// keyed hash; after consent the analytics tracker's ids are sent (R-E0, R-L1).
import {
  formatRussian,
  nationalDigits,
  replacePhonesInText,
  replaceTelHref,
} from './phone-text.ts';

type LeaseAnswer = {
  number: string | null;
  kind: 'static' | 'dynamic' | 'fallback' | 'none';
  leaseId: string | null;
  heartbeatSeconds: number;
  replaceNumbers: string[];
  replaceSelector: string | null;
  channel: string;
};

type TrackerIds = { sessionId?: string; visitorId?: string };
type TrackerWindow = Window & {
  /** The analytics tracker's ids, given only after the visitor's consent. */
  SoglasieTracker?: { ids?: () => TrackerIds | null };
  SoglasieCallTracking?: { number: string | null; kind: string; channel: string };
};

const ownScript = (document.currentScript ??
  document.querySelector('script[src*="/calltracking.js"]')) as HTMLScriptElement | null;
const serverOrigin = ownScript?.src ? new URL(ownScript.src).origin : window.location.origin;
const key = ownScript?.dataset.key ?? '';

const CAMPAIGN_KEYS = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'yclid',
  'gclid',
  'vkclid',
] as const;

let leaseId: string | null = null;
let shown: string | null = null;
let targets = new Set<string>();
let selector: string | null = null;
let timer: number | undefined;

function trackerIds(): TrackerIds {
  try {
    return (window as TrackerWindow).SoglasieTracker?.ids?.() ?? {};
  } catch {
    return {};
  }
}

function requestBody(): Record<string, string> {
  const body: Record<string, string> = { key, url: location.href.slice(0, 2000) };
  if (document.referrer) body.referrer = document.referrer.slice(0, 2000);
  const search = new URLSearchParams(location.search);
  for (const name of CAMPAIGN_KEYS) {
    const value = search.get(name);
    if (value) body[name] = value.slice(0, 200);
  }
  const ids = trackerIds();
  if (ids.sessionId) body.sessionId = ids.sessionId.slice(0, 100);
  if (ids.visitorId) body.visitorId = ids.visitorId.slice(0, 100);
  if (leaseId) body.leaseId = leaseId;
  return body;
}

async function askServer(): Promise<LeaseAnswer | null> {
  try {
    const response = await fetch(`${serverOrigin}/t/calls/lease`, {
      method: 'POST',
      // text/plain keeps the request simple: no CORS preflight.
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(requestBody()),
      credentials: 'omit',
      mode: 'cors',
    });
    return response.ok ? ((await response.json()) as LeaseAnswer) : null;
  } catch {
    return null;
  }
}

function replaceIn(root: Node, number: string): void {
  const replacement = nationalDigits(number);
  if (!replacement) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
  for (const text of texts) {
    const parent = text.parentElement;
    if (parent && /^(SCRIPT|STYLE|NOSCRIPT|TEXTAREA)$/.test(parent.tagName)) continue;
    const next = replacePhonesInText(text.data, targets, replacement);
    if (next !== null) text.data = next;
  }
  const scope = root instanceof Element || root instanceof Document ? root : document;
  for (const link of Array.from(scope.querySelectorAll<HTMLAnchorElement>('a[href^="tel:" i]'))) {
    const href = replaceTelHref(link.getAttribute('href') ?? '', targets, number);
    if (href) link.setAttribute('href', href);
  }
  if (selector) {
    try {
      for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
        if (replacePhonesInText(element.textContent ?? '', targets, replacement) === null) {
          if (element.textContent !== formatRussian(number))
            element.textContent = formatRussian(number);
        }
      }
    } catch {
      // A broken selector in the settings must not break the page.
    }
  }
}

function apply(answer: LeaseAnswer): void {
  selector = answer.replaceSelector;
  targets = new Set(
    [...answer.replaceNumbers, ...(shown ? [shown] : [])]
      .map((number) => nationalDigits(number))
      .filter((digits): digits is string => digits !== null),
  );
  const state = { number: answer.number, kind: answer.kind, channel: answer.channel };
  (window as TrackerWindow).SoglasieCallTracking = state;
  if (answer.number && answer.number !== shown) {
    replaceIn(document.body, answer.number);
    shown = answer.number;
    targets.add(nationalDigits(answer.number) ?? '');
  }
  document.dispatchEvent(new CustomEvent('soglasie:tracking-number', { detail: state }));
}

async function refresh(): Promise<void> {
  const answer = await askServer();
  if (!answer) return;
  leaseId = answer.leaseId;
  apply(answer);
  if (leaseId && timer === undefined) {
    timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, Math.max(10, answer.heartbeatSeconds) * 1000);
  }
}

function watchNewContent(): void {
  new MutationObserver((records) => {
    if (!shown) return;
    for (const record of records) {
      for (const node of Array.from(record.addedNodes)) replaceIn(node, shown);
    }
  }).observe(document.body, { childList: true, subtree: true });
}

function start(): void {
  if (!key) return;
  void refresh().then(watchNewContent);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && leaseId) void refresh();
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
