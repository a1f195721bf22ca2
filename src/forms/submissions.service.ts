import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../access-log/access-log.service.ts';
import { type ConsentEventInput, recordConsentEvents } from '../consent/consent.service.ts';
import { scheduleChaining } from '../consent/journal.service.ts';
import { issueReceipt } from '../consent/receipt.service.ts';
import { captureContact, normalizePhone } from '../contacts/contacts.service.ts';
import { type OrgKeyring, orgKeyring, sealField } from '../keys/keys.service.ts';
import { type Attribution, createLead, leadIdOfSubmission } from '../leads/leads.service.ts';
import { deliverPendingMail, queueMail } from '../messaging/mail-outbox.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import type { Db } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError, type FieldErrors } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import type { Mailer } from '../platform/mail.ts';
import { findDocumentsOfPurpose, findPurposeVersion } from '../purposes/purposes.service.ts';
import { PORTAL_LINK_MAIL_TTL_MS, portalLinkUrl } from '../subject-requests/portal-link.service.ts';
import { STANDARD_FIELDS, type TFormField } from './forms.schema.ts';
import {
  findPublicFormOrg,
  type LoadedPublicForm,
  loadPublicFormSnapshot,
} from './forms.service.ts';
import { findSubmissionByKey, insertSubmission } from './submissions.repo.ts';

export type SubmissionInput = {
  formSlug: string;
  values: Record<string, string>;
  /** Per purpose code: whether its own checkbox arrived checked, and the document shown. */
  consents: Record<string, { isGiven: boolean; documentId: string | null }>;
  idempotencyKey: string | null;
  attribution: Attribution;
  client: { ip: string; userAgent: string | null; pageUrl: string | null };
};

export type SubmissionResult = {
  submissionId: string;
  leadId: string;
  isDuplicate: boolean;
  /** The person's signed consent receipt (null for a replay or when no consent was given). */
  receiptUrl: string | null;
  thankYou: { title: string; text: string };
  redirectUrl: string | null;
  consents: { purposeCode: string; documentId: string; documentUrl: string }[];
};

export type SubmissionDeps = {
  db: Db;
  keys: Keys;
  publicUrl: string;
  now: Date;
  /** When given, queued mail (the receipt) is sent right after commit. */
  mailer?: Mailer;
  logger?: Logger;
};

const ZEmailValue = z.email();

/** Field values against the form's fields: required, type, length; unknown fields refused. */
export function checkValues(
  fields: readonly TFormField[],
  values: Record<string, string>,
): Record<string, string> {
  const errors: FieldErrors = {};
  const accepted: Record<string, string> = {};
  const known = new Set(fields.map((field) => field.name));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) errors[name] = ['Unknown field'];
  }
  for (const field of fields) {
    const value = (values[field.name] ?? '').trim();
    if (value === '') {
      if (field.isRequired) errors[field.name] = ['Required'];
      continue;
    }
    if (value.length > field.maxLength) {
      errors[field.name] = [`At most ${field.maxLength} characters`];
      continue;
    }
    if ((field.type === 'tel' || field.name === STANDARD_FIELDS.phone) && !normalizePhone(value)) {
      errors[field.name] = ['Not a valid phone number'];
      continue;
    }
    if (
      (field.type === 'email' || field.name === STANDARD_FIELDS.email) &&
      !ZEmailValue.safeParse(value).success
    ) {
      errors[field.name] = ['Not a valid email'];
      continue;
    }
    accepted[field.name] = value;
  }
  if (!accepted.phone && !accepted.email && !accepted.name) {
    errors._ = [...(errors._ ?? []), 'Leave at least a name, a phone or an email'];
  }
  if (Object.keys(errors).length > 0) {
    throw new AppError('submission_invalid', 'The submission has invalid fields', {
      fields: errors,
    });
  }
  return accepted;
}

/**
 * Accepts a form submission: checks values and consents, then writes the contact, the
 * submission, the lead, the consent journal entries and the audit row in one transaction,
 * committed before the answer. A retried key returns the first result and creates nothing.
 */
