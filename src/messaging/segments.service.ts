import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { readContacts } from '../contacts/contacts.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import type { SqlFragment } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can, type Permission } from '../platform/permissions.ts';
import { type ActivePurpose, findActivePurposes } from '../purposes/purposes.service.ts';
import {
  type AudienceCounts,
  countVerdicts,
  gateVerdicts,
  insertVerdictRecipients,
} from './gate.repo.ts';
import { GATE_REFUSALS, SPECIAL_CATEGORY_CODES, verdictRules } from './gate.service.ts';
import {
  allowLargeAudience,
  archiveSegment,
  findSegmentById,
  findSegmentRows,
  findSpecialCategoryCodes,
  insertSegment,
  type SegmentRecord,
  segmentWhere,
  updateSegment,
} from './segments.repo.ts';
import type {
  TAudiencePreview,
  TPreviewQuery,
  TSegment,
  TSegmentBody,
  TSegmentFilters,
} from './segments.schema.ts';

export function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

async function activePurpose(tx: Tx, ctx: Ctx, code: string): Promise<ActivePurpose> {
  const [active] = await findActivePurposes(tx, ctx.publicUrl, [code]);
  if (!active || active.purpose.archivedAt) {
    throw new AppError('validation_failed', 'No such purpose', {
      fields: { purposeCode: ['Choose an active purpose'] },
    });
  }
  return active;
}

/**
 * R-C5: health and other special categories never serve advertising. A segment that selects
 * people by a special data category, or by their consent to a purpose holding one (medical
 * care), is refused under an advertising purpose — when it is saved and again at launch.
 */
export async function assertLawfulSegment(
  tx: Tx,
  ctx: Ctx,
  input: { purpose: ActivePurpose; filters: TSegmentFilters },
): Promise<void> {
  if (input.purpose.purpose.kind !== 'advertising') return;
  const codes = input.filters.dataCategories ?? [];
  const registry = await findSpecialCategoryCodes(tx, codes);
  const special = codes.filter(
    (code) => SPECIAL_CATEGORY_CODES.includes(code) || registry.includes(code),
  );
  let viaConsent: string | null = null;
  if (input.filters.consent) {
    const [other] = await findActivePurposes(tx, ctx.publicUrl, [
      input.filters.consent.purposeCode,
    ]);
    const isHealthPurpose =
      other &&
      (other.version.legalBasis === 'medical_care' ||
        other.version.dataCategories.some((category) => category.isSpecial));
    if (isHealthPurpose) viaConsent = other.purpose.code;
  }
  if (special.length > 0 || viaConsent) {
    throw new AppError(
      'rule_violated',
      'A special category (health) cannot select people for advertising (R-C5)',
      {
        details: {
          rule: 'special_category_for_marketing',
          categories: special,
          ...(viaConsent ? { purposeCode: viaConsent } : {}),
        },
        fields: {
          filters: ['Remove the health filter, or choose a purpose that is not advertising'],
        },
      },
    );
  }
}

function segmentView(segment: SegmentRecord, purposes: ActivePurpose[]): TSegment {
  const purpose = purposes.find((candidate) => candidate.purpose.id === segment.purposeId);
  return {
    id: segment.id,
    name: segment.name,
    purposeCode: purpose?.purpose.code ?? '',
    purposeTitle: purpose?.version.title ?? '',
    purposeKind: purpose?.purpose.kind ?? '',
    filters: segment.filters,
    createdAt: segment.createdAt.toISOString(),
    updatedAt: segment.updatedAt.toISOString(),
  };
}

export async function createSegment(ctx: Ctx, body: TSegmentBody): Promise<TSegment> {
  assertCan(ctx, 'campaigns.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const purpose = await activePurpose(tx, ctx, body.purposeCode);
    if (body.filters.consent) await activePurpose(tx, ctx, body.filters.consent.purposeCode);
    await assertLawfulSegment(tx, ctx, { purpose, filters: body.filters });
    const id = randomUUID();
    await insertSegment(tx, {
      id,
      orgId: ctx.orgId,
      name: body.name,
      purposeId: purpose.purpose.id,
      filters: body.filters,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await recordAudit(tx, ctx, { action: 'segment.created', entityType: 'segment', entityId: id });
    return segmentView(
      {
        id,
        name: body.name,
        purposeId: purpose.purpose.id,
        filters: body.filters,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      },
      [purpose],
    );
  });
}

export async function reviseSegment(
  ctx: Ctx,
  segmentId: string,
  body: TSegmentBody,
): Promise<TSegment> {
  assertCan(ctx, 'campaigns.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const purpose = await activePurpose(tx, ctx, body.purposeCode);
    if (body.filters.consent) await activePurpose(tx, ctx, body.filters.consent.purposeCode);
    await assertLawfulSegment(tx, ctx, { purpose, filters: body.filters });
    const isChanged = await updateSegment(tx, {
      id: segmentId,
      name: body.name,
      purposeId: purpose.purpose.id,
      filters: body.filters,
      at: ctx.now,
    });
    if (!isChanged) throw new AppError('not_found', 'No such segment');
    await recordAudit(tx, ctx, {
      action: 'segment.revised',
      entityType: 'segment',
      entityId: segmentId,
    });
    const saved = await findSegmentById(tx, segmentId);
    if (!saved) throw new AppError('not_found', 'No such segment');
    return segmentView(saved, [purpose]);
  });
}

