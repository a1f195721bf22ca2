import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { ZLeadPage, ZLeadQuery, ZLeadView } from './leads.schema.ts';
import { findLeads } from './leads.service.ts';
import {
  ZAssignBody,
  ZBoard,
  ZBoardQuery,
  ZLeadIdParams,
  ZMoveStageBody,
  ZPipelineReport,
  ZPipelineReportQuery,
  ZSaveStagesBody,
  ZStageEventList,
  ZStageList,
} from './pipeline.schema.ts';
import {
  assignLead,
  leadHistory,
  listStages,
  moveLead,
  pipelineBoard,
  pipelineReport,
  saveStages,
} from './pipeline.service.ts';

export const leadRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/leads',
    summary:
      'Leads newest first, by stage, source and assignee; contacts shown only to roles that may see them',
    tag: 'Leads',
    access: { permission: 'leads.read' },
    query: ZLeadQuery,
    responses: { 200: ZLeadPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findLeads(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/leads/:id/stage',
    summary: 'Move a lead to a pipeline stage ("lost" needs a reason); the change is recorded',
    tag: 'Leads',
    access: { permission: 'leads.manage' },
    params: ZLeadIdParams,
    body: ZMoveStageBody,
    responses: { 200: ZLeadView },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await moveLead(orgCtx(c, auth), params.id, body),
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/leads/:id/assignee',
    summary: 'Assign a lead to a member (null unassigns)',
    tag: 'Leads',
    access: { permission: 'leads.manage' },
    params: ZLeadIdParams,
    body: ZAssignBody,
    responses: { 200: ZLeadView },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await assignLead(orgCtx(c, auth), params.id, body.userId),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/leads/:id/history',
    summary: 'Stage changes of a lead, newest first, with the time spent in each stage',
    tag: 'Leads',
    access: { permission: 'leads.read' },
    params: ZLeadIdParams,
    responses: { 200: ZStageEventList },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: { items: await leadHistory(orgCtx(c, auth), params.id) },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/pipeline/stages',
    summary: 'Pipeline stages of the organization in board order',
    tag: 'Leads',
    access: { permission: 'leads.read' },
    responses: { 200: ZStageList },
    handler: async ({ auth }, c) => ({
      status: 200,
      body: { items: await listStages(orgCtx(c, auth)) },
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/pipeline/stages',
    summary: 'Save the pipeline: titles, order, custom stages added or archived',
    tag: 'Leads',
    access: { permission: 'pipeline.manage' },
    body: ZSaveStagesBody,
    responses: { 200: ZStageList },
    handler: async ({ auth, body }, c) => ({
      status: 200,
      body: { items: await saveStages(orgCtx(c, auth), body) },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/pipeline/board',
    summary: 'The kanban board: each stage with its total and newest leads',
    tag: 'Leads',
    access: { permission: 'leads.read' },
    query: ZBoardQuery,
    responses: { 200: ZBoard },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await pipelineBoard(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/pipeline/report',
    summary: 'First-response time and stage durations over a period (default: 30 days)',
    tag: 'Leads',
    access: { permission: 'leads.read' },
    query: ZPipelineReportQuery,
    responses: { 200: ZPipelineReport },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await pipelineReport(orgCtx(c, auth), query),
    }),
  }),
];
