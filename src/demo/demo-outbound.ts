import { createCallList, createExport } from '../messaging/outbound-actions.service.ts';
import { createPartner } from '../messaging/transfers.service.ts';
import type { Ctx } from '../platform/context.ts';

/**
 * Outbound actions of the demo clinic: a call list for appointments (everyone may be called), a
 * call list under the marketing purpose (its consent names email and SMS only, so every entry
 * is refused with channel_not_covered), a recorded export with its exclusions, and a partner.
 */
export async function seedDemoOutbound(ctx: Ctx): Promise<void> {
  await createCallList(ctx, { purposeCode: 'appointment', title: 'Перезвонить по новым заявкам' });
  await createCallList(ctx, {
    purposeCode: 'marketing',
    title: 'Обзвон по акции (не по согласию)',
  });
  await createExport(ctx, { purposeCode: 'marketing' });
  await createPartner(ctx, {
    name: 'ООО «Лаборатория Гемотест»',
    url: 'https://lab.example.invalid/hooks/soglasie',
    secret: 'demo-lab-secret-change-me',
    country: 'RU',
  });
}
