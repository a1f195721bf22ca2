import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeOrg } from '../../test/factories.ts';
import { bearerClient, Client, signIn } from '../../test/http.ts';
import { createLogger } from './log.ts';

const getApp = setupTestApp();

describe('logs carry no personal data or secrets', () => {
  it('keeps passwords, emails, names, tokens and cookies out of a whole run’s logs', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp, { ownerEmail: 'ivanova.maria@clinic-logs.test' });
    const secrets: string[] = [org.owner.email, org.owner.password, org.owner.name];

    const wrong = new Client(testApp);
    await wrong.post('/api/v1/auth/login', {
      email: org.owner.email,
      password: 'Wrong-Password-42',
    });
    secrets.push('Wrong-Password-42');
    await wrong.post('/api/v1/auth/login', { email: 'not-an-email', password: 'Other-Secret-77' });
    secrets.push('Other-Secret-77');

    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    secrets.push(owner.cookies.get('sg_session') ?? 'missing', owner.csrfToken ?? 'missing');
    const member = {
      email: 'petrov.sergey@clinic-logs.test',
      name: 'Сергей Петров',
      role: 'front_desk',
      password: 'Member-Password-91',
    };
    secrets.push(member.email, member.name, member.password);
    expect((await owner.post('/api/v1/members', member)).status).toBe(201);
    await owner.get('/api/v1/members');
    const issued = await owner.post<{ secret: string }>('/api/v1/tokens', {
      name: 'Сайт',
      role: 'admin',
    });
    secrets.push(issued.body.secret);
    await bearerClient(testApp, issued.body.secret).get('/api/v1/members');
    await owner.post('/api/v1/auth/password', {
      currentPassword: org.owner.password,
      newPassword: 'Changed-Password-55',
    });
    secrets.push('Changed-Password-55');
    await owner.get('/api/v1/audit-log');
    await owner.get('/api/v1/access-log');

    // A patient's submission through the public form, and staff reading it.
    const capture = await makeCaptureOrg(testApp);
    const patient = {
      name: 'Зинаида Пациентова',
      phone: '+7 916 777-12-34',
      email: 'zina.patient@mail.test',
    };
    secrets.push(patient.name, patient.email, '79167771234', '777-12-34');
    testApp.deps.submitRateLimits = { perClientIp: 1000, perForm: 1000 };
    const submitted = await new Client(testApp).post(`/f/${capture.form.slug}/submit`, {
      values: patient,
      consents: { appointment: { isGiven: true, documentId: capture.processing.document?.id } },
      utm_source: 'yandex',
    });
    expect(submitted.status).toBe(201);
    const staff = await signIn(testApp, capture.owner.email, capture.owner.password);
    secrets.push(capture.owner.email, capture.owner.password);
    await staff.get('/api/v1/leads');
    await staff.get('/api/v1/contacts?q=%2B79167771234');
    await staff.get('/api/v1/consent/journal');

    const text = testApp.logs.join('\n');
    expect(testApp.logs.length).toBeGreaterThanOrEqual(10);
    expect(text).toContain('"route":"/api/v1/auth/login"');
    expect(text).toMatch(/"route":"\/f\/[^"]*submit"/);
    const leaked = secrets.filter((secret) => text.toLowerCase().includes(secret.toLowerCase()));
    expect(leaked).toEqual([]);
    expect(text).not.toMatch(/@clinic-logs\.test/);
  });

  it('redacts credentials and contacts if a caller logs them by mistake', () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: { write: (line: string) => lines.push(line) },
    });
    logger.info(
      {
        email: 'a@b.ru',
        password: 'p4ss',
        headers: { authorization: 'Bearer sg_x', cookie: 'sg_session=1' },
      },
      'oops',
    );
    expect(lines.join('')).not.toMatch(/a@b\.ru|p4ss|sg_x|sg_session=1/);
    expect(lines.join('')).toContain('[redacted]');
  });
});
