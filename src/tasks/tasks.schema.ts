import { z } from 'zod';
import { pageOf, ZPageQuery } from '../platform/http/params.ts';

export const TASK_STATUSES = ['open', 'done'] as const;

export const ZTask = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  dueDate: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  /** Open and its due date (Moscow) has passed. */
  isOverdue: z.boolean(),
  assigneeUserId: z.string().nullable(),
  relatedType: z.string().nullable(),
  relatedId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
});
export type TTask = z.infer<typeof ZTask>;
export const ZTaskPage = pageOf(ZTask);

export const ZTaskQuery = z.strictObject({
  ...ZPageQuery,
  status: z.enum(TASK_STATUSES).optional(),
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{1,59}$/)
    .optional(),
  isOverdue: z.enum(['true', 'false']).optional(),
});
export type TTaskQuery = z.infer<typeof ZTaskQuery>;

export const ZTaskParams = z.strictObject({ taskId: z.uuid() });

export const ZCloseTaskBody = z.strictObject({
  note: z.string().trim().max(500).optional(),
});
export type TCloseTaskBody = z.infer<typeof ZCloseTaskBody>;
