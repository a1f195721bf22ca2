import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeMember, makeOrg } from '../../test/factories.ts';
import { signIn } from '../../test/http.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';

const getApp = setupTestApp();

type AuditPage = {
  items: {
    id: number;
    at: string;
    action: string;
    actor: { type: string; id: string | null; label: string };
  }[];
  page: number;
  pageSize: number;
  total: number;
};

describe('audit log', () => {
  it('records who changed what, and pages newest first with a total', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    for (let index = 0; index < 5; index += 1) {
      testApp.clock.advance(1000);
      await owner.post('/api/v1/members', {
        email: `m${index}@clinic.test`,
        name: `Сотрудник ${index}`,
        role: 'auditor',
        password: 'long-password-5',
      });
    }
    const first = await owner.get<AuditPage>('/api/v1/audit-log?action=member.added&pageSize=2');
    expect(first.status).toBe(200);
    // Five added now plus the owner added with the organization.
    expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 6 });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]?.actor).toEqual({
      type: 'user',
      id: org.owner.userId,
      label: org.owner.name,
    });
    const times = first.body.items.map((item) => item.at);
    expect([...times].sort().reverse()).toEqual(times);
    const third = await owner.get<AuditPage>(
      '/api/v1/audit-log?action=member.added&pageSize=2&page=3',
    );
    expect(third.body.items).toHaveLength(2);
    expect(third.body.items[1]?.actor.type).toBe('system');
    const beyond = await owner.get<AuditPage>(
      '/api/v1/audit-log?action=member.added&pageSize=2&page=9',
    );
    expect(beyond.body).toMatchObject({ items: [], total: 6 });
  });

  it('filters by period', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    testApp.clock.advance(60_000);
    const before = testApp.clock.now().toISOString();
    testApp.clock.advance(60_000);
    await owner.patch('/api/v1/me', { locale: 'en' });
    await owner.post('/api/v1/tokens', { name: 'Новый', role: 'auditor' });
    const since = await owner.get<AuditPage>(
      `/api/v1/audit-log?from=${encodeURIComponent(before)}`,
    );
    expect(since.body.items.map((item) => item.action)).toEqual(['token.issued']);
    const until = await owner.get<AuditPage>(`/api/v1/audit-log?to=${encodeURIComponent(before)}`);
    expect(until.body.items.map((item) => item.action)).not.toContain('token.issued');
  });

  it('is append-only, whatever the role', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    await signIn(testApp, org.owner.email, org.owner.password).then((owner) =>
      owner.get('/api/v1/members'),
    );
    await expect(testApp.db.execute(sql`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(testApp.db.execute(sql`DELETE FROM access_log`)).rejects.toThrow(/append-only/);
    await expect(
      withTx(testApp.db, { orgId: org.orgId }, (tx) => tx.execute(sql`DELETE FROM audit_log`)),
    ).rejects.toThrow(/permission denied|append-only/);
  });

  it('lets auditors and the privacy officer read the logs', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    for (const role of ['auditor', 'privacy_officer', 'admin'] as const) {
      const person = await makeMember(testApp, org.orgId, role);
      const client = await signIn(testApp, person.email, person.password);
      expect((await client.get('/api/v1/audit-log')).status).toBe(200);
      expect((await client.get('/api/v1/access-log')).status).toBe(200);
    }
  });

  it('shows only the current organization’s entries', async () => {
    const testApp = getApp();
    const orgA = await makeOrg(testApp);
    const orgB = await makeOrg(testApp);
    const ownerA = await signIn(testApp, orgA.owner.email, orgA.owner.password);
    const ownerB = await signIn(testApp, orgB.owner.email, orgB.owner.password);
    await ownerB.post('/api/v1/tokens', { name: 'Только B', role: 'auditor' });
    const page = await ownerA.get<AuditPage>('/api/v1/audit-log?action=token.issued');
    expect(page.body.total).toBe(0);
  });
});
