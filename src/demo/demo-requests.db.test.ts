import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import { ctxOf, makeSubject } from '../../test/request-factories.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { toMoscowDate } from '../subject-requests/clock.ts';
import { seedDemoRequests } from './demo-requests.ts';

const getApp = setupTestApp();

describe('demo requests', () => {
  it('seeds a request in every status, one of them overdue', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    for (const [index, name] of ['Анна', 'Борис', 'Вера', 'Глеб', 'Дина'].entries()) {
      await makeSubject(testApp, org, {
        name,
        phone: `+7916000900${index}`,
        email: `demo${index}@example.test`,
      });
    }
    testApp.clock.advance(30 * 86_400_000);
    const { requests } = await seedDemoRequests(ctxOf(testApp, org));
    expect(requests).toBe(9);
    const rows = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ status: string }>(sql`SELECT DISTINCT status FROM subject_requests`),
    );
    expect(rows.map((row) => row.status).sort()).toEqual(
      ['answered', 'closed', 'extended', 'in_progress', 'received', 'refused', 'verifying'].sort(),
    );
    const today = toMoscowDate(testApp.clock.now());
    const overdue = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ type: string }>(
        sql`SELECT type FROM subject_requests WHERE due_date < ${today}::date
            AND status NOT IN ('answered', 'refused', 'closed')`,
      ),
    );
    expect(overdue.map((row) => row.type)).toEqual(['rkn']);
  });
});
