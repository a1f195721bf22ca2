import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeOrg } from '../../test/factories.ts';
import { pipelineBoard, pipelineReport } from '../leads/pipeline.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { sql } from '../platform/db/sql.ts';
import { seedDemoCapture } from './demo-capture.ts';
import { seedDemoCrm } from './demo-crm.ts';

const getApp = setupTestApp();

describe('demo patient base', () => {
  it('spreads contacts over six months and channels, and leads over every stage with history', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const ctx = {
      ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
      publicUrl: testApp.deps.publicUrl,
    };
    await seedDemoCapture(ctx);
    const result = await seedDemoCrm(ctx, { count: 300 });
    expect(result.contacts).toBe(300);
    const sources = await testApp.db.query<{ source: string }>(
      sql`SELECT DISTINCT source FROM leads WHERE org_id = ${org.orgId}`,
    );
    expect(sources.map((row) => row.source)).toEqual(
      expect.arrayContaining(['yandex', 'google', 'vk', 'prodoctorov', '2gis', 'direct']),
    );
    const [span] = await testApp.db.query<{ days: number }>(sql`
      SELECT extract(day FROM max(created_at) - min(created_at))::int AS days FROM leads
      WHERE org_id = ${org.orgId}`);
    expect(span?.days).toBeGreaterThan(170);
    const board = await pipelineBoard(ctx, { perStage: 1 });
    for (const column of board.columns.filter((entry) => entry.stage.isSystem)) {
      expect({ stage: column.stage.code, any: column.total > 0 }).toEqual({
        stage: column.stage.code,
        any: true,
      });
    }
    const report = await pipelineReport(ctx, {
      from: new Date(testApp.clock.now().getTime() - 200 * 86_400_000).toISOString(),
    });
    expect(report.firstResponse.answered).toBeGreaterThan(200);
    expect(report.stageDurations.map((row) => row.stage)).toEqual(
      expect.arrayContaining(['new', 'contacted', 'booked', 'visited']),
    );
    console.log(
      `demo CRM: ${result.contacts} contacts, ${result.moves} moves in ${result.seconds} s`,
    );
  });
});
