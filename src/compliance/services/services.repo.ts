import type { Tx } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';
import type { ServiceKind, ServiceRole, TCrossBorderFacts } from './services.schema.ts';

// Rows are scoped by row-level security to the transaction's organization.

export type ServiceRow = {
  id: string;
  catalogueCode: string | null;
  name: string;
  kind: ServiceKind;
  country: string;
  role: ServiceRole;
  dataCategories: string[];
  purposeCodes: string[];
  contractReference: string | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
};

type StoredService = {
  id: string;
  catalogue_code: string | null;
  name: string;
  kind: ServiceKind;
  country: string;
  role: ServiceRole;
  data_categories: string[];
  purpose_codes: string[];
  contract_reference: string | null;
  notes: string | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
};

function toService(row: StoredService): ServiceRow {
  return {
    id: row.id,
    catalogueCode: row.catalogue_code,
    name: row.name,
    kind: row.kind,
    country: row.country,
    role: row.role,
    dataCategories: row.data_categories,
    purposeCodes: row.purpose_codes,
    contractReference: row.contract_reference,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
  };
}

export type ServiceFields = Omit<ServiceRow, 'id' | 'createdAt' | 'updatedAt' | 'archivedAt'>;

export async function insertService(
  tx: Tx,
  input: ServiceFields & { id: string; orgId: string; createdBy: string | null; at: Date },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO compliance_services (id, org_id, catalogue_code, name, kind, country, role,
      data_categories, purpose_codes, contract_reference, notes, created_by, created_at, updated_at)
    VALUES (${input.id}, ${input.orgId}, ${input.catalogueCode}, ${input.name}, ${input.kind},
      ${input.country}, ${input.role}, ${JSON.stringify(input.dataCategories)}::jsonb,
      ${JSON.stringify(input.purposeCodes)}::jsonb, ${input.contractReference}, ${input.notes},
      ${input.createdBy}, ${input.at}, ${input.at})`);
}

export async function updateServiceRow(
  tx: Tx,
  id: string,
  fields: ServiceFields,
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    UPDATE compliance_services SET name = ${fields.name}, kind = ${fields.kind},
      country = ${fields.country}, role = ${fields.role},
      data_categories = ${JSON.stringify(fields.dataCategories)}::jsonb,
      purpose_codes = ${JSON.stringify(fields.purposeCodes)}::jsonb,
      contract_reference = ${fields.contractReference}, notes = ${fields.notes}, updated_at = ${at}
    WHERE id = ${id}`);
}

export async function archiveServiceRow(tx: Tx, id: string, at: Date): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(sql`
    UPDATE compliance_services SET archived_at = ${at}, updated_at = ${at}
    WHERE id = ${id} AND archived_at IS NULL RETURNING id`);
  return rows.length > 0;
}

export async function findService(
  tx: Tx,
  id: string,
  isForUpdate = false,
): Promise<ServiceRow | null> {
  const lock = isForUpdate ? sql` FOR UPDATE` : sql.empty;
  const rows = await tx.query<StoredService>(
    sql`SELECT * FROM compliance_services WHERE id = ${id}${lock}`,
  );
  return rows[0] ? toService(rows[0]) : null;
}

export async function findServices(
  tx: Tx,
  options: { ids?: readonly string[]; includeArchived?: boolean; isForShare?: boolean } = {},
): Promise<ServiceRow[]> {
  const byId = options.ids ? sql` AND id = ANY(${[...options.ids]}::uuid[])` : sql.empty;
  const active = options.includeArchived ? sql.empty : sql` AND archived_at IS NULL`;
  const lock = options.isForShare ? sql` FOR SHARE` : sql.empty;
  const rows = await tx.query<StoredService>(sql`
    SELECT * FROM compliance_services WHERE true${byId}${active}
    ORDER BY archived_at NULLS FIRST, lower(name), id${lock}`);
  return rows.map(toService);
}

export async function isServiceNameTaken(
  tx: Tx,
  name: string,
  exceptId: string | null,
): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(sql`
    SELECT id FROM compliance_services
    WHERE lower(name) = lower(${name}) AND archived_at IS NULL
      AND (${exceptId}::uuid IS NULL OR id <> ${exceptId}::uuid)`);
  return rows.length > 0;
}

/** Every form's destinations, in order (the first is the primary sink). */
export async function findFormDestinations(
  tx: Tx,
): Promise<{ slug: string; status: string; destinations: string[] }[]> {
  const rows = await tx.query<{ slug: string; status: string; destinations: string[] | null }>(sql`
    SELECT slug, status, definition -> 'destinations' AS destinations FROM forms
    WHERE status <> 'archived' ORDER BY slug`);
  return rows.map((row) => ({
    slug: row.slug,
    status: row.status,
    destinations: Array.isArray(row.destinations) ? row.destinations : [],
  }));
}

// Cross-border notices.

export type CrossBorderNoticeRow = {
  id: string;
  recipientType: 'service' | 'partner';
  recipientId: string;
  country: string;
  facts: TCrossBorderFacts;
  noticeDate: string;
  reference: string | null;
  createdAt: Date;
};

type StoredNotice = {
  id: string;
  recipient_type: 'service' | 'partner';
  recipient_id: string;
  country: string;
  facts: TCrossBorderFacts;
  notice_date: string;
  reference: string | null;
  created_at: Date;
};

function toNotice(row: StoredNotice): CrossBorderNoticeRow {
  return {
    id: row.id,
    recipientType: row.recipient_type,
    recipientId: row.recipient_id,
    country: row.country,
    facts: row.facts,
    noticeDate: row.notice_date,
    reference: row.reference,
    createdAt: row.created_at,
  };
}

export async function insertCrossBorderNotice(
  tx: Tx,
  input: Omit<CrossBorderNoticeRow, 'createdAt'> & {
    orgId: string;
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO cross_border_notices (id, org_id, recipient_type, recipient_id, country, facts,
      notice_date, reference, created_by, created_at)
    VALUES (${input.id}, ${input.orgId}, ${input.recipientType}, ${input.recipientId},
      ${input.country}, ${JSON.stringify(input.facts)}::jsonb, ${input.noticeDate}::date,
      ${input.reference}, ${input.createdBy}, ${input.at})`);
}

/** The latest notice per recipient (a notice for another country no longer counts). */
export async function findLatestCrossBorderNotices(
  tx: Tx,
): Promise<Map<string, CrossBorderNoticeRow>> {
  const rows = await tx.query<StoredNotice>(sql`
    SELECT DISTINCT ON (recipient_type, recipient_id) id, recipient_type, recipient_id, country,
      facts, notice_date::text AS notice_date, reference, created_at
    FROM cross_border_notices
    ORDER BY recipient_type, recipient_id, created_at DESC, id`);
  return new Map(rows.map((row) => [`${row.recipient_type}:${row.recipient_id}`, toNotice(row)]));
}

export type PartnerRow = { id: string; name: string; country: string; archivedAt: Date | null };

export async function findPartnerRows(tx: Tx, ids?: readonly string[]): Promise<PartnerRow[]> {
  const byId = ids ? sql` WHERE id = ANY(${[...ids]}::uuid[])` : sql.empty;
  const rows = await tx.query<{
    id: string;
    name: string;
    country: string;
    archived_at: Date | null;
  }>(sql`SELECT id, name, country, archived_at FROM partners${byId} ORDER BY name, id`);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    country: row.country,
    archivedAt: row.archived_at,
  }));
}
