import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeMember } from '../../test/factories.ts';
import { newPhone } from '../../test/journal-factories.ts';
import { startSmsc } from '../../test/smsc-server.ts';
import { type SmtpListener, startSmtpListener } from '../../test/smtp-listener.ts';
import { withdrawConsent } from '../consent/consent.service.ts';
import { submitForm } from '../forms/submissions.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import type { Ctx } from '../platform/context.ts';
import { sql } from '../platform/db/sql.ts';
import { createLogger } from '../platform/log.ts';
import { createMailer, type Mailer } from '../platform/mail.ts';
import { createPurpose } from '../purposes/purposes.service.ts';
import { campaignMessageId, sendCampaigns } from './campaign-sender.service.ts';
import {
  changeCampaignStatus,
  createCampaign,
  findCampaignLog,
  getCampaign,
  launchCampaign,
  previewCampaign,
} from './campaigns.service.ts';
import { createSegment, previewSegment } from './segments.service.ts';
import { createSmscSender } from './sms.ts';

const getApp = setupTestApp();

let smtp: SmtpListener;
let mailer: Mailer;
let org: CaptureOrg;
let ownerCtx: Ctx;
let counter = 0;

beforeAll(async () => {
  smtp = await startSmtpListener();
  mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'Клиника <news@clinic.test>' });
  org = await makeCaptureOrg(getApp());
  ownerCtx = systemCtx(getApp().deps, {
    orgId: org.orgId,
    actor: { type: 'user', userId: org.owner.userId, sessionId: null },
    now: getApp().clock.now(),
  });
});
afterAll(async () => {
  await smtp.close();
});

/** A person leaves the form with an email; the advertising consent unless told otherwise. */
async function person(
  options: { isAdvertisingGiven?: boolean; hasEmail?: boolean; name?: string; email?: string } = {},
): Promise<string> {
  counter += 1;
  const testApp = getApp();
  const consents: Record<string, { isGiven: boolean; documentId: string | null }> = {
    [org.processing.code]: { isGiven: true, documentId: org.processing.document?.id ?? null },
  };
  if (options.isAdvertisingGiven ?? true) {
    consents[org.advertising.code] = {
      isGiven: true,
      documentId: org.advertising.document?.id ?? null,
    };
  }
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
        name: options.name ?? `Пациент ${counter}`,
        phone: newPhone(),
        ...((options.hasEmail ?? true)
          ? { email: options.email ?? `patient${counter}@mail.test` }
          : {}),
      },
      consents,
      idempotencyKey: null,
      attribution: { utm_source: 'yandex' },
      client: { ip: '203.0.113.7', userAgent: 'test', pageUrl: 'https://clinic.test/' },
    },
  );
  const [row] = await testApp.db.query<{ contact_id: string }>(
    sql`SELECT contact_id FROM submissions WHERE id = ${result.submissionId}`,
  );
  if (!row) throw new Error('no submission');
  return row.contact_id;
}

const senderDeps = () => ({
  db: getApp().db,
  keys: getApp().keys,
  publicUrl: getApp().deps.publicUrl,
  logger: createLogger({ level: 'silent' }),
  mailer,
});

