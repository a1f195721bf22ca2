import { verifyOrgSignature } from '../keys/keys.service.ts';
import type { ChainedRecord, CheckpointRecord, JournalRecord } from './consent.repo.ts';
import {
  checkpointMessage,
  contentHash,
  GENESIS_HASH,
  type JournalContent,
  linkHash,
  sha256Bytes,
} from './journal-hash.ts';

/** Why verification stopped trusting the journal at a position. */
export type BreakReason =
  /** A chain position is missing: a link was removed. */
  | 'position_missing'
  /** A link does not start from the previous link: links were reordered or replaced. */
  | 'prev_hash_mismatch'
  /** A chained entry's row is gone. */
  | 'entry_missing'
  /** The entry's row no longer hashes to its stored content hash: the row was edited. */
  | 'content_hash_mismatch'
  /** The stored link does not follow from the entry: its content hash or id was replaced. */
  | 'link_hash_mismatch'
  /** The consent document the entry refers to no longer has the hash the entry recorded. */
  | 'document_hash_mismatch'
  /** A signed checkpoint names a link the chain no longer has. */
  | 'checkpoint_link_mismatch'
  /** A checkpoint's signature does not verify with the organization's public key. */
  | 'checkpoint_signature_invalid'
  /** A checkpoint names a position beyond the chain's end: links were removed. */
  | 'checkpoint_beyond_chain';

export type JournalBreak = { entryId: string | null; position: number; reason: BreakReason };

/** The canonical content of a stored row, as its content hash covers it. */
export function contentOfRecord(entry: JournalRecord): JournalContent {
  return {
    id: entry.id,
    orgId: entry.orgId,
    event: entry.event,
    contactId: entry.contactId,
    purposeId: entry.purposeId,
    purposeVersionId: entry.purposeVersionId,
    documentId: entry.documentId,
    documentSha256: entry.documentSha256,
    channel: entry.channel,
    evidenceSha256: sha256Bytes(entry.evidenceEnc),
    formId: entry.formId,
    submissionId: entry.submissionId,
    actorUserId: entry.actorUserId,
    expiresAt: entry.expiresAt?.toISOString() ?? null,
    at: entry.at.toISOString(),
  };
}

/**
 * Walks the chain in position order, fed in batches, recomputing every entry's content hash
 * and every link. After a break it goes on from the stored link, so one edit is reported
 * once and the walk still counts every entry.
 */
export class ChainWalk {
  entries = 0;
  firstBreak: JournalBreak | null = null;
  head: { position: number; linkHash: string; entryId: string } | null = null;
  /** Stored links at the positions checkpoints name. */
  readonly watched = new Map<number, { linkHash: string; entryId: string }>();
  private expectedPosition = 1;
  private prevHash = GENESIS_HASH;

  constructor(
    private readonly options: {
      watchPositions: ReadonlySet<number>;
      /** SHA-256 of each consent document's current text, by document id. */
      documentHashes: ReadonlyMap<string, string>;
    },
  ) {}

  add(records: readonly ChainedRecord[]): void {
    for (const record of records) this.check(record);
  }

  private check(record: ChainedRecord): void {
    this.entries += 1;
    if (record.position !== this.expectedPosition) {
      this.report({ entryId: null, position: this.expectedPosition, reason: 'position_missing' });
    } else {
      const reason = this.problemOf(record);
      if (reason) this.report({ entryId: record.entryId, position: record.position, reason });
    }
    if (this.options.watchPositions.has(record.position)) {
      this.watched.set(record.position, { linkHash: record.linkHash, entryId: record.entryId });
    }
    this.head = { position: record.position, linkHash: record.linkHash, entryId: record.entryId };
    this.prevHash = record.linkHash;
    this.expectedPosition = record.position + 1;
  }

