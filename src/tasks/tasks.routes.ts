import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { ZCloseTaskBody, ZTask, ZTaskPage, ZTaskParams, ZTaskQuery } from './tasks.schema.ts';
import { closeTask, findTasks } from './tasks.service.ts';

const TAG = 'Tasks';

export const taskRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/tasks',
    summary:
      'Staff tasks, open first by due date; isOverdue=true lists open tasks whose due date (Moscow) has passed',
    tag: TAG,
    access: { permission: 'tasks.read' },
    query: ZTaskQuery,
    responses: { 200: ZTaskPage },
    handler: async ({ auth, query }, c) => ({
      status: 200,
      body: await findTasks(orgCtx(c, auth), query),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/tasks/:taskId/close',
    summary:
      'Close a task by hand; compliance tasks (kind compliance.*) close only through their action',
    tag: TAG,
    access: { permission: 'tasks.manage' },
    params: ZTaskParams,
    body: ZCloseTaskBody,
    responses: { 200: ZTask },
    handler: async ({ auth, params, body }, c) => ({
      status: 200,
      body: await closeTask(orgCtx(c, auth), params.taskId, body),
    }),
  }),
];
