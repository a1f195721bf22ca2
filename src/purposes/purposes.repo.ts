import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';
import type { TProfileBody } from './purposes.schema.ts';

export type PurposeVersionRecord = {
  id: string;
  purposeId: string;
  version: number;
  title: string;
  legalBasis: string;
  dataCategories: { code: string; title: string; isSpecial: boolean }[];
  subjectCategories: string[];
  actions: string[];
  methods: string;
  channels: string[];
  recipients: { name: string; address: string; country: string }[];
  retentionDays: number;
  isWrittenConsentRequired: boolean;
  createdAt: Date;
};

export type PurposeRecord = {
  id: string;
  code: string;
  kind: 'processing' | 'advertising' | 'transfer' | 'distribution';
  currentVersion: number;
  archivedAt: Date | null;
};

export type DocumentRecord = {
  id: string;
  purposeId: string;
  purposeVersionId: string;
  version: number;
  title: string;
  body: string;
  sha256: string;
  templateVersion: string;
  createdAt: Date;
};

type StoredVersion = {
  id: string;
  purpose_id: string;
  version: number;
  title: string;
  legal_basis: string;
  data_categories: PurposeVersionRecord['dataCategories'];
  subject_categories: string[];
  actions: string[];
  methods: string;
  channels: string[];
  recipients: PurposeVersionRecord['recipients'];
  retention_days: number;
  written_consent_required: boolean;
  created_at: Date;
};

function toVersion(row: StoredVersion): PurposeVersionRecord {
  return {
    id: row.id,
    purposeId: row.purpose_id,
    version: row.version,
    title: row.title,
    legalBasis: row.legal_basis,
    dataCategories: row.data_categories,
    subjectCategories: row.subject_categories,
    actions: row.actions,
    methods: row.methods,
    channels: row.channels,
    recipients: row.recipients,
    retentionDays: row.retention_days,
    isWrittenConsentRequired: row.written_consent_required,
    createdAt: row.created_at,
  };
}

type StoredDocument = {
  id: string;
  purpose_id: string;
  purpose_version_id: string;
  version: number;
  title: string;
  body: string;
  body_sha256: string;
  template_version: string;
  created_at: Date;
};

function toDocument(row: StoredDocument): DocumentRecord {
  return {
    id: row.id,
    purposeId: row.purpose_id,
    purposeVersionId: row.purpose_version_id,
    version: row.version,
    title: row.title,
    body: row.body,
    sha256: row.body_sha256,
    templateVersion: row.template_version,
    createdAt: row.created_at,
  };
}

// Operator profile

export async function findProfile(tx: Tx): Promise<(TProfileBody & { updatedAt: Date }) | null> {
  const rows = await tx.query<{
    legal_name: string;
    address: string;
    inn: string | null;
    ogrn: string | null;
    responsible_name: string;
    responsible_contacts: string;
    processors: TProfileBody['processors'];
    rkn_register_number: string | null;
    policy_url: string | null;
    updated_at: Date;
  }>(sql`SELECT * FROM operator_profiles`);
  const row = rows[0];
  if (!row) return null;
  return {
    legalName: row.legal_name,
    address: row.address,
    ...(row.inn ? { inn: row.inn } : {}),
    ...(row.ogrn ? { ogrn: row.ogrn } : {}),
    responsibleName: row.responsible_name,
    responsibleContacts: row.responsible_contacts,
    processors: row.processors,
    ...(row.rkn_register_number ? { rknRegisterNumber: row.rkn_register_number } : {}),
    ...(row.policy_url ? { policyUrl: row.policy_url } : {}),
    updatedAt: row.updated_at,
  };
}

export async function upsertProfile(tx: Tx, orgId: string, profile: TProfileBody, at: Date) {
  await tx.execute(sql`
    INSERT INTO operator_profiles (org_id, legal_name, address, inn, ogrn, responsible_name,
      responsible_contacts, processors, rkn_register_number, policy_url, updated_at)
    VALUES (${orgId}, ${profile.legalName}, ${profile.address}, ${profile.inn ?? null},
      ${profile.ogrn ?? null}, ${profile.responsibleName}, ${profile.responsibleContacts},
      ${JSON.stringify(profile.processors)}::jsonb, ${profile.rknRegisterNumber ?? null},
      ${profile.policyUrl ?? null}, ${at})
    ON CONFLICT (org_id) DO UPDATE SET
      legal_name = EXCLUDED.legal_name, address = EXCLUDED.address, inn = EXCLUDED.inn,
      ogrn = EXCLUDED.ogrn, responsible_name = EXCLUDED.responsible_name,
      responsible_contacts = EXCLUDED.responsible_contacts, processors = EXCLUDED.processors,
      rkn_register_number = EXCLUDED.rkn_register_number, policy_url = EXCLUDED.policy_url,
      updated_at = EXCLUDED.updated_at`);
}

// Purposes

