import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../../test/app.ts';
import {
  type CaptureOrg,
  makeCaptureOrg,
  PROCESSING_PURPOSE,
  TEST_PROFILE,
  TRANSFER_PURPOSE,
} from '../../../test/capture-factories.ts';
import { makeMember, makeOrg } from '../../../test/factories.ts';
import { type Client, signIn } from '../../../test/http.ts';
import { contactOfSubmission, submitWithConsents } from '../../../test/journal-factories.ts';
import { pdfText } from '../../../test/pdf-text.ts';
import type { TPurpose, TPurposeVersion } from '../../purposes/purposes.schema.ts';
import { createPurpose, revisePurpose, saveProfile } from '../../purposes/purposes.service.ts';
import { daysRu } from './document-generator.ts';
import type {
  TAcknowledgementStatus,
  TDocumentSummary,
  TDocumentVersion,
  TGenerateResult,
} from './documents.schema.ts';

const getApp = setupTestApp();

type Overview = { items: TDocumentSummary[]; policyUrl: string | null };

async function fetchText(testApp: TestApp, url: string) {
  const response = await testApp.app.request(url.replace(testApp.deps.publicUrl, ''));
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** The lines of one numbered section of the canonical text, found by its heading. */
function sectionOf(text: string, heading: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^\d+\. /.test(line) && line.includes(heading));
  if (start < 0) throw new Error(`No section ${heading}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^\d+\. /.test(line));
  return [lines[start], ...(end < 0 ? rest : rest.slice(0, end))].join('\n');
}

/** R-L4: every item Art. 18.1 p.1 and the RKN recommendations ask for a purpose, with its values. */
function expectPurposeSection(text: string, version: TPurposeVersion): void {
  const section = sectionOf(text, `Цель обработки: ${version.title}`);
  expect(section).toContain(`Цель обработки: ${version.title}`);
  expect(section).toMatch(/^Правовое основание: .*152-ФЗ/m);
  expect(section).toMatch(/^Категории персональных данных: /m);
  const list = /^Перечень персональных данных: (.*)$/m.exec(section)?.[1] ?? '';
  for (const category of version.dataCategories) expect(list).toContain(category.title);
  const subjects = /^Категории субъектов: (.*)$/m.exec(section)?.[1] ?? '';
  for (const subject of version.subjectCategories) expect(subjects).toContain(subject);
  const actions = /^Перечень действий: (.*)$/m.exec(section)?.[1] ?? '';
  for (const action of version.actions) expect(actions).toContain(action);
  expect(section).toContain(`Способы обработки: ${version.methods}`);
  expect(section).toMatch(
    new RegExp(`^Сроки обработки и хранения: ${daysRu(version.retentionDays)} `, 'm'),
  );
  expect(section).toMatch(/^Порядок уничтожения: в течение 30 дней .*уничтожение/m);
  const recipients = /^Третьи лица, которым передаются данные: (.*)$/m.exec(section)?.[1] ?? '';
  if (version.recipients.length === 0) expect(recipients).toBe('не передаются');
  for (const recipient of version.recipients) expect(recipients).toContain(recipient.name);
}

describe('compliance documents over HTTP', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let transfer: TPurpose;
  let owner: Client;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    transfer = await createPurpose(org.ctx, TRANSFER_PURPOSE);
    owner = await signIn(testApp, org.owner.email, org.owner.password);
  });

  it('generates the policy for a registry of 3 purposes with a section per purpose carrying every required item (R-L4)', async () => {
    const before = await owner.get<Overview>('/api/v1/compliance/documents');
    expect(before.status).toBe(200);
    const policyBefore = before.body.items.find((item) => item.kind === 'policy');
    expect(policyBefore).toMatchObject({ latest: null, gaps: [], versionCount: 0 });

    const generated = await owner.post<TGenerateResult>('/api/v1/compliance/documents/generate', {
      kinds: ['policy'],
    });
    expect(generated.status).toBe(200);
    expect(generated.body.created).toHaveLength(1);
    const policy = generated.body.created[0] as TDocumentVersion;
    expect(policy).toMatchObject({ kind: 'policy', version: 1 });
    expect(policy.url).toBe(`${testApp.deps.publicUrl}/doc/${org.slug}/policy/v1`);

    const text = await fetchText(testApp, `${policy.url}.txt`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(createHash('sha256').update(text.bytes).digest('hex')).toBe(policy.sha256);
    const body = text.bytes.toString('utf8');

    const purposes = [org.processing, org.advertising, transfer];
    const headings = body.split('\n').filter((line) => /^\d+\. Цель обработки: /.test(line));
    expect(headings).toHaveLength(3);
    for (const purpose of purposes) expectPurposeSection(body, purpose.currentVersion);

    // The general parts: operator, responsible person, rights with the privacy portal, security,
    // cross-border transfer.
    expect(body).toContain(`Оператор: ${TEST_PROFILE.legalName}`);
    expect(body).toContain(`Ответственное лицо: ${TEST_PROFILE.responsibleName}`);
    expect(body).toContain(`${testApp.deps.publicUrl}/p/${org.slug}`);
    expect(body).toMatch(/^\d+\. Меры по обеспечению безопасности персональных данных$/m);
    expect(body).toMatch(/^\d+\. Трансграничная передача и место хранения$/m);

    const page = await fetchText(testApp, policy.url);
    expect(page.status).toBe(200);
    const html = page.bytes.toString('utf8');
    for (const purpose of purposes) expect(html).toContain(`id="purpose-${purpose.code}"`);
    expect(html).toContain(policy.sha256);

    const pdf = await fetchText(testApp, `${policy.url}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfBody = pdfText(pdf.bytes).replace(/\s+/g, ' ');
    expect(pdfBody).toContain(org.processing.currentVersion.title);
    expect(pdfBody).toContain(policy.sha256);
  });

  it('makes a new version when a purpose changes and keeps the old one at its URL with its hash', async () => {
    const v1 = await owner.get<{ items: TDocumentVersion[] }>(
      '/api/v1/compliance/documents/policy/versions',
    );
    const first = v1.body.items[0] as TDocumentVersion;
    const firstText = await fetchText(testApp, `${first.url}.txt`);

    await revisePurpose(org.ctx, org.processing.code, {
      ...PROCESSING_PURPOSE,
      dataCategories: [
        ...PROCESSING_PURPOSE.dataCategories,
        { code: 'birth_date', title: 'дата рождения', isSpecial: false },
      ],
      retentionDays: 400,
    });

    const versions = await owner.get<{ items: TDocumentVersion[] }>(
      '/api/v1/compliance/documents/policy/versions',
    );
    expect(versions.body.items.map((item) => item.version)).toEqual([2, 1]);
    const second = versions.body.items[0] as TDocumentVersion;
    expect(second.sha256).not.toBe(first.sha256);
    const secondText = (await fetchText(testApp, `${second.url}.txt`)).bytes.toString('utf8');
    const revised = sectionOf(secondText, `Цель обработки: ${PROCESSING_PURPOSE.title}`);
    expect(revised).toContain('дата рождения');
    expect(revised).toContain(`Сроки обработки и хранения: ${daysRu(400)}`);

    // The old version: same bytes, same hash, marked as superseded on its page.
    const again = await fetchText(testApp, `${first.url}.txt`);
    expect(again.status).toBe(200);
    expect(again.bytes.equals(firstText.bytes)).toBe(true);
    expect(createHash('sha256').update(again.bytes).digest('hex')).toBe(first.sha256);
    expect(again.bytes.toString('utf8')).toContain(daysRu(365));
    const oldPage = (await fetchText(testApp, first.url)).bytes.toString('utf8');
    expect(oldPage).toContain('Эта редакция заменена новой');
    // The always-current address shows version 2.
    const latest = await fetchText(testApp, `/doc/${org.slug}/policy`);
    expect(latest.headers.get('x-content-sha256')).toBe(second.sha256);

    // Nothing changed since: regenerating keeps version 2.
    const regenerate = await owner.post<TGenerateResult>('/api/v1/compliance/documents/generate', {
      kinds: ['policy'],
    });
    expect(regenerate.body).toMatchObject({ created: [], unchanged: ['policy'], refused: [] });
  });

  it('generates every other kind: the order, the regulation, the harm assessment and the GDPR record', async () => {
    const generated = await owner.post<TGenerateResult>(
      '/api/v1/compliance/documents/generate',
      {},
    );
    expect(generated.status).toBe(200);
    expect(generated.body.refused).toEqual([]);
    expect(generated.body.created.map((item) => item.kind).sort()).toEqual([
      'harm_assessment',
      'internal_regulation',
      'processing_record',
      'processing_record_en',
      'responsible_order',
    ]);
    const byKind = new Map(generated.body.created.map((item) => [item.kind, item]));
    const textOf = async (kind: string) =>
      (await fetchText(testApp, `${byKind.get(kind as never)?.url}.txt`)).bytes.toString('utf8');

    const order = await textOf('responsible_order');
    expect(order).toContain(`назначить ${TEST_PROFILE.responsibleName} лицом, ответственным`);

    // RKN Order 178: the transfer purpose has no special data and a Russian recipient; the
    // advertising purpose is medium (direct contacts, Art. 15).
    const harm = await textOf('harm_assessment');
    const advertising = sectionOf(harm, `Цель обработки: ${org.advertising.currentVersion.title}`);
    expect(advertising).toContain('Степень вреда: средняя');
    expect(advertising).toContain('ст. 15');
    expect(harm).toMatch(
      /Степень вреда, который может быть причинён субъектам персональных данных: (высокая|средняя|низкая)/,
    );

    // GDPR Art. 30(1) (R-G4): every field for every purpose, in English too.
    const record = await textOf('processing_record_en');
    expect(record).toContain(
      `Data protection officer (person responsible): ${TEST_PROFILE.responsibleName}`,
    );
    for (const label of [
      'Purpose',
      'Legal basis',
      'Categories of data subjects',
      'Categories of personal data',
      'Recipients',
      'Transfers to third countries and safeguards',
      'Time limit for erasure',
      'Security measures',
    ]) {
      expect(record.match(new RegExp(`^${label}: `, 'gm'))?.length, label).toBe(3);
    }
    expect(record).toContain('ООО «Лаборатория Гемотест» (RU)');
  });

  it('refuses to generate without the required inputs and lists what is missing', async () => {
    const bare = await makeOrg(testApp);
    const client = await signIn(testApp, bare.owner.email, bare.owner.password);
    const answer = await client.post<TGenerateResult>('/api/v1/compliance/documents/generate', {
      kinds: ['policy', 'responsible_order'],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.created).toEqual([]);
    const policy = answer.body.refused.find((entry) => entry.kind === 'policy');
    expect(policy?.gaps.map((gap) => gap.code).sort()).toEqual([
      'profile_missing',
      'purposes_missing',
    ]);
    const order = answer.body.refused.find((entry) => entry.kind === 'responsible_order');
    expect(order?.gaps.map((gap) => gap.code)).toEqual(['profile_missing']);
    const overview = await client.get<Overview>('/api/v1/compliance/documents');
    expect(overview.body.items.every((item) => item.latest === null && item.gaps.length > 0)).toBe(
      true,
    );
    // Nothing served for it publicly.
    expect((await fetchText(testApp, `/doc/${bare.slug}/policy`)).status).toBe(404);
  });

  it('links the generated policy from hosted forms when the operator has no policy address of its own', async () => {
    const other = await makeOrg(testApp);
    const ctx = { ...org.ctx, orgId: other.orgId };
    await saveProfile(ctx, { ...TEST_PROFILE, policyUrl: undefined });
    await createPurpose(ctx, { ...PROCESSING_PURPOSE, legalBasis: 'contract' });
    const client = await signIn(testApp, other.owner.email, other.owner.password);
    const before = await client.get<Overview>('/api/v1/compliance/documents');
    expect(before.body.policyUrl).toBeNull();
    await client.post('/api/v1/compliance/documents/generate', { kinds: ['policy'] });
    const after = await client.get<Overview>('/api/v1/compliance/documents');
    expect(after.body.policyUrl).toBe(`${testApp.deps.publicUrl}/doc/${other.slug}/policy`);
    // The operator's own address wins when set.
    const mine = await owner.get<Overview>('/api/v1/compliance/documents');
    expect(mine.body.policyUrl).toBe(TEST_PROFILE.policyUrl);
  });

  it('renders the generated policy link on the hosted form once the profile has no address of its own (R-L4)', async () => {
    const clinic = await makeCaptureOrg(testApp);
    const form = `/f/${clinic.form.slug}`;
    expect(await (await testApp.app.request(form)).text()).toContain(
      `href="${TEST_PROFILE.policyUrl}"`,
    );
    await saveProfile(clinic.ctx, { ...TEST_PROFILE, policyUrl: undefined });
    const generated = `${testApp.deps.publicUrl}/doc/${clinic.slug}/policy`;
    // No own address and no generated policy yet: nothing to link.
    expect(await (await testApp.app.request(form)).text()).not.toContain(
      'href="https://clinic.test/privacy"',
    );
    const client = await signIn(testApp, clinic.owner.email, clinic.owner.password);
    await client.post('/api/v1/compliance/documents/generate', { kinds: ['policy'] });
    const page = await (await testApp.app.request(form)).text();
    expect(page).toContain(`href="${generated}"`);
  });

  it('answers 4xx to malformed input and unknown addresses', async () => {
    const bad = [
      await owner.post('/api/v1/compliance/documents/generate', { kinds: ['nope'] }),
      await owner.post('/api/v1/compliance/documents/generate', { kinds: [] }),
      await owner.post('/api/v1/compliance/documents/generate', { extra: true }),
      await owner.post('/api/v1/compliance/documents/generate', undefined, { raw: '{"kinds":' }),
      await owner.get('/api/v1/compliance/documents/nope/versions'),
      await owner.get('/api/v1/compliance/documents/policy/versions/abc'),
      await owner.post('/api/v1/compliance/acknowledgements', { documentId: 'x' }),
      await owner.call('PUT', '/api/v1/compliance/settings', {
        body: { isAcknowledgementRequired: 'yes' },
      }),
    ];
    for (const answer of bad) expect(answer.status).toBe(400);
    expect((await owner.get('/api/v1/compliance/documents/policy/versions/99')).status).toBe(404);
    for (const path of [
      `/doc/${org.slug}/nope`,
      `/doc/${org.slug}/policy/v99`,
      `/doc/${org.slug}/policy/v0.txt`,
      '/doc/no-such-org/policy',
      `/doc/${org.slug}/policy/v1.exe`,
    ]) {
      expect((await fetchText(testApp, path)).status, path).toBe(404);
    }
  });

  it('keeps documents to the roles that may see them', async () => {
    const frontDesk = await makeMember(testApp, org.orgId, 'front_desk');
    const auditor = await makeMember(testApp, org.orgId, 'auditor');
    const desk = await signIn(testApp, frontDesk.email, frontDesk.password);
    const audit = await signIn(testApp, auditor.email, auditor.password);
    expect((await desk.get('/api/v1/compliance/documents')).status).toBe(403);
    expect((await audit.get('/api/v1/compliance/documents')).status).toBe(200);
    expect((await audit.post('/api/v1/compliance/documents/generate', {})).status).toBe(403);
  });

  it('refuses the contact card until the member acknowledged the regulation, when the setting is on (R-L5)', async () => {
    const submission = await submitWithConsents(testApp, org);
    const contactId = await contactOfSubmission(testApp, submission.submissionId);
    const person = await makeMember(testApp, org.orgId, 'front_desk');
    const desk = await signIn(testApp, person.email, person.password);
    // Off by default: nothing changes for existing flows.
    expect((await desk.get(`/api/v1/contacts/${contactId}`)).status).toBe(200);

    const on = await owner.call('PUT', '/api/v1/compliance/settings', {
      body: { isAcknowledgementRequired: true },
    });
    expect(on.status).toBe(200);
    const refused = await desk.get<{ error: { code: string; details: { kind: string } } }>(
      `/api/v1/contacts/${contactId}`,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('acknowledgement_required');
    expect(refused.body.error.details.kind).toBe('internal_regulation');
    expect((await desk.get('/api/v1/contacts')).status).toBe(403);
    // Every read that decrypts contacts is gated, the leads list with names too.
    const leads = await desk.get<{ error: { code: string } }>('/api/v1/leads');
    expect(leads.status).toBe(403);
    expect(leads.body.error.code).toBe('acknowledgement_required');

    const status = await desk.get<TAcknowledgementStatus>('/api/v1/compliance/acknowledgements');
    expect(status.body).toMatchObject({ isRequired: true, hasAcknowledged: false, members: null });
    // The owner's own state leaves the staff list out.
    const mine = await owner.get<TAcknowledgementStatus>(
      '/api/v1/compliance/acknowledgements/mine',
    );
    expect(mine.body).toMatchObject({ isRequired: true, hasAcknowledged: false, members: null });
    const document = status.body.document as TDocumentVersion;
    expect(document.kind).toBe('internal_regulation');
    const acknowledged = await desk.post<TAcknowledgementStatus>(
      '/api/v1/compliance/acknowledgements',
      { documentId: document.id },
    );
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.hasAcknowledged).toBe(true);
    expect((await desk.get(`/api/v1/contacts/${contactId}`)).status).toBe(200);
    expect((await desk.get('/api/v1/leads')).status).toBe(200);

    // The owner sees who has and who has not acknowledged, with the version's hash kept.
    const list = await owner.get<TAcknowledgementStatus>('/api/v1/compliance/acknowledgements');
    const entry = list.body.members?.find((member) => member.userId === person.userId);
    expect(entry?.acknowledgedAt).toBe(testApp.clock.now().toISOString());
    expect(
      list.body.members?.find((member) => member.userId === org.owner.userId)?.acknowledgedAt,
    ).toBeNull();

    // A new version of the regulation needs a new acknowledgement.
    await saveProfile(org.ctx, { ...TEST_PROFILE, responsibleName: 'Орлова Мария Петровна' });
    expect((await desk.get(`/api/v1/contacts/${contactId}`)).status).toBe(403);
    const stale = await desk.post('/api/v1/compliance/acknowledgements', {
      documentId: document.id,
    });
    expect(stale.status).toBe(422);

    await owner.call('PUT', '/api/v1/compliance/settings', {
      body: { isAcknowledgementRequired: false },
    });
    expect((await desk.get(`/api/v1/contacts/${contactId}`)).status).toBe(200);
  });
});
