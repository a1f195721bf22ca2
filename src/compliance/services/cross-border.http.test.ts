import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';
import {
  type CaptureOrg,
  formBody,
  makeCaptureOrg,
  TRANSFER_PURPOSE,
} from '../../../test/capture-factories.ts';
import { makeMember, type TestPerson } from '../../../test/factories.ts';
import { type Client, signIn } from '../../../test/http.ts';
import { contactOfSubmission, newPhone } from '../../../test/journal-factories.ts';
import { createForm } from '../../forms/forms.service.ts';
import { submitForm } from '../../forms/submissions.service.ts';
import type { TPartnerView, TTransferView } from '../../messaging/outbound-actions.schema.ts';
import { createPurpose } from '../../purposes/purposes.service.ts';
import type { TForeignRecipient } from './services.schema.ts';

const getApp = setupTestApp();

type ErrorBody = {
  error: { code: string; fields?: Record<string, string[]>; details?: Record<string, unknown> };
};

const FACTS = {
  purpose: 'Выполнение лабораторных исследований',
  legalBasis: 'Согласие субъекта персональных данных',
  dataCategories: ['фамилия, имя, отчество', 'номер телефона'],
  subjectCategories: ['пациенты'],
  recipientName: 'Acme Labs Inc.',
  recipientAddress: '1 Main St, Boston, MA, USA',
  recipientMeasures:
    'Политика конфиденциальности получателя изучена, меры защиты описаны в договоре',
  assessedOn: '2026-02-20',
};

