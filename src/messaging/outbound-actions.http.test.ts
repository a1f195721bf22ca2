import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import {
  ADVERTISING_PURPOSE,
  type CaptureOrg,
  formBody,
  makeCaptureOrg,
  TRANSFER_PURPOSE,
} from '../../test/capture-factories.ts';
import { makeMember } from '../../test/factories.ts';
import { type Client, signIn } from '../../test/http.ts';
import { contactOfSubmission, newPhone, submitWithConsents } from '../../test/journal-factories.ts';
import { eraseSubject } from '../erasure/erasure.service.ts';
import { createForm } from '../forms/forms.service.ts';
import { submitForm } from '../forms/submissions.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import type { TPurpose } from '../purposes/purposes.schema.ts';
import { createPurpose } from '../purposes/purposes.service.ts';
import type {
  TCallListEntryView,
  TCallListView,
  TExportView,
  TPartnerView,
  TTransferView,
} from './outbound-actions.schema.ts';
import { createExport, exportCsv } from './outbound-actions.service.ts';

const getApp = setupTestApp();

type Received = { headers: IncomingMessage['headers']; body: string };

/** A real HTTP listener standing in for a partner; answers with the status it is told. */
function startPartner(): Promise<{
  server: Server;
  url: string;
  received: Received[];
  setStatus(status: number): void;
}> {
  const received: Received[] = [];
  let status = 200;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://127.0.0.1:${port}/hooks/soglasie`,
        received,
        setStatus: (next) => {
          status = next;
        },
      });
    });
  });
}

