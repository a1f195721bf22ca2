// The destruction act and the event-log extract as a printable HTML page and as a PDF, with every
// item RKN Order No. 179 of 28.10.2022 asks for (R-D6). Both are built from the same decrypted
// act content; the PDF uses pdfmake's bundled Roboto fonts, which carry Cyrillic.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { html, type SafeHtml } from '../platform/http/html.ts';
import type { TAct } from './retention.schema.ts';

const MOSCOW = 'Europe/Moscow';

function dateTime(iso: string): string {
  return new Intl.DateTimeFormat('ru-RU', {
    timeZone: MOSCOW,
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(new Date(iso));
}

function date(iso: string): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone: MOSCOW, dateStyle: 'long' }).format(
    new Date(iso),
  );
}

const ACTION_TITLES: Record<string, string> = {
  deleted: 'удалено',
  deidentified: 'обезличено',
  shredded: 'ключ уничтожен',
};

export function actTitle(act: Pick<TAct, 'number'>): string {
  return `Акт об уничтожении персональных данных № ${act.number}`;
}

export function actFilename(act: Pick<TAct, 'number' | 'destroyedAt'>, extension: string): string {
  return `destruction-act-${act.number}-${act.destroyedAt.slice(0, 10)}.${extension}`;
}

function subjectIdentity(subject: TAct['content']['subjects'][number]): string {
  const parts = [subject.name, subject.phone, subject.email].filter(
    (part): part is string => part !== null && part !== '',
  );
  return parts.length > 0 ? parts.join(', ') : 'данные не сохранились';
}

/** The act and the extract as one printable page. */
export function renderActHtml(act: TAct): string {
  const { content } = act;
  const rows = (items: [string, SafeHtml | string][]) =>
    items.map(([label, value]) => html`<tr><th>${label}</th><td>${value}</td></tr>`);
  const body = html`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${actTitle(act)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#111}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;width:32%}code{word-break:break-all;font-size:.85em}
.ok{color:#176c2f}.bad{color:#b00020}
@media print{body{margin:0}}
</style></head><body>
<h1>${actTitle(act)}</h1>
<p>Составлен ${dateTime(content.date)} (время московское) в соответствии с требованиями к подтверждению уничтожения
персональных данных, утверждёнными приказом Роскомнадзора от 28.10.2022 № 179.</p>
<table>
${rows([
  [
    'Оператор',
    `${content.operator.name}${content.operator.inn ? `, ИНН ${content.operator.inn}` : ''}${
      content.operator.ogrn ? `, ОГРН ${content.operator.ogrn}` : ''
    }`,
  ],
  ['Адрес оператора', content.operator.address],
  [
    'Лицо, осуществляющее обработку по поручению оператора',
    content.processors.length > 0
      ? content.processors.map((processor) => `${processor.name}, ${processor.address}`).join('; ')
      : 'не привлекалось',
  ],
  ['Дата уничтожения', dateTime(content.date)],
  ['Информационная система', content.informationSystem],
  ['Способ уничтожения', content.method],
  [
    'Причина уничтожения',
    content.reasons.map((reason) => `${reason.text} — субъектов: ${reason.subjects}`).join('; '),
  ],
  ['Перечень категорий уничтоженных персональных данных', content.categories.join('; ')],
  ['Количество субъектов', String(content.subjects.length)],
])}
</table>
<h2>Субъекты, персональные данные которых уничтожены</h2>
<table><thead><tr><th>№</th><th>Идентифицирующие сведения</th><th>Идентификатор в системе</th></tr></thead><tbody>
${content.subjects.map(
  (subject, index) =>
    html`<tr><td>${index + 1}</td><td>${subjectIdentity(subject)}</td><td><code>${subject.contactId}</code></td></tr>`,
)}
</tbody></table>
<h2>Лица, уничтожившие персональные данные</h2>
<table><thead><tr><th>Ф. И. О. / наименование</th><th>Должность</th><th>Подпись</th></tr></thead><tbody>
${content.destroyedBy.map(
  (person) =>
    html`<tr><td>${person.name}</td><td>${person.position}</td><td>${person.signature}</td></tr>`,
)}
</tbody></table>
<h2>Электронная подпись</h2>
<table>
${rows([
  ['Контрольная сумма (SHA-256)', html`<code>${act.contentSha256}</code>`],
  ['Подпись Ed25519 (base64)', html`<code>${act.signature}</code>`],
  ['Открытый ключ организации (SPKI, base64)', html`<code>${act.publicKey}</code>`],
  [
    'Проверка подписи',
    act.isSignatureValid
      ? html`<span class="ok">подпись верна</span>`
      : html`<span class="bad">ПОДПИСЬ НЕВЕРНА</span>`,
  ],
  ['Хранить до', date(act.keepUntil)],
])}
</table>
<h2>Выгрузка из журнала регистрации событий в информационной системе</h2>
<table>
${rows([
  ['Информационная система', content.extract.informationSystem],
  ['Дата выгрузки', dateTime(content.extract.generatedAt)],
])}
</table>
<table><thead><tr><th>Субъект</th><th>Категории персональных данных</th><th>Причина</th><th>Дата уничтожения</th><th>Действия в базе данных</th></tr></thead><tbody>
${content.extract.entries.map(
  (entry) =>
    html`<tr><td>${entry.subject}<br><code>${entry.contactId}</code></td><td>${entry.categories.join('; ')}</td><td>${entry.reason}</td><td>${dateTime(entry.destroyedAt)}</td><td>${entry.operations
      .map(
        (operation) =>
          `${operation.table}: ${ACTION_TITLES[operation.action] ?? operation.action} (${operation.rows})`,
      )
      .join('; ')}</td></tr>`,
)}
</tbody></table>
</body></html>`;
  return body.text;
}

