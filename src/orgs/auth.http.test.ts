import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeMember, makeOrg, type TestOrg } from '../../test/factories.ts';
import { bearerClient, Client, signIn } from '../../test/http.ts';
import { THROTTLE } from './auth.service.ts';

const getApp = setupTestApp();

describe('first-run setup', () => {
  it('creates the first owner once, then refuses', async () => {
    const client = new Client(getApp());
    expect((await client.get('/api/v1/setup')).body).toEqual({ needsSetup: true });
    const created = await client.post('/api/v1/setup', {
      orgName: 'Клиника «Первая»',
      orgSlug: 'first-clinic',
      name: 'Анна Ковалёва',
      email: 'Anna@First.test',
      password: 'a-long-password',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      user: { email: 'anna@first.test', name: 'Анна Ковалёва', locale: 'ru' },
      role: 'owner',
      memberships: [{ orgSlug: 'first-clinic', role: 'owner' }],
    });
    expect((await client.get('/api/v1/me')).status).toBe(200);
    const again = await new Client(getApp()).post('/api/v1/setup', {
      orgName: 'Вторая',
      orgSlug: 'second-clinic',
      name: 'Кто-то',
      email: 'someone@second.test',
      password: 'a-long-password',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'setup_done' } });
    expect((await client.get('/api/v1/setup')).body).toEqual({ needsSetup: false });
  });
});

describe('login, session, logout', () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await makeOrg(getApp());
  });

  it('signs in with email and password and sets httpOnly SameSite cookies', async () => {
    const client = new Client(getApp());
    const answer = await client.post('/api/v1/auth/login', {
      email: org.owner.email.toUpperCase(),
      password: org.owner.password,
    });
    expect(answer.status).toBe(200);
    const cookies = answer.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.startsWith('sg_session='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const csrf = cookies.find((cookie) => cookie.startsWith('sg_csrf='));
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(answer.body).toMatchObject({
      user: { email: org.owner.email },
      currentOrgId: org.orgId,
      role: 'owner',
      permissions: expect.arrayContaining(['logs.read', 'members.manage']),
    });
    expect(answer.body.csrfToken).toBe(client.csrfToken);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const wrong = await new Client(getApp()).post('/api/v1/auth/login', {
      email: org.owner.email,
      password: 'not-the-password',
    });
    const unknown = await new Client(getApp()).post('/api/v1/auth/login', {
      email: 'nobody@nowhere.test',
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ error: { code: 'invalid_credentials' } });
  });

  it('refuses /me without a session', async () => {
    const answer = await new Client(getApp()).get('/api/v1/me');
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('ends the session on logout', async () => {
    const client = await signIn(getApp(), org.owner.email, org.owner.password);
    const stolenCookie = client.cookies.get('sg_session');
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    const replay = new Client(getApp());
    replay.cookies.set('sg_session', stolenCookie ?? '');
    expect((await replay.get('/api/v1/me')).status).toBe(401);
  });

  it('ends a session after 7 days even when it is used every few hours', async () => {
    const client = await signIn(getApp(), org.owner.email, org.owner.password);
    // 15 × 11 h = 165 h: never idle for 12 h, still under 7 days (168 h).
    for (let step = 0; step < 15; step += 1) {
      getApp().clock.advance(11 * 60 * 60 * 1000);
      expect((await client.get('/api/v1/me')).status).toBe(200);
    }
    getApp().clock.advance(11 * 60 * 60 * 1000);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('expires an idle session after 12 hours', async () => {
    const client = await signIn(getApp(), org.owner.email, org.owner.password);
    getApp().clock.advance(13 * 60 * 60 * 1000);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });
});

describe('CSRF protection', () => {
  it('refuses a cookie-authenticated change without the CSRF header', async () => {
    const org = await makeOrg(getApp());
    const client = await signIn(getApp(), org.owner.email, org.owner.password);
    const refused = await client.post(
      '/api/v1/members',
      { email: 'new@clinic.test', name: 'Новый', role: 'auditor', password: 'long-password-1' },
      { withoutCsrf: true },
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'csrf_failed' } });
    const forged = await client.post(
      '/api/v1/members',
      { email: 'new@clinic.test', name: 'Новый', role: 'auditor', password: 'long-password-1' },
      { withoutCsrf: true, headers: { 'x-csrf-token': 'forged-token' } },
    );
    expect(forged.status).toBe(403);
    expect(
      (await client.post('/api/v1/auth/logout', undefined, { withoutCsrf: true })).status,
    ).toBe(403);
    const accepted = await client.post('/api/v1/members', {
      email: 'new@clinic.test',
      name: 'Новый',
      role: 'auditor',
      password: 'long-password-1',
    });
    expect(accepted.status).toBe(201);
  });

  it('refuses a cross-site Origin before looking at credentials', async () => {
    const org = await makeOrg(getApp());
    const client = await signIn(getApp(), org.owner.email, org.owner.password);
    const answer = await client.post('/api/v1/auth/logout', undefined, {
      headers: { origin: 'https://evil.example', host: 'localhost' },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: { code: 'csrf_failed' } });
  });
});

describe('login throttling', () => {
  it('locks an account after five failures, even for the right password, until the window passes', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const client = new Client(testApp);
    for (let attempt = 0; attempt < THROTTLE.perEmail; attempt += 1) {
      const answer = await client.post('/api/v1/auth/login', {
        email: org.owner.email,
        password: `wrong-${attempt}`,
      });
      expect(answer.status).toBe(401);
    }
    const locked = await client.post('/api/v1/auth/login', {
      email: org.owner.email,
      password: org.owner.password,
    });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: { code: 'too_many_attempts' } });
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(THROTTLE.windowMs / 1000);

    // Another account is not affected.
    const other = await makeOrg(testApp);
    expect((await signIn(testApp, other.owner.email, other.owner.password)).csrfToken).toBeTruthy();

    testApp.clock.advance(retryAfter * 1000);
    const after = await client.post('/api/v1/auth/login', {
      email: org.owner.email,
      password: org.owner.password,
    });
    expect(after.status).toBe(200);
  });
});

