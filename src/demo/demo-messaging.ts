import { findContacts } from '../contacts/contacts.service.ts';
import { unsubscribe, unsubscribeToken } from '../messaging/outbound.service.ts';
import { listSuppressions, suppress } from '../messaging/suppressions.service.ts';
import type { Ctx } from '../platform/context.ts';
import { withTx } from '../platform/db/tx.ts';
import { findActivePurposes } from '../purposes/purposes.service.ts';

const DAY = 86_400_000;

/**
 * The suppression list of the demo clinic: two people who unsubscribed with the one-click link
 * (their marketing consent withdrawn with it), one whose operator reported "subscriber refused"
 * for SMS (126-FZ Art. 44.1 p.1.1) and one complaint entered by staff. Adds nothing when the
 * list has entries already.
 */
export async function seedDemoSuppressions(ctx: Ctx): Promise<{ suppressed: number }> {
  const existing = await listSuppressions(ctx, { page: 1, pageSize: 1 });
  if (existing.total > 0) return { suppressed: 0 };
  const [marketing] = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findActivePurposes(tx, ctx.publicUrl, ['marketing']),
  );
  const { items } = await findContacts(ctx, { page: 1, pageSize: 12 });
  const contacts = items.filter((contact) => !contact.isShredded && !contact.restriction);
  if (!marketing || contacts.length < 4) return { suppressed: 0 };
  const at = (daysAgo: number) => new Date(ctx.now.getTime() - daysAgo * DAY);
  const [first, second, third, fourth] = contacts.slice(-4);
  for (const [contact, daysAgo] of [
    [first, 9],
    [second, 3],
  ] as const) {
    if (!contact) continue;
    const token = unsubscribeToken(ctx.keys, {
      orgId: ctx.orgId,
      contactId: contact.id,
      purposeId: marketing.purpose.id,
      channel: 'email',
    });
    await unsubscribe(
      { db: ctx.db, keys: ctx.keys, publicUrl: ctx.publicUrl, now: at(daysAgo) },
      token,
      { via: 'one_click', requestId: null },
    );
  }
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (third) {
      await suppress(
        tx,
        { ...ctx, now: at(5), actor: { type: 'system', label: 'sms:smsc' } },
        { contactId: third.id, channel: 'sms', reason: 'provider_refused', source: 'sms:smsc' },
      );
    }
    if (fourth) {
      await suppress(
        tx,
        { ...ctx, now: at(1) },
        { contactId: fourth.id, channel: 'all', reason: 'complaint', source: 'staff' },
      );
    }
  });
  return { suppressed: 4 };
}
