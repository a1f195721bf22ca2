import { createHmac } from 'node:crypto';
import {
  saveCallTrackingSettings,
  saveIntegration,
  saveNumber,
  savePool,
} from '../src/analytics/calls/numbers.service.ts';
import { genericSignature } from '../src/analytics/calls/telephony-adapters.ts';
import { systemCtx } from '../src/orgs/auth.service.ts';
import type { TestApp } from './app.ts';
import { makeOrg, type TestOrg } from './factories.ts';

export const CLINIC_NUMBER = '+74951234567';
export const VK_NUMBER = '+74957770001';
export const FALLBACK_NUMBER = '+74957770099';
export const POOL_NUMBERS = ['+74958880001', '+74958880002', '+74958880003'];
export const GENERIC_SECRET = 'generic-secret-0123456789';
export const MANGO_KEY = 'mango-api-key-1';
export const MANGO_SALT = 'mango-salt-0123456789';
export const ZADARMA_SECRET = 'zadarma-secret-0123456789';

export type CallOrg = TestOrg & {
  publicKey: string;
  poolId: string | null;
  integrations: { generic: string; mango: string; zadarma: string };
};

/**
 * An organization with call tracking set up: the clinic's number to replace, a static VK number,
 * optionally a dynamic pool (for `poolChannels`, every channel when empty), and one integration
 * of each provider.
 */
export async function makeCallOrg(
  testApp: TestApp,
  options: { pool?: { numbers: string[]; channels?: string[]; fallback?: string | null } } = {},
): Promise<CallOrg> {
  const org = await makeOrg(testApp);
  const ctx = {
    ...systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() }),
    publicUrl: testApp.deps.publicUrl,
  };
  const settings = await saveCallTrackingSettings(ctx, {
    replaceNumbers: [CLINIC_NUMBER],
    replaceSelector: null,
  });
  await saveNumber(ctx, null, {
    number: VK_NUMBER,
    provider: 'generic',
    kind: 'static',
    channel: 'vk',
    label: 'ВКонтакте',
    hosts: [],
    isActive: true,
  });
  let poolId: string | null = null;
  if (options.pool) {
    const pool = await savePool(ctx, null, {
      name: 'Сайт',
      hosts: [],
      channels: options.pool.channels ?? [],
      holdSeconds: 60,
      quarantineSeconds: 300,
      fallbackNumber: options.pool.fallback ?? null,
      isActive: true,
    });
    poolId = pool.id;
    for (const number of options.pool.numbers) {
      await saveNumber(ctx, null, {
        number,
        provider: 'generic',
        kind: 'dynamic',
        poolId,
        hosts: [],
        isActive: true,
      });
    }
  }
  const generic = await saveIntegration(ctx, null, {
    provider: 'generic',
    name: 'АТС',
    secret: GENERIC_SECRET,
    isActive: true,
  });
  const mango = await saveIntegration(ctx, null, {
    provider: 'mango',
    name: 'Манго',
    apiKey: MANGO_KEY,
    secret: MANGO_SALT,
    isActive: true,
  });
  const zadarma = await saveIntegration(ctx, null, {
    provider: 'zadarma',
    name: 'Zadarma',
    secret: ZADARMA_SECRET,
    isActive: true,
  });
  return {
    ...org,
    publicKey: settings.publicKey,
    poolId,
    integrations: { generic: generic.id, mango: mango.id, zadarma: zadarma.id },
  };
}

export type GenericEvent = {
  id: string;
  callId: string;
  type: 'start' | 'answer' | 'end' | 'recording';
  at: string;
  callerNumber?: string;
  calledNumber?: string;
  durationSeconds?: number;
  talkSeconds?: number;
  status?: 'answered' | 'missed';
  manager?: string;
  recordingUrl?: string;
};

/** A signed request of the generic webhook format. */
export function signedGeneric(
  events: GenericEvent[],
  secret = GENERIC_SECRET,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ events });
  return {
    body,
    headers: { 'content-type': 'application/json', 'x-signature': genericSignature(secret, body) },
  };
}

export function zadarmaSigned(
  fields: Record<string, string>,
  signed: string[],
  secret = ZADARMA_SECRET,
): { body: string; headers: Record<string, string> } {
  const data = signed.map((name) => fields[name] ?? '').join('');
  const signature = Buffer.from(createHmac('sha1', secret).update(data).digest('hex')).toString(
    'base64',
  );
  return {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', signature },
  };
}
