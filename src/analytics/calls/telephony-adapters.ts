// Telephony webhook formats → one normalized call event. Pure functions, no I/O: each adapter
// verifies the provider's signature over the exact bytes it received and reads its fields.
//
// - generic: JSON `{ "events": [...] }`, header `X-Signature: sha256=<hex HMAC-SHA256(secret, body)>`
// - mango: Mango Office VPBX events, a form post `vpbx_api_key`, `sign`, `json` where
//   sign = hex SHA-256(api_key + json + api_salt); paths /events/call, /events/summary,
//   /events/recording
// - zadarma: Zadarma PBX notifications, a form post with `event` = NOTIFY_START, NOTIFY_ANSWER,
//   NOTIFY_END, NOTIFY_RECORD …, header `Signature` = base64(hex HMAC-SHA1(secret, fields))

import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { safeEqual } from '../../platform/crypto.ts';

export const TELEPHONY_PROVIDERS = ['generic', 'mango', 'zadarma'] as const;
export type TelephonyProvider = (typeof TELEPHONY_PROVIDERS)[number];

export type CallEventKind = 'start' | 'answer' | 'end' | 'recording';

/** One provider event, normalized. Phone numbers are as the provider sent them (not yet E.164). */
export type CallEvent = {
  /** Unique per event within the integration: a replay carries the same key. */
  eventKey: string;
  /** The provider's id of the whole call. */
  callKey: string;
  kind: CallEventKind;
  at: Date;
  /** When the call began, if the event says (Zadarma's call_start, Mango's create_time). */
  startedAt?: Date | undefined;
  callerNumber?: string | undefined;
  calledNumber?: string | undefined;
  durationSeconds?: number | undefined;
  talkSeconds?: number | undefined;
  /** For `end`: whether anyone answered. */
  outcome?: 'answered' | 'missed' | undefined;
  endReason?: string | undefined;
  manager?: string | undefined;
  recordingRef?: string | undefined;
};

/** Why an adapter refused a request; the route answers 4xx with this code and stores nothing. */
export type AdapterRefusal = {
  code: 'signature_invalid' | 'validation_failed';
  message: string;
  fields?: Record<string, string[]>;
};

export type AdapterResult =
  | { ok: true; events: CallEvent[]; ignored: number }
  | { ok: false; refusal: AdapterRefusal };

const refuse = (
  code: AdapterRefusal['code'],
  message: string,
  fields?: Record<string, string[]>,
): AdapterResult => ({
  ok: false,
  refusal: fields ? { code, message, fields } : { code, message },
});

const ZPhoneText = z
  .string()
  .max(40)
  .regex(/^[+\d\s()\-.a-zA-Z:@]*$/, 'Not a phone number');

// ─── Generic JSON ────────────────────────────────────────────────────────────

export const ZGenericCallEvent = z.strictObject({
  id: z.string().min(1).max(200).describe('Unique id of this event; a replay repeats it'),
  callId: z.string().min(1).max(200).describe('Id of the call the event belongs to'),
  type: z.enum(['start', 'answer', 'end', 'recording']),
  at: z.iso.datetime({ offset: true }).describe('When it happened'),
  startedAt: z.iso.datetime({ offset: true }).optional(),
  callerNumber: ZPhoneText.optional().describe('Who called (personal data: stored encrypted)'),
  calledNumber: ZPhoneText.optional().describe('The tracking number dialled'),
  durationSeconds: z.number().int().min(0).max(86_400).optional(),
  talkSeconds: z.number().int().min(0).max(86_400).optional(),
  status: z.enum(['answered', 'missed']).optional().describe('For `end`: answered or not'),
  endReason: z.string().max(80).optional(),
  manager: z.string().max(120).optional().describe('Extension or name of the staff member'),
  recordingUrl: z.url().max(2000).optional(),
});

export const ZGenericCallBody = z.strictObject({
  events: z.array(ZGenericCallEvent).min(1).max(100),
});
export type TGenericCallBody = z.infer<typeof ZGenericCallBody>;

export function genericSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function verifyGenericSignature(
  secret: string,
  body: string,
  presented: string | undefined,
): boolean {
  return !!presented && safeEqual(genericSignature(secret, body), presented.trim());
}

