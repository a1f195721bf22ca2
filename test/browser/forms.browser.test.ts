import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaptureOrg, makeCaptureOrg } from '../capture-factories.ts';
import { signIn } from '../http.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

type LeadItem = {
  source: string;
  attribution: Record<string, string>;
  contact: { name: string | null; phone: string | null; email: string | null } | null;
};

/** The operator's own site: a plain page on another loopback port, with the embed snippet. */
async function startClinicSite(embedCode: string): Promise<{ url: string; server: Server }> {
  const page = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Клиника на набережной</title></head>
<body><h1>Запишитесь на приём</h1>
${embedCode}
</body></html>`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

async function expectUntickedBoxes(page: Page, count: number): Promise<void> {
  const boxes = page.getByRole('checkbox');
  await expect.poll(() => boxes.count()).toBe(count);
  for (const box of await boxes.all()) expect(await box.isChecked()).toBe(false);
}

describe('public forms in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let org: CaptureOrg;
  let site: { url: string; server: Server };

  beforeAll(async () => {
    running = await startTestServer();
    // Document links and the embed code point at the server the browser really reaches.
    running.deps.publicUrl = running.url;
    running.deps.submitRateLimits = { perClientIp: 1000, perForm: 1000 };
    org = await makeCaptureOrg(running);
    site = await startClinicSite(org.form.embedCode);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.server.close(resolve));
    await running?.close();
  });

  it('fills and submits the hosted form, each consent opening its own document', async () => {
    const context = await browser.newContext({
      locale: 'ru-RU',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(`${running.url}/f/${org.form.slug}?utm_source=vk&utm_medium=social`);
    await page.getByRole('heading', { name: 'Запись на приём' }).waitFor();
    await expectUntickedBoxes(page, 2);
    await page.screenshot({ path: '/tmp/soglasie-hosted-form.png', fullPage: true });

    const documentLinks = page.getByRole('link', { name: /Текст согласия/ });
    expect(await documentLinks.count()).toBe(2);
    const [popup] = await Promise.all([page.waitForEvent('popup'), documentLinks.first().click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe(`${running.url}/d/${org.processing.document?.id}`);
    await popup.getByText(org.processing.document?.sha256 ?? '-').waitFor();
    await popup.close();
    expect(
      await page
        .getByRole('link', { name: 'Политика обработки персональных данных' })
        .getAttribute('href'),
    ).toBe('https://clinic.test/privacy');

    await page.getByLabel('Имя').fill('Ирина Хостова');
    await page.getByLabel('Телефон').fill('+7 916 555-01-01');
    await page.getByLabel('Email').fill('irina.hosted@example.ru');
    await page.getByRole('checkbox', { name: /обработку персональных данных/ }).check();
    await page.getByRole('button', { name: 'Записаться' }).click();
    await page.getByText('Спасибо! Администратор перезвонит вам.').waitFor();
    // Submitted with script: the page stayed, the form was replaced by the thank-you text.
    expect(page.url()).toBe(`${running.url}/f/${org.form.slug}?utm_source=vk&utm_medium=social`);
    await context.close();
  });

  it('submits the hosted form as a plain form post when script is off', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${running.url}/f/${org.form.slug}?utm_source=2gis`);
    await expectUntickedBoxes(page, 2);
    await page.getByLabel('Имя').fill('Пётр Безскриптов');
    await page.getByLabel('Телефон').fill('8 (903) 555-02-02');
    await page.getByRole('checkbox', { name: /обработку персональных данных/ }).check();
    await page.getByRole('checkbox', { name: /рекламных сообщений/ }).check();
    await page.getByRole('button', { name: 'Записаться' }).click();
    await page.getByRole('heading', { name: 'Спасибо! Администратор перезвонит вам.' }).waitFor();
    expect(page.url()).toBe(`${running.url}/f/${org.form.slug}/submit`);
    await page.getByText('Имя: Пётр Безскриптов').waitFor();
    expect(await page.getByRole('listitem').filter({ hasText: 'Даю согласие' }).count()).toBe(2);
    await context.close();
  });

  it('renders the embedded form on another origin and submits it with the page’s campaign', async () => {
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).origin));
    await page.goto(`${site.url}/?utm_source=yandex&utm_medium=cpc&yclid=42`, {
      referer: 'https://yandex.ru/search/?text=clinic',
    });
    await page.getByLabel('Имя').waitFor();
    await expectUntickedBoxes(page, 2);
    const documentHrefs = await page
      .getByRole('link', { name: /Текст согласия/ })
      .evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    expect(documentHrefs).toEqual([
      `${running.url}/d/${org.processing.document?.id}`,
      `${running.url}/d/${org.advertising.document?.id}`,
    ]);
    await page.getByRole('link', { name: 'Политика обработки персональных данных' }).waitFor();
    await page.screenshot({ path: '/tmp/soglasie-embedded-form.png', fullPage: true });

    // A required consent left unticked: the server's refusal shows next to the form.
    await page.getByLabel('Имя').fill('Анна Встроенная');
    await page.getByLabel('Телефон').fill('+7 999 555-03-03');
    await page.getByLabel('Email').fill('anna.embedded@example.ru');
    await page.evaluate(() => {
      for (const box of Array.from(document.querySelectorAll('input[type=checkbox]'))) {
        box.removeAttribute('required');
      }
    });
    await page.getByRole('button', { name: 'Записаться' }).click();
    await page.getByText('Без этого согласия заявку отправить нельзя').waitFor();

    await page.getByRole('checkbox', { name: /обработку персональных данных/ }).check();
    await page.getByRole('button', { name: 'Записаться' }).click();
    await page.getByText('Спасибо! Администратор перезвонит вам.').waitFor();

    // No cookie, no storage, no request to anyone but the site and the CRM (R-E0, R-L1).
    expect(await context.cookies()).toEqual([]);
    expect(
      await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length]),
    ).toEqual(['', 0, 0]);
    expect([...new Set(requested)].sort()).toEqual([running.url, site.url].sort());
    await context.close();
  });

  it('leaves both submissions as leads with their campaign source', async () => {
    const owner = await signIn(running, org.owner.email, org.owner.password);
    const leads = await owner.get<{ items: LeadItem[] }>('/api/v1/leads');
    const byName = (name: string) => leads.body.items.find((lead) => lead.contact?.name === name);
    expect(byName('Ирина Хостова')).toMatchObject({
      source: 'vk',
      attribution: { utm_source: 'vk', utm_medium: 'social' },
    });
    expect(byName('Пётр Безскриптов')).toMatchObject({ source: '2gis' });
    expect(byName('Анна Встроенная')).toMatchObject({
      source: 'yandex',
      attribution: {
        utm_source: 'yandex',
        utm_medium: 'cpc',
        yclid: '42',
        landing_page: `${site.url}/?utm_source=yandex&utm_medium=cpc&yclid=42`,
        referrer: 'https://yandex.ru/search/',
      },
    });
    expect(leads.body.items).toHaveLength(3);
  });

  it('shows the leads with their sources in the UI, a script in a name shown as inert text', async () => {
    const payload = '<img src=x onerror="window.__xss=1">Мария';
    const posted = await fetch(`${running.url}/f/${org.form.slug}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        values: { name: payload, phone: '+7 916 555-04-04' },
        consents: { appointment: { isGiven: true, documentId: org.processing.document?.id } },
        utm_source: 'google',
      }),
    });
    expect(posted.status).toBe(201);

    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(running.url);
    await page.getByLabel('Email').fill(org.owner.email);
    await page.getByLabel('Пароль').fill(org.owner.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Лиды' }).click();
    const table = page.getByRole('table', { name: 'Лиды' });
    const rowOf = (name: string) => table.getByRole('row').filter({ hasText: name });
    await rowOf('Анна Встроенная').getByText('yandex', { exact: true }).waitFor();
    await rowOf('Ирина Хостова').getByText('vk', { exact: true }).waitFor();
    await rowOf('Пётр Безскриптов').getByText('2gis', { exact: true }).waitFor();
    await table.getByText(payload).waitFor();
    expect(await table.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await page.screenshot({ path: '/tmp/soglasie-leads.png', fullPage: true });
    await context.close();
  });
});
