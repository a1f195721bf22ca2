import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import type { Ctx } from '../platform/context.ts';
import { decrypt, encrypt, type Keys } from '../platform/crypto.ts';
import type { Db, Tx } from '../platform/db/db.ts';
import type { KeyStore } from '../platform/keystore.ts';
import {
  deleteLegacySubjectKeys,
  findErasedContacts,
  findLegacySubjectKeys,
  findOrgKeys,
  insertOrgKeys,
} from './keys.repo.ts';

/**
 * Envelope encryption of personal data: master key (environment) → organization key →
 * per-subject key → AES-256-GCM fields. Destroying a subject's key shreds its data everywhere,
 * backups included (152-FZ Art. 21 p.6, R-D5).
 */
export type OrgKeyring = {
  orgId: string;
  key: Buffer;
  signingPublicKey: Buffer;
  signingPrivateKey: KeyObject;
  /** The key store holding this organization's subject keys, apart from the data. */
  subjectKeyStore: KeyStore;
};

// Organization keys never change once stored: unwrapped ones are kept per master key.
const keyringCache = new WeakMap<Keys, Map<string, OrgKeyring>>();

type KeyCtx = { keys: Keys; orgId: string };

function wrapAad(orgId: string): string {
  return `org-key:${orgId}`;
}

/** The organization's keyring, created on first use. */
export async function orgKeyring(tx: Tx, ctx: KeyCtx): Promise<OrgKeyring> {
  const cached = keyringCache.get(ctx.keys)?.get(ctx.orgId);
  if (cached) return cached;
  let stored = await findOrgKeys(tx, ctx.orgId);
  // Keys made in this transaction may still roll back: only committed ones are cached.
  const isFresh = !stored;
  if (!stored) {
    const key = randomBytes(32);
    const pair = generateKeyPairSync('ed25519');
    const privateDer = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    await insertOrgKeys(tx, ctx.orgId, {
      wrappedKey: encrypt(ctx.keys.dataKey, key.toString('base64'), wrapAad(ctx.orgId)),
      signingPublicKey: pair.publicKey.export({ format: 'der', type: 'spki' }),
      signingPrivateEnc: encrypt(key, privateDer.toString('base64'), `signing:${ctx.orgId}`),
    });
    stored = await findOrgKeys(tx, ctx.orgId);
    if (!stored) throw new Error('Organization keys were not stored');
  }
  const key = Buffer.from(
    decrypt(ctx.keys.dataKey, stored.wrappedKey, wrapAad(ctx.orgId)),
    'base64',
  );
  const keyring: OrgKeyring = {
    orgId: ctx.orgId,
    subjectKeyStore: ctx.keys.subjectKeyStore,
    key,
    signingPublicKey: Buffer.from(stored.signingPublicKey),
    signingPrivateKey: createPrivateKey({
      key: Buffer.from(decrypt(key, stored.signingPrivateEnc, `signing:${ctx.orgId}`), 'base64'),
      format: 'der',
      type: 'pkcs8',
    }),
  };
  if (!isFresh) {
    const perMaster = keyringCache.get(ctx.keys) ?? new Map<string, OrgKeyring>();
    perMaster.set(ctx.orgId, keyring);
    keyringCache.set(ctx.keys, perMaster);
  }
  return keyring;
}

/**
 * A new subject's data key, stored wrapped by the organization key in the key store. It is
 * durable there before the caller's transaction commits data sealed under it; a transaction
 * that rolls back leaves an unused key behind, which seals nothing.
 */
export async function createSubjectKey(
  _tx: Tx,
  keyring: OrgKeyring,
  subjectId: string,
): Promise<Buffer> {
  const key = randomBytes(32);
  await keyring.subjectKeyStore.put(
    keyring.orgId,
    subjectId,
    encrypt(keyring.key, key.toString('base64'), `subject-key:${subjectId}`),
  );
  return key;
}

/** Subject keys by subject id; a destroyed (shredded) subject maps to null. */
export async function subjectKeys(
  _tx: Tx,
  keyring: OrgKeyring,
  subjectIds: readonly string[],
): Promise<Map<string, Buffer | null>> {
  const wrapped = await keyring.subjectKeyStore.get(keyring.orgId, subjectIds);
  const result = new Map<string, Buffer | null>();
  for (const [subjectId, sealed] of wrapped) {
    result.set(
      subjectId,
      sealed
        ? Buffer.from(decrypt(keyring.key, sealed, `subject-key:${subjectId}`), 'base64')
        : null,
    );
  }
  return result;
}

/**
 * Crypto-shredding: the subject's data stays in rows and backups, unreadable for ever. The
 * key store commits at once, whatever becomes of the caller's transaction: a destruction is
 * never undone.
 */
export async function destroySubjectKey(ctx: Ctx, subjectId: string): Promise<boolean> {
  return ctx.keys.subjectKeyStore.destroy(ctx.orgId, subjectId, ctx.now);
}

/**
 * Moves subject keys kept by earlier versions in the data database into the key store, then
 * deletes them there, so data backups taken from now on hold no subject key. Runs at start.
 */
export async function moveLegacySubjectKeys(db: Db, keys: Keys): Promise<number> {
  let moved = 0;
  for (;;) {
    const rows = await findLegacySubjectKeys(db, 1000);
    if (rows.length === 0) return moved;
    await keys.subjectKeyStore.putMany(rows);
    await deleteLegacySubjectKeys(
      db,
      rows.map((row) => row.subjectId),
    );
    moved += rows.length;
  }
}

/** Encrypts one field of a subject, bound to its record and column. */
export function sealField(subjectKey: Buffer, value: string, binding: string): Buffer {
  return encrypt(subjectKey, value, binding);
}

export function openField(subjectKey: Buffer, sealed: Uint8Array, binding: string): string {
  return decrypt(subjectKey, sealed, binding);
}

export function signWithOrgKey(keyring: OrgKeyring, message: Buffer | string): Buffer {
  return sign(null, Buffer.from(message), keyring.signingPrivateKey);
}

export function verifyOrgSignature(
  publicKeyDer: Buffer,
  message: Buffer | string,
  signature: Uint8Array,
): boolean {
  const publicKey = createPublicKey({ key: publicKeyDer, format: 'der', type: 'spki' });
  return verify(null, Buffer.from(message), publicKey, signature);
}

/**
 * Destroys again the key of every subject the data records as erased: after a key store was
 * restored from a backup older than some erasures, those keys are back; this runs at every
 * start, before anything is served. Returns how many keys it destroyed.
 */
export async function reshredErasedSubjects(db: Db, keys: Keys, now: Date): Promise<number> {
  let destroyed = 0;
  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const erased = await findErasedContacts(db, afterId, 1000);
    const last = erased.at(-1);
    if (!last) return destroyed;
    const byOrg = new Map<string, typeof erased>();
    for (const row of erased) byOrg.set(row.orgId, [...(byOrg.get(row.orgId) ?? []), row]);
    for (const [orgId, rows] of byOrg) {
      const stored = await keys.subjectKeyStore.get(
        orgId,
        rows.map((row) => row.contactId),
      );
      for (const [subjectId, wrapped] of stored) {
        if (wrapped && (await keys.subjectKeyStore.destroy(orgId, subjectId, now))) destroyed += 1;
      }
    }
    afterId = last.contactId;
  }
}
