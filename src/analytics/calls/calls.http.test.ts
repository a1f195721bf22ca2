import { describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';
import {
  CLINIC_NUMBER,
  FALLBACK_NUMBER,
  type GenericEvent,
  MANGO_KEY,
  MANGO_SALT,
  makeCallOrg,
  POOL_NUMBERS,
  signedGeneric,
  VK_NUMBER,
  zadarmaSigned,
} from '../../../test/call-factories.ts';
import { makeMember } from '../../../test/factories.ts';
import { signIn } from '../../../test/http.ts';
import { sql } from '../../platform/db/sql.ts';
import { mangoSign } from './telephony-adapters.ts';

const app = setupTestApp();

type Lease = { number: string | null; kind: string; leaseId: string | null; channel: string };

async function lease(
  testApp: TestApp,
  body: Record<string, unknown>,
  userAgent = 'Mozilla/5.0 visitor-a',
): Promise<{ status: number; body: Lease & { error?: { code: string } } }> {
  const response = await testApp.app.request('/t/calls/lease', {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': userAgent },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Lease & { error?: { code: string } },
  };
}

async function post(
  testApp: TestApp,
  path: string,
  request: { body: string; headers: Record<string, string> },
): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string } } }> {
  const response = await testApp.app.request(path, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

async function storedCounts(testApp: TestApp, orgId: string) {
  const [row] = await testApp.db.query<{
    calls: number;
    events: number;
    contacts: number;
    leads: number;
  }>(sql`
    SELECT (SELECT count(*)::int FROM calls WHERE org_id = ${orgId}) AS calls,
      (SELECT count(*)::int FROM call_events WHERE org_id = ${orgId}) AS events,
      (SELECT count(*)::int FROM contacts WHERE org_id = ${orgId}) AS contacts,
      (SELECT count(*)::int FROM leads WHERE org_id = ${orgId}) AS leads`);
  return row;
}

describe('number substitution (public lease endpoint)', () => {
  it('gives a visit from utm_source=vk the VK static number and others nothing to replace', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp);
    const vk = await lease(testApp, {
      key: org.publicKey,
      url: 'https://clinic.test/?utm_source=vk',
      utm_source: 'vk',
    });
    expect(vk.status).toBe(200);
    expect(vk.body).toMatchObject({ number: VK_NUMBER, kind: 'static', leaseId: null });
    expect((vk.body as unknown as { replaceNumbers: string[] }).replaceNumbers).toEqual([
      CLINIC_NUMBER,
    ]);
    const direct = await lease(testApp, { key: org.publicKey, url: 'https://clinic.test/' });
    expect(direct.body).toMatchObject({ number: null, kind: 'none', channel: 'direct' });
  });

  it('leases two concurrent visitors different numbers and keeps a visit’s number on its next page', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp, { pool: { numbers: POOL_NUMBERS } });
    const [first, second] = await Promise.all([
      lease(testApp, { key: org.publicKey, utm_source: 'yandex', utm_medium: 'cpc' }, 'UA first'),
      lease(testApp, { key: org.publicKey, utm_source: 'vk', utm_medium: 'cpc' }, 'UA second'),
    ]);
    expect(first.body.kind).toBe('dynamic');
    expect(second.body.kind).toBe('dynamic');
    expect(first.body.number).not.toBe(second.body.number);
    expect(POOL_NUMBERS).toContain(first.body.number);
    // The same visitor on another page (no campaign in the address) keeps its number.
    const again = await lease(
      testApp,
      { key: org.publicKey, url: 'https://clinic.test/prices' },
      'UA first',
    );
    expect(again.body).toMatchObject({ number: first.body.number, leaseId: first.body.leaseId });
    // A heartbeat renews the lease it names.
    testApp.clock.advance(30_000);
    const beat = await lease(
      testApp,
      { key: org.publicKey, leaseId: first.body.leaseId },
      'UA first',
    );
    expect(beat.body).toMatchObject({ number: first.body.number, leaseId: first.body.leaseId });
  });

  it('reuses a number only after its quarantine, and the lease history still attributes each call to its own visit', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp, { pool: { numbers: [POOL_NUMBERS[0] as string] } });
    const firstAt = testApp.clock.now();
    const first = await lease(
      testApp,
      { key: org.publicKey, utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'implants' },
      'UA one',
    );
    expect(first.body.number).toBe(POOL_NUMBERS[0]);
    // Hold 60 s after the last heartbeat, quarantine 300 s: busy for 359 s, free at 360 s.
    testApp.clock.advance(359_000);
    const tooEarly = await lease(testApp, { key: org.publicKey, utm_source: 'vk' }, 'UA two');
    expect(tooEarly.body.kind).toBe('fallback');
    expect(tooEarly.body.number).toBe(VK_NUMBER);
    testApp.clock.advance(2_000);
    const second = await lease(
      testApp,
      { key: org.publicKey, utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'crowns' },
      'UA three',
    );
    expect(second.body).toMatchObject({ number: POOL_NUMBERS[0], kind: 'dynamic' });
    expect(second.body.leaseId).not.toBe(first.body.leaseId);

    // A call that began during the first visit's lease belongs to it, even though the number
    // has since been leased again; a call now belongs to the second visit.
    const earlyCall = new Date(firstAt.getTime() + 20_000).toISOString();
    const nowCall = testApp.clock.now().toISOString();
    const events: GenericEvent[] = [
      {
        id: 'e1',
        callId: 'c1',
        type: 'start',
        at: earlyCall,
        callerNumber: '+79161110001',
        calledNumber: POOL_NUMBERS[0] as string,
      },
      {
        id: 'e2',
        callId: 'c2',
        type: 'start',
        at: nowCall,
        callerNumber: '+79161110002',
        calledNumber: POOL_NUMBERS[0] as string,
      },
    ];
    const answer = await post(
      testApp,
      `/hooks/calls/generic/${org.integrations.generic}`,
      signedGeneric(events),
    );
    expect(answer.status).toBe(200);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const calls = await owner.get<{
      items: Array<{ channel: string; campaign: string | null; matchKind: string }>;
    }>('/api/v1/calls?pageSize=10');
    const byCampaign = calls.body.items.map((call) => [
      call.matchKind,
      call.channel,
      call.campaign,
    ]);
    expect(byCampaign).toEqual(
      expect.arrayContaining([
        ['dynamic', 'yandex_direct', 'implants'],
        ['dynamic', 'google_ads', 'crowns'],
      ]),
    );
  });

  it('falls back to the channel’s static number, then the pool’s, when the pool is exhausted, and warns once', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp, {
      pool: { numbers: [POOL_NUMBERS[0] as string], fallback: FALLBACK_NUMBER },
    });
    const held = await lease(
      testApp,
      { key: org.publicKey, utm_source: 'yandex', utm_medium: 'cpc' },
      'UA 1',
    );
    expect(held.body.kind).toBe('dynamic');
    const vk = await lease(testApp, { key: org.publicKey, utm_source: 'vk' }, 'UA 2');
    expect(vk.body).toMatchObject({ number: VK_NUMBER, kind: 'fallback', leaseId: null });
    const other = await lease(
      testApp,
      { key: org.publicKey, utm_source: 'google', utm_medium: 'cpc' },
      'UA 3',
    );
    expect(other.body).toMatchObject({ number: FALLBACK_NUMBER, kind: 'fallback' });

    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const pools = await owner.get<{
      items: Array<{
        advice: { exhaustedLast24h: number; isShort: boolean; recommendedNumbers: number };
      }>;
    }>('/api/v1/call-tracking/pools');
    expect(pools.body.items[0]?.advice).toMatchObject({ exhaustedLast24h: 2, isShort: true });
    const tasks = await owner.get<{ items: Array<{ kind: string }> }>('/api/v1/tasks');
    expect(tasks.body.items.filter((task) => task.kind === 'calls.pool_exhausted')).toHaveLength(1);
  });

  it('refuses a malformed lease request with field errors and an unknown key with 404', async () => {
    const testApp = app();
    const bad = await lease(testApp, { key: 'short', leaseId: 'not-a-uuid' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('validation_failed');
    const unknown = await lease(testApp, { key: 'k'.repeat(24) });
    expect(unknown.status).toBe(404);
    const broken = await testApp.app.request('/t/calls/lease', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{not json',
    });
    expect(broken.status).toBe(400);
  });
});