export async function submitForm(
  deps: SubmissionDeps,
  input: SubmissionInput,
): Promise<SubmissionResult> {
  const orgId = await findPublicFormOrg(deps.db, input.formSlug);
  const ctx: Ctx = {
    db: deps.db,
    keys: deps.keys,
    orgId,
    actor: { type: 'system', label: `form:${input.formSlug}` },
    role: 'front_desk',
    now: deps.now,
    requestId: null,
    route: `POST /f/${input.formSlug}/submit`,
    publicUrl: deps.publicUrl,
  };
  const idempotencyKey = input.idempotencyKey ?? randomUUID();
  const result = await writeSubmission(deps, ctx, input, idempotencyKey);
  // After commit: link the new consent entries into the journal's hash chain (R-C3).
  if (!result.isDuplicate) void scheduleChaining(deps.db, orgId, deps.logger);
  if (!result.isDuplicate && deps.mailer?.isConfigured && deps.logger) {
    const mailDeps = {
      db: deps.db,
      keys: deps.keys,
      mailer: deps.mailer,
      logger: deps.logger,
      now: () => new Date(),
    };
    const logger = deps.logger;
    // After commit and off the answer's path; the sender job retries what fails here.
    void deliverPendingMail(mailDeps, orgId).catch((error: unknown) =>
      logger.warn({ orgId: orgId, errorName: (error as Error).name }, 'mail delivery failed'),
    );
  }
  return result;
}

async function writeSubmission(
  deps: SubmissionDeps,
  ctx: Ctx,
  input: SubmissionInput,
  idempotencyKey: string,
): Promise<SubmissionResult> {
  const { orgId } = ctx;
  try {
    // One transaction from reading the form to the audit row: the documents checked are the
    // ones recorded, and a refusal anywhere stores nothing.
    return await withTx(deps.db, { orgId }, async (tx) => {
      const current = await loadPublicFormSnapshot(tx, orgId, deps.publicUrl, input.formSlug);
      const loaded = current;
      const values = checkValues(current.form.fields, input.values);
      const chosen = checkConsents(current, input.consents);
      const documents = await resolveDocuments(tx, current, chosen);
      const keyring = await orgKeyring(tx, ctx);
      const contact = await captureContact(tx, ctx, keyring, {
        name: values.name,
        phone: values.phone,
        email: values.email,
      });
      const extra = Object.fromEntries(
        Object.entries(values).filter(([name]) => !(name in STANDARD_FIELDS)),
      );
      const submissionId = randomUUID();
      await insertSubmission(tx, {
        id: submissionId,
        orgId: orgId,
        formId: loaded.formId,
        formVersion: current.form.version,
        idempotencyKey,
        contactId: contact.contactId,
        fieldsEnc:
          Object.keys(extra).length > 0
            ? sealField(
                contact.subjectKey,
                JSON.stringify(extra),
                `submissions:${submissionId}:fields`,
              )
            : null,
        attribution: input.attribution,
        at: deps.now,
      });
      const leadId = await createLead(tx, ctx, {
        contactId: contact.contactId,
        submissionId,
        formId: loaded.formId,
        attribution: input.attribution,
      });
      const events: ConsentEventInput[] = documents.map((document) => ({
        event: 'given',
        contactId: contact.contactId,
        purposeId: document.purposeId,
        purposeVersionId: document.purposeVersionId,
        documentId: document.documentId,
        documentSha256: document.sha256,
        channel: 'web_form',
        evidence: {
          ip: input.client.ip,
          userAgent: input.client.userAgent ?? undefined,
          pageUrl: input.client.pageUrl ?? undefined,
        },
        formId: loaded.formId,
        submissionId,
        expiresAt: new Date(deps.now.getTime() + document.retentionDays * 86_400_000),
      }));
      const entryIds = await recordConsentEvents(tx, ctx, contact.subjectKey, events);
      const receipt = await issueSubmissionReceipt(tx, ctx, keyring, current, documents, {
        contactId: contact.contactId,
        submissionId,
      });
      if (values.email) {
        await queueMail(tx, ctx, {
          contactId: contact.contactId,
          subjectKey: contact.subjectKey,
          kind: 'consent_receipt',
          to: values.email,
          subject: `Ваше согласие: ${current.form.operatorName}`,
          text: receiptMailText(
            current,
            documents,
            receipt.url,
            portalLinkUrl(ctx.publicUrl, ctx.keys, {
              orgId,
              contactId: contact.contactId,
              expiresAt: new Date(deps.now.getTime() + PORTAL_LINK_MAIL_TTL_MS),
            }),
          ),
        });
      }
      await recordAudit(tx, ctx, {
        action: 'submission.accepted',
        entityType: 'submission',
        entityId: submissionId,
        details: {
          formId: loaded.formId,
          leadId,
          contactId: contact.contactId,
          isNewContact: contact.isNew,
          consentEntryIds: entryIds,
          purposes: documents.map((document) => document.purposeCode),
        },
      });
      return {
        submissionId,
        leadId,
        isDuplicate: false,
        receiptUrl: receipt.url,
        thankYou: current.form.thankYou,
        redirectUrl: current.form.redirectUrl,
        consents: documents.map((document) => ({
          purposeCode: document.purposeCode,
          documentId: document.documentId,
          documentUrl: `${deps.publicUrl}/d/${document.documentId}`,
        })),
      };
    });
  } catch (error) {
    // A retried key hits the unique index (first sent, or racing): answer with the first one.
    if ((error as { code?: string }).code === '23505' && input.idempotencyKey) {
      return withTx(deps.db, { orgId }, async (tx) => {
        const loaded = await loadPublicFormSnapshot(tx, orgId, deps.publicUrl, input.formSlug);
        const existing = await findSubmissionByKey(tx, loaded.formId, idempotencyKey);
        if (!existing) throw error;
        return duplicateResult(loaded, existing.id, await leadIdOfSubmission(tx, existing.id));
      });
    }
    throw error;
  }
}

