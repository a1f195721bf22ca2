import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeMember } from '../../test/factories.ts';
import { type Client, signIn } from '../../test/http.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { withdrawConsentInTx } from '../consent/consent.service.ts';
import { checkOutbound, type OutboundChannel } from '../messaging/gate.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { withTx } from '../platform/db/tx.ts';
import type { TBlockView, TContactView } from './contacts.schema.ts';

const getApp = setupTestApp();

describe('blocks, stops and the outbound check', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let owner: Client;
  let officer: Client;
  let frontDesk: Client;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    const officerPerson = await makeMember(testApp, org.orgId, 'privacy_officer');
    const deskPerson = await makeMember(testApp, org.orgId, 'front_desk');
    owner = await signIn(testApp, org.owner.email, org.owner.password);
    officer = await signIn(testApp, officerPerson.email, officerPerson.password);
    frontDesk = await signIn(testApp, deskPerson.email, deskPerson.password);
  });

  const ctx = () => systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() });
  const gate = (contactId: string, purposeCode: string, channel: OutboundChannel) =>
    withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      checkOutbound(tx, ctx(), { contactId, purposeCode, channel }),
    );
  const newContact = async (options: { isAdvertisingGiven?: boolean } = {}) => {
    const submitted = await submitWithConsents(testApp, org, options);
    return contactOfSubmission(testApp, submitted.submissionId);
  };

  it('allows what a live consent covers and names the entry, refusing channels it does not name', async () => {
    const contactId = await newContact();
    const email = await gate(contactId, 'marketing', 'email');
    expect(email).toMatchObject({ allowed: true, basis: 'consent' });
    expect(email.allowed && email.consentEntryId).toMatch(/^[0-9a-f-]{36}$/);
    // The marketing consent names email and SMS, not calls.
    expect(await gate(contactId, 'marketing', 'call')).toEqual({
      allowed: false,
      reason: 'channel_not_covered',
    });
    const without = await newContact({ isAdvertisingGiven: false });
    expect(await gate(without, 'marketing', 'email')).toEqual({
      allowed: false,
      reason: 'no_consent',
    });
  });

  it('refuses the very next check after a withdrawal (R-C6)', async () => {
    const contactId = await newContact();
    expect(await gate(contactId, 'marketing', 'sms')).toMatchObject({ allowed: true });
    await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      withdrawConsentInTx(tx, ctx(), {
        contactId,
        purposeId: org.advertising.id,
        channel: 'email',
        evidence: { note: 'письмо пациента' },
      }),
    );
    expect(await gate(contactId, 'marketing', 'sms')).toEqual({
      allowed: false,
      reason: 'consent_withdrawn',
    });
    // The other purpose is untouched.
    expect(await gate(contactId, 'appointment', 'call')).toMatchObject({ allowed: true });
  });

  it('stops one purpose at once on demand, leaving the others (R-S6)', async () => {
    const contactId = await newContact();
    const stopped = await officer.call<TBlockView>('POST', `/api/v1/contacts/${contactId}/blocks`, {
      body: { kind: 'stopped', purposeCode: 'marketing', reason: 'Просьба не присылать рассылку' },
    });
    expect(stopped.status).toBe(201);
    expect(await gate(contactId, 'marketing', 'email')).toEqual({
      allowed: false,
      reason: 'processing_stopped',
    });
    expect(await gate(contactId, 'appointment', 'sms')).toMatchObject({ allowed: true });
    // A stop limits sending, not reading: the front desk still sees the card.
    expect((await frontDesk.call(`GET`, `/api/v1/contacts/${contactId}`)).status).toBe(200);
  });

  it('shows a blocked subject to the privacy officer only and refuses every send until lifted (R-D1)', async () => {
    const contactId = await newContact();
    const denied = await frontDesk.call('POST', `/api/v1/contacts/${contactId}/blocks`, {
      body: { kind: 'blocked', reason: 'Проверка по запросу РКН' },
    });
    expect(denied.status).toBe(403);
    const blocked = await officer.call<TBlockView>('POST', `/api/v1/contacts/${contactId}/blocks`, {
      body: { kind: 'blocked', reason: 'Проверка по запросу РКН' },
    });
    expect(blocked.status).toBe(201);

    const card = await owner.call<{ error: { code: string; details: { rule: string } } }>(
      'GET',
      `/api/v1/contacts/${contactId}`,
    );
    expect(card.status).toBe(403);
    expect(card.body.error.details.rule).toBe('subject_blocked');
    const list = await owner.call<{ items: TContactView[] }>(
      'GET',
      '/api/v1/contacts?pageSize=100',
    );
    const listed = list.body.items.find((item) => item.id === contactId);
    expect(listed).toMatchObject({ name: null, phone: null, restriction: 'blocked' });
    // Its consent evidence in the journal is closed as well, to the owner but not the officer.
    type Journal = { items: { evidenceState: string }[] };
    const journalPath = `/api/v1/consent/journal?contactId=${contactId}`;
    const ownerJournal = await owner.call<Journal>('GET', journalPath);
    expect(ownerJournal.body.items.map((item) => item.evidenceState)).toEqual(['hidden', 'hidden']);
    const officerJournal = await officer.call<Journal>('GET', journalPath);
    expect(officerJournal.body.items.map((item) => item.evidenceState)).toEqual(['shown', 'shown']);
    const forOfficer = await officer.call<TContactView>('GET', `/api/v1/contacts/${contactId}`);
    expect(forOfficer.status).toBe(200);
    expect(forOfficer.body).toMatchObject({ name: 'Ирина Соколова', restriction: 'blocked' });
    for (const [purpose, channel] of [
      ['marketing', 'email'],
      ['appointment', 'call'],
      ['appointment', 'export'],
    ] as const) {
      expect(await gate(contactId, purpose, channel)).toEqual({
        allowed: false,
        reason: 'subject_blocked',
      });
    }

    const lifted = await officer.call(
      'POST',
      `/api/v1/contacts/${contactId}/blocks/${blocked.body.id}/lift`,
      { body: { reason: 'Проверка завершена' } },
    );
    expect(lifted.status).toBe(204);
    expect((await owner.call('GET', `/api/v1/contacts/${contactId}`)).status).toBe(200);
    expect(await gate(contactId, 'marketing', 'email')).toMatchObject({ allowed: true });
    const again = await officer.call(
      'POST',
      `/api/v1/contacts/${contactId}/blocks/${blocked.body.id}/lift`,
      { body: { reason: 'Ещё раз' } },
    );
    expect(again.status).toBe(404);
  });
});
