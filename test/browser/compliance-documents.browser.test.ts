import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaptureOrg, makeCaptureOrg } from '../capture-factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

const YEAR = Number(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric' }).format(
    new Date(),
  ),
);

describe('documents, acknowledgement and the audit in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let org: CaptureOrg;

  beforeAll(async () => {
    running = await startTestServer();
    org = await makeCaptureOrg(running);
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    await page.goto(running.url);
    await page.getByLabel('Email').fill(org.owner.email);
    await page.getByLabel('Пароль').fill(org.owner.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Документы' }).first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('generates the documents, shows versions with hashes and public links, and takes the acknowledgement (R-L4, R-L5)', async () => {
    await page.getByRole('navigation').first().getByRole('link', { name: 'Документы' }).click();
    const policy = page.getByRole('region', {
      name: 'Политика в отношении обработки персональных данных',
    });
    await policy.getByText('Не сформирован').waitFor();
    await page.getByRole('button', { name: 'Сформировать и обновить' }).click();
    await page.getByText('Новых редакций: 6, без изменений: 0, не сформировано: 0').waitFor();
    await policy.getByText('Актуален').waitFor();
    const href = await policy.getByRole('link', { name: 'Открыть' }).getAttribute('href');
    expect(href).toBe(`${running.deps.publicUrl}/doc/${org.slug}/policy/v1`);
    const served = await page.request.get(`${running.url}/doc/${org.slug}/policy/v1.txt`);
    expect(served.status()).toBe(200);
    const sha = served.headers()['x-content-sha256'] ?? '';
    await policy.getByText(sha).waitFor();

    // The prompt appears once a regulation exists; acknowledging hides it.
    await page.reload();
    const prompt = page.getByRole('alert').filter({
      hasText: 'Ознакомьтесь с положением об обработке персональных данных',
    });
    await prompt.waitFor();
    await prompt.getByRole('button', { name: 'Ознакомлен(а)' }).click();
    await prompt.waitFor({ state: 'detached' });
    await page.reload();
    const acknowledgements = page.getByRole('region', { name: 'Ознакомление сотрудников' });
    await acknowledgements.getByText(/Владелец/).waitFor();
    expect(await acknowledgements.getByText('Не ознакомлен(а)').count()).toBe(0);
  });

  it('starts the year’s audit, runs the checks, refuses to close without evidence and closes with a file', async () => {
    await page.getByRole('navigation').first().getByRole('link', { name: 'Аудит' }).click();
    await page.getByRole('button', { name: `Начать аудит за ${YEAR} год` }).click();
    await page.getByText('Закрыто пунктов: 0 из 10').waitFor();
    await page.getByRole('button', { name: 'Запустить проверки' }).click();
    const order = page.getByRole('region', {
      name: 'Назначен ответственный за обработку ПДн (издан приказ)',
    });
    await order.getByText('Проверка пройдена').waitFor();
    await order.getByText(/Приказ сформирован \(редакция 1\)/).waitFor();

    const backups = page.getByRole('region', { name: 'Резервные копии проверены восстановлением' });
    await backups.getByRole('button', { name: 'Закрыть пункт' }).click();
    await backups.getByText('Действие запрещено правилами системы.').waitFor();
    await backups.locator('input[type="file"]').setInputFiles({
      name: 'restore.log',
      mimeType: 'text/plain',
      buffer: Buffer.from('restore ok\n'),
    });
    await backups.getByRole('button', { name: 'Приложить' }).first().click();
    await backups.getByRole('link', { name: 'restore.log' }).waitFor();
    await backups.getByRole('button', { name: 'Закрыть пункт' }).click();
    await backups.getByText(/^Закрыт /).waitFor();
    await order.getByRole('button', { name: 'Закрыть пункт' }).click();
    await page.getByText('Закрыто пунктов: 2 из 10').waitFor();
    const report = await page.getByRole('link', { name: 'Отчёт' }).getAttribute('href');
    expect(report).toBe(`/api/v1/compliance/audit/${YEAR}/report/html`);
  });
});
