import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { seedDemoIncident } from '../demo/demo-incidents.ts';
import type { Ctx } from '../platform/context.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { createIncident, findIncidents, getIncidentOverview } from './incidents.service.ts';

const getApp = setupTestApp();

describe('incident register in the database', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let ctx: Ctx;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    ctx = { ...org.ctx, now: testApp.clock.now() };
  });

  it('numbers incidents created at the same time without gaps or repeats', async () => {
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        createIncident(ctx, {
          title: `Инцидент ${index}`,
          kind: 'other',
          detectedAt: ctx.now.toISOString(),
          affectedCategories: [],
          gdprApplies: false,
        }),
      ),
    );
    expect(created.map((incident) => incident.number).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });

  it('keeps the timeline append-only, whatever the role', async () => {
    const [row] = await testApp.db.query<{ id: number }>(
      sql`SELECT id FROM incident_events WHERE org_id = ${org.orgId} LIMIT 1`,
    );
    expect(row).toBeDefined();
    await expect(
      testApp.db.execute(sql`UPDATE incident_events SET action = 'forged' WHERE id = ${row?.id}`),
    ).rejects.toThrow();
    await expect(
      testApp.db.execute(sql`DELETE FROM incident_events WHERE id = ${row?.id}`),
    ).rejects.toThrow();
  });

  it('lets no organization see or write another’s incidents (row-level security)', async () => {
    const other = await makeCaptureOrg(testApp);
    const seen = await withTx(testApp.db, { orgId: other.orgId }, (tx) =>
      tx.query(sql`SELECT id FROM incidents`),
    );
    expect(seen).toEqual([]);
    await expect(
      withTx(testApp.db, { orgId: other.orgId }, (tx) =>
        tx.execute(sql`
          INSERT INTO incidents (org_id, number, title, kind, detected_at, due_24h_at, due_72h_at,
            created_at, updated_at)
          VALUES (${org.orgId}, 999, 'x', 'other', now(), now(), now(), now(), now())`),
      ),
    ).rejects.toThrow();
  });

  it('seeds the demo register: one incident notified in time, one with its 24 h notice overdue', async () => {
    const demo = await makeCaptureOrg(testApp);
    const demoCtx = { ...demo.ctx, now: testApp.clock.now() };
    const { incidentIds } = await seedDemoIncident(demoCtx);
    expect(incidentIds).toHaveLength(2);
    const page = await findIncidents(demoCtx, { page: 1, pageSize: 10 });
    const [notified, overdue] = incidentIds.map((id) => page.items.find((item) => item.id === id));
    expect(notified?.status).toBe('notified');
    expect(notified?.clocks.find((clock) => clock.step === 'notice24h')?.state).toBe('done');
    expect(notified?.isOverdue).toBe(false);
    expect(overdue?.status).toBe('open');
    expect(overdue?.clocks.find((clock) => clock.step === 'notice24h')?.state).toBe('overdue');
    const overview = await getIncidentOverview(demoCtx);
    expect(overview).toMatchObject({ openCount: 2, overdueCount: 1 });
    expect(overview.items[0]?.id).toBe(overdue?.id);
    // A second run adds nothing.
    expect((await seedDemoIncident(demoCtx)).incidentIds).toEqual([]);
  });
});
