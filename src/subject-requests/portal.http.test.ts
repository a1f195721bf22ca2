import { describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { Client } from '../../test/http.ts';
import { hiddenValue, linkMatching, PageClient } from '../../test/portal-client.ts';
import { subjectTables } from '../erasure/erasure.service.ts';
import { checkOutbound } from '../messaging/gate.service.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { portalLinkToken } from './portal-link.service.ts';

const getApp = setupTestApp();

type Submitted = { receiptUrl: string; contactId: string };

/** The person fills in the public form (name, phone, email, both consents) over HTTP. */
async function submitPublicForm(testApp: TestApp, org: CaptureOrg): Promise<Submitted> {
  const visitor = new Client(testApp);
  const answer = await visitor.post<{ receiptUrl: string; submissionId: string }>(
    `/f/${org.form.slug}/submit`,
    {
      values: { name: 'Анна Петрова', phone: '+7 916 123-45-67', email: 'anna@patient.test' },
      consents: {
        appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
        marketing: { isGiven: true, documentId: org.advertising.document?.id ?? null },
      },
      utm_source: 'yandex',
    },
  );
  expect(answer.status).toBe(201);
  const [row] = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
    tx.query<{ contact_id: string }>(
      sql`SELECT contact_id FROM submissions WHERE id = ${answer.body.submissionId}`,
    ),
  );
  return { receiptUrl: answer.body.receiptUrl, contactId: row?.contact_id ?? '' };
}

/** Rows of the subject in every exported table of the data map, counted straight in SQL. */
async function rowsPerTable(testApp: TestApp, orgId: string, contactId: string) {
  return withTx(testApp.db, { orgId }, async (tx) => {
    const counts: Record<string, number> = {};
    for (const entry of subjectTables()) {
      if (entry.exported !== true) continue;
      const [row] = await tx.query<{ count: unknown }>(
        sql`SELECT count(*) AS count FROM ${sql.unsafeRaw(`"${entry.table}"`)}
            WHERE ${sql.unsafeRaw(`"${entry.subjectColumn}"`)} = ${contactId}`,
      );
      const count = Number(row?.count ?? 0);
      if (count > 0) counts[entry.table] = count;
    }
    return counts;
  });
}

/** The outbound check: marketing by email, appointments by phone call (their channels). */
async function gate(testApp: TestApp, org: CaptureOrg, contactId: string, purposeCode: string) {
  return withTx(testApp.db, { orgId: org.orgId }, (tx) =>
    checkOutbound(
      tx,
      { ...org.ctx, now: testApp.clock.now() },
      { contactId, purposeCode, channel: purposeCode === 'marketing' ? 'email' : 'call' },
    ),
  );
}

