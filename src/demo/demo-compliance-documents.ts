import {
  attachEvidence,
  closeAuditItem,
  getChecklist,
  openChecklist,
  runChecks,
} from '../compliance/audit/audit.service.ts';
import { generateDocuments } from '../compliance/documents/documents.service.ts';
import type { Ctx } from '../platform/context.ts';

const RESTORE_LOG = [
  'Проверка восстановления из резервной копии',
  'Копия: ежедневная, 03:00 МСК; ключи и данные хранятся раздельно',
  'Восстановлено на тестовом сервере: все таблицы, 0 ошибок',
  'Проверил: администратор системы',
  '',
].join('\n');

/**
 * The demo clinic's compliance documents and a half-done audit of the current year: every
 * document generated from the registry, the automatic checks run, the items whose check passed
 * closed on it, the backup check closed on an uploaded restore log, the rest left open.
 * Adds nothing when the year's checklist exists already.
 */
export async function seedDemoComplianceDocuments(
  ctx: Ctx,
): Promise<{ documents: number; year: number; closed: number } | null> {
  const year = Number(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric' }).format(
      ctx.now,
    ),
  );
  try {
    await getChecklist(ctx, year);
    return null;
  } catch (error) {
    if ((error as { code?: string }).code !== 'not_found') throw error;
  }
  const generated = await generateDocuments(ctx, {});
  await openChecklist(ctx, year);
  const checked = await runChecks(ctx, year);
  for (const item of checked.items) {
    if (item.check?.status === 'passed' && item.code !== 'consent_texts_complete') {
      await closeAuditItem(ctx, {
        year,
        code: item.code,
        note: 'Закрыто по автоматической проверке',
      });
    }
  }
  await attachEvidence(ctx, {
    year,
    code: 'backups_verified',
    body: {
      kind: 'file',
      fileName: 'proverka-vosstanovleniya.txt',
      contentType: 'text/plain',
      contentBase64: Buffer.from(RESTORE_LOG, 'utf8').toString('base64'),
      note: 'Журнал проверки восстановления',
    },
  });
  const result = await closeAuditItem(ctx, { year, code: 'backups_verified' });
  return { documents: generated.created.length, year, closed: result.progress.closed };
}
