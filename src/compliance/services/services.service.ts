import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../access-log/access-log.service.ts';
import { actorUserId, type Ctx } from '../../platform/context.ts';
import { countryNameRu } from '../../platform/countries.ts';
import type { Tx } from '../../platform/db/db.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import {
  addCalendarDays,
  addWorkingDays,
  toMoscowDate,
} from '../../subject-requests/clock.service.ts';
import { noteNoticeChange } from '../rkn-notice/rkn-notice.service.ts';
import { isAdequateCountry } from './adequacy.ts';
import { catalogueEntry, SERVICE_CATALOGUE } from './catalogue.ts';
import {
  archiveServiceRow,
  type CrossBorderNoticeRow,
  findFormDestinations,
  findLatestCrossBorderNotices,
  findPartnerRows,
  findService,
  findServices,
  insertCrossBorderNotice,
  insertService,
  isServiceNameTaken,
  type ServiceFields,
  type ServiceRow,
  updateServiceRow,
} from './services.repo.ts';
import type {
  TCrossBorderNoticeBody,
  TCrossBorderStatus,
  TForeignRecipient,
  TServiceBody,
  TServiceUpdateBody,
  TServiceView,
} from './services.schema.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

/** Working days Roskomnadzor has to forbid a transfer to a non-adequate country (Art. 12 p.10). */
export const CROSS_BORDER_WAIT_WORKING_DAYS = 10;

export function isForeignCountry(country: string): boolean {
  return country !== 'RU';
}

/**
 * Where a foreign recipient stands (R-L2): a notice must be recorded before any transfer, and for
 * a country without adequate protection transfers wait 10 working days after the notice — the
 * first allowed day is the day after the 10th working day.
 */
export function crossBorderStatusOf(
  country: string,
  notice: Pick<CrossBorderNoticeRow, 'noticeDate' | 'reference' | 'facts' | 'country'> | null,
  today: string,
): TCrossBorderStatus {
  const isForeign = isForeignCountry(country);
  const isAdequate = isForeign && isAdequateCountry(country);
  const current = notice && notice.country === country ? notice : null;
  if (!isForeign) {
    return {
      isForeign,
      isAdequate: false,
      state: 'not_required',
      noticeDate: null,
      reference: null,
      allowedFrom: null,
      facts: null,
    };
  }
  if (!current) {
    return {
      isForeign,
      isAdequate,
      state: 'missing',
      noticeDate: null,
      reference: null,
      allowedFrom: null,
      facts: null,
    };
  }
  const allowedFrom = isAdequate
    ? current.noticeDate
    : addCalendarDays(addWorkingDays(current.noticeDate, CROSS_BORDER_WAIT_WORKING_DAYS), 1);
  return {
    isForeign,
    isAdequate,
    state: today >= allowedFrom ? 'ready' : 'waiting',
    noticeDate: current.noticeDate,
    reference: current.reference,
    allowedFrom,
    facts: current.facts,
  };
}

type FormUse = { slug: string; isPrimary: boolean };

function formUsesOf(
  destinations: Awaited<ReturnType<typeof findFormDestinations>>,
  serviceId: string,
): FormUse[] {
  return destinations.flatMap((form) =>
    form.destinations.includes(serviceId)
      ? [{ slug: form.slug, isPrimary: form.destinations[0] === serviceId }]
      : [],
  );
}

