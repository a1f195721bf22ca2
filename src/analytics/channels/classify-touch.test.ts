import { describe, expect, it } from 'vitest';
import { ATTRIBUTION_KEYS, campaignOf } from '../../forms/attribution.ts';
import { ZChannelRule } from './channel-rules.schema.ts';
import {
  type ChannelRule,
  DEFAULT_CHANNEL_RULES,
  DEFAULT_CHANNELS,
  TOUCH_FIELDS,
} from './channel-rules.ts';
import { classifyTouch } from './classify-touch.ts';

const CLINIC = 'https://clinic.example/implants';

function channelOf(touch: Parameters<typeof classifyTouch>[0]): string {
  return classifyTouch({ landing_page: CLINIC, ...touch }).channel;
}

describe('default channel rules', () => {
  it('reads a Yandex Direct click from its landing address: channel, campaign, keyword', () => {
    const landing = `${CLINIC}?utm_source=yandex&utm_medium=cpc&utm_campaign=implants&utm_term=имплантация+зубов&yclid=1`;
    const touch = { ...campaignOf(new URL(landing).searchParams), landing_page: landing };
    expect(classifyTouch(touch)).toEqual({
      channel: 'yandex_direct',
      source: 'yandex',
      campaign: 'implants',
      keyword: 'имплантация зубов',
      ruleId: 'yandex-direct-yclid',
    });
  });

  it.each([
    ['yclid alone', { yclid: '5123' }, 'yandex_direct'],
    ['yandex + cpc, no click id', { utm_source: 'Yandex', utm_medium: 'CPC' }, 'yandex_direct'],
    ['yandex + cpm', { utm_source: 'yandex', utm_medium: 'cpm' }, 'yandex_direct'],
    [
      'a Yandex search referrer',
      { referrer: 'https://yandex.ru/search/?text=x' },
      'yandex_organic',
    ],
    ['ya.ru', { referrer: 'https://ya.ru/' }, 'yandex_organic'],
    ['the Yandex app', { referrer: 'android-app://ru.yandex.searchplugin/' }, 'yandex_organic'],
    ['yandex + organic tags', { utm_source: 'yandex', utm_medium: 'organic' }, 'yandex_organic'],
    ['gclid', { gclid: 'Cj0K' }, 'google_ads'],
    ['google + cpc', { utm_source: 'google', utm_medium: 'cpc' }, 'google_ads'],
    ['a Google search referrer', { referrer: 'https://www.google.com/' }, 'google_organic'],
    ['google.ru', { referrer: 'https://www.google.ru/' }, 'google_organic'],
    ['google.co.uk', { referrer: 'https://www.google.co.uk/' }, 'google_organic'],
    ['yandex.com.tr', { referrer: 'https://yandex.com.tr/search' }, 'yandex_organic'],
    ['a look-alike of Yandex', { referrer: 'https://yandex.example.com/' }, 'referral'],
    ['a look-alike of Google', { referrer: 'https://google.example.com/' }, 'referral'],
    ['Bing', { referrer: 'https://www.bing.com/' }, 'other_search'],
    ['Mail.ru search', { referrer: 'https://go.mail.ru/search?q=x' }, 'other_search'],
    ['vkclid', { vkclid: 'abc' }, 'vk_ads'],
    ['vk + cpc', { utm_source: 'vk', utm_medium: 'cpc' }, 'vk_ads'],
    ['myTarget', { utm_source: 'mytarget', utm_medium: 'banner' }, 'vk_ads'],
    ['a vk.com referrer', { referrer: 'https://vk.com/clinic' }, 'vk_social'],
    ['the VK app', { referrer: 'android-app://com.vkontakte.android' }, 'vk_social'],
    ['vk + a post', { utm_source: 'vk', utm_medium: 'post' }, 'vk_social'],
    ['telegram + cpm', { utm_source: 'telegram', utm_medium: 'cpm' }, 'telegram_ads'],
    ['tgads', { utm_source: 'tgads' }, 'telegram_ads'],
    ['a t.me referrer', { referrer: 'https://t.me/clinic_channel' }, 'telegram'],
    ['telegram tags without paid medium', { utm_source: 'tg', utm_medium: 'post' }, 'telegram'],
    ['Yandex Maps', { referrer: 'https://yandex.ru/maps/org/clinic/123/' }, 'maps'],
    ['Yandex Maps profile', { referrer: 'https://yandex.ru/profile/123' }, 'maps'],
    ['2GIS', { referrer: 'https://2gis.ru/moscow/firm/70000001' }, 'maps'],
    ['2GIS tags', { utm_source: '2gis', utm_medium: 'cpc' }, 'maps'],
    ['Google Maps', { referrer: 'https://www.google.com/maps/place/x' }, 'maps'],
    ['map tags', { utm_source: 'yandex_maps' }, 'maps'],
    ['ProDoctorov', { referrer: 'https://prodoctorov.ru/moskva/lpu/1-clinic/' }, 'aggregators'],
    ['NaPopravku', { referrer: 'https://napopravku.ru/moskva/clinics/x/' }, 'aggregators'],
    ['SberZdorovie (DocDoc)', { referrer: 'https://docdoc.ru/clinic/x' }, 'aggregators'],
    ['SberHealth tags', { utm_source: 'sberhealth', utm_medium: 'referral' }, 'aggregators'],
    ['email tags', { utm_source: 'newsletter_march', utm_medium: 'email' }, 'email'],
    ['Yandex Mail webmail', { referrer: 'https://mail.yandex.ru/' }, 'email'],
    ['Gmail', { referrer: 'https://mail.google.com/' }, 'email'],
    ['SMS tags', { utm_source: 'reminder', utm_medium: 'sms' }, 'sms'],
    ['WhatsApp tags', { utm_source: 'whatsapp' }, 'messengers'],
    ['a WhatsApp referrer', { referrer: 'https://web.whatsapp.com/' }, 'messengers'],
    ['Viber tags', { utm_source: 'viber', utm_medium: 'message' }, 'messengers'],
    ['another site', { referrer: 'https://forum.example.org/thread/1' }, 'referral'],
    ['partner tags', { utm_source: 'partner_blog', utm_medium: 'referral' }, 'referral'],
    ['unknown tags', { utm_source: 'flyer_qr', utm_medium: 'offline' }, 'other_tagged'],
    ['no referrer, no tags', {}, 'direct'],
    ['a page of the site itself', { referrer: 'https://www.clinic.example/prices' }, 'direct'],
    ['a referrer that is not an address', { referrer: 'not a url' }, 'direct'],
  ])('%s → %s', (_name, touch, channel) => {
    expect(channelOf(touch)).toBe(channel);
  });

  it('names the source of a referral by its host and of a map or aggregator by the service', () => {
    expect(classifyTouch({ referrer: 'https://www.forum.example.org/t/1' })).toMatchObject({
      channel: 'referral',
      source: 'forum.example.org',
    });
    expect(classifyTouch({ referrer: 'https://2gis.ru/spb/firm/1' })).toMatchObject({
      source: '2gis',
    });
    expect(classifyTouch({ referrer: 'https://prodoctorov.ru/x' })).toMatchObject({
      source: 'prodoctorov',
    });
    expect(classifyTouch({ utm_source: 'NaPopravku' })).toMatchObject({
      channel: 'aggregators',
      source: 'napopravku',
    });
    expect(classifyTouch({})).toEqual({
      channel: 'direct',
      source: null,
      campaign: null,
      keyword: null,
      ruleId: 'direct',
    });
  });

  it('covers every default channel, and only the listed ones', () => {
    const listed = DEFAULT_CHANNELS.map((channel) => channel.id).sort();
    const used = [...new Set(DEFAULT_CHANNEL_RULES.map((rule) => rule.result.channel))].sort();
    expect(used).toEqual(listed);
  });

  it('keeps every default rule in the shape an organization may store', () => {
    for (const rule of DEFAULT_CHANNEL_RULES) {
      expect(ZChannelRule.safeParse(rule).success, rule.id).toBe(true);
    }
    expect(new Set(DEFAULT_CHANNEL_RULES.map((rule) => rule.id)).size).toBe(
      DEFAULT_CHANNEL_RULES.length,
    );
  });

  it('reads the same fields as a lead’s stored attribution', () => {
    for (const field of TOUCH_FIELDS) expect(ATTRIBUTION_KEYS).toContain(field);
  });
});

