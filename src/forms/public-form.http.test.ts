import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import {
  type CaptureOrg,
  formBody,
  makeCaptureOrg,
  TEST_PROFILE,
  TRANSFER_PURPOSE,
} from '../../test/capture-factories.ts';
import { signIn } from '../../test/http.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { createPurpose } from '../purposes/purposes.service.ts';
import { createForm } from './forms.service.ts';

const getApp = setupTestApp();
const GENEROUS = { perClientIp: 100_000, perForm: 100_000 };
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

beforeAll(() => {
  getApp().deps.submitRateLimits = GENEROUS;
});

type Sent = {
  json?: unknown;
  form?: Record<string, string>;
  raw?: string;
  headers?: Record<string, string>;
};

async function send(testApp: TestApp, method: string, path: string, sent: Sent = {}) {
  const headers: Record<string, string> = { ...sent.headers };
  let body: string | undefined;
  if (sent.json !== undefined) {
    body = JSON.stringify(sent.json);
    headers['content-type'] ??= 'application/json';
  } else if (sent.form) {
    body = new URLSearchParams(sent.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (sent.raw !== undefined) {
    body = sent.raw;
  }
  const response = await testApp.app.request(path, { method, headers, body });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // An HTML page.
  }
  return { status: response.status, headers: response.headers, text, json };
}

function documentOf(org: CaptureOrg, which: 'processing' | 'advertising'): string {
  const id = org[which].document?.id;
  if (!id) throw new Error(`The ${which} purpose has no document`);
  return id;
}

/** A JSON submission with the required consent given. */
function jsonSubmission(org: CaptureOrg, overrides: Record<string, unknown> = {}) {
  return {
    values: { name: 'Ирина Соколова', phone: '+7 916 123-45-67', email: 'irina@example.ru' },
    consents: { appointment: { isGiven: true, documentId: documentOf(org, 'processing') } },
    idempotency_key: randomUUID(),
    utm_source: 'yandex',
    utm_medium: 'cpc',
    ...overrides,
  };
}

/** What a site builder such as Tilda posts. */
function tildaPost(org: CaptureOrg, overrides: Record<string, string> = {}) {
  return {
    name: 'Олег Петров',
    phone: '8 (903) 765-43-21',
    email: 'oleg@example.ru',
    consent_appointment: 'on',
    consent_appointment_document: documentOf(org, 'processing'),
    idempotency_key: randomUUID(),
    utm_source: 'vk',
    utm_campaign: 'spring',
    ...overrides,
  };
}

async function counts(testApp: TestApp, orgId: string) {
  const [row] = await withTx(testApp.db, { orgId }, (tx) =>
    tx.query<Record<string, number>>(sql`
      SELECT (SELECT count(*)::int FROM contacts) AS contacts,
             (SELECT count(*)::int FROM submissions) AS submissions,
             (SELECT count(*)::int FROM leads) AS leads,
             (SELECT count(*)::int FROM consent_journal) AS journal,
             (SELECT count(*)::int FROM audit_log WHERE action = 'submission.accepted') AS audit`),
  );
  return row;
}

function decodeEntities(text: string): string {
  const entities: Record<string, string> = {
    '&amp;': '&',
    '&lt;': '<',
    '&gt;': '>',
    '&quot;': '"',
    '&#39;': "'",
  };
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);
}

/** Every `<input>` of a page with its attributes (the markup is our own, so a regex will do). */
function inputsOf(page: string): Record<string, string>[] {
  return [...page.matchAll(/<input\b([^>]*)>/g)].map((match) => {
    const attributes: Record<string, string> = {};
    for (const attribute of (match[1] ?? '').matchAll(/([\w-]+)(?:="([^"]*)")?/g)) {
      if (attribute[1]) attributes[attribute[1]] = decodeEntities(attribute[2] ?? '');
    }
    return attributes;
  });
}

