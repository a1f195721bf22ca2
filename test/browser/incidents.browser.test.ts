import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../../src/incidents/incidents.service.ts';
import { type CaptureOrg, makeCaptureOrg } from '../capture-factories.ts';
import { makeMember, type TestPerson } from '../factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

const HOUR = 3_600_000;

describe('incident register in a real browser', () => {
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
    await page.getByRole('link', { name: 'Инциденты' }).first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('registers an incident from the empty register and records its 24 h notice (R-D7)', async () => {
    await page.getByRole('navigation').first().getByRole('link', { name: 'Инциденты' }).click();
    await page.getByText('Инцидентов нет', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Зарегистрировать инцидент' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Новый инцидент' });
    await dialog
      .getByRole('textbox', { name: 'Краткое название' })
      .fill('Письмо с заявками ушло не туда');
    await dialog
      .getByRole('textbox', { name: 'Предполагаемые причины' })
      .fill('Ошибка в адресе получателя');
    await dialog.getByRole('button', { name: 'Зарегистрировать' }).click();

    await page
      .getByRole('heading', { name: /Инцидент № 1: Письмо с заявками ушло не туда/ })
      .waitFor();
    const notice = page.locator('[data-step="notice24h"]');
    await notice
      .getByRole('timer')
      .getByText(/^Осталось/)
      .waitFor();
    // The pre-filled notice shows the causes and the operator.
    await page
      .getByLabel('Уведомление за 24 часа', { exact: true })
      .getByText('Ошибка в адресе получателя')
      .waitFor();

    await notice.getByRole('button', { name: 'Отметить выполнение' }).click();
    const record = page.getByRole('dialog');
    await record.getByRole('textbox', { name: 'Подтверждение' }).fill('pd.rkn.gov.ru, вх. № 42');
    await record.getByRole('button', { name: 'Сохранить отметку' }).click();
    await notice.getByText('Выполнено в срок').waitFor();
    await page.getByText('Уведомление в РКН за 24 ч: отмечено (pd.rkn.gov.ru, вх. № 42)').waitFor();
    expect(await page.getByText('Уведомление отправлено').first().isVisible()).toBe(true);
  });

  it('turns the dashboard widget and the incident red when a notice is overdue', async () => {
    const ctx = { ...org.ctx, now: new Date() };
    const overdue = await createIncident(ctx, {
      title: 'Вход в CRM с чужой учётной записью',
      kind: 'unauthorized_access',
      detectedAt: new Date(Date.now() - 25 * HOUR).toISOString(),
      affectedCategories: [],
      gdprApplies: false,
    });

    await page.getByRole('link', { name: 'Главная' }).click();
    const widget = page.getByTestId('incidents-widget');
    await widget.getByText('Просрочено: 1').waitFor();
    expect(await widget.getAttribute('data-overdue')).toBe('true');
    await widget.getByRole('link', { name: /Вход в CRM с чужой учётной записью/ }).click();

    await page.getByRole('heading', { name: /Вход в CRM с чужой учётной записью/ }).waitFor();
    await page.getByRole('alert').getByText('Срок пропущен').waitFor();
    const notice = page.locator('[data-step="notice24h"]');
    expect(await notice.getByRole('timer').getAttribute('data-state')).toBe('overdue');
    expect(await notice.getByRole('timer').textContent()).toMatch(/^Просрочено на 1 ч/);
    await page.screenshot({ path: '/tmp/soglasie-incident.png', fullPage: true });

    await page.goto(`${running.url}/incidents?overdue=1`);
    const table = page.getByRole('table', { name: 'Инциденты' });
    await table.getByRole('link', { name: overdue.title }).waitFor();
    expect(await table.getByText('Письмо с заявками ушло не туда').count()).toBe(0);
  });
});
