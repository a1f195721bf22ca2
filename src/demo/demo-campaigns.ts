import nodemailer from 'nodemailer';
import { sendCampaigns } from '../messaging/campaign-sender.service.ts';
import { createCampaign, findCampaigns, launchCampaign } from '../messaging/campaigns.service.ts';
import { createSegment } from '../messaging/segments.service.ts';
import { findMembers } from '../orgs/members.service.ts';
import type { Ctx } from '../platform/context.ts';
import { createLogger } from '../platform/log.ts';
import type { Mailer } from '../platform/mail.ts';

const DAY = 86_400_000;

/**
 * A mailer that hands each message to nodemailer's JSON transport in this process: the demo
 * campaign goes through the real sending path (queue, gate per batch, Message-ID, send log)
 * without an SMTP server, and nothing leaves the machine.
 */
function inProcessMailer(): Mailer {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  return {
    isConfigured: true,
    async send(message) {
      await transport.sendMail({
        from: message.from ?? 'Клиника «Здоровая семья» <news@demo.soglasie.local>',
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.headers ? { headers: message.headers } : {}),
      });
    },
  };
}

/**
 * The demo clinic's campaigns: two segments for the advertising purpose, a draft, and one
 * campaign launched by the marketer a week ago and sent to the end — its send log names the
 * consent behind each message, and those who had unsubscribed are counted out by reason.
 * Adds nothing when campaigns exist already.
 */
export async function seedDemoCampaigns(ctx: Ctx): Promise<{ sent: number }> {
  if ((await findCampaigns(ctx)).items.length > 0) return { sent: 0 };
  const members = await findMembers(ctx);
  const approver =
    members.find((member) => member.role === 'marketer') ??
    members.find((member) => member.role === 'owner');
  if (!approver) return { sent: 0 };
  const weekAgo = new Date(ctx.now.getTime() - 7 * DAY);
  const person: Ctx = {
    ...ctx,
    now: weekAgo,
    role: approver.role,
    actor: { type: 'user', userId: approver.userId, sessionId: null },
  };
  const everyone = await createSegment(person, {
    name: 'Все с электронной почтой',
    purposeCode: 'marketing',
    filters: { hasEmail: true, consent: { purposeCode: 'marketing', state: 'given' } },
  });
  const yandex = await createSegment(person, {
    name: 'Пришли из Яндекса',
    purposeCode: 'marketing',
    filters: { leadSources: ['yandex'] },
  });
  const sent = await createCampaign(person, {
    name: 'Профессиональная гигиена −20%',
    segmentId: everyone.id,
    channel: 'email',
    subject: 'Скидка 20% на профессиональную гигиену',
    body: 'Здравствуйте, {{name}}!\n\nДо конца месяца профессиональная гигиена полости рта со скидкой 20%. Записаться можно на сайте или по телефону клиники.',
    ratePerMinute: 600,
  });
  await launchCampaign(person, sent.id, { isConfirmed: true });
  const deps = {
    db: ctx.db,
    keys: ctx.keys,
    publicUrl: ctx.publicUrl,
    logger: createLogger({ level: 'silent' }),
    mailer: inProcessMailer(),
  };
  let total = 0;
  // The same job the server runs; an hour's budget per run sends the demo audience at once.
  for (let run = 0; run < 5; run += 1) {
    const result = await sendCampaigns(deps, () => weekAgo, {
      onlyOrgId: ctx.orgId,
      intervalMs: 3_600_000,
    });
    total += result.sent;
    if (result.sent + result.skipped + result.failed === 0) break;
  }
  await createCampaign(
    { ...person, now: ctx.now },
    {
      name: 'Напоминание о профосмотре (SMS)',
      segmentId: yandex.id,
      channel: 'sms',
      body: '{{name}}, пора на профилактический осмотр. Клиника «Здоровая семья».',
      ratePerMinute: 60,
    },
  );
  return { sent: total };
}
