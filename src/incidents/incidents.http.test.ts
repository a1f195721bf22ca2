import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg, TEST_PROFILE } from '../../test/capture-factories.ts';
import { makeMember, type TestPerson } from '../../test/factories.ts';
import { type Client, signIn } from '../../test/http.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { sql } from '../platform/db/sql.ts';
import type { TIncidentDetail, TIncidentOverview, TIncidentSummary } from './incidents.schema.ts';

const getApp = setupTestApp();

const HOUR = 3_600_000;

type Page = { items: TIncidentSummary[]; total: number; page: number; pageSize: number };
type AuditItem = { action: string; entityId: string | null; details: Record<string, unknown> };
type AccessItem = { id: number; subjectType: string; subjectId: string; reason: string };

const LEAK = {
  title: 'Выгрузка заявок отправлена на чужой адрес',
  kind: 'leak',
  description: 'Администратор отправил таблицу заявок с телефонами Ирины Соколовой постороннему',
  causes: 'Ошибка в адресе получателя при ручной отправке',
  harm: 'Раскрыты имена и телефоны 12 пациентов',
  measures: 'Получатель удалил письмо, отправка выгрузок по почте запрещена',
  contactPerson: 'Белова Елена Николаевна, +7 495 000-00-00',
  affectedSubjectsCount: 12,
  affectedCategories: ['имя', 'номер телефона'],
};

function clockOf(incident: TIncidentSummary, step: string) {
  const clock = incident.clocks.find((entry) => entry.step === step);
  if (!clock) throw new Error(`No ${step} clock`);
  return clock;
}

