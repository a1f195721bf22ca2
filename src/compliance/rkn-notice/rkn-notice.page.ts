import { countryNameRu } from '../../platform/countries.ts';
import { html, SafeHtml } from '../../platform/http/html.ts';
import type { TNoticeView } from './rkn-notice.schema.ts';

const STYLE = `
body{margin:0;color:#111;font:14px/1.45 "Times New Roman",Times,serif}
main{max-width:48rem;margin:0 auto;padding:2rem 1.5rem}
h1{font-size:1.3rem;text-align:center;margin:0 0 .5rem}
h2{font-size:1.05rem;margin:1.5rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0}
td,th{border:1px solid #444;padding:.3rem .45rem;vertical-align:top;text-align:left}
th{width:32%;font-weight:normal;background:#f2f2f2}
.gaps{border:2px solid #b00;padding:.5rem 1rem;margin:1rem 0}
.muted{color:#555;font-size:12px}
ul{margin:.2rem 0;padding-left:1.2rem}
@media print{.noprint{display:none}}
`;

const empty = html`<em>не указано</em>`;

function text(value: string | null): SafeHtml | string {
  return value ? value : empty;
}

function list(values: readonly string[]): SafeHtml {
  if (values.length === 0) return empty;
  return html`<ul>${values.map((value) => html`<li>${value}</li>`)}</ul>`;
}

function row(label: string, value: SafeHtml | string): SafeHtml {
  return html`<tr><th>${label}</th><td>${value}</td></tr>`;
}

/** The notice as a printable page, in Russian, with the gaps above the fields. */
export function renderNoticePage(notice: TNoticeView): string {
  const { fields } = notice;
  const body = html`
<h1>Уведомление об обработке (о намерении осуществлять обработку) персональных данных</h1>
<p class="muted" style="text-align:center">Сведения по ч. 3 ст. 22 Федерального закона № 152-ФЗ «О персональных данных»; сформировано ${notice.generatedAt.slice(0, 10)}; отпечаток сведений SHA-256 <code>${notice.fingerprint}</code></p>
${
  notice.gaps.length > 0
    ? html`<div class="gaps"><strong>Не хватает сведений:</strong>${list(notice.gaps.map((gap) => gap.message))}</div>`
    : ''
}
${
  notice.lastFiling
    ? html`<p class="muted">Последняя подача: ${notice.lastFiling.filedOn}, ${notice.lastFiling.reference}. ${notice.isChangedSinceFiled ? 'Сведения изменились после подачи — нужно уведомление об изменении.' : 'Сведения не менялись после подачи.'}</p>`
    : html`<p class="muted">Уведомление ещё не подавалось.</p>`
}
<h2>1. Оператор</h2>
<table>
${row('Наименование', text(fields.operator.legalName))}
${row('Адрес', text(fields.operator.address))}
${row('ИНН', text(fields.operator.inn))}
${row('ОГРН', text(fields.operator.ogrn))}
</table>
<h2>2–6. Цели обработки и сведения по каждой цели</h2>
${
  fields.purposes.length === 0
    ? html`<p>${empty}</p>`
    : fields.purposes.map(
        (purpose, index) => html`<table>
${row(`Цель ${index + 1}`, purpose.title)}
${row('Категории персональных данных', list(purpose.dataCategories.map((category) => (category.isSpecial ? `${category.title} (специальная категория)` : category.title))))}
${row('Категории субъектов', list(purpose.subjectCategories))}
${row('Правовое основание', purpose.legalBasis)}
${row('Перечень действий', purpose.actions.join(', '))}
${row('Способы обработки', purpose.methods)}
${row('Срок хранения', `${purpose.retentionDays} дн.`)}
</table>`,
      )
}
<h2>7. Меры по обеспечению безопасности (ст. 18.1, 19), в том числе шифрование</h2>
<table>
${row('Меры, обеспечиваемые программой «Согласие»', list(fields.securityMeasures.soglasie))}
${row('Иные меры оператора', list(fields.securityMeasures.extra))}
${row('Шифрование (криптографические средства)', fields.securityMeasures.encryption)}
</table>
<h2>7.1. Ответственный за организацию обработки</h2>
<table>
${row('ФИО', text(fields.responsible.name))}
${row('Контакты', text(fields.responsible.contacts))}
</table>
<h2>8–9. Сроки</h2>
<table>
${row('Дата начала обработки', text(fields.processingStartDate))}
${row('Срок или условие прекращения обработки', text(fields.endCondition))}
</table>
<h2>10. Трансграничная передача</h2>
<table>
${row('Осуществляется', fields.crossBorder.isPerformed ? 'да' : 'нет')}
${
  fields.crossBorder.countries.length > 0
    ? row(
        'Страны и получатели',
        list(
          fields.crossBorder.countries.map(
            (country) =>
              `${country.countryName}${country.isAdequate ? '' : ' (не обеспечивает адекватную защиту)'}: ${country.recipients.join(', ')}`,
          ),
        ),
      )
    : ''
}
</table>
<h2>10.1. Места нахождения баз данных</h2>
${
  fields.databaseLocations.length === 0
    ? html`<p>${empty}</p>`
    : html`<table><tr><th>Страна</th><td><strong>Город, адрес — хостинг-провайдер</strong></td></tr>${fields.databaseLocations.map(
        (location) =>
          row(
            countryNameRu(location.country),
            `${location.city}${location.address ? `, ${location.address}` : ''} — ${location.hostingProvider}`,
          ),
      )}</table>`
}
<h2>11. Сведения об обеспечении безопасности</h2>
<table>
${row('Уровень защищённости (ПП РФ от 01.11.2012 № 1119)', fields.protectionLevel ? `${fields.protectionLevel}-й уровень` : empty)}
</table>
<p class="noprint muted">Распечатайте страницу (Ctrl+P) или перенесите сведения в форму на портале Роскомнадзора.</p>`;
  return html`<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Уведомление в Роскомнадзор</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body><main>${body}</main></body>
</html>
`.text;
}
