import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { startDnsServer } from '../../test/dns-server.ts';
import { makeMember } from '../../test/factories.ts';
import { type Client, signIn } from '../../test/http.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { withTx } from '../platform/db/tx.ts';
import { suppress } from './suppressions.service.ts';

const getApp = setupTestApp();

type Report = {
  isBlocking: boolean;
  dmarcPolicy: string | null;
  findings: { level: string; code: string; record: string }[];
};

describe('suppression list, deliverability check and the contact’s outbound panel', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let owner: Client;
  let marketer: Client;
  let dns: Awaited<ReturnType<typeof startDnsServer>>;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    owner = await signIn(testApp, org.owner.email, org.owner.password);
    const marketerPerson = await makeMember(testApp, org.orgId, 'marketer');
    marketer = await signIn(testApp, marketerPerson.email, marketerPerson.password);
    dns = await startDnsServer({
      'clinic.test': ['v=spf1 include:_spf.mail.test ~all', 'yandex-verification: 123'],
      'sg._domainkey.clinic.test': [
        'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
      ],
      '_dmarc.clinic.test': ['v=DMARC1; p=none; rua=mailto:dmarc@clinic.test'],
      'nodmarc.test': ['v=spf1 -all'],
      'sg._domainkey.nodmarc.test': ['v=DKIM1; k=rsa; p='],
    });
    testApp.deps.dnsServers = [dns.address];
  });
  afterAll(async () => {
    await dns.close();
  });

  const ctx = () => systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() });
  const newContact = async () =>
    contactOfSubmission(testApp, (await submitWithConsents(testApp, org)).submissionId);

  it('lists suppressions page by page, lets staff add one and remove it only with a reason (R-A4)', async () => {
    const first = await newContact();
    const second = await newContact();
    await withTx(testApp.db, { orgId: org.orgId }, async (tx) => {
      await suppress(tx, ctx(), {
        contactId: first,
        channel: 'email',
        reason: 'unsubscribed',
        source: 'list_unsubscribe_post',
      });
    });
    const added = await owner.call('POST', '/api/v1/messaging/suppressions', {
      body: { contactId: second, channel: 'sms' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ isNew: true });
    const again = await owner.call('POST', '/api/v1/messaging/suppressions', {
      body: { contactId: second, channel: 'sms' },
    });
    expect(again.body).toEqual({ isNew: false });

    const page = await marketer.call<{
      items: { id: string; contactId: string; reason: string }[];
      total: number;
    }>('GET', '/api/v1/messaging/suppressions?pageSize=1');
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(2);
    expect(page.body.items).toHaveLength(1);
    const onlySms = await marketer.call<{ items: { contactId: string; reason: string }[] }>(
      'GET',
      '/api/v1/messaging/suppressions?channel=sms',
    );
    expect(onlySms.body.items).toEqual([
      expect.objectContaining({ contactId: second, reason: 'staff' }),
    ]);
    // A marketer reads the list but cannot change it.
    const id = onlySms.body.items[0] && (onlySms.body.items[0] as { id?: string }).id;
    expect(
      (
        await marketer.call('POST', `/api/v1/messaging/suppressions/${id}/remove`, {
          body: { reason: 'ошибка' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await owner.call('POST', `/api/v1/messaging/suppressions/${id}/remove`, { body: {} }))
        .status,
    ).toBe(400);
    const removed = await owner.call('POST', `/api/v1/messaging/suppressions/${id}/remove`, {
      body: { reason: 'Пациентка попросила снова присылать SMS' },
    });
    expect(removed.status).toBe(204);
    const after = await owner.call<{ total: number }>('GET', '/api/v1/messaging/suppressions');
    expect(after.body.total).toBe(1);
  });

  it('reads SPF, DKIM and DMARC from DNS and blocks when DMARC is missing (R-E2)', async () => {
    const good = await owner.call<Report>(
      'GET',
      '/api/v1/messaging/deliverability?domain=clinic.test&selector=sg',
    );
    expect(good.status).toBe(200);
    expect(good.body.isBlocking).toBe(false);
    expect(good.body.dmarcPolicy).toBe('none');
    expect(good.body.findings.map((finding) => finding.code)).toEqual(
      expect.arrayContaining(['spf_ok', 'dkim_ok', 'dmarc_policy_none']),
    );
    const bad = await owner.call<Report>(
      'GET',
      '/api/v1/messaging/deliverability?domain=nodmarc.test&selector=sg',
    );
    expect(bad.body.isBlocking).toBe(true);
    expect(bad.body.findings).toEqual(
      expect.arrayContaining([
        { level: 'error', code: 'dmarc_missing', record: 'dmarc' },
        { level: 'error', code: 'dkim_revoked', record: 'dkim' },
        { level: 'ok', code: 'spf_ok', record: 'spf' },
      ]),
    );
    const nothing = await owner.call<Report>(
      'GET',
      '/api/v1/messaging/deliverability?domain=unknown.test',
    );
    expect(nothing.body.findings.map((finding) => finding.code)).toEqual(
      expect.arrayContaining(['spf_missing', 'dkim_selector_unknown', 'dmarc_missing']),
    );
    expect(
      (await owner.call('GET', '/api/v1/messaging/deliverability?domain=not_a_domain')).status,
    ).toBe(400);
  });

  it('shows on the contact card what may be sent on which channel and why', async () => {
    const contactId = await newContact();
    await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      suppress(tx, ctx(), {
        contactId,
        channel: 'sms',
        reason: 'provider_refused',
        source: 'sms:smsc',
      }),
    );
    const panel = await owner.call<{
      options: { purposeCode: string; channel: string; allowed: boolean; reason: string | null }[];
    }>('GET', `/api/v1/contacts/${contactId}/outbound`);
    expect(panel.status).toBe(200);
    const answer = (purposeCode: string, channel: string) =>
      panel.body.options.find(
        (option) => option.purposeCode === purposeCode && option.channel === channel,
      );
    expect(answer('marketing', 'email')).toMatchObject({ allowed: true, reason: null });
    expect(answer('marketing', 'sms')).toMatchObject({ allowed: false, reason: 'suppressed' });
    expect(answer('marketing', 'call')).toMatchObject({
      allowed: false,
      reason: 'channel_not_covered',
    });
    expect(answer('appointment', 'sms')).toMatchObject({ allowed: true });
    expect(
      (await owner.call('GET', '/api/v1/contacts/00000000-0000-4000-8000-000000000000/outbound'))
        .status,
    ).toBe(404);
  });
});
