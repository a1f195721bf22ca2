/** Markup that is already safe: built by `html`, never from a value someone sent. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * A template whose every interpolated value is escaped unless it is itself `SafeHtml`;
 * arrays are joined, and null, undefined and false render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(text);
}

/**
 * A Content-Security-Policy for server-rendered public pages: nothing from other origins,
 * inline styles only. `extra` adds or replaces directives.
 */
export function publicPageCsp(extra: Record<string, string> = {}): string {
  const directives: Record<string, string> = {
    'default-src': "'none'",
    'style-src': "'self' 'unsafe-inline'",
    'script-src': "'self'",
    'img-src': "'self' data:",
    'connect-src': "'self'",
    'form-action': "'self'",
    'base-uri': "'none'",
    'frame-ancestors': "'none'",
    ...extra,
  };
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

// Mobile first: 16px inputs (no zoom on focus), one column, large tap targets.
const PAGE_STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1d2129;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:36rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}
a{color:#1c5fd4}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.muted{color:#5c6370;font-size:.875rem}
pre.document{white-space:pre-wrap;word-wrap:break-word;font:inherit;margin:0}
code{font-size:.8125rem;word-break:break-all}
`;

/**
 * A self-contained public page, Russian by default: inline styles, no third-party resource. `style`
 * and `script` (a same-origin path) are added when given.
 */
export function publicPage(input: {
  title: string;
  body: SafeHtml;
  style?: string;
  scriptSrc?: string;
  /** The page's language; Russian unless given. */
  lang?: 'ru' | 'en';
}): string {
  return html`<!doctype html>
<html lang="${input.lang ?? 'ru'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${input.title}</title>
<style>${new SafeHtml(PAGE_STYLE + (input.style ?? ''))}</style>
</head>
<body>
<main>${input.body}</main>
${input.scriptSrc ? html`<script src="${input.scriptSrc}" defer></script>` : ''}
</body>
</html>
`.text;
}
