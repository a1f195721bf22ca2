import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../test/capture-factories.ts';
import { makeMember } from '../../test/factories.ts';
import { type Client, signIn } from '../../test/http.ts';
import { contactOfSubmission, submitWithConsents } from '../../test/journal-factories.ts';
import { systemCtx } from '../orgs/auth.service.ts';
import { withTx } from '../platform/db/tx.ts';
import type { TTimelinePage } from '../timeline/timeline.schema.ts';
import type { TLeadView } from './leads.schema.ts';
import type { TBoard, TPipelineReport, TStageEventView, TStageView } from './pipeline.schema.ts';
import { advanceContactLead } from './pipeline.service.ts';

const getApp = setupTestApp();
const MINUTE = 60_000;

describe('the lead pipeline', () => {
  let testApp: TestApp;
  let org: CaptureOrg;
  let owner: Client;
  let frontDesk: Client;
  let marketer: Client;
  let deskUserId: string;

  beforeAll(async () => {
    testApp = getApp();
    org = await makeCaptureOrg(testApp);
    const desk = await makeMember(testApp, org.orgId, 'front_desk');
    const marketing = await makeMember(testApp, org.orgId, 'marketer');
    deskUserId = desk.userId;
    owner = await signIn(testApp, org.owner.email, org.owner.password);
    frontDesk = await signIn(testApp, desk.email, desk.password);
    marketer = await signIn(testApp, marketing.email, marketing.password);
  });

  const newLead = async () => {
    const submitted = await submitWithConsents(testApp, org);
    const contactId = await contactOfSubmission(testApp, submitted.submissionId);
    const page = await owner.get<{ items: TLeadView[] }>('/api/v1/leads?pageSize=200');
    const lead = page.body.items.find((item) => item.contactId === contactId);
    if (!lead) throw new Error('The submission made no lead');
    return { contactId, leadId: lead.id };
  };
  const ctx = () => systemCtx(testApp.deps, { orgId: org.orgId, now: testApp.clock.now() });

  it('gives every organization the default stages new → contacted → booked → visited → paid, and lost', async () => {
    const stages = await marketer.get<{ items: TStageView[] }>('/api/v1/pipeline/stages');
    expect(stages.status).toBe(200);
    expect(stages.body.items.map((stage) => stage.code)).toEqual([
      'new',
      'contacted',
      'booked',
      'visited',
      'paid',
      'lost',
    ]);
    expect(stages.body.items.find((stage) => stage.code === 'lost')?.kind).toBe('lost');
  });

  it('records first-response time and the time spent in each stage', async () => {
    const { leadId } = await newLead();
    testApp.clock.advance(12 * MINUTE);
    const contacted = await frontDesk.post<TLeadView>(`/api/v1/leads/${leadId}/stage`, {
      stage: 'contacted',
    });
    expect(contacted.status).toBe(200);
    expect(contacted.body.status).toBe('contacted');
    expect(contacted.body.firstResponseAt).not.toBeNull();
    testApp.clock.advance(30 * MINUTE);
    await frontDesk.post(`/api/v1/leads/${leadId}/stage`, { stage: 'booked' });
    const history = await marketer.get<{ items: TStageEventView[] }>(
      `/api/v1/leads/${leadId}/history`,
    );
    expect(history.body.items.map((event) => [event.fromStage, event.toStage])).toEqual([
      ['contacted', 'booked'],
      ['new', 'contacted'],
    ]);
    expect(history.body.items.map((event) => event.durationSeconds)).toEqual([30 * 60, 12 * 60]);
    const report = await marketer.get<TPipelineReport>('/api/v1/pipeline/report');
    expect(report.body.firstResponse.answered).toBeGreaterThanOrEqual(1);
    expect(report.body.stageDurations.find((row) => row.stage === 'contacted')).toMatchObject({
      count: 1,
      avgSeconds: 30 * 60,
    });
  });

  it('refuses "lost" without a reason and an unknown stage, field by field', async () => {
    const { leadId } = await newLead();
    const lost = await frontDesk.post(`/api/v1/leads/${leadId}/stage`, { stage: 'lost' });
    expect(lost.status).toBe(400);
    expect(lost.body).toMatchObject({ error: { fields: { lostReason: expect.any(Array) } } });
    const unknown = await frontDesk.post(`/api/v1/leads/${leadId}/stage`, { stage: 'nowhere' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { fields: { stage: ['unknown_stage'] } } });
    const ok = await frontDesk.post<TLeadView>(`/api/v1/leads/${leadId}/stage`, {
      stage: 'lost',
      lostReason: 'price',
    });
    expect(ok.body).toMatchObject({ status: 'lost', lostReason: 'price' });
  });

  it('lets marketers read the board without people and refuses them moving leads', async () => {
    const { leadId } = await newLead();
    const move = await marketer.post(`/api/v1/leads/${leadId}/stage`, { stage: 'contacted' });
    expect(move.status).toBe(403);
    const board = await marketer.get<TBoard>('/api/v1/pipeline/board?perStage=5');
    expect(board.status).toBe(200);
    const column = board.body.columns.find((entry) => entry.stage.code === 'new');
    expect(column?.total).toBeGreaterThan(0);
    expect(column?.items.every((item) => item.contact === null)).toBe(true);
    const deskBoard = await frontDesk.get<TBoard>('/api/v1/pipeline/board?perStage=5');
    const deskColumn = deskBoard.body.columns.find((entry) => entry.stage.code === 'new');
    expect(deskColumn?.items[0]?.contact?.phone).toMatch(/^\+7916/);
  });

  it('assigns a lead to a member only, and filters by assignee', async () => {
    const { leadId } = await newLead();
    const stranger = await owner.call('PUT', `/api/v1/leads/${leadId}/assignee`, {
      body: { userId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(stranger.status).toBe(400);
    const assigned = await owner.call<TLeadView>('PUT', `/api/v1/leads/${leadId}/assignee`, {
      body: { userId: deskUserId },
    });
    expect(assigned.body.assigneeUserId).toBe(deskUserId);
    const mine = await frontDesk.get<{ items: TLeadView[] }>(
      `/api/v1/leads?assignee=${deskUserId}`,
    );
    expect(mine.body.items.map((item) => item.id)).toEqual([leadId]);
  });

  it('moves a contact’s open lead forward for other domains, never back', async () => {
    const { contactId, leadId } = await newLead();
    const booked = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      advanceContactLead(tx, ctx(), { contactId, stage: 'booked', cause: 'appointments' }),
    );
    expect(booked).toMatchObject({ leadId, from: 'new', to: 'booked', isMoved: true });
    testApp.clock.advance(MINUTE);
    await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      advanceContactLead(tx, ctx(), { contactId, stage: 'paid', cause: 'payments' }),
    );
    testApp.clock.advance(MINUTE);
    const back = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
      advanceContactLead(tx, ctx(), { contactId, stage: 'visited', cause: 'appointments' }),
    );
    expect(back).toMatchObject({ to: 'paid', isMoved: false });
    const timeline = await frontDesk.get<TTimelinePage>(`/api/v1/contacts/${contactId}/timeline`);
    expect(timeline.status).toBe(200);
    const stageItems = timeline.body.items.filter((item) => item.kind === 'lead_stage');
    expect(stageItems.map((item) => [item.data.toStage, item.data.cause])).toEqual([
      ['paid', 'payments'],
      ['booked', 'appointments'],
    ]);
    expect(timeline.body.items.map((item) => item.kind)).toEqual(
      expect.arrayContaining(['submission', 'consent', 'lead']),
    );
  });

  it('keeps system stages and lets owners add, rename and archive their own', async () => {
    const current = await owner.get<{ items: TStageView[] }>('/api/v1/pipeline/stages');
    const stages = current.body.items.map((stage) => ({
      code: stage.code,
      title: stage.code === 'contacted' ? 'Дозвонились' : stage.title,
      isArchived: false,
    }));
    stages.splice(2, 0, { code: 'thinking', title: 'Думает', isArchived: false });
    const saved = await owner.call<{ items: TStageView[] }>('PUT', '/api/v1/pipeline/stages', {
      body: { stages },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.items.map((stage) => stage.code).slice(0, 4)).toEqual([
      'new',
      'contacted',
      'thinking',
      'booked',
    ]);
    const withoutBooked = await owner.call('PUT', '/api/v1/pipeline/stages', {
      body: { stages: stages.filter((stage) => stage.code !== 'booked') },
    });
    expect(withoutBooked.status).toBe(400);
    const byDesk = await frontDesk.call('PUT', '/api/v1/pipeline/stages', { body: { stages } });
    expect(byDesk.status).toBe(403);
  });
});
