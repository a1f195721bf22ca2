import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { Client } from '../../test/http.ts';
import { hiddenValue, linkMatching, PageClient } from '../../test/portal-client.ts';

const getApp = setupTestApp();

/**
 * The portal's pages are outside ROUTES (they are HTML forms, not the JSON API), so the shared
 * fuzz test does not reach them: every kind of bad input is sent here instead, signed in and
 * not, and must get a 3xx or 4xx answer with an error code, never a 5xx.
 */
const POSTS = [
  'code',
  'verify',
  'me/withdraw',
  'me/unsubscribe',
  'me/request',
  'me/logout',
] as const;

type Bad = {
  label: string;
  body: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
};

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function badBodies(csrf: string): Bad[] {
  const withCsrf = (rest: string) => `csrf=${encodeURIComponent(csrf)}&${rest}`;
  return [
    { label: 'empty', body: '', headers: FORM },
    {
      label: 'JSON',
      body: '{"csrf":"x","code":"123456"}',
      headers: { 'content-type': 'application/json' },
    },
    { label: 'no content type', body: 'csrf=x' },
    {
      label: 'multipart',
      body: '--x\r\n\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    },
    { label: 'percent garbage', body: withCsrf('address=%E0%A4%A&code=%FF'), headers: FORM },
    {
      label: 'not UTF-8',
      body: new Uint8Array([0x63, 0x73, 0x72, 0x66, 0x3d, 0xff, 0xfe]),
      headers: FORM,
    },
    { label: 'unknown fields', body: withCsrf('isAdmin=true&role=owner'), headers: FORM },
    {
      label: 'repeated fields',
      body: withCsrf('type=stop&type=deletion&purposeId=1&purposeId=2'),
      headers: FORM,
    },
    {
      label: 'wrong values',
      body: withCsrf('address=@@&code=abcdef&purposeId=not-a-uuid&type=rkn'),
      headers: FORM,
    },
    {
      label: 'too long',
      body: withCsrf(`address=${'a'.repeat(5000)}&details=${'я'.repeat(5000)}`),
      headers: FORM,
    },
    { label: 'huge', body: withCsrf(`details=${'x'.repeat(40_000)}`), headers: FORM },
    {
      label: 'many fields',
      body: withCsrf(Array.from({ length: 500 }, (_, index) => `f${index}=1`).join('&')),
      headers: FORM,
    },
    {
      label: 'script in values',
      body: withCsrf(
        'address=<script>alert(1)</script>&details=<img src=x onerror=alert(1)>&type=correction',
      ),
      headers: FORM,
    },
    { label: 'missing token', body: 'address=a%40b.c&code=123456', headers: FORM },
  ];
}

describe('bad input on every privacy portal page', () => {
  let org: CaptureOrg;
  let signedIn: PageClient;
  let signedInCsrf: string;

  beforeAll(async () => {
    const testApp = getApp();
    testApp.deps.portalRateLimits = {
      codesPerClientIp: 100_000,
      codesPerAddress: 100_000,
      checksPerClientIp: 100_000,
    };
    org = await makeCaptureOrg(testApp);
    const answer = await new Client(testApp).post<{ receiptUrl: string }>(
      `/f/${org.form.slug}/submit`,
      {
        values: { name: 'Пётр', phone: '+79161110000' },
        consents: {
          appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
        },
      },
    );
    signedIn = new PageClient(testApp);
    const receipt = await signedIn.get(new URL(answer.body.receiptUrl).pathname);
    await signedIn.get(linkMatching(receipt.text, /^\/p\/link\//));
    signedInCsrf = hiddenValue((await signedIn.get(`/p/${org.slug}/me`)).text, 'csrf');
  });

  it('answers every bad post with 4xx and an error code, signed in or not', async () => {
    const testApp = getApp();
    const anonymous = new PageClient(testApp);
    const signInPage = await anonymous.get(`/p/${org.slug}`);
    const anonymousCsrf = hiddenValue(signInPage.text, 'csrf');
    const callers = [
      { name: 'anonymous', client: anonymous, csrf: anonymousCsrf },
      { name: 'signed in', client: signedIn, csrf: signedInCsrf },
      { name: 'no cookies', client: new PageClient(testApp), csrf: 'x' },
    ];
    const failures: string[] = [];
    for (const caller of callers) {
      for (const path of POSTS) {
        for (const bad of badBodies(caller.csrf)) {
          for (const accept of ['text/html', 'application/json']) {
            const answer = await caller.client.request('POST', `/p/${org.slug}/${path}`, {
              body: bad.body,
              headers: { ...bad.headers, accept },
            });
            const label = `${caller.name} POST ${path} ${bad.label} (${accept})`;
            if (answer.status >= 500 || answer.status < 300) {
              failures.push(`${label}: ${answer.status}`);
              continue;
            }
            if (answer.status >= 400) {
              const hasCode =
                accept === 'application/json'
                  ? /"code":"[a-z_]+"/.test(answer.text)
                  : /data-error-code="[a-z_]+"|data-codes="[a-z_ ]+"/.test(answer.text);
              if (!hasCode) failures.push(`${label}: ${answer.status} without an error code`);
              if (answer.text.includes('<script>alert(1)</script>'))
                failures.push(`${label}: echoed a script`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // The session survived the noise and nothing was withdrawn or filed by it.
    const portal = await signedIn.get(`/p/${org.slug}/me`);
    expect(portal.status).toBe(200);
    expect(portal.text).toContain('class="state-given"');
    expect(portal.text).not.toContain('data-request="');
  });

  it('answers bad addresses with 404 or a redirect, never 5xx', async () => {
    const testApp = getApp();
    const browser = new PageClient(testApp);
    const paths = [
      '/p',
      '/p/',
      '/p/%E0%A4%A',
      '/p/UPPER-case',
      `/p/${'a'.repeat(70)}`,
      '/p/no-such-clinic',
      '/p/no-such-clinic/me',
      '/p/no-such-clinic/me/export.json',
      `/p/${org.slug}/me/export.xml`,
      `/p/${org.slug}/unknown`,
      `/p/${org.slug}?lang=<script>`,
      `/p/${org.slug}?lang=en&lang=ru&done=%FF`,
      '/p/link/not-a-token',
      `/p/link/${randomUUID()}.${randomUUID()}.zzzzzzzzzzzz.${'A'.repeat(32)}`,
      `/p/link/${randomUUID()}.${randomUUID()}.0.${'A'.repeat(32)}`,
      '/p/link/%00',
    ];
    const failures: string[] = [];
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        const answer = await browser.request(
          method,
          path,
          method === 'GET' ? {} : { headers: FORM, body: 'a=1' },
        );
        if (answer.status >= 500 || answer.status < 200)
          failures.push(`${method} ${path}: ${answer.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
