import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { recordAccess, recordAudit } from '../access-log/access-log.service.ts';
import { consentStatesOf, withdrawConsentInTx } from '../consent/consent.service.ts';
import { scheduleChaining } from '../consent/journal.service.ts';
import { activeBlocks, blockSubject } from '../contacts/blocks.service.ts';
import {
  contactErasure,
  findContactIdByAddress,
  normalizePhone,
} from '../contacts/contacts.service.ts';
import { collectSubjectData, type SubjectData } from '../erasure/erasure.service.ts';
import { orgKeyring, subjectKeys } from '../keys/keys.service.ts';
import { deliverPendingMail, queueMail } from '../messaging/mail-outbox.service.ts';
import type { Actor, Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import { normalizeEmail, randomToken, safeEqual, sha256Hex } from '../platform/crypto.ts';
import type { Db, Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import type { Mailer } from '../platform/mail.ts';
import { findActivePurposes, getProfileForDocuments } from '../purposes/purposes.service.ts';
import {
  endSession,
  findCurrentOrg,
  findLiveSession,
  findRequestsOfContact,
  insertCode,
  insertSession,
  markCodeUsed,
  type PortalRequestRecord,
  publicOrgIdBySlug,
  purgePortalRecords,
  takeCodeAttempt,
  touchSession,
} from './portal.repo.ts';
import { readPortalLinkToken } from './portal-link.service.ts';
import { createSubjectRequest } from './requests.service.ts';

/**
 * The privacy portal (152-FZ Art. 14, 20, 21; GDPR Art. 15-21): the person signs in with a
 * one-time code or a signed link, sees what is kept about them and why, downloads it, withdraws
 * consents and files requests. The portal acts as a system actor on the person's own behalf;
 * every read of their data writes an access-log row naming them as the subject.
 */
export const PORTAL_ACTOR: Actor = { type: 'system', label: 'privacy-portal' };

export const CODE_TTL_MS = 10 * 60 * 1000;
export const CODE_MAX_ATTEMPTS = 5;
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_MAX_MS = 2 * 60 * 60 * 1000;
/** Spent codes are kept a day (for a support question), ended sessions 90 days (sign-in history). */
export const CODE_KEEP_MS = 24 * 60 * 60 * 1000;
export const SESSION_KEEP_MS = 90 * 24 * 60 * 60 * 1000;

export type PortalDeps = {
  db: Db;
  keys: Keys;
  publicUrl: string;
  now: Date;
  requestId: string | null;
  route: string | null;
  mailer?: Mailer | undefined;
  sms?: {
    readonly isConfigured: boolean;
    send(message: { to: string; text: string }): Promise<void>;
  };
  logger?: Logger | undefined;
};

export type PortalOrg = { orgId: string; slug: string; name: string; operatorName: string };

function portalCtx(deps: PortalDeps, orgId: string): Ctx {
  return {
    db: deps.db,
    keys: deps.keys,
    orgId,
    actor: PORTAL_ACTOR,
    // The portal reads and changes only the signed-in person's own records.
    role: 'privacy_officer',
    now: deps.now,
    requestId: deps.requestId,
    route: deps.route,
    publicUrl: deps.publicUrl,
  };
}

async function orgOf(tx: Tx, orgId: string): Promise<PortalOrg> {
  const org = await findCurrentOrg(tx);
  if (!org) throw new AppError('not_found', 'No such organization');
  const profile = await getProfileForDocuments(tx);
  return { orgId, slug: org.slug, name: org.name, operatorName: profile?.legalName ?? org.name };
}

/** The organization behind `/p/<slug>`. */
export async function findPortalOrg(db: Db, slug: string): Promise<PortalOrg> {
  const orgId = await withTx(db, { orgId: null }, (tx) => publicOrgIdBySlug(tx, slug));
  if (!orgId) throw new AppError('not_found', 'No such organization');
  return withTx(db, { orgId }, (tx) => orgOf(tx, orgId));
}

// Addresses and codes

export type PortalAddress = { kind: 'email' | 'phone'; value: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email or a phone number as typed; refused with a field code when it is neither. */
export function parseAddress(raw: string, options: { isSmsAvailable: boolean }): PortalAddress {
  const text = raw.trim();
  if (text.includes('@')) {
    if (text.length > 254 || !EMAIL.test(text)) {
      throw new AppError('validation_failed', 'Not an email address', {
        fields: { address: ['invalid_email'] },
      });
    }
    return { kind: 'email', value: normalizeEmail(text) };
  }
  const phone = text.length <= 50 ? normalizePhone(text) : null;
  if (!phone) {
    throw new AppError('validation_failed', 'Neither an email nor a phone number', {
      fields: { address: ['invalid_address'] },
    });
  }
  if (!options.isSmsAvailable) {
    throw new AppError('validation_failed', 'Codes go by email only here', {
      fields: { address: ['sms_unavailable'] },
    });
  }
  return { kind: 'phone', value: phone };
}

/** The rate-limit key of an address: a keyed hash, so no address sits in memory in clear. */
export function addressRateKey(keys: Keys, orgId: string, address: PortalAddress): string {
  return createHmac('sha256', keys.indexKey)
    .update(`portal-rate\u0000${orgId}\u0000${address.kind}\u0000${address.value}`)
    .digest('base64url');
}

function codeHash(keys: Keys, challengeId: string, code: string): string {
  return createHmac('sha256', keys.indexKey)
    .update(`portal-code\u0000${challengeId}\u0000${code}`)
    .digest('hex');
}

function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

function codeText(operatorName: string, code: string): string {
  return [
    `Код для входа в раздел «Мои данные» оператора ${operatorName}: ${code}`,
    '',
    'Код действует 10 минут. Если вы не запрашивали код, просто проигнорируйте это сообщение.',
    '',
    `Your sign-in code for "My data" at ${operatorName}: ${code} (valid for 10 minutes).`,
  ].join('\n');
}

/**
 * Issues a one-time code for an address. The work and the answer are the same whether or not
 * a contact has the address: a code row is written either way (with no contact when none
 * matches), and only a known address is sent the code, by mail or SMS, after commit.
 */
export async function requestCode(
  deps: PortalDeps,
  input: { org: PortalOrg; address: PortalAddress },
): Promise<{ challengeId: string }> {
  const ctx = portalCtx(deps, input.org.orgId);
  const challengeId = randomUUID();
  const code = newCode();
  const sms = await withTx(deps.db, { orgId: ctx.orgId }, async (tx) => {
    const found = await findContactIdByAddress(tx, ctx, input.address);
    const key = found
      ? (await subjectKeys(tx, await orgKeyring(tx, ctx), [found])).get(found)
      : null;
    const contactId = found && key ? found : null;
    await insertCode(tx, {
      id: challengeId,
      orgId: ctx.orgId,
      contactId,
      channel: input.address.kind === 'email' ? 'email' : 'sms',
      codeHash: codeHash(deps.keys, challengeId, code),
      at: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + CODE_TTL_MS),
    });
    await recordAudit(tx, ctx, {
      action: 'portal.code_requested',
      entityType: 'portal_code',
      entityId: challengeId,
      details: { channel: input.address.kind, contactId },
    });
    if (!contactId || !key) return null;
    const text = codeText(input.org.operatorName, code);
    if (input.address.kind === 'email') {
      await queueMail(tx, ctx, {
        contactId,
        subjectKey: key,
        kind: 'portal_code',
        to: input.address.value,
        subject: `Код для входа: ${input.org.operatorName}`,
        text,
      });
      return null;
    }
    return { to: input.address.value, text };
  });
  // After commit and off the answer's path, so a known address answers no slower.
  const logger = deps.logger;
  if (sms && deps.sms?.isConfigured) {
    void deps.sms
      .send(sms)
      .catch((error: unknown) =>
        logger?.warn(
          { orgId: ctx.orgId, errorName: (error as Error).name },
          'portal code SMS not sent',
        ),
      );
  } else if (input.address.kind === 'email' && deps.mailer?.isConfigured && logger) {
    const mailer = deps.mailer;
    void deliverPendingMail(
      { db: deps.db, keys: deps.keys, mailer, logger, now: () => new Date() },
      ctx.orgId,
    ).catch((error: unknown) =>
      logger.warn({ orgId: ctx.orgId, errorName: (error as Error).name }, 'mail delivery failed'),
    );
  }
  return { challengeId };
}

export type PortalSessionStart = { cookieValue: string; slug: string };

function cookieValueOf(orgId: string, secret: string): string {
  return `${orgId}.${secret}`;
}

async function startSession(
  tx: Tx,
  ctx: Ctx,
  input: { contactId: string; method: 'portal_code' | 'signed_link' },
): Promise<string> {
  const secret = randomToken();
  const id = randomUUID();
  await insertSession(tx, {
    id,
    orgId: ctx.orgId,
    contactId: input.contactId,
    tokenHash: sha256Hex(secret),
    method: input.method,
    at: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + SESSION_MAX_MS),
  });
  await recordAudit(tx, ctx, {
    action: 'portal.signed_in',
    entityType: 'contact',
    entityId: input.contactId,
    details: { sessionId: id, method: input.method },
  });
  return cookieValueOf(ctx.orgId, secret);
}

/**
 * Checks a code. Each try is counted before the comparison and committed even when wrong;
 * five wrong tries, ten minutes or one use end the code. A code for an unknown address never
 * matches, and answers exactly as a wrong one does.
 */
export async function verifyCode(
  deps: PortalDeps,
  input: { org: PortalOrg; challengeId: string; code: string },
): Promise<PortalSessionStart> {
  const ctx = portalCtx(deps, input.org.orgId);
  const outcome = await withTx(deps.db, { orgId: ctx.orgId }, async (tx) => {
    const attempt = await takeCodeAttempt(tx, {
      id: input.challengeId,
      now: ctx.now,
      maxAttempts: CODE_MAX_ATTEMPTS,
    });
    if (!attempt) return { kind: 'expired' as const };
    const isMatch = safeEqual(codeHash(deps.keys, input.challengeId, input.code), attempt.codeHash);
    if (!isMatch || !attempt.contactId) {
      const attemptsLeft = CODE_MAX_ATTEMPTS - attempt.attempts;
      return attemptsLeft > 0
        ? { kind: 'wrong' as const, attemptsLeft }
        : { kind: 'exhausted' as const };
    }
    if (!(await markCodeUsed(tx, input.challengeId, ctx.now))) return { kind: 'expired' as const };
    const cookieValue = await startSession(tx, ctx, {
      contactId: attempt.contactId,
      method: 'portal_code',
    });
    return { kind: 'ok' as const, cookieValue };
  });
  switch (outcome.kind) {
    case 'ok':
      return { cookieValue: outcome.cookieValue, slug: input.org.slug };
    case 'wrong':
      throw new AppError('invalid_credentials', 'Wrong code', {
        fields: { code: ['code_wrong'] },
        details: { attemptsLeft: outcome.attemptsLeft },
      });
    case 'exhausted':
      throw new AppError('too_many_attempts', 'Too many wrong codes; ask for a new one', {
        fields: { code: ['code_exhausted'] },
      });
    case 'expired':
      throw new AppError('invalid_credentials', 'The code is used, expired or unknown', {
        fields: { code: ['code_expired'] },
      });
  }
}

/** A signed link from the receipt opens a session for the contact it names. */
export async function openSignedLink(deps: PortalDeps, token: string): Promise<PortalSessionStart> {
  const named = readPortalLinkToken(deps.keys, token, deps.now);
  if (!named) throw new AppError('not_found', 'The link is wrong or expired');
  const ctx = portalCtx(deps, named.orgId);
  return withTx(deps.db, { orgId: named.orgId }, async (tx) => {
    const org = await findCurrentOrg(tx);
    const contact = await contactErasure(tx, named.contactId);
    if (!org || !contact) throw new AppError('not_found', 'The link is wrong or expired');
    const cookieValue = await startSession(tx, ctx, {
      contactId: named.contactId,
      method: 'signed_link',
    });
    return { cookieValue, slug: org.slug };
  });
}

// Sessions

export type PortalSession = {
  id: string;
  orgId: string;
  contactId: string;
  method: 'portal_code' | 'signed_link';
  /** The secret behind the cookie; the forms' CSRF token is derived from it. */
  secret: string;
};

/** The CSRF token of a portal session's forms: derived, so nothing extra is stored. */
export function portalCsrfToken(keys: Keys, secret: string): string {
  return createHmac('sha256', keys.csrfKey).update(`portal\u0000${secret}`).digest('base64url');
}

/**
 * The live session behind a cookie, for this organization only; each use moves the idle
 * deadline. Null when the cookie is missing, forged, ended, idle too long or too old.
 */
export async function resolvePortalSession(
  deps: PortalDeps,
  input: { orgId: string; cookieValue: string | undefined },
): Promise<PortalSession | null> {
  const [orgId = '', secret = ''] = (input.cookieValue ?? '').split('.');
  if (orgId !== input.orgId || secret.length < 32 || secret.length > 64) return null;
  return withTx(deps.db, { orgId }, async (tx) => {
    const found = await findLiveSession(tx, {
      tokenHash: sha256Hex(secret),
      now: deps.now,
      idleSince: new Date(deps.now.getTime() - SESSION_IDLE_MS),
    });
    if (!found) return null;
    await touchSession(tx, found.id, deps.now);
    return { id: found.id, orgId, contactId: found.contactId, method: found.method, secret };
  });
}

export async function endPortalSession(deps: PortalDeps, session: PortalSession): Promise<void> {
  const ctx = portalCtx(deps, session.orgId);
  await withTx(deps.db, { orgId: session.orgId }, async (tx) => {
    await endSession(tx, session.id, deps.now);
    await recordAudit(tx, ctx, {
      action: 'portal.signed_out',
      entityType: 'contact',
      entityId: session.contactId,
      details: { sessionId: session.id },
    });
  });
}

// What the person sees

export type PortalPurpose = {
  purposeId: string;
  code: string;
  title: string;
  kind: string;
  legalBasis: string;
  state: 'given' | 'withdrawn' | 'expired' | 'none';
  at: Date | null;
  expiresAt: Date | null;
  /** The document the person agreed to (or withdrew), else the purpose's current one. */
  documentId: string | null;
  dataCategories: { title: string; isSpecial: boolean }[];
  actions: string[];
  methods: string;
  channels: string[];
  recipients: { name: string; address: string; country: string }[];
  retentionDays: number;
  canWithdraw: boolean;
};

export type PortalOperator = {
  legalName: string;
  address: string;
  inn: string | null;
  ogrn: string | null;
  responsibleName: string;
  responsibleContacts: string;
  processors: { name: string; address: string }[];
  policyUrl: string | null;
  rknRegisterNumber: string | null;
};

export type PortalView = {
  org: PortalOrg;
  operator: PortalOperator | null;
  contactId: string;
  isErased: boolean;
  method: PortalSession['method'];
  purposes: PortalPurpose[];
  data: SubjectData;
  blocks: { kind: 'blocked' | 'stopped'; purposeId: string | null; createdAt: Date }[];
  requests: PortalRequestRecord[];
};

async function purposesOf(tx: Tx, ctx: Ctx, contactId: string): Promise<PortalPurpose[]> {
  const states = await consentStatesOf(tx, ctx, contactId);
  const active = await findActivePurposes(tx, ctx.publicUrl);
  return states.flatMap((state) => {
    const purpose = active.find((candidate) => candidate.purpose.id === state.purposeId);
    if (!purpose) return [];
    const version = purpose.version;
    return [
      {
        purposeId: state.purposeId,
        code: state.purposeCode,
        title: state.purposeTitle,
        kind: state.kind,
        legalBasis: state.legalBasis,
        state: state.state,
        at: state.at,
        expiresAt: state.expiresAt,
        documentId: state.documentId ?? purpose.document?.id ?? null,
        dataCategories: version.dataCategories.map((category) => ({
          title: category.title,
          isSpecial: category.isSpecial,
        })),
        actions: version.actions,
        methods: version.methods,
        channels: version.channels,
        recipients: version.recipients,
        retentionDays: version.retentionDays,
        canWithdraw: state.state === 'given' || state.state === 'expired',
      },
    ];
  });
}

async function operatorOf(tx: Tx): Promise<PortalOperator | null> {
  const profile = await getProfileForDocuments(tx);
  if (!profile) return null;
  return {
    legalName: profile.legalName,
    address: profile.address,
    inn: profile.inn ?? null,
    ogrn: profile.ogrn ?? null,
    responsibleName: profile.responsibleName,
    responsibleContacts: profile.responsibleContacts,
    processors: profile.processors ?? [],
    policyUrl: profile.policyUrl ?? null,
    rknRegisterNumber: profile.rknRegisterNumber ?? null,
  };
}

function accessFields(data: SubjectData): string[] {
  return [...new Set(data.tables.filter((table) => table.rows.length > 0).map((t) => t.table))];
}

async function readView(tx: Tx, ctx: Ctx, session: PortalSession, reason: string) {
  const org = await orgOf(tx, session.orgId);
  const contact = await contactErasure(tx, session.contactId);
  if (!contact) throw new AppError('not_found', 'No such contact');
  const data = await collectSubjectData(tx, ctx, session.contactId);
  // R-L6: the person's own read is logged like any other, with the subject named.
  await recordAccess(tx, ctx, {
    subjectType: 'contact',
    subjectIds: [session.contactId],
    fields: accessFields(data),
    reason,
  });
  return {
    org,
    operator: await operatorOf(tx),
    contactId: session.contactId,
    isErased: Boolean(contact.erasedAt) || data.erased,
    method: session.method,
    purposes: await purposesOf(tx, ctx, session.contactId),
    data,
    blocks: (await activeBlocks(tx, ctx, session.contactId)).map((block) => ({
      kind: block.kind,
      purposeId: block.purposeId,
      createdAt: block.createdAt,
    })),
    requests: await findRequestsOfContact(tx, session.contactId),
  } satisfies PortalView;
}

/** Everything the portal page shows; the read is written to the access log. */
export async function loadPortalView(
  deps: PortalDeps,
  session: PortalSession,
): Promise<PortalView> {
  const ctx = portalCtx(deps, session.orgId);
  return withTx(deps.db, { orgId: session.orgId }, (tx) =>
    readView(tx, ctx, session, 'portal_view'),
  );
}

// Portability (GDPR Art. 20, R-G3)

export type PortalExport = { filename: string; contentType: string; body: string };

function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\n\r,]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function exportDocument(view: PortalView, now: Date) {
  return {
    format: 'soglasie.subject-export/1',
    exportedAt: now.toISOString(),
    operator: view.operator ?? { legalName: view.org.operatorName },
    subject: { contactId: view.contactId, isErased: view.isErased },
    purposes: view.purposes.map((purpose) => ({
      code: purpose.code,
      title: purpose.title,
      kind: purpose.kind,
      legalBasis: purpose.legalBasis,
      consentState: purpose.state,
      consentAt: purpose.at?.toISOString() ?? null,
      consentExpiresAt: purpose.expiresAt?.toISOString() ?? null,
      documentId: purpose.documentId,
      dataCategories: purpose.dataCategories.map((category) => category.title),
      recipients: purpose.recipients,
      retentionDays: purpose.retentionDays,
    })),
    tables: view.data.tables.map((table) => ({
      table: table.table,
      category: table.category,
      categoryEn: table.categoryEn,
      rows: table.rows,
    })),
    requests: view.requests.map((request) => ({
      id: request.id,
      type: request.type,
      status: request.status,
      receivedAt: request.receivedAt.toISOString(),
      dueDate: request.extendedDueDate ?? request.dueDate,
    })),
  };
}

