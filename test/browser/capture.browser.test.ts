import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitForm } from '../../src/forms/submissions.service.ts';
import { type CaptureOrg, makeCaptureOrg } from '../capture-factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

describe('lead capture screens in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let org: CaptureOrg;

  beforeAll(async () => {
    running = await startTestServer();
    org = await makeCaptureOrg(running);
    await submitForm(
      {
        db: running.db,
        keys: running.keys,
        publicUrl: running.deps.publicUrl,
        now: new Date(),
      },
      {
        formSlug: org.form.slug,
        values: { name: 'Ирина Соколова', phone: '8 (916) 123-45-67', email: 'irina@example.ru' },
        consents: {
          appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
        },
        idempotencyKey: null,
        attribution: { utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'implanty' },
        client: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', pageUrl: 'https://clinic.test/' },
      },
    );
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    await page.goto(running.url);
    await page.getByLabel('Email').fill(org.owner.email);
    await page.getByLabel('Пароль').fill(org.owner.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Лиды' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('shows the lead with its source, opens the contact card and logs the opening', async () => {
    await page.getByRole('link', { name: 'Лиды' }).click();
    const leads = page.getByRole('table', { name: 'Лиды' });
    await leads.getByText('yandex', { exact: true }).waitFor();
    expect(await leads.getByText('implanty', { exact: true }).isVisible()).toBe(true);

    await leads.getByRole('link', { name: 'Ирина Соколова' }).click();
    await page.getByRole('heading', { name: 'Ирина Соколова' }).waitFor();
    await page.getByText('+79161234567', { exact: true }).waitFor();
    expect(await page.getByText('Просмотр записан в журнал доступа').isVisible()).toBe(true);
    // The consent given on the form is in the card, with its document.
    await page.getByRole('table', { name: 'Записи журнала' }).getByText('Документ v1').waitFor();
    await page.screenshot({ path: '/tmp/soglasie-contact-card.png', fullPage: true });

    await page.getByRole('link', { name: 'Журналы' }).click();
    await page.getByRole('tab', { name: 'Журнал доступа к ПДн' }).click();
    const access = page.getByRole('table', { name: 'Журнал доступа к ПДн' });
    await access.getByRole('cell', { name: 'card', exact: true }).first().waitFor();
    expect(await access.getByText(org.owner.name).first().isVisible()).toBe(true);
  });

  it('creates a purpose through the UI and shows its consent document', async () => {
    await page.getByRole('link', { name: 'Цели обработки' }).click();
    await page.getByRole('table', { name: 'Цели обработки' }).waitFor();
    await page.getByRole('button', { name: 'Новая цель' }).click();

    const drawer = page.getByRole('dialog', { name: 'Новая цель обработки' });
    await drawer.getByRole('textbox', { name: 'Код', exact: true }).fill('reminders');
    await drawer
      .getByRole('textbox', { name: 'Название цели' })
      .fill('Напоминания о визите и результатах анализов');
    await drawer.getByRole('combobox', { name: 'Категории субъектов' }).fill('пациенты');
    await page.keyboard.press('Enter');
    await drawer.getByRole('combobox', { name: 'Действия с данными' }).fill('хранение');
    await page.keyboard.press('Enter');
    await drawer.getByRole('combobox', { name: 'Способы обработки' }).fill('автоматизированная');
    await drawer.getByRole('button', { name: 'Создать цель' }).click();

    await page
      .getByRole('heading', { name: 'Напоминания о визите и результатах анализов' })
      .waitFor();
    await page.getByText('Цель создана, документ согласия v1 выпущен.').waitFor();
    const body = page.getByTestId('document-body');
    expect(await body.textContent()).toContain(
      'Цель обработки: Напоминания о визите и результатах анализов.',
    );
    expect(await body.textContent()).toContain('ООО «Клиника Здоровье»');
    await page.screenshot({ path: '/tmp/soglasie-purpose.png', fullPage: true });
  });
});
