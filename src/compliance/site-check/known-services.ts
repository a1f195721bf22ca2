/**
 * Third-party services a page can load, recognised by the address of a script, style, frame,
 * image or form target, or by a marker in inline code. Only services whose location is known
 * are listed: an unknown host is not reported.
 */
export type ServiceKind =
  | 'foreign_tracker'
  | 'foreign_captcha'
  | 'foreign_font'
  | 'foreign_chat_widget'
  | 'foreign_form'
  | 'russian_tracker';

export type KnownService = {
  name: string;
  kind: ServiceKind;
  /** Matched against the full URL (scheme-less hosts included), case-insensitively. */
  urls: readonly RegExp[];
  /** Matched against inline script and style text. */
  inline?: readonly RegExp[];
  /** Matched against class and id attributes (widget placeholders). */
  markers?: readonly RegExp[];
};

export const KNOWN_SERVICES: readonly KnownService[] = [
  {
    name: 'Google Analytics',
    kind: 'foreign_tracker',
    urls: [
      /\/\/(?:www\.)?googletagmanager\.com\/gtag\/js/i,
      /\/\/(?:ssl\.|www\.)?google-analytics\.com\//i,
      /\/\/(?:[\w-]+\.)?analytics\.google\.com\//i,
    ],
    inline: [/\bgtag\s*\(\s*['"]config['"]/, /google-analytics\.com\/(?:analytics|ga)\.js/i],
  },
  {
    name: 'Google Tag Manager',
    kind: 'foreign_tracker',
    urls: [/\/\/(?:www\.)?googletagmanager\.com\/(?:gtm\.js|ns\.html)/i],
    inline: [/googletagmanager\.com\/gtm\.js/i, /['"]GTM-[A-Z0-9]+['"]/],
  },
  {
    name: 'Google Ads',
    kind: 'foreign_tracker',
    urls: [/\/\/(?:www\.)?googleadservices\.com\//i, /\/\/[\w.-]*doubleclick\.net\//i],
  },
  {
    name: 'Meta Pixel',
    kind: 'foreign_tracker',
    urls: [
      /\/\/connect\.facebook\.net\/[^/]+\/fbevents\.js/i,
      /\/\/(?:www\.)?facebook\.com\/tr\b/i,
    ],
    inline: [/\bfbq\s*\(\s*['"]init['"]/, /connect\.facebook\.net\/[^'"]*fbevents\.js/i],
  },
  {
    name: 'Hotjar',
    kind: 'foreign_tracker',
    urls: [/\/\/[\w.-]*hotjar\.com\//i],
    inline: [/static\.hotjar\.com/i],
  },
  {
    name: 'Microsoft Clarity',
    kind: 'foreign_tracker',
    urls: [/\/\/(?:www\.)?clarity\.ms\//i],
    inline: [/clarity\.ms\/tag/i],
  },
  {
    name: 'TikTok Pixel',
    kind: 'foreign_tracker',
    urls: [/\/\/analytics\.tiktok\.com\//i],
    inline: [/analytics\.tiktok\.com/i],
  },
  { name: 'LinkedIn Insight', kind: 'foreign_tracker', urls: [/\/\/snap\.licdn\.com\//i] },
  { name: 'X (Twitter) Pixel', kind: 'foreign_tracker', urls: [/\/\/static\.ads-twitter\.com\//i] },
  {
    name: 'Mixpanel',
    kind: 'foreign_tracker',
    urls: [/\/\/cdn\.mxpnl\.com\//i, /\/\/[\w.-]*mixpanel\.com\//i],
  },
  { name: 'Segment', kind: 'foreign_tracker', urls: [/\/\/cdn\.segment\.com\//i] },
  { name: 'Amplitude', kind: 'foreign_tracker', urls: [/\/\/cdn\.amplitude\.com\//i] },
  {
    name: 'Google reCAPTCHA',
    kind: 'foreign_captcha',
    urls: [
      /\/\/(?:www\.)?google\.com\/recaptcha\//i,
      /\/\/(?:www\.)?gstatic\.com\/recaptcha\//i,
      /\/\/(?:www\.)?recaptcha\.net\//i,
    ],
    markers: [/\bg-recaptcha\b/],
  },
  {
    name: 'hCaptcha',
    kind: 'foreign_captcha',
    urls: [/\/\/(?:[\w-]+\.)?hcaptcha\.com\//i],
    markers: [/\bh-captcha\b/],
  },
  {
    name: 'Cloudflare Turnstile',
    kind: 'foreign_captcha',
    urls: [/\/\/challenges\.cloudflare\.com\/turnstile\//i],
    markers: [/\bcf-turnstile\b/],
  },
  {
    name: 'Google Fonts',
    kind: 'foreign_font',
    urls: [/\/\/fonts\.googleapis\.com\//i, /\/\/fonts\.gstatic\.com\//i],
    inline: [/fonts\.googleapis\.com/i, /fonts\.gstatic\.com/i],
  },
  {
    name: 'Adobe Fonts',
    kind: 'foreign_font',
    urls: [/\/\/use\.typekit\.net\//i, /\/\/p\.typekit\.net\//i],
    inline: [/use\.typekit\.net/i],
  },
  {
    name: 'Intercom',
    kind: 'foreign_chat_widget',
    urls: [/\/\/(?:widget|js)\.intercom(?:cdn)?\.(?:io|com)\//i],
    inline: [/widget\.intercom\.io/i],
  },
  {
    name: 'Tawk.to',
    kind: 'foreign_chat_widget',
    urls: [/\/\/embed\.tawk\.to\//i],
    inline: [/embed\.tawk\.to/i],
  },
  {
    name: 'Crisp',
    kind: 'foreign_chat_widget',
    urls: [/\/\/client\.crisp\.chat\//i],
    inline: [/client\.crisp\.chat/i],
  },
  {
    name: 'Drift',
    kind: 'foreign_chat_widget',
    urls: [/\/\/js\.driftt\.com\//i],
    inline: [/js\.driftt\.com/i],
  },
  {
    name: 'Zendesk Chat',
    kind: 'foreign_chat_widget',
    urls: [/\/\/static\.zdassets\.com\//i, /\/\/v2\.zopim\.com\//i],
  },
  {
    name: 'LiveChat',
    kind: 'foreign_chat_widget',
    urls: [/\/\/cdn\.livechatinc\.com\//i],
    inline: [/cdn\.livechatinc\.com/i],
  },
  { name: 'Tidio', kind: 'foreign_chat_widget', urls: [/\/\/code\.tidio\.co\//i] },
  {
    name: 'HubSpot chat',
    kind: 'foreign_chat_widget',
    urls: [/\/\/js\.hs-scripts\.com\//i, /\/\/js\.usemessages\.com\//i],
  },
  {
    name: 'Facebook Messenger chat',
    kind: 'foreign_chat_widget',
    urls: [/\/\/connect\.facebook\.net\/[^/]+\/sdk\/xfbml\.customerchat\.js/i],
    markers: [/\bfb-customerchat\b/],
  },
  {
    name: 'Google Forms',
    kind: 'foreign_form',
    urls: [/\/\/docs\.google\.com\/forms\//i, /\/\/forms\.gle\//i],
  },
  { name: 'Typeform', kind: 'foreign_form', urls: [/\/\/(?:[\w-]+\.)?typeform\.com\//i] },
  { name: 'Jotform', kind: 'foreign_form', urls: [/\/\/(?:[\w-]+\.)?jotform\.(?:com|me)\//i] },
  { name: 'Formspree', kind: 'foreign_form', urls: [/\/\/formspree\.io\//i] },
  { name: 'FormSubmit', kind: 'foreign_form', urls: [/\/\/formsubmit\.co\//i] },
  { name: 'Getform', kind: 'foreign_form', urls: [/\/\/getform\.io\//i] },
  { name: 'Basin', kind: 'foreign_form', urls: [/\/\/usebasin\.com\//i] },
  { name: 'Web3Forms', kind: 'foreign_form', urls: [/\/\/api\.web3forms\.com\//i] },
  { name: 'Tally', kind: 'foreign_form', urls: [/\/\/tally\.so\//i] },
  {
    name: 'HubSpot Forms',
    kind: 'foreign_form',
    urls: [/\/\/(?:[\w-]+\.)?hsforms\.(?:com|net)\//i],
  },
  { name: 'Mailchimp', kind: 'foreign_form', urls: [/\/\/[\w.-]*list-manage\.com\//i] },
  { name: 'Zapier', kind: 'foreign_form', urls: [/\/\/hooks\.zapier\.com\//i] },
  { name: 'Airtable', kind: 'foreign_form', urls: [/\/\/airtable\.com\//i] },
  {
    name: 'Яндекс Метрика',
    kind: 'russian_tracker',
    urls: [
      /\/\/mc\.yandex\.(?:ru|com|by|kz)\//i,
      /\/\/cdn\.jsdelivr\.net\/npm\/yandex-metrica-watch\//i,
    ],
    inline: [/mc\.yandex\.(?:ru|com)\/(?:metrika|watch)/i, /\bym\s*\(\s*\d+\s*,\s*['"]init['"]/],
  },
  {
    name: 'Top@Mail.ru',
    kind: 'russian_tracker',
    urls: [/\/\/top-fwz1\.mail\.ru\//i],
    inline: [/top-fwz1\.mail\.ru/i],
  },
  {
    name: 'Пиксель VK',
    kind: 'russian_tracker',
    urls: [/\/\/vk\.com\/rtrg/i, /\/\/vk\.com\/js\/api\/openapi\.js/i],
    inline: [/VK\.Retargeting\.Init/],
  },
];
