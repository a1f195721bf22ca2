import { randomInt } from 'node:crypto';
import { type SubmissionResult, submitForm } from '../src/forms/submissions.service.ts';
import { sql } from '../src/platform/db/sql.ts';
import type { TestApp } from './app.ts';
import type { CaptureOrg } from './capture-factories.ts';

/** A valid Russian mobile number, different on every call (within reason). */
export function newPhone(): string {
  return `+7916${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/**
 * A visitor submits the capture org's form through the real submission path: the processing
 * consent always, the advertising one unless told otherwise. Journal entries follow.
 */
export function submitWithConsents(
  testApp: TestApp,
  org: CaptureOrg,
  options: { isAdvertisingGiven?: boolean; phone?: string; ip?: string; now?: Date } = {},
): Promise<SubmissionResult> {
  const consents: Record<string, { isGiven: boolean; documentId: string | null }> = {
    [org.processing.code]: { isGiven: true, documentId: org.processing.document?.id ?? null },
  };
  if (options.isAdvertisingGiven ?? true) {
    consents[org.advertising.code] = {
      isGiven: true,
      documentId: org.advertising.document?.id ?? null,
    };
  }
  return submitForm(
    {
      db: testApp.db,
      keys: testApp.keys,
      publicUrl: testApp.deps.publicUrl,
      now: options.now ?? testApp.clock.now(),
    },
    {
      formSlug: org.form.slug,
      values: { name: 'Ирина Соколова', phone: options.phone ?? newPhone() },
      consents,
      idempotencyKey: null,
      attribution: { utm_source: 'yandex' },
      client: {
        ip: options.ip ?? '203.0.113.7',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
        pageUrl: 'https://clinic.test/zapis',
      },
    },
  );
}

/** The contact a submission created or matched (read as the database owner). */
export async function contactOfSubmission(testApp: TestApp, submissionId: string): Promise<string> {
  const [row] = await testApp.db.query<{ contact_id: string }>(
    sql`SELECT contact_id FROM submissions WHERE id = ${submissionId}`,
  );
  if (!row) throw new Error(`No submission ${submissionId}`);
  return row.contact_id;
}

/** Journal entry ids of a submission, in journal order (read as the database owner). */
export async function entriesOfSubmission(
  testApp: TestApp,
  submissionId: string,
): Promise<string[]> {
  const rows = await testApp.db.query<{ id: string }>(
    sql`SELECT id FROM consent_journal WHERE submission_id = ${submissionId} ORDER BY seq`,
  );
  return rows.map((row) => row.id);
}

/**
 * Changes a journal row behind the application's back, as the database owner would: the
 * append-only trigger is switched off for the edit and on again.
 */
export async function tamperJournal(
  testApp: TestApp,
  entryId: string,
  change: 'channel' | 'at',
): Promise<void> {
  await testApp.db.executeScript(
    'ALTER TABLE consent_journal DISABLE TRIGGER consent_journal_append_only',
  );
  try {
    if (change === 'channel') {
      await testApp.db.execute(
        sql`UPDATE consent_journal SET channel = 'paper' WHERE id = ${entryId}`,
      );
    } else {
      await testApp.db.execute(
        sql`UPDATE consent_journal SET at = at - interval '3 days' WHERE id = ${entryId}`,
      );
    }
  } finally {
    await testApp.db.executeScript(
      'ALTER TABLE consent_journal ENABLE TRIGGER consent_journal_append_only',
    );
  }
}
