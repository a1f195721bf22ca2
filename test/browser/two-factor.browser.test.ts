import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/orgs/totp.ts';
import { makeOrg, type TestOrg } from '../factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

const STEP_MS = 30_000;

describe('two-factor sign-in in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let org: TestOrg;

  beforeAll(async () => {
    running = await startTestServer();
    org = await makeOrg(running, { name: 'Клиника «Два фактора»' });
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU' });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  async function passwordStep(): Promise<void> {
    await page.goto(running.url);
    await page.getByLabel('Email').fill(org.owner.email);
    await page.getByLabel('Пароль').fill(org.owner.password);
    await page.getByRole('button', { name: 'Войти' }).click();
  }

  it('turns on with a QR code, then asks for a code at sign-in and takes a recovery code', async () => {
    await passwordStep();
    await page.getByText('Клиника «Два фактора»').first().waitFor();

    await page.getByRole('button', { name: 'Меню пользователя' }).click();
    await page.getByRole('menuitem', { name: 'Двухфакторный вход' }).click();
    const dialog = page.getByRole('dialog', { name: 'Двухфакторный вход' });
    await dialog.getByLabel('Пароль').fill(org.owner.password);
    await dialog.getByRole('button', { name: 'Продолжить' }).click();
    await dialog.getByRole('img', { name: 'QR-код для приложения-аутентификатора' }).waitFor();
    const secret = await dialog.getByLabel('Ключ').inputValue();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await dialog.getByLabel('Код из приложения').fill('000000');
    await dialog.getByRole('button', { name: 'Включить' }).click();
    await dialog.getByText('Код не подошёл').waitFor();
    await dialog.getByLabel('Код из приложения').fill(totpCodeAt(secret, new Date()));
    await dialog.getByRole('button', { name: 'Включить' }).click();
    const codes = await dialog.getByTestId('recovery-codes').locator('code').allInnerTexts();
    expect(codes).toHaveLength(10);
    await dialog.getByRole('button', { name: 'Готово' }).click();
    await dialog.getByText(/Двухфакторный вход включён с/).waitFor();
    await page.keyboard.press('Escape');

    // Sign out, sign in again: the password alone is not enough.
    await page.getByRole('button', { name: 'Меню пользователя' }).click();
    await page.getByRole('menuitem', { name: 'Выйти' }).click();
    // A code is good once: the sign-in needs the app's next one. The server of a browser test
    // keeps real time, so wait for the next 30-second step.
    await new Promise((resolve) => setTimeout(resolve, STEP_MS - (Date.now() % STEP_MS) + 200));
    await passwordStep();
    await page.getByRole('heading', { name: 'Код подтверждения' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.some((cookie) => cookie.name === 'sg_session')).toBe(false);
    await page.getByLabel('Код').fill('123456');
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await page.getByText(/Код не подошёл/).waitFor();

    await page.getByLabel('Код').fill(totpCodeAt(secret, new Date()));
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await page.getByText('Клиника «Два фактора»').first().waitFor();

    // A recovery code instead of the app, typed in lower case.
    await page.getByRole('button', { name: 'Меню пользователя' }).click();
    await page.getByRole('menuitem', { name: 'Выйти' }).click();
    await passwordStep();
    await page.getByLabel('Код').fill((codes[0] ?? '').toLowerCase());
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await page.getByText('Клиника «Два фактора»').first().waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/me/two-factor')).json());
    expect(status).toMatchObject({ enabled: true, recoveryCodesLeft: 9 });
  });
});
