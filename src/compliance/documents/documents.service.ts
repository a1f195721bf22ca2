import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../access-log/access-log.service.ts';
import { findMembers } from '../../orgs/members.service.ts';
import { actorUserId, type Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import { findActivePurposes, getProfileForDocuments } from '../../purposes/purposes.service.ts';
import { DESTRUCTION_DAYS, DESTRUCTION_METHOD } from '../../retention/retention.service.ts';
import {
  canonicalText,
  DOCUMENT_KINDS,
  type DocumentContent,
  type DocumentKind,
  sha256Hex,
} from './document-content.ts';
import { DOCUMENT_TITLES, type GeneratorInput, generateDocument } from './document-generator.ts';
import {
  type ComplianceDocumentRecord,
  findAcknowledgements,
  findDocumentById,
  findDocumentVersion,
  findDocumentVersions,
  findLatestDocuments,
  findOrgSlug,
  findSettings,
  hasAcknowledged,
  insertAcknowledgement,
  insertDocumentVersion,
  publicOrgId,
  saveSettings,
} from './documents.repo.ts';
import type {
  TAcknowledgementStatus,
  TDocumentSummary,
  TDocumentVersion,
  TGenerateBody,
  TGenerateResult,
} from './documents.schema.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', `The role lacks ${permission}`);
}

/** `processing_record_en` → `processing-record-en`, as it appears in public addresses. */
export function kindSlug(kind: DocumentKind): string {
  return kind.replaceAll('_', '-');
}

export function kindFromSlug(slug: string): DocumentKind | null {
  const kind = slug.replaceAll('-', '_');
  return (DOCUMENT_KINDS as readonly string[]).includes(kind) ? (kind as DocumentKind) : null;
}

/** Always the newest version: `/doc/<org>/<kind>`. */
export function latestDocumentPath(orgSlug: string, kind: DocumentKind): string {
  return `/doc/${orgSlug}/${kindSlug(kind)}`;
}

/** One version, for ever: `/doc/<org>/<kind>/v<N>` (+ `.txt`, `.pdf`). */
export function versionDocumentPath(orgSlug: string, kind: DocumentKind, version: number): string {
  return `${latestDocumentPath(orgSlug, kind)}/v${version}`;
}

function versionView(
  publicUrl: string,
  orgSlug: string,
  record: ComplianceDocumentRecord,
): TDocumentVersion {
  return {
    id: record.id,
    kind: record.kind,
    version: record.version,
    title: record.title,
    sha256: record.sha256,
    url: `${publicUrl}${versionDocumentPath(orgSlug, record.kind, record.version)}`,
    createdAt: record.createdAt.toISOString(),
  };
}

async function orgSlugOf(tx: Tx): Promise<string> {
  const slug = await findOrgSlug(tx);
  if (!slug) throw new AppError('not_found', 'No such organization');
  return slug;
}

/** What the generator reads: the operator profile and the active purposes' current versions. */
async function loadInput(
  tx: Tx,
  publicUrl: string,
): Promise<GeneratorInput & { profileUpdatedAt: string | null }> {
  const slug = await orgSlugOf(tx);
  const profile = await getProfileForDocuments(tx);
  const active = await findActivePurposes(tx, publicUrl);
  return {
    profileUpdatedAt: profile?.updatedAt ? new Date(profile.updatedAt).toISOString() : null,
    org: { slug },
    profile,
    publicUrl,
    destruction: { method: DESTRUCTION_METHOD, days: DESTRUCTION_DAYS },
    purposes: active
      .filter(({ purpose }) => purpose.archivedAt === null)
      .map(({ purpose, version }) => ({
        code: purpose.code,
        kind: purpose.kind,
        versionId: version.id,
        version: version.version,
        title: version.title,
        legalBasis: version.legalBasis,
        dataCategories: version.dataCategories,
        subjectCategories: version.subjectCategories,
        actions: version.actions,
        methods: version.methods,
        channels: version.channels,
        recipients: version.recipients,
        retentionDays: version.retentionDays,
      })),
  };
}

type Outcome =
  | { kind: DocumentKind; status: 'created'; record: ComplianceDocumentRecord }
  | { kind: DocumentKind; status: 'unchanged' }
  | { kind: DocumentKind; status: 'refused'; gaps: ReturnType<typeof generateDocument>['gaps'] };

