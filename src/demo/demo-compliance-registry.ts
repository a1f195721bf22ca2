import {
  fileNotice,
  getNotice,
  saveNoticeSettings,
} from '../compliance/rkn-notice/rkn-notice.service.ts';
import {
  addServiceFromCatalogue,
  listServices,
  updateService,
} from '../compliance/services/services.service.ts';
import type { Ctx } from '../platform/context.ts';
import { addCalendarDays, toMoscowDate } from '../subject-requests/clock.service.ts';

const DAY = 86_400_000;

/**
 * The demo clinic's services register and Roskomnadzor notice: the notice data completed
 * (database locations, dates, protection level), Russian services with their contracts, the
 * notice filed a month ago, and then WhatsApp added — a foreign service, flagged, which changed
 * the notice and opened the "update the RKN notice" task. Adds nothing when the register has
 * services already.
 */
export async function seedDemoComplianceRegistry(
  ctx: Ctx,
): Promise<{ serviceIds: string[]; taskIds: string[] }> {
  if ((await listServices(ctx, { includeArchived: true })).length > 0) {
    return { serviceIds: [], taskIds: [] };
  }
  const monthAgo = { ...ctx, now: new Date(ctx.now.getTime() - 30 * DAY) };
  await saveNoticeSettings(monthAgo, {
    databaseLocations: [
      {
        country: 'RU',
        city: 'Москва',
        hostingProvider: 'ООО «Селектел»',
        address: 'ул. Берзарина, д. 36, стр. 3 (ЦОД «Берзарина»)',
      },
      { country: 'RU', city: 'Санкт-Петербург', hostingProvider: 'ООО «Селектел»' },
    ],
    processingStartDate: '2024-02-01',
    endCondition:
      'Достижение целей обработки или истечение сроков хранения по каждой цели; ликвидация или реорганизация оператора',
    protectionLevel: '3',
    extraMeasures: [
      'Назначен ответственный за организацию обработки персональных данных (приказ № 12-ОД)',
      'Сотрудники ознакомлены с политикой и локальными актами под подпись',
      'Резервные копии базы данных ежедневно, хранение в Российской Федерации',
    ],
  });
  const serviceIds: string[] = [];
  const contracts: Record<string, string> = {
    yandex_360: 'Договор-оферта Яндекс 360 для бизнеса, поручение на обработку от 01.02.2024',
    bitrix24: 'Лицензионный договор № Б24-5531 от 15.03.2024, поручение на обработку',
    jivosite: 'Договор-оферта Jivo, поручение на обработку от 20.04.2024',
  };
  for (const code of ['yandex_360', 'bitrix24', 'jivosite']) {
    const service = await addServiceFromCatalogue(monthAgo, code);
    await updateService(monthAgo, service.id, {
      contractReference: contracts[code] ?? null,
      purposeCodes: ['appointment'],
      dataCategories: ['name', 'phone', 'email'],
    });
    serviceIds.push(service.id);
  }
  await fileNotice(monthAgo, {
    filedOn: addCalendarDays(toMoscowDate(monthAgo.now), -1),
    reference: 'Рег. № 77-24-012345 (изменения от демо-даты)',
  });
  // Patients write to the clinic in WhatsApp: a foreign service, so a cross-border transfer
  // the filed notice does not mention yet.
  const weekAgo = { ...ctx, now: new Date(ctx.now.getTime() - 7 * DAY) };
  const whatsapp = await addServiceFromCatalogue(weekAgo, 'whatsapp');
  serviceIds.push(whatsapp.id);
  const notice = await getNotice(ctx);
  return { serviceIds, taskIds: notice.openTasks.map((task) => task.id) };
}