export async function removeSegment(ctx: Ctx, segmentId: string): Promise<void> {
  assertCan(ctx, 'campaigns.manage');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await archiveSegment(tx, segmentId, ctx.now))) {
      throw new AppError('not_found', 'No such segment');
    }
    await recordAudit(tx, ctx, {
      action: 'segment.archived',
      entityType: 'segment',
      entityId: segmentId,
    });
  });
}

export async function findSegments(ctx: Ctx): Promise<{ items: TSegment[] }> {
  assertCan(ctx, 'campaigns.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const purposes = await findActivePurposes(tx, ctx.publicUrl);
    const rows = await findSegmentRows(tx);
    return { items: rows.map((row) => segmentView(row, purposes)) };
  });
}

/** A segment in the caller's transaction with its purpose, for campaigns. */
export async function getSegmentInTx(
  tx: Tx,
  ctx: Ctx,
  segmentId: string,
): Promise<{ segment: SegmentRecord; purpose: ActivePurpose }> {
  const segment = await findSegmentById(tx, segmentId);
  if (!segment) throw new AppError('not_found', 'No such segment');
  const purposes = await findActivePurposes(tx, ctx.publicUrl);
  const purpose = purposes.find((candidate) => candidate.purpose.id === segment.purposeId);
  if (!purpose) throw new AppError('not_found', 'The segment’s purpose is archived');
  return { segment, purpose };
}

export type AudienceInput = {
  segment: SegmentRecord;
  purpose: ActivePurpose;
  channel: 'email' | 'sms';
};

/**
 * Who a segment reaches on a channel right now, as one query kept in the database: the
 * segment's set-based match judged by the one outbound gate (R-C7, R-A1), a person without an
 * address on the channel left out as `recipient_not_named`.
 */
async function audienceVerdicts(tx: Tx, ctx: Ctx, input: AudienceInput): Promise<SqlFragment> {
  const consentPurpose = input.segment.filters.consent
    ? (await findActivePurposes(tx, ctx.publicUrl, [input.segment.filters.consent.purposeCode]))[0]
    : null;
  await allowLargeAudience(tx);
  const { rules } = await verdictRules(tx, ctx, {
    purposeCode: input.purpose.purpose.code,
    channel: input.channel,
    address: input.channel === 'email' ? 'email' : 'phone',
    ...(input.segment.filters.dataCategories
      ? { dataCategories: input.segment.filters.dataCategories }
      : {}),
  });
  const where = segmentWhere({
    filters: input.segment.filters,
    consentPurposeId: consentPurpose?.purpose.id ?? null,
    now: ctx.now,
  });
  return gateVerdicts({ where }, rules);
}

/**
 * The audience preview: how many the segment matches, how many the gate lets through, those
 * left out counted per reason, and one page of those included (names only for roles that read
 * contacts; the read is logged). One statement, whatever the audience's size.
 */
export async function previewAudience(
  tx: Tx,
  ctx: Ctx,
  input: AudienceInput,
  query: { page: number; pageSize: number },
): Promise<TAudiencePreview> {
  const counted = await countVerdicts(tx, await audienceVerdicts(tx, ctx, input), {
    reasons: GATE_REFUSALS,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const names = can(ctx.role, 'contacts.read')
    ? await readContacts(
        tx,
        ctx,
        counted.page.map((row) => row.contactId),
        'campaign_audience',
      )
    : null;
  return {
    matched: counted.matched,
    included: counted.included,
    excluded: counted.excluded,
    items: counted.page.map((row) => ({
      contactId: row.contactId,
      name: names?.get(row.contactId)?.name ?? null,
      consentEntryId: row.consentEntryId,
    })),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * The audience frozen into a campaign's queue at launch: one row per person the gate allows,
 * with the consent entry that allowed them, and the rest counted per reason.
 */
export async function freezeAudience(
  tx: Tx,
  ctx: Ctx,
  input: AudienceInput & { campaignId: string },
): Promise<AudienceCounts> {
  return insertVerdictRecipients(tx, await audienceVerdicts(tx, ctx, input), {
    orgId: ctx.orgId,
    campaignId: input.campaignId,
  });
}

export async function previewSegment(
  ctx: Ctx,
  segmentId: string,
  query: TPreviewQuery,
): Promise<TAudiencePreview> {
  assertCan(ctx, 'campaigns.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { segment, purpose } = await getSegmentInTx(tx, ctx, segmentId);
    return previewAudience(tx, ctx, { segment, purpose, channel: query.channel }, query);
  });
}
