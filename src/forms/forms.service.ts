import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { policyUrlIn } from '../compliance/documents/documents.service.ts';
import { checkFormDestinations } from '../compliance/services/services.service.ts';
import type { Ctx } from '../platform/context.ts';
import { countryNameRu } from '../platform/countries.ts';
import type { Db, Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError, assertUnreachable } from '../platform/errors.ts';
import { can, type Permission } from '../platform/permissions.ts';
import {
  type ActivePurpose,
  findActivePurposes,
  getProfileForDocuments,
} from '../purposes/purposes.service.ts';
import {
  type FormRecord,
  findFormBySlug,
  findForms,
  insertForm,
  publicFormOrgId,
  publicFormStamp,
  updateForm,
} from './forms.repo.ts';
import type {
  TFormBody,
  TFormDefinition,
  TFormUpdateBody,
  TFormView,
  TFormWarning,
  TPublicForm,
} from './forms.schema.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

const IMPLIED_CATEGORY: Record<string, string> = { name: 'name', phone: 'phone', email: 'email' };

export function fieldCategory(field: {
  name: string;
  category?: string | undefined;
}): string | null {
  return field.category ?? IMPLIED_CATEGORY[field.name] ?? null;
}

/**
 * Checks a definition against the purpose registry. Errors refuse it: a checkbox bound to
 * two documents (R-C2), a purpose without a consent document, no required processing consent.
 * Warnings flag fields no purpose covers (minimization, 152-FZ Art. 5 p.5).
 */
export function checkDefinition(
  definition: TFormDefinition,
  purposes: readonly ActivePurpose[],
): { warnings: TFormWarning[] } {
  const fields: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    fields[key] = [...(fields[key] ?? []), message];
  };
  const names = new Set<string>();
  definition.fields.forEach((field, index) => {
    if (names.has(field.name)) add(`definition.fields.${index}.name`, 'Duplicate field name');
    names.add(field.name);
  });
  const used = new Set<string>();
  definition.consents.forEach((consent, index) => {
    if (consent.purposes.length !== 1) {
      add(
        `definition.consents.${index}.purposes`,
        'One checkbox carries exactly one consent document (R-C2)',
      );
      return;
    }
    const code = consent.purposes[0] ?? '';
    if (used.has(code)) add(`definition.consents.${index}.purposes`, 'The purpose is asked twice');
    used.add(code);
    const active = purposes.find((candidate) => candidate.purpose.code === code);
    if (!active) add(`definition.consents.${index}.purposes`, `No purpose "${code}"`);
    else if (!active.document)
      add(`definition.consents.${index}.purposes`, `Purpose "${code}" has no consent document`);
  });
  const hasRequiredProcessing = definition.consents.some(
    (consent) =>
      consent.isRequired &&
      purposes.some(
        (active) =>
          active.purpose.code === consent.purposes[0] && active.purpose.kind === 'processing',
      ),
  );
  if (!hasRequiredProcessing)
    add('definition.consents', 'Ask for a required consent to processing');
  if (Object.keys(fields).length > 0) {
    throw new AppError('rule_violated', 'The form breaks consent rules', {
      fields,
      details: { rule: 'form_consent_rules' },
    });
  }
  const covered = new Set(
    purposes
      .filter((active) => used.has(active.purpose.code))
      .flatMap((active) => active.version.dataCategories.map((category) => category.code)),
  );
  const warnings = definition.fields.flatMap((field): TFormWarning[] => {
    const category = fieldCategory(field);
    if (category && covered.has(category)) return [];
    return [
      {
        field: field.name,
        code: 'not_covered_by_purpose',
        message: category
          ? `No purpose of this form lists the data category "${category}"`
          : 'The field has no data category: ask only what a purpose needs',
      },
    ];
  });
  return { warnings };
}

function formUrls(publicUrl: string, slug: string) {
  return {
    hostedUrl: `${publicUrl}/f/${slug}`,
    postUrl: `${publicUrl}/f/${slug}/submit`,
    embedCode: `<div data-soglasie-form="${slug}"></div>\n<script src="${publicUrl}/embed.js" data-form="${slug}" async></script>`,
  };
}