describe('password change', () => {
  it('needs the current password, then ends the other sessions', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const first = await signIn(testApp, org.owner.email, org.owner.password);
    const second = await signIn(testApp, org.owner.email, org.owner.password);
    const wrong = await first.post('/api/v1/auth/password', {
      currentPassword: 'not-it',
      newPassword: 'brand-new-password',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { fields: { currentPassword: expect.any(Array) } } });
    const short = await first.post('/api/v1/auth/password', {
      currentPassword: org.owner.password,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ error: { fields: { newPassword: expect.any(Array) } } });
    const changed = await first.post('/api/v1/auth/password', {
      currentPassword: org.owner.password,
      newPassword: 'brand-new-password',
    });
    expect(changed.status).toBe(204);
    expect((await first.get('/api/v1/me')).status).toBe(200);
    expect((await second.get('/api/v1/me')).status).toBe(401);
    await expect(signIn(testApp, org.owner.email, org.owner.password)).rejects.toThrow(/401/);
    await signIn(testApp, org.owner.email, 'brand-new-password');
  });
});

describe('organizations of one user', () => {
  it('switches between the user’s organizations and refuses a foreign one as not found', async () => {
    const testApp = getApp();
    const clinic = await makeOrg(testApp);
    const second = await makeOrg(testApp);
    const foreign = await makeOrg(testApp);
    // The same person is an auditor in the second clinic.
    const ownerCtx = await signIn(testApp, second.owner.email, second.owner.password);
    await ownerCtx.post('/api/v1/members', {
      email: clinic.owner.email,
      name: clinic.owner.name,
      role: 'auditor',
      password: 'ignored-for-existing-account',
    });
    const client = await signIn(testApp, clinic.owner.email, clinic.owner.password);
    const me = await client.get<{ memberships: { orgId: string }[] }>('/api/v1/me');
    expect(me.body.memberships.map((membership) => membership.orgId).sort()).toEqual(
      [clinic.orgId, second.orgId].sort(),
    );
    const switched = await client.post('/api/v1/auth/switch-org', { orgId: second.orgId });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ currentOrgId: second.orgId, role: 'auditor' });
    expect((await client.get('/api/v1/members')).status).toBe(200);
    expect((await client.post('/api/v1/tokens', { name: 'x', role: 'auditor' })).status).toBe(403);
    const refused = await client.post('/api/v1/auth/switch-org', { orgId: foreign.orgId });
    expect(refused.status).toBe(404);
    // The existing account kept its own password.
    await signIn(testApp, clinic.owner.email, clinic.owner.password);
  });

  it('saves the interface language', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const client = await signIn(testApp, org.owner.email, org.owner.password);
    const answer = await client.patch('/api/v1/me', { locale: 'en' });
    expect(answer.body).toMatchObject({ user: { locale: 'en' } });
    expect((await client.get('/api/v1/me')).body).toMatchObject({ user: { locale: 'en' } });
  });
});

