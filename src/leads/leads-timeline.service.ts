import type { TimelineSource } from '../timeline/timeline.schema.ts';
import { findLeadEvents, findStageChangeEvents } from './leads-timeline.repo.ts';

/** A lead opened for the contact, with its channel. */
export const leadTimeline: TimelineSource = {
  kind: 'lead',
  async load(tx, _ctx, query) {
    const events = await findLeadEvents(tx, query);
    return events.map((event) => ({
      id: event.id,
      at: event.at,
      data: {
        stage: event.status,
        source: event.source,
        medium: event.attribution.utm_medium ?? null,
        campaign: event.attribution.utm_campaign ?? null,
        formId: event.formId,
      },
    }));
  },
};

/** A lead moved between pipeline stages, with the time it spent in the stage it left. */
export const leadStageTimeline: TimelineSource = {
  kind: 'lead_stage',
  async load(tx, _ctx, query) {
    const events = await findStageChangeEvents(tx, query);
    return events.map((event) => ({
      id: event.id,
      at: event.at,
      data: {
        leadId: event.leadId,
        fromStage: event.fromStage,
        toStage: event.toStage,
        durationSeconds: Math.round((event.at.getTime() - event.fromAt.getTime()) / 1000),
        lostReason: event.lostReason,
        cause: event.cause,
      },
    }));
  },
};
