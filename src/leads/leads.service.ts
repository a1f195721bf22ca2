import { randomUUID } from 'node:crypto';
import { readContacts } from '../contacts/contacts.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can } from '../platform/permissions.ts';
import {
  type Attribution,
  findContactIdsOfLeads,
  findLeadBySubmission,
  findLeadPage,
  findLeadTimes,
  insertLead,
  type LeadRecord,
  updateLeadSource,
} from './leads.repo.ts';
import type { TLeadQuery, TLeadView } from './leads.schema.ts';

export type { Attribution };

/** The channel source of a lead: its UTM source, else the referring host, else "direct". */
export function sourceOf(attribution: Attribution): string {
  if (attribution.utm_source) return attribution.utm_source;
  if (attribution.referrer) {
    try {
      return new URL(attribution.referrer).hostname.replace(/^www\./, '');
    } catch {
      // A malformed referrer says nothing about the source.
    }
  }
  return 'direct';
}

export async function createLead(
  tx: Tx,
  ctx: Ctx,
  input: {
    contactId: string;
    submissionId: string | null;
    formId: string | null;
    attribution: Attribution;
    /** Overrides the source read from the attribution (a call's channel, "unknown"). */
    source?: string;
  },
): Promise<string> {
  const id = randomUUID();
  const { source, ...lead } = input;
  await insertLead(
    tx,
    ctx.orgId,
    { id, ...lead, source: source ?? sourceOf(input.attribution) },
    ctx.now,
  );
  return id;
}

/** Sets what brought a lead when it is learned after the lead was made (a call matched later). */
export async function reattributeLead(
  tx: Tx,
  input: { leadId: string; source: string; attribution: Attribution },
): Promise<void> {
  await updateLeadSource(tx, {
    id: input.leadId,
    source: input.source,
    attribution: input.attribution,
  });
}

export async function leadIdOfSubmission(tx: Tx, submissionId: string): Promise<string | null> {
  return (await findLeadBySubmission(tx, submissionId))?.id ?? null;
}

/** Contacts with a lead of this status and source, most recent first (audiences of outbound actions). */
export function contactIdsOfLeads(
  tx: Tx,
  filter: { status?: string | undefined; source?: string | undefined; limit: number },
): Promise<string[]> {
  return findContactIdsOfLeads(tx, {
    limit: filter.limit,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.source ? { source: filter.source } : {}),
  });
}

export async function findLeads(ctx: Ctx, query: TLeadQuery) {
  if (!can(ctx.role, 'leads.read')) throw new AppError('forbidden', 'The role cannot see leads');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { rows, total } = await findLeadPage(tx, {
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
      source: query.source,
      stage: query.stage,
      assignee: query.assignee,
    });
    return {
      items: await leadViews(tx, ctx, rows),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  });
}

/**
 * Leads as shown to staff: the contact's name, phone and email only for roles that may read
 * contacts (the read is logged); marketers get the lead without the person.
 */
export async function leadViews(
  tx: Tx,
  ctx: Ctx,
  rows: readonly LeadRecord[],
): Promise<TLeadView[]> {
  const showsContacts = can(ctx.role, 'contacts.read');
  const contacts = showsContacts
    ? await readContacts(
        tx,
        ctx,
        rows.map((row) => row.contactId),
        'list',
      )
    : new Map();
  return rows.map((row) => {
    const contact = contacts.get(row.contactId);
    return {
      id: row.id,
      status: row.status,
      source: row.source,
      attribution: row.attribution,
      formId: row.formId,
      createdAt: row.createdAt.toISOString(),
      assigneeUserId: row.assigneeUserId,
      lostReason: row.lostReason,
      stageChangedAt: row.stageChangedAt?.toISOString() ?? null,
      firstResponseAt: row.firstResponseAt?.toISOString() ?? null,
      contactId: row.contactId,
      contact: contact
        ? { id: contact.id, name: contact.name, phone: contact.phone, email: contact.email }
        : null,
    };
  });
}

/** Every lead's id and creation time, oldest first (the demo moves them along the pipeline). */
export async function findLeadsForDemo(ctx: Ctx): Promise<Array<{ id: string; createdAt: Date }>> {
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findLeadTimes(tx));
}