function consentBlockOf(page: string, code: string): string {
  const start = page.indexOf(`data-sg-consent="${code}"`);
  if (start < 0) throw new Error(`No consent block for ${code}`);
  return page.slice(start, page.indexOf('</div>', start));
}

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('hosted form page GET /f/:slug', () => {
  it('renders one unticked checkbox per consent, each with its own document link, and the policy link', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const page = await send(testApp, 'GET', `/f/${org.form.slug}`, { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const inputs = inputsOf(page.text);
    const boxes = inputs.filter((input) => input.type === 'checkbox');
    expect(boxes.map((box) => box.name)).toEqual(['consent_appointment', 'consent_marketing']);
    for (const box of boxes) expect(box).not.toHaveProperty('checked');
    expect(boxes[0]).toHaveProperty('required');
    expect(boxes[1]).not.toHaveProperty('required');

    for (const [code, which] of [
      ['appointment', 'processing'],
      ['marketing', 'advertising'],
    ] as const) {
      const block = consentBlockOf(page.text, code);
      const documentId = documentOf(org, which);
      expect(block.match(/<a /g)).toHaveLength(1);
      expect(block).toContain(`href="/d/${documentId}" target="_blank" rel="noopener"`);
      expect(inputs.find((input) => input.name === `consent_${code}_document`)?.value).toBe(
        documentId,
      );
    }
    // The policy is linked once, never embedded; the submit button follows the consents.
    expect(page.text.split(`href="${TEST_PROFILE.policyUrl}"`)).toHaveLength(2);
    expect(page.text.indexOf('</fieldset>')).toBeLessThan(page.text.indexOf('class="sg-submit"'));
    expect(page.text).toContain('Оператор персональных данных: ООО «Клиника Здоровье»');
  });

  it('labels fields with autocomplete, input modes and required markers, and carries the hidden inputs', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const page = await send(testApp, 'GET', `/f/${org.form.slug}`, { headers: HTML });
    const inputs = inputsOf(page.text);
    const byName = (name: string) => inputs.find((input) => input.name === name);
    expect(byName('name')).toMatchObject({ type: 'text', autocomplete: 'name', required: '' });
    expect(byName('phone')).toMatchObject({ type: 'tel', autocomplete: 'tel', inputmode: 'tel' });
    expect(byName('email')).toMatchObject({
      type: 'email',
      autocomplete: 'email',
      inputmode: 'email',
    });
    expect(byName('email')).not.toHaveProperty('required');
    for (const field of ['name', 'phone', 'email']) {
      expect(page.text).toContain(`<label class="sg-label" for="sg-${org.form.slug}-${field}">`);
    }
    expect(page.text).toMatch(/Имя <span class="sg-req" aria-hidden="true">\*<\/span><\/label>/);
    expect(byName('website')).toMatchObject({ value: '', tabindex: '-1' });
    const key = byName('idempotency_key')?.value ?? '';
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const again = await send(testApp, 'GET', `/f/${org.form.slug}`, { headers: HTML });
    expect(inputsOf(again.text).find((input) => input.name === 'idempotency_key')?.value).not.toBe(
      key,
    );
  });

  it('allows no third-party resource and sets its own content security policy', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const page = await send(testApp, 'GET', `/f/${org.form.slug}`, { headers: HTML });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('frame-ancestors *');
    expect(csp).toContain("form-action 'self'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const sources = [...page.text.matchAll(/\b(?:src|action)="([^"]*)"/g)].map((match) => match[1]);
    expect(sources).toEqual([`/f/${org.form.slug}/submit`, '/embed.js']);
    expect(page.text).not.toMatch(/<link\b/);
  });

  it('names the recipients of a transfer next to its box before submitting', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await createPurpose(org.ctx, TRANSFER_PURPOSE);
    const slug = `lab-${randomUUID().slice(0, 8)}`;
    await createForm(
      org.ctx,
      formBody(slug, {
        consents: [
          { purposes: ['appointment'], isRequired: true },
          { purposes: ['lab_transfer'], isRequired: false },
        ],
      }),
    );
    const page = await send(testApp, 'GET', `/f/${slug}`, { headers: HTML });
    const block = consentBlockOf(page.text, 'lab_transfer');
    expect(block).toContain('Получатели данных: ООО «Лаборатория Гемотест» (Россия)');
    expect(block).toContain('type="checkbox"');
    const definition = await send(testApp, 'GET', `/f/${slug}.json`);
    expect(definition.json.consents).toContainEqual(
      expect.objectContaining({
        purposeCode: 'lab_transfer',
        recipients: [{ name: 'ООО «Лаборатория Гемотест»', country: 'RU' }],
      }),
    );
  });

  it('renders a script in the form title or a field label as text', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const slug = `xss-${randomUUID().slice(0, 8)}`;
    const body = formBody(slug);
    const [firstField, ...otherFields] = body.definition.fields;
    if (!firstField) throw new Error('The form body has no fields');
    await createForm(org.ctx, {
      ...body,
      title: `Запись ${XSS}`,
      definition: {
        ...body.definition,
        fields: [{ ...firstField, label: `Имя ${XSS}` }, ...otherFields],
        submitLabel: `Go"><script>alert(2)</script>`,
      },
    });
    const page = await send(testApp, 'GET', `/f/${slug}`, { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.text.match(/<script\b/g)).toHaveLength(1);
  });

  it('carries the campaign of the visit in hidden inputs, without other query parameters', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const page = await send(
      testApp,
      'GET',
      `/f/${org.form.slug}?utm_source=yandex&utm_medium=cpc&yclid=777&phone=89161234567`,
      { headers: { ...HTML, referer: 'https://clinic.test/prices?email=a%40b.ru#top' } },
    );
    const hidden = Object.fromEntries(
      inputsOf(page.text)
        .filter((input) => input.type === 'hidden')
        .map((input) => [input.name, input.value]),
    );
    expect(hidden).toMatchObject({
      utm_source: 'yandex',
      utm_medium: 'cpc',
      yclid: '777',
      referrer: 'https://clinic.test/prices',
      landing_page: `http://soglasie.test/f/${org.form.slug}?utm_source=yandex&utm_medium=cpc&yclid=777`,
    });
    expect(page.text).not.toContain('89161234567');
  });

  it('answers a 404 page for an unknown or unpublished form', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const draft = `draft-${randomUUID().slice(0, 8)}`;
    await createForm(org.ctx, { ...formBody(draft), status: 'draft' });
    for (const path of ['/f/no-such-form', `/f/${draft}`, '/f/Bad_Slug', '/f/a/b/c']) {
      const page = await send(testApp, 'GET', path, { headers: HTML });
      expect(page.status, path).toBe(404);
      expect(page.text, path).toContain('Форма не найдена');
    }
    const api = await send(testApp, 'GET', `/f/${draft}`);
    expect(api.status).toBe(404);
    expect(api.json).toMatchObject({ error: { code: 'not_found' } });
    expect((await send(testApp, 'GET', `/f/${draft}.json`)).status).toBe(404);
  });
});

