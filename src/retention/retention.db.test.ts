import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/app.ts';
import { setupTestApp } from '../../test/app.ts';
import {
  type CaptureOrg,
  makeCaptureOrg,
  PROCESSING_PURPOSE,
  TEST_PROFILE,
} from '../../test/capture-factories.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { withdrawConsent } from '../consent/consent.service.ts';
import { blockSubject, liftBlock } from '../contacts/blocks.service.ts';
import { contactErasure, readContacts } from '../contacts/contacts.service.ts';
import type { Ctx } from '../platform/context.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { createPurpose, saveProfile } from '../purposes/purposes.service.ts';
import {
  findTasks,
  getAct,
  placeHold,
  recordBasis,
  releaseHold,
  runRetention,
  setPurposeTriggers,
} from './retention.service.ts';

const getApp = setupTestApp();
const DAY = 86_400_000;

function ctxAt(org: CaptureOrg, now: Date): Ctx {
  return { ...org.ctx, now };
}

async function submit(testApp: TestApp, org: CaptureOrg, now: Date, isAdvertisingGiven = false) {
  const result = await submitWithConsents(testApp, org, { isAdvertisingGiven, now });
  return contactOfSubmission(testApp, result.submissionId);
}

async function erasedAt(testApp: TestApp, org: CaptureOrg, contactId: string) {
  return withTx(testApp.db, { orgId: org.orgId }, async (tx) => {
    return (await contactErasure(tx, contactId))?.erasedAt ?? null;
  });
}

async function tasksOf(org: CaptureOrg, now: Date, contactId: string) {
  return (await findTasks(ctxAt(org, now), { page: 1, pageSize: 50, contactId })).items;
}