function view(publicUrl: string, form: FormRecord, warnings: TFormWarning[]): TFormView {
  return {
    id: form.id,
    slug: form.slug,
    title: form.title,
    status: form.status,
    version: form.version,
    definition: form.definition,
    warnings,
    ...formUrls(publicUrl, form.slug),
    createdAt: form.createdAt.toISOString(),
    updatedAt: form.updatedAt.toISOString(),
  };
}

async function purposesOf(tx: Tx, publicUrl: string, definition: TFormDefinition) {
  return findActivePurposes(tx, publicUrl, [
    ...new Set(definition.consents.flatMap((consent) => consent.purposes)),
  ]);
}

export async function createForm(ctx: Ctx, body: TFormBody): Promise<TFormView> {
  assertCan(ctx, 'forms.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const { warnings } = checkDefinition(
      body.definition,
      await purposesOf(tx, ctx.publicUrl, body.definition),
    );
    await checkFormDestinations(tx, body.definition.destinations ?? []);
    const id = randomUUID();
    try {
      await insertForm(
        tx,
        ctx.orgId,
        {
          id,
          slug: body.slug,
          title: body.title,
          definition: body.definition,
          status: body.status,
        },
        ctx.now,
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new AppError('conflict', 'This form address is taken', {
          fields: { slug: ['Taken'] },
        });
      }
      throw error;
    }
    await recordAudit(tx, ctx, {
      action: 'form.created',
      entityType: 'form',
      entityId: id,
      details: { slug: body.slug },
    });
    const form = await findFormBySlug(tx, body.slug);
    if (!form) throw new Error('The new form vanished');
    return view(ctx.publicUrl, form, warnings);
  });
}

export async function changeForm(
  ctx: Ctx,
  slug: string,
  body: TFormUpdateBody,
): Promise<TFormView> {
  assertCan(ctx, 'forms.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const existing = await findFormBySlug(tx, slug);
    if (!existing) throw new AppError('not_found', 'No such form');
    const { warnings } = checkDefinition(
      body.definition,
      await purposesOf(tx, ctx.publicUrl, body.definition),
    );
    await checkFormDestinations(tx, body.definition.destinations ?? []);
    await updateForm(tx, existing.id, { ...body, status: body.status ?? existing.status }, ctx.now);
    await recordAudit(tx, ctx, {
      action: 'form.changed',
      entityType: 'form',
      entityId: existing.id,
      details: { version: existing.version + 1 },
    });
    const form = await findFormBySlug(tx, slug);
    if (!form) throw new Error('The form vanished');
    return view(ctx.publicUrl, form, warnings);
  });
}

export async function findFormList(ctx: Ctx): Promise<TFormView[]> {
  assertCan(ctx, 'forms.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const forms = await findForms(tx);
    const active = await findActivePurposes(tx, ctx.publicUrl);
    return forms.map((form) => {
      let warnings: TFormWarning[] = [];
      try {
        warnings = checkDefinition(form.definition, active).warnings;
      } catch {
        // A purpose changed under the form since it was saved; the form page shows it.
      }
      return view(ctx.publicUrl, form, warnings);
    });
  });
}

export async function getForm(ctx: Ctx, slug: string): Promise<TFormView> {
  const found = (await findFormList(ctx)).find((form) => form.slug === slug);
  if (!found) throw new AppError('not_found', 'No such form');
  return found;
}

function checkboxLabel(active: ActivePurpose): string {
  switch (active.purpose.kind) {
    case 'advertising':
      return `Даю согласие на получение рекламных сообщений: ${active.version.title}`;
    case 'transfer':
      return `Даю согласие на передачу моих данных: ${active.version.recipients
        .map((recipient) => `${recipient.name} (${countryNameRu(recipient.country)})`)
        .join(', ')}`;
    case 'distribution':
      return `Даю согласие на распространение персональных данных: ${active.version.title}`;
    case 'processing':
      return `Даю согласие на обработку персональных данных: ${active.version.title}`;
    default:
      return assertUnreachable(active.purpose.kind);
  }
}

export type LoadedPublicForm = {
  orgId: string;
  formId: string;
  form: TPublicForm;
  purposes: ActivePurpose[];
  profile: Awaited<ReturnType<typeof getProfileForDocuments>>;
};

// Public submissions are hot: which organization a form belongs to, and the form as the
// public sees it, are kept in memory and re-read when anything they depend on changes.
const FORM_ORG_TTL_MS = 60_000;
const formOrgCache = new Map<string, { orgId: string; expiresAt: number }>();
const snapshotCache = new Map<
  string,
  { stamp: string; loaded: LoadedPublicForm; checkedAt: number }
