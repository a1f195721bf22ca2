import type { TimelineSource } from '../timeline/timeline.schema.ts';
import { findSubmissionEvents } from './submissions-timeline.repo.ts';

// Campaign tags only: click ids and the landing page are not shown on the card.
const SHOWN_ATTRIBUTION = ['utm_source', 'utm_medium', 'utm_campaign'] as const;

/** Form submissions on the contact's timeline. */
export const submissionTimeline: TimelineSource = {
  kind: 'submission',
  async load(tx, _ctx, query) {
    const events = await findSubmissionEvents(tx, query);
    return events.map((event) => ({
      id: event.id,
      at: event.at,
      data: {
        formId: event.formId,
        formTitle: event.formTitle,
        ...Object.fromEntries(
          SHOWN_ATTRIBUTION.flatMap((key) =>
            event.attribution[key] ? [[key, event.attribution[key]]] : [],
          ),
        ),
      },
    }));
  },
};