  private problemOf(record: ChainedRecord): BreakReason | null {
    if (record.prevHash !== this.prevHash) return 'prev_hash_mismatch';
    const entry = record.entry;
    if (!entry) return 'entry_missing';
    if (contentHash(contentOfRecord(entry)) !== entry.contentSha256) return 'content_hash_mismatch';
    if (linkHash(record.prevHash, entry.contentSha256, record.entryId) !== record.linkHash) {
      return 'link_hash_mismatch';
    }
    if (
      entry.documentId &&
      this.options.documentHashes.get(entry.documentId) !== entry.documentSha256
    ) {
      return 'document_hash_mismatch';
    }
    return null;
  }

  private report(found: JournalBreak): void {
    this.firstBreak ??= found;
  }
}

/**
 * Checks each signed checkpoint against the walked chain: the link it names must still be the
 * chain's link at that position, and the signature must verify with the organization's key.
 * Returns the problem at the lowest position.
 */
export function checkCheckpoints(input: {
  orgId: string;
  checkpoints: readonly CheckpointRecord[];
  walk: ChainWalk;
  publicKeyDer: Buffer | null;
}): JournalBreak | null {
  const headPosition = input.walk.head?.position ?? 0;
  for (const checkpoint of [...input.checkpoints].sort((a, b) => a.position - b.position)) {
    const stored = input.walk.watched.get(checkpoint.position);
    const entryId = stored?.entryId ?? null;
    if (checkpoint.position > headPosition || !stored) {
      return { entryId, position: checkpoint.position, reason: 'checkpoint_beyond_chain' };
    }
    if (stored.linkHash !== checkpoint.linkHash) {
      return { entryId, position: checkpoint.position, reason: 'checkpoint_link_mismatch' };
    }
    if (!isCheckpointSigned(input.orgId, checkpoint, input.publicKeyDer)) {
      return { entryId, position: checkpoint.position, reason: 'checkpoint_signature_invalid' };
    }
  }
  return null;
}

export function isCheckpointSigned(
  orgId: string,
  checkpoint: Pick<CheckpointRecord, 'position' | 'linkHash' | 'signedAt' | 'signature'>,
  publicKeyDer: Buffer | null,
): boolean {
  if (!publicKeyDer) return false;
  const message = checkpointMessage({
    orgId,
    position: checkpoint.position,
    linkHash: checkpoint.linkHash,
    signedAt: checkpoint.signedAt.toISOString(),
  });
  try {
    return verifyOrgSignature(publicKeyDer, message, checkpoint.signature);
  } catch {
    // A malformed signature is as good as a wrong one.
    return false;
  }
}

/** The earlier of two breaks; on the same position the chain's own break comes first. */
export function earlierBreak(
  chain: JournalBreak | null,
  checkpoint: JournalBreak | null,
): JournalBreak | null {
  if (!chain) return checkpoint;
  if (!checkpoint) return chain;
  return checkpoint.position < chain.position ? checkpoint : chain;
}

/** A sentence for people (CLI, printable export), in English for logs and the CLI. */
export function describeBreak(found: JournalBreak): string {
  const entry = found.entryId ? `entry ${found.entryId}` : 'no entry';
  const what: Record<BreakReason, string> = {
    position_missing: 'the chain position is missing (a link was removed)',
    prev_hash_mismatch: 'the link does not continue the previous one (links were replaced)',
    entry_missing: 'the chained entry row is gone',
    content_hash_mismatch: 'the entry was changed after it was recorded',
    link_hash_mismatch: "the link does not match the entry's content hash",
    document_hash_mismatch: 'the consent document no longer matches the hash the entry recorded',
    checkpoint_link_mismatch: 'a signed checkpoint names a different link at this position',
    checkpoint_signature_invalid: "a checkpoint's signature does not verify",
    checkpoint_beyond_chain: 'a signed checkpoint names a position the chain no longer reaches',
  };
  return `position ${found.position}, ${entry}: ${what[found.reason]} (${found.reason})`;
}