describe('telephony webhooks', () => {
  it('matches a call, makes the first-time caller a contact and a lead, and ignores a replay', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp);
    const at = testApp.clock.now().toISOString();
    const events: GenericEvent[] = [
      {
        id: 'a1',
        callId: 'call-1',
        type: 'start',
        at,
        callerNumber: '8 (916) 222-33-44',
        calledNumber: VK_NUMBER,
      },
    ];
    const request = signedGeneric(events);
    const first = await post(testApp, `/hooks/calls/generic/${org.integrations.generic}`, request);
    expect(first.body).toEqual({ accepted: 1, duplicates: 0, ignored: 0 });
    const before = await storedCounts(testApp, org.orgId);
    const replay = await post(testApp, `/hooks/calls/generic/${org.integrations.generic}`, request);
    expect(replay.body).toEqual({ accepted: 0, duplicates: 1, ignored: 0 });
    expect(await storedCounts(testApp, org.orgId)).toEqual(before);
    expect(before).toMatchObject({ calls: 1, events: 1, contacts: 1, leads: 1 });

    const [lead] = await testApp.db.query<{ source: string }>(
      sql`SELECT source FROM leads WHERE org_id = ${org.orgId}`,
    );
    expect(lead?.source).toBe('vk');
    // The caller's number is stored only sealed and as a keyed index (R-L6 / PII at rest).
    const [call] = await testApp.db.query<{ caller_enc: Uint8Array; caller_index: string }>(
      sql`SELECT caller_enc, caller_index FROM calls WHERE org_id = ${org.orgId}`,
    );
    expect(Buffer.from(call?.caller_enc ?? []).toString('latin1')).not.toContain('9162223344');
    expect(call?.caller_index).not.toContain('9162223344');

    // A second call from the same person is the same contact, not a new lead.
    const repeat = signedGeneric([
      {
        id: 'b1',
        callId: 'call-2',
        type: 'start',
        at,
        callerNumber: '+79162223344',
        calledNumber: CLINIC_NUMBER,
      },
    ]);
    await post(testApp, `/hooks/calls/generic/${org.integrations.generic}`, repeat);
    expect(await storedCounts(testApp, org.orgId)).toMatchObject({
      calls: 2,
      contacts: 1,
      leads: 1,
    });
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const unknown = await owner.get<{ items: Array<{ channel: string; matchKind: string }> }>(
      '/api/v1/calls?match=unknown',
    );
    expect(unknown.body.items).toEqual([expect.objectContaining({ channel: 'unknown' })]);
  });

  it('ends in the same state whatever order the events arrive in, and a late answer closes the call-back task', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp);
    const t0 = testApp.clock.now().getTime();
    const iso = (offset: number) => new Date(t0 + offset * 1000).toISOString();
    const make = (callId: string): GenericEvent[] => [
      {
        id: `${callId}-s`,
        callId,
        type: 'start',
        at: iso(0),
        callerNumber: '+79163334455',
        calledNumber: VK_NUMBER,
      },
      { id: `${callId}-a`, callId, type: 'answer', at: iso(8), manager: '101' },
      {
        id: `${callId}-e`,
        callId,
        type: 'end',
        at: iso(68),
        durationSeconds: 68,
        talkSeconds: 60,
        status: 'answered',
      },
    ];
    const hook = `/hooks/calls/generic/${org.integrations.generic}`;
    for (const event of make('in-order')) await post(testApp, hook, signedGeneric([event]));
    for (const event of make('reversed').reverse())
      await post(testApp, hook, signedGeneric([event]));
    // A call reported missed, then answered after all (the answer event came late).
    await post(
      testApp,
      hook,
      signedGeneric([
        {
          id: 'late-s',
          callId: 'late',
          type: 'start',
          at: iso(0),
          callerNumber: '+79163334456',
          calledNumber: VK_NUMBER,
        },
        {
          id: 'late-e',
          callId: 'late',
          type: 'end',
          at: iso(30),
          durationSeconds: 30,
          talkSeconds: 0,
          status: 'missed',
        },
      ]),
    );
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const missed = await owner.get<{ items: Array<{ id: string; callbackTaskId: string | null }> }>(
      '/api/v1/calls?status=missed',
    );
    expect(missed.body.items).toHaveLength(1);
    expect(missed.body.items[0]?.callbackTaskId).not.toBeNull();
    await post(
      testApp,
      hook,
      signedGeneric([{ id: 'late-a', callId: 'late', type: 'answer', at: iso(5), manager: '102' }]),
    );

    const rows = await testApp.db.query<Record<string, unknown>>(sql`
      SELECT external_id, status, started_at, answered_at, ended_at, talk_seconds, manager, channel
      FROM calls WHERE org_id = ${org.orgId} AND external_id <> 'late' ORDER BY external_id`);
    const [inOrder, outOfOrder] = rows.map(({ external_id: _id, ...rest }) => rest);
    expect(inOrder).toMatchObject({
      status: 'answered',
      manager: '101',
      channel: 'vk',
      talk_seconds: 60,
    });
    expect(outOfOrder).toEqual(inOrder);
    const stillMissed = await owner.get<{ items: unknown[] }>('/api/v1/calls?status=missed');
    expect(stillMissed.body.items).toHaveLength(0);
    const tasks = await owner.get<{ items: Array<{ kind: string; status: string }> }>(
      '/api/v1/tasks',
    );
    expect(tasks.body.items.filter((task) => task.kind === 'calls.callback')).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
  });

  it('refuses a bad signature, malformed and huge bodies with 4xx codes and stores nothing', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp);
    const hook = `/hooks/calls/generic/${org.integrations.generic}`;
    const at = testApp.clock.now().toISOString();
    const event: GenericEvent = {
      id: 'x1',
      callId: 'x',
      type: 'start',
      at,
      callerNumber: '+79160000001',
      calledNumber: VK_NUMBER,
    };
    const wrong = signedGeneric([event], 'another-secret-000');
    const cases: Array<
      [string, { body: string; headers: Record<string, string> }, number, string]
    > = [
      ['bad signature', wrong, 401, 'signature_invalid'],
      [
        'no signature',
        { body: signedGeneric([event]).body, headers: { 'content-type': 'application/json' } },
        401,
        'signature_invalid',
      ],
      [
        'malformed JSON',
        { body: '{"events": [', headers: { 'content-type': 'application/json' } },
        400,
        'invalid_json',
      ],
      [
        'wrong shape',
        signedGeneric([{ ...event, type: 'hangup' as 'end' }]),
        400,
        'validation_failed',
      ],
      [
        'unknown field',
        {
          body: JSON.stringify({ events: [event], extra: 1 }),
          headers: { 'content-type': 'application/json' },
        },
        400,
        'validation_failed',
      ],
      [
        'huge',
        signedGeneric(
          Array.from({ length: 90 }, (_, index) => ({
            ...event,
            id: `h${index}`,
            recordingUrl: `https://rec.test/${'a'.repeat(1500)}`,
          })),
        ),
        413,
        'payload_too_large',
      ],
      [
        'empty',
        { body: '', headers: { 'content-type': 'application/json' } },
        400,
        'validation_failed',
      ],
    ];
    for (const [name, request, status, code] of cases) {
      const answer = await post(testApp, hook, request);
      expect({ name, status: answer.status, code: answer.body.error?.code }).toEqual({
        name,
        status,
        code,
      });
    }
    const unknownIntegration = await post(
      testApp,
      `/hooks/calls/generic/${org.orgId}`,
      signedGeneric([event]),
    );
    expect(unknownIntegration.status).toBe(404);
    const notUuid = await post(testApp, '/hooks/calls/generic/nope', signedGeneric([event]));
    expect(notUuid.status).toBe(400);
    expect(await storedCounts(testApp, org.orgId)).toEqual({
      calls: 0,
      events: 0,
      contacts: 0,
      leads: 0,
    });
  });

  it('reads Mango Office events signed sha256(api_key + json + api_salt), opens a call-back task for a missed call and keeps the recording behind the access log', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp);
    const base = `/hooks/calls/mango/${org.integrations.mango}/events`;
    const form = (json: unknown, salt = MANGO_SALT) => {
      const text = JSON.stringify(json);
      return {
        body: new URLSearchParams({
          vpbx_api_key: MANGO_KEY,
          sign: mangoSign(MANGO_KEY, text, salt),
          json: text,
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      };
    };
    const now = Math.floor(testApp.clock.now().getTime() / 1000);
    const appeared = {
      entry_id: 'MTox',
      call_id: 'MToxOjE=',
      timestamp: now,
      seq: 1,
      call_state: 'Appeared',
      location: 'ivr',
      from: { number: '79165556677' },
      to: { line_number: VK_NUMBER.slice(1) },
    };
    const bad = await post(testApp, `${base}/call`, form(appeared, 'wrong-salt-000'));
    expect(bad).toMatchObject({ status: 401, body: { error: { code: 'signature_invalid' } } });
    expect(await storedCounts(testApp, org.orgId)).toMatchObject({ calls: 0, contacts: 0 });

    expect((await post(testApp, `${base}/call`, form(appeared))).body).toEqual({
      accepted: 1,
      duplicates: 0,
      ignored: 0,
    });
    const summary = {
      entry_id: 'MTox',
      call_direction: 1,
      from: { number: '79165556677' },
      to: { extension: '' },
      line_number: VK_NUMBER.slice(1),
      create_time: now,
      forward_time: 0,
      talk_time: 0,
      end_time: now + 25,
      entry_result: 0,
      disconnect_reason: 1110,
    };
    expect((await post(testApp, `${base}/summary`, form(summary))).body).toMatchObject({
      accepted: 1,
    });
    const recording = {
      entry_id: 'MTox',
      recording_id: 'rec-42',
      recording_state: 'Completed',
      seq: 3,
      timestamp: now + 30,
    };
    await post(testApp, `${base}/recording`, form(recording));
    const dtmf = await post(testApp, `${base}/dtmf`, form({ entry_id: 'MTox' }));
    expect(dtmf.body).toEqual({ accepted: 0, duplicates: 0, ignored: 1 });
    const malformed = await post(testApp, `${base}/summary`, form({ entry_id: 'MTox' }));
    expect(malformed).toMatchObject({
      status: 400,
      body: { error: { code: 'validation_failed' } },
    });
    const notForm = await post(testApp, `${base}/call`, {
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(notForm.status).toBe(415);

    const frontDesk = await makeMember(testApp, org.orgId, 'front_desk');
    const desk = await signIn(testApp, frontDesk.email, frontDesk.password);
    const missed = await desk.get<{
      items: Array<{
        id: string;
        status: string;
        channel: string;
        durationSeconds: number;
        callbackTaskId: string | null;
        hasRecording: boolean;
        contact: { phone: string } | null;
      }>;
    }>('/api/v1/calls?status=missed');
    const call = missed.body.items[0];
    expect(call).toMatchObject({
      status: 'missed',
      channel: 'vk',
      durationSeconds: 25,
      hasRecording: true,
    });
    expect(call?.contact?.phone).toBe('+79165556677');
    expect(call?.callbackTaskId).not.toBeNull();
    const opened = await desk.get<{ url: string }>(`/api/v1/calls/${call?.id}/recording`);
    expect(opened.body.url).toBe('mango:rec-42');
    const [logged] = await testApp.db.query<{ fields: string[] }>(sql`
      SELECT fields FROM access_log WHERE org_id = ${org.orgId} AND reason = 'recording'`);
    expect(logged?.fields).toEqual(['call_recording']);

    // The marketer sees the call and its channel, never the caller or the recording (R-C5).
    const marketer = await makeMember(testApp, org.orgId, 'marketer');
    const analyst = await signIn(testApp, marketer.email, marketer.password);
    const seen = await analyst.get<{ items: Array<{ contact: unknown; channel: string }> }>(
      '/api/v1/calls',
    );
    expect(seen.body.items[0]).toMatchObject({ contact: null, channel: 'vk' });
    expect(JSON.stringify(seen.body)).not.toContain('9165556677');
    expect((await analyst.get(`/api/v1/calls/${call?.id}/recording`)).status).toBe(403);
  });

  it('reads Zadarma notifications signed base64(HMAC-SHA1) and refuses a forged one', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp);
    const hook = `/hooks/calls/zadarma/${org.integrations.zadarma}`;
    const echo = await testApp.app.request(`${hook}?zd_echo=abc123`);
    expect(await echo.text()).toBe('abc123');
    const start = {
      event: 'NOTIFY_START',
      call_start: '2026-03-02 12:00:05',
      pbx_call_id: 'in_42',
      caller_id: '79167778899',
      called_did: VK_NUMBER.slice(1),
    };
    const signed = ['caller_id', 'called_did', 'call_start'];
    const forged = zadarmaSigned(start, signed, 'not-the-secret-00');
    expect((await post(testApp, hook, forged)).status).toBe(401);
    expect((await post(testApp, hook, zadarmaSigned(start, signed))).body).toMatchObject({
      accepted: 1,
    });
    const end = {
      ...start,
      event: 'NOTIFY_END',
      duration: '42',
      disposition: 'answered',
      internal: '102',
      status_code: '16',
      is_recorded: '0',
    };
    expect((await post(testApp, hook, zadarmaSigned(end, signed))).body).toMatchObject({
      accepted: 1,
    });
    const [call] = await testApp.db.query<{
      status: string;
      talk_seconds: number;
      manager: string;
      started_at: Date;
      channel: string;
    }>(sql`
      SELECT status, talk_seconds, manager, started_at, channel FROM calls WHERE org_id = ${org.orgId}`);
    expect(call).toMatchObject({
      status: 'answered',
      talk_seconds: 42,
      manager: '102',
      channel: 'vk',
    });
    expect(call?.started_at.toISOString()).toBe('2026-03-02T09:00:05.000Z');
  });

  it('records consent given on a call with its recording and script version, and reports calls per channel', async () => {
    const testApp = app();
    const org = await makeCallOrg(testApp);
    const { saveProfile } = await import('../../purposes/purposes.service.ts');
    const { createPurpose } = await import('../../purposes/purposes.service.ts');
    const { TEST_PROFILE, ADVERTISING_PURPOSE } = await import(
      '../../../test/capture-factories.ts'
    );
    const { systemCtx } = await import('../../orgs/auth.service.ts');
    const ctx = {
      ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
      publicUrl: testApp.deps.publicUrl,
    };
    await saveProfile(ctx, TEST_PROFILE);
    const purpose = await createPurpose(ctx, ADVERTISING_PURPOSE);
    const at = testApp.clock.now().toISOString();
    await post(
      testApp,
      `/hooks/calls/generic/${org.integrations.generic}`,
      signedGeneric([
        {
          id: 'r1',
          callId: 'rc',
          type: 'start',
          at,
          callerNumber: '+79160001122',
          calledNumber: VK_NUMBER,
        },
        {
          id: 'r2',
          callId: 'rc',
          type: 'recording',
          at,
          recordingUrl: 'https://pbx.test/rec/rc.mp3',
        },
        {
          id: 'r3',
          callId: 'rc',
          type: 'end',
          at,
          durationSeconds: 90,
          talkSeconds: 80,
          status: 'answered',
        },
      ]),
    );
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const calls = await owner.get<{ items: Array<{ id: string; contact: { id: string } }> }>(
      '/api/v1/calls',
    );
    const call = calls.body.items[0];
    const consent = await owner.post<{ entryId: string }>(`/api/v1/calls/${call?.id}/consent`, {
      purposeCode: purpose.code,
      scriptVersion: 'script-2026-03',
    });
    expect(consent.status).toBe(201);
    const journal = await owner.get<{
      items: Array<{
        id: string;
        channel: string;
        evidence: { recordingRef: string; scriptVersion: string } | null;
      }>;
    }>(`/api/v1/contacts/${call?.contact.id}/consents`);
    const entry = journal.body.items?.find((item) => item.id === consent.body.entryId);
    if (entry) {
      expect(entry.channel).toBe('phone');
    }
    const [stored] = await testApp.db.query<{ channel: string }>(sql`
      SELECT channel FROM consent_journal WHERE id = ${consent.body.entryId}`);
    expect(stored?.channel).toBe('phone');

    const review = await owner.call('PUT', `/api/v1/calls/${call?.id}/quality`, {
      body: { score: 80, checklist: { greeting: true, offer: false }, note: 'Не предложил запись' },
    });
    expect(review.body).toMatchObject({
      quality: { score: 80, checklist: { greeting: true, offer: false } },
    });

    const report = await owner.get<{
      rows: Array<{ channel: string; calls: number; answered: number; firstTime: number }>;
    }>('/api/v1/calls/report');
    expect(report.body.rows).toEqual([
      expect.objectContaining({ channel: 'vk', calls: 1, answered: 1, firstTime: 1 }),
    ]);
  });
});
