// The Roskomnadzor notice as a PDF (A4), the same fields and gaps as the printable page, in
// pdfmake's bundled Roboto fonts, which carry Cyrillic. Nothing is fetched: only the fonts are read.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { countryNameRu } from '../../platform/countries.ts';
import type { TNoticeView } from './rkn-notice.schema.ts';

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
  loaded.setUrlAccessPolicy(() => false);
  loaded.setLocalAccessPolicy((path) => path.startsWith(fontDir));
  pdfmake = loaded;
  return loaded;
}

const NOT_SET = 'не указано';

function rows(body: [string, string][]): unknown {
  return {
    table: { widths: [170, '*'], body: body.map(([label, value]) => [label, value || NOT_SET]) },
    margin: [0, 2, 0, 8],
    fontSize: 9,
  };
}

function heading(text: string): unknown {
  return { text, bold: true, fontSize: 11, margin: [0, 6, 0, 2] };
}

export async function renderNoticePdf(notice: TNoticeView): Promise<Buffer> {
  const { fields } = notice;
  const definition = {
    info: { title: 'Уведомление в Роскомнадзор', subject: 'ч. 3 ст. 22 152-ФЗ' },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    content: [
      {
        text: 'Уведомление об обработке (о намерении осуществлять обработку) персональных данных',
        fontSize: 14,
        bold: true,
        margin: [0, 0, 0, 6],
      },
      {
        text: `Сведения по ч. 3 ст. 22 Федерального закона № 152-ФЗ; сформировано ${notice.generatedAt.slice(0, 10)}; отпечаток SHA-256 ${notice.fingerprint}`,
        fontSize: 8,
        margin: [0, 0, 0, 8],
      },
      ...(notice.gaps.length > 0
        ? [
            { text: 'Не хватает сведений:', bold: true, color: '#b00000' },
            { ul: notice.gaps.map((gap) => gap.message), margin: [0, 2, 0, 8], fontSize: 9 },
          ]
        : []),
      heading('1. Оператор'),
      rows([
        ['Наименование', fields.operator.legalName ?? ''],
        ['Адрес', fields.operator.address ?? ''],
        ['ИНН', fields.operator.inn ?? ''],
        ['ОГРН', fields.operator.ogrn ?? ''],
      ]),
      heading('2–6. Цели обработки и сведения по каждой цели'),
      ...(fields.purposes.length === 0
        ? [{ text: NOT_SET }]
        : fields.purposes.map((purpose, index) =>
            rows([
              [`Цель ${index + 1}`, purpose.title],
              [
                'Категории персональных данных',
                purpose.dataCategories
                  .map((category) =>
                    category.isSpecial
                      ? `${category.title} (специальная категория)`
                      : category.title,
                  )
                  .join('; '),
              ],
              ['Категории субъектов', purpose.subjectCategories.join('; ')],
              ['Правовое основание', purpose.legalBasis],
              ['Перечень действий', purpose.actions.join(', ')],
              ['Способы обработки', purpose.methods],
              ['Срок хранения', `${purpose.retentionDays} дн.`],
            ]),
          )),
      heading('7. Меры по обеспечению безопасности, в том числе шифрование'),
      { ul: [...fields.securityMeasures.soglasie, ...fields.securityMeasures.extra], fontSize: 9 },
      { text: fields.securityMeasures.encryption, fontSize: 9, margin: [0, 4, 0, 8] },
      heading('7.1. Ответственный за организацию обработки'),
      rows([
        ['ФИО', fields.responsible.name ?? ''],
        ['Контакты', fields.responsible.contacts ?? ''],
      ]),
      heading('8–9. Сроки'),
      rows([
        ['Дата начала обработки', fields.processingStartDate ?? ''],
        ['Срок или условие прекращения', fields.endCondition ?? ''],
      ]),
      heading('10. Трансграничная передача'),
      rows([
        ['Осуществляется', fields.crossBorder.isPerformed ? 'да' : 'нет'],
        ...fields.crossBorder.countries.map((country): [string, string] => [
          `${country.countryName}${country.isAdequate ? '' : ' (не обеспечивает адекватную защиту)'}`,
          country.recipients.join(', '),
        ]),
      ]),
      heading('10.1. Места нахождения баз данных'),
      fields.databaseLocations.length === 0
        ? { text: NOT_SET }
        : rows(
            fields.databaseLocations.map((location): [string, string] => [
              countryNameRu(location.country),
              `${location.city}${location.address ? `, ${location.address}` : ''} — ${location.hostingProvider}`,
            ]),
          ),
      heading('11. Сведения об обеспечении безопасности'),
      rows([
        [
          'Уровень защищённости (ПП РФ № 1119)',
          fields.protectionLevel ? `${fields.protectionLevel}-й уровень` : '',
        ],
      ]),
    ],
  };
  return pdfmakeInstance().createPdf(definition).getBuffer();
}
