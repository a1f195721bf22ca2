import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';
import {
  type CaptureOrg,
  makeCaptureOrg,
  PROCESSING_PURPOSE,
  TEST_PROFILE,
} from '../../../test/capture-factories.ts';
import type { Ctx } from '../../platform/context.ts';
import { sql } from '../../platform/db/sql.ts';
import { withTx } from '../../platform/db/tx.ts';
import { createPurpose, revisePurpose, saveProfile } from '../../purposes/purposes.service.ts';
import { findTasks } from '../../tasks/tasks.service.ts';
import { addServiceFromCatalogue, updateService } from '../services/services.service.ts';
import {
  fileNotice,
  getNotice,
  NOTICE_TASK_KIND,
  saveNoticeSettings,
} from './rkn-notice.service.ts';

const getApp = setupTestApp();

const SETTINGS = {
  databaseLocations: [
    {
      country: 'RU',
      city: 'Москва',
      hostingProvider: 'ООО «Селектел»',
      address: 'ул. Цветочная, 21',
    },
  ],
  processingStartDate: '2025-09-01',
  endCondition: 'Ликвидация оператора или достижение целей обработки',
  protectionLevel: '3' as const,
  extraMeasures: ['Назначен ответственный за организацию обработки персональных данных'],
};

async function openNoticeTasks(ctx: Ctx) {
  const page = await findTasks(ctx, {
    page: 1,
    pageSize: 50,
    status: 'open',
    kind: NOTICE_TASK_KIND,
  });
  return page.items;
}

