import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../../test/app.ts';
import { makeMember, makeOrg, type TestOrg } from '../../../test/factories.ts';
import { Client, signIn } from '../../../test/http.ts';
import { sql } from '../../platform/db/sql.ts';
import { withTx } from '../../platform/db/tx.ts';
import type { TSiteCheckResult, TSiteCheckSummary } from './site-check.schema.ts';

const getApp = setupTestApp();
const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/site-check');

type ErrorBody = {
  error: { code: string; fields?: Record<string, string[]>; details?: Record<string, unknown> };
};

let org: TestOrg;
let owner: Client;
let server: Server;
let base = '';
const stalled: ServerResponse[] = [];

beforeAll(async () => {
  const testApp = getApp();
  org = await makeOrg(testApp);
  owner = await signIn(testApp, org.owner.email, org.owner.password);
  server = createServer((request, response) => {
    if (request.url === '/stall') {
      stalled.push(response);
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(readFileSync(path.join(FIXTURES, 'recaptcha.html')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of stalled) response.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function codes(result: TSiteCheckResult): string[] {
  return result.findings.map((finding) => finding.code).sort();
}

describe('POST /api/v1/site-checks', () => {
  it('checks pasted HTML and answers the findings with Russian and English texts', async () => {
    const html = readFileSync(path.join(FIXTURES, 'prechecked.html'), 'utf8');
    const answer = await owner.post<TSiteCheckResult>('/api/v1/site-checks', { html });
    expect(answer.status).toBe(201);
    expect(answer.body.source).toBe('html');
    expect(codes(answer.body)).toEqual(['consent_checkbox_prechecked']);
    expect(answer.body.score).toBe(80);
    expect(answer.body.url).toBeNull();
    const [finding] = answer.body.findings;
    expect(finding?.severity).toBe('high');
    expect(finding?.message.ru).toMatch(/отмечен заранее/);
    expect(finding?.fix.en).toMatch(/checked attribute/);
  });

  it('lets a marketer and a privacy officer run checks, not the front desk or an auditor', async () => {
    const testApp = getApp();
    for (const role of ['marketer', 'privacy_officer'] as const) {
      const member = await makeMember(testApp, org.orgId, role);
      const client = await signIn(testApp, member.email, member.password);
      const answer = await client.post('/api/v1/site-checks', { html: '<p>Привет</p>' });
      expect(answer.status, role).toBe(201);
    }
    for (const role of ['front_desk', 'auditor'] as const) {
      const member = await makeMember(testApp, org.orgId, role);
      const client = await signIn(testApp, member.email, member.password);
      const answer = await client.post<ErrorBody>('/api/v1/site-checks', { html: '<p>x</p>' });
      expect(answer.status, role).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
    }
    const anonymous = await new Client(testApp).post('/api/v1/site-checks', { html: '<p>x</p>' });
    expect(anonymous.status).toBe(401);
  });

  it('answers malformed input with 4xx and field messages', async () => {
    const cases: [unknown, string][] = [
      [{}, 'url'],
      [{ url: 'https://example.com', html: '<p>x</p>' }, 'html'],
      [{ url: 'ftp://example.com/file' }, 'url'],
      [{ url: '' }, 'url'],
      [{ html: '' }, 'html'],
      [{ html: 'x'.repeat(200_001) }, 'html'],
      [{ html: '<p>x</p>', clinic: 'yes' }, 'clinic'],
      [{ html: 42 }, 'html'],
      [{ html: '<p>x</p>', isAdmin: true }, 'isAdmin'],
    ];
    for (const [body, field] of cases) {
      const answer = await owner.post<ErrorBody>('/api/v1/site-checks', body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.body.error.code).toBe('validation_failed');
      expect(Object.keys(answer.body.error.fields ?? {})).toContain(field);
    }
    const broken = await owner.call<ErrorBody>('POST', '/api/v1/site-checks', {
      raw: '{"html": "<p>',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const huge = await owner.post<ErrorBody>('/api/v1/site-checks', { html: 'я'.repeat(190_000) });
    expect(huge.status).toBe(413);
  });

  it('refuses to fetch loopback and the metadata address (SSRF)', async () => {
    for (const url of [`${base}/`, 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/']) {
      const answer = await owner.post<ErrorBody>('/api/v1/site-checks', { url });
      expect(answer.status, url).toBe(422);
      expect(answer.body.error.code).toBe('site_fetch_failed');
      expect(answer.body.error.details?.reason).toBe('ssrf_refused');
    }
  });

  it('fetches a local site when the installation allows private addresses', async () => {
    const testApp = getApp();
    testApp.deps.siteCheck = { allowPrivate: true, timeoutMs: 2000 };
    try {
      const answer = await owner.post<TSiteCheckResult>('/api/v1/site-checks', {
        url: `${base}/clinic`,
      });
      expect(answer.status).toBe(201);
      expect(answer.body.source).toBe('url');
      expect(answer.body.url).toBe(`${base}/clinic`);
      expect(answer.body.finalUrl).toBe(`${base}/clinic`);
      expect(codes(answer.body)).toEqual(['foreign_captcha']);
      const stall = await owner.post<ErrorBody>('/api/v1/site-checks', { url: `${base}/stall` });
      expect(stall.status).toBe(422);
      expect(stall.body.error.details?.reason).toBe('fetch_timeout');
    } finally {
      testApp.deps.siteCheck = undefined;
    }
  });

  it('keeps the history per organization: listed newest first, readable by an auditor, hidden from another organization', async () => {
    const testApp = getApp();
    const html = readFileSync(path.join(FIXTURES, 'bundled.html'), 'utf8');
    // Earlier tests checked pages at the clock's start: these two come after them.
    testApp.clock.advance(60_000);
    const created = await owner.post<TSiteCheckResult>('/api/v1/site-checks', { html });
    expect(created.status).toBe(201);
    testApp.clock.advance(60_000);
    const later = await owner.post<TSiteCheckResult>('/api/v1/site-checks', {
      html: '<form><input type="tel" name="p"></form>',
    });

    const auditor = await makeMember(testApp, org.orgId, 'auditor');
    const reader = await signIn(testApp, auditor.email, auditor.password);
    const list = await reader.get<{ items: TSiteCheckSummary[]; total: number }>(
      '/api/v1/site-checks?pageSize=2',
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((item) => item.id)).toEqual([later.body.id, created.body.id]);
    expect(list.body.items[0]?.codes.sort()).toEqual(['consent_missing', 'policy_link_missing']);
    expect(list.body.items[1]?.codes).toEqual(['consents_bundled']);
    expect(list.body.total).toBeGreaterThan(2);

    const one = await reader.get<TSiteCheckResult>(`/api/v1/site-checks/${created.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created.body);
    expect(one.body.findings[0]?.fix.ru).toMatch(/отдельный чекбокс/);

    const other = await makeOrg(testApp);
    const stranger = await signIn(testApp, other.owner.email, other.owner.password);
    const hidden = await stranger.get<ErrorBody>(`/api/v1/site-checks/${created.body.id}`);
    expect(hidden.status).toBe(404);
    const otherList = await stranger.get<{ items: unknown[]; total: number }>(
      '/api/v1/site-checks',
    );
    expect(otherList.body).toMatchObject({ items: [], total: 0 });
    // Row-level security, not only the query's condition, keeps the rows apart.
    const rows = await testApp.db.query(
      sql`SELECT id FROM site_checks WHERE id = ${created.body.id}`,
    );
    expect(rows).toHaveLength(1);
    const scoped = await withTx(testApp.db, { orgId: other.orgId }, (tx) =>
      tx.query(sql`SELECT id FROM site_checks`),
    );
    expect(scoped).toEqual([]);

    const malformedId = await reader.get<ErrorBody>('/api/v1/site-checks/not-a-uuid');
    expect(malformedId.status).toBe(400);
  });

  it('does not store a check whose page could not be fetched', async () => {
    const before = await owner.get<{ total: number }>('/api/v1/site-checks');
    await owner.post('/api/v1/site-checks', { url: 'http://169.254.169.254/' });
    const after = await owner.get<{ total: number }>('/api/v1/site-checks');
    expect(after.body.total).toBe(before.body.total);
  });
});