describe('retention run', () => {
  it('destroys a lead on the day its purpose term ends, not the day before, with an act and extract carrying every Order 179 field (R-D3, R-D6)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await saveProfile(org.ctx, {
      ...TEST_PROFILE,
      processors: [
        { name: 'ООО «Агентство Лидов»', address: '190000, г. Санкт-Петербург, Невский пр., д. 2' },
      ],
    });
    const start = new Date('2026-03-02T09:00:00Z');
    const contactId = await submit(testApp, org, start);
    const dueAt = new Date(start.getTime() + PROCESSING_PURPOSE.retentionDays * DAY);

    const dayBefore = await runRetention(ctxAt(org, new Date(dueAt.getTime() - DAY)), {
      isDryRun: false,
    });
    expect(dayBefore.destroyed).toBe(0);
    expect(dayBefore.actId).toBeNull();
    expect(await erasedAt(testApp, org, contactId)).toBeNull();

    const onTheDay = await runRetention(ctxAt(org, dueAt), { isDryRun: false });
    expect(onTheDay.destroyed).toBe(1);
    expect(onTheDay.subjects).toEqual([
      expect.objectContaining({ contactId, decision: 'destroy', reasons: ['term_ended'] }),
    ]);
    expect(await erasedAt(testApp, org, contactId)).toEqual(dueAt);
    const after = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      readContacts(tx, ctxAt(org, dueAt), [contactId], 'test'),
    );
    expect(after.get(contactId)).toMatchObject({ name: null, phone: null, isShredded: true });

    expect(onTheDay.actId).not.toBeNull();
    const act = await getAct(ctxAt(org, dueAt), onTheDay.actId ?? '');
    const { content } = act;
    // Act: operator, processor, subjects, who destroyed (name, position, signature), categories,
    // information system, method, reason, date.
    expect(content.operator).toMatchObject({
      name: TEST_PROFILE.legalName,
      address: TEST_PROFILE.address,
    });
    expect(content.processors).toEqual([
      { name: 'ООО «Агентство Лидов»', address: '190000, г. Санкт-Петербург, Невский пр., д. 2' },
    ]);
    expect(content.subjects).toEqual([
      expect.objectContaining({
        contactId,
        name: 'Ирина Соколова',
        phone: expect.stringMatching(/^\+7916/),
      }),
    ]);
    expect(content.destroyedBy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: TEST_PROFILE.responsibleName,
          position: expect.stringContaining('ответственное'),
          signature: expect.stringContaining('Ed25519'),
        }),
      ]),
    );
    for (const person of content.destroyedBy) {
      expect(person.name && person.position && person.signature).toBeTruthy();
    }
    expect(content.categories).toEqual(
      expect.arrayContaining(['имя', 'номер телефона', 'адрес электронной почты']),
    );
    expect(content.informationSystem).toContain('Soglasie');
    expect(content.method).toContain('Криптографическое уничтожение');
    expect(content.reasons).toEqual([
      expect.objectContaining({
        code: 'term_ended',
        text: expect.stringContaining('152-ФЗ'),
        subjects: 1,
      }),
    ]);
    expect(content.date).toBe(dueAt.toISOString());
    // Extract: subjects, categories, information system, reason, date.
    expect(content.extract.informationSystem).toBe(content.informationSystem);
    expect(content.extract.entries).toEqual([
      expect.objectContaining({
        contactId,
        subject: 'Ирина Соколова',
        categories: expect.arrayContaining(['имя']),
        reason: expect.stringContaining('срока'),
        destroyedAt: dueAt.toISOString(),
        operations: expect.arrayContaining([
          expect.objectContaining({ table: 'contacts', action: 'deidentified', rows: 1 }),
        ]),
      }),
    ]);
    expect(act.isSignatureValid).toBe(true);
    expect(act.keepUntil).toBe('2030-03-02T09:00:00.000Z');

    // The act outlives the subject's key: sealed under the organization key, never in clear.
    const [stored] = await testApp.db.query<{ content_enc: Uint8Array }>(
      sql`SELECT content_enc FROM destruction_acts WHERE id = ${act.id}`,
    );
    expect(Buffer.from(stored?.content_enc ?? []).includes(Buffer.from('Ирина'))).toBe(false);
    const tasks = await tasksOf(org, dueAt, contactId);
    expect(tasks).toEqual([
      expect.objectContaining({ reason: 'term_ended', status: 'done', actId: act.id }),
    ]);
    const [accessRow] = await testApp.db.query<{ reason: string }>(
      sql`SELECT reason FROM access_log WHERE org_id = ${org.orgId} AND reason = 'destruction_act'`,
    );
    expect(accessRow).toBeDefined();
  });

  it('schedules destruction 30 days after a withdrawal and carries it out then (R-D4)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const start = new Date('2026-04-01T10:00:00Z');
    const contactId = await submit(testApp, org, start, true);
    for (const purposeCode of ['appointment', 'marketing']) {
      await withdrawConsent(ctxAt(org, start), { contactId, purposeCode, body: undefined });
    }
    const tasks = await tasksOf(org, start, contactId);
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task).toMatchObject({
        reason: 'consent_withdrawn',
        status: 'pending',
        dueAt: new Date(start.getTime() + 30 * DAY).toISOString(),
      });
    }
    const early = await runRetention(ctxAt(org, new Date(start.getTime() + 29 * DAY)), {
      isDryRun: false,
    });
    expect(early.destroyed).toBe(0);
    expect(await erasedAt(testApp, org, contactId)).toBeNull();

    const due = new Date(start.getTime() + 30 * DAY);
    const run = await runRetention(ctxAt(org, due), { isDryRun: false });
    expect(run.destroyed).toBe(1);
    expect(await erasedAt(testApp, org, contactId)).not.toBeNull();
    expect((await tasksOf(org, due, contactId)).map((task) => task.status)).toEqual([
      'done',
      'done',
    ]);
  });

  it('keeps a subject whose contract-basis purpose is still in term after a withdrawal (R-D4)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await createPurpose(org.ctx, {
      ...PROCESSING_PURPOSE,
      code: 'treatment',
      title: 'Исполнение договора на оказание медицинских услуг',
      legalBasis: 'contract',
      retentionDays: 1825,
    });
    const start = new Date('2026-05-04T08:00:00Z');
    const contactId = await submit(testApp, org, start);
    await recordBasis(ctxAt(org, start), {
      contactId,
      purposeCode: 'treatment',
      reference: 'Договор № 15/26',
    });
    await withdrawConsent(ctxAt(org, start), {
      contactId,
      purposeCode: 'appointment',
      body: undefined,
    });
    const due = new Date(start.getTime() + 30 * DAY);
    const run = await runRetention(ctxAt(org, due), { isDryRun: false });
    expect(run.destroyed).toBe(0);
    expect(run.kept).toBe(1);
    expect(await erasedAt(testApp, org, contactId)).toBeNull();
    expect(await tasksOf(org, due, contactId)).toEqual([
      expect.objectContaining({
        reason: 'consent_withdrawn',
        status: 'kept_other_basis',
        outcome: { keptFor: ['contract:treatment'] },
      }),
    ]);
  });

  it('never destroys a held subject: the task is held, and goes ahead once the hold is released', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const start = new Date('2026-06-01T09:00:00Z');
    const contactId = await submit(testApp, org, start);
    const other = await submit(testApp, org, start);
    await withdrawConsent(ctxAt(org, start), {
      contactId,
      purposeCode: 'appointment',
      body: undefined,
    });
    const hold = await placeHold(ctxAt(org, start), {
      contactId,
      reason: 'Судебный спор, дело № А40-1/2026',
      untilDate: null,
    });
    const orgWide = await placeHold(ctxAt(org, start), {
      contactId: null,
      reason: 'Проверка Роскомнадзора',
      untilDate: '2026-07-15',
    });
    await withdrawConsent(ctxAt(org, start), {
      contactId: other,
      purposeCode: 'appointment',
      body: undefined,
    });

    const due = new Date(start.getTime() + 30 * DAY);
    const held = await runRetention(ctxAt(org, due), { isDryRun: false });
    expect(held.destroyed).toBe(0);
    expect(held.held).toBe(2);
    expect(await tasksOf(org, due, contactId)).toEqual([
      expect.objectContaining({ status: 'held', outcome: { holdIds: [hold.id, orgWide.id] } }),
    ]);

    // The org-wide hold ends with its last day; the subject's own hold still stands.
    const afterOrgHold = new Date('2026-07-16T00:00:00+03:00');
    const partly = await runRetention(ctxAt(org, afterOrgHold), { isDryRun: false });
    expect(partly.destroyed).toBe(1);
    expect(await erasedAt(testApp, org, other)).not.toBeNull();
    expect(await erasedAt(testApp, org, contactId)).toBeNull();

    await releaseHold(ctxAt(org, afterOrgHold), hold.id, { reason: 'Спор урегулирован' });
    const released = await runRetention(ctxAt(org, afterOrgHold), { isDryRun: false });
    expect(released.destroyed).toBe(1);
    expect(await erasedAt(testApp, org, contactId)).not.toBeNull();
    expect(await tasksOf(org, afterOrgHold, contactId)).toEqual([
      expect.objectContaining({ status: 'done', actId: released.actId }),
    ]);
  });

  it('keeps a subject blocked for a check until the block is lifted (R-D1)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const start = new Date('2026-06-01T09:00:00Z');
    const contactId = await submit(testApp, org, start);
    await withdrawConsent(ctxAt(org, start), {
      contactId,
      purposeCode: 'appointment',
      body: undefined,
    });
    const blockId = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      blockSubject(tx, ctxAt(org, start), {
        contactId,
        kind: 'blocked',
        purposeId: null,
        reason: 'Проверка жалобы на неправомерную обработку',
        requestId: null,
      }),
    );
    const due = new Date(start.getTime() + 30 * DAY);
    const held = await runRetention(ctxAt(org, due), { isDryRun: false });
    expect(held).toMatchObject({ destroyed: 0, held: 1 });
    expect(await tasksOf(org, due, contactId)).toEqual([
      expect.objectContaining({ status: 'held', outcome: { holdIds: [], blockIds: [blockId] } }),
    ]);
    await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      liftBlock(tx, ctxAt(org, due), { blockId, reason: 'Проверка завершена' }),
    );
    const lifted = await runRetention(ctxAt(org, due), { isDryRun: false });
    expect(lifted.destroyed).toBe(1);
    expect(await erasedAt(testApp, org, contactId)).not.toBeNull();
  });

  it('turns a lost lead into a purpose-achieved task and destroys 30 days later (R-D3)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await setPurposeTriggers(org.ctx, 'appointment', {
      triggers: [{ kind: 'lead_lost', days: null }],
    });
    const start = new Date('2026-03-10T09:00:00Z');
    const contactId = await submit(testApp, org, start);
    await testApp.db.execute(sql`UPDATE leads SET status = 'lost' WHERE contact_id = ${contactId}`);

    const seen = new Date(start.getTime() + DAY);
    expect((await runRetention(ctxAt(org, seen), { isDryRun: false })).destroyed).toBe(0);
    expect(await tasksOf(org, seen, contactId)).toEqual([
      expect.objectContaining({
        reason: 'purpose_achieved',
        sourceRef: 'lead_lost',
        status: 'pending',
        dueAt: new Date(seen.getTime() + 30 * DAY).toISOString(),
      }),
    ]);
    const early = new Date(seen.getTime() + 29 * DAY);
    expect((await runRetention(ctxAt(org, early), { isDryRun: false })).destroyed).toBe(0);
    // The consent to the purpose still stands, but the purpose is achieved: nothing keeps it.
    const due = new Date(seen.getTime() + 30 * DAY);
    const run = await runRetention(ctxAt(org, due), { isDryRun: false });
    expect(run.subjects).toEqual([
      expect.objectContaining({ contactId, decision: 'destroy', reasons: ['purpose_achieved'] }),
    ]);
    expect(await erasedAt(testApp, org, contactId)).not.toBeNull();
  });

  it('fires a no-activity trigger N days after the last activity, destroying 30 days after that', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await setPurposeTriggers(org.ctx, 'appointment', {
      triggers: [{ kind: 'no_activity_days', days: 60 }],
    });
    const start = new Date('2026-03-10T09:00:00Z');
    const contactId = await submit(testApp, org, start);
    const fired = new Date(start.getTime() + 60 * DAY);
    await runRetention(ctxAt(org, fired), { isDryRun: false });
    expect(await tasksOf(org, fired, contactId)).toEqual([
      expect.objectContaining({
        reason: 'purpose_achieved',
        sourceRef: 'no_activity_days:60',
        receivedAt: fired.toISOString(),
        dueAt: new Date(fired.getTime() + 30 * DAY).toISOString(),
      }),
    ]);
    const due = new Date(fired.getTime() + 30 * DAY);
    expect((await runRetention(ctxAt(org, due), { isDryRun: false })).destroyed).toBe(1);
  });

  it('cancels a no-activity task when the person comes back before it is due', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    await setPurposeTriggers(org.ctx, 'appointment', {
      triggers: [{ kind: 'no_activity_days', days: 60 }],
    });
    const start = new Date('2026-03-10T09:00:00Z');
    const result = await submitWithConsents(testApp, org, {
      isAdvertisingGiven: false,
      now: start,
      phone: '+79160000001',
    });
    const contactId = await contactOfSubmission(testApp, result.submissionId);
    const fired = new Date(start.getTime() + 60 * DAY);
    await runRetention(ctxAt(org, fired), { isDryRun: false });
    // The same person submits again: the same contact, new activity.
    await submitWithConsents(testApp, org, {
      isAdvertisingGiven: false,
      now: new Date(fired.getTime() + DAY),
      phone: '+79160000001',
    });
    const due = new Date(fired.getTime() + 30 * DAY);
    const run = await runRetention(ctxAt(org, due), { isDryRun: false });
    expect(run.destroyed).toBe(0);
    expect(await erasedAt(testApp, org, contactId)).toBeNull();
    expect((await tasksOf(org, due, contactId)).map((task) => task.status)).toContain('cancelled');
  });

  it('purges an act older than three years, and not a younger one (R-D6)', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const start = new Date('2026-03-02T09:00:00Z');
    const contactId = await submit(testApp, org, start);
    await withdrawConsent(ctxAt(org, start), {
      contactId,
      purposeCode: 'appointment',
      body: undefined,
    });
    const destroyedAt = new Date(start.getTime() + 30 * DAY);
    const run = await runRetention(ctxAt(org, destroyedAt), { isDryRun: false });
    const actId = run.actId ?? '';
    expect(actId).not.toBe('');

    const almost = new Date('2029-03-31T09:00:00Z');
    const young = await runRetention(ctxAt(org, almost), { isDryRun: false });
    expect(young.actsPurged).toBe(0);
    expect((await getAct(ctxAt(org, almost), actId)).number).toBe(run.actNumber);

    const threeYears = new Date('2029-04-01T09:00:00Z');
    const old = await runRetention(ctxAt(org, threeYears), { isDryRun: false });
    expect(old.actsPurged).toBe(1);
    await expect(getAct(ctxAt(org, threeYears), actId)).rejects.toMatchObject({
      code: 'not_found',
    });
    const [audit] = await testApp.db.query<{ entity_id: string }>(
      sql`SELECT entity_id FROM audit_log WHERE org_id = ${org.orgId} AND action = 'retention.act_purged'`,
    );
    expect(audit?.entity_id).toBe(actId);
  });

  it('previews a run without changing anything', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const start = new Date('2026-03-02T09:00:00Z');
    const contactId = await submit(testApp, org, start);
    await withdrawConsent(ctxAt(org, start), {
      contactId,
      purposeCode: 'appointment',
      body: undefined,
    });
    const due = new Date(start.getTime() + 31 * DAY);
    const preview = await runRetention(ctxAt(org, due), { isDryRun: true });
    expect(preview).toMatchObject({ isDryRun: true, runId: null, destroyed: 1, actId: null });
    expect(preview.subjects).toEqual([
      expect.objectContaining({ contactId, name: 'Ирина Соколова', decision: 'destroy' }),
    ]);
    expect(await erasedAt(testApp, org, contactId)).toBeNull();
    expect(await tasksOf(org, due, contactId)).toEqual([
      expect.objectContaining({ status: 'pending' }),
    ]);
    const [runs] = await testApp.db.query<{ total: number }>(
      sql`SELECT count(*)::int AS total FROM retention_runs WHERE org_id = ${org.orgId}`,
    );
    expect(runs?.total).toBe(0);
  });
});
