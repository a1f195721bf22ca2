import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { describeActors } from '../orgs/members.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import {
  type CampaignRecord,
  countRecipientsByStatus,
  findCampaignById,
  findCampaignMessages,
  findCampaignRows,
  insertCampaign,
  markLaunched,
  setCampaignStatus,
  updateDraft,
} from './campaigns.repo.ts';
import type {
  CampaignStatus,
  TCampaign,
  TCampaignBody,
  TCampaignLog,
  TCampaignLogQuery,
  TLaunchBody,
} from './campaigns.schema.ts';
import type { TAudiencePreview, TPreviewQuery } from './segments.schema.ts';
import {
  assertCan,
  assertLawfulSegment,
  freezeAudience,
  getSegmentInTx,
  previewAudience,
} from './segments.service.ts';

function campaignView(
  record: CampaignRecord,
  progress: Record<string, number>,
  approverName: string | null,
): TCampaign {
  return {
    id: record.id,
    name: record.name,
    segmentId: record.segmentId,
    segmentName: record.segmentName,
    purposeCode: record.purposeCode,
    channel: record.channel,
    subject: record.subject,
    body: record.body,
    ratePerMinute: record.ratePerMinute,
    status: record.status,
    audienceCount: record.audienceCount,
    excluded: record.excluded,
    launchedBy: record.launchedBy ? { userId: record.launchedBy, name: approverName } : null,
    launchedAt: record.launchedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
    progress,
  };
}

function checkContent(body: TCampaignBody): void {
  if (body.channel === 'email' && !body.subject) {
    throw new AppError('validation_failed', 'An email campaign has a subject', {
      fields: { subject: ['Write the subject of the email'] },
    });
  }
}

async function loadCampaign(tx: Tx, campaignId: string, forUpdate = false) {
  const campaign = await findCampaignById(tx, campaignId, forUpdate);
  if (!campaign) throw new AppError('not_found', 'No such campaign');
  return campaign;
}

async function viewOf(tx: Tx, campaignId: string): Promise<TCampaign> {
  const campaign = await loadCampaign(tx, campaignId);
  const progress = await countRecipientsByStatus(tx, [campaignId]);
  return campaignView(campaign, progress.get(campaignId) ?? {}, null);
}

/** Views with the approvers' names (a logged read of staff names). */
async function withApprovers(ctx: Ctx, views: TCampaign[]): Promise<TCampaign[]> {
  const launched = views.filter((view) => view.launchedBy);
  if (launched.length === 0) return views;
  const describe = await describeActors(
    ctx,
    launched.map((view) => ({
      actorUserId: view.launchedBy?.userId ?? null,
      actorTokenId: null,
      actorLabel: null,
    })),
  );
  return views.map((view) =>
    view.launchedBy
      ? {
          ...view,
          launchedBy: {
            userId: view.launchedBy.userId,
            name: describe({
              actorUserId: view.launchedBy.userId,
              actorTokenId: null,
              actorLabel: null,
            }).label,
          },
        }
      : view,
  );
}

export async function createCampaign(ctx: Ctx, body: TCampaignBody): Promise<TCampaign> {
  assertCan(ctx, 'campaigns.manage');
  checkContent(body);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { segment, purpose } = await getSegmentInTx(tx, ctx, body.segmentId);
    await assertLawfulSegment(tx, ctx, { purpose, filters: segment.filters });
    const id = randomUUID();
    await insertCampaign(tx, {
      id,
      orgId: ctx.orgId,
      name: body.name,
      segmentId: segment.id,
      purposeId: purpose.purpose.id,
      channel: body.channel,
      subject: body.channel === 'email' ? (body.subject ?? null) : null,
      body: body.body,
      ratePerMinute: body.ratePerMinute,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: 'campaign.created',
      entityType: 'campaign',
      entityId: id,
    });
    return viewOf(tx, id);
  });
}

export async function reviseCampaign(
  ctx: Ctx,
  campaignId: string,
  body: TCampaignBody,
): Promise<TCampaign> {
  assertCan(ctx, 'campaigns.manage');
  checkContent(body);
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await loadCampaign(tx, campaignId);
    const { segment, purpose } = await getSegmentInTx(tx, ctx, body.segmentId);
    await assertLawfulSegment(tx, ctx, { purpose, filters: segment.filters });
    const isChanged = await updateDraft(tx, {
      id: campaignId,
      name: body.name,
      segmentId: segment.id,
      purposeId: purpose.purpose.id,
      channel: body.channel,
      subject: body.channel === 'email' ? (body.subject ?? null) : null,
      body: body.body,
      ratePerMinute: body.ratePerMinute,
      at: ctx.now,
    });
    if (!isChanged) throw new AppError('conflict', 'Only a draft can be changed');
    await recordAudit(tx, ctx, {
      action: 'campaign.revised',
      entityType: 'campaign',
      entityId: campaignId,
    });
    return viewOf(tx, campaignId);
  });
}

export async function findCampaigns(ctx: Ctx): Promise<{ items: TCampaign[] }> {
  assertCan(ctx, 'campaigns.read');
  const items = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const rows = await findCampaignRows(tx);
    const progress = await countRecipientsByStatus(
      tx,
      rows.map((row) => row.id),
    );
    return rows.map((row) => campaignView(row, progress.get(row.id) ?? {}, null));
  });
  return { items: await withApprovers(ctx, items) };
}