describe('segments', () => {
  it('refuses a health filter under an advertising purpose with special_category_for_marketing (R-C5)', async () => {
    const attempt = createSegment(ownerCtx, {
      name: 'Пациенты с диагнозом',
      purposeCode: 'marketing',
      filters: { dataCategories: ['health'] },
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'rule_violated',
      details: { rule: 'special_category_for_marketing' },
    });
    // The same filter serves a purpose that is not advertising.
    const saved = await createSegment(ownerCtx, {
      name: 'Пациенты с диагнозом (запись)',
      purposeCode: 'appointment',
      filters: { dataCategories: ['health'] },
    });
    expect(saved.purposeCode).toBe('appointment');
  });

  it('refuses a segment selecting by consent to a medical-care purpose for advertising (R-C5)', async () => {
    await createPurpose(org.ctx, {
      code: 'treatment',
      kind: 'processing',
      title: 'Оказание медицинской помощи',
      legalBasis: 'medical_care',
      dataCategories: [{ code: 'diagnosis', title: 'диагноз', isSpecial: true }],
      subjectCategories: ['пациенты'],
      actions: ['хранение'],
      methods: 'автоматизированная обработка',
      channels: [],
      recipients: [],
      retentionDays: 365,
      isWrittenConsentRequired: false,
    });
    await expect(
      createSegment(ownerCtx, {
        name: 'Лечившиеся',
        purposeCode: 'marketing',
        filters: { consent: { purposeCode: 'treatment', state: 'given' } },
      }),
    ).rejects.toMatchObject({ details: { rule: 'special_category_for_marketing' } });
  });

  it('previews who is in and who is out, counted per gate reason', async () => {
    const included = [await person(), await person()];
    await person({ isAdvertisingGiven: false });
    await person({ hasEmail: false });
    const withdrawn = await person();
    await withdrawConsent(ownerCtx, {
      contactId: withdrawn,
      purposeCode: 'marketing',
      body: undefined,
    });
    const segment = await createSegment(ownerCtx, {
      name: 'Все из Яндекса',
      purposeCode: 'marketing',
      filters: { leadSources: ['yandex'] },
    });
    const preview = await previewSegment(ownerCtx, segment.id, {
      channel: 'email',
      page: 1,
      pageSize: 50,
    });
    expect(preview.included).toBeGreaterThanOrEqual(2);
    expect(preview.items.map((item) => item.contactId)).toEqual(expect.arrayContaining(included));
    expect(preview.excluded).toMatchObject({
      no_consent: expect.any(Number),
      consent_withdrawn: 1,
      recipient_not_named: 1,
    });
    expect(preview.items.every((item) => item.name?.startsWith('Пациент'))).toBe(true);
    expect(preview.items.every((item) => item.consentEntryId)).toBe(true);
    // The names were read: the access log says so.
    const logged = await getApp().db.query<{ reason: string }>(
      sql`SELECT reason FROM access_log WHERE org_id = ${org.orgId} AND reason = 'campaign_audience'`,
    );
    expect(logged.length).toBeGreaterThan(0);

    // A marketer sees who and how many, never names (R-C5: de-identified data only).
    const marketer = await makeMember(getApp(), org.orgId, 'marketer');
    const marketerCtx = {
      ...ownerCtx,
      role: 'marketer' as const,
      actor: { type: 'user' as const, userId: marketer.userId, sessionId: null },
    };
    const seen = await previewSegment(marketerCtx, segment.id, {
      channel: 'email',
      page: 1,
      pageSize: 50,
    });
    expect(seen.included).toBe(preview.included);
    expect(seen.items.every((item) => item.name === null)).toBe(true);
  });
});