export async function insertPurpose(
  tx: Tx,
  purpose: { id: string; orgId: string; code: string; kind: string; at: Date },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO purposes (id, org_id, code, kind, current_version, created_at)
    VALUES (${purpose.id}, ${purpose.orgId}, ${purpose.code}, ${purpose.kind}, 1, ${purpose.at})`);
}

export async function setCurrentVersion(tx: Tx, purposeId: string, version: number): Promise<void> {
  await tx.execute(sql`UPDATE purposes SET current_version = ${version} WHERE id = ${purposeId}`);
}

export async function findPurposeByCode(
  tx: Tx,
  code: string,
  forUpdate = false,
): Promise<PurposeRecord | null> {
  const lock = forUpdate ? sql`FOR UPDATE` : sql.empty;
  const rows = await tx.query<{
    id: string;
    code: string;
    kind: PurposeRecord['kind'];
    current_version: number;
    archived_at: Date | null;
  }>(
    sql`SELECT id, code, kind, current_version, archived_at FROM purposes WHERE code = ${code} ${lock}`,
  );
  const row = rows[0];
  return row
    ? {
        id: row.id,
        code: row.code,
        kind: row.kind,
        currentVersion: row.current_version,
        archivedAt: row.archived_at,
      }
    : null;
}

export async function findPurposes(tx: Tx, codes?: readonly string[]): Promise<PurposeRecord[]> {
  const filter = codes ? sql`WHERE code = ANY(${[...codes]}::text[])` : sql.empty;
  const rows = await tx.query<{
    id: string;
    code: string;
    kind: PurposeRecord['kind'];
    current_version: number;
    archived_at: Date | null;
  }>(
    sql`SELECT id, code, kind, current_version, archived_at FROM purposes ${filter} ORDER BY created_at, code`,
  );
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    kind: row.kind,
    currentVersion: row.current_version,
    archivedAt: row.archived_at,
  }));
}

export async function insertPurposeVersion(
  tx: Tx,
  orgId: string,
  version: Omit<PurposeVersionRecord, 'createdAt'>,
  createdBy: string | null,
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO purpose_versions (id, org_id, purpose_id, version, title, legal_basis, data_categories,
      subject_categories, actions, methods, channels, recipients, retention_days,
      written_consent_required, created_by, created_at)
    VALUES (${version.id}, ${orgId}, ${version.purposeId}, ${version.version}, ${version.title},
      ${version.legalBasis}, ${JSON.stringify(version.dataCategories)}::jsonb,
      ${JSON.stringify(version.subjectCategories)}::jsonb, ${JSON.stringify(version.actions)}::jsonb,
      ${version.methods}, ${JSON.stringify(version.channels)}::jsonb,
      ${JSON.stringify(version.recipients)}::jsonb, ${version.retentionDays},
      ${version.isWrittenConsentRequired}, ${createdBy}, ${at})`);
}

export async function findVersions(tx: Tx, purposeIds: readonly string[], onlyCurrent: boolean) {
  if (purposeIds.length === 0) return [];
  const current = onlyCurrent
    ? sql`AND v.version = (SELECT current_version FROM purposes p WHERE p.id = v.purpose_id)`
    : sql.empty;
  const rows = await tx.query<StoredVersion>(sql`
    SELECT v.* FROM purpose_versions v
    WHERE v.purpose_id = ANY(${[...purposeIds]}::uuid[]) ${current}
    ORDER BY v.purpose_id, v.version DESC`);
  return rows.map(toVersion);
}

export async function findVersionById(tx: Tx, id: string): Promise<PurposeVersionRecord | null> {
  const rows = await tx.query<StoredVersion>(sql`SELECT * FROM purpose_versions WHERE id = ${id}`);
  return rows[0] ? toVersion(rows[0]) : null;
}

// Documents

export async function insertDocument(
  tx: Tx,
  orgId: string,
  document: Omit<DocumentRecord, 'createdAt'>,
  at: Date,
) {
  await tx.execute(sql`
    INSERT INTO consent_documents (id, org_id, purpose_id, purpose_version_id, version, title, body,
      body_sha256, template_version, created_at)
    VALUES (${document.id}, ${orgId}, ${document.purposeId}, ${document.purposeVersionId},
      ${document.version}, ${document.title}, ${document.body}, ${document.sha256},
      ${document.templateVersion}, ${at})`);
}

export async function findDocuments(
  tx: Tx,
  filter: { purposeIds?: readonly string[]; ids?: readonly string[]; onlyLatest?: boolean },
): Promise<DocumentRecord[]> {
  const conditions = [];
  if (filter.purposeIds)
    conditions.push(sql`d.purpose_id = ANY(${[...filter.purposeIds]}::uuid[])`);
  if (filter.ids) conditions.push(sql`d.id = ANY(${[...filter.ids]}::uuid[])`);
  if (filter.onlyLatest) {
    conditions.push(
      sql`d.version = (SELECT max(version) FROM consent_documents x WHERE x.purpose_id = d.purpose_id)`,
    );
  }
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, ' AND ')}` : sql.empty;
  const rows = await tx.query<StoredDocument>(
    sql`SELECT d.* FROM consent_documents d ${where} ORDER BY d.purpose_id, d.version DESC`,
  );
  return rows.map(toDocument);
}

export async function maxDocumentVersion(tx: Tx, purposeId: string): Promise<number> {
  const [row] = await tx.query<{ version: number | null }>(
    sql`SELECT max(version) AS version FROM consent_documents WHERE purpose_id = ${purposeId}`,
  );
  return row?.version ?? 0;
}

export async function publicDocumentOrgId(tx: Tx, documentId: string): Promise<string | null> {
  const [row] = await tx.query<{ org_id: string | null }>(
    sql`SELECT public_document_org_id(${documentId}) AS org_id`,
  );
  return row?.org_id ?? null;
}
