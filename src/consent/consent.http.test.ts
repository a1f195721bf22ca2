import { createHash, createPublicKey, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import {
  type CaptureOrg,
  makeCaptureOrg,
  PROCESSING_PURPOSE,
} from '../../test/capture-factories.ts';
import { makeMember, type TestPerson } from '../../test/factories.ts';
import { type Client, signIn } from '../../test/http.ts';
import {
  contactOfSubmission,
  submitWithConsents,
  tamperJournal,
} from '../../test/journal-factories.ts';
import { sql } from '../platform/db/sql.ts';
import { createPurpose } from '../purposes/purposes.service.ts';
import type { TJournalEntry, TProof, TVerification } from './consent.schema.ts';

const getApp = setupTestApp();

type Page = { items: TJournalEntry[]; total: number; page: number; pageSize: number };
type AccessItem = {
  subjectType: string;
  subjectId: string;
  fields: string[];
  reason: string;
  route: string;
  actor: { id: string | null };
};

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

type Staff = Record<'owner' | 'front_desk' | 'marketer' | 'privacy_officer' | 'auditor', Client>;

async function staffOf(
  testApp: TestApp,
  org: CaptureOrg,
): Promise<{
  clients: Staff;
  people: Record<Exclude<keyof Staff, 'owner'>, TestPerson>;
}> {
  const people = {
    front_desk: await makeMember(testApp, org.orgId, 'front_desk'),
    marketer: await makeMember(testApp, org.orgId, 'marketer'),
    privacy_officer: await makeMember(testApp, org.orgId, 'privacy_officer'),
    auditor: await makeMember(testApp, org.orgId, 'auditor'),
  };
  const clients = {
    owner: await signIn(testApp, org.owner.email, org.owner.password),
    front_desk: await signIn(testApp, people.front_desk.email, people.front_desk.password),
    marketer: await signIn(testApp, people.marketer.email, people.marketer.password),
    privacy_officer: await signIn(
      testApp,
      people.privacy_officer.email,
      people.privacy_officer.password,
    ),
    auditor: await signIn(testApp, people.auditor.email, people.auditor.password),
  };
  return { clients, people };
}

describe('consent journal over HTTP', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let other: CaptureOrg;
  let staff: Staff;
  let people: Awaited<ReturnType<typeof staffOf>>['people'];
  let contactId: string;
  let otherContactId: string;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    other = await makeCaptureOrg(testApp);
    ({ clients: staff, people } = await staffOf(testApp, org));
    const first = await submitWithConsents(testApp, org, { ip: '198.51.100.23' });
    await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    contactId = await contactOfSubmission(testApp, first.submissionId);
    const foreign = await submitWithConsents(testApp, other);
    otherContactId = await contactOfSubmission(testApp, foreign.submissionId);
  });

  describe('GET /api/v1/consent/journal', () => {
    it('lists entries with purpose, document and chain position, and logs each evidence read (R-L6)', async () => {
      const page = await staff.privacy_officer.get<Page>(
        `/api/v1/consent/journal?contactId=${contactId}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(2);
      const appointment = page.body.items.find((item) => item.purposeCode === 'appointment');
      expect(appointment).toMatchObject({
        event: 'given',
        contactId,
        purposeVersion: 1,
        documentId: org.processing.document?.id,
        documentSha256: org.processing.document?.sha256,
        documentUrl: `${testApp.deps.publicUrl}/d/${org.processing.document?.id}`,
        channel: 'web_form',
        position: expect.any(Number),
        evidenceState: 'shown',
        evidence: {
          ip: '198.51.100.23',
          userAgent: expect.stringContaining('Firefox'),
          pageUrl: 'https://clinic.test/zapis',
        },
      });
      const access = await staff.owner.get<{ items: AccessItem[] }>(
        `/api/v1/access-log?subjectType=contact&subjectId=${contactId}`,
      );
      expect(access.body.items).toContainEqual(
        expect.objectContaining({
          subjectType: 'contact',
          subjectId: contactId,
          fields: ['consent_evidence'],
          reason: 'consent_journal',
          route: 'GET /api/v1/consent/journal',
          actor: expect.objectContaining({ id: people.privacy_officer.userId }),
        }),
      );
    });

    it('shows an auditor the entries without evidence and logs no read', async () => {
      const page = await staff.auditor.get<Page>('/api/v1/consent/journal');
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(3);
      for (const item of page.body.items) {
        expect(item).toMatchObject({ evidenceState: 'hidden', evidence: null });
      }
      expect(JSON.stringify(page.body)).not.toContain('198.51.100.23');
      const access = await staff.owner.get<{ total: number }>(
        `/api/v1/access-log?actorUserId=${people.auditor.userId}`,
      );
      expect(access.body.total).toBe(0);
    });

    it('filters by purpose, event and period, newest first', async () => {
      const byPurpose = await staff.auditor.get<Page>(
        '/api/v1/consent/journal?purposeCode=marketing',
      );
      expect(byPurpose.body.items.map((item) => item.purposeCode)).toEqual(['marketing']);
      const withdrawn = await staff.auditor.get<Page>('/api/v1/consent/journal?event=withdrawn');
      expect(withdrawn.body.total).toBe(0);
      const future = encodeURIComponent('2030-01-01T00:00:00Z');
      const later = await staff.auditor.get<Page>(`/api/v1/consent/journal?from=${future}`);
      expect(later.body).toMatchObject({ total: 0, items: [] });
      const paged = await staff.auditor.get<Page>('/api/v1/consent/journal?page=2&pageSize=2');
      expect(paged.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
      expect(paged.body.items).toHaveLength(1);
    });

    it('refuses a marketer, and shows no other organization’s entries', async () => {
      expect((await staff.marketer.get('/api/v1/consent/journal')).status).toBe(403);
      const foreign = await staff.owner.get<Page>(
        `/api/v1/consent/journal?contactId=${otherContactId}`,
      );
      expect(foreign.body).toMatchObject({ total: 0, items: [] });
    });
  });

  describe('GET /api/v1/consent/journal/:entryId/proof', () => {
    it('returns the exact text, the chain link and a signed checkpoint anyone can check', async () => {
      const page = await staff.auditor.get<Page>(
        `/api/v1/consent/journal?contactId=${contactId}&purposeCode=appointment`,
      );
      const entry = page.body.items[0];
      if (!entry) throw new Error('No entry');
      const proof = await staff.auditor.get<TProof>(`/api/v1/consent/journal/${entry.id}/proof`);
      expect(proof.status).toBe(200);
      const body = proof.body;
      // The text whose SHA-256 is what the journal stored.
      expect(body.document?.sha256).toBe(entry.documentSha256);
      expect(sha256(body.document?.text ?? '')).toBe(entry.documentSha256);
      expect(body.document?.text).toContain('ООО «Клиника Здоровье»');
      // The entry's content hash from its listed fields, then its link.
      expect(sha256(JSON.stringify(body.content.values))).toBe(body.content.sha256);
      expect(body.content.values).toContain(entry.documentSha256);
      expect(body.chain.position).toBe(entry.position);
      let link = sha256(`${body.chain.prevHash}${body.content.sha256}${entry.id}`);
      expect(link).toBe(body.chain.linkHash);
      // Link by link up to the checkpoint, which signs the last one.
      for (const step of body.path.slice(1)) {
        link = sha256(`${link}${step.contentSha256}${step.entryId}`);
        expect(link).toBe(step.linkHash);
      }
      expect(link).toBe(body.checkpoint.linkHash);
      expect(body.checkpoint.position).toBeGreaterThanOrEqual(body.chain.position);
      expect(body.checkpoint.signedMessage).toBe(
        [
          'soglasie-consent-checkpoint/v1',
          `org_id=${org.orgId}`,
          `position=${body.checkpoint.position}`,
          `link_hash=${body.checkpoint.linkHash}`,
          `signed_at=${body.checkpoint.signedAt}`,
        ].join('\n'),
      );
      const publicKey = createPublicKey({
        key: Buffer.from(body.publicKey.spkiBase64, 'base64'),
        format: 'der',
        type: 'spki',
      });
      expect(publicKey.asymmetricKeyType).toBe('ed25519');
      const signature = Buffer.from(body.checkpoint.signature, 'base64');
      const message = Buffer.from(body.checkpoint.signedMessage, 'utf8');
      expect(verify(null, message, publicKey, signature)).toBe(true);
      expect(
        verify(null, Buffer.from(`${body.checkpoint.signedMessage}x`), publicKey, signature),
      ).toBe(false);
      expect(createPublicKey(body.publicKey.pem).export({ format: 'der', type: 'spki' })).toEqual(
        Buffer.from(body.publicKey.spkiBase64, 'base64'),
      );
    });

    it('answers 404 for another organization’s entry and 403 for a marketer', async () => {
      const [row] = await testApp.db.query<{ id: string }>(
        sql`SELECT id FROM consent_journal WHERE contact_id = ${otherContactId} LIMIT 1`,
      );
      const foreign = row?.id;
      expect(foreign).toBeDefined();
      expect((await staff.owner.get(`/api/v1/consent/journal/${foreign}/proof`)).status).toBe(404);
      expect((await staff.marketer.get(`/api/v1/consent/journal/${foreign}/proof`)).status).toBe(
        403,
      );
    });
  });
});

describe('staff-entered consent', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let staff: Staff;
  let people: Awaited<ReturnType<typeof staffOf>>['people'];
  let contactId: string;
  let otherContactId: string;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    const other = await makeCaptureOrg(testApp);
    ({ clients: staff, people } = await staffOf(testApp, org));
    const submitted = await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    contactId = await contactOfSubmission(testApp, submitted.submissionId);
    const foreign = await submitWithConsents(testApp, other);
    otherContactId = await contactOfSubmission(testApp, foreign.submissionId);
  });

  it('lets the front desk record a phone consent with its recording and script, audited', async () => {
    const answer = await staff.front_desk.post<{ entry: TJournalEntry; isNew: boolean }>(
      `/api/v1/contacts/${contactId}/consents`,
      {
        purposeCode: 'marketing',
        channel: 'phone',
        recordingRef: 'pbx://calls/2026-03-02/8841.mp3',
        scriptVersion: 'phone-script-2026-02 v3',
        note: 'Пациентка согласилась на рассылку',
      },
    );
    expect(answer.status).toBe(201);
    expect(answer.body.entry).toMatchObject({
      event: 'given',
      channel: 'phone',
      contactId,
      purposeCode: 'marketing',
      documentId: org.advertising.document?.id,
      documentSha256: org.advertising.document?.sha256,
      actorUserId: people.front_desk.userId,
      evidence: {
        recordingRef: 'pbx://calls/2026-03-02/8841.mp3',
        scriptVersion: 'phone-script-2026-02 v3',
      },
    });
    const audit = await staff.owner.get<{ items: { action: string; entityId: string }[] }>(
      '/api/v1/audit-log?action=consent.recorded',
    );
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'consent.recorded', entityId: answer.body.entry.id }),
    );
    const listed = await staff.privacy_officer.get<Page>(
      `/api/v1/consent/journal?contactId=${contactId}&purposeCode=marketing`,
    );
    expect(listed.body.items[0]).toMatchObject({
      id: answer.body.entry.id,
      evidence: { scriptVersion: 'phone-script-2026-02 v3' },
    });
  });

  it('records a paper consent with its scan', async () => {
    const answer = await staff.privacy_officer.post<{ entry: TJournalEntry }>(
      `/api/v1/contacts/${contactId}/consents`,
      { purposeCode: 'appointment', channel: 'paper', scanRef: 'scan://2026/03/0042.pdf' },
    );
    expect(answer.status).toBe(201);
    expect(answer.body.entry).toMatchObject({
      channel: 'paper',
      evidence: { scanRef: 'scan://2026/03/0042.pdf' },
    });
  });

  it('refuses a phone consent without its recording, and paper without its scan', async () => {
    const phone = await staff.front_desk.post(`/api/v1/contacts/${contactId}/consents`, {
      purposeCode: 'marketing',
      channel: 'phone',
      scriptVersion: 'v3',
    });
    expect(phone.status).toBe(400);
    expect(phone.body).toMatchObject({
      error: { code: 'validation_failed', fields: { recordingRef: expect.any(Array) } },
    });
    const paper = await staff.front_desk.post(`/api/v1/contacts/${contactId}/consents`, {
      purposeCode: 'marketing',
      channel: 'paper',
      recordingRef: 'x',
    });
    expect(paper.status).toBe(400);
    const unknown = await staff.front_desk.post(`/api/v1/contacts/${contactId}/consents`, {
      purposeCode: 'no_such_purpose',
      channel: 'paper',
      scanRef: 'scan://1',
    });
    expect(unknown.status).toBe(400);
  });

  it('refuses a phone consent where written consent is required (R-C4)', async () => {
    await createPurpose(org.ctx, {
      ...PROCESSING_PURPOSE,
      code: 'written_only',
      title: 'Обработка данных о здоровье для исследования',
      isWrittenConsentRequired: true,
    });
    const phone = await staff.front_desk.post(`/api/v1/contacts/${contactId}/consents`, {
      purposeCode: 'written_only',
      channel: 'phone',
      recordingRef: 'pbx://1',
      scriptVersion: 'v1',
    });
    expect(phone.status).toBe(422);
    expect(phone.body).toMatchObject({
      error: { code: 'rule_violated', details: { rule: 'written_consent_required' } },
    });
    const paper = await staff.front_desk.post(`/api/v1/contacts/${contactId}/consents`, {
      purposeCode: 'written_only',
      channel: 'paper',
      scanRef: 'scan://signed.pdf',
    });
    expect(paper.status).toBe(201);
  });

  it('answers 404 for another organization’s contact, 403 for a marketer or an auditor', async () => {
    const body = {
      purposeCode: 'marketing',
      channel: 'paper',
      scanRef: 'scan://1',
    };
    const foreign = await staff.front_desk.post(
      `/api/v1/contacts/${otherContactId}/consents`,
      body,
    );
    expect(foreign.status).toBe(404);
    expect((await staff.marketer.post(`/api/v1/contacts/${contactId}/consents`, body)).status).toBe(
      403,
    );
    expect((await staff.auditor.post(`/api/v1/contacts/${contactId}/consents`, body)).status).toBe(
      403,
    );
    const withdrawForeign = await staff.front_desk.post(
      `/api/v1/contacts/${otherContactId}/consents/marketing/withdraw`,
    );
    expect(withdrawForeign.status).toBe(404);
  });

  it('records a withdrawal by staff once, referring to the consent withdrawn (R-C6)', async () => {
    const withdrawn = await staff.front_desk.post<{ entry: TJournalEntry; isNew: boolean }>(
      `/api/v1/contacts/${contactId}/consents/marketing/withdraw`,
      { note: 'Попросила не звонить', recordingRef: 'pbx://calls/9001.mp3' },
    );
    expect(withdrawn.status).toBe(201);
    expect(withdrawn.body).toMatchObject({
      isNew: true,
      entry: {
        event: 'withdrawn',
        // Taken by phone: the call's recording is the evidence.
        channel: 'phone',
        purposeCode: 'marketing',
        documentId: org.advertising.document?.id,
        actorUserId: people.front_desk.userId,
      },
    });
    const again = await staff.front_desk.post<{ entry: TJournalEntry; isNew: boolean }>(
      `/api/v1/contacts/${contactId}/consents/marketing/withdraw`,
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ isNew: false, entry: { id: withdrawn.body.entry.id } });
    const unknown = await staff.front_desk.post(
      `/api/v1/contacts/${contactId}/consents/no_such_purpose/withdraw`,
    );
    expect(unknown.status).toBe(404);
  });

  it('keeps the journal intact after staff entries, and names an edited one', async () => {
    const verified = await staff.auditor.get<TVerification>('/api/v1/consent/journal/verify');
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ isIntact: true, unchained: 0, firstBroken: null });
    expect(verified.body.entries).toBeGreaterThanOrEqual(5);
    expect((await staff.marketer.get('/api/v1/consent/journal/verify')).status).toBe(403);

    const page = await staff.auditor.get<Page>('/api/v1/consent/journal?event=withdrawn');
    const victim = page.body.items[0];
    if (!victim) throw new Error('No withdrawal');
    await tamperJournal(testApp, victim.id, 'channel');
    const broken = await staff.auditor.get<TVerification>('/api/v1/consent/journal/verify');
    expect(broken.body).toMatchObject({
      isIntact: false,
      firstBroken: { entryId: victim.id, reason: 'content_hash_mismatch' },
    });
  });
});

describe('export for an inspection', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let staff: Staff;
  let people: Awaited<ReturnType<typeof staffOf>>['people'];
  let contactIds: string[];

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    ({ clients: staff, people } = await staffOf(testApp, org));
    const first = await submitWithConsents(testApp, org, { ip: '192.0.2.44' });
    const second = await submitWithConsents(testApp, org, {
      ip: '192.0.2.45',
      isAdvertisingGiven: false,
    });
    contactIds = [
      await contactOfSubmission(testApp, first.submissionId),
      await contactOfSubmission(testApp, second.submissionId),
    ];
    // A proof signs a checkpoint covering what exists so far.
    const page = await staff.auditor.get<Page>('/api/v1/consent/journal');
    await staff.auditor.get(`/api/v1/consent/journal/${page.body.items[0]?.id}/proof`);
  });

  async function download(client: Client, query: string) {
    const answer = await testApp.app.request(`/api/v1/consent/journal/export?${query}`, {
      headers: {
        cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      },
    });
    // Decoded by hand: Response.text() would drop the byte-order mark under test.
    const bytes = new Uint8Array(await answer.arrayBuffer());
    return { answer, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
  }

  it('gives the privacy officer a CSV with a BOM, one row per entry, evidence included and logged', async () => {
    const { answer, bytes, text } = await download(staff.privacy_officer, 'format=csv');
    expect(answer.status).toBe(200);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.csv"/);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    const header = lines[0]?.split(';') ?? [];
    expect(header.slice(0, 4)).toEqual(['position', 'entry_id', 'at', 'event']);
    expect(header).toContain('ip');
    expect(lines).toHaveLength(1 + 3);
    expect(lines[1]?.split(';')[0]).toBe('1');
    expect(text).toContain('192.0.2.44');
    expect(text).toContain(org.processing.document?.sha256 ?? 'missing');
    const access = await staff.owner.get<{ items: AccessItem[] }>(
      `/api/v1/access-log?actorUserId=${people.privacy_officer.userId}`,
    );
    const exported = access.body.items.filter((item) => item.reason === 'export');
    expect(exported.map((item) => item.subjectId).sort()).toEqual([...contactIds].sort());
    expect(exported[0]).toMatchObject({
      subjectType: 'contact',
      fields: ['consent_evidence'],
      route: 'GET /api/v1/consent/journal/export',
    });
  });

  it('gives an auditor the CSV without any evidence, logging no read', async () => {
    const { answer, text } = await download(staff.auditor, 'format=csv');
    expect(answer.status).toBe(200);
    expect(text.split('\r\n')[0]).not.toContain('ip');
    expect(text).not.toContain('192.0.2.4');
    expect(text).not.toContain('Firefox');
    expect(text).not.toContain('Ирина');
    const access = await staff.owner.get<{ total: number }>(
      `/api/v1/access-log?actorUserId=${people.auditor.userId}`,
    );
    expect(access.body.total).toBe(0);
  });

  it('prints a page with the operator, entries, signed checkpoints, public key and result', async () => {
    const proofPage = await staff.auditor.get<Page>('/api/v1/consent/journal?pageSize=1');
    const proof = await staff.auditor.get<TProof>(
      `/api/v1/consent/journal/${proofPage.body.items[0]?.id}/proof`,
    );
    const { answer, text } = await download(staff.auditor, 'format=html');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(text).toContain('ООО «Клиника Здоровье»');
    expect(text).toContain('Период: весь журнал');
    expect(text).toContain('Целостность журнала подтверждена');
    expect(text).toContain(proof.body.publicKey.spkiBase64);
    expect(text).toContain(proof.body.checkpoint.signature);
    expect((text.match(/<tr><td>/g) ?? []).length).toBeGreaterThanOrEqual(3 + 1);
    expect(text).not.toContain('192.0.2.4');

    const period = await download(
      staff.auditor,
      `format=html&from=${encodeURIComponent('2030-01-01T00:00:00Z')}`,
    );
    expect(period.text).toContain('Записей: 0');
  });

  it('shows a broken journal as broken in the printed page, and refuses a marketer', async () => {
    const page = await staff.auditor.get<Page>('/api/v1/consent/journal');
    const victim = page.body.items.at(-1);
    if (!victim) throw new Error('No entry');
    await tamperJournal(testApp, victim.id, 'at');
    const { text } = await download(staff.auditor, 'format=html');
    expect(text).toContain('ЦЕЛОСТНОСТЬ НАРУШЕНА');
    expect(text).toContain(victim.id);
    const refused = await download(staff.marketer, 'format=csv');
    expect(refused.answer.status).toBe(403);
  });
});
