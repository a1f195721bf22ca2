import { describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, formBody, makeCaptureOrg } from '../../test/capture-factories.ts';
import { signIn } from '../../test/http.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { createForm } from './forms.service.ts';
import { type SubmissionInput, submitForm } from './submissions.service.ts';

const getApp = setupTestApp();

function submission(org: CaptureOrg, overrides: Partial<SubmissionInput> = {}): SubmissionInput {
  return {
    formSlug: org.form.slug,
    values: { name: 'Ирина Соколова', phone: '8 (916) 123-45-67', email: 'Irina@Example.ru' },
    consents: {
      appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
    },
    idempotencyKey: null,
    attribution: { utm_source: 'yandex', utm_medium: 'cpc' },
    client: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', pageUrl: 'https://clinic.test/' },
    ...overrides,
  };
}

function deps(testApp: TestApp) {
  return {
    db: testApp.db,
    keys: testApp.keys,
    publicUrl: testApp.deps.publicUrl,
    now: testApp.clock.now(),
  };
}

async function counts(testApp: TestApp, orgId: string) {
  const [row] = await withTx(testApp.db, { orgId }, (tx) =>
    tx.query<Record<string, number>>(sql`
      SELECT (SELECT count(*)::int FROM contacts) AS contacts,
             (SELECT count(*)::int FROM submissions) AS submissions,
             (SELECT count(*)::int FROM leads) AS leads,
             (SELECT count(*)::int FROM consent_journal) AS journal,
             (SELECT count(*)::int FROM audit_log WHERE action = 'submission.accepted') AS audit`),
  );
  return row;
}

describe('form submission', () => {
  it('refuses a submission without the required consent, naming the purpose, and stores nothing (R-C1)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const before = await counts(testApp, org.orgId);
    const refused = submitForm(
      deps(testApp),
      submission(org, {
        consents: {
          marketing: { isGiven: true, documentId: org.advertising.document?.id ?? null },
        },
      }),
    );
    await expect(refused).rejects.toMatchObject({
      code: 'consent_required',
      details: { purposes: [expect.objectContaining({ code: 'appointment' })] },
    });
    expect(await counts(testApp, org.orgId)).toEqual(before);
  });

  it('writes contact, submission, lead, consent entries and audit together', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const result = await submitForm(
      deps(testApp),
      submission(org, {
        consents: {
          appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
          marketing: { isGiven: true, documentId: org.advertising.document?.id ?? null },
        },
      }),
    );
    expect(result.isDuplicate).toBe(false);
    expect(await counts(testApp, org.orgId)).toEqual({
      contacts: 1,
      submissions: 1,
      leads: 1,
      journal: 2,
      audit: 1,
    });
    const entries = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ document_sha256: string; channel: string }>(
        sql`SELECT document_sha256, channel FROM consent_journal`,
      ),
    );
    expect(entries.map((entry) => entry.document_sha256).sort()).toEqual(
      [org.processing.document?.sha256, org.advertising.document?.sha256].sort(),
    );
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const leads = await owner.get<{
      items: { source: string; contact: { phone: string; email: string } }[];
    }>('/api/v1/leads');
    expect(leads.body.items[0]).toMatchObject({
      source: 'yandex',
      contact: { phone: '+79161234567', email: 'irina@example.ru' },
    });
  });

  it('creates one lead for a retried idempotency key', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const first = await submitForm(deps(testApp), submission(org, { idempotencyKey: 'retry-1' }));
    const again = await submitForm(deps(testApp), submission(org, { idempotencyKey: 'retry-1' }));
    const raced = await Promise.all([
      submitForm(deps(testApp), submission(org, { idempotencyKey: 'retry-2' })),
      submitForm(deps(testApp), submission(org, { idempotencyKey: 'retry-2' })),
    ]);
    expect(again).toMatchObject({
      isDuplicate: true,
      submissionId: first.submissionId,
      leadId: first.leadId,
    });
    expect(raced.filter((result) => result.isDuplicate)).toHaveLength(1);
    expect((await counts(testApp, org.orgId))?.leads).toBe(2);
  });

  it('deduplicates a returning person into one contact by phone', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await submitForm(deps(testApp), submission(org));
    await submitForm(
      deps(testApp),
      submission(org, { values: { name: 'Ирина', phone: '+7 916 123 45 67' } }),
    );
    expect(await counts(testApp, org.orgId)).toMatchObject({ contacts: 1, leads: 2 });
  });

  it('refuses a checked box without the document shown, and a document of another purpose', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await expect(
      submitForm(
        deps(testApp),
        submission(org, { consents: { appointment: { isGiven: true, documentId: null } } }),
      ),
    ).rejects.toMatchObject({
      code: 'submission_invalid',
      fields: { consent_appointment_document: expect.any(Array) },
    });
    await expect(
      submitForm(
        deps(testApp),
        submission(org, {
          consents: {
            appointment: { isGiven: true, documentId: org.advertising.document?.id ?? null },
          },
        }),
      ),
    ).rejects.toMatchObject({ code: 'submission_invalid' });
  });

  it('records the older document a visitor saw when the purpose was revised meanwhile', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const shown = org.processing.document;
    const { revisePurpose } = await import('../purposes/purposes.service.ts');
    const { PROCESSING_PURPOSE } = await import('../../test/capture-factories.ts');
    const { code: _code, kind: _kind, ...update } = PROCESSING_PURPOSE;
    const revised = await revisePurpose(org.ctx, 'appointment', { ...update, retentionDays: 730 });
    expect(revised.document?.id).not.toBe(shown?.id);
    await submitForm(deps(testApp), submission(org));
    const [entry] = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ document_id: string; document_sha256: string }>(
        sql`SELECT document_id, document_sha256 FROM consent_journal`,
      ),
    );
    expect(entry).toEqual({ document_id: shown?.id, document_sha256: shown?.sha256 });
  });

  it('answers field-level errors for bad values', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const error = await submitForm(
      deps(testApp),
      submission(org, { values: { name: '', phone: '12', email: 'nope', extra: 'x' } }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).fields).toMatchObject({
      name: ['Required'],
      phone: expect.any(Array),
      email: expect.any(Array),
      extra: ['Unknown field'],
    });
  });
});

