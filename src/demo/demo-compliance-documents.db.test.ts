import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeOrg } from '../../test/factories.ts';
import { getChecklist } from '../compliance/audit/audit.service.ts';
import { findDocumentOverview } from '../compliance/documents/documents.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { seedDemoCapture } from './demo-capture.ts';
import { seedDemoComplianceDocuments } from './demo-compliance-documents.ts';

const getApp = setupTestApp();

describe('demo compliance documents', () => {
  it('generates every document and leaves the current year’s audit half done', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const ctx = {
      ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
      publicUrl: testApp.deps.publicUrl,
    };
    await seedDemoCapture(ctx);
    const result = await seedDemoComplianceDocuments(ctx);
    expect(result?.year).toBe(2026);
    expect(result?.documents).toBe(6);
    const overview = await findDocumentOverview(ctx);
    expect(overview.items.every((item) => item.latest?.version === 1 && !item.isOutdated)).toBe(
      true,
    );
    const checklist = await getChecklist(ctx, 2026);
    expect(checklist.progress.closed).toBeGreaterThan(0);
    expect(checklist.progress.closed).toBeLessThan(checklist.progress.total);
    const backups = checklist.items.find((item) => item.code === 'backups_verified');
    expect(backups?.isClosed).toBe(true);
    expect(backups?.evidence[0]?.kind).toBe('file');
    expect(checklist.items.find((item) => item.code === 'access_log_review')?.isClosed).toBe(false);
    // Running it again adds nothing.
    expect(await seedDemoComplianceDocuments(ctx)).toBeNull();
  });
});
