// The printable report of a year's audit (R-L5): every item with its state, the automatic check
// result and the evidence list with hashes. HTML for the browser's print, PDF for the file.
import { html } from '../../platform/http/html.ts';
import { pdfmakeInstance } from '../documents/document-render.ts';
import type { TAuditItem, TChecklist, TEvidence } from './audit.schema.ts';

const DATE_TIME = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow',
  dateStyle: 'long',
  timeStyle: 'short',
});

function when(iso: string | null): string {
  return iso ? DATE_TIME.format(new Date(iso)) : '—';
}

const CHECK_RU = { passed: 'пройдена', failed: 'не пройдена', not_available: 'недоступна' };

export function auditReportTitle(checklist: Pick<TChecklist, 'year'>): string {
  return `Отчёт о внутреннем контроле (аудите) обработки персональных данных за ${checklist.year} год`;
}

function evidenceLine(entry: TEvidence): string {
  switch (entry.kind) {
    case 'file':
      return `Файл «${entry.fileName}» (${entry.sizeBytes} байт), SHA-256 ${entry.sha256}, добавлен ${when(entry.createdAt)}${entry.note ? ` — ${entry.note}` : ''}`;
    case 'document':
      return `Документ: ${entry.documentTitle ?? entry.documentId}, ${entry.documentUrl ?? ''}, SHA-256 ${entry.sha256 ?? ''}${entry.note ? ` — ${entry.note}` : ''}`;
    case 'check':
      return `Автоматическая проверка ${when(entry.createdAt)}: ${CHECK_RU[entry.checkStatus as keyof typeof CHECK_RU] ?? entry.checkStatus} — ${entry.checkSummary ?? ''}`;
  }
}

function itemState(item: TAuditItem): string {
  return item.isClosed ? `закрыт ${when(item.closedAt)}` : 'открыт';
}

export function renderAuditHtml(checklist: TChecklist, operatorName: string): string {
  return html`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${auditReportTitle(checklist)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#111}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;width:30%}code{word-break:break-all;font-size:.85em}
@media print{body{margin:0}}
</style></head><body>
<h1>${auditReportTitle(checklist)}</h1>
<p>${operatorName}</p>
<p>Начат ${when(checklist.createdAt)}; ${checklist.completedAt ? `завершён ${when(checklist.completedAt)}` : 'не завершён'}. Закрыто пунктов: ${checklist.progress.closed} из ${checklist.progress.total}.</p>
${checklist.items.map(
  (item, index) => html`<h2>${index + 1}. ${item.title}</h2>
<table>
<tr><th>Состояние</th><td>${itemState(item)}</td></tr>
<tr><th>Автоматическая проверка</th><td>${item.check ? `${CHECK_RU[item.check.status]} (${when(item.check.checkedAt)}): ${item.check.summary}` : item.isAutomatic ? 'не запускалась' : 'не предусмотрена'}</td></tr>
<tr><th>Примечание</th><td>${item.note ?? '—'}</td></tr>
<tr><th>Подтверждения</th><td>${item.evidence.length === 0 ? 'нет' : html`<ol>${item.evidence.map((entry) => html`<li>${evidenceLine(entry)}</li>`)}</ol>`}</td></tr>
</table>`,
)}
</body></html>`.text;
}

export function renderAuditPdf(checklist: TChecklist, operatorName: string): Promise<Buffer> {
  const definition = {
    info: { title: auditReportTitle(checklist) },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    content: [
      { text: auditReportTitle(checklist), fontSize: 14, bold: true, margin: [0, 0, 0, 6] },
      { text: operatorName, margin: [0, 0, 0, 4] },
      {
        text: `Начат ${when(checklist.createdAt)}; ${checklist.completedAt ? `завершён ${when(checklist.completedAt)}` : 'не завершён'}. Закрыто пунктов: ${checklist.progress.closed} из ${checklist.progress.total}.`,
        margin: [0, 0, 0, 8],
      },
      ...checklist.items.flatMap((item, index) => [
        { text: `${index + 1}. ${item.title}`, bold: true, margin: [0, 8, 0, 2] },
        {
          table: {
            widths: [140, '*'],
            body: [
              ['Состояние', itemState(item)],
              [
                'Автоматическая проверка',
                item.check
                  ? `${CHECK_RU[item.check.status]} (${when(item.check.checkedAt)}): ${item.check.summary}`
                  : item.isAutomatic
                    ? 'не запускалась'
                    : 'не предусмотрена',
              ],
              ['Примечание', item.note ?? '—'],
              [
                'Подтверждения',
                item.evidence.length === 0
                  ? 'нет'
                  : { ol: item.evidence.map((entry) => evidenceLine(entry)) },
              ],
            ],
          },
          fontSize: 9,
        },
      ]),
    ],
  };
  return pdfmakeInstance().createPdf(definition).getBuffer();
}
