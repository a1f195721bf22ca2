import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitForm } from '../../src/forms/submissions.service.ts';
import { type CaptureOrg, makeCaptureOrg } from '../capture-factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

describe('the privacy portal in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let org: CaptureOrg;
  let receiptPath: string;

  beforeAll(async () => {
    running = await startTestServer();
    org = await makeCaptureOrg(running);
    const submitted = await submitForm(
      {
        db: running.db,
        keys: running.keys,
        publicUrl: running.deps.publicUrl,
        now: new Date(),
      },
      {
        formSlug: org.form.slug,
        values: { name: 'Мария Кузнецова', phone: '+7 916 222-33-44', email: 'maria@patient.test' },
        consents: {
          appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
          marketing: { isGiven: true, documentId: org.advertising.document?.id ?? null },
        },
        idempotencyKey: null,
        attribution: { utm_source: 'vk' },
        client: { ip: '203.0.113.8', userAgent: 'Mozilla/5.0', pageUrl: 'https://clinic.test/' },
      },
    );
    receiptPath = new URL(submitted.receiptUrl ?? '').pathname;
    browser = await launchBrowser();
    page = await browser.newPage({
      locale: 'ru-RU',
      viewport: { width: 1100, height: 900 },
      acceptDownloads: true,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('walks from the receipt to the portal, downloads the data and withdraws a consent', async () => {
    await page.goto(`${running.url}${receiptPath}`);
    await page.getByRole('heading', { name: 'Квитанция о согласии' }).waitFor();
    await page.getByRole('link', { name: 'Мои данные', exact: true }).click();

    await page.getByRole('heading', { name: 'Мои данные', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${org.slug}/me`);
    const consents = page.getByRole('table', { name: 'Зачем оператор обрабатывает ваши данные' });
    const marketing = consents.getByRole('row').filter({
      hasText: org.advertising.currentVersion.title,
    });
    expect(await marketing.getByText('действует').isVisible()).toBe(true);
    for (const datum of ['Мария Кузнецова', '+79162223344', 'maria@patient.test']) {
      expect(await page.getByText(datum, { exact: true }).first().isVisible()).toBe(true);
    }
    await page.screenshot({ path: '/tmp/soglasie-portal.png', fullPage: true });

    // Download JSON: the file is the person's data, every table that holds any.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Скачать JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      tables: { table: string; rows: Record<string, unknown>[] }[];
    };
    expect(exported.tables.map((table) => table.table)).toEqual(
      expect.arrayContaining(['contacts', 'submissions', 'leads', 'consent_journal']),
    );
    expect(exported.tables.find((table) => table.table === 'contacts')?.rows[0]).toMatchObject({
      name: 'Мария Кузнецова',
    });

    // Withdraw with the keyboard: focus the button, press Enter.
    const withdraw = page.getByRole('button', {
      name: `Отозвать согласие: ${org.advertising.currentVersion.title}`,
    });
    await withdraw.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Согласие отозвано. Оператор больше не использует данные').waitFor();
    const after = page
      .getByRole('table', { name: 'Зачем оператор обрабатывает ваши данные' })
      .getByRole('row')
      .filter({ hasText: org.advertising.currentVersion.title });
    expect(await after.getByText('отозвано').isVisible()).toBe(true);
    expect(await after.getByRole('button').count()).toBe(0);
    // The processing consent still stands.
    const appointment = page
      .getByRole('table', { name: 'Зачем оператор обрабатывает ваши данные' })
      .getByRole('row')
      .filter({ hasText: org.processing.currentVersion.title });
    expect(await appointment.getByText('действует').isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/soglasie-portal-withdrawn.png', fullPage: true });
  });

  it('files a correction request and shows it with its due date; works on a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${running.url}/p/${org.slug}/me`);
    await page.getByLabel('Что вы хотите').selectOption('correction');
    await page.getByLabel('Подробности').fill('Телефон изменился: +7 916 000-00-01');
    await page.getByRole('button', { name: 'Отправить обращение' }).click();
    await page.getByText('Обращение отправлено').waitFor();
    const requests = page.getByRole('table', { name: 'Ваши обращения' });
    const filed = requests.getByRole('row').filter({ hasText: 'Исправить мои данные' });
    await filed.waitFor();
    // Correction: 7 working days (R-S4); the row shows the date, not a count.
    expect(await filed.textContent()).toMatch(/\d{1,2} [а-я]+ \d{4} г\./);
    expect(await filed.textContent()).toContain('получено');
    await page.screenshot({ path: '/tmp/soglasie-portal-phone.png', fullPage: true });

    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByText('Вы вышли.').waitFor();
    await page.goto(`${running.url}/p/${org.slug}/me`);
    await page.getByRole('heading', { name: 'Вход в раздел «Мои данные»' }).waitFor();
  });
});