/**
 * Generates each kind and stores a new version only when its canonical text differs from the
 * newest one (compared by SHA-256). Old versions are never touched.
 */
async function regenerate(tx: Tx, ctx: Ctx, kinds: readonly DocumentKind[]): Promise<Outcome[]> {
  const input = await loadInput(tx, ctx.publicUrl);
  const outcomes: Outcome[] = [];
  for (const kind of kinds) {
    const generated = generateDocument(kind, input);
    if (!generated.content) {
      outcomes.push({ kind, status: 'refused', gaps: generated.gaps });
      continue;
    }
    const body = canonicalText(generated.content);
    const sha256 = sha256Hex(body);
    const latest = await findDocumentVersion(tx, kind, 'latest');
    if (latest?.sha256 === sha256) {
      outcomes.push({ kind, status: 'unchanged' });
      continue;
    }
    const record: ComplianceDocumentRecord = {
      id: randomUUID(),
      kind,
      version: (latest?.version ?? 0) + 1,
      title: generated.content.title,
      content: generated.content,
      body,
      sha256,
      sources: {
        purposeVersionIds: input.purposes.map((purpose) => purpose.versionId).sort(),
        profileUpdatedAt: input.profileUpdatedAt,
      },
      createdBy: actorUserId(ctx.actor),
      createdAt: ctx.now,
    };
    await insertDocumentVersion(tx, { ...record, orgId: ctx.orgId, at: ctx.now });
    await recordAudit(tx, ctx, {
      action: 'compliance_document.generated',
      entityType: 'compliance_document',
      entityId: record.id,
      details: { kind, version: record.version, sha256 },
    });
    outcomes.push({ kind, status: 'created', record });
  }
  return outcomes;
}

/** Generate (or regenerate) documents; a kind with gaps is refused with the list of gaps. */
export async function generateDocuments(ctx: Ctx, body: TGenerateBody): Promise<TGenerateResult> {
  assertCan(ctx, 'documents.manage');
  const kinds = body.kinds ?? DOCUMENT_KINDS;
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const slug = await orgSlugOf(tx);
    const outcomes = await regenerate(tx, ctx, kinds);
    return {
      created: outcomes.flatMap((outcome) =>
        outcome.status === 'created' ? [versionView(ctx.publicUrl, slug, outcome.record)] : [],
      ),
      unchanged: outcomes.flatMap((outcome) =>
        outcome.status === 'unchanged' ? [outcome.kind] : [],
      ),
      refused: outcomes.flatMap((outcome) =>
        outcome.status === 'refused' ? [{ kind: outcome.kind, gaps: outcome.gaps }] : [],
      ),
    };
  });
}

/**
 * Called in the transaction of a registry or profile change: each document generated before gets
 * a new version when its content changed. Kinds never generated, or with gaps now, are left as
 * they are (the documents page shows the gaps).
 */
export async function refreshDocumentsAfterChange(tx: Tx, ctx: Ctx): Promise<void> {
  const existing = await findLatestDocuments(tx);
  if (existing.length === 0) return;
  await regenerate(
    tx,
    ctx,
    existing.map((record) => record.kind),
  );
}

export async function findDocumentOverview(
  ctx: Ctx,
): Promise<{ items: TDocumentSummary[]; policyUrl: string | null }> {
  assertCan(ctx, 'documents.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const slug = await orgSlugOf(tx);
    const input = await loadInput(tx, ctx.publicUrl);
    const latest = await findLatestDocuments(tx);
    const items: TDocumentSummary[] = [];
    for (const kind of DOCUMENT_KINDS) {
      const record = latest.find((candidate) => candidate.kind === kind) ?? null;
      const generated = generateDocument(kind, input);
      const currentSha = generated.content ? sha256Hex(canonicalText(generated.content)) : null;
      items.push({
        kind,
        title: DOCUMENT_TITLES[kind],
        latestUrl: `${ctx.publicUrl}${latestDocumentPath(slug, kind)}`,
        latest: record ? versionView(ctx.publicUrl, slug, record) : null,
        versionCount: record?.version ?? 0,
        gaps: generated.gaps,
        isOutdated: record !== null && currentSha !== null && currentSha !== record.sha256,
      });
    }
    return { items, policyUrl: await policyUrlIn(tx, ctx.publicUrl) };
  });
}

