import type { Tx } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';
import type { DocumentContent, DocumentKind } from './document-content.ts';

// Rows are scoped by row-level security to the transaction's organization.

export type ComplianceDocumentRecord = {
  id: string;
  kind: DocumentKind;
  version: number;
  title: string;
  content: DocumentContent;
  body: string;
  sha256: string;
  sources: { purposeVersionIds?: string[]; profileUpdatedAt?: string | null };
  createdBy: string | null;
  createdAt: Date;
};

type Stored = {
  id: string;
  kind: DocumentKind;
  version: number;
  title: string;
  content: DocumentContent;
  body: string;
  body_sha256: string;
  sources: ComplianceDocumentRecord['sources'];
  created_by: string | null;
  created_at: Date;
};

function toRecord(row: Stored): ComplianceDocumentRecord {
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    title: row.title,
    content: row.content,
    body: row.body,
    sha256: row.body_sha256,
    sources: row.sources,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
  };
}

export async function publicOrgId(tx: Tx, slug: string): Promise<string | null> {
  const [row] = await tx.query<{ org_id: string | null }>(
    sql`SELECT public_org_id(${slug}) AS org_id`,
  );
  return row?.org_id ?? null;
}

export async function findOrgSlug(tx: Tx): Promise<string | null> {
  const [row] = await tx.query<{ slug: string }>(
    sql`SELECT slug FROM organizations WHERE id = app_current_org()`,
  );
  return row?.slug ?? null;
}

/** The newest version of each kind. */
export async function findLatestDocuments(tx: Tx): Promise<ComplianceDocumentRecord[]> {
  const rows = await tx.query<Stored>(sql`
    SELECT DISTINCT ON (kind) * FROM compliance_documents
    WHERE org_id = app_current_org()
    ORDER BY kind, version DESC`);
  return rows.map(toRecord);
}

export async function findDocumentVersions(
  tx: Tx,
  kind: DocumentKind,
): Promise<ComplianceDocumentRecord[]> {
  const rows = await tx.query<Stored>(sql`
    SELECT * FROM compliance_documents
    WHERE org_id = app_current_org() AND kind = ${kind}
    ORDER BY version DESC`);
  return rows.map(toRecord);
}

export async function findDocumentVersion(
  tx: Tx,
  kind: DocumentKind,
  version: number | 'latest',
): Promise<ComplianceDocumentRecord | null> {
  const rows = await tx.query<Stored>(
    version === 'latest'
      ? sql`SELECT * FROM compliance_documents WHERE org_id = app_current_org() AND kind = ${kind}
            ORDER BY version DESC LIMIT 1`
      : sql`SELECT * FROM compliance_documents WHERE org_id = app_current_org() AND kind = ${kind}
            AND version = ${version}`,
  );
  const [row] = rows;
  return row ? toRecord(row) : null;
}

export async function findDocumentById(
  tx: Tx,
  documentId: string,
): Promise<ComplianceDocumentRecord | null> {
  const [row] = await tx.query<Stored>(
    sql`SELECT * FROM compliance_documents WHERE id = ${documentId}`,
  );
  return row ? toRecord(row) : null;
}

export async function insertDocumentVersion(
  tx: Tx,
  row: {
    id: string;
    orgId: string;
    kind: DocumentKind;
    version: number;
    title: string;
    content: DocumentContent;
    body: string;
    sha256: string;
    sources: ComplianceDocumentRecord['sources'];
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO compliance_documents (id, org_id, kind, version, title, content, body, body_sha256,
      sources, created_by, created_at)
    VALUES (${row.id}, ${row.orgId}, ${row.kind}, ${row.version}, ${row.title},
      ${JSON.stringify(row.content)}::jsonb, ${row.body}, ${row.sha256},
      ${JSON.stringify(row.sources)}::jsonb, ${row.createdBy}, ${row.at})`);
}

// Settings and acknowledgements

export async function findSettings(tx: Tx): Promise<{ isAcknowledgementRequired: boolean }> {
  const [row] = await tx.query<{ is_acknowledgement_required: boolean }>(sql`
    SELECT is_acknowledgement_required FROM compliance_settings WHERE org_id = app_current_org()`);
  return { isAcknowledgementRequired: row?.is_acknowledgement_required ?? false };
}

export async function saveSettings(
  tx: Tx,
  orgId: string,
  settings: { isAcknowledgementRequired: boolean },
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO compliance_settings (org_id, is_acknowledgement_required, updated_at)
    VALUES (${orgId}, ${settings.isAcknowledgementRequired}, ${at})
    ON CONFLICT (org_id) DO UPDATE SET
      is_acknowledgement_required = EXCLUDED.is_acknowledgement_required,
      updated_at = EXCLUDED.updated_at`);
}

export type AcknowledgementRecord = {
  userId: string;
  documentId: string;
  sha256: string;
  acknowledgedAt: Date;
};

export async function findAcknowledgements(
  tx: Tx,
  documentId: string,
): Promise<AcknowledgementRecord[]> {
  const rows = await tx.query<{
    user_id: string;
    document_id: string;
    document_sha256: string;
    acknowledged_at: Date;
  }>(sql`
    SELECT user_id, document_id, document_sha256, acknowledged_at FROM staff_acknowledgements
    WHERE org_id = app_current_org() AND document_id = ${documentId}
    ORDER BY acknowledged_at`);
  return rows.map((row) => ({
    userId: row.user_id,
    documentId: row.document_id,
    sha256: row.document_sha256,
    acknowledgedAt: new Date(row.acknowledged_at),
  }));
}

export async function hasAcknowledged(
  tx: Tx,
  documentId: string,
  userId: string,
): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(sql`
    SELECT id FROM staff_acknowledgements
    WHERE org_id = app_current_org() AND document_id = ${documentId} AND user_id = ${userId}`);
  return rows.length > 0;
}

export async function insertAcknowledgement(
  tx: Tx,
  row: { orgId: string; userId: string; documentId: string; sha256: string; at: Date },
): Promise<boolean> {
  const inserted = await tx.query<{ id: string }>(sql`
    INSERT INTO staff_acknowledgements (org_id, user_id, document_id, document_sha256,
      acknowledged_at)
    VALUES (${row.orgId}, ${row.userId}, ${row.documentId}, ${row.sha256}, ${row.at})
    ON CONFLICT (document_id, user_id) DO NOTHING
    RETURNING id`);
  return inserted.length > 0;
}
