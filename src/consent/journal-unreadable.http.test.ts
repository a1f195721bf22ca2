import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import { signIn } from '../../test/http.ts';
import { entriesOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { sql } from '../platform/db/sql.ts';

const getApp = setupTestApp();

describe('a journal entry whose evidence was altered', () => {
  it('is listed as unreadable instead of failing the page, and verification names it', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const result = await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    const [entryId] = await entriesOfSubmission(testApp, result.submissionId);
    await testApp.db.executeScript(
      'ALTER TABLE consent_journal DISABLE TRIGGER consent_journal_append_only',
    );
    try {
      await testApp.db.execute(
        sql`UPDATE consent_journal SET evidence_enc = ${Buffer.from('not a ciphertext')} WHERE id = ${entryId}`,
      );
    } finally {
      await testApp.db.executeScript(
        'ALTER TABLE consent_journal ENABLE TRIGGER consent_journal_append_only',
      );
    }
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const page = await owner.get<{ items: { id: string; evidenceState: string }[] }>(
      '/api/v1/consent/journal',
    );
    expect(page.status).toBe(200);
    expect(page.body.items.find((item) => item.id === entryId)).toMatchObject({
      evidenceState: 'unreadable',
    });
    const verified = await owner.get<{
      isIntact: boolean;
      firstBroken: { entryId: string } | null;
    }>('/api/v1/consent/journal/verify');
    expect(verified.body).toMatchObject({ isIntact: false, firstBroken: { entryId } });
  });
});