export async function findVersionsOfKind(
  ctx: Ctx,
  kind: DocumentKind,
): Promise<{ items: TDocumentVersion[] }> {
  assertCan(ctx, 'documents.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const slug = await orgSlugOf(tx);
    const versions = await findDocumentVersions(tx, kind);
    return { items: versions.map((record) => versionView(ctx.publicUrl, slug, record)) };
  });
}

export async function getDocumentVersion(ctx: Ctx, kind: DocumentKind, version: number) {
  assertCan(ctx, 'documents.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const slug = await orgSlugOf(tx);
    const record = await findDocumentVersion(tx, kind, version);
    if (!record) throw new AppError('not_found', 'No such document version');
    return {
      ...versionView(ctx.publicUrl, slug, record),
      body: record.body,
      sections: record.content.sections.map((section) => ({
        id: section.id,
        heading: section.heading,
      })),
    };
  });
}

/**
 * The policy address forms link (R-L4): the operator's own `policy_url` when set, else the
 * generated policy's always-current address once a policy exists, else null.
 */
export async function policyUrlIn(tx: Tx, publicUrl: string): Promise<string | null> {
  const profile = await getProfileForDocuments(tx);
  if (profile?.policyUrl) return profile.policyUrl;
  const latest = await findDocumentVersion(tx, 'policy', 'latest');
  if (!latest) return null;
  return `${publicUrl}${latestDocumentPath(await orgSlugOf(tx), 'policy')}`;
}

/** A version referred to by id, inside the caller's transaction (audit evidence). */
export async function findDocumentVersionById(
  tx: Tx,
  publicUrl: string,
  documentId: string,
): Promise<TDocumentVersion | null> {
  const record = await findDocumentById(tx, documentId);
  if (!record) return null;
  return versionView(publicUrl, await orgSlugOf(tx), record);
}

/** The newest version of each kind, inside the caller's transaction (audit checks). */
export async function findLatestDocumentVersions(
  tx: Tx,
  publicUrl: string,
): Promise<TDocumentVersion[]> {
  const slug = await orgSlugOf(tx);
  return (await findLatestDocuments(tx)).map((record) => versionView(publicUrl, slug, record));
}

// Public pages

export type PublicDocument = {
  content: DocumentContent;
  body: string;
  sha256: string;
  version: number;
  createdAt: Date;
  versionPath: string;
  latestPath: string;
  isLatest: boolean;
};

/** A document version by its public address; no login needed. Null when there is none. */
export async function getPublicComplianceDocument(
  db: Db,
  input: { orgSlug: string; kind: DocumentKind; version: number | 'latest' },
): Promise<PublicDocument | null> {
  const orgId = await withTx(db, { orgId: null }, (tx) => publicOrgId(tx, input.orgSlug));
  if (!orgId) return null;
  return withTx(db, { orgId }, async (tx) => {
    const record = await findDocumentVersion(tx, input.kind, input.version);
    if (!record) return null;
    const latest =
      input.version === 'latest' ? record : await findDocumentVersion(tx, input.kind, 'latest');
    return {
      content: record.content,
      body: record.body,
      sha256: record.sha256,
      version: record.version,
      createdAt: record.createdAt,
      versionPath: versionDocumentPath(input.orgSlug, input.kind, record.version),
      latestPath: latestDocumentPath(input.orgSlug, input.kind),
      isLatest: latest?.version === record.version,
    };
  });
}

// Acknowledgements (R-L5: staff made familiar with the local acts)

async function documentToAcknowledge(tx: Tx): Promise<ComplianceDocumentRecord | null> {
  return (
    (await findDocumentVersion(tx, 'internal_regulation', 'latest')) ??
    (await findDocumentVersion(tx, 'policy', 'latest'))
  );
}

/**
 * The caller's acknowledgement state; with `isOwnOnly` the member list is left out (the prompt
 * shown on every page must not read and log the staff list each time).
 */
