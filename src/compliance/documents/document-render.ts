// A generated document as a public HTML page and as a PDF (A4, Cyrillic in pdfmake's bundled
// Roboto). Both render the stored structured content; the hash is of its canonical text, served
// as is at `.txt`.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { html, publicPage, type SafeHtml } from '../../platform/http/html.ts';
import type { ContentBlock, DocumentContent } from './document-content.ts';

export type RenderMeta = {
  version: number;
  createdAt: Date;
  sha256: string;
  /** The version's own address (without extension) and the always-current one. */
  versionPath: string;
  latestPath: string;
  isLatest: boolean;
};

const DATE = new Intl.DateTimeFormat('ru-RU', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Moscow',
});

export function documentDate(at: Date): string {
  return DATE.format(at);
}

function blockHtml(block: ContentBlock): SafeHtml {
  switch (block.type) {
    case 'paragraph':
      return html`<p>${block.text}</p>`;
    case 'list':
      return html`<ul>${block.items.map((item) => html`<li>${item}</li>`)}</ul>`;
    case 'fields':
      return html`<table class="fields">${block.rows.map(
        (row) => html`<tr><th>${row.label}</th><td>${row.value}</td></tr>`,
      )}</table>`;
  }
}

const STYLE = `
main{max-width:52rem}
table.fields{border-collapse:collapse;width:100%;margin:.5rem 0}
table.fields th,table.fields td{border:1px solid #d5d8dd;padding:.4rem .5rem;text-align:left;vertical-align:top}
table.fields th{background:#f3f4f6;width:34%;font-weight:600}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.notice{background:#fff6e0;border-radius:8px;padding:.5rem .75rem}
@media print{body{background:#fff}.card{box-shadow:none}.noprint{display:none}}
`;

export function renderComplianceHtml(content: DocumentContent, meta: RenderMeta): string {
  const isEnglish = content.language === 'en';
  return publicPage({
    title: `${content.title} (${isEnglish ? 'version' : 'редакция'} ${meta.version})`,
    lang: content.language,
    style: STYLE,
    body: html`<article class="card">
<h1>${content.title}</h1>
${content.preamble.map((line) => html`<p>${line}</p>`)}
<p class="muted">${isEnglish ? 'Version' : 'Редакция'} ${meta.version} ${isEnglish ? 'of' : 'от'} ${documentDate(meta.createdAt)}</p>
${
  meta.isLatest
    ? ''
    : html`<p class="notice noprint">${isEnglish ? 'This version has been superseded.' : 'Эта редакция заменена новой.'} <a href="${meta.latestPath}">${isEnglish ? 'Current version' : 'Действующая редакция'}</a></p>`
}
${content.sections.map(
  (section, index) =>
    html`<section id="${section.id}"><h2>${index + 1}. ${section.heading}</h2>${section.blocks.map(blockHtml)}</section>`,
)}
<hr>
<p class="muted">SHA-256: <code>${meta.sha256}</code></p>
<p class="muted noprint"><a href="${meta.versionPath}.txt">${isEnglish ? 'Canonical text (UTF-8)' : 'Канонический текст (UTF-8)'}</a> · <a href="${meta.versionPath}.pdf">PDF</a> · <a href="${meta.versionPath}">${isEnglish ? 'Permanent link to this version' : 'Постоянная ссылка на эту редакцию'}</a></p>
</article>`,
  });
}

export function renderComplianceNotFound(): string {
  return publicPage({
    title: 'Документ не найден',
    body: html`<div class="card"><h1>Документ не найден</h1><p>Проверьте адрес ссылки.</p></div>`,
  });
}

// PDF

type PdfMake = {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(callback: (url: string) => boolean): void;
  setLocalAccessPolicy(callback: (path: string) => boolean): void;
  createPdf(definition: Record<string, unknown>): { getBuffer(): Promise<Buffer> };
};

let pdfmake: PdfMake | null = null;

export function pdfmakeInstance(): PdfMake {
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

function blockPdf(block: ContentBlock): unknown {
  switch (block.type) {
    case 'paragraph':
      return { text: block.text, margin: [0, 2, 0, 4] };
    case 'list':
      return { ul: block.items, margin: [0, 2, 0, 4] };
    case 'fields':
      return {
        table: {
          widths: [150, '*'],
          body: block.rows.map((row) => [{ text: row.label, bold: true }, row.value]),
        },
        margin: [0, 2, 0, 6],
        fontSize: 9,
      };
  }
}

export function renderCompliancePdf(content: DocumentContent, meta: RenderMeta): Promise<Buffer> {
  const isEnglish = content.language === 'en';
  const definition = {
    info: { title: `${content.title} (${meta.version})` },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    content: [
      { text: content.title, fontSize: 15, bold: true, margin: [0, 0, 0, 6] },
      ...content.preamble.map((line) => ({ text: line, margin: [0, 0, 0, 2] })),
      {
        text: `${isEnglish ? 'Version' : 'Редакция'} ${meta.version} ${isEnglish ? 'of' : 'от'} ${documentDate(meta.createdAt)}`,
        color: '#555',
        margin: [0, 4, 0, 8],
      },
      ...content.sections.flatMap((section, index) => [
        {
          text: `${index + 1}. ${section.heading}`,
          bold: true,
          fontSize: 12,
          margin: [0, 8, 0, 4],
        },
        ...section.blocks.map(blockPdf),
      ]),
      { text: `SHA-256: ${meta.sha256}`, fontSize: 8, color: '#555', margin: [0, 12, 0, 0] },
    ],
  };
  return pdfmakeInstance().createPdf(definition).getBuffer();
}
