import { z } from 'zod';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { findNotifications, readNotification } from './reminders.service.ts';
import {
  ZAnswerBody,
  ZAssignBody,
  ZCreatedRequest,
  ZDownloadQuery,
  ZDraft,
  ZDraftQuery,
  ZExtendBody,
  ZIntakeBody,
  ZNoteBody,
  ZNotificationPage,
  ZNotificationParams,
  ZNotificationQuery,
  ZRefuseBody,
  ZRequestDetail,
  ZRequestPage,
  ZRequestParams,
  ZRequestQuery,
  ZVerificationBody,
} from './requests.schema.ts';
import {
  answerSubjectRequest,
  assignSubjectRequest,
  closeSubjectRequest,
  downloadSubjectRequestAnswer,
  draftSubjectRequestLetter,
  extendSubjectRequest,
  fileSubjectRequest,
  findSubjectRequests,
  getSubjectRequest,
  markAnswerIncomplete,
  refuseSubjectRequest,
  verifySubjectRequest,
} from './requests.service.ts';

const TAG = 'Subject requests';
const BASE = '/api/v1/subject-requests';
const READ = { permission: 'requests.read' } as const;
const MANAGE = { permission: 'requests.manage' } as const;

export const requestRoutes = [
  defineRoute({
    method: 'get',
    path: BASE,
    summary:
      'The requests queue, most urgent first: open requests by due date, then finished ones; names only for roles that work on requests',
    tag: TAG,
    access: READ,
    query: ZRequestQuery,
    responses: { 200: ZRequestPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findSubjectRequests(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: BASE,
    summary:
      'Register a request received by phone, on paper or by email, with the identity check; the due date comes from the legal clock',
    tag: TAG,
    access: MANAGE,
    body: ZIntakeBody,
    responses: { 201: ZCreatedRequest },
    handler: async ({ auth, body }, c) => ({
      status: 201,
      body: await fileSubjectRequest(orgCtx(c, auth), body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: `${BASE}/:requestId`,
    summary: 'One request with its identity record, extension, answer and timeline (a logged read)',
    tag: TAG,
    access: READ,
    params: ZRequestParams,
    responses: { 200: ZRequestDetail },
    handler: async ({ auth, params }, c) => ({
      status: 200,
      body: await getSubjectRequest(orgCtx(c, auth), params.requestId),
    }),
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:requestId/assign`,
    summary: 'Assign the request to a member who works on requests (null to unassign)',
    tag: TAG,
    access: MANAGE,
    params: ZRequestParams,
    body: ZAssignBody,
    responses: { 204: null },
    handler: async ({ auth, params, body }, c) => {
      await assignSubjectRequest(orgCtx(c, auth), params.requestId, body.userId);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:requestId/verify`,
    summary: 'Record how the requester’s identity was checked (ID document, e-signature …)',
    tag: TAG,
    access: MANAGE,
    params: ZRequestParams,
    body: ZVerificationBody,
    responses: { 204: null },
    handler: async ({ auth, params, body }, c) => {
      await verifySubjectRequest(orgCtx(c, auth), params.requestId, body);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:requestId/extend`,
    summary:
      'Extend the due date once, by at most 5 working days, with a reason and the notice to the subject (mailed, or referenced)',
    tag: TAG,
    access: MANAGE,
    params: ZRequestParams,
    body: ZExtendBody,
    responses: { 200: z.object({ dueDate: z.string() }) },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await extendSubjectRequest(orgCtx(c, auth), params.requestId, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: `${BASE}/:requestId/draft`,
    summary:
      'A generated letter to edit: the answer for the request’s type, a refusal or an extension notice',
    tag: TAG,
    access: MANAGE,
    params: ZRequestParams,
    query: ZDraftQuery,
    responses: { 200: ZDraft },
    handler: async ({ auth, params, query }, c) => ({
      status: 200,
      body: await draftSubjectRequestLetter(orgCtx(c, auth), params.requestId, query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:requestId/answer`,
    summary:
      'Answer and carry out the request (stop, withdrawal, erasure, correction); the answer is mailed or its delivery referenced',
    tag: TAG,
    access: MANAGE,
    params: ZRequestParams,
    body: ZAnswerBody,
    responses: { 204: null },
    handler: async ({ auth, params, body }, c) => {
      await answerSubjectRequest(orgCtx(c, auth), params.requestId, body);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:requestId/refuse`,
    summary: 'Refuse with a motivation; the refusal letter is mailed or its delivery referenced',
    tag: TAG,
    access: MANAGE,
    params: ZRequestParams,
    body: ZRefuseBody,
    responses: { 204: null },
    handler: async ({ auth, params, body }, c) => {
      await refuseSubjectRequest(orgCtx(c, auth), params.requestId, body);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:requestId/answer-incomplete`,
    summary:
      'Mark the answer as incomplete: a repeat of this request within 30 days is then not flagged',
    tag: TAG,
    access: MANAGE,
    params: ZRequestParams,
    body: ZNoteBody,
    responses: { 200: z.object({ cleared: z.array(z.string()) }) },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await markAnswerIncomplete(orgCtx(c, auth), params.requestId, body?.note),
    }),
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:requestId/close`,
    summary: 'Close the request (a request without an answer needs a note saying why)',
    tag: TAG,
    access: MANAGE,
    params: ZRequestParams,
    body: ZNoteBody,
    responses: { 204: null },
    handler: async ({ auth, params, body }, c) => {
      await closeSubjectRequest(orgCtx(c, auth), params.requestId, body?.note);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${BASE}/:requestId/answer/download`,
    summary: 'The answer as sent, as a text file or a printable HTML page',
    tag: TAG,
    access: MANAGE,
    params: ZRequestParams,
    query: ZDownloadQuery,
    responses: { 200: z.string().describe('text/plain or text/html') },
    handler: async ({ auth, params, query }, c) => {
      const file = await downloadSubjectRequestAnswer(
        orgCtx(c, auth),
        params.requestId,
        query.format,
      );
      return new Response(file.body, {
        status: 200,
        headers: {
          'content-type': file.contentType,
          'content-disposition': `attachment; filename="${file.filename}"`,
          'cache-control': 'no-store',
        },
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/notifications',
    summary: 'Reminders for the signed-in member: deadlines of requests coming up or passed',
    tag: TAG,
    access: READ,
    query: ZNotificationQuery,
    responses: { 200: ZNotificationPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findNotifications(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/notifications/:notificationId/read',
    summary: 'Mark a reminder as read',
    tag: TAG,
    access: READ,
    params: ZNotificationParams,
    responses: { 204: null },
    handler: async ({ auth, params }, c) => {
      await readNotification(orgCtx(c, auth), params.notificationId);
      return { status: 204 };
    },
  }),
];
