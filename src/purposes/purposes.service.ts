import { randomUUID } from 'node:crypto';
import { recordAudit } from '../access-log/access-log.service.ts';
import { refreshDocumentsAfterChange } from '../compliance/documents/documents.service.ts';
import { noteNoticeChange } from '../compliance/rkn-notice/rkn-notice.service.ts';
import { actorUserId, type Ctx } from '../platform/context.ts';
import type { Db, Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { can, type Permission } from '../platform/permissions.ts';
import {
  defaultTemplate,
  renderConsentText,
  sha256Text,
  TEMPLATE_VERSION,
  TemplateError,
} from './consent-template.ts';
import {
  type DocumentRecord,
  findDocuments,
  findProfile,
  findPurposeByCode,
  findPurposes,
  findVersionById,
  findVersions,
  insertDocument,
  insertPurpose,
  insertPurposeVersion,
  maxDocumentVersion,
  type PurposeRecord,
  type PurposeVersionRecord,
  publicDocumentOrgId,
  setCurrentVersion,
  upsertProfile,
} from './purposes.repo.ts';
import type {
  TDocument,
  TProfile,
  TProfileBody,
  TPurpose,
  TPurposeBody,
  TPurposeUpdateBody,
  TPurposeVersion,
} from './purposes.schema.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

export function documentUrl(publicUrl: string, documentId: string): string {
  return `${publicUrl}/d/${documentId}`;
}

// Operator profile

export async function getProfile(ctx: Ctx): Promise<TProfile | null> {
  assertCan(ctx, 'purposes.read');
  const profile = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findProfile(tx));
  return profile ? { ...profile, updatedAt: profile.updatedAt.toISOString() } : null;
}

/** Saving the profile re-renders nothing: existing documents keep their exact text. */
export async function saveProfile(ctx: Ctx, body: TProfileBody): Promise<TProfile> {
  assertCan(ctx, 'profile.manage');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    await upsertProfile(tx, ctx.orgId, body, ctx.now);
    await recordAudit(tx, ctx, {
      action: 'operator_profile.saved',
      entityType: 'operator_profile',
      entityId: ctx.orgId,
    });
    // R-L3: a change to the notice's fields opens the "update the RKN notice" task.
    await noteNoticeChange(tx, ctx, 'operator_profile.saved');
    // R-L4: generated documents get a new version when their content changed.
    await refreshDocumentsAfterChange(tx, ctx);
  });
  return { ...body, updatedAt: ctx.now.toISOString() };
}

/** The operator profile inside a caller's transaction (forms show the operator and policy). */
export function getProfileForDocuments(tx: Tx) {
  return findProfile(tx);
}

// Purposes

function checkPurposeRules(kind: TPurposeBody['kind'], body: TPurposeUpdateBody): void {
  if (kind === 'transfer' && body.recipients.length === 0) {
    throw new AppError('validation_failed', 'A transfer names its recipients (R-C2)', {
      fields: { recipients: ['Name at least one recipient with its country'] },
    });
  }
  if (kind === 'advertising' && body.channels.length === 0) {
    throw new AppError('validation_failed', 'An advertising purpose names its channels', {
      fields: { channels: ['Choose at least one channel'] },
    });
  }
  // R-C5: health data for advertising is never lawful on a checkbox.
  if (kind === 'advertising' && body.dataCategories.some((category) => category.isSpecial)) {
    throw new AppError('rule_violated', 'Special categories cannot serve advertising (R-C5)', {
      details: { rule: 'special_category_for_marketing' },
      fields: { dataCategories: ['Remove special categories from an advertising purpose'] },
    });
  }
}

async function renderDocument(
  tx: Tx,
  ctx: Ctx,
  purpose: { id: string; kind: TPurposeBody['kind'] },
  version: PurposeVersionRecord,
  template: string | undefined,
): Promise<DocumentRecord | null> {
  if (version.legalBasis !== 'consent') return null;
  const profile = await findProfile(tx);
  if (!profile?.policyUrl) {
    throw new AppError('rule_violated', 'Fill in the operator profile with the policy link first', {
      details: { rule: 'operator_profile_incomplete' },
    });
  }
  let body: string;
  try {
    body = renderConsentText({
      template: template ?? defaultTemplate(purpose.kind),
      purpose: { ...version, kind: purpose.kind },
      profile,
      policyUrl: profile.policyUrl,
    });
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new AppError('rule_violated', error.message, {
        details: { rule: 'consent_template_incomplete', missing: error.missing },
        fields: { template: error.missing.map((item) => `Missing {{${item}}}`) },
      });
    }
    throw error;
  }
  const document = {
    id: randomUUID(),
    purposeId: purpose.id,
    purposeVersionId: version.id,
    version: (await maxDocumentVersion(tx, purpose.id)) + 1,
    title: `Согласие: ${version.title}`,
    body,
    sha256: sha256Text(body),
    templateVersion: template ? 'custom' : TEMPLATE_VERSION,
  };
  await insertDocument(tx, ctx.orgId, document, ctx.now);
  return { ...document, createdAt: ctx.now };
}

