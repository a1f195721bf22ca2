import { html, publicPage } from '../platform/http/html.ts';

const DATE = new Intl.DateTimeFormat('ru-RU', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Moscow',
});

/** A consent document as a person reads it: the exact text, its version, date and hash. */
export function renderDocumentPage(document: {
  id: string;
  title: string;
  body: string;
  version: number;
  sha256: string;
  createdAt: Date;
}): string {
  return publicPage({
    title: `${document.title} (версия ${document.version})`,
    body: html`<article class="card">
<h1>${document.title}</h1>
<p class="muted">Версия ${document.version} от ${DATE.format(document.createdAt)}</p>
<pre class="document">${document.body}</pre>
<hr>
<p class="muted">SHA-256 текста: <code>${document.sha256}</code></p>
<p class="muted"><a href="/d/${document.id}.txt">Точный текст документа (обычный текст, UTF-8)</a> — его SHA-256 совпадает с указанным.</p>
</article>`,
  });
}

export function renderDocumentNotFoundPage(): string {
  return publicPage({
    title: 'Документ не найден',
    body: html`<div class="card"><h1>Документ не найден</h1><p>Проверьте адрес ссылки.</p></div>`,
  });
}
