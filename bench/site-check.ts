// npm run bench:sitecheck — the site checker on a generated page of 2,000 elements (forms,
// fields, links, scripts, images), run repeatedly; prints the median and p95 in milliseconds.
// Target: under 1 s per check. Needs no database: the checker is pure.
import { checkSite } from '../src/compliance/site-check/check-site.ts';

const ELEMENTS = Number(process.env.BENCH_ELEMENTS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A clinic page: nav links, 100 forms with fields and consent boxes, scripts, images, text. */
function generatePage(target: number): { html: string; elements: number } {
  const parts: string[] = [];
  let elements = 0;
  const nav = ['О клинике', 'Лицензии', 'Врачи', 'Цены', 'Отзывы', 'Записаться'];
  parts.push(`<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>Клиника «Бенчмарк» — медицинский центр</title>
<meta name="description" content="Приём врачей и диагностика.">
<link rel="canonical" href="https://bench.example/">
<script src="https://mc.yandex.ru/metrika/tag.js"></script>
</head><body><header><nav><ul>`);
  for (const item of nav) {
    parts.push(`<li><a href="/${encodeURIComponent(item)}">${item}</a></li>`);
    elements += 2;
  }
  parts.push('</ul></nav></header><main><h1>Клиника</h1><div class="cookie-banner">cookie</div>');
  elements += 3;
  let index = 0;
  while (elements < target) {
    const kind = index % 4;
    if (kind === 0) {
      // A form: form, 3 fields, 2 labels with boxes and links, a button = 11 elements.
      parts.push(`<form id="f${index}" action="/lead/${index}" method="post">
<input type="text" name="name"><input type="tel" name="phone"><textarea name="note"></textarea>
<label><input type="checkbox" name="c${index}"${index % 8 === 0 ? ' checked' : ''}> Согласие на <a href="/consent/${index}">обработку персональных данных</a></label>
<label><input type="checkbox" name="m${index}"> Согласие на рассылку, <a href="/policy">политика</a></label>
<button type="submit">Отправить</button></form>`);
      elements += 11;
    } else if (kind === 1) {
      parts.push(
        `<p>Врач-терапевт принимает пациентов <a href="/doctors/${index}">подробнее</a> <img src="/img/${index}.jpg" alt=""></p>`,
      );
      elements += 3;
    } else if (kind === 2) {
      parts.push(
        index % 40 === 2
          ? '<script src="https://www.googletagmanager.com/gtag/js?id=G-B"></script>'
          : `<script src="/js/chunk-${index}.js"></script>`,
      );
      elements += 1;
    } else {
      parts.push(
        `<section><h2>Услуга ${index}</h2><ul><li>Пункт</li><li><a href="/s/${index}">Цены</a></li></ul></section>`,
      );
      elements += 6;
    }
    index += 1;
  }
  parts.push(
    '</main><footer><a href="/policy">Политика конфиденциальности</a></footer></body></html>',
  );
  elements += 2;
  return { html: parts.join('\n'), elements };
}

function percentile(sorted: number[], fraction: number): number {
  const position = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, position)] ?? Number.NaN;
}

const { html, elements } = generatePage(ELEMENTS);
log(
  `page: ${elements.toLocaleString('en')} elements, ${Buffer.byteLength(html).toLocaleString('en')} bytes`,
);
// Warm-up: the first run compiles the parser's code paths.
const first = checkSite(html);
log(`findings: ${first.findings.map((finding) => finding.code).join(', ')} (score ${first.score})`);
const timings: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const started = performance.now();
  checkSite(html);
  timings.push(performance.now() - started);
}
const sorted = [...timings].sort((a, b) => a - b);
const median = percentile(sorted, 0.5);
const p95 = percentile(sorted, 0.95);
log(`runs: ${RUNS}`);
log(`median  ${median.toFixed(1)} ms   (target: under 1,000 ms)`);
log(`p95     ${p95.toFixed(1)} ms`);
log(`max     ${(sorted[sorted.length - 1] ?? 0).toFixed(1)} ms`);
process.stdout.write(
  `${JSON.stringify({
    elements,
    html_bytes: Buffer.byteLength(html),
    runs: RUNS,
    median_ms: Number(median.toFixed(1)),
    p95_ms: Number(p95.toFixed(1)),
  })}\n`,
);
