import { consentTimeline } from '../consent/consent-timeline.service.ts';
import { noteTimeline } from '../contacts/notes.service.ts';
import { submissionTimeline } from '../forms/submissions-timeline.service.ts';
import { leadStageTimeline, leadTimeline } from '../leads/leads-timeline.service.ts';
import { messageTimeline } from '../messaging/messages-timeline.service.ts';
import { taskTimeline } from '../tasks/tasks-timeline.service.ts';
import type { TimelineSource } from './timeline.schema.ts';

/**
 * Every kind the contact timeline shows. A domain adds its kind with one line here and a
 * `TimelineSource` in its own `*-timeline.service.ts` (docs/crm.md, "Timeline").
 */
export const TIMELINE_SOURCES: readonly TimelineSource[] = [
  submissionTimeline,
  consentTimeline,
  leadTimeline,
  leadStageTimeline,
  messageTimeline,
  noteTimeline,
  taskTimeline,
];
