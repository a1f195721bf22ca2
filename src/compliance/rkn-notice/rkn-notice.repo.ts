import type { Tx } from '../../platform/db/db.ts';
import { sql } from '../../platform/db/sql.ts';
import type { TNoticeFields, TNoticeSettingsBody } from './rkn-notice.schema.ts';

// Rows are scoped by row-level security to the transaction's organization.

export type SettingsRow = TNoticeSettingsBody & {
  seenFingerprint: string | null;
  updatedAt: Date;
};

export async function findSettings(tx: Tx): Promise<SettingsRow | null> {
  const [row] = await tx.query<{
    database_locations: TNoticeSettingsBody['databaseLocations'];
    processing_start_date: string | null;
    end_condition: string | null;
    protection_level: TNoticeSettingsBody['protectionLevel'];
    extra_measures: string[];
    seen_fingerprint: string | null;
    updated_at: Date;
  }>(sql`
    SELECT database_locations, processing_start_date::text AS processing_start_date, end_condition,
      protection_level, extra_measures, seen_fingerprint, updated_at
    FROM rkn_notice_settings`);
  if (!row) return null;
  return {
    databaseLocations: row.database_locations,
    processingStartDate: row.processing_start_date,
    endCondition: row.end_condition,
    protectionLevel: row.protection_level,
    extraMeasures: row.extra_measures,
    seenFingerprint: row.seen_fingerprint,
    updatedAt: row.updated_at,
  };
}

export async function upsertSettings(
  tx: Tx,
  orgId: string,
  body: TNoticeSettingsBody,
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO rkn_notice_settings (org_id, database_locations, processing_start_date,
      end_condition, protection_level, extra_measures, updated_at)
    VALUES (${orgId}, ${JSON.stringify(body.databaseLocations)}::jsonb,
      ${body.processingStartDate}::date, ${body.endCondition}, ${body.protectionLevel},
      ${JSON.stringify(body.extraMeasures)}::jsonb, ${at})
    ON CONFLICT (org_id) DO UPDATE SET
      database_locations = EXCLUDED.database_locations,
      processing_start_date = EXCLUDED.processing_start_date,
      end_condition = EXCLUDED.end_condition, protection_level = EXCLUDED.protection_level,
      extra_measures = EXCLUDED.extra_measures, updated_at = EXCLUDED.updated_at`);
}

export async function saveSeenFingerprint(
  tx: Tx,
  orgId: string,
  fingerprint: string,
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO rkn_notice_settings (org_id, seen_fingerprint, updated_at)
    VALUES (${orgId}, ${fingerprint}, ${at})
    ON CONFLICT (org_id) DO UPDATE SET seen_fingerprint = EXCLUDED.seen_fingerprint`);
}

export type FilingRow = {
  id: string;
  filedOn: string;
  reference: string;
  fingerprint: string;
  fields: TNoticeFields;
  createdAt: Date;
};

type StoredFiling = {
  id: string;
  filed_on: string;
  reference: string;
  fingerprint: string;
  fields: TNoticeFields;
  created_at: Date;
};

function toFiling(row: StoredFiling): FilingRow {
  return {
    id: row.id,
    filedOn: row.filed_on,
    reference: row.reference,
    fingerprint: row.fingerprint,
    fields: row.fields,
    createdAt: row.created_at,
  };
}

export async function insertFiling(
  tx: Tx,
  input: Omit<FilingRow, 'createdAt'> & { orgId: string; createdBy: string | null; at: Date },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO rkn_notice_filings (id, org_id, filed_on, reference, fingerprint, fields,
      created_by, created_at)
    VALUES (${input.id}, ${input.orgId}, ${input.filedOn}::date, ${input.reference},
      ${input.fingerprint}, ${JSON.stringify(input.fields)}::jsonb, ${input.createdBy}, ${input.at})`);
}

export async function findFilings(tx: Tx, limit = 100): Promise<FilingRow[]> {
  const rows = await tx.query<StoredFiling>(sql`
    SELECT id, filed_on::text AS filed_on, reference, fingerprint, fields, created_at FROM rkn_notice_filings
    ORDER BY created_at DESC, id LIMIT ${limit}`);
  return rows.map(toFiling);
}
