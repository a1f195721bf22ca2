import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaptureOrg, makeCaptureOrg } from '../capture-factories.ts';
import { makeMember, type TestPerson } from '../factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

describe('services register and RKN notice in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let org: CaptureOrg;
  let officer: TestPerson;

  beforeAll(async () => {
    running = await startTestServer();
    org = await makeCaptureOrg(running);
    officer = await makeMember(running, org.orgId, 'privacy_officer');
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    await page.goto(running.url);
    await page.getByLabel('Email').fill(officer.email);
    await page.getByLabel('Пароль').fill(officer.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Реестр сервисов' }).first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('adds a Russian and a foreign service from the catalogue; the foreign one is flagged (R-L1)', async () => {
    await page
      .getByRole('navigation')
      .first()
      .getByRole('link', { name: 'Реестр сервисов' })
      .click();
    await page.getByText('В реестре пока нет сервисов').waitFor();
    await page.getByRole('button', { name: 'Из каталога' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Каталог сервисов' });
    const row = (name: string) => dialog.getByRole('row').filter({ hasText: name });
    await row('Битрикс24').getByRole('button', { name: 'Добавить' }).click();
    await row('Битрикс24').getByText('Уже в реестре').waitFor();
    await row('WhatsApp').getByRole('button', { name: 'Добавить' }).click();
    await row('WhatsApp').getByText('Уже в реестре').waitFor();
    await page.keyboard.press('Escape');
    const table = page.getByRole('table', { name: 'Реестр сервисов' });
    const whatsapp = table.getByRole('row').filter({ hasText: 'WhatsApp' });
    await whatsapp.getByText('За рубежом').waitFor();
    await whatsapp.getByText('Нет уведомления').waitFor();
    const bitrix = table.getByRole('row').filter({ hasText: 'Битрикс24' });
    expect(await bitrix.getByText('За рубежом').count()).toBe(0);
    await bitrix.getByText('Нет договора').waitFor();
  });

  it('shows the notice with its gaps, fills the database location and marks it filed (R-L3)', async () => {
    await page
      .getByRole('navigation')
      .first()
      .getByRole('link', { name: 'Уведомление РКН' })
      .click();
    await page.getByText('Уведомление ещё не подавалось.').waitFor();
    const gaps = page.getByRole('alert').filter({ hasText: 'Не хватает сведений' });
    await gaps.getByText('Укажите места нахождения баз данных').waitFor();
    await page.getByText('Подать уведомление в РКН').waitFor();
    // The operator from the profile, and WhatsApp as a cross-border transfer.
    await page.getByText('ООО «Клиника Здоровье»').first().waitFor();
    await page.getByText(/без адекватной защиты\): WhatsApp/).waitFor();

    await page.getByRole('button', { name: 'Добавить место' }).click();
    await page.getByRole('textbox', { name: 'Город' }).fill('Москва');
    await page.getByRole('textbox', { name: 'Хостинг-провайдер' }).fill('ООО «Селектел»');
    await page.getByRole('button', { name: 'Сохранить сведения' }).click();
    await page.getByText('Москва — ООО «Селектел»').waitFor();
    expect(await gaps.getByText('Укажите места нахождения баз данных').count()).toBe(0);

    await page.getByRole('button', { name: 'Отметить подачу' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Уведомление подано' });
    await dialog.getByLabel('Дата подачи').fill(new Date().toISOString().slice(0, 10));
    await dialog.getByRole('textbox', { name: /Регистрационный номер/ }).fill('77-26-000777');
    await dialog.getByRole('button', { name: 'Отметить подачу' }).click();
    await page.getByText(/77-26-000777\); сведения с тех пор не менялись/).waitFor();
    await page.getByText('Открытых задач нет.').waitFor();
  });

  it('lists the done notice task among the tasks, linked to the notice page', async () => {
    await page.getByRole('navigation').first().getByRole('link', { name: 'Задачи' }).click();
    await page.getByText('Задач нет').waitFor();
    await page.getByLabel('Состояние', { exact: true }).first().click();
    await page.getByRole('option', { name: 'Выполнена' }).click();
    const row = page.getByRole('table', { name: 'Задачи' }).getByRole('row').filter({
      hasText: 'Подать уведомление в РКН',
    });
    await row.getByText('Выполнена').waitFor();
    await row.getByRole('link', { name: 'Подать уведомление в РКН' }).click();
    await page.getByRole('heading', { name: 'Уведомление РКН' }).waitFor();
  });
});