function duplicateResult(
  loaded: LoadedPublicForm,
  submissionId: string,
  leadId: string | null,
): SubmissionResult {
  return {
    submissionId,
    leadId: leadId ?? '',
    isDuplicate: true,
    receiptUrl: null,
    thankYou: loaded.form.thankYou,
    redirectUrl: loaded.form.redirectUrl,
    consents: [],
  };
}

type ChosenConsent = { purposeCode: string; documentId: string | null };

/**
 * R-C1: a consent exists only when that purpose's own checkbox arrived checked. A required
 * one missing refuses the whole submission, naming the purposes; a checked box without the
 * document version shown is refused too, since the text consented to must be provable.
 */
function checkConsents(
  loaded: LoadedPublicForm,
  consents: SubmissionInput['consents'],
): ChosenConsent[] {
  const known = new Set(loaded.form.consents.map((consent) => consent.purposeCode));
  const unknown = Object.keys(consents).filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw new AppError('submission_invalid', 'Consents this form does not ask for', {
      fields: Object.fromEntries(unknown.map((code) => [`consent_${code}`, ['Unknown consent']])),
    });
  }
  const missing = loaded.form.consents.filter(
    (consent) => consent.isRequired && !consents[consent.purposeCode]?.isGiven,
  );
  if (missing.length > 0) {
    throw new AppError('consent_required', 'A required consent was not given', {
      details: {
        purposes: missing.map((consent) => ({
          code: consent.purposeCode,
          label: consent.label,
          documentUrl: consent.documentUrl,
        })),
      },
      fields: Object.fromEntries(
        missing.map((consent) => [`consent_${consent.purposeCode}`, ['Consent required']]),
      ),
    });
  }
  const chosen = loaded.form.consents.flatMap((consent) => {
    const given = consents[consent.purposeCode];
    return given?.isGiven
      ? [{ purposeCode: consent.purposeCode, documentId: given.documentId }]
      : [];
  });
  const withoutDocument = chosen.filter((consent) => !consent.documentId);
  if (withoutDocument.length > 0) {
    throw new AppError('submission_invalid', 'Say which consent text was shown', {
      fields: Object.fromEntries(
        withoutDocument.map((consent) => [
          `consent_${consent.purposeCode}_document`,
          ['The document shown is required'],
        ]),
      ),
    });
  }
  return chosen;
}

type ResolvedDocument = {
  purposeCode: string;
  purposeId: string;
  purposeVersionId: string;
  documentId: string;
  sha256: string;
  retentionDays: number;
  title: string;
  kind: string;
  dataCategories: { title: string; isSpecial: boolean }[];
  recipients: { name: string; country: string }[];
};