/** Raw text answers (the notice texts are text/plain, not JSON). */
async function getText(testApp: TestApp, client: Client, path: string) {
  const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const response = await testApp.app.request(path, { headers: { cookie } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('incident register over HTTP', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let other: CaptureOrg;
  let owner: Client;
  let officer: Client;
  let auditor: Client;
  let frontDesk: Client;
  let marketer: Client;
  let otherOwner: Client;
  let officerId: string;

  let people: Record<'officer' | 'auditor' | 'frontDesk' | 'marketer', TestPerson>;

  /** Signs everyone in again: sessions end after a day idle, and some tests move the clock. */
  async function signInAll(): Promise<void> {
    owner = await signIn(testApp, org.owner.email, org.owner.password);
    officer = await signIn(testApp, people.officer.email, people.officer.password);
    auditor = await signIn(testApp, people.auditor.email, people.auditor.password);
    frontDesk = await signIn(testApp, people.frontDesk.email, people.frontDesk.password);
    marketer = await signIn(testApp, people.marketer.email, people.marketer.password);
    otherOwner = await signIn(testApp, other.owner.email, other.owner.password);
  }

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    other = await makeCaptureOrg(testApp);
    people = {
      officer: await makeMember(testApp, org.orgId, 'privacy_officer'),
      auditor: await makeMember(testApp, org.orgId, 'auditor'),
      frontDesk: await makeMember(testApp, org.orgId, 'front_desk'),
      marketer: await makeMember(testApp, org.orgId, 'marketer'),
    };
    officerId = people.officer.userId;
    await signInAll();
  });

  async function createLeak(overrides: Record<string, unknown> = {}): Promise<TIncidentDetail> {
    const detectedAt = new Date(testApp.clock.now().getTime() - HOUR / 2).toISOString();
    const answer = await officer.post<TIncidentDetail>('/api/v1/incidents', {
      ...LEAK,
      detectedAt,
      ...overrides,
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  it('sets the 24 h and 72 h due times from detection, to the millisecond (R-D7, R-G5)', async () => {
    const answer = await officer.post<TIncidentDetail>('/api/v1/incidents', {
      ...LEAK,
      detectedAt: '2026-03-02T08:30:00+00:00',
      gdprApplies: true,
    });
    expect(answer.status).toBe(201);
    const incident = answer.body;
    expect(incident.status).toBe('open');
    expect(incident.number).toBeGreaterThanOrEqual(1);
    expect(clockOf(incident, 'notice24h')).toMatchObject({
      clock: 'incident-24h',
      dueAt: '2026-03-03T08:30:00.000Z',
      state: 'pending',
      doneAt: null,
    });
    expect(clockOf(incident, 'report72h').dueAt).toBe('2026-03-05T08:30:00.000Z');
    // GDPR Art. 33(1): 72 hours from awareness as well.
    expect(clockOf(incident, 'gdprNotice').dueAt).toBe('2026-03-05T08:30:00.000Z');
    expect(incident.clocks.map((clock) => clock.step)).toEqual([
      'notice24h',
      'report72h',
      'gdprNotice',
    ]);
    expect(incident.nextClock?.step).toBe('notice24h');
    expect(incident.isOverdue).toBe(false);
    expect(incident.description).toBe(LEAK.description);
    expect(incident.events.map((event) => event.action)).toEqual(['created']);
    expect(incident.events[0]?.actor).toMatchObject({ type: 'user', id: officerId });

    const audit = await owner.get<{ items: AuditItem[] }>(
      `/api/v1/audit-log?action=incident.created&entityType=incident`,
    );
    expect(audit.body.items.some((item) => item.entityId === incident.id)).toBe(true);
  });

  it('gives unlawful processing 3 and 10 working-day clocks to stop and destroy, across the 9 March holiday (R-D2)', async () => {
    const answer = await officer.post<TIncidentDetail>('/api/v1/incidents', {
      title: 'Рассылка по базе без согласия',
      kind: 'unlawful_processing',
      detectedAt: '2026-02-27T10:00:00Z',
    });
    expect(answer.status).toBe(201);
    const incident = answer.body;
    // Found on Fri 27 Feb: working days Mon 2, Tue 3, Wed 4 March → stop by the end of 4 March
    // in Moscow; then 5, 6, (9 March is a holiday) 10, 11, 12, 13, 16 → destroy by 16 March.
    expect(clockOf(incident, 'processingStopped')).toMatchObject({
      clock: 'unlawful-stop',
      dueDate: '2026-03-04',
      dueAt: '2026-03-04T21:00:00.000Z',
    });
    expect(clockOf(incident, 'dataDestroyed')).toMatchObject({
      clock: 'unlawful-destroy-10',
      dueDate: '2026-03-16',
      dueAt: '2026-03-16T21:00:00.000Z',
    });
    // Detected three days before "now": the 24 h notice is already overdue.
    expect(clockOf(incident, 'notice24h').state).toBe('overdue');
    expect(incident.isOverdue).toBe(true);

    const stopped = await officer.post<TIncidentDetail>(`/api/v1/incidents/${incident.id}/steps`, {
      step: 'processingStopped',
      at: '2026-03-02T08:00:00Z',
      evidence: 'Приказ № 12 от 02.03',
    });
    expect(stopped.status).toBe(200);
    expect(clockOf(stopped.body, 'processingStopped')).toMatchObject({
      state: 'done',
      doneAt: '2026-03-02T08:00:00.000Z',
      evidence: 'Приказ № 12 от 02.03',
    });
  });

  it('marks the 24 h notice overdue once 24 h pass, and not once it is recorded (R-D7)', async () => {
    const incident = await createLeak();
    testApp.clock.advance(25 * HOUR);
    await signInAll();

    const late = await auditor.get<TIncidentDetail>(`/api/v1/incidents/${incident.id}`);
    expect(late.status).toBe(200);
    expect(clockOf(late.body, 'notice24h').state).toBe('overdue');
    expect(clockOf(late.body, 'report72h').state).toBe('pending');
    expect(late.body.isOverdue).toBe(true);
    const overdueList = await auditor.get<Page>('/api/v1/incidents?isOverdue=true&pageSize=200');
    expect(overdueList.body.items.map((item) => item.id)).toContain(incident.id);
    const overview = await auditor.get<TIncidentOverview>('/api/v1/incidents/overview');
    expect(overview.body.overdueCount).toBeGreaterThanOrEqual(1);
    expect(overview.body.items[0]?.isOverdue).toBe(true);

    const sentAt = new Date(testApp.clock.now().getTime() - HOUR).toISOString();
    const recorded = await officer.post<TIncidentDetail>(`/api/v1/incidents/${incident.id}/steps`, {
      step: 'notice24h',
      at: sentAt,
      evidence: 'Портал pd.rkn.gov.ru, входящий № 1234',
    });
    expect(recorded.status).toBe(200);
    const notice = clockOf(recorded.body, 'notice24h');
    expect(notice.state).toBe('done_late');
    expect(notice.doneAt).toBe(sentAt);
    expect(notice.evidence).toBe('Портал pd.rkn.gov.ru, входящий № 1234');
    expect(recorded.body.isOverdue).toBe(false);
    expect(recorded.body.status).toBe('notified');
    expect(recorded.body.nextClock?.step).toBe('report72h');
    const stillOverdue = await auditor.get<Page>('/api/v1/incidents?isOverdue=true&pageSize=200');
    expect(stillOverdue.body.items.map((item) => item.id)).not.toContain(incident.id);
    const notOverdue = await auditor.get<Page>('/api/v1/incidents?isOverdue=false&pageSize=200');
    expect(notOverdue.body.items.map((item) => item.id)).toContain(incident.id);

    const audit = await owner.get<{ items: AuditItem[] }>(
      '/api/v1/audit-log?action=incident.step_recorded',
    );
    const row = audit.body.items.find((item) => item.entityId === incident.id);
    expect(row?.details).toMatchObject({ step: 'notice24h', at: sentAt });
  });

  it('records a notice in time as done, and moves the status on with the 72 h report', async () => {
    const incident = await createLeak();
    const sentAt = testApp.clock.now().toISOString();
    const first = await officer.post<TIncidentDetail>(`/api/v1/incidents/${incident.id}/steps`, {
      step: 'notice24h',
      at: sentAt,
      evidence: 'вх. № 77',
    });
    expect(clockOf(first.body, 'notice24h').state).toBe('done');
    const report = await officer.post<TIncidentDetail>(`/api/v1/incidents/${incident.id}/steps`, {
      step: 'report72h',
      at: sentAt,
      evidence: 'вх. № 78',
    });
    expect(report.body.status).toBe('investigated');
    expect(report.body.nextClock).toBeNull();

    // A correction keeps the earlier values in the timeline.
    const corrected = await officer.post<TIncidentDetail>(
      `/api/v1/incidents/${incident.id}/steps`,
      { step: 'notice24h', at: sentAt, evidence: 'вх. № 77-А' },
    );
    const correction = corrected.body.events.find((event) => event.action === 'step_corrected');
    expect(correction?.details).toMatchObject({
      previousEvidence: 'вх. № 77',
      evidence: 'вх. № 77-А',
    });
    expect(corrected.body.status).toBe('investigated');
  });

  it('refuses a step in the future, before detection, or one that does not apply', async () => {
    const incident = await createLeak();
    const future = await officer.post(`/api/v1/incidents/${incident.id}/steps`, {
      step: 'notice24h',
      at: new Date(testApp.clock.now().getTime() + HOUR).toISOString(),
      evidence: 'x',
    });
    expect(future.status).toBe(400);
    const early = await officer.post<{ error: { fields: Record<string, string[]> } }>(
      `/api/v1/incidents/${incident.id}/steps`,
      { step: 'notice24h', at: '2020-01-01T00:00:00Z', evidence: 'x' },
    );
    expect(early.status).toBe(400);
    expect(early.body.error.fields.at).toBeDefined();
    const gdpr = await officer.post<{ error: { details: { rule: string } } }>(
      `/api/v1/incidents/${incident.id}/steps`,
      { step: 'gdprNotice', at: testApp.clock.now().toISOString(), evidence: 'x' },
    );
    expect(gdpr.status).toBe(422);
    expect(gdpr.body.error.details.rule).toBe('step_not_applicable');
    const futureDetection = await officer.post('/api/v1/incidents', {
      title: 'Будущее',
      kind: 'leak',
      detectedAt: new Date(testApp.clock.now().getTime() + HOUR).toISOString(),
    });
    expect(futureDetection.status).toBe(400);
  });

  it('keeps free text encrypted at rest and logs each read of it', async () => {
    const incident = await createLeak();
    const [row] = await testApp.db.query<{ description_enc: Uint8Array; title: string }>(
      sql`SELECT description_enc, title FROM incidents WHERE id = ${incident.id}`,
    );
    expect(row?.title).toBe(LEAK.title);
    const stored = Buffer.from(row?.description_enc ?? new Uint8Array());
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.toString('utf8')).not.toContain('Соколов');
    expect(stored.toString('latin1')).not.toContain('Sokolov');

    await auditor.get(`/api/v1/incidents/${incident.id}`);
    const log = await owner.get<{ items: AccessItem[] }>(
      `/api/v1/access-log?subjectType=incident&subjectId=${incident.id}`,
    );
    expect(log.body.items.some((item) => item.reason === 'card')).toBe(true);
  });

  it('pre-fills the 24 h notice and the 72 h report from the incident and the operator, as .txt', async () => {
    const incident = await createLeak();
    await officer.patch(`/api/v1/incidents/${incident.id}`, {
      investigation: 'Установлено: выгрузка отправлена вручную в обход регламента',
      responsiblePersons: 'Администратор регистратуры',
    });
    const notice = await getText(
      testApp,
      auditor,
      `/api/v1/incidents/${incident.id}/texts/notice-24h`,
    );
    expect(notice.status).toBe(200);
    expect(notice.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    for (const part of [
      'Роскомнадзор',
      'часть 3.1 статьи 21',
      TEST_PROFILE.legalName,
      TEST_PROFILE.address,
      `Номер в журнале инцидентов оператора: ${incident.number}`,
      LEAK.causes,
      LEAK.harm,
      LEAK.measures,
      LEAK.contactPerson,
      'имя, номер телефона',
    ]) {
      expect(notice.text).toContain(part);
    }
    const download = await getText(
      testApp,
      auditor,
      `/api/v1/incidents/${incident.id}/texts/report-72h?download=1`,
    );
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="incident-${incident.number}-report-72h.txt"`,
    );
    expect(download.text).toContain('результатах внутреннего расследования');
    expect(download.text).toContain('выгрузка отправлена вручную в обход регламента');
    expect(download.text).toContain('Администратор регистратуры');
    expect(download.text).toContain('Первичное уведомление направлено: не направлялось');

    const log = await owner.get<{ items: AccessItem[] }>(
      `/api/v1/access-log?subjectType=incident&subjectId=${incident.id}`,
    );
    expect(log.body.items.some((item) => item.reason === 'export')).toBe(true);
  });

  it('marks missing parts of a notice instead of leaving them out', async () => {
    const bare = await officer.post<TIncidentDetail>('/api/v1/incidents', {
      title: 'Потерян ноутбук',
      kind: 'loss',
      detectedAt: testApp.clock.now().toISOString(),
    });
    const notice = await getText(
      testApp,
      officer,
      `/api/v1/incidents/${bare.body.id}/texts/notice-24h`,
    );
    expect(notice.text).toContain('[не заполнено — дополните перед отправкой]');
    // Without a contact person, the operator's responsible person is named.
    expect(notice.text).toContain(TEST_PROFILE.responsibleName);
  });

  it('changes fields with a timeline entry per change; a new detection time moves the clocks', async () => {
    const incident = await createLeak();
    const answer = await officer.patch<TIncidentDetail>(`/api/v1/incidents/${incident.id}`, {
      detectedAt: '2026-03-02T06:00:00Z',
      harm: 'Раскрыты телефоны 14 пациентов',
      affectedSubjectsCount: 14,
    });
    expect(answer.status).toBe(200);
    expect(clockOf(answer.body, 'notice24h').dueAt).toBe('2026-03-03T06:00:00.000Z');
    expect(answer.body.harm).toBe('Раскрыты телефоны 14 пациентов');
    const update = answer.body.events.find((event) => event.action === 'updated');
    expect(update?.details).toMatchObject({
      changed: {
        detectedAt: { to: '2026-03-02T06:00:00.000Z' },
        affectedSubjectsCount: { from: 12, to: 14 },
      },
      textFields: ['harm'],
    });
    // Free text never enters the timeline or the audit log.
    expect(JSON.stringify(answer.body.events)).not.toContain('14 пациентов');
    const audit = await owner.get<{ items: AuditItem[] }>(
      '/api/v1/audit-log?action=incident.updated',
    );
    const row = audit.body.items.find((item) => item.entityId === incident.id);
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain('14 пациентов');

    const nothing = await officer.patch(`/api/v1/incidents/${incident.id}`, {});
    expect(nothing.status).toBe(400);
  });

  it('links affected contacts and access-log entries, and refuses another organization’s', async () => {
    const incident = await createLeak();
    const submission = await submitWithConsents(testApp, org);
    const contactId = await contactOfSubmission(testApp, submission.submissionId);
    const foreign = await submitWithConsents(testApp, other);
    const foreignContactId = await contactOfSubmission(testApp, foreign.submissionId);
    await owner.get(`/api/v1/contacts/${contactId}`);
    const reads = await owner.get<{ items: AccessItem[] }>(
      `/api/v1/access-log?subjectType=contact&subjectId=${contactId}`,
    );
    const entry = reads.body.items[0];
    if (!entry) throw new Error('No access-log entry for the contact');

    const linked = await officer.post<TIncidentDetail>(`/api/v1/incidents/${incident.id}/records`, {
      contactIds: [contactId],
      accessLogIds: [entry.id],
    });
    expect(linked.status).toBe(200);
    expect(linked.body.records).toHaveLength(2);
    const contactRecord = linked.body.records.find((record) => record.type === 'contact');
    expect(contactRecord?.contactId).toBe(contactId);
    const logRecord = linked.body.records.find((record) => record.type === 'access_log');
    expect(logRecord?.accessEntry).toMatchObject({ subjectType: 'contact', subjectId: contactId });

    // Linking again changes nothing.
    const again = await officer.post<TIncidentDetail>(`/api/v1/incidents/${incident.id}/records`, {
      contactIds: [contactId],
    });
    expect(again.body.records).toHaveLength(2);
    expect(again.body.events.filter((event) => event.action === 'records_linked')).toHaveLength(1);

    const foreignLink = await officer.post<{ error: { fields: Record<string, string[]> } }>(
      `/api/v1/incidents/${incident.id}/records`,
      { contactIds: [foreignContactId] },
    );
    expect(foreignLink.status).toBe(400);
    expect(foreignLink.body.error.fields['contactIds.0']).toBeDefined();

    const unlinked = await officer.delete<TIncidentDetail>(
      `/api/v1/incidents/${incident.id}/records/${contactRecord?.id}`,
    );
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.records).toHaveLength(1);
    expect(unlinked.body.events.map((event) => event.action)).toContain('record_unlinked');
  });

  it('closes an incident: missing steps show as missed and nothing changes afterwards', async () => {
    const incident = await createLeak();
    const closed = await officer.post<TIncidentDetail>(`/api/v1/incidents/${incident.id}/close`, {
      resolution: 'Инцидент не подтвердился: письмо не было доставлено',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.closedAt).toBe(testApp.clock.now().toISOString());
    expect(closed.body.resolution).toBe('Инцидент не подтвердился: письмо не было доставлено');
    expect(clockOf(closed.body, 'notice24h').state).toBe('missed');
    expect(closed.body.isOverdue).toBe(false);
    expect(closed.body.events.at(-1)?.details).toMatchObject({
      missingSteps: ['notice24h', 'report72h'],
    });

    const change = await officer.patch<{ error: { details: { rule: string } } }>(
      `/api/v1/incidents/${incident.id}`,
      { title: 'Другое' },
    );
    expect(change.status).toBe(422);
    expect(change.body.error.details.rule).toBe('incident_closed');
    const active = await officer.get<Page>('/api/v1/incidents?status=active&pageSize=200');
    expect(active.body.items.map((item) => item.id)).not.toContain(incident.id);
    const closedList = await officer.get<Page>('/api/v1/incidents?status=closed');
    expect(closedList.body.items.map((item) => item.id)).toContain(incident.id);
    const overview = await officer.get<TIncidentOverview>('/api/v1/incidents/overview');
    expect(overview.body.items.map((item) => item.id)).not.toContain(incident.id);
  });

  it('pages the register with numbers in order and filters by kind', async () => {
    const first = await officer.get<Page>('/api/v1/incidents?page=1&pageSize=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toBeGreaterThan(2);
    const numbers = new Set<number>();
    for (let page = 1; page <= Math.ceil(first.body.total / 2); page += 1) {
      const answer = await officer.get<Page>(`/api/v1/incidents?page=${page}&pageSize=2`);
      for (const item of answer.body.items) numbers.add(item.number);
    }
    expect([...numbers].sort((a, b) => a - b)).toEqual(
      Array.from({ length: first.body.total }, (_, index) => index + 1),
    );
    const past = await officer.get<Page>('/api/v1/incidents?page=999&pageSize=2');
    expect(past.body.items).toHaveLength(0);
    expect(past.body.total).toBe(first.body.total);
    const unlawful = await officer.get<Page>('/api/v1/incidents?kind=unlawful_processing');
    expect(unlawful.body.items.every((item) => item.kind === 'unlawful_processing')).toBe(true);
    expect(unlawful.body.total).toBe(1);
  });

  it('lets the auditor read but not change; front desk and marketers see nothing (permissions)', async () => {
    const incident = await createLeak();
    expect((await frontDesk.get('/api/v1/incidents')).status).toBe(403);
    expect((await frontDesk.get(`/api/v1/incidents/${incident.id}`)).status).toBe(403);
    expect((await frontDesk.get('/api/v1/incidents/overview')).status).toBe(403);
    expect(
      (await getText(testApp, frontDesk, `/api/v1/incidents/${incident.id}/texts/notice-24h`))
        .status,
    ).toBe(403);
    expect((await marketer.get('/api/v1/incidents')).status).toBe(403);
    expect((await auditor.get('/api/v1/incidents')).status).toBe(200);
    expect(
      (
        await auditor.post('/api/v1/incidents', {
          title: 'x',
          kind: 'leak',
          detectedAt: testApp.clock.now().toISOString(),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await auditor.post(`/api/v1/incidents/${incident.id}/steps`, {
          step: 'notice24h',
          at: testApp.clock.now().toISOString(),
          evidence: 'x',
        })
      ).status,
    ).toBe(403);
    expect(
      (await auditor.post(`/api/v1/incidents/${incident.id}/close`, { resolution: 'x' })).status,
    ).toBe(403);
    expect((await frontDesk.patch(`/api/v1/incidents/${incident.id}`, { title: 'y' })).status).toBe(
      403,
    );
    expect((await owner.get(`/api/v1/incidents/${incident.id}`)).status).toBe(200);
  });

  it('hides one organization’s incidents from another', async () => {
    const incident = await createLeak();
    expect((await otherOwner.get(`/api/v1/incidents/${incident.id}`)).status).toBe(404);
    expect(
      (await otherOwner.patch(`/api/v1/incidents/${incident.id}`, { title: 'Чужой' })).status,
    ).toBe(404);
    expect(
      (
        await otherOwner.post(`/api/v1/incidents/${incident.id}/steps`, {
          step: 'notice24h',
          at: testApp.clock.now().toISOString(),
          evidence: 'x',
        })
      ).status,
    ).toBe(404);
    expect(
      (await getText(testApp, otherOwner, `/api/v1/incidents/${incident.id}/texts/notice-24h`))
        .status,
    ).toBe(404);
    const list = await otherOwner.get<Page>('/api/v1/incidents');
    expect(list.body.total).toBe(0);
    const overview = await otherOwner.get<TIncidentOverview>('/api/v1/incidents/overview');
    expect(overview.body).toEqual({ openCount: 0, overdueCount: 0, items: [] });
  });
});
