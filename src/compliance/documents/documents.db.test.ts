import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../../test/app.ts';
import { makeCaptureOrg } from '../../../test/capture-factories.ts';
import { sql } from '../../platform/db/sql.ts';
import { withTx } from '../../platform/db/tx.ts';
import { openChecklist } from '../audit/audit.service.ts';
import { generateDocuments } from './documents.service.ts';

const getApp = setupTestApp();

describe('compliance documents in the database', () => {
  it('keeps each organization’s documents, checklists and items from the other (row-level security)', async () => {
    const testApp = getApp();
    const first = await makeCaptureOrg(testApp);
    const second = await makeCaptureOrg(testApp);
    await generateDocuments(first.ctx, {});
    await openChecklist(first.ctx, 2026);
    for (const table of ['compliance_documents', 'audit_checklists', 'audit_items']) {
      const own = await withTx(testApp.db, { orgId: first.orgId }, (tx) =>
        tx.query<{ count: unknown }>(sql`SELECT count(*) AS count FROM ${sql.unsafeRaw(table)}`),
      );
      const others = await withTx(testApp.db, { orgId: second.orgId }, (tx) =>
        tx.query<{ count: unknown }>(sql`SELECT count(*) AS count FROM ${sql.unsafeRaw(table)}`),
      );
      expect(Number(own[0]?.count), table).toBeGreaterThan(0);
      expect(Number(others[0]?.count), table).toBe(0);
    }
  });

  it('never rewrites a document version: the table refuses UPDATE and DELETE', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const result = await generateDocuments(org.ctx, { kinds: ['policy'] });
    const id = result.created[0]?.id ?? '';
    await expect(
      testApp.db.execute(sql`UPDATE compliance_documents SET body = 'x' WHERE id = ${id}`),
    ).rejects.toThrow();
    await expect(
      testApp.db.execute(sql`DELETE FROM compliance_documents WHERE id = ${id}`),
    ).rejects.toThrow();
  });
});