export async function getCampaign(ctx: Ctx, campaignId: string): Promise<TCampaign> {
  assertCan(ctx, 'campaigns.read');
  const view = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => viewOf(tx, campaignId));
  const [named] = await withApprovers(ctx, [view]);
  return named ?? view;
}

/** Who the draft would reach now, and who it would leave out and why. */
export async function previewCampaign(
  ctx: Ctx,
  campaignId: string,
  query: Omit<TPreviewQuery, 'channel'>,
): Promise<TAudiencePreview> {
  assertCan(ctx, 'campaigns.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const campaign = await loadCampaign(tx, campaignId);
    const { segment, purpose } = await getSegmentInTx(tx, ctx, campaign.segmentId);
    return previewAudience(tx, ctx, { segment, purpose, channel: campaign.channel }, query);
  });
}

/**
 * R-A2: advertising is never sent without a person. Only a signed-in user launches, the
 * launch names them, and the audience is resolved through the gate and frozen at that moment
 * (one queue row per recipient with the consent entry that allowed it; the rest counted per
 * reason). Nothing starts a campaign on a timer.
 */
export async function launchCampaign(
  ctx: Ctx,
  campaignId: string,
  _body: TLaunchBody,
): Promise<TCampaign> {
  assertCan(ctx, 'campaigns.manage');
  const approver = actorUserId(ctx.actor);
  if (!approver) {
    throw new AppError('forbidden', 'A campaign is launched by a person, not a token (R-A2)', {
      details: { rule: 'launch_needs_person' },
    });
  }
  const view = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const campaign = await loadCampaign(tx, campaignId, true);
    if (campaign.status !== 'draft') {
      throw new AppError('conflict', 'Only a draft can be launched', {
        details: { status: campaign.status },
      });
    }
    const { segment, purpose } = await getSegmentInTx(tx, ctx, campaign.segmentId);
    await assertLawfulSegment(tx, ctx, { purpose, filters: segment.filters });
    const audience = await freezeAudience(tx, ctx, {
      segment,
      purpose,
      channel: campaign.channel,
      campaignId,
    });
    await markLaunched(tx, {
      id: campaignId,
      launchedBy: approver,
      filters: segment.filters,
      excluded: audience.excluded,
      audienceCount: audience.included,
      at: ctx.now,
    });
    if (audience.included === 0) {
      await setCampaignStatus(tx, {
        id: campaignId,
        from: ['sending'],
        to: 'completed',
        at: ctx.now,
      });
    }
    await recordAudit(tx, ctx, {
      action: 'campaign.launched',
      entityType: 'campaign',
      entityId: campaignId,
      details: {
        approverUserId: approver,
        audience: audience.included,
        excluded: audience.excluded,
        purposeCode: purpose.purpose.code,
        channel: campaign.channel,
      },
    });
    return viewOf(tx, campaignId);
  });
  const [named] = await withApprovers(ctx, [view]);
  return named ?? view;
}

const TRANSITIONS: Record<
  'pause' | 'resume' | 'cancel',
  { from: CampaignStatus[]; to: CampaignStatus }
> = {
  pause: { from: ['sending'], to: 'paused' },
  resume: { from: ['paused'], to: 'sending' },
  cancel: { from: ['draft', 'sending', 'paused'], to: 'cancelled' },
};

/** Pause, resume or cancel: the sender reads the status before every batch. */
export async function changeCampaignStatus(
  ctx: Ctx,
  campaignId: string,
  act: 'pause' | 'resume' | 'cancel',
): Promise<TCampaign> {
  assertCan(ctx, 'campaigns.manage');
  if (act === 'resume' && !actorUserId(ctx.actor)) {
    throw new AppError('forbidden', 'A campaign is resumed by a person (R-A2)', {
      details: { rule: 'launch_needs_person' },
    });
  }
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const campaign = await loadCampaign(tx, campaignId, true);
    const transition = TRANSITIONS[act];
    const isChanged = await setCampaignStatus(tx, {
      id: campaignId,
      from: transition.from,
      to: transition.to,
      at: ctx.now,
    });
    if (!isChanged) {
      throw new AppError('conflict', `A ${campaign.status} campaign cannot be ${act}d`, {
        details: { status: campaign.status },
      });
    }
    await recordAudit(tx, ctx, {
      action: `campaign.${act}d`,
      entityType: 'campaign',
      entityId: campaignId,
    });
    return viewOf(tx, campaignId);
  });
}

/** The campaign's send log: each message with its gate answer and consent entry. */
export async function findCampaignLog(
  ctx: Ctx,
  campaignId: string,
  query: TCampaignLogQuery,
): Promise<TCampaignLog> {
  assertCan(ctx, 'campaigns.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await loadCampaign(tx, campaignId);
    const { rows, total } = await findCampaignMessages(tx, {
      campaignId,
      ...(query.status ? { status: query.status } : {}),
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: rows.map((row) => ({
        ...row,
        createdAt: row.createdAt.toISOString(),
        sentAt: row.sentAt?.toISOString() ?? null,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  });
}
