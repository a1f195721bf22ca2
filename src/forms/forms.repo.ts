import type { Tx } from '../platform/db/db.ts';
import { sql } from '../platform/db/sql.ts';
import type { TFormDefinition } from './forms.schema.ts';

export type FormRecord = {
  id: string;
  slug: string;
  title: string;
  definition: TFormDefinition;
  status: 'draft' | 'published' | 'archived';
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

type Stored = {
  id: string;
  slug: string;
  title: string;
  definition: TFormDefinition;
  status: FormRecord['status'];
  version: number;
  created_at: Date;
  updated_at: Date;
};

function toForm(row: Stored): FormRecord {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    definition: row.definition,
    status: row.status,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertForm(
  tx: Tx,
  orgId: string,
  form: Omit<FormRecord, 'createdAt' | 'updatedAt' | 'version'>,
  at: Date,
) {
  await tx.execute(sql`
    INSERT INTO forms (id, org_id, slug, title, definition, status, version, created_at, updated_at)
    VALUES (${form.id}, ${orgId}, ${form.slug}, ${form.title}, ${JSON.stringify(form.definition)}::jsonb,
            ${form.status}, 1, ${at}, ${at})`);
}

export async function updateForm(
  tx: Tx,
  formId: string,
  form: Pick<FormRecord, 'title' | 'definition' | 'status'>,
  at: Date,
) {
  await tx.execute(sql`
    UPDATE forms SET title = ${form.title}, definition = ${JSON.stringify(form.definition)}::jsonb,
      status = ${form.status}, version = version + 1, updated_at = ${at}
    WHERE id = ${formId}`);
}

export async function findFormBySlug(tx: Tx, slug: string): Promise<FormRecord | null> {
  const rows = await tx.query<Stored>(sql`SELECT * FROM forms WHERE slug = ${slug}`);
  return rows[0] ? toForm(rows[0]) : null;
}

export async function findForms(tx: Tx): Promise<FormRecord[]> {
  const rows = await tx.query<Stored>(sql`SELECT * FROM forms ORDER BY created_at DESC`);
  return rows.map(toForm);
}

export async function publicFormOrgId(tx: Tx, slug: string): Promise<string | null> {
  const [row] = await tx.query<{ org_id: string | null }>(
    sql`SELECT public_form_org_id(${slug}) AS org_id`,
  );
  return row?.org_id ?? null;
}

/**
 * Changes whenever the public view of a form could: its version or status, any purpose's
 * current version, any consent document, the operator profile. Null when the form is gone.
 */
export async function publicFormStamp(tx: Tx, slug: string): Promise<string | null> {
  const [row] = await tx.query<{ stamp: string | null }>(sql`
    SELECT f.id || ':' || f.version || ':' || f.status || ':' ||
      (SELECT coalesce(string_agg(p.id || '@' || p.current_version, ',' ORDER BY p.id), '') FROM purposes p) || ':' ||
      (SELECT count(*) || '/' || coalesce(max(d.created_at)::text, '') FROM consent_documents d) || ':' ||
      (SELECT coalesce(max(o.updated_at)::text, '') FROM operator_profiles o) AS stamp
    FROM forms f WHERE f.slug = ${slug} AND f.status = 'published'`);
  return row?.stamp ?? null;
}
