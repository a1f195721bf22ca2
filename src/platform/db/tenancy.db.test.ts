import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.ts';
import { makeMember, makeOrg, type TestOrg } from '../../../test/factories.ts';
import { sql } from './sql.ts';
import { withTx } from './tx.ts';

// Cross-organization isolation by row-level security, not by the code's WHERE clauses.
describe(`tenancy on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let testApp: TestApp;
  let orgA: TestOrg;
  let orgB: TestOrg;

  beforeAll(async () => {
    testApp = await buildTestApp();
    orgA = await makeOrg(testApp);
    orgB = await makeOrg(testApp);
    await makeMember(testApp, orgB.orgId, 'front_desk');
  });
  afterAll(() => testApp.testDb.drop());

  it('runs scoped transactions as the non-owner role', async () => {
    const [row] = await withTx(testApp.db, { orgId: orgA.orgId }, (tx) =>
      tx.query<{ role: string; org: string }>(
        sql`SELECT current_user AS role, current_setting('app.org_id') AS org`,
      ),
    );
    expect(row).toEqual({ role: 'soglasie_app', org: orgA.orgId });
  });

  it('shows a query without an org_id filter only the scoped organization’s rows', async () => {
    const seen = await withTx(testApp.db, { orgId: orgA.orgId }, async (tx) => ({
      audit: await tx.query<{ org_id: string }>(sql`SELECT org_id FROM audit_log`),
      memberships: await tx.query<{ org_id: string }>(sql`SELECT org_id FROM memberships`),
      organizations: await tx.query<{ id: string }>(sql`SELECT id FROM organizations`),
    }));
    expect(seen.audit.length).toBeGreaterThan(0);
    expect(new Set(seen.audit.map((row) => row.org_id))).toEqual(new Set([orgA.orgId]));
    expect(new Set(seen.memberships.map((row) => row.org_id))).toEqual(new Set([orgA.orgId]));
    expect(seen.organizations.map((row) => row.id)).toEqual([orgA.orgId]);

    // The owner connection (what RLS would be without the role switch) sees both: the
    // isolation above comes from the policies, not from the data.
    const all = await testApp.db.query<{ n: number }>(
      sql`SELECT count(DISTINCT org_id)::int AS n FROM audit_log`,
    );
    expect(all[0]?.n).toBe(2);
  });

  it('refuses to write a row into another organization', async () => {
    await expect(
      withTx(testApp.db, { orgId: orgA.orgId }, (tx) =>
        tx.execute(sql`
          INSERT INTO audit_log (org_id, action, entity_type)
          VALUES (${orgB.orgId}, 'forged', 'organization')`),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      withTx(testApp.db, { orgId: orgA.orgId }, (tx) =>
        tx.execute(sql`
          INSERT INTO memberships (org_id, user_id, role)
          VALUES (${orgB.orgId}, ${orgA.owner.userId}, 'owner')`),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('cannot update or delete another organization’s rows', async () => {
    const changed = await withTx(testApp.db, { orgId: orgA.orgId }, async (tx) => ({
      updated: await tx.execute(
        sql`UPDATE memberships SET role = 'auditor' WHERE org_id = ${orgB.orgId}`,
      ),
      deleted: await tx.execute(sql`DELETE FROM memberships WHERE org_id = ${orgB.orgId}`),
      renamed: await tx.execute(
        sql`UPDATE organizations SET name = 'taken' WHERE id = ${orgB.orgId}`,
      ),
    }));
    expect(changed).toEqual({ updated: 0, deleted: 0, renamed: 0 });
    const [owner] = await withTx(testApp.db, { orgId: orgB.orgId }, (tx) =>
      tx.query<{ role: string }>(
        sql`SELECT role FROM memberships WHERE user_id = ${orgB.owner.userId}`,
      ),
    );
    expect(owner?.role).toBe('owner');
  });

  it('sees no tenant rows at all without an organization scope', async () => {
    const rows = await withTx(testApp.db, { orgId: null }, (tx) =>
      tx.query(sql`SELECT 1 FROM audit_log UNION ALL SELECT 1 FROM api_tokens`),
    );
    expect(rows).toEqual([]);
  });

  it('has row-level security with a policy on every table that carries org_id', async () => {
    const tables = await testApp.db.query<{
      table_name: string;
      rls: boolean;
      policies: number;
    }>(sql`
      SELECT c.relname AS table_name, c.relrowsecurity AS rls,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
      FROM information_schema.columns col
      JOIN pg_class c ON c.relname = col.table_name
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = col.table_schema
      WHERE col.column_name = 'org_id' AND col.table_schema = 'public' AND c.relkind = 'r'`);
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const table of tables) {
      expect({ table: table.table_name, rls: table.rls, hasPolicy: table.policies > 0 }).toEqual({
        table: table.table_name,
        rls: true,
        hasPolicy: true,
      });
    }
  });
});
