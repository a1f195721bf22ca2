// The embed snippet, served as /embed.js:
//   <div data-soglasie-form="slug"></div>
//   <script src="https://crm.example/embed.js" data-form="slug" async></script>
// It talks only to the server it was loaded from, sets no cookie and stores nothing on the
// visitor's device (R-E0, R-L1). It also enhances the hosted page's server-rendered form.
import { campaignOf, cleanPageUrl } from '../attribution.ts';
import type { TPublicFormView } from '../public-form.schema.ts';
import { element, renderForm } from './form-dom.ts';
import { FORM_STYLE } from './form-style.ts';
import { enhanceForm } from './form-submit.ts';

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

// Read while the script runs: currentScript is null afterwards.
const ownScript = (document.currentScript ??
  document.querySelector('script[src*="/embed.js"]')) as HTMLScriptElement | null;
const serverOrigin = ownScript?.src ? new URL(ownScript.src).origin : window.location.origin;
let instances = 0;

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/** The campaign of this visit: utm_* and click ids of the page, the page and the referrer. */
function attributionOfPage(): Record<string, string> {
  const attribution: Record<string, string> = {};
  for (const [key, value] of Object.entries(campaignOf(new URLSearchParams(location.search)))) {
    if (value) attribution[key] = value;
  }
  const landing = cleanPageUrl(location.href);
  const referrer = cleanPageUrl(document.referrer);
  if (landing) attribution.landing_page = landing;
  if (referrer) attribution.referrer = referrer;
  return attribution;
}

function addStyle(): void {
  if (document.querySelector('style[data-soglasie]')) return;
  const style = element('style', { 'data-soglasie': '' }, [FORM_STYLE]);
  document.head.append(style);
}

async function mount(target: HTMLElement): Promise<void> {
  const slug = target.dataset.soglasieForm ?? '';
  if (!SLUG.test(slug) || target.dataset.soglasieMounted) return;
  target.dataset.soglasieMounted = 'true';
  addStyle();
  try {
    const response = await fetch(`${serverOrigin}/f/${slug}.json`, {
      credentials: 'omit',
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`The form answered ${response.status}`);
    const definition = (await response.json()) as TPublicFormView;
    instances += 1;
    const form = renderForm(definition, {
      prefix: `sg-${slug}-${instances}`,
      idempotencyKey: newKey(),
      attribution: attributionOfPage(),
    });
    target.replaceChildren(form);
    enhanceForm(form, `${serverOrigin}/f/${slug}/submit`);
  } catch {
    target.replaceChildren(
      element('p', { class: 'sg-unavailable' }, [
        'Форма временно недоступна. Пожалуйста, свяжитесь с нами по телефону.',
      ]),
    );
  }
}

function start(): void {
  for (const form of Array.from(
    document.querySelectorAll<HTMLFormElement>('form[data-soglasie-enhance]'),
  )) {
    enhanceForm(form, form.action);
  }
  const targets = Array.from(document.querySelectorAll<HTMLElement>('[data-soglasie-form]'));
  const ownSlug = ownScript?.dataset.form;
  if (targets.length === 0 && ownSlug && ownScript?.parentNode) {
    // No target on the page: the form goes where the script tag is.
    const target = element('div', { 'data-soglasie-form': ownSlug });
    ownScript.parentNode.insertBefore(target, ownScript.nextSibling);
    targets.push(target);
  }
  for (const target of targets) void mount(target);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
