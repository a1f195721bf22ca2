import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeOrg, type TestOrg } from '../../test/factories.ts';
import { Client, signIn } from '../../test/http.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { CHALLENGE_MAX_ATTEMPTS, CHALLENGE_TTL_MS } from './auth.service.ts';
import { totpCodeAt } from './totp.ts';

const getApp = setupTestApp();
const STEP_MS = 30_000;

type Setup = { secret: string; otpauthUri: string; qrSvg: string };
type Challenge = { twoFactor: string; challenge: string; expiresAt: string };

/** Turns the second factor on for the org's owner; returns the secret and recovery codes. */
async function enableFor(org: TestOrg): Promise<{ secret: string; recoveryCodes: string[] }> {
  const testApp = getApp();
  const client = await signIn(testApp, org.owner.email, org.owner.password);
  const setup = await client.post<Setup>('/api/v1/me/two-factor/setup', {
    password: org.owner.password,
  });
  expect(setup.status).toBe(200);
  testApp.clock.advance(STEP_MS);
  const confirmed = await client.post<{ recoveryCodes: string[] }>(
    '/api/v1/me/two-factor/confirm',
    { code: totpCodeAt(setup.body.secret, testApp.deps.now()) },
  );
  expect(confirmed.status).toBe(200);
  testApp.clock.advance(STEP_MS);
  return { secret: setup.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
}

async function passwordStep(org: TestOrg): Promise<{ client: Client; challenge: string }> {
  const client = new Client(getApp());
  const answer = await client.post<Challenge>('/api/v1/auth/login', {
    email: org.owner.email,
    password: org.owner.password,
  });
  expect(answer.status).toBe(202);
  expect(answer.body.twoFactor).toBe('required');
  // No session before the second factor.
  expect(client.cookies.has('sg_session')).toBe(false);
  expect((await client.get('/api/v1/me')).status).toBe(401);
  return { client, challenge: answer.body.challenge };
}

describe('two-factor sign-in (TOTP)', () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await makeOrg(getApp());
  });

  it('is set up with the password, a QR code and a confirming code; the secret is sealed', async () => {
    const testApp = getApp();
    const client = await signIn(testApp, org.owner.email, org.owner.password);
    expect((await client.get('/api/v1/me/two-factor')).body).toEqual({
      enabled: false,
      enabledAt: null,
      recoveryCodesLeft: 0,
    });
    const wrongPassword = await client.post('/api/v1/me/two-factor/setup', { password: 'nope' });
    expect(wrongPassword.status).toBe(400);
    const setup = await client.post<Setup>('/api/v1/me/two-factor/setup', {
      password: org.owner.password,
    });
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Soglasie:/);
    expect(setup.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const wrong = await client.post('/api/v1/me/two-factor/confirm', { code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { fields: { code: [expect.any(String)] } } });
    const confirmed = await client.post<{ recoveryCodes: string[] }>(
      '/api/v1/me/two-factor/confirm',
      { code: totpCodeAt(setup.body.secret, testApp.deps.now()) },
    );
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    const status = await client.get('/api/v1/me/two-factor');
    expect(status.body).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect(
      (await client.get<{ user: { twoFactor: boolean } }>('/api/v1/me')).body.user.twoFactor,
    ).toBe(true);
    const [row] = await withTx(testApp.db, { orgId: null }, (tx) =>
      tx.query<{ totp_secret_enc: Uint8Array }>(
        sql`SELECT totp_secret_enc FROM users WHERE id = ${org.owner.userId}`,
      ),
    );
    expect(Buffer.from(row?.totp_secret_enc ?? []).toString('latin1')).not.toContain(
      setup.body.secret,
    );
    // Turning it off again needs the password and a code.
    testApp.clock.advance(STEP_MS);
    const off = await client.post('/api/v1/me/two-factor/disable', {
      password: org.owner.password,
      code: totpCodeAt(setup.body.secret, testApp.deps.now()),
    });
    expect(off.status).toBe(204);
    expect(
      (await signIn(testApp, org.owner.email, org.owner.password)).cookies.size,
    ).toBeGreaterThan(0);
  });

  it('asks for a code after the password, accepts it once, and refuses a replay', async () => {
    const testApp = getApp();
    const { secret } = await enableFor(org);
    const { client, challenge } = await passwordStep(org);
    const code = totpCodeAt(secret, testApp.deps.now());
    const wrong = await client.post('/api/v1/auth/login/two-factor', { challenge, code: '123456' });
    expect(wrong.status).toBe(401);
    const ok = await client.post('/api/v1/auth/login/two-factor', { challenge, code });
    expect(ok.status).toBe(200);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    // The same code in a second sign-in within its window: refused.
    const second = await passwordStep(org);
    const replay = await second.client.post('/api/v1/auth/login/two-factor', {
      challenge: second.challenge,
      code,
    });
    expect(replay.status).toBe(401);
    // A challenge is spent once it succeeded.
    testApp.clock.advance(STEP_MS);
    const reuse = await client.post('/api/v1/auth/login/two-factor', {
      challenge,
      code: totpCodeAt(secret, testApp.deps.now()),
    });
    expect(reuse.status).toBe(401);
  });

  it('takes each recovery code once instead of the app', async () => {
    const testApp = getApp();
    const other = await makeOrg(testApp);
    const { recoveryCodes } = await enableFor(other);
    const recovery = recoveryCodes[0] ?? '';
    const first = await passwordStep(other);
    const ok = await first.client.post('/api/v1/auth/login/two-factor', {
      challenge: first.challenge,
      code: recovery.toLowerCase(),
    });
    expect(ok.status).toBe(200);
    const status = await first.client.get('/api/v1/me/two-factor');
    expect(status.body).toMatchObject({ recoveryCodesLeft: 9 });
    const again = await passwordStep(other);
    const spent = await again.client.post('/api/v1/auth/login/two-factor', {
      challenge: again.challenge,
      code: recovery,
    });
    expect(spent.status).toBe(401);
  });

  it('lets a challenge try five codes and expire after five minutes', async () => {
    const testApp = getApp();
    const third = await makeOrg(testApp);
    const { secret } = await enableFor(third);
    const { client, challenge } = await passwordStep(third);
    for (let i = 0; i < CHALLENGE_MAX_ATTEMPTS; i += 1) {
      const wrong = await client.post('/api/v1/auth/login/two-factor', {
        challenge,
        code: '000000',
      });
      expect(wrong.status).toBe(401);
    }
    const locked = await client.post('/api/v1/auth/login/two-factor', {
      challenge,
      code: totpCodeAt(secret, testApp.deps.now()),
    });
    expect(locked.status).toBe(429);
    // The five failures count against the account: the password step is throttled too.
    const throttled = await new Client(testApp).post('/api/v1/auth/login', {
      email: third.owner.email,
      password: third.owner.password,
    });
    expect(throttled.status).toBe(429);
    testApp.clock.advance(16 * 60_000);
    const late = await passwordStep(third);
    testApp.clock.advance(CHALLENGE_TTL_MS + 1000);
    const expired = await late.client.post('/api/v1/auth/login/two-factor', {
      challenge: late.challenge,
      code: totpCodeAt(secret, testApp.deps.now()),
    });
    expect(expired.status).toBe(401);
  });

  it('refuses malformed second steps with field errors', async () => {
    const answer = await new Client(getApp()).post('/api/v1/auth/login/two-factor', {
      challenge: 'short',
      code: '',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: { fields: { challenge: [expect.any(String)], code: [expect.any(String)] } },
    });
  });
});