describe('RKN notice and its update task in the database (R-L3)', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let ctx: Ctx;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    ctx = { ...org.ctx, now: testApp.clock.now() };
  });

  it('asks to file the notice of an organization that never filed one, once', async () => {
    const tasks = await openNoticeTasks(ctx);
    // The profile and two purposes were saved: still one task.
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Подать уведомление в РКН', status: 'open' });
    const notice = await getNotice(ctx);
    expect(notice.isChangedSinceFiled).toBe(true);
    expect(notice.lastFiling).toBeNull();
    expect(notice.openTasks.map((task) => task.id)).toEqual([tasks[0]?.id]);
  });

  it('fills every Art. 22 field from the registry, the profile and the settings, and lists the gaps', async () => {
    const before = await getNotice(ctx);
    expect(before.gaps.map((gap) => gap.code).sort()).toEqual([
      'database_locations_missing',
      'end_condition_missing',
      'protection_level_missing',
      'start_date_missing',
    ]);
    const notice = await saveNoticeSettings(ctx, SETTINGS);
    expect(notice.gaps).toEqual([]);
    expect(notice.fields.operator).toEqual({
      legalName: TEST_PROFILE.legalName,
      address: TEST_PROFILE.address,
      inn: TEST_PROFILE.inn,
      ogrn: TEST_PROFILE.ogrn,
    });
    expect(notice.fields.purposes.map((purpose) => purpose.code)).toEqual([
      'appointment',
      'marketing',
    ]);
    const appointment = notice.fields.purposes[0];
    expect(appointment?.legalBasis).toContain('п. 1 ч. 1 ст. 6');
    expect(appointment?.subjectCategories).toEqual(PROCESSING_PURPOSE.subjectCategories);
    expect(appointment?.actions).toEqual(PROCESSING_PURPOSE.actions);
    expect(notice.fields.responsible).toEqual({
      name: TEST_PROFILE.responsibleName,
      contacts: TEST_PROFILE.responsibleContacts,
    });
    expect(notice.fields.securityMeasures.encryption).toContain('AES-256-GCM');
    expect(notice.fields.databaseLocations).toEqual(SETTINGS.databaseLocations);
    expect(notice.fields.processingStartDate).toBe('2025-09-01');
    expect(notice.fields.protectionLevel).toBe('3');
    expect(notice.fields.crossBorder).toEqual({ isPerformed: false, countries: [] });
    // The same fields give the same fingerprint.
    expect((await getNotice(ctx)).fingerprint).toBe(notice.fingerprint);
  });

  it('closes the task when the notice is marked filed and keeps the filed fingerprint', async () => {
    const filed = await fileNotice(ctx, { filedOn: '2026-03-02', reference: '77-26-001234' });
    expect(filed.isChangedSinceFiled).toBe(false);
    expect(filed.lastFiling).toMatchObject({
      filedOn: '2026-03-02',
      reference: '77-26-001234',
      fingerprint: filed.fingerprint,
    });
    expect(filed.openTasks).toEqual([]);
    expect(await openNoticeTasks(ctx)).toEqual([]);
    const done = await findTasks(ctx, { page: 1, pageSize: 50, status: 'done' });
    expect(done.items.map((task) => task.kind)).toContain(NOTICE_TASK_KIND);
  });

  it('opens "update the RKN notice" when a purpose is added, due in 10 working days by the production calendar', async () => {
    // Monday 27 April 2026, 13:00 in Moscow: 1 May and 11 May are days off, so the 10th working
    // day is 13 May (counting weekends only it would be 11 May).
    const later = { ...ctx, now: new Date('2026-04-27T10:00:00Z') };
    await createPurpose(later, {
      ...PROCESSING_PURPOSE,
      code: 'telemedicine',
      title: 'Телемедицинские консультации',
    });
    const tasks = await openNoticeTasks(later);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      title: 'Обновить уведомление в РКН',
      dueDate: '2026-05-13',
      relatedType: 'rkn_notice',
      relatedId: org.orgId,
      details: { cause: 'purpose.created' },
    });
    const notice = await getNotice(later);
    expect(notice.isChangedSinceFiled).toBe(true);
    // A second change while the task is open does not add another.
    await revisePurpose(later, 'telemedicine', {
      ...PROCESSING_PURPOSE,
      title: 'Телемедицинские консультации и второе мнение',
    });
    expect(await openNoticeTasks(later)).toHaveLength(1);
    // Filing closes it.
    await fileNotice(later, { filedOn: '2026-04-27', reference: '77-26-001235' });
    expect(await openNoticeTasks(later)).toEqual([]);
  });

  it('opens no task for a change that does not alter a notice field', async () => {
    const later = { ...ctx, now: new Date('2026-04-28T10:00:00Z') };
    await saveProfile(later, { ...TEST_PROFILE, policyUrl: 'https://clinic.test/privacy-2026' });
    expect(await openNoticeTasks(later)).toEqual([]);
    // A Russian service, then its contract reference: the notice does not list contracts.
    const sbis = await addServiceFromCatalogue(later, 'sbis');
    expect(await openNoticeTasks(later)).toEqual([]);
    await updateService(later, sbis.id, { contractReference: 'Договор № 15-ПД от 01.02.2026' });
    expect(await openNoticeTasks(later)).toEqual([]);
    expect((await getNotice(later)).isChangedSinceFiled).toBe(false);
  });

  it('opens the task for a new database location and for a foreign service (cross-border)', async () => {
    const later = { ...ctx, now: new Date('2026-04-29T10:00:00Z') };
    await saveNoticeSettings(later, {
      ...SETTINGS,
      databaseLocations: [
        ...SETTINGS.databaseLocations,
        { country: 'RU', city: 'Санкт-Петербург', hostingProvider: 'ООО «Селектел»' },
      ],
    });
    const [task] = await openNoticeTasks(later);
    expect(task?.details).toEqual({ cause: 'rkn_notice.settings_saved' });
    await fileNotice(later, { filedOn: '2026-04-29', reference: '77-26-001236' });
    await addServiceFromCatalogue(later, 'telegram');
    const [foreign] = await openNoticeTasks(later);
    expect(foreign?.details).toEqual({ cause: 'service.added_from_catalogue' });
    const notice = await getNotice(later);
    expect(notice.fields.crossBorder).toEqual({
      isPerformed: true,
      countries: [
        {
          country: 'AE',
          countryName: expect.any(String),
          isAdequate: false,
          recipients: ['Telegram'],
        },
      ],
    });
    expect(notice.gaps.map((gap) => gap.code)).toEqual(['cross_border_notice_missing']);
  });

  it('keeps filings append-only and every table scoped to its organization', async () => {
    const [filing] = await testApp.db.query<{ id: string }>(
      sql`SELECT id FROM rkn_notice_filings WHERE org_id = ${org.orgId} LIMIT 1`,
    );
    await expect(
      testApp.db.execute(
        sql`UPDATE rkn_notice_filings SET reference = 'x' WHERE id = ${filing?.id}`,
      ),
    ).rejects.toThrow();
    const other = await makeCaptureOrg(testApp);
    for (const table of [
      'tasks',
      'compliance_services',
      'rkn_notice_filings',
      'rkn_notice_settings',
    ]) {
      const seen = await withTx(testApp.db, { orgId: other.orgId }, (tx) =>
        tx.query(sql`SELECT * FROM ${sql.unsafeRaw(table)} WHERE org_id = ${org.orgId}`),
      );
      expect(seen, table).toEqual([]);
    }
    await expect(
      withTx(testApp.db, { orgId: other.orgId }, (tx) =>
        tx.execute(sql`
          INSERT INTO tasks (org_id, kind, title, created_at)
          VALUES (${org.orgId}, 'crm.call_back', 'Перезвонить', now())`),
      ),
    ).rejects.toThrow();
  });
});
