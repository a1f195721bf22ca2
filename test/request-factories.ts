import { submitForm } from '../src/forms/submissions.service.ts';
import type { Ctx } from '../src/platform/context.ts';
import { sql } from '../src/platform/db/sql.ts';
import { withTx } from '../src/platform/db/tx.ts';
import { createSubjectRequest } from '../src/subject-requests/requests.service.ts';
import type { TestApp } from './app.ts';
import type { CaptureOrg } from './capture-factories.ts';

/** A person who submitted the form with both consents; returns the contact id. */
export async function makeSubject(
  testApp: TestApp,
  org: CaptureOrg,
  values: { name: string; phone: string; email?: string },
): Promise<string> {
  const result = await submitForm(
    {
      db: testApp.db,
      keys: testApp.keys,
      publicUrl: testApp.deps.publicUrl,
      now: testApp.clock.now(),
    },
    {
      formSlug: org.form.slug,
      values: {
        name: values.name,
        phone: values.phone,
        ...(values.email ? { email: values.email } : {}),
      },
      consents: {
        appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
        marketing: { isGiven: true, documentId: org.advertising.document?.id ?? null },
      },
      idempotencyKey: null,
      attribution: {},
      client: { ip: '203.0.113.9', userAgent: 'test', pageUrl: null },
    },
  );
  const [lead] = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
    tx.query<{ contact_id: string }>(sql`SELECT contact_id FROM leads WHERE id = ${result.leadId}`),
  );
  if (!lead) throw new Error('No lead');
  return lead.contact_id;
}

export function ctxOf(testApp: TestApp, org: CaptureOrg, overrides: Partial<Ctx> = {}): Ctx {
  return { ...org.ctx, now: testApp.clock.now(), ...overrides };
}

export async function fileIn(
  testApp: TestApp,
  org: CaptureOrg,
  input: Partial<Parameters<typeof createSubjectRequest>[2]> & {
    type: Parameters<typeof createSubjectRequest>[2]['type'];
  },
) {
  const ctx = ctxOf(testApp, org);
  return withTx(testApp.db, { orgId: org.orgId }, (tx) =>
    createSubjectRequest(tx, ctx, {
      contactId: null,
      source: 'phone',
      jurisdiction: 'ru',
      receivedAt: ctx.now,
      details: null,
      purposeId: null,
      ...input,
    }),
  );
}