function viewOf(
  row: ServiceRow,
  notice: CrossBorderNoticeRow | null,
  forms: FormUse[],
  today: string,
): TServiceView {
  const crossBorder = crossBorderStatusOf(row.country, notice, today);
  const warnings: string[] = [];
  if (crossBorder.isForeign) warnings.push('foreign_server');
  if (crossBorder.state === 'missing') warnings.push('cross_border_notice_missing');
  if (crossBorder.state === 'waiting') warnings.push('cross_border_waiting');
  if (row.role === 'processor' && !row.contractReference) warnings.push('contract_missing');
  return {
    id: row.id,
    catalogueCode: row.catalogueCode,
    name: row.name,
    kind: row.kind,
    country: row.country,
    countryName: countryNameRu(row.country),
    role: row.role,
    dataCategories: row.dataCategories,
    purposeCodes: row.purposeCodes,
    contractReference: row.contractReference,
    notes: row.notes,
    crossBorder,
    forms,
    warnings,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

async function loadViews(
  tx: Tx,
  ctx: Ctx,
  options: { ids?: readonly string[]; includeArchived?: boolean },
): Promise<TServiceView[]> {
  const rows = await findServices(tx, options);
  const notices = await findLatestCrossBorderNotices(tx);
  const destinations = await findFormDestinations(tx);
  const today = toMoscowDate(ctx.now);
  return rows.map((row) =>
    viewOf(row, notices.get(`service:${row.id}`) ?? null, formUsesOf(destinations, row.id), today),
  );
}

async function loadView(tx: Tx, ctx: Ctx, id: string): Promise<TServiceView> {
  const [view] = await loadViews(tx, ctx, { ids: [id], includeArchived: true });
  if (!view) throw new AppError('not_found', 'No such service');
  return view;
}

export async function listServices(
  ctx: Ctx,
  options: { includeArchived?: boolean } = {},
): Promise<TServiceView[]> {
  assertCan(ctx, 'services.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) => loadViews(tx, ctx, options));
}

export async function getService(ctx: Ctx, id: string): Promise<TServiceView> {
  assertCan(ctx, 'services.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) => loadView(tx, ctx, id));
}

export async function listCatalogue(ctx: Ctx) {
  assertCan(ctx, 'services.read');
  const services = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findServices(tx));
  const added = new Set(services.map((service) => service.catalogueCode));
  return SERVICE_CATALOGUE.map((entry) => ({
    ...entry,
    isForeign: isForeignCountry(entry.country),
    isAdded: added.has(entry.code),
  }));
}

async function assertNameFree(tx: Tx, name: string, exceptId: string | null): Promise<void> {
  if (await isServiceNameTaken(tx, name, exceptId)) {
    throw new AppError('conflict', 'A service with this name is in the register', {
      fields: { name: ['Taken'] },
    });
  }
}

async function addService(ctx: Ctx, fields: ServiceFields, action: string): Promise<TServiceView> {
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await assertNameFree(tx, fields.name, null);
    const id = randomUUID();
    await insertService(tx, {
      ...fields,
      id,
      orgId: ctx.orgId,
      createdBy: actorUserId(ctx.actor),
      at: ctx.now,
    });
    await recordAudit(tx, ctx, {
      action,
      entityType: 'compliance_service',
      entityId: id,
      details: {
        name: fields.name,
        country: fields.country,
        role: fields.role,
        catalogueCode: fields.catalogueCode,
      },
    });
    await noteNoticeChange(tx, ctx, `service.${action.split('.')[1]}`);
    return loadView(tx, ctx, id);
  });
}

export async function createService(ctx: Ctx, body: TServiceBody): Promise<TServiceView> {
  assertCan(ctx, 'services.manage');
  return addService(
    ctx,
    {
      catalogueCode: null,
      name: body.name,
      kind: body.kind,
      country: body.country,
      role: body.role,
      dataCategories: body.dataCategories,
      purposeCodes: body.purposeCodes,
      contractReference: body.contractReference ?? null,
      notes: body.notes ?? null,
    },
    'compliance_service.created',
  );
}

/** One click: a catalogue entry becomes a service of the register, with its country and role. */
export async function addServiceFromCatalogue(ctx: Ctx, code: string): Promise<TServiceView> {
  assertCan(ctx, 'services.manage');
  const entry = catalogueEntry(code);
  if (!entry) {
    throw new AppError('validation_failed', 'No such catalogue entry', {
      fields: { code: ['Unknown catalogue entry'] },
    });
  }
  return addService(
    ctx,
    {
      catalogueCode: entry.code,
      name: entry.name,
      kind: entry.kind,
      country: entry.country,
      role: entry.role,
      dataCategories: [],
      purposeCodes: [],
      contractReference: null,
      notes: entry.note,
    },
    'compliance_service.added_from_catalogue',
  );
}

function refuseForeignPrimary(field: string, forms: string[], country: string): never {
  throw new AppError(
    'rule_violated',
    'A service with servers outside Russia cannot be the first destination of a form (R-L1)',
    {
      details: { rule: 'foreign_primary_destination', forms, country },
      fields: {
        [field]: [
          `foreign_primary_destination: the servers are in ${country}; personal data of Russian citizens is first recorded in Russia`,
        ],
      },
    },
  );
}

/**
 * A service changes; a new country is refused while a form uses the service as its first
 * destination (R-L1). Changes that alter the RKN notice open the "update" task.
 */
export async function updateService(
  ctx: Ctx,
  id: string,
  body: TServiceUpdateBody,
): Promise<TServiceView> {
  assertCan(ctx, 'services.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await findService(tx, id, true);
    if (!row || row.archivedAt) throw new AppError('not_found', 'No such service');
    const next: ServiceFields = {
      catalogueCode: row.catalogueCode,
      name: body.name ?? row.name,
      kind: body.kind ?? row.kind,
      country: body.country ?? row.country,
      role: body.role ?? row.role,
      dataCategories: body.dataCategories ?? row.dataCategories,
      purposeCodes: body.purposeCodes ?? row.purposeCodes,
      contractReference:
        body.contractReference === undefined ? row.contractReference : body.contractReference,
      notes: body.notes === undefined ? row.notes : body.notes,
    };
    if (next.name !== row.name) await assertNameFree(tx, next.name, id);
    if (isForeignCountry(next.country) && next.country !== row.country) {
      const primaryOf = formUsesOf(await findFormDestinations(tx), id)
        .filter((use) => use.isPrimary)
        .map((use) => use.slug);
      if (primaryOf.length > 0) refuseForeignPrimary('country', primaryOf, next.country);
    }
    const changed = (Object.keys(next) as (keyof ServiceFields)[]).filter(
      (key) => JSON.stringify(next[key]) !== JSON.stringify(row[key]),
    );
    if (changed.length === 0) return loadView(tx, ctx, id);
    await updateServiceRow(tx, id, next, ctx.now);
    await recordAudit(tx, ctx, {
      action: 'compliance_service.updated',
      entityType: 'compliance_service',
      entityId: id,
      details: {
        changed,
        ...(changed.includes('country')
          ? { country: { from: row.country, to: next.country } }
          : {}),
      },
    });
    await noteNoticeChange(tx, ctx, 'service.updated');
    return loadView(tx, ctx, id);
  });
}

