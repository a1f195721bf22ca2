import { recordAudit } from '../access-log/access-log.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { findPendingTask, insertTask } from './retention.repo.ts';

const DAY_MS = 86_400_000;

/** 152-FZ Art. 21 p.4 and p.5: destroy within 30 days of the purpose achieved or withdrawal. */
export const DESTRUCTION_DAYS = 30;

/**
 * A consent was withdrawn (R-D4, 152-FZ Art. 21 p.5): records a destruction task for the
 * subject due 30 days after the withdrawal was received. The run carries it out only if by then
 * the subject has no other live basis (another consent, or a non-consent purpose in term) and
 * no legal hold applies. Runs in the caller's transaction; a repeated withdrawal for the same
 * purpose keeps the task already pending, with its earlier due date.
 */
export async function scheduleDestructionAfterWithdrawal(
  tx: Tx,
  ctx: Ctx,
  input: { contactId: string; purposeId: string; receivedAt: Date },
): Promise<void> {
  const pending = await findPendingTask(tx, {
    contactId: input.contactId,
    purposeId: input.purposeId,
    reason: 'consent_withdrawn',
  });
  if (pending) return;
  const taskId = await insertTask(tx, ctx.orgId, {
    contactId: input.contactId,
    purposeId: input.purposeId,
    reason: 'consent_withdrawn',
    sourceRef: null,
    receivedAt: input.receivedAt,
    dueAt: new Date(input.receivedAt.getTime() + DESTRUCTION_DAYS * DAY_MS),
    createdAt: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: 'retention.task_scheduled',
    entityType: 'destruction_task',
    entityId: taskId,
    details: {
      contactId: input.contactId,
      purposeId: input.purposeId,
      reason: 'consent_withdrawn',
    },
  });
}
