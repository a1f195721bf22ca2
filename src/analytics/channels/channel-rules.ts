// Channel classification rules as data: an ordered list, the first rule whose conditions all
// hold decides. An organization's own rules, of the same shape, go in front of the defaults.

/** What a touch (visit or lead) carries; the names are those of forms/attribution.ts. */
export const TOUCH_FIELDS = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'yclid',
  'gclid',
  'vkclid',
  'referrer',
  'landing_page',
] as const;
export type TouchField = (typeof TOUCH_FIELDS)[number];
export type TouchInput = Partial<Record<TouchField, string | null | undefined>>;

/** Fields a rule may test: the touch's own, and the hosts and path read from its addresses. */
export const RULE_FIELDS = [
  ...TOUCH_FIELDS,
  /** The referrer's host, lower case, without `www.`. */
  'referrer_host',
  /** The referrer's path, e.g. `/maps/213/moscow/` (never its query). */
  'referrer_path',
  /** The landing page's host, lower case, without `www.`. */
  'landing_host',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/**
 * One test on one field. `equals` and `contains` ignore case and take one value or a list (any
 * of them); `regex` is a JavaScript pattern matched without case; `present` tests for a
 * non-blank value; `sameAs` compares with another field, ignoring case (both present).
 */
export type RuleCondition =
  | { field: RuleField; equals: string | readonly string[] }
  | { field: RuleField; contains: string | readonly string[] }
  | { field: RuleField; regex: string }
  | { field: RuleField; present: boolean }
  | { field: RuleField; sameAs: RuleField };

/** A result part: a fixed text, a field's value, or null (nothing). */
export type RuleValue = string | { field: RuleField } | null;

export type ChannelRule = {
  /** Stable id, shown next to a classification so an editor can tell which rule decided. */
  id: string;
  /** All must hold; an empty list always holds. */
  when: readonly RuleCondition[];
  /**
   * The channel, and optionally how to fill the rest. Defaults: source = utm_source, else the
   * referrer's host; campaign = utm_campaign; keyword = utm_term.
   */
  result: { channel: string; source?: RuleValue; campaign?: RuleValue; keyword?: RuleValue };
};

/** The default channels, with the names the interface shows. */
export const DEFAULT_CHANNELS = [
  { id: 'yandex_direct', en: 'Yandex Direct', ru: 'Яндекс Директ' },
  { id: 'yandex_organic', en: 'Yandex organic search', ru: 'Яндекс, поиск' },
  { id: 'google_ads', en: 'Google Ads', ru: 'Google Ads' },
  { id: 'google_organic', en: 'Google organic search', ru: 'Google, поиск' },
  { id: 'other_search', en: 'Other search engines', ru: 'Другие поисковики' },
  { id: 'vk_ads', en: 'VK Ads', ru: 'VK Реклама' },
  { id: 'vk_social', en: 'VK', ru: 'ВКонтакте' },
  { id: 'telegram_ads', en: 'Telegram Ads', ru: 'Telegram Ads' },
  { id: 'telegram', en: 'Telegram', ru: 'Telegram' },
  { id: 'maps', en: 'Maps', ru: 'Карты' },
  { id: 'aggregators', en: 'Aggregators', ru: 'Агрегаторы' },
  { id: 'email', en: 'Email', ru: 'Email' },
  { id: 'sms', en: 'SMS', ru: 'SMS' },
  { id: 'messengers', en: 'Messengers', ru: 'Мессенджеры' },
  { id: 'other_tagged', en: 'Other tagged links', ru: 'Другие размеченные ссылки' },
  { id: 'referral', en: 'Referral', ru: 'Переходы с сайтов' },
  { id: 'direct', en: 'Direct', ru: 'Прямые заходы' },
] as const;

const PAID_MEDIA = [
  'cpc',
  'cpm',
  'cpa',
  'cpv',
  'ppc',
  'paid',
  'ads',
  'ad',
  'banner',
  'display',
  'context',
  'contextual',
  'target',
  'targeting',
  'retargeting',
  'paid_social',
  'paidsocial',
  'paid-social',
];
const YANDEX_SOURCES = [
  'yandex',
  'yandex_direct',
  'yandexdirect',
  'ydirect',
  'direct.yandex',
  'ya',
];
const GOOGLE_SOURCES = ['google', 'google_ads', 'googleads', 'adwords'];
const VK_SOURCES = ['vk', 'vkontakte', 'vk.com', 'vk.ru'];
const VK_AD_SOURCES = ['vk_ads', 'vkads', 'ads.vk.com', 'mytarget', 'target.my.com'];
const TELEGRAM_SOURCES = ['telegram', 'tg', 't.me'];
const TELEGRAM_AD_SOURCES = ['telegram_ads', 'tgads', 'tg_ads'];
const MAP_SOURCES = ['yandex_maps', 'yandexmaps', 'yamaps', '2gis', 'dgis', 'google_maps', 'maps'];
const AGGREGATOR_SOURCES = [
  'prodoctorov',
  'napopravku',
  'sberhealth',
  'sberzdorovie',
  'docdoc',
  'zoon',
];
const EMAIL_MEDIA = ['email', 'e-mail', 'e_mail', 'mail', 'newsletter'];
const EMAIL_SOURCES = ['email', 'newsletter', 'unisender', 'sendpulse', 'mailchimp', 'dashamail'];
const MESSENGER_SOURCES = ['whatsapp', 'wa', 'viber'];

// Country domains only, so that a look-alike such as yandex.example.com is not a search engine.
const YANDEX_DOMAIN = 'yandex\\.(ru|com|by|kz|uz|ua|az|com\\.tr|com\\.am|com\\.ge|fr|eu|net)';
const GOOGLE_DOMAIN = 'google\\.([a-z]{2,3}|com?\\.[a-z]{2})';

/** A host and its subdomains: `hostPattern('2gis\\.ru')` matches 2gis.ru and spb.2gis.ru. */
function hostPattern(domains: string): string {
  return `(^|\\.)(${domains})$`;
}

function fromReferrer(id: string, channel: string, source: string, domains: string): ChannelRule {
  return {
    id,
    when: [{ field: 'referrer_host', regex: hostPattern(domains) }],
    result: { channel, source },
  };
}

/** The default rules, in order: click ids, then UTM tags, then the referrer, then direct. */
export const DEFAULT_CHANNEL_RULES: readonly ChannelRule[] = [
  // Click ids are added by the ad systems themselves: the surest sign of a paid click.
  {
    id: 'yandex-direct-yclid',
    when: [{ field: 'yclid', present: true }],
    result: { channel: 'yandex_direct', source: 'yandex' },
  },
  {
    id: 'google-ads-gclid',
    when: [{ field: 'gclid', present: true }],
    result: { channel: 'google_ads', source: 'google' },
  },
  {
    id: 'vk-ads-vkclid',
    when: [{ field: 'vkclid', present: true }],
    result: { channel: 'vk_ads', source: 'vk' },
  },
  // UTM tags: the marketer's own labels.
  {
    id: 'yandex-direct-utm',
    when: [
      { field: 'utm_source', equals: YANDEX_SOURCES },
      { field: 'utm_medium', equals: PAID_MEDIA },
    ],
    result: { channel: 'yandex_direct', source: 'yandex' },
  },
  {
    id: 'google-ads-utm',
    when: [
      { field: 'utm_source', equals: GOOGLE_SOURCES },
      { field: 'utm_medium', equals: PAID_MEDIA },
    ],
    result: { channel: 'google_ads', source: 'google' },
  },
  {
    id: 'vk-ads-utm-source',
    when: [{ field: 'utm_source', equals: VK_AD_SOURCES }],
    result: { channel: 'vk_ads', source: 'vk' },
  },
  {
    id: 'vk-ads-utm',
    when: [
      { field: 'utm_source', equals: VK_SOURCES },
      { field: 'utm_medium', equals: PAID_MEDIA },
    ],
    result: { channel: 'vk_ads', source: 'vk' },
  },
  {
    id: 'telegram-ads-utm-source',
    when: [{ field: 'utm_source', equals: TELEGRAM_AD_SOURCES }],
    result: { channel: 'telegram_ads', source: 'telegram' },
  },
  {
    id: 'telegram-ads-utm',
    when: [
      { field: 'utm_source', equals: TELEGRAM_SOURCES },
      { field: 'utm_medium', equals: PAID_MEDIA },
    ],
    result: { channel: 'telegram_ads', source: 'telegram' },
  },
  {
    id: 'maps-utm-source',
    when: [{ field: 'utm_source', equals: MAP_SOURCES }],
    result: { channel: 'maps' },
  },
  {
    id: 'maps-utm-medium',
    when: [{ field: 'utm_medium', equals: ['maps', 'map'] }],
    result: { channel: 'maps' },
  },
  {
    id: 'aggregators-utm',
    when: [{ field: 'utm_source', equals: AGGREGATOR_SOURCES }],
    result: { channel: 'aggregators' },
  },
  {
    id: 'email-utm-medium',
    when: [{ field: 'utm_medium', equals: EMAIL_MEDIA }],
    result: { channel: 'email' },
  },
  {
    id: 'email-utm-source',
    when: [{ field: 'utm_source', equals: EMAIL_SOURCES }],
    result: { channel: 'email' },
  },
  { id: 'sms-utm', when: [{ field: 'utm_medium', equals: 'sms' }], result: { channel: 'sms' } },
  {
    id: 'sms-utm-source',
    when: [{ field: 'utm_source', equals: 'sms' }],
    result: { channel: 'sms' },
  },
  {
    id: 'messengers-utm',
    when: [{ field: 'utm_source', equals: MESSENGER_SOURCES }],
    result: { channel: 'messengers' },
  },
  {
    id: 'messengers-utm-medium',
    when: [{ field: 'utm_medium', equals: ['messenger', 'whatsapp', 'viber'] }],
    result: { channel: 'messengers' },
  },
  {
    id: 'telegram-utm',
    when: [{ field: 'utm_source', equals: TELEGRAM_SOURCES }],
    result: { channel: 'telegram', source: 'telegram' },
  },
  {
    id: 'vk-social-utm',
    when: [{ field: 'utm_source', equals: VK_SOURCES }],
    result: { channel: 'vk_social', source: 'vk' },
  },
  {
    id: 'yandex-organic-utm',
    when: [
      { field: 'utm_source', equals: 'yandex' },
      { field: 'utm_medium', equals: 'organic' },
    ],
    result: { channel: 'yandex_organic', source: 'yandex' },
  },
  {
    id: 'google-organic-utm',
    when: [
      { field: 'utm_source', equals: 'google' },
      { field: 'utm_medium', equals: 'organic' },
    ],
    result: { channel: 'google_organic', source: 'google' },
  },
  {
    id: 'referral-utm',
    when: [{ field: 'utm_medium', equals: ['referral', 'partner', 'affiliate'] }],
    result: { channel: 'referral' },
  },
  // Tagged, but with a source no rule knows: kept apart from referrals and direct.
  {
    id: 'other-tagged',
    when: [{ field: 'utm_source', present: true }],
    result: { channel: 'other_tagged' },
  },
  // The referrer, for untagged visits. Maps and webmail first: they live on search domains.
  {
    id: 'maps-yandex-referrer',
    when: [
      { field: 'referrer_host', regex: hostPattern(`${YANDEX_DOMAIN}|ya\\.ru`) },
      { field: 'referrer_path', regex: '^/(maps|profile|web-maps)(/|$)' },
    ],
    result: { channel: 'maps', source: 'yandex_maps' },
  },
  fromReferrer(
    'maps-yandex-host',
    'maps',
    'yandex_maps',
    `maps\\.${YANDEX_DOMAIN}|ru\\.yandex\\.yandexmaps`,
  ),
  {
    id: 'maps-google-referrer',
    when: [
      { field: 'referrer_host', regex: hostPattern(GOOGLE_DOMAIN) },
      { field: 'referrer_path', regex: '^/maps(/|$)' },
    ],
    result: { channel: 'maps', source: 'google_maps' },
  },
  fromReferrer(
    'maps-google-host',
    'maps',
    'google_maps',
    `maps\\.${GOOGLE_DOMAIN}|maps\\.app\\.goo\\.gl`,
  ),
  fromReferrer('maps-2gis', 'maps', '2gis', '2gis\\.[a-z]+|ru\\.dublgis\\.dgismobile'),
  fromReferrer('aggregators-prodoctorov', 'aggregators', 'prodoctorov', 'prodoctorov\\.ru'),
  fromReferrer('aggregators-napopravku', 'aggregators', 'napopravku', 'napopravku\\.ru'),
  fromReferrer(
    'aggregators-sberhealth',
    'aggregators',
    'sberhealth',
    'sberhealth\\.ru|docdoc\\.ru',
  ),
  fromReferrer('aggregators-zoon', 'aggregators', 'zoon', 'zoon\\.ru'),
  {
    id: 'email-webmail',
    when: [
      {
        field: 'referrer_host',
        regex: hostPattern(
          `mail\\.${YANDEX_DOMAIN}|e\\.mail\\.ru|mail\\.google\\.com|outlook\\.live\\.com|mail\\.rambler\\.ru`,
        ),
      },
    ],
    result: { channel: 'email' },
  },
  fromReferrer(
    'yandex-organic',
    'yandex_organic',
    'yandex',
    `${YANDEX_DOMAIN}|ya\\.ru|ru\\.yandex\\.searchplugin`,
  ),
  fromReferrer(
    'google-organic',
    'google_organic',
    'google',
    `${GOOGLE_DOMAIN}|com\\.google\\.android\\.googlequicksearchbox`,
  ),
  {
    id: 'other-search',
    when: [
      {
        field: 'referrer_host',
        regex: hostPattern('go\\.mail\\.ru|bing\\.com|duckduckgo\\.com|nova\\.rambler\\.ru'),
      },
    ],
    result: { channel: 'other_search' },
  },
  fromReferrer(
    'vk-social-referrer',
    'vk_social',
    'vk',
    'vk\\.com|vk\\.ru|vkontakte\\.ru|com\\.vkontakte\\.android',
  ),
  fromReferrer(
    'telegram-referrer',
    'telegram',
    'telegram',
    't\\.me|telegram\\.me|telegram\\.org|org\\.telegram\\.messenger',
  ),
  fromReferrer(
    'messengers-whatsapp',
    'messengers',
    'whatsapp',
    'whatsapp\\.com|wa\\.me|com\\.whatsapp',
  ),
  fromReferrer('messengers-viber', 'messengers', 'viber', 'viber\\.com|com\\.viber\\.voip'),
  // A referrer on the clinic's own site is navigation inside it, not a source.
  {
    id: 'internal-referrer',
    when: [{ field: 'referrer_host', sameAs: 'landing_host' }],
    result: { channel: 'direct', source: null },
  },
  {
    id: 'referral',
    when: [{ field: 'referrer_host', present: true }],
    result: { channel: 'referral', source: { field: 'referrer_host' } },
  },
  { id: 'direct', when: [], result: { channel: 'direct', source: null } },
];