describe('outbound actions: call lists, exports and transfers, each gated and stored', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let owner: Client;
  let frontDesk: Client;
  let marketer: Client;
  let auditor: Client;
  let officer: Client;
  let newsletter: TPurpose;
  let labTransfer: TPurpose;
  let otherFormSlug: string;
  let partner: Awaited<ReturnType<typeof startPartner>>;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    // A purpose whose consent names email only, and a transfer to a named laboratory.
    newsletter = await createPurpose(org.ctx, {
      ...ADVERTISING_PURPOSE,
      code: 'newsletter',
      title: 'Новости клиники по электронной почте',
      channels: ['email'],
    });
    labTransfer = await createPurpose(org.ctx, TRANSFER_PURPOSE);
    otherFormSlug = `form-${randomBytes(4).toString('hex')}`;
    await createForm(
      org.ctx,
      formBody(otherFormSlug, {
        consents: [
          { purposes: ['appointment'], isRequired: true },
          { purposes: ['newsletter'], isRequired: false },
          { purposes: ['lab_transfer'], isRequired: false },
        ],
      }),
    );
    const member = async (role: 'front_desk' | 'marketer' | 'auditor' | 'privacy_officer') => {
      const person = await makeMember(testApp, org.orgId, role);
      return signIn(testApp, person.email, person.password);
    };
    owner = await signIn(testApp, org.owner.email, org.owner.password);
    frontDesk = await member('front_desk');
    marketer = await member('marketer');
    auditor = await member('auditor');
    officer = await member('privacy_officer');
    partner = await startPartner();
  });

  afterAll(async () => {
    await new Promise((resolve) => partner.server.close(resolve));
  });

  /** A visitor of the second form consents to the appointment and to what is listed. */
  const submitOther = async (purposes: { newsletter?: boolean; lab?: boolean }) => {
    const consents: Record<string, { isGiven: boolean; documentId: string | null }> = {
      appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
    };
    if (purposes.newsletter) {
      consents.newsletter = { isGiven: true, documentId: newsletter.document?.id ?? null };
    }
    if (purposes.lab) {
      consents.lab_transfer = { isGiven: true, documentId: labTransfer.document?.id ?? null };
    }
    const submitted = await submitForm(
      {
        db: testApp.db,
        keys: testApp.keys,
        publicUrl: testApp.deps.publicUrl,
        now: testApp.clock.now(),
      },
      {
        formSlug: otherFormSlug,
        values: {
          name: 'Анна Петрова',
          phone: newPhone(),
          email: `anna-${randomBytes(4).toString('hex')}@example.test`,
        },
        consents,
        idempotencyKey: null,
        attribution: { utm_source: 'vk' },
        client: { ip: '203.0.113.9', userAgent: 'Mozilla/5.0', pageUrl: 'https://clinic.test/' },
      },
    );
    return contactOfSubmission(testApp, submitted.submissionId);
  };
  const newContact = async (options: { isAdvertisingGiven?: boolean } = {}) =>
    contactOfSubmission(testApp, (await submitWithConsents(testApp, org, options)).submissionId);
  const block = async (contactId: string) => {
    const answer = await officer.post(`/api/v1/contacts/${contactId}/blocks`, {
      kind: 'blocked',
      reason: 'Проверка по запросу РКН',
    });
    expect(answer.status).toBe(201);
  };
  const accessRows = (contactId: string, reason: string) =>
    testApp.db.query<{ id: string }>(sql`
      SELECT id FROM access_log WHERE subject_id = ${contactId} AND reason = ${reason}`);

  it('refuses a call-list entry with channel_not_covered for a person who consented to email only (R-C7, R-A1)', async () => {
    const emailOnly = await submitOther({ newsletter: true });
    const created = await frontDesk.post<TCallListView>('/api/v1/call-lists', {
      purposeCode: 'newsletter',
      contactIds: [emailOnly],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      total: 1,
      allowed: 0,
      refused: { channel_not_covered: 1 },
    });
    const page = await frontDesk.get<{ items: TCallListEntryView[] }>(
      `/api/v1/call-lists/${created.body.id}`,
    );
    expect(page.body.items).toEqual([
      expect.objectContaining({
        contactId: emailOnly,
        allowed: false,
        reason: 'channel_not_covered',
        phone: null,
        consentEntryId: null,
      }),
    ]);
  });

  it('builds a front-desk list from a lead source: allowed entries carry the consent, refused ones their reason', async () => {
    const allowed = await newContact();
    const blocked = await newContact();
    await block(blocked);
    const created = await frontDesk.post<TCallListView>('/api/v1/call-lists', {
      purposeCode: 'appointment',
      leadSource: 'yandex',
      title: 'Перезвонить по заявкам',
    });
    expect(created.status).toBe(201);
    expect(created.body.refused).toMatchObject({ subject_blocked: 1 });
    const page = await frontDesk.get<{ items: TCallListEntryView[]; total: number }>(
      `/api/v1/call-lists/${created.body.id}?pageSize=200`,
    );
    expect(page.body.total).toBe(created.body.total);
    const byContact = new Map(page.body.items.map((item) => [item.contactId, item]));
    expect(byContact.get(allowed)).toMatchObject({
      allowed: true,
      basis: 'consent',
      reason: null,
      name: 'Ирина Соколова',
    });
    expect(byContact.get(allowed)?.phone).toMatch(/^\+7916/);
    expect(byContact.get(allowed)?.consentEntryId).toMatch(/^[0-9a-f-]{36}$/);
    // The blocked person stays on the list, greyed with the reason, without name or phone.
    expect(byContact.get(blocked)).toMatchObject({
      allowed: false,
      reason: 'subject_blocked',
      name: null,
      phone: null,
    });
    // Contacts of other sources are not on it; the reading of the list is logged.
    const vk = await submitOther({});
    expect(byContact.has(vk)).toBe(false);
    expect(await accessRows(allowed, 'call_list')).toHaveLength(1);

    const lists = await frontDesk.get<{ items: TCallListView[] }>('/api/v1/call-lists');
    expect(lists.body.items.find((item) => item.id === created.body.id)).toMatchObject({
      title: 'Перезвонить по заявкам',
      refused: { subject_blocked: 1 },
    });
  });

  it('exports a CSV for a purpose: blocked subjects skipped (R-D1), exclusions counted per reason, one access-log row per person (R-L6)', async () => {
    const given = await newContact();
    const refused = await newContact({ isAdvertisingGiven: false });
    const blocked = await newContact();
    await block(blocked);
    const created = await owner.post<TExportView>('/api/v1/contact-exports', {
      purposeCode: 'marketing',
      contactIds: [given, refused, blocked],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      purposeCode: 'marketing',
      total: 3,
      exported: 1,
      excluded: { no_consent: 1, subject_blocked: 1 },
      downloadedAt: null,
    });
    const response = await testApp.app.request(created.body.csvUrl, {
      headers: { cookie: [...owner.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('x-export-excluded')).toBe('no_consent=1, subject_blocked=1');
    expect(response.headers.get('x-export-exported')).toBe('1');
    const text = await response.text();
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('contact_id;name;phone;email;basis;consent_entry_id');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      new RegExp(`^${given};Ирина Соколова;\\+7916\\d{7};;consent;[0-9a-f-]{36}$`),
    );
    expect(await accessRows(given, 'export')).toHaveLength(1);
    expect(await accessRows(blocked, 'export')).toHaveLength(0);
    expect(await accessRows(refused, 'export')).toHaveLength(0);
    // The export is recorded: who, when, purpose, counts, and the answer for each person.
    const [entry] = await testApp.db.query<{ created_by: string; reasons: string[] }>(sql`
      SELECT x.created_by, array_agg(coalesce(e.reason, 'allowed') ORDER BY e.position) AS reasons
      FROM contact_exports x JOIN contact_export_entries e ON e.export_id = x.id
      WHERE x.id = ${created.body.id} GROUP BY x.created_by`);
    expect(entry).toEqual({
      created_by: org.owner.userId,
      reasons: ['allowed', 'no_consent', 'subject_blocked'],
    });
    const listed = await owner.get<{ items: TExportView[] }>('/api/v1/contact-exports');
    expect(listed.body.items[0]?.downloadedAt).not.toBeNull();
  });

  it('transfers to a named partner by a signed webhook and logs the answer and HTTP status', async () => {
    const contactId = await submitOther({ lab: true });
    const secret = 'lab-shared-secret-0123456789';
    const lab = await owner.post<TPartnerView>('/api/v1/partners', {
      name: 'ООО «Лаборатория Гемотест»',
      url: partner.url,
      secret,
      country: 'RU',
    });
    expect(lab.status).toBe(201);
    expect(JSON.stringify(lab.body)).not.toContain(secret);
    const sent = await officer.post<TTransferView>('/api/v1/transfers', {
      partnerId: lab.body.id,
      contactId,
      purposeCode: 'lab_transfer',
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ allowed: true, status: 'delivered', httpStatus: 200 });
    expect(sent.body.consentEntryId).toMatch(/^[0-9a-f-]{36}$/);
    const [request] = partner.received;
    if (!request) throw new Error('The partner received nothing');
    const expected = `sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`;
    expect(request.headers['x-soglasie-signature']).toBe(expected);
    const payload = JSON.parse(request.body) as {
      transferId: string;
      contact: { id: string; name: string; phone: string };
    };
    expect(payload).toMatchObject({
      transferId: sent.body.id,
      contact: { id: contactId, name: 'Анна Петрова' },
    });
    expect(await accessRows(contactId, 'transfer')).toHaveLength(1);

    // A partner answering 500 is a failed transfer with its status.
    partner.setStatus(500);
    const failed = await officer.post<TTransferView>('/api/v1/transfers', {
      partnerId: lab.body.id,
      contactId,
      purposeCode: 'lab_transfer',
    });
    partner.setStatus(200);
    expect(failed.body).toMatchObject({ allowed: true, status: 'failed', httpStatus: 500 });
  });

  it('refuses a partner not named in the consented purpose with recipient_not_named, sending nothing', async () => {
    const contactId = await submitOther({ lab: true });
    const other = await owner.post<TPartnerView>('/api/v1/partners', {
      name: 'ООО «Другая лаборатория»',
      url: partner.url,
      secret: 'other-shared-secret-0123456789',
      country: 'RU',
    });
    const before = partner.received.length;
    const refused = await officer.post<TTransferView>('/api/v1/transfers', {
      partnerId: other.body.id,
      contactId,
      purposeCode: 'lab_transfer',
    });
    expect(refused.status).toBe(201);
    expect(refused.body).toMatchObject({
      allowed: false,
      reason: 'recipient_not_named',
      status: 'refused',
      httpStatus: null,
    });
    // Without a consent to the transfer the check refuses before the recipient is looked at.
    const without = await submitOther({});
    const lab = (await owner.get<{ items: TPartnerView[] }>('/api/v1/partners')).body.items.find(
      (item) => item.name.includes('Гемотест'),
    );
    const noConsent = await officer.post<TTransferView>('/api/v1/transfers', {
      partnerId: lab?.id,
      contactId: without,
      purposeCode: 'lab_transfer',
    });
    expect(noConsent.body).toMatchObject({ allowed: false, reason: 'no_consent' });
    expect(partner.received.length).toBe(before);
    const log = await auditor.get<{ items: TTransferView[] }>(
      `/api/v1/transfers?contactId=${contactId}`,
    );
    expect(log.status).toBe(200);
    expect(log.body.items.map((item) => item.reason)).toEqual(['recipient_not_named']);
  });

  it('gives a marketer no personal data from any outbound action, and an auditor no export', async () => {
    const contactId = await newContact();
    for (const [method, path, body] of [
      ['POST', '/api/v1/call-lists', { purposeCode: 'appointment', contactIds: [contactId] }],
      ['GET', '/api/v1/call-lists', undefined],
      ['POST', '/api/v1/contact-exports', { purposeCode: 'marketing', contactIds: [contactId] }],
      ['GET', '/api/v1/contact-exports', undefined],
      ['GET', '/api/v1/transfers', undefined],
      ['GET', '/api/v1/partners', undefined],
    ] as const) {
      expect((await marketer.call(method, path, { body })).status, `${method} ${path}`).toBe(403);
    }
    expect(
      (
        await auditor.post('/api/v1/contact-exports', {
          purposeCode: 'marketing',
          contactIds: [contactId],
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await frontDesk.post('/api/v1/partners', {
          name: 'x',
          url: partner.url,
          secret: 'x'.repeat(20),
          country: 'RU',
        })
      ).status,
    ).toBe(403);
    expect(await accessRows(contactId, 'call_list')).toHaveLength(0);
  });

  it('refuses an unknown purpose or contact as a validation error', async () => {
    const unknownPurpose = await frontDesk.post('/api/v1/call-lists', {
      purposeCode: 'no_such_purpose',
      contactIds: [await newContact()],
    });
    expect(unknownPurpose.status).toBe(400);
    const unknownContact = await frontDesk.post('/api/v1/call-lists', {
      purposeCode: 'appointment',
      contactIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknownContact.status).toBe(400);
  });

  it('stops transfers to an archived partner and keeps its log', async () => {
    const contactId = await submitOther({ lab: true });
    const archived = await owner.post<TPartnerView>('/api/v1/partners', {
      name: 'ООО «Лаборатория Гемотест» (старый адрес)',
      url: partner.url,
      secret: 'old-shared-secret-0123456789',
      country: 'RU',
    });
    expect((await owner.post(`/api/v1/partners/${archived.body.id}/archive`)).status).toBe(204);
    const refused = await officer.post('/api/v1/transfers', {
      partnerId: archived.body.id,
      contactId,
      purposeCode: 'lab_transfer',
    });
    expect(refused.status).toBe(400);
    expect((await owner.post(`/api/v1/partners/${archived.body.id}/archive`)).status).toBe(404);
  });

  it('deletes an erased person from call lists and keeps export and transfer records as ids only', async () => {
    const contactId = await submitOther({ lab: true });
    const list = await frontDesk.post<TCallListView>('/api/v1/call-lists', {
      purposeCode: 'appointment',
      contactIds: [contactId],
    });
    expect(list.body.allowed).toBe(1);
    const ctx = systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() });
    await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      eraseSubject(tx, ctx, { contactId, reason: 'deletion request' }),
    );
    const page = await frontDesk.get<{ items: TCallListEntryView[] }>(
      `/api/v1/call-lists/${list.body.id}`,
    );
    expect(page.body.items).toEqual([]);
    const again = await frontDesk.post<TCallListView>('/api/v1/call-lists', {
      purposeCode: 'appointment',
      contactIds: [contactId],
    });
    expect(again.body.refused).toEqual({ subject_erased: 1 });
  });

  it('streams the CSV page by page, asking the check again: a person blocked after the export was recorded is left out (R-D1)', async () => {
    const people = [await newContact(), await newContact(), await newContact()];
    const ctx = systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() });
    const recorded = await createExport(ctx, { purposeCode: 'marketing', contactIds: people });
    expect(recorded).toMatchObject({ total: 3, exported: 3, excluded: {} });
    const [first, second, third] = people;
    if (!first || !second || !third) throw new Error('Three people expected');
    await block(second);
    const { body } = await exportCsv(ctx, recorded.id, { pageSize: 1 });
    const text = await new Response(body).text();
    const rows = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .slice(1);
    expect(rows.map((row) => row.split(';')[0])).toEqual([first, third]);
    expect(await accessRows(second, 'export')).toHaveLength(0);
    expect(await accessRows(third, 'export')).toHaveLength(1);
  });
});
