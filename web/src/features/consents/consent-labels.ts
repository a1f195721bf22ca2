import type { ConsentChannel, ConsentEvent, JournalEntry } from '../../app/api-types.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';

export function eventLabel({ t }: Pick<I18n, 't'>, event: string): string {
  switch (event) {
    case 'given':
    case 'withdrawn':
    case 'expired':
    case 'renewed':
      return t(`consentEvent.${event satisfies ConsentEvent}`);
    default:
      return event;
  }
}

export function consentChannelLabel({ t }: Pick<I18n, 't'>, channel: string): string {
  switch (channel) {
    case 'web_form':
    case 'phone':
    case 'paper':
    case 'staff':
    case 'portal':
    case 'email':
      return t(`consentChannel.${channel satisfies ConsentChannel}`);
    default:
      return channel;
  }
}

export const EVENT_COLOR: Record<ConsentEvent, string> = {
  given: 'teal',
  renewed: 'teal',
  withdrawn: 'red',
  expired: 'gray',
};

export type ConsentState = 'live' | 'withdrawn' | 'expired';

export type PurposeConsent = { purposeCode: string; state: ConsentState; entry: JournalEntry };

/**
 * Where each purpose stands for one person: the latest journal event per purpose decides,
 * and a given consent past its term counts as expired.
 */
export function consentStates(entries: readonly JournalEntry[], now: number): PurposeConsent[] {
  const latest = new Map<string, JournalEntry>();
  for (const entry of entries) {
    const seen = latest.get(entry.purposeCode);
    if (!seen || entry.at > seen.at || (entry.at === seen.at && isLaterEvent(entry, seen))) {
      latest.set(entry.purposeCode, entry);
    }
  }
  return [...latest.values()].map((entry) => ({
    purposeCode: entry.purposeCode,
    entry,
    state:
      entry.event === 'withdrawn'
        ? 'withdrawn'
        : entry.event === 'expired' ||
            (entry.expiresAt !== null && new Date(entry.expiresAt).getTime() <= now)
          ? 'expired'
          : 'live',
  }));
}

// Two events at the same instant: the chain order decides when both are chained.
function isLaterEvent(entry: JournalEntry, than: JournalEntry): boolean {
  return (entry.position ?? Number.MAX_SAFE_INTEGER) > (than.position ?? Number.MAX_SAFE_INTEGER);
}
