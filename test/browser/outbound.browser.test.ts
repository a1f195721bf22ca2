import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForm } from '../../src/forms/forms.service.ts';
import { submitForm } from '../../src/forms/submissions.service.ts';
import { createPurpose } from '../../src/purposes/purposes.service.ts';
import {
  ADVERTISING_PURPOSE,
  type CaptureOrg,
  formBody,
  makeCaptureOrg,
} from '../capture-factories.ts';
import { makeMember, type TestPerson } from '../factories.ts';
import { newPhone } from '../journal-factories.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

describe('call lists and exports in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let org: CaptureOrg;
  let officer: TestPerson;

  beforeAll(async () => {
    running = await startTestServer();
    org = await makeCaptureOrg(running);
    officer = await makeMember(running, org.orgId, 'privacy_officer');
    // One person consented to calls about appointments, another to an email-only newsletter.
    const newsletter = await createPurpose(org.ctx, {
      ...ADVERTISING_PURPOSE,
      code: 'newsletter',
      title: 'Новости клиники по электронной почте',
      channels: ['email'],
    });
    const slug = `form-${randomBytes(4).toString('hex')}`;
    await createForm(
      org.ctx,
      formBody(slug, {
        consents: [
          { purposes: ['appointment'], isRequired: true },
          { purposes: ['newsletter'], isRequired: false },
        ],
      }),
    );
    const submit = (name: string, consents: Record<string, string | null>) =>
      submitForm(
        { db: running.db, keys: running.keys, publicUrl: running.deps.publicUrl, now: new Date() },
        {
          formSlug: slug,
          values: { name, phone: newPhone() },
          consents: Object.fromEntries(
            Object.entries(consents).map(([code, documentId]) => [
              code,
              { isGiven: true, documentId },
            ]),
          ),
          idempotencyKey: null,
          attribution: { utm_source: 'yandex' },
          client: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', pageUrl: 'https://clinic.test/' },
        },
      );
    await submit('Мария Звонкова', { appointment: org.processing.document?.id ?? null });
    await submit('Ольга Письмова', {
      appointment: org.processing.document?.id ?? null,
      newsletter: newsletter.document?.id ?? null,
    });
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    await page.goto(running.url);
    await page.getByLabel('Email').fill(officer.email);
    await page.getByLabel('Пароль').fill(officer.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Обзвон' }).first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('builds a newsletter call list where the email-only person is greyed with the reason and no phone', async () => {
    await page.getByRole('navigation').first().getByRole('link', { name: 'Обзвон' }).click();
    await page.getByText('Списков обзвона пока нет').waitFor();
    await page.getByRole('button', { name: 'Новый список' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Новый список' });
    await dialog.getByRole('textbox', { name: 'Название' }).fill('Новости по телефону');
    await dialog.getByLabel(/^Цель обработки/).click();
    await page.getByRole('option', { name: /Новости клиники по электронной почте/ }).click();
    await dialog.getByRole('textbox', { name: 'Источник обращения' }).fill('yandex');
    await dialog.getByRole('button', { name: 'Собрать список' }).click();

    await page.getByRole('heading', { name: 'Новости по телефону' }).waitFor();
    const table = page.getByRole('table', { name: 'Новости по телефону' });
    const refused = table.getByRole('row', { name: /Ольга Письмова/ });
    await refused.getByText('Согласие не на этот канал').waitFor();
    expect(await refused.getAttribute('aria-disabled')).toBe('true');
    expect(await refused.getByRole('link', { name: /^\+7/ }).count()).toBe(0);
    // Without the newsletter consent the other person is refused for lack of consent.
    await table
      .getByRole('row', { name: /Мария Звонкова/ })
      .getByText('Нет согласия')
      .waitFor();
    await page.screenshot({ path: '/tmp/soglasie-call-list.png', fullPage: true });
  });

  it('shows an appointment call list with phones to call', async () => {
    await page.getByRole('link', { name: 'Все списки' }).click();
    await page.getByRole('button', { name: 'Новый список' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Новый список' });
    await dialog.getByLabel(/^Цель обработки/).click();
    await page.getByRole('option', { name: /Запись на приём/ }).click();
    await dialog.getByRole('button', { name: 'Собрать список' }).click();
    const row = page.getByRole('row', { name: /Мария Звонкова/ });
    await row.getByText('Можно: согласие').waitFor();
    await row.getByRole('link', { name: /^\+7916/ }).waitFor();
  });

  it('records an export, showing who is left out and why before the download', async () => {
    await page
      .getByRole('navigation')
      .first()
      .getByRole('link', { name: 'Выгрузки контактов' })
      .click();
    await page.getByText('Выгрузок пока не было').waitFor();
    await page.getByRole('button', { name: 'Новая выгрузка' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Новая выгрузка' });
    await dialog.getByLabel(/^Цель обработки/).click();
    await page.getByRole('option', { name: /Новости клиники по электронной почте/ }).click();
    await dialog.getByRole('button', { name: 'Проверить и записать' }).click();
    await dialog.getByText('В файл попадут 1 из 2').waitFor();
    await dialog.getByText('Нет согласия: 1').waitFor();
    expect(await dialog.getByRole('link', { name: 'Скачать CSV' }).getAttribute('href')).toMatch(
      /^\/api\/v1\/contact-exports\/[0-9a-f-]{36}\/csv$/,
    );
  });
});