/** The document the visitor saw must be one of that purpose's consent documents. */
async function resolveDocuments(
  tx: Parameters<typeof findDocumentsOfPurpose>[0],
  current: LoadedPublicForm,
  chosen: readonly ChosenConsent[],
): Promise<ResolvedDocument[]> {
  const resolved: ResolvedDocument[] = [];
  const errors: FieldErrors = {};
  for (const consent of chosen) {
    const active = current.purposes.find(
      (candidate) => candidate.purpose.code === consent.purposeCode,
    );
    if (!active) continue;
    // Nearly always the current document; an older one (a page open across a revision) is looked up.
    const document =
      active.document?.id === consent.documentId
        ? active.document
        : (await findDocumentsOfPurpose(tx, active.purpose.id)).find(
            (candidate) => candidate.id === consent.documentId,
          );
    const version = document
      ? await findVersionOfDocument(tx, active, document.purposeVersionId)
      : null;
    if (!document || !version) {
      errors[`consent_${consent.purposeCode}_document`] = [
        'Not a consent document of this purpose',
      ];
      continue;
    }
    resolved.push({
      purposeCode: consent.purposeCode,
      purposeId: active.purpose.id,
      purposeVersionId: document.purposeVersionId,
      documentId: document.id,
      sha256: document.sha256,
      retentionDays: version.retentionDays,
      title: version.title,
      kind: active.purpose.kind,
      dataCategories: version.dataCategories,
      recipients: version.recipients,
    });
  }
  if (Object.keys(errors).length > 0) {
    throw new AppError('submission_invalid', 'Unknown consent document', { fields: errors });
  }
  return resolved;
}

async function findVersionOfDocument(
  tx: Parameters<typeof findDocumentsOfPurpose>[0],
  active: LoadedPublicForm['purposes'][number],
  purposeVersionId: string,
) {
  if (active.version.id === purposeVersionId) return active.version;
  return findPurposeVersion(tx, purposeVersionId);
}

/** The signed receipt of what the person consented to, from the documents they saw. */
async function issueSubmissionReceipt(
  tx: Parameters<typeof issueReceipt>[0],
  ctx: Ctx,
  keyring: OrgKeyring,
  current: LoadedPublicForm,
  documents: readonly ResolvedDocument[],
  ids: { contactId: string; submissionId: string },
) {
  const profile = current.profile;
  return issueReceipt(tx, ctx, keyring, {
    contactId: ids.contactId,
    submissionId: ids.submissionId,
    collectionMethod: `Веб-форма «${current.form.title}»`,
    service: current.form.title,
    controller: {
      legalName: profile?.legalName ?? '',
      address: profile?.address ?? '',
      responsibleName: profile?.responsibleName ?? '',
      responsibleContacts: profile?.responsibleContacts ?? '',
      // The same policy address the form showed: the operator's own or the generated one.
      policyUrl: current.form.policyUrl,
    },
    purposes: documents.map((document) => ({
      title: document.title,
      kind: document.kind,
      dataCategories: document.dataCategories,
      retentionDays: document.retentionDays,
      recipients: document.recipients,
      documentUrl: `${ctx.publicUrl}/d/${document.documentId}`,
      documentSha256: document.sha256,
    })),
  });
}

function receiptMailText(
  current: LoadedPublicForm,
  documents: readonly ResolvedDocument[],
  url: string,
  portalUrl: string,
): string {
  const lines = [
    'Здравствуйте!',
    '',
    `Вы отправили форму «${current.form.title}» и дали согласия оператору персональных данных ${current.form.operatorName}:`,
    ...documents.map(
      (document) =>
        `— ${document.title}: ${current.form.consents.find((consent) => consent.purposeCode === document.purposeCode)?.documentUrl ?? ''}`,
    ),
    '',
    `Квитанция о согласии (подписана оператором): ${url}`,
    '',
    `Мои данные — что хранится о вас, скачать данные, отозвать согласие, попросить исправить или удалить данные (ссылка действует 14 дней, позже — по ссылке со страницы квитанции): ${portalUrl}`,
    '',
    'Отозвать согласие можно в любой момент: в разделе «Мои данные», ответив на это письмо или связавшись с оператором по контактам из текста согласия.',
  ];
  return lines.join('\n');
}
