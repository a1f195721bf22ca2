import { createHmac, randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { noteNoticeChange } from '../compliance/rkn-notice/rkn-notice.service.ts';
import { crossBorderRefusal } from '../compliance/services/services.service.ts';
import { readContacts } from '../contacts/contacts.service.ts';
import { openField, orgKeyring, sealField } from '../keys/keys.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { findActivePurposes } from '../purposes/purposes.service.ts';
import { checkOutbound } from './gate.service.ts';
import {
  archivePartnerRow,
  findPartner,
  findPartners,
  findTransfer,
  findTransferPage,
  finishTransfer,
  insertPartner,
  insertTransfer,
  type PartnerRecord,
  type TransferRecord,
} from './outbound-actions.repo.ts';
import type {
  TPartnerBody,
  TPartnerView,
  TTransferBody,
  TTransferView,
} from './outbound-actions.schema.ts';
import { assertCan, storedAnswer } from './outbound-actions.service.ts';

/** The header carrying `sha256=<hex>`: HMAC-SHA256 of the exact body under the partner's secret. */
export const SIGNATURE_HEADER = 'X-Soglasie-Signature';
const TIMEOUT_MS = 10_000;

function secretBinding(partnerId: string): string {
  return `partners:${partnerId}:secret`;
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function partnerView(partner: PartnerRecord): TPartnerView {
  return {
    id: partner.id,
    name: partner.name,
    url: partner.url,
    country: partner.country,
    createdAt: partner.createdAt.toISOString(),
    archivedAt: partner.archivedAt?.toISOString() ?? null,
  };
}

function transferView(transfer: TransferRecord): TTransferView {
  return {
    ...transfer,
    createdAt: transfer.createdAt.toISOString(),
    finishedAt: transfer.finishedAt?.toISOString() ?? null,
  };
}

export async function listPartners(ctx: Ctx): Promise<TPartnerView[]> {
  assertCan(ctx, 'transfers.read', 'The role cannot see partners');
  const partners = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findPartners(tx));
  return partners.map(partnerView);
}

/** A third party data may be transferred to; its secret is sealed under the organization's key. */
export async function createPartner(ctx: Ctx, body: TPartnerBody): Promise<TPartnerView> {
  assertCan(ctx, 'partners.manage', 'The role cannot manage partners');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const id = randomUUID();
    const keyring = await orgKeyring(tx, ctx);
    const isNew = await insertPartner(tx, {
      id,
      orgId: ctx.orgId,
      name: body.name,
      url: body.url,
      country: body.country,
      secretEnc: sealField(keyring.key, body.secret, secretBinding(id)),
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    if (!isNew) throw new AppError('conflict', 'A partner with this name exists');
    await recordAudit(tx, ctx, {
      action: 'partner.created',
      entityType: 'partner',
      entityId: id,
      details: { name: body.name, url: body.url, country: body.country },
    });
    // A foreign partner is a cross-border transfer: a field of the RKN notice (R-L3).
    await noteNoticeChange(tx, ctx, 'partner.created');
    const partner = await findPartner(tx, id);
    if (!partner) throw new Error('A partner just written was not found');
    return partnerView(partner);
  });
}

export async function archivePartner(ctx: Ctx, id: string): Promise<void> {
  assertCan(ctx, 'partners.manage', 'The role cannot manage partners');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (!(await archivePartnerRow(tx, id, ctx.now))) {
      throw new AppError('not_found', 'No such active partner');
    }
    await recordAudit(tx, ctx, {
      action: 'partner.archived',
      entityType: 'partner',
      entityId: id,
      details: {},
    });
    await noteNoticeChange(tx, ctx, 'partner.archived');
  });
}

/**
 * Transfers one person's data to a partner by a signed webhook, if the outbound check allows.
 * The attempt is logged either way with the check's answer; an allowed one with the partner's
 * HTTP status. No retries: a failed transfer is visible in the log and may be sent again.
 */