export function genericEvents(body: TGenericCallBody): CallEvent[] {
  return body.events.map((event) => ({
    eventKey: event.id,
    callKey: event.callId,
    kind: event.type,
    at: new Date(event.at),
    startedAt: event.startedAt ? new Date(event.startedAt) : undefined,
    callerNumber: event.callerNumber,
    calledNumber: event.calledNumber,
    durationSeconds: event.durationSeconds,
    talkSeconds: event.talkSeconds,
    outcome: event.status,
    endReason: event.endReason,
    manager: event.manager,
    recordingRef: event.recordingUrl,
  }));
}

// ─── Mango Office ────────────────────────────────────────────────────────────

export const MANGO_EVENT_TYPES = ['call', 'summary', 'recording'] as const;

export function mangoSign(apiKey: string, json: string, apiSalt: string): string {
  return createHash('sha256').update(`${apiKey}${json}${apiSalt}`, 'utf8').digest('hex');
}

const ZMangoParty = z
  .object({
    number: z.string().max(200).optional(),
    extension: z.union([z.string(), z.number()]).optional(),
    line_number: z.string().max(40).optional(),
  })
  .loose();

const ZMangoCall = z
  .object({
    entry_id: z.string().min(1).max(200),
    call_id: z.string().min(1).max(200),
    timestamp: z.number().int().positive(),
    seq: z.number().int().min(0),
    call_state: z.string().max(40),
    from: ZMangoParty.optional(),
    to: ZMangoParty.optional(),
    disconnect_reason: z.number().int().optional(),
  })
  .loose();

const ZMangoSummary = z
  .object({
    entry_id: z.string().min(1).max(200),
    call_direction: z.number().int().optional(),
    from: ZMangoParty.optional(),
    to: ZMangoParty.optional(),
    line_number: z.string().max(40).optional(),
    create_time: z.number().int().positive(),
    forward_time: z.number().int().min(0).optional(),
    talk_time: z.number().int().min(0).optional(),
    end_time: z.number().int().positive(),
    entry_result: z.number().int(),
    disconnect_reason: z.number().int().optional(),
  })
  .loose();

const ZMangoRecording = z
  .object({
    entry_id: z.string().min(1).max(200),
    recording_id: z.string().min(1).max(300),
    recording_state: z.string().max(40),
    seq: z.number().int().min(0).optional(),
    timestamp: z.number().int().positive().optional(),
  })
  .loose();

const seconds = (unix: number) => new Date(unix * 1000);

function mangoNumber(party: z.infer<typeof ZMangoParty> | undefined): string | undefined {
  const number = party?.number;
  // An extension's address (sip:…) is not a phone number.
  return number && /^\+?\d{5,15}$/.test(number) ? number : undefined;
}

function issues(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}

/**
 * A Mango Office event: checks `vpbx_api_key` and `sign` first, then reads `json` for the
 * event type named by the path. Call-leg states other than Appeared and Connected, other
 * recording states and inbound-only fields we do not use are acknowledged and ignored.
 */
