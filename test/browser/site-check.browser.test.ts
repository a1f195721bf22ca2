import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, makeOrg, type TestPerson } from '../factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/site-check');

describe('site check in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let auditor: TestPerson;

  beforeAll(async () => {
    running = await startTestServer();
    const org = await makeOrg(running);
    const marketer = await makeMember(running, org.orgId, 'marketer');
    auditor = await makeMember(running, org.orgId, 'auditor');
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    await page.goto(running.url);
    await page.getByLabel('Email').fill(marketer.email);
    await page.getByLabel('Пароль').fill(marketer.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Проверка сайта' }).first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('checks pasted HTML and shows the score and the findings by severity with fixes (R-C1, R-L1)', async () => {
    await page
      .getByRole('navigation')
      .first()
      .getByRole('link', { name: 'Проверка сайта' })
      .click();
    await page.getByRole('heading', { name: 'Проверка сайта' }).waitFor();
    await page.getByText('Вставить HTML').click();
    const html = readFileSync(path.join(FIXTURES, 'foreign-services.html'), 'utf8').replace(
      'name="consent_processing" value="on" required',
      'name="consent_processing" value="on" checked',
    );
    await page.getByRole('textbox', { name: 'HTML страницы' }).fill(html);
    await page.getByRole('button', { name: 'Проверить' }).click();

    await page.getByRole('heading', { name: /Оценка: \d+ из 100/ }).waitFor();
    const high = page.getByRole('heading', { name: /Высокая важность \(4\)/ });
    await high.waitFor();
    const prechecked = page.getByRole('article').filter({ hasText: 'consent_checkbox_prechecked' });
    await prechecked.getByText('Как исправить:').waitFor();
    await prechecked.getByText(/Уберите атрибут checked/).waitFor();
    const tracker = page.getByRole('article').filter({ hasText: 'foreign_tracker' });
    await tracker.getByText('Meta Pixel', { exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: /Низкая важность \(3\)/ }).count()).toBe(1);

    // The check is kept in the history, and opens again from there.
    const history = page.getByRole('table', { name: 'История проверок' });
    await history.getByText('Вставленный HTML').waitFor();
    expect(await history.locator('tbody tr').count()).toBe(1);
  });

  it('explains a refused private address in words and keeps the form usable from the keyboard', async () => {
    await page.getByText('По адресу').click();
    const address = page.getByRole('textbox', { name: 'Адрес страницы' });
    await address.fill('http://127.0.0.1/');
    await address.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'Не удалось загрузить страницу' });
    await alert.getByText(/внутреннюю сеть или на локальный компьютер/).waitFor();
    await alert.getByText('Код ошибки: ssrf_refused').waitFor();
  });
  it('shows an auditor the history without the form, and opens a stored check', async () => {
    const auditorPage = await browser.newPage({
      locale: 'ru-RU',
      viewport: { width: 1400, height: 1000 },
    });
    try {
      await auditorPage.goto(running.url);
      await auditorPage.getByLabel('Email').fill(auditor.email);
      await auditorPage.getByLabel('Пароль').fill(auditor.password);
      await auditorPage.getByRole('button', { name: 'Войти' }).click();
      await auditorPage
        .getByRole('navigation')
        .first()
        .getByRole('link', { name: 'Проверка сайта' })
        .click();
      const history = auditorPage.getByRole('table', { name: 'История проверок' });
      await history.getByText('Вставленный HTML').waitFor();
      expect(await auditorPage.getByRole('button', { name: 'Проверить' }).count()).toBe(0);
      await history
        .getByRole('button', { name: /Открыть проверку от/ })
        .first()
        .click();
      await auditorPage
        .getByRole('article')
        .filter({ hasText: 'consent_checkbox_prechecked' })
        .waitFor();
    } finally {
      await auditorPage.close();
    }
  });
});
