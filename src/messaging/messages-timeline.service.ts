import type { TimelineSource } from '../timeline/timeline.schema.ts';
import { findMessageEvents } from './messages-timeline.repo.ts';

/** Messages sent (or refused by the outbound check) to the contact. */
export const messageTimeline: TimelineSource = {
  kind: 'message',
  async load(tx, _ctx, query) {
    const events = await findMessageEvents(tx, query);
    return events.map((event) => ({
      id: event.id,
      at: event.at,
      data: {
        channel: event.channel,
        status: event.status,
        gateReason: event.gateReason,
        purposeCode: event.purposeCode,
        campaignId: event.campaignId,
      },
    }));
  },
};
