import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSite } from './check-site.ts';
import { FINDING_CODES, FINDINGS } from './site-check.codes.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/site-check');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

function codesOf(name: string, options: Parameters<typeof checkSite>[1] = {}): string[] {
  return checkSite(fixture(name), options)
    .findings.map((finding) => finding.code)
    .sort();
}

describe('checkSite on the acceptance fixtures (exact sets of codes)', () => {
  const cases: [string, string[]][] = [
    ['good-form.html', []],
    // R-C1, R-G1: a pre-ticked box is not consent.
    ['prechecked.html', ['consent_checkbox_prechecked']],
    // R-L4: the policy is linked where data are collected.
    ['no-policy-link.html', ['policy_link_missing']],
    // R-C2: one checkbox for processing and advertising.
    ['bundled.html', ['consents_bundled']],
    // R-L1: a foreign tracker on the page.
    ['google-analytics.html', ['foreign_tracker']],
    ['recaptcha.html', ['foreign_captcha']],
    ['yandex-metrica.html', ['russian_tracker_needs_policy_mention']],
    // R-E0: analytics without a cookie notice.
    ['no-cookie-notice.html', ['cookie_notice_missing', 'russian_tracker_needs_policy_mention']],
    ['clinic-no-prices.html', ['page_missing_prices']],
    // R-C1: "by pressing the button you agree" is not consent.
    ['no-consent.html', ['consent_missing']],
    [
      'foreign-services.html',
      [
        'cookie_notice_missing',
        'foreign_chat_widget',
        'foreign_font',
        'foreign_form_action',
        'foreign_tracker',
        'seo_canonical_missing',
        'seo_h1_multiple',
        'seo_meta_description_missing',
      ],
    ],
    ['bakery.html', []],
    [
      'fragment-form.html',
      ['consent_checkbox_prechecked', 'consents_bundled', 'policy_link_missing'],
    ],
  ];
  for (const [name, expected] of cases) {
    it(`finds exactly ${expected.length === 0 ? 'nothing' : expected.join(', ')} on ${name}`, () => {
      expect(codesOf(name)).toEqual([...expected].sort());
    });
  }
});

describe('checkSite details', () => {
  it('scores a clean page 100 and lowers the score by severity', () => {
    expect(checkSite(fixture('good-form.html')).score).toBe(100);
    const tracker = checkSite(fixture('google-analytics.html'));
    expect(tracker.score).toBe(80);
    expect(tracker.counts).toEqual({ high: 1, medium: 0, low: 0 });
    const many = checkSite(fixture('foreign-services.html'));
    expect(many.score).toBeLessThan(tracker.score);
    expect(many.score).toBeGreaterThanOrEqual(0);
  });

  it('names the services it found as evidence', () => {
    const result = checkSite(fixture('foreign-services.html'));
    const byCode = new Map(result.findings.map((finding) => [finding.code, finding]));
    expect(byCode.get('foreign_tracker')?.evidence.sort()).toEqual([
      'Google Tag Manager',
      'Meta Pixel',
    ]);
    expect(byCode.get('foreign_font')?.evidence).toEqual(['Google Fonts']);
    expect(byCode.get('foreign_chat_widget')?.evidence).toEqual(['Tawk.to']);
    expect(byCode.get('foreign_form_action')?.evidence).toEqual(['Formspree']);
  });

  it('sorts findings high first and gives each a Russian and English message and fix', () => {
    const result = checkSite(fixture('foreign-services.html'));
    const order = result.findings.map((finding) => finding.severity);
    expect(order).toEqual(
      [...order].sort(
        (a, b) => ['high', 'medium', 'low'].indexOf(a) - ['high', 'medium', 'low'].indexOf(b),
      ),
    );
    for (const finding of result.findings) {
      expect(finding.message.ru).toMatch(/[а-я]/i);
      expect(finding.fix.ru).toMatch(/[а-я]/i);
      expect(finding.message.en).toMatch(/[a-z]/i);
    }
  });

  it('checks a clinic’s key pages only on a clinic site unless asked', () => {
    const bakery = fixture('bakery.html');
    expect(checkSite(bakery).isClinic).toBe(false);
    const asked = checkSite(bakery, { clinic: true }).findings.map((finding) => finding.code);
    expect(asked.filter((code) => code.startsWith('page_missing_')).sort()).toEqual([
      'page_missing_about',
      'page_missing_booking',
      'page_missing_doctors',
      'page_missing_licenses',
      'page_missing_prices',
      'page_missing_reviews',
    ]);
    expect(codesOf('clinic-no-prices.html', { clinic: false })).toEqual([]);
  });

  it('skips page-level checks on a fragment', () => {
    const result = checkSite(fixture('fragment-form.html'));
    expect(result.isFullPage).toBe(false);
    expect(result.findings.some((finding) => finding.category === 'seo')).toBe(false);
  });

  it('reports a missing H1 and title, and a page too heavy', () => {
    const html = `<html><head></head><body><p>${'x'.repeat(1_100_000)}</p></body></html>`;
    const codes = checkSite(html)
      .findings.map((finding) => finding.code)
      .sort();
    expect(codes).toEqual([
      'page_too_heavy',
      'seo_canonical_missing',
      'seo_h1_missing',
      'seo_meta_description_missing',
      'seo_title_missing',
    ]);
  });

  it('reports one checkbox linking two consent documents as bundled (R-C2)', () => {
    const html = `<form><input type="tel" name="phone">
      <label><input type="checkbox" name="c"> Принимаю <a href="/consent/a">согласие 1</a> и <a href="/consent/b">согласие 2</a></label>
      <a href="/policy">Политика</a></form>`;
    expect(checkSite(html).findings.map((finding) => finding.code)).toEqual(['consents_bundled']);
  });

  it('reads each of two unlabelled boxes in one block by its own words', () => {
    const html = `<form><input type="tel" name="phone"><div>
      <input type="checkbox" name="a"> Согласие на <a href="/consent/processing">обработку персональных данных</a><br>
      <input type="checkbox" name="b" checked> Согласие на <a href="/consent/mailing">рекламную рассылку</a>
      </div><a href="/policy">Политика</a></form>`;
    const result = checkSite(html);
    expect(result.findings.map((finding) => finding.code)).toEqual(['consent_checkbox_prechecked']);
    expect(result.findings[0]?.evidence).toEqual(['form 1: b']);
  });

  it('does not treat a search form or a login form as collecting personal data', () => {
    const html = `<form role="search"><input name="q"></form>
      <form action="/login"><input type="email" name="email"><input type="password" name="password"></form>`;
    expect(checkSite(html).findings).toEqual([]);
  });

  it('finds a Google Form embedded in a frame and Tag Manager in a noscript frame', () => {
    const html = `<html><head><title>t</title></head><body>
      <noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-ABCD"></iframe></noscript>
      <iframe src="https://docs.google.com/forms/d/e/1FAIpQL/viewform?embedded=true"></iframe></body></html>`;
    const codes = checkSite(html).findings.map((finding) => finding.code);
    expect(codes).toContain('foreign_form_action');
    expect(codes).toContain('foreign_tracker');
  });

  it('ignores a plain link to a foreign site and a Russian captcha', () => {
    const html = `<a href="https://www.google.com/maps">Карта</a><a href="https://facebook.com/klinika">Facebook</a>
      <script src="https://smartcaptcha.yandexcloud.net/captcha.js"></script>`;
    expect(checkSite(html).findings).toEqual([]);
  });

  it('has a definition for every code', () => {
    for (const code of FINDING_CODES) expect(FINDINGS[code].message.ru.length).toBeGreaterThan(10);
  });
});
