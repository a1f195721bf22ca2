import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from './check-site.ts';
import { fetchPage } from './fetch-page.ts';
import { checkPolicyMentions } from './policy-mention.ts';

// A real local site whose pages link policies that do or do not name Yandex Metrica (R-L4).
const METRICA = `<script>(function(m,e,t,r,i,k,a){})(window,document,"script","https://mc.yandex.ru/metrika/tag.js","ym");ym(1,"init",{});</script>`;

function page(policyHref: string): string {
  return `<html><head><title>Клиника</title><meta name="description" content="Приём врачей">
    <link rel="canonical" href="https://klinika.example/">${METRICA}</head><body><h1>Клиника</h1>
    <div class="cookie-banner">Мы используем cookie</div>
    <footer><a href="${policyHref}">Политика конфиденциальности</a></footer></body></html>`;
}

let server: Server;
let base = '';
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = request.url ?? '/';
    hits.push(url);
    const html: Record<string, string> = {
      '/named': page('/policy-named'),
      '/silent': page('/policy-silent'),
      '/broken': page('/policy-missing'),
      '/elsewhere': page(`http://localhost:${port}/policy-named`),
      '/policy-named':
        '<h1>Политика</h1><p>Для статистики посещений мы используем сервис Яндекс Метрика.</p>',
      '/policy-silent': '<h1>Политика</h1><p>Мы обрабатываем имя и телефон.</p>',
    };
    const body = html[url];
    if (body === undefined) response.writeHead(404, { 'content-type': 'text/html' }).end('no');
    else response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function check(path: string) {
  const fetchOptions = { allowPrivate: true, timeoutMs: 3000 };
  const fetched = await fetchPage(`${base}${path}`, fetchOptions);
  const before = checkSite(fetched.html, { url: fetched.url, clinic: false });
  expect(before.findings.map((finding) => finding.code)).toEqual([
    'russian_tracker_needs_policy_mention',
  ]);
  return checkPolicyMentions({
    result: before,
    html: fetched.html,
    pageUrl: fetched.finalUrl,
    requestedHost: '127.0.0.1',
    fetchOptions,
  });
}

describe('checkPolicyMentions', () => {
  it('drops the finding when the linked policy names Yandex Metrica', async () => {
    const result = await check('/named');
    expect(result.findings).toEqual([]);
    expect(result.score).toBe(100);
    expect(hits).toContain('/policy-named');
  });

  it('keeps it, saying which policy was read, when the policy does not name it', async () => {
    const result = await check('/silent');
    expect(result.findings.map((finding) => finding.code)).toEqual([
      'russian_tracker_needs_policy_mention',
    ]);
    expect(result.findings[0]?.evidence).toEqual([
      `Яндекс Метрика (not named in ${base}/policy-silent)`,
    ]);
    expect(result.score).toBe(97);
  });

  it('keeps it when the policy cannot be read', async () => {
    const result = await check('/broken');
    expect(result.findings[0]?.evidence).toEqual([
      `Яндекс Метрика (policy ${base}/policy-missing not read: http_error)`,
    ]);
  });

  it('does not follow a policy link to another private host (SSRF)', async () => {
    const before = hits.filter((hit) => hit === '/policy-named').length;
    const result = await check('/elsewhere');
    expect(result.findings[0]?.evidence[0]).toMatch(/not read: ssrf_refused/);
    expect(hits.filter((hit) => hit === '/policy-named').length).toBe(before);
  });
});
