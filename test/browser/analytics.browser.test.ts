import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAnalytics } from '../analytics-factories.ts';
import { makeMember, makeOrg } from '../factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/spend');

describe('analytics in a real browser (issue 7, item 10)', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestServer();
    const org = await makeOrg(running);
    await seedAnalytics(running, org.orgId, { seed: 11, visitors: 80 });
    const marketer = await makeMember(running, org.orgId, 'marketer');
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1500, height: 1100 } });
    await page.goto(running.url);
    await page.getByLabel('Email').fill(marketer.email);
    await page.getByLabel('Пароль').fill(marketer.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('navigation').first().getByRole('link', { name: 'Аналитика' }).click();
    await page.getByRole('heading', { name: 'Аналитика' }).waitFor();
    await page.getByLabel('С', { exact: true }).fill('2026-03-01');
    await page.getByLabel('По', { exact: true }).fill('2026-03-31');
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('shows the charts, a sortable channel table and export links for the period', async () => {
    const table = page.getByRole('table').filter({ hasText: 'Яндекс Директ' });
    await table.waitFor();
    await page.getByRole('heading', { name: 'Воронка' }).waitFor();
    await page.getByRole('heading', { name: 'Расходы и выручка' }).waitFor();
    expect(await page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(2);
    const spendHeader = table.getByRole('columnheader', { name: /Расход/ });
    expect(await spendHeader.getAttribute('aria-sort')).toBe('descending');
    await spendHeader.getByRole('button').click();
    await expect.poll(() => spendHeader.getAttribute('aria-sort')).toBe('ascending');
    const csv = page.getByRole('link', { name: 'Скачать CSV' }).last();
    expect(await csv.getAttribute('href')).toMatch(
      /table=channels.*from=2026-03-01|from=2026-03-01.*table=channels/,
    );
  });

  it('compares every model and shows the directors’ check', async () => {
    await page.getByRole('tab', { name: 'Модели атрибуции' }).click();
    await page.getByRole('heading', { name: 'Проверка директора' }).waitFor();
    await page.getByRole('columnheader', { name: 'Вектор Шепли' }).waitFor();
    await page.getByRole('columnheader', { name: 'CAC директора' }).waitFor();
  });

  it('previews a Yandex Direct export with its sum, then imports it', async () => {
    await page.getByRole('tab', { name: 'Расходы' }).click();
    await page
      .locator('input[type="file"]')
      .setInputFiles(path.join(FIXTURES, 'yandex-direct.csv'));
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByText(/yandex_direct: 4 строк/).waitFor();
    await page.getByRole('button', { name: 'Загрузить 4 строк' }).click();
    await page.getByText('Загружено строк: 4').waitFor();
  });
});
