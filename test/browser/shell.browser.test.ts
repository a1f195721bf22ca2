import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, type TestOrg } from '../factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

describe('web UI shell in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let org: TestOrg;

  beforeAll(async () => {
    running = await startTestServer();
    org = await makeOrg(running, { name: 'Клиника «Браузер»' });
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU' });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('signs in through the login page, switches language and opens the audit log', async () => {
    await page.goto(running.url);
    await page.getByLabel('Email').fill(org.owner.email);
    await page.getByLabel('Пароль').fill(org.owner.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByText('Клиника «Браузер»').first().waitFor();

    await page.getByText('EN', { exact: true }).first().click();
    await page.getByRole('link', { name: 'Logs' }).waitFor();
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.getByRole('tab', { name: 'Audit log' }).waitFor();
    // The owner's own sign-in is the newest change in the organization's audit log.
    await page.getByText('auth.login').first().waitFor();
    await page.screenshot({ path: '/tmp/soglasie-logs-en.png', fullPage: true });

    await page.getByRole('tab', { name: 'Personal data access log' }).click();
    await page.getByText('RU', { exact: true }).first().click();
    await page.getByRole('heading', { name: 'Журналы' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Журнал доступа к ПДн' }).isVisible()).toBe(true);

    // The language choice is kept on the account.
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me.user.locale).toBe('ru');
  });
});