describe('organization rules', () => {
  it('go before the defaults and may take campaign and keyword from other fields', () => {
    const orgRules: ChannelRule[] = [
      {
        id: 'doctor-radio',
        when: [
          { field: 'utm_source', equals: 'radio' },
          { field: 'landing_page', contains: '/promo' },
        ],
        result: {
          channel: 'radio',
          source: 'europa_plus',
          campaign: { field: 'utm_content' },
          keyword: null,
        },
      },
      {
        id: 'brand-search',
        when: [
          { field: 'yclid', present: true },
          { field: 'utm_campaign', regex: '^brand[-_]' },
        ],
        result: { channel: 'yandex_direct_brand' },
      },
    ];
    expect(
      classifyTouch(
        {
          utm_source: 'radio',
          utm_content: 'spring',
          landing_page: 'https://clinic.example/promo/1',
        },
        orgRules,
      ),
    ).toEqual({
      channel: 'radio',
      source: 'europa_plus',
      campaign: 'spring',
      keyword: null,
      ruleId: 'doctor-radio',
    });
    expect(
      classifyTouch({ yclid: '1', utm_source: 'yandex', utm_campaign: 'Brand_Moscow' }, orgRules),
    ).toMatchObject({
      channel: 'yandex_direct_brand',
      source: 'yandex',
      campaign: 'Brand_Moscow',
    });
    // Without the organization's rules the same click is plain Yandex Direct.
    expect(classifyTouch({ yclid: '1', utm_campaign: 'Brand_Moscow' }).channel).toBe(
      'yandex_direct',
    );
  });

  it('refuse patterns with nested quantifiers', () => {
    const rule = (regex: string) => ({
      id: 'r',
      when: [{ field: 'referrer', regex }],
      result: { channel: 'x' },
    });
    expect(ZChannelRule.safeParse(rule('^(a+)+$')).success).toBe(false);
    expect(ZChannelRule.safeParse(rule('(\\w*)*x')).success).toBe(false);
    expect(ZChannelRule.safeParse(rule('(a|b+){3,}')).success).toBe(false);
    expect(ZChannelRule.safeParse(rule('^(promo|akciya)/[a-z]+$')).success).toBe(true);
  });

  it('are refused when malformed', () => {
    const bad = ZChannelRule.safeParse({
      id: 'Bad Id',
      when: [
        { field: 'utm_source', regex: '(' },
        { field: 'phone', equals: 'x' },
      ],
      result: { channel: 'x' },
      extra: 1,
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((issue) => issue.path.join('.')) ?? [];
    // The id's form, the broken pattern, the unknown field, the unknown key (at the root).
    expect(paths).toEqual(['id', 'when.0.regex', 'when.1', '']);
  });
});
