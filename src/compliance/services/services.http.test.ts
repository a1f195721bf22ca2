import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';
import { type CaptureOrg, formBody, makeCaptureOrg } from '../../../test/capture-factories.ts';
import { makeMember } from '../../../test/factories.ts';
import { type Client, signIn } from '../../../test/http.ts';
import { sql } from '../../platform/db/sql.ts';
import type { TServiceView } from './services.schema.ts';

const getApp = setupTestApp();

type ErrorBody = {
  error: { code: string; fields?: Record<string, string[]>; details?: Record<string, unknown> };
};

const CUSTOM = {
  name: 'МТС Exolve',
  kind: 'telephony',
  country: 'RU',
  role: 'processor',
  dataCategories: ['phone'],
  purposeCodes: ['appointment'],
  contractReference: 'Договор № 7-Т от 10.01.2026',
};

describe('services register over HTTP (R-L1)', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let other: CaptureOrg;
  let owner: Client;
  let officer: Client;
  let marketer: Client;
  let frontDesk: Client;
  let otherOwner: Client;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    other = await makeCaptureOrg(testApp);
    const member = async (role: 'front_desk' | 'marketer' | 'privacy_officer') => {
      const person = await makeMember(testApp, org.orgId, role);
      return signIn(testApp, person.email, person.password);
    };
    owner = await signIn(testApp, org.owner.email, org.owner.password);
    officer = await member('privacy_officer');
    marketer = await member('marketer');
    frontDesk = await member('front_desk');
    otherOwner = await signIn(testApp, other.owner.email, other.owner.password);
  });

  it('offers the catalogue of the founding material, foreign ones flagged, and adds one with one click', async () => {
    const catalogue = await officer.get<{
      items: { code: string; country: string; isForeign: boolean; isAdded: boolean }[];
    }>('/api/v1/compliance/services/catalogue');
    expect(catalogue.status).toBe(200);
    const byCode = new Map(catalogue.body.items.map((item) => [item.code, item]));
    for (const code of [
      'sbis',
      'yandex_360',
      'tilda',
      'amocrm',
      'one_c_crm',
      'bitrix24',
      'jivosite',
    ]) {
      expect(byCode.get(code), code).toMatchObject({ country: 'RU', isForeign: false });
    }
    for (const code of [
      'google_sheets',
      'trello',
      'notion',
      'facebook',
      'instagram',
      'whatsapp',
      'telegram',
    ]) {
      expect(byCode.get(code)?.isForeign, code).toBe(true);
    }
    const added = await officer.post<TServiceView>('/api/v1/compliance/services/catalogue', {
      code: 'tilda',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      catalogueCode: 'tilda',
      name: 'Tilda',
      kind: 'site_builder',
      country: 'RU',
      role: 'processor',
      crossBorder: { state: 'not_required', isForeign: false },
      warnings: ['contract_missing'],
    });
    const again = await officer.post<ErrorBody>('/api/v1/compliance/services/catalogue', {
      code: 'tilda',
    });
    expect(again.status).toBe(409);
    const after = await officer.get<{ items: { code: string; isAdded: boolean }[] }>(
      '/api/v1/compliance/services/catalogue',
    );
    expect(after.body.items.find((item) => item.code === 'tilda')?.isAdded).toBe(true);
  });

  it('flags a foreign service and lists it among foreign recipients without a notice', async () => {
    const telegram = await officer.post<TServiceView>('/api/v1/compliance/services/catalogue', {
      code: 'telegram',
    });
    expect(telegram.status).toBe(201);
    expect(telegram.body.crossBorder).toMatchObject({
      isForeign: true,
      isAdequate: false,
      state: 'missing',
    });
    expect(telegram.body.warnings).toEqual(
      expect.arrayContaining(['foreign_server', 'cross_border_notice_missing']),
    );
    const foreign = await officer.get<{ items: { type: string; name: string }[] }>(
      '/api/v1/compliance/cross-border',
    );
    expect(foreign.body.items).toEqual([
      expect.objectContaining({ type: 'service', name: 'Telegram' }),
    ]);
  });

  it('creates, changes and archives a service, each change in the audit log', async () => {
    const created = await officer.post<TServiceView>('/api/v1/compliance/services', CUSTOM);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...CUSTOM, warnings: [] });
    const changed = await officer.patch<TServiceView>(
      `/api/v1/compliance/services/${created.body.id}`,
      { notes: 'Запись звонков хранится 30 дней', role: 'tool' },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ notes: 'Запись звонков хранится 30 дней', role: 'tool' });
    const archived = await officer.delete<TServiceView>(
      `/api/v1/compliance/services/${created.body.id}`,
    );
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    const list = await officer.get<{ items: TServiceView[] }>('/api/v1/compliance/services');
    expect(list.body.items.map((item) => item.id)).not.toContain(created.body.id);
    const audit = await testApp.db.query<{ action: string }>(sql`
      SELECT action FROM audit_log WHERE org_id = ${org.orgId} AND entity_id = ${created.body.id}
      ORDER BY id`);
    expect(audit.map((row) => row.action)).toEqual([
      'compliance_service.created',
      'compliance_service.updated',
      'compliance_service.archived',
    ]);
  });

  it('answers malformed input with 400 and field messages, never 5xx', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/api/v1/compliance/services', { ...CUSTOM, country: 'Russia' }],
      ['POST', '/api/v1/compliance/services', { ...CUSTOM, role: 'owner' }],
      ['POST', '/api/v1/compliance/services', { ...CUSTOM, kind: 'fax' }],
      ['POST', '/api/v1/compliance/services', { ...CUSTOM, extra: true }],
      ['POST', '/api/v1/compliance/services', { ...CUSTOM, name: '' }],
      ['POST', '/api/v1/compliance/services', { ...CUSTOM, dataCategories: ['Телефон'] }],
      ['POST', '/api/v1/compliance/services/catalogue', { code: 'myspace' }],
      ['POST', '/api/v1/compliance/services/catalogue', {}],
      ['PATCH', '/api/v1/compliance/services/not-a-uuid', { name: 'x' }],
      ['GET', '/api/v1/compliance/services?includeArchived=maybe', undefined],
    ];
    for (const [method, path, body] of cases) {
      const answer = await officer.call<ErrorBody>(method, path, { body });
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body.error.code).toBe('validation_failed');
    }
    const broken = await officer.call<ErrorBody>('POST', '/api/v1/compliance/services', {
      raw: '{"name":',
    });
    expect(broken.status).toBe(400);
    const missing = await officer.patch<ErrorBody>(
      '/api/v1/compliance/services/00000000-0000-4000-8000-000000000000',
      { name: 'x' },
    );
    expect(missing.status).toBe(404);
  });

  it('refuses a form whose first destination is a foreign service (R-L1), and accepts it second', async () => {
    const list = await officer.get<{ items: TServiceView[] }>('/api/v1/compliance/services');
    const tilda = list.body.items.find((item) => item.name === 'Tilda');
    const telegram = list.body.items.find((item) => item.name === 'Telegram');
    if (!tilda || !telegram) throw new Error('The services of the register are missing');
    const refused = await officer.post<ErrorBody>(
      '/api/v1/forms',
      formBody(`form-${randomBytes(4).toString('hex')}`, { destinations: [telegram.id, tilda.id] }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.details?.rule).toBe('foreign_primary_destination');
    expect(refused.body.error.fields?.['definition.destinations.0']?.[0]).toMatch(
      /^foreign_primary_destination/,
    );
    const slug = `form-${randomBytes(4).toString('hex')}`;
    const accepted = await officer.post<{ definition: { destinations: string[] } }>(
      '/api/v1/forms',
      formBody(slug, { destinations: [tilda.id, telegram.id] }),
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body.definition.destinations).toEqual([tilda.id, telegram.id]);
    // Changing the form to put the foreign one first is refused too.
    const changed = await officer.call<ErrorBody>('PUT', `/api/v1/forms/${slug}`, {
      body: {
        title: 'Запись на приём',
        definition: formBody(slug, { destinations: [telegram.id] }).definition,
      },
    });
    expect(changed.status).toBe(422);
    expect(changed.body.error.details?.rule).toBe('foreign_primary_destination');
    // An unknown service, or one of another organization, is no destination.
    const foreignOrgService = await otherOwner.post<TServiceView>(
      '/api/v1/compliance/services/catalogue',
      { code: 'sbis' },
    );
    const unknown = await officer.post<ErrorBody>(
      '/api/v1/forms',
      formBody(`form-${randomBytes(4).toString('hex')}`, {
        destinations: [foreignOrgService.body.id],
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields?.['definition.destinations.0']).toEqual(['No such service']);
    // The service shows which forms use it.
    const shown = await officer.get<TServiceView>(`/api/v1/compliance/services/${tilda.id}`);
    expect(shown.body.forms).toEqual([{ slug, isPrimary: true }]);
  });

  it('refuses to move a form’s first destination abroad by editing the service (R-L1)', async () => {
    const list = await officer.get<{ items: TServiceView[] }>('/api/v1/compliance/services');
    const tilda = list.body.items.find((item) => item.name === 'Tilda');
    if (!tilda) throw new Error('No Tilda');
    const moved = await officer.patch<ErrorBody>(`/api/v1/compliance/services/${tilda.id}`, {
      country: 'US',
    });
    expect(moved.status).toBe(422);
    expect(moved.body.error.details?.rule).toBe('foreign_primary_destination');
    expect(moved.body.error.fields?.country?.[0]).toMatch(/^foreign_primary_destination/);
    const unchanged = await officer.get<TServiceView>(`/api/v1/compliance/services/${tilda.id}`);
    expect(unchanged.body.country).toBe('RU');
    // Archiving a service a form forwards to is refused as well.
    const archived = await officer.delete<ErrorBody>(`/api/v1/compliance/services/${tilda.id}`);
    expect(archived.status).toBe(422);
    expect(archived.body.error.details?.rule).toBe('service_in_use');
  });

  it('keeps the register to its roles and organization', async () => {
    expect((await frontDesk.get('/api/v1/compliance/services')).status).toBe(403);
    expect((await marketer.get('/api/v1/compliance/services')).status).toBe(200);
    expect(
      (await marketer.post('/api/v1/compliance/services/catalogue', { code: 'sbis' })).status,
    ).toBe(403);
    expect((await owner.get('/api/v1/compliance/services')).status).toBe(200);
    const mine = await officer.get<{ items: TServiceView[] }>('/api/v1/compliance/services');
    const id = mine.body.items[0]?.id;
    expect((await otherOwner.get(`/api/v1/compliance/services/${id}`)).status).toBe(404);
    expect(
      (await otherOwner.patch(`/api/v1/compliance/services/${id}`, { notes: 'x' })).status,
    ).toBe(404);
  });
});