export async function getAcknowledgementStatus(
  ctx: Ctx,
  options: { isOwnOnly?: boolean } = {},
): Promise<TAcknowledgementStatus> {
  const userId = actorUserId(ctx.actor);
  const state = await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const settings = await findSettings(tx);
    const document = await documentToAcknowledge(tx);
    const acknowledgements = document ? await findAcknowledgements(tx, document.id) : [];
    const slug = await orgSlugOf(tx);
    return { settings, document, acknowledgements, slug };
  });
  const members =
    !options.isOwnOnly && can(ctx.role, 'documents.read') ? await findMembers(ctx) : null;
  const byUser = new Map(state.acknowledgements.map((entry) => [entry.userId, entry]));
  return {
    isRequired: state.settings.isAcknowledgementRequired,
    document: state.document ? versionView(ctx.publicUrl, state.slug, state.document) : null,
    hasAcknowledged: userId !== null && byUser.has(userId),
    members:
      members?.map((member) => ({
        userId: member.userId,
        name: member.name,
        role: member.role,
        acknowledgedAt: byUser.get(member.userId)?.acknowledgedAt.toISOString() ?? null,
      })) ?? null,
  };
}

export async function acknowledgeDocument(
  ctx: Ctx,
  body: { documentId: string },
): Promise<TAcknowledgementStatus> {
  const userId = actorUserId(ctx.actor);
  if (!userId) throw new AppError('forbidden', 'Only a person acknowledges a document');
  await withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    const current = await documentToAcknowledge(tx);
    if (!current || current.id !== body.documentId) {
      throw new AppError('rule_violated', 'Acknowledge the current version of the document', {
        details: { rule: 'acknowledgement_not_current', currentId: current?.id ?? null },
        fields: { documentId: ['Not the current version'] },
      });
    }
    const isNew = await insertAcknowledgement(tx, {
      orgId: ctx.orgId,
      userId,
      documentId: current.id,
      sha256: current.sha256,
      at: ctx.now,
    });
    if (isNew) {
      await recordAudit(tx, ctx, {
        action: 'compliance_document.acknowledged',
        entityType: 'compliance_document',
        entityId: current.id,
        details: { kind: current.kind, version: current.version, sha256: current.sha256 },
      });
    }
  });
  return getAcknowledgementStatus(ctx);
}

export async function getComplianceSettings(ctx: Ctx) {
  assertCan(ctx, 'documents.read');
  return withTx(ctx.db, { orgId: ctx.orgId }, (tx) => findSettings(tx));
}

export async function saveComplianceSettings(
  ctx: Ctx,
  body: { isAcknowledgementRequired: boolean },
) {
  assertCan(ctx, 'documents.manage');
  return withTx(ctx.db, { orgId: ctx.orgId }, async (tx) => {
    if (body.isAcknowledgementRequired && !(await documentToAcknowledge(tx))) {
      throw new AppError('rule_violated', 'Generate the internal regulation or policy first', {
        details: { rule: 'acknowledgement_document_missing' },
      });
    }
    await saveSettings(tx, ctx.orgId, body, ctx.now);
    await recordAudit(tx, ctx, {
      action: 'compliance_settings.saved',
      entityType: 'compliance_settings',
      entityId: ctx.orgId,
      details: { isAcknowledgementRequired: body.isAcknowledgementRequired },
    });
    return body;
  });
}

/**
 * The gate before personal data (R-L5): with the organization's setting on, a person who has not
 * acknowledged the current internal regulation (or policy) is refused. API tokens and the system
 * are not people and pass; with the setting off (the default) everyone passes.
 */
export async function assertAcknowledged(tx: Tx, ctx: Ctx): Promise<void> {
  const userId = actorUserId(ctx.actor);
  if (!userId) return;
  const settings = await findSettings(tx);
  if (!settings.isAcknowledgementRequired) return;
  const document = await documentToAcknowledge(tx);
  if (!document) return;
  if (await hasAcknowledged(tx, document.id, userId)) return;
  throw new AppError(
    'acknowledgement_required',
    'Acknowledge the current internal regulation before reading personal data',
    { details: { documentId: document.id, kind: document.kind, version: document.version } },
  );
}

/** Members and whether each acknowledged the current document, inside a transaction (audit). */
export async function acknowledgementCounts(
  tx: Tx,
): Promise<{ documentId: string | null; acknowledgedUserIds: string[] }> {
  const document = await documentToAcknowledge(tx);
  if (!document) return { documentId: null, acknowledgedUserIds: [] };
  const acknowledgements = await findAcknowledgements(tx, document.id);
  return {
    documentId: document.id,
    acknowledgedUserIds: acknowledgements.map((entry) => entry.userId),
  };
}