>();
// A change to a form, its purposes, documents or the operator profile reaches submissions
// within this time; a consent to an older document is still resolved exactly from the
// database (see resolveDocuments in submissions.service.ts).
const SNAPSHOT_RECHECK_MS = 1000;

/** The organization of a published form (not found otherwise), cached for a minute. */
export async function findPublicFormOrg(db: Db, slug: string): Promise<string> {
  const cached = formOrgCache.get(slug);
  if (cached && cached.expiresAt > Date.now()) return cached.orgId;
  const orgId = await withTx(db, { orgId: null }, (tx) => publicFormOrgId(tx, slug));
  if (!orgId) throw new AppError('not_found', 'No such form');
  formOrgCache.set(slug, { orgId, expiresAt: Date.now() + FORM_ORG_TTL_MS });
  return orgId;
}

/**
 * The public form inside the caller's transaction. One query compares a stamp of everything
 * it depends on (form version and status, purposes' versions, documents, operator profile),
 * at most once a second per form; only a change reloads it.
 */
export async function loadPublicFormSnapshot(
  tx: Tx,
  orgId: string,
  publicUrl: string,
  slug: string,
): Promise<LoadedPublicForm> {
  const key = `${orgId}:${slug}:${publicUrl}`;
  const cached = snapshotCache.get(key);
  if (cached && Date.now() - cached.checkedAt < SNAPSHOT_RECHECK_MS) return cached.loaded;
  const stamp = await publicFormStamp(tx, slug);
  if (stamp === null) throw new AppError('not_found', 'No such form');
  if (cached && cached.stamp === stamp) {
    cached.checkedAt = Date.now();
    return cached.loaded;
  }
  const loaded = await loadPublicFormIn(tx, orgId, publicUrl, slug);
  snapshotCache.set(key, { stamp, loaded, checkedAt: Date.now() });
  return loaded;
}

/** A published form as the public sees it, with each checkbox's current document. */
export async function loadPublicForm(
  db: Db,
  publicUrl: string,
  slug: string,
): Promise<LoadedPublicForm> {
  const orgId = await withTx(db, { orgId: null }, (tx) => publicFormOrgId(tx, slug));
  if (!orgId) throw new AppError('not_found', 'No such form');
  return withTx(db, { orgId }, async (tx) => loadPublicFormIn(tx, orgId, publicUrl, slug));
}

export async function loadPublicFormIn(
  tx: Tx,
  orgId: string,
  publicUrl: string,
  slug: string,
): Promise<LoadedPublicForm> {
  const form = await findFormBySlug(tx, slug);
  if (form?.status !== 'published') throw new AppError('not_found', 'No such form');
  const purposes = await purposesOf(tx, publicUrl, form.definition);
  const profile = await getProfileForDocuments(tx);
  const consents = form.definition.consents.flatMap((consent) => {
    const active = purposes.find((candidate) => candidate.purpose.code === consent.purposes[0]);
    if (!active?.document || !active.documentUrl) return [];
    return [
      {
        purposeCode: active.purpose.code,
        kind: active.purpose.kind,
        isRequired: consent.isRequired,
        label: checkboxLabel(active),
        documentId: active.document.id,
        documentVersion: active.document.version,
        documentUrl: active.documentUrl,
        documentSha256: active.document.sha256,
        recipients: active.version.recipients.map((recipient) => ({
          name: recipient.name,
          country: recipient.country,
        })),
      },
    ];
  });
  return {
    orgId,
    formId: form.id,
    purposes,
    profile,
    form: {
      slug: form.slug,
      title: form.title,
      version: form.version,
      fields: form.definition.fields,
      consents,
      submitLabel: form.definition.submitLabel,
      thankYou: form.definition.thankYou,
      redirectUrl: form.definition.redirectUrl ?? null,
      // R-L4: the operator's own policy address, else the generated policy's current one.
      policyUrl: (await policyUrlIn(tx, publicUrl)) ?? '',
      operatorName: profile?.legalName ?? '',
    },
  };
}

/** How attribution is cleaned before it is stored, for other domains that take a visit's campaign. */
export { cleanAttribution, cleanPageUrl } from './attribution.ts';