describe('forms and consent documents', () => {
  it('refuses a checkbox bound to two documents (R-C2)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const body = formBody('two-in-one', {
      consents: [{ purposes: ['appointment', 'marketing'], isRequired: true }],
    });
    await expect(createForm(org.ctx, body)).rejects.toMatchObject({
      code: 'rule_violated',
      fields: { 'definition.consents.0.purposes': [expect.stringContaining('exactly one')] },
    });
  });

  it('keeps a draft a draft when a change leaves the status out', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const draft = await createForm(org.ctx, { ...formBody('a-draft'), status: 'draft' });
    const { status: _status, slug: _slug, ...change } = formBody('a-draft');
    const { changeForm } = await import('./forms.service.ts');
    const changed = await changeForm(org.ctx, draft.slug, { ...change, title: 'Новое название' });
    expect(changed).toMatchObject({ status: 'draft', title: 'Новое название', version: 2 });
  });

  it('flags a field that no purpose covers (minimization)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const body = formBody('with-diagnosis');
    body.definition.fields.push({
      name: 'complaint',
      label: 'Что беспокоит',
      type: 'textarea',
      isRequired: false,
      maxLength: 1000,
    });
    const form = await createForm(org.ctx, body);
    expect(form.warnings).toEqual([
      expect.objectContaining({ field: 'complaint', code: 'not_covered_by_purpose' }),
    ]);
  });

  it('renders consent texts with every Art. 9 p.4 item and their hash (R-C4)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const body = org.processing.document?.body ?? '';
    for (const fragment of [
      'ООО «Клиника Здоровье»',
      'ИНН 7701234567',
      'Запись на приём',
      'номер телефона',
      'не привлекается',
      'сбор, запись',
      '1 год',
      'Порядок отзыва',
      'https://clinic.test/privacy',
    ]) {
      expect(body).toContain(fragment);
    }
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(body).digest('hex')).toBe(org.processing.document?.sha256);
  });
});
