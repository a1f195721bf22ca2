import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import {
  ZCloseIncidentBody,
  ZCreateIncidentBody,
  ZIncidentDetail,
  ZIncidentOverview,
  ZIncidentPage,
  ZIncidentParams,
  ZIncidentQuery,
  ZIncidentRecordParams,
  ZLinkRecordsBody,
  ZNoticeParams,
  ZNoticeQuery,
  ZRecordStepBody,
  ZUpdateIncidentBody,
} from './incidents.schema.ts';
import {
  closeIncident,
  composeIncidentNotice,
  createIncident,
  findIncidents,
  getIncident,
  getIncidentOverview,
  linkIncidentRecords,
  recordIncidentStep,
  unlinkIncidentRecord,
  updateIncidentFields,
} from './incidents.service.ts';

const TAG = 'Incidents';

export const incidentRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/incidents',
    summary:
      'The incident register, open incidents first, with each clock’s state (overdue when its time passed without the step recorded)',
    tag: TAG,
    access: { permission: 'incidents.read' },
    query: ZIncidentQuery,
    responses: { 200: ZIncidentPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findIncidents(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/incidents/overview',
    summary: 'Open and overdue counts and the most urgent open incidents, for the dashboard',
    tag: TAG,
    access: { permission: 'incidents.read' },
    responses: { 200: ZIncidentOverview },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: await getIncidentOverview(orgCtx(c, auth)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/incidents',
    summary:
      'Register an incident: due in 24 h (notice) and 72 h (report) from detection; unlawful processing also 3 and 10 working days (stop, destroy)',
    tag: TAG,
    access: { permission: 'incidents.manage' },
    body: ZCreateIncidentBody,
    responses: { 201: ZIncidentDetail },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await createIncident(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/incidents/:incidentId',
    summary:
      'One incident with its text (the read is logged), clocks, affected records and timeline',
    tag: TAG,
    access: { permission: 'incidents.read' },
    params: ZIncidentParams,
    responses: { 200: ZIncidentDetail },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getIncident(orgCtx(c, auth), params.incidentId),
    }),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/incidents/:incidentId',
    summary: 'Change an open incident’s fields; a new detection time or kind moves the clocks',
    tag: TAG,
    access: { permission: 'incidents.manage' },
    params: ZIncidentParams,
    body: ZUpdateIncidentBody,
    responses: { 200: ZIncidentDetail },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await updateIncidentFields(orgCtx(c, auth), params.incidentId, body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/incidents/:incidentId/steps',
    summary:
      'Record a notice sent (24 h notice, 72 h report, GDPR notice) or a duty done (processing stopped, data destroyed), with its time and evidence',
    tag: TAG,
    access: { permission: 'incidents.manage' },
    params: ZIncidentParams,
    body: ZRecordStepBody,
    responses: { 200: ZIncidentDetail },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await recordIncidentStep(orgCtx(c, auth), params.incidentId, body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/incidents/:incidentId/records',
    summary: 'Link affected contacts and access-log entries to the incident',
    tag: TAG,
    access: { permission: 'incidents.manage' },
    params: ZIncidentParams,
    body: ZLinkRecordsBody,
    responses: { 200: ZIncidentDetail },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await linkIncidentRecords(orgCtx(c, auth), params.incidentId, body),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/incidents/:incidentId/records/:recordId',
    summary: 'Unlink a record linked by mistake (the timeline keeps that it was linked)',
    tag: TAG,
    access: { permission: 'incidents.manage' },
    params: ZIncidentRecordParams,
    responses: { 200: ZIncidentDetail },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await unlinkIncidentRecord(orgCtx(c, auth), params.incidentId, params.recordId),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/incidents/:incidentId/close',
    summary: 'Close an incident with its resolution; steps never recorded stay shown as missed',
    tag: TAG,
    access: { permission: 'incidents.manage' },
    params: ZIncidentParams,
    body: ZCloseIncidentBody,
    responses: { 200: ZIncidentDetail },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await closeIncident(orgCtx(c, auth), params.incidentId, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/incidents/:incidentId/texts/:document',
    summary:
      'The pre-filled text for Roskomnadzor as text/plain: the 24 h notice or the 72 h report; download=1 answers it as a .txt attachment',
    tag: TAG,
    access: { permission: 'incidents.read' },
    params: ZNoticeParams,
    query: ZNoticeQuery,
    responses: { 200: z.string().describe('text/plain; charset=utf-8') },
    handler: async ({ auth, params, query }, c) => {
      const notice = await composeIncidentNotice(
        orgCtx(c, auth),
        params.incidentId,
        params.document,
      );
      const isDownload = query.download === '1' || query.download === 'true';
      return new Response(notice.text, {
        status: 200,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'content-disposition': `${isDownload ? 'attachment' : 'inline'}; filename="${notice.filename}"`,
          'cache-control': 'no-store',
        },
      });
    },
  }),
];
