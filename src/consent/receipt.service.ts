import { createHmac, randomUUID } from 'node:crypto';
import { type OrgKeyring, signWithOrgKey, verifyOrgSignature } from '../keys/keys.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Keys } from '../platform/crypto.ts';
import { safeEqual } from '../platform/crypto.ts';
import type { Db, Tx } from '../platform/db/db.ts';
import { withTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { findReceipt, insertReceipt, publicReceiptOrgId } from './receipt.repo.ts';

/**
 * A consent receipt for the person, after the Kantara Consent Receipt v1.1 / ISO/IEC 27560
 * fields, signed with the organization's Ed25519 key as a compact JWS (alg EdDSA). It holds
 * no personal data: the person is named by a pseudonymous id.
 */
export type ConsentReceipt = {
  version: 'KI-CR-v1.1.0';
  jurisdiction: 'RU';
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  publicKey: string;
  language: 'ru';
  piiPrincipalId: string;
  piiControllers: {
    piiController: string;
    contact: string;
    address: string;
    phone: string;
    piiControllerUrl: string;
  }[];
  policyUrl: string;
  services: {
    service: string;
    purposes: {
      purpose: string;
      purposeCategory: string[];
      consentType: 'EXPLICIT';
      piiCategory: string[];
      primaryPurpose: boolean;
      termination: string;
      thirdPartyDisclosure: boolean;
      thirdPartyName?: string;
      documentUrl: string;
      documentSha256: string;
    }[];
  }[];
  sensitive: boolean;
  spiCat: string[];
};

export type ReceiptPurpose = {
  title: string;
  kind: string;
  dataCategories: { title: string; isSpecial: boolean }[];
  retentionDays: number;
  recipients: { name: string; country: string }[];
  documentUrl: string;
  documentSha256: string;
};

export type ReceiptInput = {
  contactId: string;
  submissionId: string | null;
  collectionMethod: string;
  service: string;
  controller: {
    legalName: string;
    address: string;
    responsibleName: string;
    responsibleContacts: string;
    policyUrl: string;
  };
  purposes: ReceiptPurpose[];
};

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

export function receiptToken(keys: Keys, receiptId: string): string {
  const mac = createHmac('sha256', keys.indexKey)
    .update(`receipt\u0000${receiptId}`)
    .digest('base64url')
    .slice(0, 32);
  return `${receiptId}.${mac}`;
}

export function receiptUrl(publicUrl: string, keys: Keys, receiptId: string): string {
  return `${publicUrl}/r/${receiptToken(keys, receiptId)}`;
}

/** Builds, signs and stores the receipt in the caller's transaction. */
export async function issueReceipt(
  tx: Tx,
  ctx: Ctx,
  keyring: OrgKeyring,
  input: ReceiptInput,
): Promise<{ id: string; url: string }> {
  const id = randomUUID();
  const payload: ConsentReceipt = {
    version: 'KI-CR-v1.1.0',
    jurisdiction: 'RU',
    consentTimestamp: Math.floor(ctx.now.getTime() / 1000),
    collectionMethod: input.collectionMethod,
    consentReceiptID: id,
    publicKey: keyring.signingPublicKey.toString('base64'),
    language: 'ru',
    piiPrincipalId: input.contactId,
    piiControllers: [
      {
        piiController: input.controller.legalName,
        contact: input.controller.responsibleName,
        address: input.controller.address,
        phone: input.controller.responsibleContacts,
        piiControllerUrl: input.controller.policyUrl,
      },
    ],
    policyUrl: input.controller.policyUrl,
    services: [
      {
        service: input.service,
        purposes: input.purposes.map((purpose) => ({
          purpose: purpose.title,
          purposeCategory: [purpose.kind],
          consentType: 'EXPLICIT',
          piiCategory: purpose.dataCategories.map((category) => category.title),
          primaryPurpose: purpose.kind === 'processing',
          termination: `${purpose.retentionDays} дн. с момента согласия или до его отзыва`,
          thirdPartyDisclosure: purpose.recipients.length > 0,
          ...(purpose.recipients.length > 0
            ? {
                thirdPartyName: purpose.recipients
                  .map((recipient) => `${recipient.name} (${recipient.country})`)
                  .join('; '),
              }
            : {}),
          documentUrl: purpose.documentUrl,
          documentSha256: purpose.documentSha256,
        })),
      },
    ],
    sensitive: input.purposes.some((purpose) =>
      purpose.dataCategories.some((category) => category.isSpecial),
    ),
    spiCat: input.purposes.flatMap((purpose) =>
      purpose.dataCategories
        .filter((category) => category.isSpecial)
        .map((category) => category.title),
    ),
  };
  const signingInput = `${base64url(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  const jws = `${signingInput}.${base64url(signWithOrgKey(keyring, signingInput))}`;
  await insertReceipt(tx, {
    id,
    orgId: ctx.orgId,
    submissionId: input.submissionId,
    contactId: input.contactId,
    jws,
    at: ctx.now,
  });
  return { id, url: receiptUrl(ctx.publicUrl, ctx.keys, id) };
}

/** Decodes and checks a receipt's signature against the public key it carries. */
export function readReceipt(jws: string): { receipt: ConsentReceipt; isSignatureValid: boolean } {
  const [header = '', payload = '', signature = ''] = jws.split('.');
  const receipt = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ConsentReceipt;
  const isSignatureValid = verifyOrgSignature(
    Buffer.from(receipt.publicKey, 'base64'),
    `${header}.${payload}`,
    Buffer.from(signature, 'base64url'),
  );
  return { receipt, isSignatureValid };
}

/** A receipt by its unguessable public token (no login: it was handed to the person). */
export async function getPublicReceipt(db: Db, keys: Keys, token: string) {
  const [id = '', mac = ''] = token.split('.');
  if (!/^[0-9a-f-]{36}$/.test(id) || !safeEqual(receiptToken(keys, id), `${id}.${mac}`)) {
    throw new AppError('not_found', 'No such receipt');
  }
  const orgId = await withTx(db, { orgId: null }, (tx) => publicReceiptOrgId(tx, id));
  if (!orgId) throw new AppError('not_found', 'No such receipt');
  const stored = await withTx(db, { orgId }, (tx) => findReceipt(tx, id));
  if (!stored) throw new AppError('not_found', 'No such receipt');
  return { ...readReceipt(stored.jws), jws: stored.jws, createdAt: stored.createdAt, orgId };
}
