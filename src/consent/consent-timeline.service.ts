import type { TimelineSource } from '../timeline/timeline.schema.ts';
import { findConsentEvents } from './consent-timeline.repo.ts';

/** Consents given, withdrawn, expired and renewed, from the journal. */
export const consentTimeline: TimelineSource = {
  kind: 'consent',
  async load(tx, _ctx, query) {
    const events = await findConsentEvents(tx, query);
    return events.map((event) => ({
      id: event.id,
      at: event.at,
      data: {
        event: event.event,
        channel: event.channel,
        purposeCode: event.purposeCode,
        purposeTitle: event.purposeTitle,
        version: event.version,
        expiresAt: event.expiresAt?.toISOString() ?? null,
        // The entry stays with the contact it was given by, also after a merge.
        contactId: event.contactId,
      },
    }));
  },
};