export async function transferContact(ctx: Ctx, body: TTransferBody): Promise<TTransferView> {
  assertCan(ctx, 'transfers.send', 'The role cannot transfer data');
  const id = randomUUID();
  const prepared = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const partner = await findPartner(tx, body.partnerId);
    if (!partner || partner.archivedAt) {
      throw new AppError('validation_failed', 'No such active partner', {
        fields: { partnerId: ['unknown'] },
      });
    }
    const [active] = await findActivePurposes(tx, ctx.publicUrl, [body.purposeCode]);
    if (!active) {
      throw new AppError('validation_failed', 'No such purpose', {
        fields: { purposeCode: ['unknown'] },
      });
    }
    if (active.purpose.kind !== 'transfer') {
      throw new AppError('rule_violated', 'Transfers go under a purpose of the transfer kind', {
        details: { rule: 'purpose_not_transfer' },
      });
    }
    // R-L2: a foreign partner needs a recorded cross-border notice, and a country without
    // adequate protection 10 working days after it, before the consent is even looked at.
    const crossBorder = await crossBorderRefusal(tx, ctx, partner);
    // The partner must be among the recipients named in the version the person agreed to.
    const answer = crossBorder
      ? null
      : await checkOutbound(tx, ctx, {
          contactId: body.contactId,
          purposeCode: body.purposeCode,
          channel: 'transfer',
          recipient: partner.name,
        });
    const stored = answer
      ? storedAnswer(answer)
      : { allowed: false, reason: crossBorder as string, basis: null, consentEntryId: null };
    await insertTransfer(tx, {
      id,
      orgId: ctx.orgId,
      partnerId: partner.id,
      purposeId: active.purpose.id,
      contactId: body.contactId,
      ...stored,
      status: stored.allowed ? 'sending' : 'refused',
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action: stored.allowed ? 'transfer.sent' : 'transfer.refused',
      entityType: 'transfer',
      entityId: id,
      details: { partnerId: partner.id, purposeCode: body.purposeCode, reason: stored.reason },
    });
    if (!stored.allowed) return null;
    const contact = (await readContacts(tx, ctx, [body.contactId], 'transfer')).get(body.contactId);
    const keyring = await orgKeyring(tx, ctx);
    const payload = JSON.stringify({
      transferId: id,
      sentAt: ctx.now.toISOString(),
      purpose: { code: active.purpose.code, title: active.version.title },
      basis: { legalBasis: stored.basis, consentEntryId: stored.consentEntryId },
      contact: {
        id: body.contactId,
        name: contact?.name ?? null,
        phone: contact?.phone ?? null,
        email: contact?.email ?? null,
      },
    });
    const secret = openField(keyring.key, partner.secretEnc, secretBinding(partner.id));
    return { url: partner.url, payload, signature: signBody(secret, payload) };
  });
  if (prepared) {
    const outcome = await postToPartner(id, prepared);
    await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
      finishTransfer(tx, { id, ...outcome, at: ctx.now }),
    );
  }
  const transfer = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findTransfer(tx, id));
  if (!transfer) throw new Error('A transfer just written was not found');
  return transferView(transfer);
}

async function postToPartner(
  id: string,
  request: { url: string; payload: string; signature: string },
): Promise<{ status: 'delivered' | 'failed'; httpStatus: number | null; error: string | null }> {
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: request.signature,
        'X-Soglasie-Transfer-Id': id,
      },
      body: request.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    const isOk = response.status >= 200 && response.status < 300;
    return {
      status: isOk ? 'delivered' : 'failed',
      httpStatus: response.status,
      error: isOk ? null : `HTTP ${response.status}`,
    };
  } catch (error) {
    return {
      status: 'failed',
      httpStatus: null,
      error: error instanceof Error ? error.message.slice(0, 500) : 'request failed',
    };
  }
}

export async function findTransfers(
  ctx: Ctx,
  query: { page: number; pageSize: number; contactId?: string | undefined },
) {
  assertCan(ctx, 'transfers.read', 'The role cannot see transfers');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findTransferPage(tx, {
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
      contactId: query.contactId,
    });
    return { items: rows.map(transferView), page: query.page, pageSize: query.pageSize, total };
  });
}
