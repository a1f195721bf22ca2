import {
  createIncident,
  findIncidents,
  linkIncidentRecords,
  recordIncidentStep,
} from '../incidents/incidents.service.ts';
import type { Ctx } from '../platform/context.ts';

const HOUR = 3_600_000;

/**
 * Two incidents for the demo clinic's register: a leak notified to Roskomnadzor in time whose
 * 72 h report is still running, and an unauthorized access whose 24 h notice is overdue, so
 * the dashboard shows a red countdown. Adds nothing when the register has incidents already.
 */
export async function seedDemoIncident(
  ctx: Ctx,
  options: { contactIds?: readonly string[] } = {},
): Promise<{ incidentIds: string[] }> {
  const existing = await findIncidents(ctx, { page: 1, pageSize: 1 });
  if (existing.total > 0) return { incidentIds: [] };
  const at = (hoursAgo: number) => new Date(ctx.now.getTime() - hoursAgo * HOUR);

  const leak = await createIncident(
    { ...ctx, now: at(29) },
    {
      title: 'Выгрузка заявок отправлена на чужой адрес',
      kind: 'leak',
      detectedAt: at(30).toISOString(),
      description:
        'Администратор отправил выгрузку заявок за неделю на ошибочный адрес электронной почты внешней организации.',
      causes: 'Ошибка при ручном вводе адреса получателя; выгрузка не была защищена паролем.',
      harm: 'Посторонним лицам стали доступны имена и номера телефонов пациентов, оставивших заявки.',
      measures:
        'Получатель подтвердил удаление письма; выгрузка заявок по почте запрещена приказом; пароли на выгрузки обязательны.',
      affectedSubjectsCount: 14,
      affectedCategories: ['имя', 'номер телефона'],
      gdprApplies: false,
    },
  );
  if (options.contactIds && options.contactIds.length > 0) {
    await linkIncidentRecords({ ...ctx, now: at(28) }, leak.id, {
      contactIds: options.contactIds.slice(0, 3),
      accessLogIds: [],
    });
  }
  await recordIncidentStep({ ...ctx, now: at(20) }, leak.id, {
    step: 'notice24h',
    at: at(20).toISOString(),
    evidence: 'Портал pd.rkn.gov.ru, уведомление № 0000-ДЕМО',
  });

  const access = await createIncident(
    { ...ctx, now: at(26) },
    {
      title: 'Вход в CRM с чужой учётной записью',
      kind: 'unauthorized_access',
      detectedAt: at(26).toISOString(),
      description:
        'Журнал доступа показал просмотр карточек пациентов ночью с учётной записи регистратора.',
      causes: 'Пароль регистратора был записан на стикере у рабочего места.',
      affectedCategories: ['имя', 'номер телефона', 'адрес электронной почты'],
      gdprApplies: false,
    },
  );
  return { incidentIds: [leak.id, access.id] };
}
