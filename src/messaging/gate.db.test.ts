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
  type GateAnswer,
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
    // What each of them may receive, worked out by hand from the purposes (marketing: email and
    // sms by consent; appointment: call and sms by consent, not advertising) and the state above.
    // A = allowed; the columns follow contactIds.
    const cases: {
      input: {
        purposeCode: string;
        channel: OutboundChannel;
        dataCategories?: string[];
        recipient?: string;
      };
      expected: string[];
    }[] = [
      {
        input: { purposeCode: 'marketing', channel: 'email' },
        expected: [
          'A',
          'no_consent',
          'consent_withdrawn',
          'suppressed',
          'subject_blocked',
          'processing_stopped',
        ],
      },
      {
        input: { purposeCode: 'marketing', channel: 'sms' },
        expected: [
          'A',
          'no_consent',
          'consent_withdrawn',
          'A',
          'subject_blocked',
          'processing_stopped',
        ],
      },
      {
        input: { purposeCode: 'marketing', channel: 'call' },
        expected: [
          'channel_not_covered',
          'no_consent',
          'consent_withdrawn',
          'channel_not_covered',
          'subject_blocked',
          'processing_stopped',
        ],
      },
      {
        input: { purposeCode: 'appointment', channel: 'sms' },
        expected: ['A', 'A', 'A', 'A', 'subject_blocked', 'A'],
      },
      {
        input: { purposeCode: 'appointment', channel: 'email' },
        expected: [
          'channel_not_covered',
          'channel_not_covered',
          'channel_not_covered',
          'channel_not_covered',
          'subject_blocked',
          'channel_not_covered',
        ],
      },
      {
        input: { purposeCode: 'marketing', channel: 'email', dataCategories: ['health'] },
        expected: Array(6).fill('special_category_for_marketing'),
      },
      {
        input: { purposeCode: 'marketing', channel: 'export' },
        expected: [
          'A',
          'no_consent',
          'consent_withdrawn',
          'A',
          'subject_blocked',
          'processing_stopped',
        ],
      },
      {
        input: {
          purposeCode: TRANSFER_PURPOSE.code,
          channel: 'transfer',
          recipient: 'ООО «Никто»',
        },
        expected: [
          'no_consent',
          'no_consent',
          'no_consent',
          'no_consent',
          'subject_blocked',
          'no_consent',
        ],
      },
    ];
    const short = (answer: GateAnswer | undefined) =>
      answer === undefined ? 'missing' : answer.allowed ? 'A' : answer.reason;
    for (const { input, expected } of cases) {
      const label = `${input.purposeCode}/${input.channel}`;
      const many = await inTx((tx) =>
        checkOutboundMany(tx, ctx(), {
          ...input,
          contactIds: [...contactIds, '00000000-0000-4000-8000-000000000000'],
        }),
      );
      expect(many.size, label).toBe(contactIds.length);
      expect(
        contactIds.map((id) => short(many.get(id))),
        label,
      ).toEqual(expected);
      for (const contactId of contactIds) {
        expect(short(await gate({ ...input, contactId })), label).toBe(short(many.get(contactId)));
      }
      // An allowed consent answer names the journal entry that allowed it.
      const allowedGiven = many.get(given);
      if (allowedGiven?.allowed && allowedGiven.basis === 'consent') {
        const [entry] = await inTx((tx) =>
          tx.query<{ id: string }>(sql`
            SELECT j.id FROM consent_journal j JOIN purposes p ON p.id = j.purpose_id
            WHERE j.contact_id = ${given} AND p.code = ${input.purposeCode}
            ORDER BY j.at DESC, j.seq DESC LIMIT 1`),
        );
        expect(allowedGiven.consentEntryId, label).toBe(entry?.id);
      }
    }
  });

  it('keeps each contact’s consent state equal to the latest journal entry by time, then sequence', async () => {
    const contactId = await newContact();
    const other = await newContact({ isAdvertisingGiven: false });
    const at = testApp.clock.now().getTime();
    const [version] = await inTx((tx) =>
      tx.query<{ id: string }>(
        sql`SELECT id FROM purpose_versions WHERE purpose_id = ${org.advertising.id} LIMIT 1`,
      ),
    );
    const entry = (contact: string, event: string, offsetMs: number) =>
      sql`(${org.orgId}::uuid, ${event}, ${contact}::uuid, ${org.advertising.id}::uuid,
        ${version?.id}::uuid, 'staff', ${new Date(at + offsetMs)}::timestamptz,
        ${'0'.repeat(64)})`;
    const insert = (rows: ReturnType<typeof sql>[]) =>
      inTx((tx) =>
        tx.execute(sql`INSERT INTO consent_journal
          (org_id, event, contact_id, purpose_id, purpose_version_id, channel, at, content_sha256)
          VALUES ${sql.join(rows, ', ')}`),
      );
    // A withdrawal, then a paper consent entered later but dated earlier: the withdrawal stands.
    await insert([entry(contactId, 'withdrawn', 60_000)]);
    await insert([entry(contactId, 'given', 30_000)]);
    // Several entries for one person in one statement: the latest by time wins, not the last row.
    await insert([
      entry(other, 'given', 120_000),
      entry(other, 'withdrawn', 90_000),
      entry(other, 'renewed', 100_000),
    ]);
    const [states, journal] = await inTx(async (tx) => [
      await tx.query(sql`SELECT contact_id, purpose_id, entry_id, event FROM consent_states
        ORDER BY contact_id, purpose_id`),
      await tx.query(sql`SELECT DISTINCT ON (contact_id, purpose_id) contact_id, purpose_id,
          id AS entry_id, event
        FROM consent_journal ORDER BY contact_id, purpose_id, at DESC, seq DESC`),
    ]);
    expect(states).toEqual(journal);
    expect(await gate({ contactId, purposeCode: 'marketing', channel: 'email' })).toEqual({
      allowed: false,
      reason: 'consent_withdrawn',
    });
    expect(
      await gate({ contactId: other, purposeCode: 'marketing', channel: 'email' }),
    ).toMatchObject({ allowed: true });
  });
});