describe('form definition GET /f/:slug.json', () => {
  it('serves the published form to any site, with each consent document and nothing internal', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const answer = await send(testApp, 'GET', `/f/${org.form.slug}.json`, {
      headers: { origin: 'https://clinic.example' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.json).toMatchObject({
      slug: org.form.slug,
      policyUrl: TEST_PROFILE.policyUrl,
      submitUrl: `http://soglasie.test/f/${org.form.slug}/submit`,
      consents: [
        {
          purposeCode: 'appointment',
          isRequired: true,
          documentId: documentOf(org, 'processing'),
          documentUrl: `http://soglasie.test/d/${documentOf(org, 'processing')}`,
        },
        { purposeCode: 'marketing', isRequired: false, documentId: documentOf(org, 'advertising') },
      ],
    });
    expect(JSON.stringify(answer.json)).not.toMatch(/"category"|"orgId"|"formId"/);
  });
});

describe('POST /f/:slug/submit', () => {
  it('refuses a submission without the required consent, naming the purpose, and stores nothing', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const before = await counts(testApp, org.orgId);
    const answer = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      json: jsonSubmission(org, {
        consents: { marketing: { isGiven: true, documentId: documentOf(org, 'advertising') } },
      }),
    });
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({
      error: {
        code: 'consent_required',
        details: { purposes: [expect.objectContaining({ code: 'appointment' })] },
        fields: { consent_appointment: expect.any(Array) },
      },
    });
    expect(await counts(testApp, org.orgId)).toEqual(before);
    expect(before).toEqual({ contacts: 0, submissions: 0, leads: 0, journal: 0, audit: 0 });
  });

  it('stores contact, submission, lead, a consent entry per ticked box and an audit row', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const answer = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      json: jsonSubmission(org, {
        consents: {
          appointment: { isGiven: true, documentId: documentOf(org, 'processing') },
          marketing: { isGiven: true, documentId: documentOf(org, 'advertising') },
        },
      }),
      headers: { 'user-agent': 'Mozilla/5.0 (test)' },
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      submissionId: expect.any(String),
      isDuplicate: false,
      thankYou: { title: 'Спасибо! Администратор перезвонит вам.' },
      redirectUrl: null,
      consents: [
        { purposeCode: 'appointment', documentId: documentOf(org, 'processing') },
        { purposeCode: 'marketing', documentId: documentOf(org, 'advertising') },
      ],
    });
    expect(Object.keys(answer.json).sort()).toEqual(
      ['consents', 'isDuplicate', 'receiptUrl', 'redirectUrl', 'submissionId', 'thankYou'].sort(),
    );
    expect(await counts(testApp, org.orgId)).toEqual({
      contacts: 1,
      submissions: 1,
      leads: 1,
      journal: 2,
      audit: 1,
    });
  });

  it('records only the consents whose own box arrived ticked', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const answer = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      json: jsonSubmission(org, {
        consents: {
          appointment: { isGiven: true, documentId: documentOf(org, 'processing') },
          marketing: { isGiven: false, documentId: documentOf(org, 'advertising') },
        },
      }),
    });
    expect(answer.status).toBe(201);
    expect(answer.json.consents).toEqual([expect.objectContaining({ purposeCode: 'appointment' })]);
    expect((await counts(testApp, org.orgId))?.journal).toBe(1);
  });

  it('creates one lead for the same idempotency key sent twice', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const body = jsonSubmission(org);
    const first = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, { json: body });
    const second = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, { json: body });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({
      isDuplicate: true,
      submissionId: first.json.submissionId,
    });
    expect(await counts(testApp, org.orgId)).toMatchObject({ submissions: 1, leads: 1 });
  });

  it('refuses a ticked consent without the document that was shown (R-C1)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const json = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      json: jsonSubmission(org, { consents: { appointment: { isGiven: true } } }),
    });
    expect(json.status).toBe(422);
    expect(json.json).toMatchObject({
      error: {
        code: 'submission_invalid',
        fields: { consent_appointment_document: expect.any(Array) },
      },
    });
    const { consent_appointment_document: _shown, ...withoutDocument } = tildaPost(org);
    const form = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      form: withoutDocument,
    });
    expect(form.status).toBe(422);
    expect(form.json).toMatchObject({
      error: {
        code: 'submission_invalid',
        fields: { consent_appointment_document: expect.any(Array) },
      },
    });
    const foreign = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      form: tildaPost(org, { consent_appointment_document: documentOf(org, 'advertising') }),
    });
    expect(foreign.status).toBe(422);
    expect(await counts(testApp, org.orgId)).toMatchObject({ submissions: 0, journal: 0 });
  });

  it('refuses a filled honeypot with spam_suspected and stores nothing', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const json = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      json: jsonSubmission(org, { website: 'https://spam.example' }),
    });
    expect(json.status).toBe(422);
    expect(json.json).toMatchObject({ error: { code: 'spam_suspected' } });
    const page = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      form: tildaPost(org, { website: 'x' }),
      headers: HTML,
    });
    expect(page.status).toBe(422);
    expect(page.text).toContain('Заявка не отправлена');
    expect(await counts(testApp, org.orgId)).toMatchObject({ contacts: 0, submissions: 0 });
  });

  it('answers bad input with a 4xx and a code, never a 5xx', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const path = `/f/${org.form.slug}/submit`;
    const json = { 'content-type': 'application/json' };
    const cases: [string, Sent, number, string][] = [
      ['malformed JSON', { raw: '{"values": {', headers: json }, 400, 'invalid_json'],
      ['JSON array', { raw: '[1,2]', headers: json }, 400, 'validation_failed'],
      ['empty body', { raw: '', headers: json }, 400, 'validation_failed'],
      [
        'oversized',
        { json: jsonSubmission(org, { values: { name: 'я'.repeat(20_000) } }) },
        413,
        'payload_too_large',
      ],
      [
        'windows-1251 form post',
        {
          raw: 'name=%CE%EB%E5%E3',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=windows-1251' },
        },
        415,
        'unsupported_media_type',
      ],
      [
        'undeclared windows-1251 bytes',
        {
          raw: 'name=%CE%EB%E5%E3&phone=89161234567',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        415,
        'unsupported_media_type',
      ],
      [
        'JSON in another charset',
        { raw: '{}', headers: { 'content-type': 'application/json; charset=koi8-r' } },
        415,
        'unsupported_media_type',
      ],
      [
        'plain text',
        { raw: 'hello', headers: { 'content-type': 'text/plain' } },
        415,
        'unsupported_media_type',
      ],
      [
        'unknown value field',
        { json: jsonSubmission(org, { values: { name: 'Анна', passport: '4510 123456' } }) },
        422,
        'submission_invalid',
      ],
      [
        'unknown top-level field',
        { json: jsonSubmission(org, { isAdmin: true }) },
        400,
        'validation_failed',
      ],
      [
        'unknown consent',
        {
          json: jsonSubmission(org, {
            consents: {
              appointment: { isGiven: true, documentId: documentOf(org, 'processing') },
              other_purpose: { isGiven: true, documentId: randomUUID() },
            },
          }),
        },
        422,
        'submission_invalid',
      ],
      [
        'script in the phone',
        { json: jsonSubmission(org, { values: { name: 'Анна', phone: XSS } }) },
        422,
        'submission_invalid',
      ],
      [
        'wrong value types',
        { json: jsonSubmission(org, { values: { name: 42 }, consents: { appointment: true } }) },
        400,
        'validation_failed',
      ],
      [
        'malformed document id',
        { form: tildaPost(org, { consent_appointment_document: 'x' }) },
        400,
        'validation_failed',
      ],
    ];
    for (const [label, sent, status, code] of cases) {
      const answer = await send(testApp, 'POST', path, sent);
      expect(
        `${label}: ${answer.status} ${String((answer.json.error as { code?: string })?.code)}`,
      ).toBe(`${label}: ${status} ${code}`);
    }
    expect(await counts(testApp, org.orgId)).toMatchObject({ contacts: 0, submissions: 0 });
  });

  it('leaves Object.prototype alone when a field is named after it', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const answer = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      raw: `${new URLSearchParams(tildaPost(org)).toString()}&consent___proto__=on&__proto__=x&constructor=y`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({
      error: { code: 'submission_invalid', fields: { constructor: ['Unknown field'] } },
    });
    expect(({} as Record<string, unknown>).isGiven).toBeUndefined();
  });

  it('accepts a script in a name as text and shows it inert on the thank-you page', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const page = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      form: tildaPost(org, { name: `Анна ${XSS}` }),
      headers: HTML,
    });
    expect(page.status).toBe(201);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('Спасибо! Администратор перезвонит вам.');
    expect(page.text).toContain('Анна &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain(`href="/d/${documentOf(org, 'processing')}"`);
  });
});