function versionOf(
  purposeId: string,
  version: number,
  body: TPurposeUpdateBody,
): Omit<PurposeVersionRecord, 'createdAt'> {
  return {
    id: randomUUID(),
    purposeId,
    version,
    title: body.title,
    legalBasis: body.legalBasis,
    dataCategories: body.dataCategories,
    subjectCategories: body.subjectCategories,
    actions: body.actions,
    methods: body.methods,
    channels: body.channels,
    recipients: body.recipients,
    retentionDays: body.retentionDays,
    isWrittenConsentRequired: body.isWrittenConsentRequired,
  };
}

export async function createPurpose(ctx: Ctx, body: TPurposeBody): Promise<TPurpose> {
  assertCan(ctx, 'purposes.manage');
  checkPurposeRules(body.kind, body);
  const code = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (await findPurposeByCode(tx, body.code)) {
      throw new AppError('conflict', 'A purpose with this code exists', {
        fields: { code: ['Taken'] },
      });
    }
    const purposeId = randomUUID();
    await insertPurpose(tx, {
      id: purposeId,
      orgId: ctx.orgId,
      code: body.code,
      kind: body.kind,
      at: ctx.now,
    });
    const version = versionOf(purposeId, 1, body);
    await insertPurposeVersion(tx, ctx.orgId, version, actorUserId(ctx.actor), ctx.now);
    const document = await renderDocument(
      tx,
      ctx,
      { id: purposeId, kind: body.kind },
      { ...version, createdAt: ctx.now },
      body.template,
    );
    await recordAudit(tx, ctx, {
      action: 'purpose.created',
      entityType: 'purpose',
      entityId: purposeId,
      details: { code: body.code, version: 1, documentId: document?.id ?? null },
    });
    await noteNoticeChange(tx, ctx, 'purpose.created');
    // R-L4: generated documents get a new version when their content changed.
    await refreshDocumentsAfterChange(tx, ctx);
    return body.code;
  });
  return getPurpose(ctx, code);
}

/** A change makes a new version (and a new consent document); past consents keep theirs. */
export async function revisePurpose(
  ctx: Ctx,
  code: string,
  body: TPurposeUpdateBody,
): Promise<TPurpose> {
  assertCan(ctx, 'purposes.manage');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const purpose = await findPurposeByCode(tx, code, true);
    if (!purpose) throw new AppError('not_found', 'No such purpose');
    checkPurposeRules(purpose.kind, body);
    const next = purpose.currentVersion + 1;
    const version = versionOf(purpose.id, next, body);
    await insertPurposeVersion(tx, ctx.orgId, version, actorUserId(ctx.actor), ctx.now);
    await setCurrentVersion(tx, purpose.id, next);
    const document = await renderDocument(
      tx,
      ctx,
      purpose,
      { ...version, createdAt: ctx.now },
      body.template,
    );
    await recordAudit(tx, ctx, {
      action: 'purpose.revised',
      entityType: 'purpose',
      entityId: purpose.id,
      details: { code, version: next, documentId: document?.id ?? null },
    });
    await noteNoticeChange(tx, ctx, 'purpose.revised');
    // R-L4: generated documents get a new version when their content changed.
    await refreshDocumentsAfterChange(tx, ctx);
  });
  return getPurpose(ctx, code);
}

function versionView(version: PurposeVersionRecord): TPurposeVersion {
  return {
    id: version.id,
    version: version.version,
    title: version.title,
    legalBasis: version.legalBasis as TPurposeVersion['legalBasis'],
    dataCategories: version.dataCategories,
    subjectCategories: version.subjectCategories,
    actions: version.actions,
    methods: version.methods,
    channels: version.channels as TPurposeVersion['channels'],
    recipients: version.recipients,
    retentionDays: version.retentionDays,
    isWrittenConsentRequired: version.isWrittenConsentRequired,
    createdAt: version.createdAt.toISOString(),
  };
}

