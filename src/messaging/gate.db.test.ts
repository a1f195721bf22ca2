import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg, TRANSFER_PURPOSE } from '../../test/capture-factories.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { recordStaffConsent, withdrawConsentInTx } from '../consent/consent.service.ts';
import { blockSubject } from '../contacts/blocks.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { createPurpose } from '../purposes/purposes.service.ts';
import {
  checkOutbound,
  checkOutboundMany,
  type OutboundChannel,
  type OutboundInput,
} from './gate.service.ts';
import { isSuppressed, suppress } from './suppressions.service.ts';

const getApp = setupTestApp();

describe('the outbound gate: suppressions, special categories, recipients and audiences', () => {
  let testApp: TestApp;
  let org: CaptureOrg;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    await createPurpose(org.ctx, TRANSFER_PURPOSE);
  });

  const ctx = () => ({
    ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
    publicUrl: testApp.deps.publicUrl,
  });
  const inTx = <T>(work: (tx: Parameters<Parameters<typeof withTx>[2]>[0]) => Promise<T>) =>
    withTx(testApp.db, { orgId: org.orgId }, work);
  const gate = (input: OutboundInput) => inTx((tx) => checkOutbound(tx, ctx(), input));
  const newContact = async (options: { isAdvertisingGiven?: boolean } = {}) =>
    contactOfSubmission(testApp, (await submitWithConsents(testApp, org, options)).submissionId);

  it('refuses advertising to a suppressed contact on that channel only, and never a processing purpose (R-A4)', async () => {
    const contactId = await newContact();
    await inTx((tx) =>
      suppress(tx, ctx(), {
        contactId,
        channel: 'sms',
        reason: 'provider_refused',
        source: 'test',
      }),
    );
    expect(await gate({ contactId, purposeCode: 'marketing', channel: 'sms' })).toEqual({
      allowed: false,
      reason: 'suppressed',
    });
    expect(await gate({ contactId, purposeCode: 'marketing', channel: 'email' })).toMatchObject({
      allowed: true,
    });
    // A reminder about an appointment is not advertising: the opt-out does not stop it.
    expect(await gate({ contactId, purposeCode: 'appointment', channel: 'sms' })).toMatchObject({
      allowed: true,
    });
    // 'all' stops every advertising channel; suppressing twice keeps the first row.
    const again = await inTx((tx) =>
      suppress(tx, ctx(), { contactId, channel: 'sms', reason: 'staff', source: 'test' }),
    );
    expect(again.isNew).toBe(false);
    await inTx((tx) =>
      suppress(tx, ctx(), { contactId, channel: 'all', reason: 'complaint', source: 'test' }),
    );
    expect(await gate({ contactId, purposeCode: 'marketing', channel: 'email' })).toEqual({
      allowed: false,
      reason: 'suppressed',
    });
    expect(await inTx((tx) => isSuppressed(tx, ctx(), { contactId, channel: 'email' }))).toBe(true);
  });

  it('refuses a health segment under an advertising purpose (R-C5) but not under a processing one', async () => {
    const contactId = await newContact();
    expect(
      await gate({
        contactId,
        purposeCode: 'marketing',
        channel: 'email',
        dataCategories: ['name', 'health'],
      }),
    ).toEqual({ allowed: false, reason: 'special_category_for_marketing' });
    expect(
      await gate({
        contactId,
        purposeCode: 'marketing',
        channel: 'sms',
        usesSpecialCategory: true,
      }),
    ).toEqual({ allowed: false, reason: 'special_category_for_marketing' });
    expect(
      await gate({
        contactId,
        purposeCode: 'marketing',
        channel: 'email',
        dataCategories: ['name', 'email'],
      }),
    ).toMatchObject({ allowed: true });
    expect(
      await gate({
        contactId,
        purposeCode: 'appointment',
        channel: 'call',
        dataCategories: ['health'],
      }),
    ).toMatchObject({ allowed: true });
  });

  it('allows a transfer only to a recipient named in the consent', async () => {
    const contactId = await newContact();
    await recordStaffConsent(ctx(), contactId, {
      channel: 'paper',
      purposeCode: TRANSFER_PURPOSE.code,
      scanRef: 'scan-2026-001',
    });
    expect(
      await gate({
        contactId,
        purposeCode: TRANSFER_PURPOSE.code,
        channel: 'transfer',
        recipient: 'ООО «Лаборатория Гемотест»',
      }),
    ).toMatchObject({ allowed: true, basis: 'consent' });
    expect(
      await gate({
        contactId,
        purposeCode: TRANSFER_PURPOSE.code,
        channel: 'transfer',
        recipient: 'ООО «Другая лаборатория»',
      }),
    ).toEqual({ allowed: false, reason: 'recipient_not_named' });
  });

  it('answers a whole audience in one pass exactly as the single check does', async () => {
    const given = await newContact();
    const noAdvertising = await newContact({ isAdvertisingGiven: false });
    const withdrawn = await newContact();
    const suppressed = await newContact();
    const blocked = await newContact();
    const stopped = await newContact();
    await inTx(async (tx) => {
      await withdrawConsentInTx(tx, ctx(), {
        contactId: withdrawn,
        purposeId: org.advertising.id,
        channel: 'email',
        evidence: null,
      });
      await suppress(tx, ctx(), {
        contactId: suppressed,
        channel: 'email',
        reason: 'unsubscribed',
        source: 'test',
      });
      await blockSubject(tx, ctx(), {
        contactId: blocked,
        kind: 'blocked',
        purposeId: null,
        reason: 'проверка',
        requestId: null,
      });
      await blockSubject(tx, ctx(), {
        contactId: stopped,
        kind: 'stopped',
        purposeId: org.advertising.id,
        reason: 'требование',
        requestId: null,
      });
    });
    const contactIds = [given, noAdvertising, withdrawn, suppressed, blocked, stopped];
    const cases: {
      purposeCode: string;
      channel: OutboundChannel;
      dataCategories?: string[];
      recipient?: string;
    }[] = [
      { purposeCode: 'marketing', channel: 'email' },
      { purposeCode: 'marketing', channel: 'sms' },
      { purposeCode: 'marketing', channel: 'call' },
      { purposeCode: 'appointment', channel: 'sms' },
      { purposeCode: 'appointment', channel: 'email' },
      { purposeCode: 'marketing', channel: 'email', dataCategories: ['health'] },
      { purposeCode: 'marketing', channel: 'export' },
      { purposeCode: TRANSFER_PURPOSE.code, channel: 'transfer', recipient: 'ООО «Никто»' },
    ];
    const seen = new Set<string>();
    for (const testCase of cases) {
      const many = await inTx((tx) =>
        checkOutboundMany(tx, ctx(), {
          ...testCase,
          contactIds: [...contactIds, '00000000-0000-4000-8000-000000000000'],
        }),
      );
      expect(many.size).toBe(contactIds.length);
      // The same audience given as a query gives the same answers.
      const byQuery = await inTx((tx) =>
        checkOutboundMany(tx, ctx(), {
          ...testCase,
          contactIds: sql`SELECT id FROM contacts WHERE id = ANY(${contactIds}::uuid[])`,
        }),
      );
      expect(byQuery).toEqual(many);
      for (const contactId of contactIds) {
        const single = await gate({ ...testCase, contactId });
        expect(many.get(contactId), `${testCase.purposeCode}/${testCase.channel}`).toEqual(single);
        seen.add(single.allowed ? 'allowed' : single.reason);
      }
    }
    expect([...seen].sort()).toEqual(
      [
        'allowed',
        'channel_not_covered',
        'consent_withdrawn',
        'no_consent',
        'processing_stopped',
        'special_category_for_marketing',
        'subject_blocked',
        'suppressed',
      ].sort(),
    );
  });
});