describe('form posts from site builders and browsers without script', () => {
  it('accepts a Tilda-style form post and answers JSON to a non-browser', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const answer = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      form: tildaPost(org, {
        consent_marketing: 'on',
        consent_marketing_document: documentOf(org, 'advertising'),
      }),
    });
    expect(answer.status).toBe(201);
    expect(answer.json.consents).toHaveLength(2);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const leads = await owner.get<{
      items: { source: string; attribution: Record<string, string> }[];
    }>('/api/v1/leads');
    expect(leads.body.items).toEqual([
      expect.objectContaining({
        source: 'vk',
        attribution: { utm_source: 'vk', utm_campaign: 'spring' },
      }),
    ]);
  });

  it('answers a browser post with a thank-you page, or a 303 to the redirect address', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const slug = `redirect-${randomUUID().slice(0, 8)}`;
    await createForm(org.ctx, formBody(slug, { redirectUrl: 'https://clinic.test/thanks' }));
    const page = await send(testApp, 'GET', `/f/${slug}`, { headers: HTML });
    expect(page.headers.get('content-security-policy')).toContain(
      "form-action 'self' https://clinic.test",
    );
    const redirected = await send(testApp, 'POST', `/f/${slug}/submit`, {
      form: tildaPost(org),
      headers: HTML,
    });
    expect(redirected.status).toBe(303);
    expect(redirected.headers.get('location')).toBe('https://clinic.test/thanks');
  });

  it('shows the form again with Russian field errors and the entered values, boxes unticked', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const key = randomUUID();
    const page = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      form: tildaPost(org, { name: `Анна ${XSS}`, phone: '12', idempotency_key: key }),
      headers: HTML,
    });
    expect(page.status).toBe(422);
    expect(page.text).toContain('Проверьте номер телефона');
    const inputs = inputsOf(page.text);
    expect(inputs.find((input) => input.name === 'name')?.value).toBe(`Анна ${XSS}`);
    expect(inputs.find((input) => input.name === 'phone')).toMatchObject({
      value: '12',
      'aria-invalid': 'true',
    });
    expect(inputs.find((input) => input.name === 'idempotency_key')?.value).toBe(key);
    expect(inputs.find((input) => input.name === 'utm_source')?.value).toBe('vk');
    for (const box of inputs.filter((input) => input.type === 'checkbox')) {
      expect(box).not.toHaveProperty('checked');
    }
    expect(page.text).not.toContain('<script>alert');

    const missingConsent = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      form: tildaPost(org, { consent_appointment: '' }),
      headers: HTML,
    });
    expect(missingConsent.status).toBe(422);
    expect(missingConsent.text).toContain('Без этого согласия заявку отправить нельзя');
    expect(await counts(testApp, org.orgId)).toMatchObject({ submissions: 0 });
  });

  it('answers a page for refusals before the form is read (size, charset)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const tooBig = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      form: tildaPost(org, { name: 'я'.repeat(20_000) }),
      headers: HTML,
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.text).toContain('Заявка слишком большая');
    expect(tooBig.text).toContain(`href="/f/${org.form.slug}"`);
  });
});

