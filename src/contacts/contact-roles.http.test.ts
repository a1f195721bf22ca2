import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeMember } from '../../test/factories.ts';
import { type Client, signIn } from '../../test/http.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import type { TLeadView } from '../leads/leads.schema.ts';
import { sql } from '../platform/db/sql.ts';
import type { TContactView } from './contacts.schema.ts';

const getApp = setupTestApp();

// Acceptance (role tests): the marketer works on de-identified data only — no contact card, no
// export of personal data; the front desk opens cards; every opening is in the access log
// (152-FZ Art. 19, R-L6).
describe('who may open a contact card', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let frontDesk: Client;
  let marketer: Client;
  let owner: Client;
  let deskUserId: string;
  let marketerUserId: string;
  let contactId: string;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    const desk = await makeMember(testApp, org.orgId, 'front_desk');
    const marketing = await makeMember(testApp, org.orgId, 'marketer');
    deskUserId = desk.userId;
    marketerUserId = marketing.userId;
    frontDesk = await signIn(testApp, desk.email, desk.password);
    marketer = await signIn(testApp, marketing.email, marketing.password);
    owner = await signIn(testApp, org.owner.email, org.owner.password);
    const submitted = await submitWithConsents(testApp, org);
    contactId = await contactOfSubmission(testApp, submitted.submissionId);
  });

  const cardOpenings = async (actorUserId: string) =>
    (
      await testApp.db.query<{ reason: string; fields: string[] }>(sql`
        SELECT reason, fields FROM access_log
        WHERE org_id = ${org.orgId} AND subject_type = 'contact' AND subject_id = ${contactId}
          AND actor_user_id = ${actorUserId} AND reason = 'card'
        ORDER BY id`)
    ).length;

  it('refuses the marketer the card, the list, the search, the timeline and exports', async () => {
    for (const path of [
      `/api/v1/contacts/${contactId}`,
      `/api/v1/contacts/${contactId}/timeline`,
      '/api/v1/contacts',
      '/api/v1/contacts?q=%2B79160000000',
      '/api/v1/contacts/duplicates',
      '/api/v1/contact-exports',
    ]) {
      const answer = await marketer.get(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
    }
    const exported = await marketer.post('/api/v1/contact-exports', { purposeCode: 'marketing' });
    expect(exported.status).toBe(403);
    // What a marketer does see of leads carries no person.
    const leads = await marketer.get<{ items: TLeadView[] }>('/api/v1/leads');
    expect(leads.status).toBe(200);
    expect(leads.body.items.length).toBeGreaterThan(0);
    expect(leads.body.items.every((lead) => lead.contact === null)).toBe(true);
    expect(JSON.stringify(leads.body)).not.toContain('Ирина');
    // Nothing was read for the marketer, so nothing is logged as read.
    const reads = await testApp.db.query(sql`
      SELECT 1 FROM access_log WHERE org_id = ${org.orgId} AND actor_user_id = ${marketerUserId}
        AND subject_type = 'contact'`);
    expect(reads).toEqual([]);
  });

  it('lets the front desk open the card, and logs every opening', async () => {
    const before = await cardOpenings(deskUserId);
    const card = await frontDesk.get<TContactView>(`/api/v1/contacts/${contactId}`);
    expect(card.status).toBe(200);
    expect(card.body.name).toBe('Ирина Соколова');
    expect(card.body.phone).toMatch(/^\+7916\d{7}$/);
    expect(await cardOpenings(deskUserId)).toBe(before + 1);
    const timeline = await frontDesk.get(`/api/v1/contacts/${contactId}/timeline`);
    expect(timeline.status).toBe(200);
    await frontDesk.get(`/api/v1/contacts/${contactId}`);
    // The card twice and its timeline once: three openings, three rows.
    expect(await cardOpenings(deskUserId)).toBe(before + 3);
  });

  it('finds a contact by the start of a name through the blind index, logging the search', async () => {
    const found = await frontDesk.get<{ items: TContactView[] }>(
      `/api/v1/contacts?q=${encodeURIComponent('соко ири')}`,
    );
    expect(found.body.items.map((item) => item.id)).toContain(contactId);
    const none = await frontDesk.get<{ items: TContactView[] }>(
      `/api/v1/contacts?q=${encodeURIComponent('Петров')}`,
    );
    expect(none.body.items).toEqual([]);
    // The index holds keyed hashes only: no name word in clear.
    const tokens = await testApp.db.query<{ token: string }>(sql`
      SELECT token FROM contact_name_tokens WHERE contact_id = ${contactId}`);
    expect(tokens.length).toBeGreaterThan(4);
    expect(tokens.every((row) => /^(full:)?[0-9a-f]{32,}$/.test(row.token))).toBe(true);
    const searches = await testApp.db.query(sql`
      SELECT 1 FROM access_log WHERE org_id = ${org.orgId} AND subject_id = ${contactId}
        AND reason = 'search'`);
    expect(searches.length).toBeGreaterThan(0);
  });

  it('lets the owner export, which the marketer may not', async () => {
    const exported = await owner.post('/api/v1/contact-exports', { purposeCode: 'marketing' });
    expect(exported.status).toBe(201);
  });
});
