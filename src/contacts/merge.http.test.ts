import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeMember } from '../../test/factories.ts';
import { type Client, signIn } from '../../test/http.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { verifyJournal } from '../consent/journal.service.ts';
import type { TLeadView } from '../leads/leads.schema.ts';
import { checkOutbound } from '../messaging/gate.service.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import type { TTimelinePage } from '../timeline/timeline.schema.ts';
import type { TContactView, TMergeView } from './contacts.schema.ts';

const getApp = setupTestApp();
const DAY = 24 * 60 * 60 * 1000;

type JournalRow = { id: string; contact_id: string; event: string; content_sha256: string };

describe('merging duplicate contacts (acceptance: consents and journal links kept, verify-journal passes, undo within 30 days)', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let frontDesk: Client;
  let marketer: Client;
  let desk: { email: string; password: string };

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    desk = await makeMember(testApp, org.orgId, 'front_desk');
    const marketing = await makeMember(testApp, org.orgId, 'marketer');
    frontDesk = await signIn(testApp, desk.email, desk.password);
    marketer = await signIn(testApp, marketing.email, marketing.password);
  });

  // Moving the clock by days ends sessions: sign in again as a person would.
  const later = async (ms: number) => {
    testApp.clock.advance(ms);
    frontDesk = await signIn(testApp, desk.email, desk.password);
  };
  const ctx = () =>
    systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now(), role: 'owner' });
  const gate = (contactId: string) =>
    withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      checkOutbound(tx, ctx(), { contactId, purposeCode: 'marketing', channel: 'sms' }),
    );
  const journal = () =>
    testApp.db.query<JournalRow>(sql`
      SELECT id, contact_id, event, content_sha256 FROM consent_journal
      WHERE org_id = ${org.orgId} ORDER BY seq`);
  const rowsOf = async (table: 'leads' | 'submissions' | 'contact_notes', contactId: string) =>
    (
      await testApp.db.query<{ id: string }>(
        sql`SELECT id FROM ${sql.unsafeRaw(table)} WHERE contact_id = ${contactId} ORDER BY id`,
      )
    ).map((row) => row.id);
  const newPerson = async (isAdvertisingGiven: boolean) => {
    const submitted = await submitWithConsents(testApp, org, { isAdvertisingGiven });
    return contactOfSubmission(testApp, submitted.submissionId);
  };

  it('merges, keeps every consent and journal entry, and undoes it within 30 days', async () => {
    // One patient came twice with two phones: the duplicate holds the advertising consent.
    const survivorId = await newPerson(false);
    testApp.clock.advance(60_000);
    const duplicateId = await newPerson(true);
    const note = await frontDesk.post(`/api/v1/contacts/${duplicateId}/notes`, {
      body: 'Просит звонить после 18:00',
    });
    expect(note.status).toBe(201);
    const duplicates = await frontDesk.get<{
      items: Array<{ contact: TContactView; other: TContactView; reasons: string[] }>;
    }>(`/api/v1/contacts/duplicates?contactId=${survivorId}`);
    expect(duplicates.body.items).toHaveLength(1);
    expect(duplicates.body.items[0]?.reasons).toEqual(['same_name']);

    const journalBefore = await journal();
    const survivorRows = {
      leads: await rowsOf('leads', survivorId),
      submissions: await rowsOf('submissions', survivorId),
    };
    const duplicateRows = {
      leads: await rowsOf('leads', duplicateId),
      submissions: await rowsOf('submissions', duplicateId),
      notes: await rowsOf('contact_notes', duplicateId),
    };
    expect(await gate(survivorId)).toEqual({ allowed: false, reason: 'no_consent' });

    const refused = await marketer.post('/api/v1/contacts/merges', {
      survivorId,
      mergedId: duplicateId,
    });
    expect(refused.status).toBe(403);
    const merged = await frontDesk.post<TMergeView>('/api/v1/contacts/merges', {
      survivorId,
      mergedId: duplicateId,
    });
    expect(merged.status).toBe(201);
    expect(merged.body.canUndo).toBe(true);

    // The journal is untouched: same entries, same contact ids, same hashes; and it verifies.
    expect(await journal()).toEqual(journalBefore);
    expect((await verifyJournal(ctx())).isIntact).toBe(true);
    // The duplicate's consent counts for the survivor (the outbound check reads the projection).
    expect(await gate(survivorId)).toMatchObject({ allowed: true, basis: 'consent' });
    // Every link moved to the survivor, the notes still readable under its key.
    expect(await rowsOf('leads', survivorId)).toEqual(
      [...survivorRows.leads, ...duplicateRows.leads].sort(),
    );
    expect(await rowsOf('submissions', survivorId)).toEqual(
      [...survivorRows.submissions, ...duplicateRows.submissions].sort(),
    );
    const timeline = await frontDesk.get<TTimelinePage>(
      `/api/v1/contacts/${survivorId}/timeline?limit=200`,
    );
    const consentIds = timeline.body.items
      .filter((item) => item.kind === 'consent')
      .map((item) => item.id)
      .sort();
    expect(consentIds).toEqual(journalBefore.map((row) => row.id).sort());
    const notes = timeline.body.items.filter((item) => item.kind === 'note');
    expect(notes.map((item) => item.data.body)).toEqual(['Просит звонить после 18:00']);
    // The duplicate is hidden from lists and its card points at the survivor.
    const card = await frontDesk.get<TContactView>(`/api/v1/contacts/${duplicateId}`);
    expect(card.body.mergedInto).toBe(survivorId);
    const list = await frontDesk.get<{ items: TContactView[] }>('/api/v1/contacts?pageSize=200');
    expect(list.body.items.map((item) => item.id)).not.toContain(duplicateId);
    // The survivor's own withdrawal, made while merged, stops the merged consent too.
    await later(DAY);
    const withdrawn = await frontDesk.post(
      `/api/v1/contacts/${survivorId}/consents/marketing/withdraw`,
      { note: 'Попросила не присылать рекламу' },
    );
    expect(withdrawn.status).toBeLessThan(300);
    expect(await gate(survivorId)).toEqual({ allowed: false, reason: 'consent_withdrawn' });

    // Undo within 30 days: both come back with their own rows.
    await later(20 * DAY);
    const undone = await frontDesk.post<TMergeView>(
      `/api/v1/contacts/merges/${merged.body.id}/undo`,
    );
    expect(undone.status).toBe(200);
    expect(undone.body.undoneAt).not.toBeNull();
    expect(await rowsOf('leads', survivorId)).toEqual(survivorRows.leads);
    expect(await rowsOf('submissions', survivorId)).toEqual(survivorRows.submissions);
    expect(await rowsOf('leads', duplicateId)).toEqual(duplicateRows.leads);
    expect(await rowsOf('submissions', duplicateId)).toEqual(duplicateRows.submissions);
    expect(await rowsOf('contact_notes', duplicateId)).toEqual(duplicateRows.notes);
    const back = await frontDesk.get<TContactView>(`/api/v1/contacts/${duplicateId}`);
    expect(back.body.mergedInto).toBeNull();
    expect(back.body.phone).toMatch(/^\+7916/);
    const duplicateTimeline = await frontDesk.get<TTimelinePage>(
      `/api/v1/contacts/${duplicateId}/timeline?kinds=note`,
    );
    expect(duplicateTimeline.body.items.map((item) => item.data.body)).toEqual([
      'Просит звонить после 18:00',
    ]);
    // The journal only grew (the objection carried to the duplicate), every old entry intact.
    const after = await journal();
    expect(after.slice(0, journalBefore.length)).toEqual(journalBefore);
    expect(after.slice(journalBefore.length).map((row) => [row.contact_id, row.event])).toEqual([
      [survivorId, 'withdrawn'],
      [duplicateId, 'withdrawn'],
    ]);
    expect((await verifyJournal(ctx())).isIntact).toBe(true);
    expect(await gate(duplicateId)).toEqual({ allowed: false, reason: 'consent_withdrawn' });
    // The survivor keeps the withdrawal it recorded.
    expect(await gate(survivorId)).toEqual({ allowed: false, reason: 'consent_withdrawn' });
    // Both acts are audited.
    const audit = await testApp.db.query<{ action: string }>(sql`
      SELECT action FROM audit_log WHERE org_id = ${org.orgId} AND entity_id = ${survivorId}
        AND action LIKE 'contact.%merged' ORDER BY id`);
    expect(audit.map((row) => row.action)).toEqual(['contact.merged', 'contact.unmerged']);
    const again = await frontDesk.post(`/api/v1/contacts/merges/${merged.body.id}/undo`);
    expect(again.status).toBe(422);
  });

  it('refuses to undo a merge after 30 days', async () => {
    const survivorId = await newPerson(true);
    const duplicateId = await newPerson(true);
    const merged = await frontDesk.post<TMergeView>('/api/v1/contacts/merges', {
      survivorId,
      mergedId: duplicateId,
    });
    await later(31 * DAY);
    const late = await frontDesk.post<{ error: { details: { rule: string } } }>(
      `/api/v1/contacts/merges/${merged.body.id}/undo`,
    );
    expect(late.body.error.details.rule).toBe('undo_expired');
    // A lead of the duplicate is reached through the survivor's card.
    const leads = await frontDesk.get<{ items: TLeadView[] }>('/api/v1/leads?pageSize=200');
    expect(leads.body.items.filter((lead) => lead.contactId === duplicateId)).toEqual([]);
  });

  it('finds the survivor when the duplicate’s phone comes in again', async () => {
    const survivorId = await newPerson(false);
    const submitted = await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    const duplicateId = await contactOfSubmission(testApp, submitted.submissionId);
    await frontDesk.post('/api/v1/contacts/merges', { survivorId, mergedId: duplicateId });
    const duplicateCard = await frontDesk.get<TContactView>(`/api/v1/contacts/${duplicateId}`);
    const again = await submitWithConsents(testApp, org, {
      phone: duplicateCard.body.phone ?? '',
      isAdvertisingGiven: false,
    });
    expect(await contactOfSubmission(testApp, again.submissionId)).toBe(survivorId);
  });
});
