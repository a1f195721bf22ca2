import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../test/app.ts';
import { makeOrg } from '../test/factories.ts';
import { createApp } from './app.ts';
import { sql } from './platform/db/sql.ts';
import { withTx } from './platform/db/tx.ts';
import { createMetrics } from './platform/metrics.ts';

const getApp = setupTestApp();
const TOKEN = 'scrape-token-0123456789';

function metricsApp() {
  const { deps } = getApp();
  return createApp({ ...deps, metrics: createMetrics(), metricsToken: TOKEN });
}

function scrape(app: ReturnType<typeof createApp>, authorization?: string) {
  return app.request('/metrics', { headers: authorization ? { authorization } : {} });
}

describe('GET /metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    const response = await scrape(getApp().app, `Bearer ${TOKEN}`);
    expect(response.status).toBe(404);
  });

  it('refuses a scrape without the bearer token or with a wrong one', async () => {
    const app = metricsApp();
    expect((await scrape(app)).status).toBe(401);
    expect((await scrape(app, `Bearer ${TOKEN.replace('0', '1')}`)).status).toBe(401);
    expect((await scrape(app, TOKEN)).status).toBe(401);
  });

  it('counts requests by route pattern, never by a path holding ids', async () => {
    const app = metricsApp();
    await app.request('/health');
    await app.request('/health');
    await app.request(`/api/v1/contacts/${randomUUID()}`);
    const response = await scrape(app, `Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(
      /^soglasie_http_requests_total\{method="GET",route="\/health",status="200"\} 2$/m,
    );
    expect(text).toMatch(/route="\/api\/v1\/contacts\/:id",status="401"/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(text).toMatch(/^soglasie_http_request_duration_seconds_bucket\{/m);
  });

  it('reports backlogs summed over organizations, read under each one’s scope', async () => {
    const testApp = getApp();
    for (const count of [2, 1]) {
      const org = await makeOrg(testApp);
      await withTx(testApp.db, { orgId: org.orgId }, async (tx) => {
        for (let i = 0; i < count; i += 1) {
          await tx.query(sql`
            INSERT INTO tasks (org_id, kind, title, due_date, created_at)
            VALUES (${org.orgId}, 'crm.call_back', 'Перезвонить', current_date - 3, now())`);
        }
        await tx.query(sql`
          INSERT INTO tasks (org_id, kind, title, due_date, created_at)
          VALUES (${org.orgId}, 'crm.call_back', 'Перезвонить', current_date + 3, now())`);
      });
    }
    const text = await (await scrape(metricsApp(), `Bearer ${TOKEN}`)).text();
    expect(text).toMatch(/^soglasie_tasks_overdue 3$/m);
    expect(text).toMatch(/^soglasie_mail_outbox_pending \d+$/m);
    expect(text).toMatch(/^soglasie_subject_requests_overdue 0$/m);
  });
});