describe('attribution', () => {
  it('stores landing page and referrer without fragments or query parameters but campaign ones', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const answer = await send(testApp, 'POST', `/f/${org.form.slug}/submit`, {
      json: jsonSubmission(org, {
        utm_campaign: `${'c'.repeat(300)}\u0000`,
        gclid: 'g-123',
        landing_page:
          'https://user:secret@clinic.test/implants?utm_source=yandex&phone=89161234567&gclid=g-123#form',
        referrer:
          'https://yandex.ru/search/?text=%D0%B8%D0%BC%D0%BF%D0%BB%D0%B0%D0%BD%D1%82&lr=213',
        tracking_phone: '+7 495 000-11-22',
        visitor_id: 'v-1',
        session_id: 's-1',
      }),
    });
    expect(answer.status).toBe(201);
    const [lead] = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ attribution: Record<string, string>; source: string }>(
        sql`SELECT attribution, source FROM leads`,
      ),
    );
    expect(lead?.source).toBe('yandex');
    expect(lead?.attribution).toEqual({
      utm_source: 'yandex',
      utm_medium: 'cpc',
      utm_campaign: 'c'.repeat(200),
      gclid: 'g-123',
      landing_page: 'https://clinic.test/implants?utm_source=yandex&gclid=g-123',
      referrer: 'https://yandex.ru/search/',
      tracking_phone: '+7 495 000-11-22',
      visitor_id: 'v-1',
      session_id: 's-1',
    });
  });
});