export function mangoEvents(
  type: string,
  form: URLSearchParams,
  integration: { apiKey: string | null; secret: string },
): AdapterResult {
  const apiKey = form.get('vpbx_api_key');
  const sign = form.get('sign');
  const json = form.get('json');
  if (!apiKey || !sign || json === null) {
    return refuse('validation_failed', 'Send vpbx_api_key, sign and json', {
      ...(apiKey ? {} : { vpbx_api_key: ['Required'] }),
      ...(sign ? {} : { sign: ['Required'] }),
      ...(json !== null ? {} : { json: ['Required'] }),
    });
  }
  if (
    !integration.apiKey ||
    !safeEqual(apiKey, integration.apiKey) ||
    !safeEqual(sign.toLowerCase(), mangoSign(apiKey, json, integration.secret))
  ) {
    return refuse('signature_invalid', 'The sign does not match the API key and salt');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return refuse('validation_failed', 'json is not valid JSON', { json: ['Not valid JSON'] });
  }
  if (!(MANGO_EVENT_TYPES as readonly string[]).includes(type)) {
    return { ok: true, events: [], ignored: 1 };
  }
  if (type === 'call') {
    const parsed = ZMangoCall.safeParse(payload);
    if (!parsed.success)
      return refuse('validation_failed', 'Invalid call event', issues(parsed.error));
    const event = parsed.data;
    const base = {
      callKey: event.entry_id,
      at: seconds(event.timestamp),
      callerNumber: mangoNumber(event.from),
      calledNumber: event.to?.line_number,
    };
    if (event.call_state === 'Appeared') {
      return {
        ok: true,
        events: [{ ...base, eventKey: `call:${event.call_id}:${event.seq}`, kind: 'start' }],
        ignored: 0,
      };
    }
    if (event.call_state === 'Connected') {
      const extension = event.to?.extension;
      return {
        ok: true,
        events: [
          {
            ...base,
            eventKey: `call:${event.call_id}:${event.seq}`,
            kind: 'answer',
            manager: extension === undefined ? undefined : String(extension),
          },
        ],
        ignored: 0,
      };
    }
    return { ok: true, events: [], ignored: 1 };
  }
  if (type === 'summary') {
    const parsed = ZMangoSummary.safeParse(payload);
    if (!parsed.success)
      return refuse('validation_failed', 'Invalid summary event', issues(parsed.error));
    const event = parsed.data;
    // Outgoing and internal calls are not calls from the site's visitors.
    if (event.call_direction !== undefined && event.call_direction !== 1) {
      return { ok: true, events: [], ignored: 1 };
    }
    const isAnswered = event.entry_result === 1 && (event.talk_time ?? 0) > 0;
    const extension = event.to?.extension;
    return {
      ok: true,
      events: [
        {
          eventKey: `summary:${event.entry_id}`,
          callKey: event.entry_id,
          kind: 'end',
          at: seconds(event.end_time),
          startedAt: seconds(event.create_time),
          callerNumber: mangoNumber(event.from),
          calledNumber: event.line_number ?? event.to?.line_number,
          durationSeconds: Math.max(0, event.end_time - event.create_time),
          talkSeconds: isAnswered ? Math.max(0, event.end_time - (event.talk_time ?? 0)) : 0,
          outcome: isAnswered ? 'answered' : 'missed',
          endReason:
            event.disconnect_reason === undefined ? undefined : String(event.disconnect_reason),
          manager: isAnswered && extension !== undefined ? String(extension) : undefined,
        },
      ],
      ignored: 0,
    };
  }
  const parsed = ZMangoRecording.safeParse(payload);
  if (!parsed.success)
    return refuse('validation_failed', 'Invalid recording event', issues(parsed.error));
  const event = parsed.data;
  if (event.recording_state !== 'Completed') return { ok: true, events: [], ignored: 1 };
  return {
    ok: true,
    events: [
      {
        eventKey: `recording:${event.recording_id}`,
        callKey: event.entry_id,
        kind: 'recording',
        at: event.timestamp ? seconds(event.timestamp) : new Date(0),
        recordingRef: `mango:${event.recording_id}`,
      },
    ],
    ignored: 0,
  };
}

// ─── Zadarma ─────────────────────────────────────────────────────────────────

/** base64 of the hex HMAC-SHA1, as Zadarma's own examples compute it. */
export function zadarmaSignature(secret: string, data: string): string {
  return Buffer.from(createHmac('sha1', secret).update(data, 'utf8').digest('hex')).toString(
    'base64',
  );
}

const ZADARMA_SIGNED: Record<string, readonly string[]> = {
  NOTIFY_START: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_INTERNAL: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_ANSWER: ['caller_id', 'destination', 'call_start'],
  NOTIFY_END: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_OUT_START: ['internal', 'destination', 'call_start'],
  NOTIFY_OUT_END: ['internal', 'destination', 'call_start'],
  NOTIFY_RECORD: ['pbx_call_id', 'call_id_with_rec'],
};

/**
 * Zadarma's call_start is "YYYY-MM-DD HH:MM:SS" in the account's time zone; Soglasie reads it
 * as Moscow time (UTC+3, no daylight saving), the zone of a Russian clinic's account.
 */
export function zadarmaTime(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const at = new Date(
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, (hour ?? 0) - 3, minute ?? 0, second ?? 0),
  );
  return Number.isNaN(at.getTime()) ? null : at;
}