/** Opens the portal the way the person does: the receipt page's "Мои данные" link. */
async function openFromReceipt(testApp: TestApp, org: CaptureOrg, submitted: Submitted) {
  const browser = new PageClient(testApp);
  const receipt = await browser.get(new URL(submitted.receiptUrl).pathname);
  expect(receipt.status).toBe(200);
  expect(receipt.text).toContain('Мои данные');
  const link = linkMatching(receipt.text, /^\/p\/link\//);
  const opened = await browser.get(link);
  expect(opened.status).toBe(303);
  expect(opened.headers.get('location')).toBe(`/p/${org.slug}/me`);
  expect(opened.headers.get('set-cookie')).toMatch(/sg_portal=.*HttpOnly.*/i);
  expect(opened.headers.get('set-cookie')).toMatch(/Path=\/p\b/);
  return browser;
}

describe('privacy portal: the acceptance path (R-G3, R-C6, R-S2)', () => {
  it('goes from the form to the portal, shows every purpose and datum, exports every table and withdraws one consent for good', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const submitted = await submitPublicForm(testApp, org);
    const browser = await openFromReceipt(testApp, org, submitted);

    // Sees every purpose with its legal basis and consent state, and every datum held.
    const portal = await browser.get(`/p/${org.slug}/me`);
    expect(portal.status).toBe(200);
    for (const title of [
      org.processing.currentVersion.title,
      org.advertising.currentVersion.title,
    ]) {
      expect(portal.text).toContain(title);
    }
    expect(portal.text).toContain('ваше согласие');
    expect(portal.text).toContain(`/d/${org.processing.document?.id}`);
    expect(portal.text).toContain(`/d/${org.advertising.document?.id}`);
    expect(portal.text.match(/class="state-given"/g)).toHaveLength(2);
    for (const datum of ['Анна Петрова', '+79161234567', 'anna@patient.test', 'yandex']) {
      expect(portal.text).toContain(datum);
    }
    // Art. 14 p.7: operator, address, responsible person, terms, rights.
    for (const fact of [
      org.processing.currentVersion.retentionDays.toString(),
      'ООО «Клиника Здоровье»',
      '125009, г. Москва, ул. Тверская, д. 1',
      'Белова Елена Николаевна',
      'Трансграничная передача',
      'Как реализовать права',
    ]) {
      expect(portal.text).toContain(fact);
    }

    // Downloads JSON with the rows of every table that holds any for the person.
    const expected = await rowsPerTable(testApp, org.orgId, submitted.contactId);
    for (const table of [
      'contacts',
      'submissions',
      'leads',
      'consent_journal',
      'consent_receipts',
    ]) {
      expect(expected[table]).toBeGreaterThan(0);
    }
    const exported = await browser.get(`/p/${org.slug}/me/export.json`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="my-data-/);
    const document = JSON.parse(exported.text) as {
      subject: { contactId: string };
      purposes: { code: string; consentState: string }[];
      tables: { table: string; rows: Record<string, unknown>[] }[];
    };
    expect(document.subject.contactId).toBe(submitted.contactId);
    expect(
      Object.fromEntries(document.tables.map((table) => [table.table, table.rows.length])),
    ).toEqual(expected);
    const contact = document.tables.find((table) => table.table === 'contacts')?.rows[0];
    expect(contact).toMatchObject({
      name: 'Анна Петрова',
      phone: '+79161234567',
      email: 'anna@patient.test',
    });
    expect(document.purposes.map((purpose) => [purpose.code, purpose.consentState])).toEqual(
      expect.arrayContaining([
        ['appointment', 'given'],
        ['marketing', 'given'],
      ]),
    );
    const csv = await browser.get(`/p/${org.slug}/me/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text).toContain('contacts;Имя и контактные данные;1;name;Анна Петрова');

    // Withdraws one consent; the very next outbound check for that purpose is refused.
    expect(await gate(testApp, org, submitted.contactId, 'marketing')).toMatchObject({
      allowed: true,
    });
    const withdrawn = await browser.postForm(`/p/${org.slug}/me/withdraw`, {
      csrf: hiddenValue(portal.text, 'csrf'),
      purposeId: org.advertising.id,
    });
    expect(withdrawn.status).toBe(303);
    expect(withdrawn.headers.get('location')).toBe(`/p/${org.slug}/me?done=withdrawn#consents`);
    expect(await gate(testApp, org, submitted.contactId, 'marketing')).toEqual({
      allowed: false,
      reason: 'consent_withdrawn',
    });
    // The other purpose is untouched.
    expect(await gate(testApp, org, submitted.contactId, 'appointment')).toMatchObject({
      allowed: true,
    });
    const after = await browser.get(`/p/${org.slug}/me?done=withdrawn`);
    expect(after.text).toContain('Согласие отозвано');
    expect(after.text.match(/class="state-withdrawn"/g)).toHaveLength(1);

    // The journal names the portal as the channel; reads are in the access log as the subject's.
    const trail = await withTx(testApp.db, { orgId: org.orgId }, async (tx) => ({
      journal: await tx.query<{ channel: string }>(
        sql`SELECT channel FROM consent_journal WHERE contact_id = ${submitted.contactId}
            AND event = 'withdrawn'`,
      ),
      access: await tx.query<{ reason: string; subject_id: string; fields: string[] }>(
        sql`SELECT reason, subject_id, fields FROM access_log
            WHERE actor_label = 'privacy-portal' ORDER BY id`,
      ),
    }));
    expect(trail.journal).toEqual([{ channel: 'portal' }]);
    expect(trail.access.map((row) => row.reason)).toEqual(
      expect.arrayContaining(['portal_view', 'portal_export']),
    );
    for (const row of trail.access) {
      expect(row.subject_id).toBe(submitted.contactId);
      expect(row.fields).toContain('contacts');
    }
    expect(JSON.stringify(trail.access)).not.toMatch(/Анна|79161234567|anna@/);
  });

  it('unsubscribes from every mailing in one post and files requests with due dates', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const submitted = await submitPublicForm(testApp, org);
    const browser = await openFromReceipt(testApp, org, submitted);
    const portal = await browser.get(`/p/${org.slug}/me`);
    const csrf = hiddenValue(portal.text, 'csrf');

    const unsubscribed = await browser.postForm(`/p/${org.slug}/me/unsubscribe`, { csrf });
    expect(unsubscribed.headers.get('location')).toContain('done=unsubscribed');
    expect(await gate(testApp, org, submitted.contactId, 'marketing')).toEqual({
      allowed: false,
      reason: 'consent_withdrawn',
    });
    const again = await browser.postForm(`/p/${org.slug}/me/unsubscribe`, { csrf });
    expect(again.headers.get('location')).toContain('done=nothing');

    const correction = await browser.postForm(`/p/${org.slug}/me/request`, {
      csrf,
      type: 'correction',
      details: 'Фамилия с ошибкой: правильно Петрова-Смирнова',
    });
    expect(correction.status).toBe(303);
    const deletion = await browser.postForm(`/p/${org.slug}/me/request`, {
      csrf,
      type: 'deletion',
      details: '',
    });
    expect(deletion.status).toBe(303);
    // A deletion request stops processing at once (PRODUCT.md D, R-S6).
    expect(await gate(testApp, org, submitted.contactId, 'appointment')).toEqual({
      allowed: false,
      reason: 'processing_stopped',
    });
    const requests = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      tx.query<{ type: string; source: string; due_date: string; verification_method: string }>(
        sql`SELECT type, source, due_date::text AS due_date, verification_method
            FROM subject_requests WHERE contact_id = ${submitted.contactId} ORDER BY type`,
      ),
    );
    expect(requests.map((request) => [request.type, request.source])).toEqual([
      ['correction', 'portal'],
      ['deletion', 'portal'],
    ]);
    const page = await browser.get(`/p/${org.slug}/me?done=request`);
    expect(page.text).toContain('Обращение отправлено');
    expect(page.text).toContain('Исправить мои данные');
    expect(page.text).toContain('Удалить мои данные');
    expect(page.text).toContain('Обработка ваших данных прекращена');
    expect(page.text.match(/data-request="/g)).toHaveLength(2);

    // A correction needs its details: refused with a field code, nothing filed.
    const empty = await browser.postForm(`/p/${org.slug}/me/request`, {
      csrf,
      type: 'correction',
    });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('data-field="details"');
    expect(empty.text).toContain('data-codes="required"');
  });

  it('refuses forged, expired and cross-site entries, and ends an idle session', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const submitted = await submitPublicForm(testApp, org);
    const stranger = new PageClient(testApp);
    const expired = portalLinkToken(testApp.keys, {
      orgId: org.orgId,
      contactId: submitted.contactId,
      expiresAt: new Date(testApp.clock.now().getTime() - 1000),
    });
    expect((await stranger.get(`/p/link/${expired}`)).status).toBe(404);
    const valid = portalLinkToken(testApp.keys, {
      orgId: org.orgId,
      contactId: submitted.contactId,
      expiresAt: new Date(testApp.clock.now().getTime() + 60_000),
    });
    const forged = `${valid.slice(0, -4)}AAAA`;
    expect((await stranger.get(`/p/link/${forged}`)).status).toBe(404);
    expect(stranger.cookies.has('sg_portal')).toBe(false);
    // Without a session the portal sends the visitor to sign in.
    const anonymous = await stranger.get(`/p/${org.slug}/me`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/p/${org.slug}?done=expired`);

    const browser = await openFromReceipt(testApp, org, submitted);
    const portal = await browser.get(`/p/${org.slug}/me`);
    const csrf = hiddenValue(portal.text, 'csrf');
    const withoutToken = await browser.postForm(`/p/${org.slug}/me/withdraw`, {
      csrf: 'wrong',
      purposeId: org.advertising.id,
    });
    expect(withoutToken.status).toBe(403);
    const crossSite = await browser.postForm(
      `/p/${org.slug}/me/withdraw`,
      { csrf, purposeId: org.advertising.id },
      { origin: 'https://evil.test', host: 'soglasie.test' },
    );
    expect(crossSite.status).toBe(403);
    expect(await gate(testApp, org, submitted.contactId, 'marketing')).toMatchObject({
      allowed: true,
    });
    // The session of one organization opens nothing in another.
    const other = await makeCaptureOrg(testApp);
    expect((await browser.get(`/p/${other.slug}/me`)).status).toBe(303);

    testApp.clock.advance(31 * 60 * 1000);
    const idle = await browser.get(`/p/${org.slug}/me`);
    expect(idle.status).toBe(303);
    expect(idle.headers.get('location')).toBe(`/p/${org.slug}?done=expired`);
  });

  it('answers in English when asked', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const submitted = await submitPublicForm(testApp, org);
    const browser = await openFromReceipt(testApp, org, submitted);
    const english = await browser.get(`/p/${org.slug}/me?lang=en`);
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('Why the operator processes your data');
    const remembered = await browser.get(`/p/${org.slug}/me`);
    expect(remembered.text).toContain('Download JSON');
    const byHeader = await new PageClient(testApp, {
      accept: 'text/html',
      'accept-language': 'en-GB,en;q=0.9,ru;q=0.5',
    }).get(`/p/${org.slug}`);
    expect(byHeader.text).toContain('Sign in to “My data”');
    const russian = await new PageClient(testApp).get(`/p/${org.slug}`);
    expect(russian.text).toContain('Вход в раздел «Мои данные»');
  });
});