/**
 * The person's data in a structured, machine-readable form: JSON with every table's rows of
 * this subject, or CSV with one line per value (table; category; row; field; value).
 */
export async function exportPortalData(
  deps: PortalDeps,
  session: PortalSession,
  format: 'json' | 'csv',
): Promise<PortalExport> {
  const ctx = portalCtx(deps, session.orgId);
  const view = await withTx(deps.db, { orgId: session.orgId }, (tx) =>
    readView(tx, ctx, session, 'portal_export'),
  );
  const stamp = deps.now.toISOString().slice(0, 10);
  const document = exportDocument(view, deps.now);
  if (format === 'json') {
    return {
      filename: `my-data-${stamp}.json`,
      contentType: 'application/json; charset=utf-8',
      body: `${JSON.stringify(document, null, 2)}\n`,
    };
  }
  const lines = [['table', 'category', 'row', 'field', 'value'].join(';')];
  for (const table of document.tables) {
    table.rows.forEach((row, index) => {
      for (const [field, value] of Object.entries(row)) {
        lines.push(
          [table.table, table.category, String(index + 1), field, cellText(value)]
            .map(csvCell)
            .join(';'),
        );
      }
    });
  }
  for (const purpose of document.purposes) {
    for (const [field, value] of Object.entries(purpose)) {
      lines.push(
        ['purposes', 'consent', purpose.code, field, cellText(value)].map(csvCell).join(';'),
      );
    }
  }
  return {
    filename: `my-data-${stamp}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: `\uFEFF${lines.join('\r\n')}\r\n`,
  };
}

// Acts: withdrawal, unsubscribe, requests

export type PortalClient = { ip: string; userAgent: string | null };

function evidenceOf(deps: PortalDeps, org: PortalOrg, client: PortalClient) {
  return {
    ip: client.ip,
    ...(client.userAgent ? { userAgent: client.userAgent.slice(0, 500) } : {}),
    pageUrl: `${deps.publicUrl}/p/${org.slug}/me`,
  };
}

/**
 * Withdraws consents in one transaction (R-C6, R-G1): each a 'withdrawn' journal entry with
 * the portal as its channel; every outbound check refuses from commit on.
 */
async function withdraw(
  deps: PortalDeps,
  session: PortalSession,
  input: { pick: (purpose: PortalPurpose) => boolean; client: PortalClient; isAll: boolean },
): Promise<{ withdrawn: string[] }> {
  const ctx = portalCtx(deps, session.orgId);
  const result = await withTx(deps.db, { orgId: session.orgId }, async (tx) => {
    const org = await orgOf(tx, session.orgId);
    const purposes = (await purposesOf(tx, ctx, session.contactId)).filter(
      (purpose) => purpose.canWithdraw && input.pick(purpose),
    );
    if (purposes.length === 0 && !input.isAll) {
      throw new AppError('rule_violated', 'There is no consent to withdraw for this purpose', {
        details: { rule: 'nothing_to_withdraw' },
        fields: { purposeId: ['nothing_to_withdraw'] },
      });
    }
    const withdrawn: string[] = [];
    for (const purpose of purposes) {
      const outcome = await withdrawConsentInTx(tx, ctx, {
        contactId: session.contactId,
        purposeId: purpose.purposeId,
        channel: 'portal',
        evidence: evidenceOf(deps, org, input.client),
      });
      if (outcome.isNew) withdrawn.push(purpose.code);
    }
    return { withdrawn };
  });
  if (result.withdrawn.length > 0) void scheduleChaining(deps.db, session.orgId, deps.logger);
  return result;
}

export function withdrawFromPortal(
  deps: PortalDeps,
  session: PortalSession,
  input: { purposeId: string; client: PortalClient },
): Promise<{ withdrawn: string[] }> {
  return withdraw(deps, session, {
    pick: (purpose) => purpose.purposeId === input.purposeId,
    client: input.client,
    isAll: false,
  });
}

/** Unsubscribes from every mailing: withdraws every advertising consent at once (R-C7, R-A4). */
export function unsubscribeFromPortal(
  deps: PortalDeps,
  session: PortalSession,
  input: { client: PortalClient },
): Promise<{ withdrawn: string[] }> {
  return withdraw(deps, session, {
    pick: (purpose) => purpose.kind === 'advertising',
    client: input.client,
    isAll: true,
  });
}

export type PortalRequestType = 'access' | 'correction' | 'stop' | 'deletion';

/**
 * Files a request in the operator's queue with its legal due date (R-S1, R-S4, R-S6). A
 * deletion request also stops processing at once: asking to delete is refusing further
 * processing (PRODUCT.md D).
 */
export async function fileRequestFromPortal(
  deps: PortalDeps,
  session: PortalSession,
  input: { type: PortalRequestType; details: string | null },
): Promise<{ id: string; dueDate: string; isRepeat: boolean }> {
  const ctx = portalCtx(deps, session.orgId);
  return withTx(deps.db, { orgId: session.orgId }, async (tx) => {
    const created = await createSubjectRequest(tx, ctx, {
      contactId: session.contactId,
      type: input.type,
      source: 'portal',
      jurisdiction: 'ru',
      receivedAt: deps.now,
      details: input.details,
      purposeId: null,
    });
    const isStopped = (await activeBlocks(tx, ctx, session.contactId)).some(
      (block) => block.kind === 'stopped' && block.purposeId === null,
    );
    if (input.type === 'deletion' && !isStopped) {
      await blockSubject(tx, ctx, {
        contactId: session.contactId,
        kind: 'stopped',
        purposeId: null,
        reason: 'Deletion requested through the privacy portal',
        requestId: created.id,
      });
    }
    await recordAudit(tx, ctx, {
      action: 'portal.request_filed',
      entityType: 'subject_request',
      entityId: created.id,
      details: { type: input.type, contactId: session.contactId, method: session.method },
    });
    return created;
  });
}

/** The portal.purge job: spent codes and old sessions go, in every organization (minimization). */
export async function purgePortal(deps: { db: Db }, now: Date): Promise<{ purged: number }> {
  const purged = await withTx(deps.db, { orgId: null }, (tx) =>
    purgePortalRecords(tx, {
      codesBefore: new Date(now.getTime() - CODE_KEEP_MS),
      sessionsBefore: new Date(now.getTime() - SESSION_KEEP_MS),
    }),
  );
  return { purged };
}