describe('campaigns', () => {
  it('launches only by a person, freezes the audience and logs the approver (R-A2)', async () => {
    await person();
    const segment = await createSegment(ownerCtx, {
      name: 'С почтой',
      purposeCode: 'marketing',
      filters: { hasEmail: true },
    });
    const draft = await createCampaign(ownerCtx, {
      name: 'Весенняя акция',
      segmentId: segment.id,
      channel: 'email',
      subject: 'Скидка для вас, {{name}}',
      body: 'Здравствуйте, {{name}}! Скидка 10% на чистку зубов.',
      ratePerMinute: 600,
    });
    expect(draft.status).toBe('draft');
    const preview = await previewCampaign(ownerCtx, draft.id, { page: 1, pageSize: 10 });

    const tokenCtx = { ...ownerCtx, actor: { type: 'token' as const, tokenId: 'x' } };
    await expect(launchCampaign(tokenCtx, draft.id, { isConfirmed: true })).rejects.toMatchObject({
      code: 'forbidden',
      details: { rule: 'launch_needs_person' },
    });
    const systemOnly = systemCtx(getApp().deps, { orgId: org.orgId, now: getApp().clock.now() });
    await expect(launchCampaign(systemOnly, draft.id, { isConfirmed: true })).rejects.toMatchObject(
      {
        details: { rule: 'launch_needs_person' },
      },
    );

    const launched = await launchCampaign(ownerCtx, draft.id, { isConfirmed: true });
    expect(launched.status).toBe('sending');
    expect(launched.launchedBy?.userId).toBe(org.owner.userId);
    expect(launched.audienceCount).toBe(preview.included);
    expect(launched.progress.pending).toBe(preview.included);
    const [audit] = await getApp().db.query<{
      actor_user_id: string;
      details: { approverUserId: string };
    }>(
      sql`SELECT actor_user_id, details FROM audit_log WHERE action = 'campaign.launched' AND entity_id = ${draft.id}`,
    );
    expect(audit?.actor_user_id).toBe(org.owner.userId);
    expect(audit?.details.approverUserId).toBe(org.owner.userId);
    await expect(launchCampaign(ownerCtx, draft.id, { isConfirmed: true })).rejects.toMatchObject({
      code: 'conflict',
    });
    await changeCampaignStatus(ownerCtx, draft.id, 'cancel');
  });

  it('sends throttled batches, re-checks the gate per batch and logs the consent of each message (R-C7)', async () => {
    const testApp = getApp();
    const audience = [await person(), await person(), await person(), await person()];
    const segment = await createSegment(ownerCtx, {
      name: 'Четверо',
      purposeCode: 'marketing',
      filters: { hasEmail: true },
    });
    // Only this campaign's audience: restrict by a fresh lead status.
    await testApp.db.execute(
      sql`UPDATE leads SET status = 'spring' WHERE contact_id = ANY(${audience}::uuid[])`,
    );
    await testApp.db.execute(
      sql`UPDATE segments SET filters = '{"leadStatuses":["spring"],"hasEmail":true}' WHERE id = ${segment.id}`,
    );
    const draft = await createCampaign(ownerCtx, {
      name: 'Четыре письма',
      segmentId: segment.id,
      channel: 'email',
      subject: 'Акция',
      body: 'Здравствуйте, {{name}}!',
      ratePerMinute: 24, // 2 per 5-second run
    });
    const launched = await launchCampaign(ownerCtx, draft.id, { isConfirmed: true });
    expect(launched.audienceCount).toBe(4);
    const before = smtp.messages.length;

    const first = await sendCampaigns(senderDeps(), testApp.clock.now, {
      intervalMs: 5_000,
      onlyOrgId: org.orgId,
    });
    expect(first.sent).toBe(2);
    // Someone still waiting unsubscribes (withdraws) between batches: the rest holds it.
    const [waiting] = await testApp.db.query<{ contact_id: string }>(
      sql`SELECT contact_id FROM campaign_recipients WHERE campaign_id = ${draft.id} AND status = 'pending' LIMIT 1`,
    );
    if (!waiting) throw new Error('nobody waiting');
    await withdrawConsent(ownerCtx, {
      contactId: waiting.contact_id,
      purposeCode: 'marketing',
      body: undefined,
    });
    const second = await sendCampaigns(senderDeps(), testApp.clock.now, {
      intervalMs: 5_000,
      onlyOrgId: org.orgId,
    });
    expect(second).toMatchObject({ sent: 1, skipped: 1 });
    const done = await getCampaign(ownerCtx, draft.id);
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ sent: 3, skipped: 1 });

    const received = smtp.messages.slice(before);
    expect(received).toHaveLength(3);
    const recipients = await testApp.db.query<{ id: string; message_id: string | null }>(
      sql`SELECT id, message_id FROM campaign_recipients WHERE campaign_id = ${draft.id} AND status = 'sent'`,
    );
    const expectedIds = recipients.map((row) =>
      campaignMessageId(draft.id, row.id, 'soglasie.test'),
    );
    expect(received.map((mail) => mail.messageId).sort()).toEqual(expectedIds.sort());
    expect(received.every((mail) => /^Здравствуйте, Пациент \d+!/.test(mail.text ?? ''))).toBe(
      true,
    );

    // Marketing mail carries the one-click unsubscribe (R-A4, R-E1).
    for (const mail of received) {
      const lines = mail.headerLines.map((line) => line.line);
      expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(lines.find((line) => line.startsWith('List-Unsubscribe:'))).toMatch(
        /^List-Unsubscribe: <http:\/\/soglasie\.test\//,
      );
    }
    const log = await findCampaignLog(ownerCtx, draft.id, { page: 1, pageSize: 50 });
    expect(log.total).toBe(4);
    const sent = log.items.filter((item) => item.status === 'sent');
    expect(sent).toHaveLength(3);
    for (const item of sent) {
      const [entry] = await testApp.db.query<{ contact_id: string; event: string }>(
        sql`SELECT contact_id, event FROM consent_journal WHERE id = ${item.consentEntryId}`,
      );
      expect(entry).toEqual({ contact_id: item.contactId, event: 'given' });
    }
    expect(log.items.find((item) => item.status === 'refused')).toMatchObject({
      contactId: waiting.contact_id,
      gateReason: 'consent_withdrawn',
      consentEntryId: null,
    });
  });

  it('suppresses a hard-bounced address at once instead of retrying it (R-E2)', async () => {
    const testApp = getApp();
    const alive = await person();
    const gone = await person({ email: `gone${counter + 1}@mail.test` });
    await testApp.db.execute(
      sql`UPDATE leads SET status = 'bounce' WHERE contact_id = ANY(${[alive, gone]}::uuid[])`,
    );
    const segment = await createSegment(ownerCtx, {
      name: 'Отскок',
      purposeCode: 'marketing',
      filters: { hasEmail: true, leadStatuses: ['bounce'] },
    });
    const draft = await createCampaign(ownerCtx, {
      name: 'Письмо с отскоком',
      segmentId: segment.id,
      channel: 'email',
      subject: 'Акция',
      body: 'Здравствуйте!',
      ratePerMinute: 600,
    });
    await launchCampaign(ownerCtx, draft.id, { isConfirmed: true });
    const result = await sendCampaigns(senderDeps(), testApp.clock.now, {
      intervalMs: 5_000,
      onlyOrgId: org.orgId,
    });
    expect(result).toMatchObject({ sent: 1, failed: 1 });
    const rows = await testApp.db.query<{ contact_id: string; status: string; attempts: number }>(
      sql`SELECT contact_id, status, attempts FROM campaign_recipients WHERE campaign_id = ${draft.id}`,
    );
    expect(rows.find((row) => row.contact_id === gone)).toMatchObject({
      status: 'failed',
      attempts: 1,
    });
    expect(rows.find((row) => row.contact_id === alive)).toMatchObject({ status: 'sent' });
    expect((await getCampaign(ownerCtx, draft.id)).status).toBe('completed');
    const suppressions = await testApp.db.query<{ contact_id: string; reason: string }>(
      sql`SELECT contact_id, reason FROM suppressions
        WHERE contact_id = ANY(${[alive, gone]}::uuid[]) AND channel = 'email'`,
    );
    expect(suppressions).toEqual([{ contact_id: gone, reason: 'bounced' }]);
  });

  it('sends an SMS campaign through the provider with an opt-out link in every message (R-A3, R-A4)', async () => {
    const testApp = getApp();
    const smsc = await startSmsc();
    try {
      const audience = [
        await person({ name: 'Анна Смс' }),
        await person({ name: 'Борис Смс' }),
        await person({ isAdvertisingGiven: false }),
      ];
      await testApp.db.execute(
        sql`UPDATE leads SET status = 'sms' WHERE contact_id = ANY(${audience}::uuid[])`,
      );
      const segment = await createSegment(ownerCtx, {
        name: 'СМС',
        purposeCode: 'marketing',
        filters: { hasPhone: true, leadStatuses: ['sms'] },
      });
      const draft = await createCampaign(ownerCtx, {
        name: 'Скидка по СМС',
        segmentId: segment.id,
        channel: 'sms',
        body: '{{name}}, скидка 10% на гигиену до конца месяца.',
        ratePerMinute: 600,
      });
      const preview = await previewCampaign(ownerCtx, draft.id, { page: 1, pageSize: 10 });
      expect(preview).toMatchObject({ matched: 3, included: 2, excluded: { no_consent: 1 } });
      await launchCampaign(ownerCtx, draft.id, { isConfirmed: true });
      const sms = createSmscSender({ url: smsc.url, login: 'clinic', password: 'secret' });
      const result = await sendCampaigns({ ...senderDeps(), sms }, testApp.clock.now, {
        intervalMs: 5_000,
        onlyOrgId: org.orgId,
      });
      expect(result).toMatchObject({ sent: 2, failed: 0 });
      expect(smsc.sent).toHaveLength(2);
      const texts = smsc.sent.map((form) => form.get('mes') ?? '').sort();
      expect(texts[0]).toMatch(
        /^Анна Смс, скидка 10% на гигиену до конца месяца\.\nОтказ от рассылки: http:\/\/soglasie\.test\/u\/\S+$/,
      );
      expect(texts[1]).toMatch(/^Борис Смс, скидка/);
      const log = await findCampaignLog(ownerCtx, draft.id, { page: 1, pageSize: 10 });
      const sent = log.items.filter((item) => item.status === 'sent');
      expect(sent).toHaveLength(2);
      expect(sent.every((item) => item.consentEntryId !== null)).toBe(true);
      const providerIds = await testApp.db.query<{ provider: string; provider_id: string }>(
        sql`SELECT provider, provider_id FROM outbound_messages
          WHERE campaign_id = ${draft.id} AND status = 'sent' ORDER BY provider_id`,
      );
      expect(providerIds.map((row) => row.provider)).toEqual(['smsc', 'smsc']);
      expect(providerIds.every((row) => /^\d+$/.test(row.provider_id))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => smsc.server.close(() => resolve()));
    }
  });

  it('takes over a batch whose sender died when its lease runs out, and leaves live leases alone', async () => {
    const testApp = getApp();
    const audience = [await person(), await person()];
    await testApp.db.execute(
      sql`UPDATE leads SET status = 'lease' WHERE contact_id = ANY(${audience}::uuid[])`,
    );
    const segment = await createSegment(ownerCtx, {
      name: 'Двое',
      purposeCode: 'marketing',
      filters: { leadStatuses: ['lease'] },
    });
    const draft = await createCampaign(ownerCtx, {
      name: 'После сбоя',
      segmentId: segment.id,
      channel: 'email',
      subject: 'Акция',
      body: 'Текст',
      ratePerMinute: 600,
    });
    await launchCampaign(ownerCtx, draft.id, { isConfirmed: true });
    // One row claimed by a sender that died (lease over), one by a sender still at work.
    const rows = await testApp.db.query<{ id: string }>(
      sql`SELECT id FROM campaign_recipients WHERE campaign_id = ${draft.id} ORDER BY id`,
    );
    const [dead, alive] = rows;
    if (!dead || !alive) throw new Error('two recipients expected');
    await testApp.db.execute(sql`
      UPDATE campaign_recipients SET status = 'sending', attempts = 1,
        lease_until = clock_timestamp() - interval '1 second' WHERE id = ${dead.id}`);
    await testApp.db.execute(sql`
      UPDATE campaign_recipients SET status = 'sending', attempts = 1,
        lease_until = clock_timestamp() + interval '1 hour' WHERE id = ${alive.id}`);
    const result = await sendCampaigns(senderDeps(), testApp.clock.now, {
      onlyOrgId: org.orgId,
    });
    expect(result.sent).toBe(1);
    const states = await testApp.db.query<{ id: string; status: string }>(
      sql`SELECT id, status FROM campaign_recipients WHERE campaign_id = ${draft.id}`,
    );
    expect(Object.fromEntries(states.map((row) => [row.id, row.status]))).toEqual({
      [dead.id]: 'sent',
      [alive.id]: 'sending',
    });
    expect((await getCampaign(ownerCtx, draft.id)).status).toBe('sending');
  });

  it('does not send a paused campaign until a person resumes it', async () => {
    const testApp = getApp();
    const contact = await person();
    await testApp.db.execute(sql`UPDATE leads SET status = 'paused' WHERE contact_id = ${contact}`);
    const segment = await createSegment(ownerCtx, {
      name: 'Пауза',
      purposeCode: 'marketing',
      filters: { leadStatuses: ['paused'] },
    });
    const draft = await createCampaign(ownerCtx, {
      name: 'На паузе',
      segmentId: segment.id,
      channel: 'email',
      subject: 'Акция',
      body: 'Текст',
      ratePerMinute: 600,
    });
    await launchCampaign(ownerCtx, draft.id, { isConfirmed: true });
    await changeCampaignStatus(ownerCtx, draft.id, 'pause');
    const idle = await sendCampaigns(senderDeps(), testApp.clock.now, { onlyOrgId: org.orgId });
    expect(idle.sent).toBe(0);
    const systemOnly = systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() });
    await expect(changeCampaignStatus(systemOnly, draft.id, 'resume')).rejects.toMatchObject({
      details: { rule: 'launch_needs_person' },
    });
    await changeCampaignStatus(ownerCtx, draft.id, 'resume');
    const resumed = await sendCampaigns(senderDeps(), testApp.clock.now, {
      onlyOrgId: org.orgId,
    });
    expect(resumed.sent).toBe(1);
  });
});
