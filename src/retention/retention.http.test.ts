import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { makeCaptureOrg, TEST_PROFILE } from '../../test/capture-factories.ts';
import { makeMember } from '../../test/factories.ts';
import { type Client, signIn } from '../../test/http.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { sql } from '../platform/db/sql.ts';

const getApp = setupTestApp();
const DAY = 86_400_000;

async function raw(testApp: TestApp, client: Client, path: string) {
  const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  return testApp.app.request(path, { headers: { cookie } });
}

async function signedIn(testApp: TestApp, orgId: string, role: Parameters<typeof makeMember>[2]) {
  const person = await makeMember(testApp, orgId, role);
  return signIn(testApp, person.email, person.password);
}

describe('retention over HTTP', () => {
  it('lets the privacy officer preview and run destruction, and read the act as JSON, HTML and PDF (R-D6)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const person = await makeMember(testApp, org.orgId, 'privacy_officer');
    let officer = await signIn(testApp, person.email, person.password);
    const submitted = await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    const contactId = await contactOfSubmission(testApp, submitted.submissionId);
    const withdrawn = await officer.post(
      `/api/v1/contacts/${contactId}/consents/appointment/withdraw`,
      { recordingRef: 'call-2026-03-02-001' },
    );
    expect(withdrawn.status).toBe(201);
    const queue = await officer.get<{ items: { status: string; dueAt: string }[] }>(
      `/api/v1/retention/tasks?contactId=${contactId}`,
    );
    expect(queue.body.items).toEqual([
      expect.objectContaining({
        status: 'pending',
        dueAt: new Date(testApp.clock.now().getTime() + 30 * DAY).toISOString(),
      }),
    ]);

    // A month later (sessions last a week at most: sign in again).
    testApp.clock.advance(30 * DAY);
    officer = await signIn(testApp, person.email, person.password);
    const preview = await officer.post<{ destroyed: number; subjects: { name: string }[] }>(
      '/api/v1/retention/run',
      { mode: 'preview' },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.destroyed).toBe(1);
    expect(preview.body.subjects[0]?.name).toBe('Ирина Соколова');

    const run = await officer.post<{ actId: string; actNumber: number; destroyed: number }>(
      '/api/v1/retention/run',
      { mode: 'execute' },
    );
    expect(run.status).toBe(200);
    expect(run.body.destroyed).toBe(1);
    const actNumber = run.body.actNumber;

    const acts = await officer.get<{ items: { id: string; number: number }[] }>(
      '/api/v1/retention/acts',
    );
    expect(acts.body.items.map((act) => act.id)).toEqual([run.body.actId]);
    const act = await officer.get<{
      content: { subjects: { name: string }[] };
      contentSha256: string;
      signature: string;
      publicKey: string;
    }>(`/api/v1/retention/acts/${run.body.actId}`);
    expect(act.status).toBe(200);
    expect(act.body.content.subjects[0]?.name).toBe('Ирина Соколова');
    // Anyone can check the act outside Soglasie: the content as served hashes and verifies.
    const served = JSON.stringify(act.body.content);
    expect(createHash('sha256').update(served).digest('hex')).toBe(act.body.contentSha256);
    const publicKey = createPublicKey({
      key: Buffer.from(act.body.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(
      verify(null, Buffer.from(served), publicKey, Buffer.from(act.body.signature, 'base64')),
    ).toBe(true);
    const [logged] = await testApp.db.query<{ subject_id: string }>(sql`
      SELECT subject_id FROM access_log
      WHERE org_id = ${org.orgId} AND subject_type = 'destruction_act' AND reason = 'act_view'`);
    expect(logged?.subject_id).toBe(run.body.actId);

    const page = await raw(testApp, officer, `/api/v1/retention/acts/${run.body.actId}/html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    for (const expected of [
      `Акт об уничтожении персональных данных № ${actNumber}`,
      TEST_PROFILE.legalName,
      TEST_PROFILE.address,
      TEST_PROFILE.responsibleName,
      'Ирина Соколова',
      'Способ уничтожения',
      'Выгрузка из журнала регистрации событий',
      'подпись верна',
    ]) {
      expect(html).toContain(expected.replace(/"/g, '&quot;'));
    }

    const pdf = await raw(testApp, officer, `/api/v1/retention/acts/${run.body.actId}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain(`destruction-act-${actNumber}-`);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The Cyrillic text is really there, in an embedded font, not as missing glyphs.
    expect(bytes.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+Roboto-Regular/);
    const text = pdfText(bytes);
    expect(text).toContain(`Акт об уничтожении персональных данных № ${actNumber}`);
    expect(text).toContain('Ирина Соколова');
    expect(text).toContain(TEST_PROFILE.responsibleName);
    expect(text).toContain('Выгрузка из журнала регистрации событий');
  });

  it('lets an auditor read acts but not run, and keeps front desk and other organizations out', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const other = await makeCaptureOrg(testApp);
    const person = await makeMember(testApp, org.orgId, 'privacy_officer');
    const before = await signIn(testApp, person.email, person.password);
    const submitted = await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    const contactId = await contactOfSubmission(testApp, submitted.submissionId);
    await before.post(`/api/v1/contacts/${contactId}/consents/appointment/withdraw`, {});
    testApp.clock.advance(31 * DAY);
    const officer = await signIn(testApp, person.email, person.password);
    const run = await officer.post<{ actId: string }>('/api/v1/retention/run', {
      mode: 'execute',
    });
    expect(run.body.actId).toEqual(expect.any(String));

    const auditor = await signedIn(testApp, org.orgId, 'auditor');
    expect((await auditor.get(`/api/v1/retention/acts/${run.body.actId}`)).status).toBe(200);
    expect((await auditor.get('/api/v1/retention/tasks')).status).toBe(200);
    expect((await auditor.post('/api/v1/retention/run', { mode: 'preview' })).status).toBe(403);
    expect(
      (await auditor.post('/api/v1/retention/holds', { contactId: null, reason: 'Проверка' }))
        .status,
    ).toBe(403);

    const frontDesk = await signedIn(testApp, org.orgId, 'front_desk');
    expect((await frontDesk.get('/api/v1/retention/acts')).status).toBe(403);
    expect((await frontDesk.get('/api/v1/retention/tasks')).status).toBe(403);

    const stranger = await signedIn(testApp, other.orgId, 'privacy_officer');
    expect((await stranger.get(`/api/v1/retention/acts/${run.body.actId}`)).status).toBe(404);
    expect(
      (await raw(testApp, stranger, `/api/v1/retention/acts/${run.body.actId}/pdf`)).status,
    ).toBe(404);
    const strangerActs = await stranger.get<{ total: number }>('/api/v1/retention/acts');
    expect(strangerActs.body.total).toBe(0);
  });

  it('manages triggers and legal holds with their validation', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const officer = await signedIn(testApp, org.orgId, 'privacy_officer');
    const missingDays = await officer.call(
      'PUT',
      '/api/v1/retention/purposes/appointment/triggers',
      {
        body: { triggers: [{ kind: 'no_activity_days' }] },
      },
    );
    expect(missingDays.status).toBe(400);
    const saved = await officer.call<{ triggers: unknown[] }>(
      'PUT',
      '/api/v1/retention/purposes/appointment/triggers',
      { body: { triggers: [{ kind: 'lead_lost' }, { kind: 'no_activity_days', days: 180 }] } },
    );
    expect(saved.status).toBe(200);
    expect(saved.body.triggers).toEqual([
      { kind: 'lead_lost', days: null },
      { kind: 'no_activity_days', days: 180 },
    ]);
    const settings = await officer.get<{ items: { code: string; retentionDays: number }[] }>(
      '/api/v1/retention/purposes',
    );
    expect(settings.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'appointment', retentionDays: 365 }),
      ]),
    );
    expect(
      (
        await officer.call('PUT', '/api/v1/retention/purposes/nope/triggers', {
          body: { triggers: [] },
        })
      ).status,
    ).toBe(404);

    const hold = await officer.post<{ id: string; isActive: boolean }>('/api/v1/retention/holds', {
      contactId: null,
      reason: 'Запрос следователя',
      untilDate: '2099-12-31',
    });
    expect(hold.status).toBe(201);
    expect(hold.body.isActive).toBe(true);
    const past = await officer.post('/api/v1/retention/holds', {
      contactId: null,
      reason: 'Старое дело',
      untilDate: '2020-01-01',
    });
    expect(past.status).toBe(400);
    const released = await officer.post<{ isActive: boolean }>(
      `/api/v1/retention/holds/${hold.body.id}/release`,
      { reason: 'Запрос отозван' },
    );
    expect(released.body.isActive).toBe(false);
    const active = await officer.get<{ total: number }>('/api/v1/retention/holds?isActive=true');
    expect(active.body.total).toBe(0);
  });
});
