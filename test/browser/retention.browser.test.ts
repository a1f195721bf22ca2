import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withdrawConsent } from '../../src/consent/consent.service.ts';
import { type CaptureOrg, makeCaptureOrg, TEST_PROFILE } from '../capture-factories.ts';
import { makeMember, type TestPerson } from '../factories.ts';
import { contactOfSubmission, submitWithConsents } from '../journal-factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

const DAY = 86_400_000;

describe('retention and destruction in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let org: CaptureOrg;
  let officer: TestPerson;

  beforeAll(async () => {
    running = await startTestServer();
    org = await makeCaptureOrg(running);
    officer = await makeMember(running, org.orgId, 'privacy_officer');
    // One person withdrew 35 days ago (due five days ago), another yesterday (due in 29 days).
    for (const daysAgo of [35, 1]) {
      const submitted = await submitWithConsents(running, org, {
        isAdvertisingGiven: false,
        now: new Date(Date.now() - (daysAgo + 5) * DAY),
      });
      const contactId = await contactOfSubmission(running, submitted.submissionId);
      await withdrawConsent(
        { ...org.ctx, now: new Date(Date.now() - daysAgo * DAY) },
        { contactId, purposeCode: 'appointment', body: undefined },
      );
    }
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    await page.goto(running.url);
    await page.getByLabel('Email').fill(officer.email);
    await page.getByLabel('Пароль').fill(officer.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Хранение и уничтожение' }).first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('shows the queue with the overdue task first, previews and runs destruction, and opens the act (R-D4, R-D6)', async () => {
    await page
      .getByRole('navigation')
      .first()
      .getByRole('link', { name: 'Хранение и уничтожение' })
      .click();
    const queue = page.getByRole('table', { name: 'Очередь' });
    await queue.waitFor();
    const rows = queue.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    await rows.first().getByText('срок наступил').waitFor();
    await rows
      .nth(1)
      .getByText(/осталось дней: 29/)
      .waitFor();

    await page.getByRole('button', { name: 'Запустить сейчас' }).click();
    const dialog = page.getByRole('dialog', { name: 'Уничтожение персональных данных' });
    await dialog.getByText('Это предварительный просмотр').waitFor();
    await dialog.getByText('Ирина Соколова').waitFor();
    await dialog.getByText('Будет уничтожен').waitFor();
    await dialog.getByRole('button', { name: 'Уничтожить (1)' }).click();
    await dialog.getByText('Уничтожено субъектов: 1. Составлен акт № 1.').waitFor();
    await dialog.getByRole('button', { name: 'Закрыть' }).click();

    await page.getByRole('tab', { name: 'Акты' }).click();
    await page.getByRole('button', { name: 'Акт № 1' }).click();
    const act = page.getByRole('dialog', { name: 'Акт об уничтожении персональных данных № 1' });
    await act.getByText(TEST_PROFILE.legalName, { exact: false }).first().waitFor();
    await act.getByText('Электронная подпись верна').waitFor();
    await act.getByText(TEST_PROFILE.responsibleName).waitFor();
    const pdfHref = await act.getByRole('link', { name: 'Скачать PDF' }).getAttribute('href');
    expect(pdfHref).toMatch(/^\/api\/v1\/retention\/acts\/[0-9a-f-]+\/pdf$/);
    const pdf = await page.request.get(`${running.url}${pdfHref}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: 'Очередь' }).click();
    await page.getByRole('table', { name: 'Очередь' }).getByText('Уничтожено').waitFor();
  });

  it('places an organization-wide legal hold and saves a purpose trigger', async () => {
    await page.getByRole('tab', { name: 'Запреты на уничтожение' }).click();
    await page.getByText('Запретов на уничтожение нет').waitFor();
    await page.getByRole('button', { name: 'Запретить уничтожение' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Запрет на уничтожение данных' });
    await dialog.getByText('Вся организация').click();
    await dialog.getByRole('textbox', { name: 'Основание' }).fill('Проверка Роскомнадзора № 7');
    await dialog.getByRole('button', { name: 'Запретить уничтожение' }).click();
    const holds = page.getByRole('table', { name: 'Запреты на уничтожение' });
    await holds.getByText('Проверка Роскомнадзора № 7').waitFor();
    await holds.getByText('Действует', { exact: true }).waitFor();

    await page.getByRole('tab', { name: 'Сроки и события' }).click();
    const purpose = page.getByRole('region', {
      name: 'Запись на приём и обратная связь по заявке',
    });
    await purpose.getByText('Срок хранения: 365 дн.').waitFor();
    const leadLost = purpose.getByRole('switch', {
      name: 'Все обращения закрыты как «потерянные»',
    });
    await leadLost.check();
    await purpose.getByRole('button', { name: 'Сохранить' }).click();
    await purpose.getByRole('status').getByText('Сохранено').waitFor();
  });
});
