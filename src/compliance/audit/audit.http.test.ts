import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../../test/capture-factories.ts';
import { makeMember } from '../../../test/factories.ts';
import { type Client, signIn } from '../../../test/http.ts';
import { pdfText } from '../../../test/pdf-text.ts';
import { sql } from '../../platform/db/sql.ts';
import type { TGenerateResult } from '../documents/documents.schema.ts';
import { AUDIT_ITEM_CODES, type TAuditItem, type TChecklist } from './audit.schema.ts';
import { remindAnnualAudits } from './audit.service.ts';

const getApp = setupTestApp();

const BACKUP_LOG = Buffer.from('2026-03-01 restore test: 12 tables, 0 errors\n', 'utf8');
const BASE = '/api/v1/compliance/audit/2026';

function item(checklist: TChecklist, code: string): TAuditItem {
  const found = checklist.items.find((entry) => entry.code === code);
  if (!found) throw new Error(`No item ${code}`);
  return found;
}

async function tableExists(testApp: TestApp, table: string): Promise<boolean> {
  const [row] = await testApp.db.query<{ found: string | null }>(
    sql`SELECT to_regclass(${`public.${table}`})::text AS found`,
  );
  return Boolean(row?.found);
}

describe('annual audit checklist over HTTP (R-L5)', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let owner: Client;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    owner = await signIn(testApp, org.owner.email, org.owner.password);
  });

  it('opens the year’s checklist with every item open', async () => {
    expect((await owner.get(BASE)).status).toBe(404);
    const opened = await owner.post<TChecklist>(BASE);
    expect(opened.status).toBe(200);
    expect(opened.body.items.map((entry) => entry.code)).toEqual([...AUDIT_ITEM_CODES]);
    expect(opened.body.progress).toEqual({ closed: 0, total: 10 });
    const again = await owner.post<TChecklist>(BASE);
    expect(again.body.id).toBe(opened.body.id);
  });

  it('refuses to close an item without evidence', async () => {
    const refused = await owner.post<{ error: { code: string; details: { rule: string } } }>(
      `${BASE}/items/backups_verified/close`,
      {},
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.rule).toBe('audit_evidence_missing');
    const checklist = await owner.get<TChecklist>(BASE);
    expect(item(checklist.body, 'backups_verified').isClosed).toBe(false);
  });

  it('closes an item with an uploaded file kept with its hash', async () => {
    const attached = await owner.post<TChecklist>(`${BASE}/items/backups_verified/evidence`, {
      kind: 'file',
      fileName: 'restore-test.log',
      contentType: 'text/plain',
      contentBase64: BACKUP_LOG.toString('base64'),
      note: 'Восстановление на тестовом сервере',
    });
    expect(attached.status).toBe(200);
    const evidence = item(attached.body, 'backups_verified').evidence[0];
    expect(evidence).toMatchObject({
      kind: 'file',
      fileName: 'restore-test.log',
      sizeBytes: BACKUP_LOG.length,
      sha256: createHash('sha256').update(BACKUP_LOG).digest('hex'),
    });
    const cookie = [...owner.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const download = await testApp.app.request(`${BASE}/evidence/${evidence?.id}`, {
      headers: { cookie },
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(BACKUP_LOG)).toBe(true);

    const closed = await owner.post<TChecklist>(`${BASE}/items/backups_verified/close`, {
      note: 'Проверено',
    });
    expect(closed.status).toBe(200);
    expect(item(closed.body, 'backups_verified')).toMatchObject({
      isClosed: true,
      note: 'Проверено',
    });
    expect(closed.body.progress.closed).toBe(1);
  });

  it('runs the automatic checks, stores each result with its time, and closes on a passing one only', async () => {
    const first = await owner.post<TChecklist>(`${BASE}/checks`);
    expect(first.status).toBe(200);
    const checkedAt = testApp.clock.now().toISOString();
    expect(item(first.body, 'registry_complete').check).toMatchObject({
      status: 'passed',
      checkedAt,
    });
    expect(item(first.body, 'retention_terms_set').check?.status).toBe('passed');
    expect(item(first.body, 'consent_texts_complete').check?.status).toBe('passed');
    // The profile names its own policy address, which every form links.
    expect(item(first.body, 'policy_published').check?.status).toBe('passed');
    // No order generated yet, nobody acknowledged a regulation.
    expect(item(first.body, 'responsible_appointed').check?.status).toBe('failed');
    expect(item(first.body, 'staff_acknowledgements').check?.status).toBe('failed');
    // Items of other modules: a real result where their tables exist, else "not available".
    const rkn = item(first.body, 'rkn_notice_current').check;
    if (await tableExists(testApp, 'rkn_notice_filings')) {
      expect(rkn).toMatchObject({
        status: 'failed',
        summary: 'Уведомление в Роскомнадзор не подано',
      });
    } else {
      expect(rkn?.status).toBe('not_available');
    }
    const services = item(first.body, 'services_localized').check;
    expect(services?.status).toBe(
      (await tableExists(testApp, 'compliance_services')) ? 'passed' : 'not_available',
    );
    // Manual items have no automatic check.
    expect(item(first.body, 'access_log_review').check).toBeNull();
    // Each run is kept as evidence.
    expect(item(first.body, 'registry_complete').evidence.map((entry) => entry.kind)).toEqual([
      'check',
    ]);

    const failedClose = await owner.post(`${BASE}/items/responsible_appointed/close`, {});
    expect(failedClose.status).toBe(422);

    const generated = await owner.post<TGenerateResult>(
      '/api/v1/compliance/documents/generate',
      {},
    );
    expect(generated.body.refused).toEqual([]);
    const second = await owner.post<TChecklist>(`${BASE}/checks`);
    expect(item(second.body, 'responsible_appointed').check?.status).toBe('passed');
    const closed = await owner.post<TChecklist>(`${BASE}/items/responsible_appointed/close`, {});
    expect(closed.status).toBe(200);

    // An artefact closes an item whose check fails: the regulation staff acknowledge.
    const regulation = generated.body.created.find((entry) => entry.kind === 'internal_regulation');
    const linked = await owner.post<TChecklist>(`${BASE}/items/staff_acknowledgements/evidence`, {
      kind: 'document',
      documentId: regulation?.id,
    });
    expect(linked.status).toBe(200);
    expect(item(linked.body, 'staff_acknowledgements').evidence.at(-1)).toMatchObject({
      kind: 'document',
      documentUrl: regulation?.url,
      sha256: regulation?.sha256,
    });
    expect((await owner.post(`${BASE}/items/staff_acknowledgements/close`, {})).status).toBe(200);
  });

  it('prints the report with every item and its evidence list', async () => {
    const cookie = [...owner.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const page = await testApp.app.request(`${BASE}/report/html`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('за 2026 год');
    expect(text).toContain('Резервные копии проверены восстановлением');
    expect(text).toContain(createHash('sha256').update(BACKUP_LOG).digest('hex'));
    expect(text).toContain('Закрыто пунктов: 3 из 10');
    const pdf = await testApp.app.request(`${BASE}/report/pdf`, { headers: { cookie } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfBody = pdfText(Buffer.from(await pdf.arrayBuffer())).replace(/\s+/g, ' ');
    expect(pdfBody).toContain('Восстановление на тестовом сервере');
  });

  it('completes the audit only with every item closed, then reminds a year later', async () => {
    const early = await owner.post<{ error: { details: { open: string[] } } }>(`${BASE}/complete`);
    expect(early.status).toBe(422);
    expect(early.body.error.details.open).toContain('access_log_review');
    for (const code of AUDIT_ITEM_CODES) {
      await owner.post(`${BASE}/items/${code}/evidence`, {
        kind: 'file',
        fileName: `${code}.txt`,
        contentBase64: Buffer.from(`evidence for ${code}`).toString('base64'),
      });
      await owner.post(`${BASE}/items/${code}/close`, {});
    }
    const completed = await owner.post<TChecklist>(`${BASE}/complete`);
    expect(completed.status).toBe(200);
    expect(completed.body.completedAt).toBe(testApp.clock.now().toISOString());
    // A completed audit is not changed any more.
    expect((await owner.post(`${BASE}/items/backups_verified/reopen`)).status).toBe(422);

    const deps = testApp.deps;
    const soon = await remindAnnualAudits(
      deps,
      new Date(testApp.clock.now().getTime() + 300 * 86_400_000),
    );
    expect(soon.created).toBe(0);
    const later = new Date(testApp.clock.now().getTime() + 366 * 86_400_000);
    expect((await remindAnnualAudits(deps, later)).created).toBeGreaterThanOrEqual(1);
    expect((await remindAnnualAudits(deps, later)).created).toBe(0);
    const rows = await testApp.db.query<{ title: string; due_date: string; status: string }>(sql`
      SELECT title, due_date::text AS due_date, status FROM tasks
      WHERE org_id = ${org.orgId} AND kind = 'compliance.annual_audit'
        AND related_id = ${completed.body.id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.title).toContain('за 2026 год, завершён 2026-03-02');
    expect(rows[0]?.due_date).toBe('2027-03-02');
    expect(rows[0]?.status).toBe('open');

    // Completing the next year's audit closes the reminder.
    const next = '/api/v1/compliance/audit/2027';
    await owner.post(next);
    for (const code of AUDIT_ITEM_CODES) {
      await owner.post(`${next}/items/${code}/evidence`, {
        kind: 'file',
        fileName: `${code}.txt`,
        contentBase64: Buffer.from(`evidence ${code}`).toString('base64'),
      });
      await owner.post(`${next}/items/${code}/close`, {});
    }
    expect((await owner.post(`${next}/complete`)).status).toBe(200);
    const [closed] = await testApp.db.query<{ status: string }>(sql`
      SELECT status FROM tasks WHERE org_id = ${org.orgId} AND kind = 'compliance.annual_audit'`);
    expect(closed?.status).toBe('done');
  });

  it('answers 4xx to malformed input', async () => {
    await owner.post('/api/v1/compliance/audit/2028');
    const base = '/api/v1/compliance/audit/2028';
    const answers = [
      await owner.get('/api/v1/compliance/audit/abc'),
      await owner.get('/api/v1/compliance/audit/1999'),
      await owner.post(`${base}/items/nope/close`, {}),
      await owner.post(`${base}/items/backups_verified/evidence`, { kind: 'x' }),
      await owner.post(`${base}/items/backups_verified/evidence`, {
        kind: 'file',
        fileName: 'a.txt',
        contentBase64: 'not base64!',
      }),
      await owner.post(`${base}/items/backups_verified/evidence`, {
        kind: 'file',
        fileName: '../etc/passwd',
        contentBase64: 'aGVsbG8=',
      }),
      await owner.post(`${base}/items/backups_verified/evidence`, {
        kind: 'document',
        documentId: '6f1c2b9e-8d1a-4c3e-9a7b-2f4d5e6a7b8c',
      }),
      await owner.post(`${base}/items/backups_verified/close`, { extra: 1 }),
      await owner.get(`${base}/evidence/not-a-uuid`),
    ];
    for (const answer of answers) expect(answer.status).toBe(400);
    const huge = await owner.post(`${base}/items/backups_verified/evidence`, {
      kind: 'file',
      fileName: 'big.bin',
      contentBase64: Buffer.alloc(600 * 1024, 1).toString('base64'),
    });
    expect([400, 413]).toContain(huge.status);
  });

  it('keeps the checklist to its organization and roles', async () => {
    const auditor = await makeMember(testApp, org.orgId, 'auditor');
    const desk = await makeMember(testApp, org.orgId, 'front_desk');
    const auditorClient = await signIn(testApp, auditor.email, auditor.password);
    const deskClient = await signIn(testApp, desk.email, desk.password);
    expect((await auditorClient.get(BASE)).status).toBe(200);
    expect((await auditorClient.post(`${BASE}/checks`)).status).toBe(403);
    expect((await deskClient.get(BASE)).status).toBe(403);
    const other = await makeCaptureOrg(testApp);
    const otherOwner = await signIn(testApp, other.owner.email, other.owner.password);
    expect((await otherOwner.get(BASE)).status).toBe(404);
  });
});