export function zadarmaEvents(
  form: URLSearchParams,
  signature: string | undefined,
  integration: { secret: string },
  receivedAt: Date,
): AdapterResult {
  const event = form.get('event');
  if (!event) return refuse('validation_failed', 'Send event', { event: ['Required'] });
  const signed = ZADARMA_SIGNED[event];
  if (!signed) return refuse('validation_failed', 'Unknown event', { event: ['Unknown event'] });
  const missing = signed.filter((name) => form.get(name) === null);
  if (missing.length > 0) {
    return refuse(
      'validation_failed',
      'Missing fields',
      Object.fromEntries(missing.map((name) => [name, ['Required']])),
    );
  }
  const data = signed.map((name) => form.get(name) ?? '').join('');
  if (!signature || !safeEqual(signature.trim(), zadarmaSignature(integration.secret, data))) {
    return refuse('signature_invalid', 'The Signature header does not match');
  }
  const callId = form.get('pbx_call_id');
  if (!callId || callId.length > 200) {
    return refuse('validation_failed', 'Send pbx_call_id', { pbx_call_id: ['Required'] });
  }
  if (event === 'NOTIFY_RECORD') {
    const recording = form.get('call_id_with_rec') ?? '';
    if (recording.length === 0 || recording.length > 300) {
      return refuse('validation_failed', 'Invalid call_id_with_rec', {
        call_id_with_rec: ['Invalid'],
      });
    }
    return {
      ok: true,
      events: [
        {
          eventKey: `NOTIFY_RECORD:${recording}`,
          callKey: callId,
          kind: 'recording',
          at: receivedAt,
          recordingRef: `zadarma:${recording}`,
        },
      ],
      ignored: 0,
    };
  }
  // Outgoing calls and transfers inside the PBX are not calls from the site's visitors.
  if (event !== 'NOTIFY_START' && event !== 'NOTIFY_ANSWER' && event !== 'NOTIFY_END') {
    return { ok: true, events: [], ignored: 1 };
  }
  const startedAt = zadarmaTime(form.get('call_start') ?? '');
  if (!startedAt) {
    return refuse('validation_failed', 'Invalid call_start', {
      call_start: ['Expected YYYY-MM-DD HH:MM:SS'],
    });
  }
  const caller = form.get('caller_id') ?? undefined;
  const callerNumber = caller && /^\+?\d{5,15}$/.test(caller) ? caller : undefined;
  const internal = form.get('internal') || undefined;
  if (event === 'NOTIFY_START') {
    return {
      ok: true,
      events: [
        {
          eventKey: `${event}:${callId}`,
          callKey: callId,
          kind: 'start',
          at: startedAt,
          startedAt,
          callerNumber,
          calledNumber: form.get('called_did') ?? undefined,
        },
      ],
      ignored: 0,
    };
  }
  if (event === 'NOTIFY_ANSWER') {
    return {
      ok: true,
      events: [
        {
          eventKey: `${event}:${callId}`,
          callKey: callId,
          kind: 'answer',
          at: receivedAt,
          startedAt,
          callerNumber,
          manager: internal ?? form.get('destination') ?? undefined,
        },
      ],
      ignored: 0,
    };
  }
  const duration = Number(form.get('duration') ?? '0');
  if (!Number.isInteger(duration) || duration < 0 || duration > 86_400) {
    return refuse('validation_failed', 'Invalid duration', { duration: ['Invalid'] });
  }
  const disposition = (form.get('disposition') ?? '').slice(0, 80);
  const isAnswered = disposition === 'answered';
  return {
    ok: true,
    events: [
      {
        eventKey: `${event}:${callId}`,
        callKey: callId,
        kind: 'end',
        at: new Date(startedAt.getTime() + duration * 1000),
        startedAt,
        callerNumber,
        calledNumber: form.get('called_did') ?? undefined,
        durationSeconds: duration,
        talkSeconds: isAnswered ? duration : 0,
        outcome: isAnswered ? 'answered' : 'missed',
        endReason: disposition || undefined,
        manager: isAnswered ? internal : undefined,
      },
    ],
    ignored: 0,
  };
}