/** A service leaves the register; refused while a form still forwards to it. */
export async function archiveService(ctx: Ctx, id: string): Promise<TServiceView> {
  assertCan(ctx, 'services.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await findService(tx, id, true);
    if (!row || row.archivedAt) throw new AppError('not_found', 'No such service');
    const forms = formUsesOf(await findFormDestinations(tx), id).map((use) => use.slug);
    if (forms.length > 0) {
      throw new AppError('rule_violated', 'Forms still forward submissions to this service', {
        details: { rule: 'service_in_use', forms },
      });
    }
    await archiveServiceRow(tx, id, ctx.now);
    await recordAudit(tx, ctx, {
      action: 'compliance_service.archived',
      entityType: 'compliance_service',
      entityId: id,
      details: { name: row.name },
    });
    await noteNoticeChange(tx, ctx, 'service.archived');
    return loadView(tx, ctx, id);
  });
}

/**
 * Checks a form's destinations inside the form's transaction (R-L1): each must be a service of
 * the register, and the first one — where submissions are recorded first — must keep the data in
 * Russia. Called by the forms domain when a form is created or changed.
 */
export async function checkFormDestinations(
  tx: Tx,
  destinations: readonly string[],
): Promise<void> {
  if (destinations.length === 0) return;
  // Shared locks: a concurrent change of a service's country (FOR UPDATE in updateService) or
  // its archiving waits for this form to commit, then sees it, and the other way round.
  const services = await findServices(tx, { ids: destinations, isForShare: true });
  const fields: Record<string, string[]> = {};
  const seen = new Set<string>();
  destinations.forEach((id, index) => {
    const key = `definition.destinations.${index}`;
    if (seen.has(id)) fields[key] = ['Listed twice'];
    seen.add(id);
    if (!services.some((service) => service.id === id)) fields[key] = ['No such service'];
  });
  if (Object.keys(fields).length > 0) {
    throw new AppError('validation_failed', 'Unknown form destinations', { fields });
  }
  const primary = services.find((service) => service.id === destinations[0]);
  if (primary && isForeignCountry(primary.country)) {
    refuseForeignPrimary('definition.destinations.0', [], primary.country);
  }
}

// Cross-border transfers (R-L2).

