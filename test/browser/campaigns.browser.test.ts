import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitForm } from '../../src/forms/submissions.service.ts';
import { sendCampaigns } from '../../src/messaging/campaign-sender.service.ts';
import { suppress } from '../../src/messaging/suppressions.service.ts';
import { systemCtx } from '../../src/orgs/auth.service.ts';
import { sql } from '../../src/platform/db/sql.ts';
import { withTx } from '../../src/platform/db/tx.ts';
import { createLogger } from '../../src/platform/log.ts';
import { createMailer } from '../../src/platform/mail.ts';
import { type CaptureOrg, makeCaptureOrg } from '../capture-factories.ts';
import { makeMember, type TestPerson } from '../factories.ts';
import { newPhone } from '../journal-factories.ts';
import { type SmtpListener, startSmtpListener } from '../smtp-listener.ts';
import { launchBrowser, type RunningApp, startTestServer } from './browser.ts';

describe('segments, campaigns, the send log and the stop list in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let org: CaptureOrg;
  let admin: TestPerson;
  let smtp: SmtpListener;
  const contacts = new Map<string, string>();

  beforeAll(async () => {
    running = await startTestServer();
    smtp = await startSmtpListener();
    org = await makeCaptureOrg(running);
    admin = await makeMember(running, org.orgId, 'admin');
    const person = async (name: string, isAdvertisingGiven: boolean) => {
      const result = await submitForm(
        { db: running.db, keys: running.keys, publicUrl: running.deps.publicUrl, now: new Date() },
        {
          formSlug: org.form.slug,
          values: { name, phone: newPhone(), email: `${contacts.size}-patient@mail.test` },
          consents: {
            [org.processing.code]: {
              isGiven: true,
              documentId: org.processing.document?.id ?? null,
            },
            ...(isAdvertisingGiven
              ? {
                  [org.advertising.code]: {
                    isGiven: true,
                    documentId: org.advertising.document?.id ?? null,
                  },
                }
              : {}),
          },
          idempotencyKey: null,
          attribution: { utm_source: 'yandex' },
          client: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', pageUrl: 'https://clinic.test/' },
        },
      );
      const [row] = await running.db.query<{ contact_id: string }>(
        sql`SELECT contact_id FROM submissions WHERE id = ${result.submissionId}`,
      );
      contacts.set(name, row?.contact_id ?? '');
    };
    await person('Анна Рассылкина', true);
    await person('Борис Безсогласия', false);
    await person('Вера Отписалась', true);
    const ctx = systemCtx(running.deps, { orgId: org.orgId, now: new Date() });
    await withTx(running.db, { orgId: org.orgId }, (tx) =>
      suppress(tx, ctx, {
        contactId: contacts.get('Вера Отписалась') ?? '',
        channel: 'email',
        reason: 'unsubscribed',
        source: 'unsubscribe_link',
      }),
    );
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    await page.goto(running.url);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Пароль').fill(admin.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('navigation').first().getByRole('link', { name: 'Рассылки' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await smtp?.close();
    await running?.close();
  });

  it('saves a segment and shows who is left out and why before any campaign (R-C7, R-A4)', async () => {
    await page.getByRole('navigation').first().getByRole('link', { name: 'Рассылки' }).click();
    await page.getByText('Рассылок пока нет').waitFor();
    await page.getByRole('button', { name: 'Новый сегмент' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Новый сегмент' });
    await dialog.getByRole('textbox', { name: 'Название сегмента' }).fill('Все с почтой');
    await dialog.getByLabel(/^Цель обработки/).click();
    await page.getByRole('option', { name: /Рассылка о скидках и акциях/ }).click();
    await dialog.getByLabel(/^Электронная почта/).click();
    await page.getByRole('option', { name: 'Есть', exact: true }).click();
    await dialog.getByRole('button', { name: 'Сохранить и посчитать' }).click();
    await dialog.getByText('Получат: 1 из 3 подходящих под фильтр').waitFor();
    await dialog.getByText('Нет согласия: 1').waitFor();
    await dialog.getByText('Отписался: 1').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Сегменты' }).click();
    await page.getByRole('table', { name: 'Сегменты' }).getByText('Все с почтой').waitFor();
  });

  it('builds a campaign, launches it as a named person, and shows the send log with the consent of each message (R-A2)', async () => {
    await page.getByRole('button', { name: 'Новая рассылка' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Новая рассылка' });
    await dialog.getByRole('textbox', { name: 'Название' }).fill('Весенняя гигиена');
    const segmentSelect = dialog.getByLabel(/^Сегмент/);
    await segmentSelect.click();
    await page.getByRole('option', { name: /Все с почтой/ }).click();
    await expect.poll(() => segmentSelect.inputValue()).toMatch(/Все с почтой/);
    await dialog.getByRole('textbox', { name: 'Тема письма' }).fill('Скидка на гигиену');
    await dialog.getByRole('button', { name: 'Сохранить черновик' }).click();

    await page.getByRole('heading', { name: 'Весенняя гигиена' }).waitFor();
    await page.getByText('Анна Рассылкина').first().waitFor();
    await page.getByRole('button', { name: 'Запустить' }).click();
    const launch = page.getByRole('dialog', { name: 'Запуск рассылки' });
    await launch.getByText(admin.name, { exact: false }).waitFor();
    await launch.getByRole('button', { name: 'Запустить' }).click();
    await page.getByText('Отправляется').first().waitFor();

    // The scheduled sender's run, against a real SMTP listener.
    const result = await sendCampaigns(
      {
        db: running.db,
        keys: running.keys,
        publicUrl: running.deps.publicUrl,
        logger: createLogger({ level: 'silent' }),
        mailer: createMailer({ smtpUrl: smtp.url, mailFrom: 'Клиника <news@clinic.test>' }),
      },
      () => new Date(),
      { intervalMs: 60_000, onlyOrgId: org.orgId },
    );
    expect(result.sent).toBe(1);
    expect(smtp.messages.map((mail) => mail.subject)).toEqual(['Скидка на гигиену']);

    await page.reload();
    await page.getByText('Завершена').first().waitFor();
    await page.getByText('Нет согласия: 1').waitFor();
    await page.getByText('Отписался: 1').waitFor();
    // One row per message: the contact (by id, a link to the card), its status and the consent
    // entry that allowed it.
    const anna = contacts.get('Анна Рассылкина') ?? '';
    const log = page.getByRole('table', { name: 'Журнал отправки' });
    expect(await log.getByRole('row').count()).toBe(2);
    const row = log.getByRole('row', { name: new RegExp(anna.slice(0, 8)) });
    await row.getByText('Отправлено').waitFor();
    const [entry] = await running.db.query<{ id: string }>(sql`
      SELECT id FROM consent_journal
      WHERE contact_id = ${anna} AND purpose_id = ${org.advertising.id}`);
    await row.getByText(entry?.id ?? 'no entry').waitFor();

    // The complaint rate over the sent mail, on the deliverability page (R-E2).
    await page.goto(`${running.url}/settings/deliverability`);
    await page.getByRole('heading', { name: 'Жалобы на спам' }).waitFor();
    await page
      .getByText('Жалоб 0 %: 0 на 1 отправленных писем за 30 дней', { exact: false })
      .waitFor();
    await page.getByText('В норме').waitFor();
  });

  it('lists the stop list with its reason, and the contact card says what may be sent and why', async () => {
    await page.goto(`${running.url}/messaging/suppressions`);
    await page.getByRole('heading', { name: 'Стоп-лист рассылок' }).waitFor();
    await page
      .getByRole('row', { name: /Отписался/ })
      .first()
      .waitFor();

    await page.goto(`${running.url}/contacts/${contacts.get('Вера Отписалась')}`);
    const panel = page.getByRole('table', { name: 'Что можно отправлять этому человеку' });
    const advertising = panel.getByRole('row', { name: /Рассылка о скидках и акциях/ });
    await advertising.getByText('в стоп-листе').waitFor();
    // SMS is still allowed: she unsubscribed from email only.
    await advertising.getByText('Можно').first().waitFor();
    const processing = panel.getByRole('row', { name: /Запись на приём/ });
    await processing.waitFor();
  });
});