function documentView(
  publicUrl: string,
  purpose: PurposeRecord,
  versions: PurposeVersionRecord[],
  document: DocumentRecord,
): TDocument {
  return {
    id: document.id,
    purposeId: document.purposeId,
    purposeCode: purpose.code,
    purposeVersion:
      versions.find((version) => version.id === document.purposeVersionId)?.version ?? 0,
    version: document.version,
    title: document.title,
    body: document.body,
    sha256: document.sha256,
    url: documentUrl(publicUrl, document.id),
    createdAt: document.createdAt.toISOString(),
  };
}

/** The current version and document of purposes, for forms and outbound checks. */
export type ActivePurpose = {
  purpose: PurposeRecord;
  version: PurposeVersionRecord;
  document: DocumentRecord | null;
  documentUrl: string | null;
};

export async function findActivePurposes(
  tx: Tx,
  publicUrl: string,
  codes?: readonly string[],
): Promise<ActivePurpose[]> {
  const purposes = await findPurposes(tx, codes);
  const ids = purposes.map((purpose) => purpose.id);
  const versions = await findVersions(tx, ids, true);
  const documents = await findDocuments(tx, { purposeIds: ids, onlyLatest: true });
  return purposes.flatMap((purpose) => {
    const version = versions.find((candidate) => candidate.purposeId === purpose.id);
    if (!version) return [];
    const document =
      documents.find((candidate) => candidate.purposeVersionId === version.id) ?? null;
    return [
      {
        purpose,
        version,
        document,
        documentUrl: document ? documentUrl(publicUrl, document.id) : null,
      },
    ];
  });
}

/** Every consent document of a purpose, newest first (a visitor may have seen an older one). */
export function findDocumentsOfPurpose(tx: Tx, purposeId: string): Promise<DocumentRecord[]> {
  return findDocuments(tx, { purposeIds: [purposeId] });
}

export async function findPurposeVersion(
  tx: Tx,
  purposeVersionId: string,
): Promise<PurposeVersionRecord | null> {
  return findVersionById(tx, purposeVersionId);
}

export async function findPurposeList(ctx: Ctx): Promise<TPurpose[]> {
  assertCan(ctx, 'purposes.read');
  const active = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findActivePurposes(tx, ctx.publicUrl),
  );
  return active.map(({ purpose, version, document }) => ({
    id: purpose.id,
    code: purpose.code,
    kind: purpose.kind,
    currentVersion: versionView(version),
    document: document ? documentView(ctx.publicUrl, purpose, [version], document) : null,
    archivedAt: purpose.archivedAt?.toISOString() ?? null,
  }));
}

export async function getPurpose(ctx: Ctx, code: string): Promise<TPurpose> {
  const found = (await findPurposeList(ctx)).find((purpose) => purpose.code === code);
  if (!found) throw new AppError('not_found', 'No such purpose');
  return found;
}

/** Every version of a purpose with its documents: what each past consent referred to. */
export async function getPurposeHistory(ctx: Ctx, code: string) {
  assertCan(ctx, 'purposes.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const purpose = await findPurposeByCode(tx, code);
    if (!purpose) throw new AppError('not_found', 'No such purpose');
    const versions = await findVersions(tx, [purpose.id], false);
    const documents = await findDocuments(tx, { purposeIds: [purpose.id] });
    return {
      code: purpose.code,
      kind: purpose.kind,
      versions: versions.map(versionView),
      documents: documents.map((document) =>
        documentView(ctx.publicUrl, purpose, versions, document),
      ),
    };
  });
}

/** A consent document by its stable public URL; no login needed. */
export async function getPublicDocument(
  db: Db,
  documentId: string,
): Promise<DocumentRecord & { orgId: string }> {
  const orgId = await withTx(db, { orgId: null }, (tx) => publicDocumentOrgId(tx, documentId));
  if (!orgId) throw new AppError('not_found', 'No such document');
  const [document] = await withTx(db, { orgId }, (tx) => findDocuments(tx, { ids: [documentId] }));
  if (!document) throw new AppError('not_found', 'No such document');
  return { ...document, orgId };
}
