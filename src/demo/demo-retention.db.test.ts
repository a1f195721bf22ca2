import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeOrg } from '../../test/factories.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { findActs, findTasks, getAct } from '../retention/retention.service.ts';
import { seedDemoCapture } from './demo-capture.ts';
import { seedDemoRetention } from './demo-retention.ts';

const getApp = setupTestApp();

describe('demo retention', () => {
  it('seeds a run with its act, a contract that keeps a patient, a hold and a pending task', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const ctx = {
      ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
      publicUrl: testApp.deps.publicUrl,
    };
    await seedDemoCapture(ctx);
    const result = await seedDemoRetention(ctx);
    expect(result).toEqual({ actNumber: 1, destroyed: 2 });
    const acts = await findActs(ctx, { page: 1, pageSize: 10 });
    const [summary] = acts.items;
    expect(summary?.subjectsCount).toBe(2);
    const act = await getAct(ctx, summary?.id ?? '');
    expect(act.content.subjects.map((subject) => subject.name).sort()).toEqual([
      'Орлова Нина Викторовна',
      'Савельев Олег Петрович',
    ]);
    expect(act.content.processors).toHaveLength(1);
    expect(act.isSignatureValid).toBe(true);
    const statuses = (await findTasks(ctx, { page: 1, pageSize: 200 })).items.map(
      (task) => task.status,
    );
    expect(statuses).toEqual(
      expect.arrayContaining(['done', 'held', 'kept_other_basis', 'pending']),
    );
  });
});
