import { describe, expect, it } from 'vitest';
import { cleanAttribution, cleanPageUrl } from './attribution.ts';

describe('page addresses kept with a lead', () => {
  it('keeps only utm_* and click ids, and drops credentials and the fragment', () => {
    expect(
      cleanPageUrl(
        'https://user:pw@clinic.test/a/b?utm_source=yandex&phone=%2B79161234567&email=a%40b.ru&yclid=9&token=t#form',
      ),
    ).toBe('https://clinic.test/a/b?utm_source=yandex&yclid=9');
    expect(cleanPageUrl('https://clinic.test/?session=abc')).toBe('https://clinic.test/');
  });

  it('refuses what is not an http(s) address', () => {
    for (const raw of ['javascript:alert(1)', 'data:text/html,x', 'not a url', '', null]) {
      expect(cleanPageUrl(raw)).toBeNull();
    }
  });

  it('caps the length of an address', () => {
    const long = `https://clinic.test/${'p'.repeat(3000)}?utm_source=x`;
    expect(cleanPageUrl(long)?.length).toBe(1000);
    const longCampaign = `https://clinic.test/?utm_campaign=${'c'.repeat(2000)}`;
    expect(cleanPageUrl(longCampaign)).toBe(`https://clinic.test/?utm_campaign=${'c'.repeat(200)}`);
  });
});

describe('attribution', () => {
  it('keeps known keys, strips control characters and caps values', () => {
    const clean = cleanAttribution({
      utm_source: '  yandex\u0007 ',
      utm_term: 'x'.repeat(500),
      referrer: 'https://ya.ru/?q=secret',
      landing_page: 'ftp://clinic.test/',
      gclid: '',
      ...({ password: 'nope' } as Record<string, string>),
    });
    expect(clean).toEqual({
      utm_source: 'yandex',
      utm_term: 'x'.repeat(200),
      referrer: 'https://ya.ru/',
    });
  });
});