// PDF

type PdfContent = unknown;
type PdfMake = {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(callback: (url: string) => boolean): void;
  setLocalAccessPolicy(callback: (path: string) => boolean): void;
  createPdf(definition: Record<string, unknown>): { getBuffer(): Promise<Buffer> };
};

let pdfmake: PdfMake | null = null;

function pdfmakeInstance(): PdfMake {
  if (pdfmake) return pdfmake;
  const require = createRequire(import.meta.url);
  const loaded = require('pdfmake') as PdfMake;
  const fontDir = join(dirname(require.resolve('pdfmake/fonts/Roboto.js')), 'Roboto');
  loaded.setFonts({
    Roboto: {
      normal: join(fontDir, 'Roboto-Regular.ttf'),
      bold: join(fontDir, 'Roboto-Medium.ttf'),
      italics: join(fontDir, 'Roboto-Italic.ttf'),
      bolditalics: join(fontDir, 'Roboto-MediumItalic.ttf'),
    },
  });
  // Only the bundled fonts are read; nothing is fetched.
  loaded.setUrlAccessPolicy(() => false);
  loaded.setLocalAccessPolicy((path) => path.startsWith(fontDir));
  pdfmake = loaded;
  return loaded;
}

function table(
  headers: string[] | null,
  body: string[][],
  widths: (string | number)[],
): PdfContent {
  return {
    table: {
      headerRows: headers ? 1 : 0,
      widths,
      body: [
        ...(headers ? [headers.map((header) => ({ text: header, bold: true }))] : []),
        ...body,
      ],
    },
    margin: [0, 4, 0, 10],
    fontSize: 9,
  };
}

/** The same act as a PDF (A4), Cyrillic in the embedded Roboto font. */
export async function renderActPdf(act: TAct): Promise<Buffer> {
  const { content } = act;
  const definition = {
    info: { title: actTitle(act), subject: 'Приказ Роскомнадзора от 28.10.2022 № 179' },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    content: [
      { text: actTitle(act), fontSize: 15, bold: true, margin: [0, 0, 0, 8] },
      {
        text: `Составлен ${dateTime(content.date)} (время московское).`,
        margin: [0, 0, 0, 8],
      },
      table(
        null,
        [
          [
            'Оператор',
            `${content.operator.name}${content.operator.inn ? `, ИНН ${content.operator.inn}` : ''}${
              content.operator.ogrn ? `, ОГРН ${content.operator.ogrn}` : ''
            }`,
          ],
          ['Адрес оператора', content.operator.address],
          [
            'Лицо, осуществляющее обработку по поручению оператора',
            content.processors.length > 0
              ? content.processors
                  .map((processor) => `${processor.name}, ${processor.address}`)
                  .join('; ')
              : 'не привлекалось',
          ],
          ['Дата уничтожения', dateTime(content.date)],
          ['Информационная система', content.informationSystem],
          ['Способ уничтожения', content.method],
          [
            'Причина уничтожения',
            content.reasons
              .map((reason) => `${reason.text} — субъектов: ${reason.subjects}`)
              .join('; '),
          ],
          ['Категории уничтоженных персональных данных', content.categories.join('; ')],
          ['Количество субъектов', String(content.subjects.length)],
        ],
        [150, '*'],
      ),
      {
        text: 'Субъекты, персональные данные которых уничтожены',
        bold: true,
        margin: [0, 6, 0, 2],
      },
      table(
        ['№', 'Идентифицирующие сведения', 'Идентификатор'],
        content.subjects.map((subject, index) => [
          String(index + 1),
          subjectIdentity(subject),
          subject.contactId,
        ]),
        [20, '*', 190],
      ),
      { text: 'Лица, уничтожившие персональные данные', bold: true, margin: [0, 6, 0, 2] },
      table(
        ['Ф. И. О. / наименование', 'Должность', 'Подпись'],
        content.destroyedBy.map((person) => [person.name, person.position, person.signature]),
        ['*', '*', '*'],
      ),
      { text: 'Электронная подпись', bold: true, margin: [0, 6, 0, 2] },
      table(
        null,
        [
          ['Контрольная сумма (SHA-256)', act.contentSha256],
          ['Подпись Ed25519 (base64)', act.signature],
          ['Открытый ключ (SPKI, base64)', act.publicKey],
          ['Проверка подписи', act.isSignatureValid ? 'подпись верна' : 'ПОДПИСЬ НЕВЕРНА'],
          ['Хранить до', date(act.keepUntil)],
        ],
        [150, '*'],
      ),
      {
        text: 'Выгрузка из журнала регистрации событий в информационной системе',
        bold: true,
        fontSize: 12,
        margin: [0, 10, 0, 2],
        pageBreak: 'before',
      },
      table(
        null,
        [
          ['Информационная система', content.extract.informationSystem],
          ['Дата выгрузки', dateTime(content.extract.generatedAt)],
        ],
        [150, '*'],
      ),
      table(
        ['Субъект', 'Категории', 'Причина', 'Дата уничтожения', 'Действия'],
        content.extract.entries.map((entry) => [
          `${entry.subject}\n${entry.contactId}`,
          entry.categories.join('; '),
          entry.reason,
          dateTime(entry.destroyedAt),
          entry.operations
            .map(
              (operation) =>
                `${operation.table}: ${ACTION_TITLES[operation.action] ?? operation.action} (${operation.rows})`,
            )
            .join('; '),
        ]),
        [90, 80, '*', 60, 100],
      ),
    ],
  };
  return pdfmakeInstance().createPdf(definition).getBuffer();
}