describe('API tokens', () => {
  it('authenticates an integration by Bearer token, without CSRF, until revoked', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const issued = await owner.post<{ token: { id: string }; secret: string }>('/api/v1/tokens', {
      name: 'Сайт',
      role: 'admin',
    });
    expect(issued.status).toBe(201);
    expect(issued.body.secret).toMatch(/^sg_/);
    const listed = await owner.get<{ items: Record<string, unknown>[] }>('/api/v1/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.secret);

    const integration = bearerClient(testApp, issued.body.secret);
    const members = await integration.get('/api/v1/members');
    expect(members.status).toBe(200);
    const added = await integration.post('/api/v1/members', {
      email: 'via-token@clinic.test',
      name: 'Через токен',
      role: 'front_desk',
      password: 'long-password-2',
    });
    expect(added.status).toBe(201);
    const audit = await owner.get<{
      items: { action: string; actor: { type: string; label: string } }[];
    }>('/api/v1/audit-log?action=member.added');
    expect(audit.body.items[0]?.actor).toEqual({
      type: 'token',
      id: issued.body.token.id,
      label: 'Сайт',
    });

    expect((await owner.delete(`/api/v1/tokens/${issued.body.token.id}`)).status).toBe(204);
    const revoked = await integration.get('/api/v1/members');
    expect(revoked.status).toBe(401);
    expect((await bearerClient(testApp, 'sg_made-up').get('/api/v1/members')).status).toBe(401);
  });

  it('does not let an admin issue an owner token or a front desk manage tokens', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const admin = await makeMember(testApp, org.orgId, 'admin');
    const frontDesk = await makeMember(testApp, org.orgId, 'front_desk');
    const adminClient = await signIn(testApp, admin.email, admin.password);
    const ownerToken = await adminClient.post('/api/v1/tokens', { name: 'x', role: 'owner' });
    expect(ownerToken.status).toBe(403);
    const desk = await signIn(testApp, frontDesk.email, frontDesk.password);
    expect((await desk.get('/api/v1/tokens')).status).toBe(403);
  });

  it('stops honouring a token after its expiry', async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const expiresAt = new Date(testApp.clock.now().getTime() + 60 * 60 * 1000).toISOString();
    const issued = await owner.post<{ secret: string }>('/api/v1/tokens', {
      name: 'Короткий',
      role: 'auditor',
      expiresAt,
    });
    const integration = bearerClient(testApp, issued.body.secret);
    expect((await integration.get('/api/v1/audit-log')).status).toBe(200);
    testApp.clock.advance(2 * 60 * 60 * 1000);
    expect((await integration.get('/api/v1/audit-log')).status).toBe(401);
  });
});
