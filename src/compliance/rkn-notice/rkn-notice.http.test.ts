import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';
import {
  type CaptureOrg,
  makeCaptureOrg,
  PROCESSING_PURPOSE,
  TEST_PROFILE,
} from '../../../test/capture-factories.ts';
import { makeMember } from '../../../test/factories.ts';
import { type Client, signIn } from '../../../test/http.ts';
import { pdfText } from '../../../test/pdf-text.ts';
import type { TTask } from '../../tasks/tasks.schema.ts';
import type { TNoticeView } from './rkn-notice.schema.ts';

const getApp = setupTestApp();

type ErrorBody = {
  error: { code: string; fields?: Record<string, string[]>; details?: Record<string, unknown> };
};
type TaskPage = { items: TTask[]; total: number };

const SETTINGS = {
  databaseLocations: [{ country: 'RU', city: 'Москва', hostingProvider: 'ООО «Селектел»' }],
  processingStartDate: '2025-09-01',
  endCondition: 'Ликвидация оператора',
  protectionLevel: '3',
  extraMeasures: [],
};

describe('RKN notice over HTTP (R-L3)', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let other: CaptureOrg;
  let officer: Client;
  let auditor: Client;
  let frontDesk: Client;
  let otherOwner: Client;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    other = await makeCaptureOrg(testApp);
    const member = async (role: 'front_desk' | 'auditor' | 'privacy_officer') => {
      const person = await makeMember(testApp, org.orgId, role);
      return signIn(testApp, person.email, person.password);
    };
    officer = await member('privacy_officer');
    auditor = await member('auditor');
    frontDesk = await member('front_desk');
    otherOwner = await signIn(testApp, other.owner.email, other.owner.password);
  });

  it('shows every field with the gaps, and fills them from the settings', async () => {
    const notice = await officer.get<TNoticeView>('/api/v1/compliance/rkn-notice');
    expect(notice.status).toBe(200);
    expect(notice.body.fields.operator.legalName).toBe(TEST_PROFILE.legalName);
    expect(notice.body.gaps.map((gap) => gap.field)).toEqual(
      expect.arrayContaining(['databaseLocations', 'processingStartDate', 'endCondition']),
    );
    expect(notice.body.openTasks).toHaveLength(1);
    const saved = await officer.call<TNoticeView>('PUT', '/api/v1/compliance/rkn-notice/settings', {
      body: SETTINGS,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.gaps).toEqual([]);
    const settings = await auditor.get<{ databaseLocations: unknown[]; protectionLevel: string }>(
      '/api/v1/compliance/rkn-notice/settings',
    );
    expect(settings.body).toMatchObject({
      databaseLocations: SETTINGS.databaseLocations,
      protectionLevel: '3',
    });
  });

  it('answers malformed settings and filings with 400 and field messages', async () => {
    const cases: [string, string, unknown][] = [
      ['PUT', '/api/v1/compliance/rkn-notice/settings', { ...SETTINGS, protectionLevel: '5' }],
      [
        'PUT',
        '/api/v1/compliance/rkn-notice/settings',
        { ...SETTINGS, processingStartDate: '2025-13-01' },
      ],
      [
        'PUT',
        '/api/v1/compliance/rkn-notice/settings',
        {
          ...SETTINGS,
          databaseLocations: [{ country: 'Россия', city: 'Москва', hostingProvider: 'x' }],
        },
      ],
      ['PUT', '/api/v1/compliance/rkn-notice/settings', { databaseLocations: [] }],
      ['POST', '/api/v1/compliance/rkn-notice/filings', { filedOn: '2026-03-02' }],
      ['POST', '/api/v1/compliance/rkn-notice/filings', { filedOn: 'вчера', reference: '1' }],
      ['POST', '/api/v1/compliance/rkn-notice/filings', { filedOn: '2026-03-02', reference: '' }],
      ['GET', '/api/v1/compliance/rkn-notice/export.html?download=yes', undefined],
      ['GET', '/api/v1/tasks?status=maybe', undefined],
      ['POST', '/api/v1/tasks/not-a-uuid/close', {}],
    ];
    for (const [method, path, body] of cases) {
      const answer = await officer.call<ErrorBody>(method, path, { body });
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body.error.code).toBe('validation_failed');
    }
    const future = await officer.post<ErrorBody>('/api/v1/compliance/rkn-notice/filings', {
      filedOn: '2026-03-03',
      reference: '77-26-1',
    });
    expect(future.status).toBe(400);
    expect(future.body.error.fields?.filedOn).toEqual(['Cannot be in the future']);
  });

  it('exports the notice as JSON and as a printable Russian page', async () => {
    const cookie = [...officer.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const json = await testApp.app.request('/api/v1/compliance/rkn-notice/export.json', {
      headers: { cookie },
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="rkn-notice-/);
    const exported = (await json.json()) as TNoticeView;
    expect(exported.fields.purposes.map((purpose) => purpose.title)).toContain(
      PROCESSING_PURPOSE.title,
    );
    const page = await testApp.app.request('/api/v1/compliance/rkn-notice/export.html', {
      headers: { cookie },
    });
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await page.text();
    expect(text).toContain('Уведомление об обработке');
    expect(text).toContain('Клиника Здоровье');
    expect(text).toContain(PROCESSING_PURPOSE.title);
    expect(text).toContain('Москва');
    expect(text).toContain('AES-256-GCM');
    const pdf = await testApp.app.request('/api/v1/compliance/rkn-notice/export.pdf', {
      headers: { cookie },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfBody = Buffer.from(await pdf.arrayBuffer());
    expect(pdfBody.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const words = pdfText(pdfBody);
    expect(words).toContain('Клиника Здоровье');
    expect(words).toContain('Места нахождения баз данных');
    expect(words).toContain('Москва');
  });

  it('keeps compliance tasks closed only by their action, and filing closes them', async () => {
    const open = await officer.get<TaskPage>('/api/v1/tasks?status=open');
    const [task] = open.body.items;
    expect(task).toMatchObject({ kind: 'compliance.rkn_notice_update', status: 'open' });
    const byHand = await officer.post<ErrorBody>(`/api/v1/tasks/${task?.id}/close`, {});
    expect(byHand.status).toBe(422);
    expect(byHand.body.error.details?.rule).toBe('task_closed_by_action');
    expect(
      (
        await auditor.post('/api/v1/compliance/rkn-notice/filings', {
          filedOn: '2026-03-02',
          reference: '77-26-000001',
        })
      ).status,
    ).toBe(403);
    const filed = await officer.post<TNoticeView>('/api/v1/compliance/rkn-notice/filings', {
      filedOn: '2026-03-02',
      reference: '77-26-000001',
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ isChangedSinceFiled: false, openTasks: [] });
    expect((await officer.get<TaskPage>('/api/v1/tasks?status=open')).body.total).toBe(0);
    const filings = await auditor.get<{ items: { reference: string }[] }>(
      '/api/v1/compliance/rkn-notice/filings',
    );
    expect(filings.body.items.map((item) => item.reference)).toEqual(['77-26-000001']);
  });

  it('keeps the notice and tasks to their roles and organization', async () => {
    expect((await frontDesk.get('/api/v1/compliance/rkn-notice')).status).toBe(403);
    const theirs = await otherOwner.get<TNoticeView>('/api/v1/compliance/rkn-notice');
    expect(theirs.body.lastFiling).toBeNull();
    const mine = await officer.get<TaskPage>('/api/v1/tasks?status=done');
    const id = mine.body.items[0]?.id;
    expect(id).toBeDefined();
    const otherTasks = await otherOwner.get<TaskPage>('/api/v1/tasks');
    expect(otherTasks.body.items.map((task) => task.id)).not.toContain(id);
    expect((await otherOwner.post(`/api/v1/tasks/${id}/close`, {})).status).toBe(404);
  });
  it('opens the update task when a purpose is added over HTTP, and lists it overdue once its day passed', async () => {
    const created = await officer.post('/api/v1/purposes', {
      ...PROCESSING_PURPOSE,
      code: 'second_opinion',
      title: 'Второе мнение по результатам обследования',
    });
    expect(created.status).toBe(201);
    const notice = await officer.get<TNoticeView>('/api/v1/compliance/rkn-notice');
    expect(notice.body.isChangedSinceFiled).toBe(true);
    // Monday 2 March 2026; 9 March is a day off, so the 10th working day is 17 March.
    expect(notice.body.openTasks).toEqual([
      expect.objectContaining({
        title: 'Обновить уведомление в РКН',
        dueDate: '2026-03-17',
        isOverdue: false,
      }),
    ]);
    expect((await officer.get<TaskPage>('/api/v1/tasks?isOverdue=true')).body.total).toBe(0);
    testApp.clock.advance(16 * 86_400_000);
    const later = await signIn(testApp, org.owner.email, org.owner.password);
    const overdue = await later.get<TaskPage>('/api/v1/tasks?isOverdue=true');
    expect(overdue.body.items.map((task) => task.dueDate)).toEqual(['2026-03-17']);
    expect(overdue.body.items[0]?.isOverdue).toBe(true);
  });
});