describe('cross-border transfers to foreign partners (R-L2)', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let officerPerson: TestPerson;
  let officer: Client;
  let server: Server;
  let url: string;
  let received = 0;
  let contactId: string;
  const partners: Record<'acme' | 'other' | 'berlin' | 'moscow', string> = {
    acme: '',
    other: '',
    berlin: '',
    moscow: '',
  };

  const transfer = (partnerId: string) =>
    officer.post<TTransferView>('/api/v1/transfers', {
      partnerId,
      contactId,
      purposeCode: 'us_lab_transfer',
    });

  /** Moves the clock to a Moscow morning and signs in again (sessions end after a day idle). */
  async function moveTo(date: string): Promise<void> {
    const target = new Date(`${date}T06:00:00Z`).getTime();
    testApp.clock.advance(target - testApp.clock.now().getTime());
    officer = await signIn(testApp, officerPerson.email, officerPerson.password);
  }

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    const purpose = await createPurpose(org.ctx, {
      ...TRANSFER_PURPOSE,
      code: 'us_lab_transfer',
      title: 'Передача данных в лабораторию в США',
      recipients: [{ name: 'Acme Labs Inc.', address: '1 Main St, Boston', country: 'US' }],
    });
    const slug = `form-${randomBytes(4).toString('hex')}`;
    await createForm(
      org.ctx,
      formBody(slug, {
        consents: [
          { purposes: ['appointment'], isRequired: true },
          { purposes: ['us_lab_transfer'], isRequired: false },
        ],
      }),
    );
    const submitted = await submitForm(
      {
        db: testApp.db,
        keys: testApp.keys,
        publicUrl: testApp.deps.publicUrl,
        now: testApp.clock.now(),
      },
      {
        formSlug: slug,
        values: { name: 'Анна Петрова', phone: newPhone() },
        consents: {
          appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
          us_lab_transfer: { isGiven: true, documentId: purpose.document?.id ?? null },
        },
        idempotencyKey: null,
        attribution: {},
        client: { ip: '203.0.113.9', userAgent: 'Mozilla/5.0', pageUrl: 'https://clinic.test/' },
      },
    );
    contactId = await contactOfSubmission(testApp, submitted.submissionId);
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received += 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    officerPerson = await makeMember(testApp, org.orgId, 'privacy_officer');
    officer = await signIn(testApp, officerPerson.email, officerPerson.password);
    const add = async (name: string, country: string) => {
      const answer = await officer.post<TPartnerView>('/api/v1/partners', {
        name,
        url,
        secret: 'shared-secret-0123456789',
        country,
      });
      expect(answer.status).toBe(201);
      return answer.body.id;
    };
    partners.acme = await add('Acme Labs Inc.', 'US');
    partners.other = await add('Other Labs Inc.', 'US');
    partners.berlin = await add('Labor Berlin GmbH', 'DE');
    partners.moscow = await add('ООО «Лаборатория»', 'RU');
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a transfer to a foreign partner until a cross-border notice is recorded', async () => {
    const refused = await transfer(partners.acme);
    expect(refused.status).toBe(201);
    expect(refused.body).toMatchObject({
      allowed: false,
      reason: 'cross_border_notice_missing',
      status: 'refused',
    });
    expect(received).toBe(0);
    const foreign = await officer.get<{ items: TForeignRecipient[] }>(
      '/api/v1/compliance/cross-border',
    );
    expect(foreign.body.items.map((item) => [item.name, item.crossBorder.state]).sort()).toEqual([
      ['Acme Labs Inc.', 'missing'],
      ['Labor Berlin GmbH', 'missing'],
      ['Other Labs Inc.', 'missing'],
    ]);
  });

  it('validates the notice: facts required, no future date, none for a partner in Russia', async () => {
    const path = `/api/v1/compliance/cross-border/partners/${partners.acme}/notice`;
    for (const body of [
      { facts: { ...FACTS, dataCategories: [] }, noticeDate: '2026-03-02' },
      { facts: FACTS, noticeDate: '02.03.2026' },
      { facts: { ...FACTS, extra: 1 }, noticeDate: '2026-03-02' },
      { noticeDate: '2026-03-02' },
    ]) {
      const answer = await officer.post<ErrorBody>(path, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('validation_failed');
    }
    const future = await officer.post<ErrorBody>(path, { facts: FACTS, noticeDate: '2026-03-03' });
    expect(future.status).toBe(400);
    expect(future.body.error.fields?.noticeDate).toEqual(['Cannot be in the future']);
    const domestic = await officer.post<ErrorBody>(
      `/api/v1/compliance/cross-border/partners/${partners.moscow}/notice`,
      { facts: FACTS, noticeDate: '2026-03-02' },
    );
    expect(domestic.status).toBe(422);
    expect(domestic.body.error.details?.rule).toBe('not_cross_border');
  });

  it('waits 10 working days after the notice for a non-adequate country, then needs a consent naming the recipient', async () => {
    for (const id of [partners.acme, partners.other]) {
      const noticed = await officer.post<TForeignRecipient>(
        `/api/v1/compliance/cross-border/partners/${id}/notice`,
        { facts: FACTS, noticeDate: '2026-03-02', reference: 'РКН вх. 12345' },
      );
      expect(noticed.status).toBe(201);
      // 9 March is a day off: the 10th working day after 2 March is 17 March.
      expect(noticed.body.crossBorder).toMatchObject({
        isAdequate: false,
        state: 'waiting',
        noticeDate: '2026-03-02',
        allowedFrom: '2026-03-18',
      });
    }
    // The 9th working day after the notice.
    await moveTo('2026-03-16');
    const day9 = await transfer(partners.acme);
    expect(day9.body).toMatchObject({ allowed: false, reason: 'cross_border_waiting_period' });
    // The 10th: Roskomnadzor's time to forbid the transfer has not run out yet.
    await moveTo('2026-03-17');
    expect((await transfer(partners.acme)).body.reason).toBe('cross_border_waiting_period');
    expect(received).toBe(0);
    // The 11th working day: allowed, by the consent that names Acme.
    await moveTo('2026-03-18');
    const day11 = await transfer(partners.acme);
    expect(day11.body).toMatchObject({ allowed: true, status: 'delivered', reason: null });
    expect(received).toBe(1);
    // A foreign partner the consent does not name stays refused by the outbound check.
    const unnamed = await transfer(partners.other);
    expect(unnamed.body).toMatchObject({ allowed: false, reason: 'recipient_not_named' });
    expect(received).toBe(1);
  });

  it('lets a country with adequate protection (Convention 108) go from the day of the notice', async () => {
    const noticed = await officer.post<TForeignRecipient>(
      `/api/v1/compliance/cross-border/partners/${partners.berlin}/notice`,
      { facts: { ...FACTS, recipientName: 'Labor Berlin GmbH' }, noticeDate: '2026-03-18' },
    );
    expect(noticed.body.crossBorder).toMatchObject({
      isAdequate: true,
      state: 'ready',
      allowedFrom: '2026-03-18',
    });
    // Past the cross-border check, the consent does not name this laboratory.
    expect((await transfer(partners.berlin)).body.reason).toBe('recipient_not_named');
  });
});
