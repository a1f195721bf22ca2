import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeMember, makeOrg } from '../../test/factories.ts';
import { signIn } from '../../test/http.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';

const getApp = setupTestApp();

type AccessItem = {
  subjectType: string;
  subjectId: string;
  fields: string[];
  reason: string;
  route: string;
};

describe('members', () => {
  it('lists members with their names and logs one access row per person read (R-L6)', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const desk = await makeMember(testApp, org.orgId, 'front_desk');
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const listed = await owner.get<{
      items: { userId: string; email: string; name: string; role: string }[];
    }>('/api/v1/members');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          userId: desk.userId,
          email: desk.email,
          name: desk.name,
          role: 'front_desk',
        }),
        expect.objectContaining({ userId: org.owner.userId, role: 'owner' }),
      ]),
    );
    const access = await owner.get<{ items: AccessItem[] }>(
      `/api/v1/access-log?subjectType=user&subjectId=${desk.userId}`,
    );
    expect(access.body.items).toContainEqual(
      expect.objectContaining({
        subjectType: 'user',
        subjectId: desk.userId,
        fields: ['email', 'name'],
        reason: 'list',
        route: 'GET /api/v1/members',
      }),
    );
  });

  it('stores staff email and name encrypted, found only through the blind index', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const rows = await testApp.db.query<{
      email_enc: Uint8Array;
      name_enc: Uint8Array;
      email_index: string;
    }>(sql`SELECT email_enc, name_enc, email_index FROM users WHERE id = ${org.owner.userId}`);
    const stored = rows[0];
    expect(stored).toBeDefined();
    const everything = Buffer.concat([
      Buffer.from(stored?.email_enc ?? []),
      Buffer.from(stored?.name_enc ?? []),
      Buffer.from(stored?.email_index ?? ''),
    ]).toString('utf8');
    expect(everything).not.toContain(org.owner.email);
    expect(everything).not.toContain(org.owner.name);
  });

  it('audits an added member in the same transaction, and a refused one leaves no row', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const body = {
      email: 'twice@clinic.test',
      name: 'Дважды',
      role: 'marketer',
      password: 'long-password-3',
    };
    const first = await owner.post<{ userId: string }>('/api/v1/members', body);
    expect(first.status).toBe(201);
    const second = await owner.post('/api/v1/members', body);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      error: { code: 'conflict', fields: { email: expect.any(Array) } },
    });
    const audit = await owner.get<{
      items: { entityId: string; details: Record<string, unknown> }[];
    }>('/api/v1/audit-log?action=member.added&entityType=user');
    const rowsForMember = audit.body.items.filter((item) => item.entityId === first.body.userId);
    expect(rowsForMember).toHaveLength(1);
    expect(rowsForMember[0]?.details).toEqual({ role: 'marketer', newAccount: true });
  });

  it('changes a role and keeps at least one owner', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const marketer = await makeMember(testApp, org.orgId, 'marketer');
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const changed = await owner.patch(`/api/v1/members/${marketer.userId}`, { role: 'auditor' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ role: 'auditor' });
    const demote = await owner.patch(`/api/v1/members/${org.owner.userId}`, { role: 'admin' });
    expect(demote.status).toBe(422);
    expect(demote.body).toMatchObject({
      error: { code: 'rule_violated', details: { rule: 'last_owner' } },
    });
    const remove = await owner.delete(`/api/v1/members/${org.owner.userId}`);
    expect(remove.status).toBe(422);
    const audit = await owner.get<{ items: { details: Record<string, unknown> }[] }>(
      '/api/v1/audit-log?action=member.role_changed',
    );
    expect(audit.body.items[0]?.details).toEqual({ from: 'marketer', to: 'auditor' });
  });

  it('removes a member, who then loses access to the organization', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const auditor = await makeMember(testApp, org.orgId, 'auditor');
    const auditorClient = await signIn(testApp, auditor.email, auditor.password);
    expect((await auditorClient.get('/api/v1/audit-log')).status).toBe(200);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    expect((await owner.delete(`/api/v1/members/${auditor.userId}`)).status).toBe(204);
    const after = await auditorClient.get('/api/v1/audit-log');
    expect(after.status).toBe(403);
  });
});

// Denials kept together: another organization's record is "not found", a missing role is 403.
describe('denials', () => {
  it('answers 404 for another organization’s member and changes nothing there', async () => {
    const testApp = getApp();
    const orgA = await makeOrg(testApp);
    const orgB = await makeOrg(testApp);
    const victim = await makeMember(testApp, orgB.orgId, 'admin');
    const ownerA = await signIn(testApp, orgA.owner.email, orgA.owner.password);
    expect(
      (await ownerA.patch(`/api/v1/members/${victim.userId}`, { role: 'auditor' })).status,
    ).toBe(404);
    expect((await ownerA.delete(`/api/v1/members/${victim.userId}`)).status).toBe(404);
    const listed = await ownerA.get<{ items: { userId: string }[] }>('/api/v1/members');
    expect(listed.body.items.map((item) => item.userId)).not.toContain(victim.userId);
    const [row] = await withTx(testApp.db, { orgId: orgB.orgId }, (tx) =>
      tx.query<{ role: string }>(
        sql`SELECT role FROM memberships WHERE user_id = ${victim.userId}`,
      ),
    );
    expect(row?.role).toBe('admin');
  });

  it('refuses roles without the permission', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const marketer = await makeMember(testApp, org.orgId, 'marketer');
    const desk = await makeMember(testApp, org.orgId, 'front_desk');
    const admin = await makeMember(testApp, org.orgId, 'admin');
    const marketerClient = await signIn(testApp, marketer.email, marketer.password);
    for (const path of [
      '/api/v1/members',
      '/api/v1/audit-log',
      '/api/v1/access-log',
      '/api/v1/tokens',
    ]) {
      const answer = await marketerClient.get(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
    }
    const deskClient = await signIn(testApp, desk.email, desk.password);
    const added = await deskClient.post('/api/v1/members', {
      email: 'x@clinic.test',
      name: 'X',
      role: 'auditor',
      password: 'long-password-4',
    });
    expect(added.status).toBe(403);
    const adminClient = await signIn(testApp, admin.email, admin.password);
    const makeOwner = await adminClient.patch(`/api/v1/members/${desk.userId}`, { role: 'owner' });
    expect(makeOwner.status).toBe(403);
    const touchOwner = await adminClient.delete(`/api/v1/members/${org.owner.userId}`);
    expect(touchOwner.status).toBe(403);
  });

  it('refuses every organization route without a session', async () => {
    const testApp = getApp();
    const { Client } = await import('../../test/http.ts');
    const anonymous = new Client(testApp);
    for (const path of [
      '/api/v1/members',
      '/api/v1/audit-log',
      '/api/v1/access-log',
      '/api/v1/tokens',
      '/api/v1/me',
    ]) {
      expect((await anonymous.get(path)).status).toBe(401);
    }
  });
});
