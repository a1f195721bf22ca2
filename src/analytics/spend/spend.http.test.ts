import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../../test/app.ts';
import { makeMember, makeOrg, type TestOrg } from '../../../test/factories.ts';
import { type Client, signIn } from '../../../test/http.ts';
import type { TSpendEntry, TSpendImportResult } from './spend.schema.ts';

const getApp = setupTestApp();
const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/spend');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

type ErrorBody = {
  error: { code: string; fields?: Record<string, string[]>; details?: Record<string, unknown> };
};
type SpendPage = { items: TSpendEntry[]; total: number; amountKopecks: number };

let org: TestOrg;
let marketer: Client;

beforeAll(async () => {
  const testApp = getApp();
  org = await makeOrg(testApp);
  const member = await makeMember(testApp, org.orgId, 'marketer');
  marketer = await signIn(testApp, member.email, member.password);
});

describe('spend import (issue 7, item 4)', () => {
  it('previews a Yandex Direct export without storing it, then stores it', async () => {
    const content = fixture('yandex-direct.csv');
    const preview = await marketer.post<TSpendImportResult>('/api/v1/analytics/spend/imports', {
      content,
      fileName: 'direct.csv',
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      dryRun: true,
      importId: null,
      format: 'yandex_direct',
      channel: 'yandex_direct',
      vat: 'included',
      rowsTotal: 4,
      rowsValid: 4,
      rowsImported: 0,
      amountKopecks: 975_728,
      periodStart: '2026-03-01',
      periodEnd: '2026-03-02',
      replaces: 0,
    });
    let page = await marketer.get<SpendPage>('/api/v1/analytics/spend');
    expect(page.body.total).toBe(0);

    const stored = await marketer.post<TSpendImportResult>('/api/v1/analytics/spend/imports', {
      content,
      fileName: 'direct.csv',
      dryRun: false,
    });
    expect(stored.status).toBe(201);
    expect(stored.body.rowsImported).toBe(4);
    page = await marketer.get<SpendPage>('/api/v1/analytics/spend?channel=yandex_direct');
    expect(page.body.total).toBe(4);
    expect(page.body.amountKopecks).toBe(975_728);
    expect(page.body.items.every((item) => item.importId === stored.body.importId)).toBe(true);

    // The same export again replaces the same days instead of doubling them.
    const again = await marketer.post<TSpendImportResult>('/api/v1/analytics/spend/imports', {
      content: content.replace('"3 456,78"', '"3 000,00"'),
      dryRun: false,
    });
    expect(again.body.replaces).toBe(4);
    page = await marketer.get<SpendPage>('/api/v1/analytics/spend?channel=yandex_direct');
    expect(page.body.total).toBe(4);
    expect(page.body.amountKopecks).toBe(975_728 - 45_678);
    const imports = await marketer.get<{ total: number }>('/api/v1/analytics/spend/imports');
    expect(imports.body.total).toBe(2);
  });

  it('refuses a file with bad rows unless told to skip them, naming line and column', async () => {
    const content = fixture('vk-ads.csv');
    const refused = await marketer.post<ErrorBody>('/api/v1/analytics/spend/imports', {
      content,
      dryRun: false,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(refused.body.error.details?.errors).toEqual([
      { line: 5, column: 'Дата', message: expect.any(String) },
      { line: 6, column: 'Потрачено, ₽', message: expect.any(String) },
    ]);
    const skipped = await marketer.post<TSpendImportResult>('/api/v1/analytics/spend/imports', {
      content,
      dryRun: false,
      skipInvalid: true,
      vat: 'excluded',
    });
    expect(skipped.status).toBe(201);
    expect(skipped.body).toMatchObject({
      format: 'vk_ads',
      vat: 'excluded',
      rowsTotal: 5,
      rowsValid: 3,
      // Two ad groups of one day and campaign are one row.
      rowsImported: 2,
      amountKopecks: 360_000,
    });
  });

  it('reads an XLSX export with the same header detection', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Статистика');
    sheet.addRow(['Отчёт']);
    sheet.addRow(['Day', 'Campaign', 'Keyword', 'Currency code', 'Cost']);
    sheet.addRow([new Date(Date.UTC(2026, 3, 5)), 'Implants', 'implant price', 'RUB', 1234.5]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const answer = await marketer.post<TSpendImportResult>('/api/v1/analytics/spend/imports', {
      contentBase64: buffer.toString('base64'),
      fileName: 'google.xlsx',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.format).toBe('google_ads');
    expect(answer.body.preview).toEqual([
      {
        line: 3,
        day: '2026-04-05',
        campaign: 'Implants',
        keyword: 'implant price',
        amountKopecks: 123_450,
      },
    ]);
  });

  it('maps the columns of an unknown export and asks for the channel', async () => {
    const content = fixture('generic.csv');
    const unknown = await marketer.post<ErrorBody>('/api/v1/analytics/spend/imports', { content });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields?.content?.[0]).toMatch(/map the columns/);
    const mapping = { date: 'Период', cost: 'Сумма', campaign: 'Площадка' };
    const noChannel = await marketer.post<ErrorBody>('/api/v1/analytics/spend/imports', {
      content,
      mapping,
    });
    expect(noChannel.body.error.fields?.channel).toBeDefined();
    const mapped = await marketer.post<TSpendImportResult>('/api/v1/analytics/spend/imports', {
      content,
      mapping,
      channel: 'aggregators',
      dryRun: false,
    });
    expect(mapped.status).toBe(201);
    expect(mapped.body).toMatchObject({
      format: 'generic',
      channel: 'aggregators',
      vat: 'not_stated',
    });
  });

  it('answers malformed input with field messages, never a 500', async () => {
    const cases: unknown[] = [
      {},
      { content: 'x', contentBase64: 'eA==' },
      { content: 'a;b', mapping: { date: '' }, channel: 'X' },
      { content: 'a', dryRun: 'yes' },
      { contentBase64: 'bm90IGEgemlw' },
    ];
    for (const body of cases) {
      const answer = await marketer.post<ErrorBody>('/api/v1/analytics/spend/imports', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.fields, JSON.stringify(body)).toBeDefined();
    }
  });
});

describe('manual spend for offline channels', () => {
  it('adds, changes and removes a period entry; offline channels are unattributable', async () => {
    const created = await marketer.post<TSpendEntry>('/api/v1/analytics/spend', {
      channel: 'outdoor',
      campaign: 'Билборд у метро',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
      amountKopecks: 15_000_000,
      vat: 'included',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      origin: 'manual',
      isUnattributable: true,
      vat: 'included',
    });
    const changed = await marketer.call<TSpendEntry>(
      'PUT',
      `/api/v1/analytics/spend/${created.body.id}`,
      {
        body: {
          channel: 'outdoor',
          campaign: 'Билборд у метро',
          periodStart: '2026-03-01',
          periodEnd: '2026-03-31',
          amountKopecks: 12_000_000,
          vat: 'not_stated',
        },
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.amountKopecks).toBe(12_000_000);
    const manual = await marketer.get<SpendPage>('/api/v1/analytics/spend?origin=manual');
    expect(manual.body.items.map((item) => item.id)).toEqual([created.body.id]);
    expect((await marketer.delete(`/api/v1/analytics/spend/${created.body.id}`)).status).toBe(204);
    expect((await marketer.delete(`/api/v1/analytics/spend/${created.body.id}`)).status).toBe(404);
  });

  it('refuses fractional kopecks, reversed periods and unknown fields', async () => {
    const answer = await marketer.post<ErrorBody>('/api/v1/analytics/spend', {
      channel: 'tv',
      periodStart: '2026-03-31',
      periodEnd: '2026-03-01',
      amountKopecks: 10.5,
      vat: 'maybe',
      colour: 'red',
    });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error.fields ?? {}).sort()).toEqual(
      expect.arrayContaining(['amountKopecks', 'vat', 'colour']),
    );
  });

  it('keeps spend to its organization and to roles with analytics (front desk 403)', async () => {
    const testApp = getApp();
    const other = await makeOrg(testApp);
    const otherOwner = await signIn(testApp, other.owner.email, other.owner.password);
    const page = await otherOwner.get<SpendPage>('/api/v1/analytics/spend');
    expect(page.body.total).toBe(0);
    const mine = await marketer.get<SpendPage>('/api/v1/analytics/spend');
    const first = mine.body.items[0];
    expect(first).toBeDefined();
    expect((await otherOwner.delete(`/api/v1/analytics/spend/${first?.id}`)).status).toBe(404);
    const desk = await makeMember(testApp, org.orgId, 'front_desk');
    const deskClient = await signIn(testApp, desk.email, desk.password);
    expect((await deskClient.get('/api/v1/analytics/spend')).status).toBe(403);
  });
});
