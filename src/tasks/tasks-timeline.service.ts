import type { TimelineSource } from '../timeline/timeline.schema.ts';
import { findTaskEvents } from './tasks-timeline.repo.ts';

/** Staff tasks about the contact or one of its leads (call back, follow up). */
export const taskTimeline: TimelineSource = {
  kind: 'task',
  async load(tx, _ctx, query) {
    const events = await findTaskEvents(tx, query);
    return events.map((event) => ({
      id: event.id,
      at: event.at,
      data: {
        taskKind: event.kind,
        title: event.title,
        status: event.status,
        dueDate: event.dueDate,
        relatedType: event.relatedType,
      },
    }));
  },
};
