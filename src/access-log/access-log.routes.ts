import { describeActors } from '../orgs/members.service.ts';
import { orgCtx } from '../platform/http/ctx.ts';
import { defineRoute } from '../platform/http/route.ts';
import { ZAccessPage, ZAccessQuery, ZAuditPage, ZAuditQuery } from './access-log.schema.ts';
import { findAccessLog, findAuditLog } from './access-log.service.ts';

export const accessLogRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/audit-log',
    summary: 'Search the audit log of changes (newest first, paginated)',
    tag: 'Logs',
    access: { permission: 'logs.read' },
    query: ZAuditQuery,
    responses: { 200: ZAuditPage },
    handler: async ({ auth, query }, c) => {
      const ctx = orgCtx(c, auth);
      const { rows, total } = await findAuditLog(ctx, query);
      const actorOf = await describeActors(ctx, rows);
      return {
        status: 200,
        body: {
          items: rows.map((row) => ({ ...row, at: row.at.toISOString(), actor: actorOf(row) })),
          page: query.page,
          pageSize: query.pageSize,
          total,
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/access-log',
    summary: 'Search the log of reads of personal data (newest first, paginated)',
    tag: 'Logs',
    access: { permission: 'logs.read' },
    query: ZAccessQuery,
    responses: { 200: ZAccessPage },
    handler: async ({ auth, query }, c) => {
      const ctx = orgCtx(c, auth);
      const { rows, total } = await findAccessLog(ctx, query);
      const actorOf = await describeActors(ctx, rows);
      return {
        status: 200,
        body: {
          items: rows.map((row) => ({ ...row, at: row.at.toISOString(), actor: actorOf(row) })),
          page: query.page,
          pageSize: query.pageSize,
          total,
        },
      };
    },
  }),
];