describe('cross-origin posts from the operator’s site', () => {
  it('answers the preflight and accepts JSON from another origin', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const path = `/f/${org.form.slug}/submit`;
    const origin = 'https://clinic.example';
    const preflight = await send(testApp, 'OPTIONS', path, {
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect(preflight.headers.get('vary')).toBe('Origin');

    const answer = await send(testApp, 'POST', path, {
      json: jsonSubmission(org),
      headers: { origin, host: 'soglasie.test' },
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
    const refused = await send(testApp, 'POST', path, {
      json: jsonSubmission(org, { consents: {} }),
      headers: { origin },
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
  });
});

describe('rate limits', () => {
  it('refuses the 4th post a minute from one address with 429 and Retry-After, then recovers', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const path = `/f/${org.form.slug}/submit`;
    testApp.deps.submitRateLimits = { perClientIp: 3, perForm: 100 };
    // Start with an empty window: earlier tests posted from the same address.
    testApp.clock.advance(61_000);
    try {
      for (let index = 0; index < 3; index += 1) {
        // Refused posts count too: the limit is on requests, not on accepted leads.
        const answer = await send(testApp, 'POST', path, { json: { values: {} } });
        expect(answer.status).toBe(422);
      }
      const limited = await send(testApp, 'POST', path, { json: jsonSubmission(org) });
      expect(limited.status).toBe(429);
      expect(limited.json).toMatchObject({ error: { code: 'rate_limited' } });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const page = await send(testApp, 'POST', path, { form: tildaPost(org), headers: HTML });
      expect(page.status).toBe(429);
      expect(page.text).toContain('Слишком много заявок подряд');
      testApp.clock.advance(61_000);
      expect((await send(testApp, 'POST', path, { json: jsonSubmission(org) })).status).toBe(201);
    } finally {
      testApp.deps.submitRateLimits = GENEROUS;
    }
  });

  it('limits one form across addresses', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const path = `/f/${org.form.slug}/submit`;
    testApp.deps.submitRateLimits = { perClientIp: 100, perForm: 2 };
    testApp.deps.trustProxy = true;
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 3; index += 1) {
        const answer = await send(testApp, 'POST', path, {
          json: jsonSubmission(org),
          headers: { 'x-forwarded-for': `198.51.100.${index + 1}` },
        });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      testApp.deps.submitRateLimits = GENEROUS;
      testApp.deps.trustProxy = false;
    }
  });
});
