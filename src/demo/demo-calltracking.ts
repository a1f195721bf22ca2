import {
  type CallEvent,
  genericEvents,
  receiveCallWebhook,
} from '../analytics/calls/calls.service.ts';
import { leaseNumber } from '../analytics/calls/leases.service.ts';
import {
  saveCallTrackingSettings,
  saveIntegration,
  saveNumber,
  savePool,
} from '../analytics/calls/numbers.service.ts';
import type { Ctx } from '../platform/context.ts';

const CLINIC_NUMBER = '+74951234567';
const STATIC_NUMBERS = [
  { number: '+74957770001', channel: 'vk', label: 'ВКонтакте' },
  { number: '+74957770002', channel: 'maps', label: 'Яндекс Карты и 2ГИС' },
  { number: '+74957770003', channel: 'telegram', label: 'Telegram-канал' },
];
const POOL_NUMBERS = ['+74958880001', '+74958880002', '+74958880003', '+74958880004'];
const CAMPAIGNS = [
  {
    utm_source: 'yandex',
    utm_medium: 'cpc',
    utm_campaign: 'implants',
    utm_term: 'имплантация зубов',
  },
  { utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'whitening', utm_term: 'отбеливание' },
  {
    utm_source: 'google',
    utm_medium: 'cpc',
    utm_campaign: 'implants',
    utm_term: 'dental implants',
  },
  { utm_source: 'vk', utm_medium: 'cpc', utm_campaign: 'checkup' },
];
const DAY_MS = 86_400_000;
const CALLS = 140;

/** A small deterministic generator, so every demo has the same story. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/**
 * Call tracking of the demo clinic: the snippet replacing the clinic's number, static numbers
 * for VK, maps and Telegram, a pool of four dynamic numbers for paid search, a PBX integration,
 * and six months of calls — visits leased a number from the pool and called it, others called a
 * static number or the clinic's own (unknown source); some missed calls in the last days wait
 * for a call-back.
 */
export async function seedDemoCallTracking(ctx: Ctx): Promise<void> {
  const settings = await saveCallTrackingSettings(ctx, {
    replaceNumbers: [CLINIC_NUMBER],
    replaceSelector: null,
  });
  for (const row of STATIC_NUMBERS) {
    await saveNumber(ctx, null, {
      ...row,
      provider: 'mango',
      kind: 'static',
      hosts: [],
      isActive: true,
    });
  }
  const pool = await savePool(ctx, null, {
    name: 'Платный поиск',
    hosts: [],
    channels: ['yandex_direct', 'google_ads', 'vk_ads'],
    holdSeconds: 120,
    quarantineSeconds: 300,
    fallbackNumber: CLINIC_NUMBER,
    isActive: true,
  });
  for (const number of POOL_NUMBERS) {
    await saveNumber(ctx, null, {
      number,
      provider: 'mango',
      kind: 'dynamic',
      poolId: pool.id,
      hosts: [],
      isActive: true,
    });
  }
  const integration = await saveIntegration(ctx, null, {
    provider: 'generic',
    name: 'Виртуальная АТС',
    secret: 'demo-pbx-secret-change-me',
    isActive: true,
  });

  const next = random(20_260_301);
  const callers: string[] = [];
  for (let index = 0; index < CALLS; index += 1) {
    const daysAgo = Math.round((CALLS - index) * (180 / CALLS));
    const startedAt = new Date(
      ctx.now.getTime() - daysAgo * DAY_MS - Math.floor(next() * 8 * 3_600_000) - 3_600_000,
    );
    const roll = next();
    let calledNumber = CLINIC_NUMBER;
    if (roll < 0.55) {
      const campaign = CAMPAIGNS[Math.floor(next() * CAMPAIGNS.length)] ?? CAMPAIGNS[0];
      const lease = await leaseNumber(
        {
          db: ctx.db,
          keys: ctx.keys,
          publicUrl: ctx.publicUrl,
          now: new Date(startedAt.getTime() - 90_000),
        },
        {
          key: settings.publicKey,
          sessionId: `demo-visit-${index}`,
          url: 'https://clinic.example/implants',
          ...campaign,
        },
        { ip: '127.0.0.1', userAgent: 'demo' },
      );
      calledNumber = lease.number ?? CLINIC_NUMBER;
    } else if (roll < 0.88) {
      calledNumber =
        STATIC_NUMBERS[Math.floor(next() * STATIC_NUMBERS.length)]?.number ?? CLINIC_NUMBER;
    }
    const isRepeat = callers.length > 5 && next() < 0.2;
    const caller = isRepeat
      ? (callers[Math.floor(next() * callers.length)] as string)
      : `+7916${String(3_000_000 + index * 7919).slice(-7)}`;
    if (!isRepeat) callers.push(caller);
    const isMissed = daysAgo <= 10 ? next() < 0.35 : false;
    const talk = 40 + Math.floor(next() * 300);
    const at = (offset: number) => new Date(startedAt.getTime() + offset * 1000).toISOString();
    const callId = `demo-${index}`;
    const events = genericEvents({
      events: [
        {
          id: `${callId}-start`,
          callId,
          type: 'start',
          at: at(0),
          callerNumber: caller,
          calledNumber,
        },
        ...(isMissed
          ? [
              {
                id: `${callId}-end`,
                callId,
                type: 'end' as const,
                at: at(25),
                durationSeconds: 25,
                talkSeconds: 0,
                status: 'missed' as const,
              },
            ]
          : [
              {
                id: `${callId}-answer`,
                callId,
                type: 'answer' as const,
                at: at(8),
                manager: ['101', '102', '103'][index % 3] ?? '101',
              },
              {
                id: `${callId}-end`,
                callId,
                type: 'end' as const,
                at: at(8 + talk),
                durationSeconds: 8 + talk,
                talkSeconds: talk,
                status: 'answered' as const,
              },
              {
                id: `${callId}-rec`,
                callId,
                type: 'recording' as const,
                at: at(10 + talk),
                recordingUrl: `https://pbx.example.invalid/records/${callId}.mp3`,
              },
            ]),
      ],
    });
    await receiveCallWebhook(
      {
        db: ctx.db,
        keys: ctx.keys,
        publicUrl: ctx.publicUrl,
        now: new Date(startedAt.getTime() + 600_000),
      },
      {
        provider: 'generic',
        integrationId: integration.id,
        requestId: null,
        adapt: () => ({ ok: true, events: events as CallEvent[], ignored: 0 }),
      },
    );
  }
}