async function recordNotice(
  tx: Tx,
  ctx: Ctx,
  recipient: { type: 'service' | 'partner'; id: string; country: string },
  body: TCrossBorderNoticeBody,
): Promise<void> {
  if (!isForeignCountry(recipient.country)) {
    throw new AppError('rule_violated', 'A recipient in Russia needs no cross-border notice', {
      details: { rule: 'not_cross_border' },
    });
  }
  if (body.noticeDate > toMoscowDate(ctx.now)) {
    throw new AppError('validation_failed', 'The notice date is in the future', {
      fields: { noticeDate: ['Cannot be in the future'] },
    });
  }
  const id = randomUUID();
  await insertCrossBorderNotice(tx, {
    id,
    orgId: ctx.orgId,
    recipientType: recipient.type,
    recipientId: recipient.id,
    country: recipient.country,
    facts: body.facts,
    noticeDate: body.noticeDate,
    reference: body.reference ?? null,
    createdBy: actorUserId(ctx.actor),
    at: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: 'cross_border_notice.recorded',
    entityType: recipient.type === 'service' ? 'compliance_service' : 'partner',
    entityId: recipient.id,
    details: { country: recipient.country, noticeDate: body.noticeDate, noticeId: id },
  });
  await noteNoticeChange(tx, ctx, 'cross_border_notice.recorded');
}

export async function recordServiceCrossBorderNotice(
  ctx: Ctx,
  serviceId: string,
  body: TCrossBorderNoticeBody,
): Promise<TServiceView> {
  assertCan(ctx, 'services.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const row = await findService(tx, serviceId, true);
    if (!row || row.archivedAt) throw new AppError('not_found', 'No such service');
    await recordNotice(tx, ctx, { type: 'service', id: row.id, country: row.country }, body);
    return loadView(tx, ctx, serviceId);
  });
}

async function loadForeignRecipients(tx: Tx, ctx: Ctx): Promise<TForeignRecipient[]> {
  const notices = await findLatestCrossBorderNotices(tx);
  const today = toMoscowDate(ctx.now);
  const services = (await findServices(tx)).filter((row) => isForeignCountry(row.country));
  const partners = (await findPartnerRows(tx)).filter(
    (row) => !row.archivedAt && isForeignCountry(row.country),
  );
  return [
    ...services.map((row) => ({
      type: 'service' as const,
      id: row.id,
      name: row.name,
      country: row.country,
      countryName: countryNameRu(row.country),
      crossBorder: crossBorderStatusOf(
        row.country,
        notices.get(`service:${row.id}`) ?? null,
        today,
      ),
    })),
    ...partners.map((row) => ({
      type: 'partner' as const,
      id: row.id,
      name: row.name,
      country: row.country,
      countryName: countryNameRu(row.country),
      crossBorder: crossBorderStatusOf(
        row.country,
        notices.get(`partner:${row.id}`) ?? null,
        today,
      ),
    })),
  ];
}

export async function recordPartnerCrossBorderNotice(
  ctx: Ctx,
  partnerId: string,
  body: TCrossBorderNoticeBody,
): Promise<TForeignRecipient> {
  assertCan(ctx, 'services.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const [partner] = await findPartnerRows(tx, [partnerId]);
    if (!partner || partner.archivedAt) throw new AppError('not_found', 'No such partner');
    await recordNotice(
      tx,
      ctx,
      { type: 'partner', id: partner.id, country: partner.country },
      body,
    );
    const found = (await loadForeignRecipients(tx, ctx)).find(
      (item) => item.type === 'partner' && item.id === partnerId,
    );
    if (!found) throw new Error('A foreign partner just noticed was not found');
    return found;
  });
}

/** Foreign services and partners with where each stands on its cross-border notice. */
export async function listForeignRecipients(ctx: Ctx): Promise<TForeignRecipient[]> {
  assertCan(ctx, 'services.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) => loadForeignRecipients(tx, ctx));
}

/**
 * The cross-border check of a transfer to a partner (R-L2), inside the transfer's transaction:
 * null when allowed (a partner in Russia, or a recorded notice and, for a country without
 * adequate protection, 10 working days passed), or the refusal reason.
 */
export async function crossBorderRefusal(
  tx: Tx,
  ctx: Ctx,
  partner: { id: string; country: string },
): Promise<'cross_border_notice_missing' | 'cross_border_waiting_period' | null> {
  if (!isForeignCountry(partner.country)) return null;
  const notice = (await findLatestCrossBorderNotices(tx)).get(`partner:${partner.id}`) ?? null;
  const status = crossBorderStatusOf(partner.country, notice, toMoscowDate(ctx.now));
  if (status.state === 'missing') return 'cross_border_notice_missing';
  if (status.state === 'waiting') return 'cross_border_waiting_period';
  return null;
}
