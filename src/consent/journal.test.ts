import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChainedRecord, CheckpointRecord, JournalRecord } from './consent.repo.ts';
import {
  checkpointMessage,
  contentHash,
  GENESIS_HASH,
  type JournalContent,
  linkHash,
} from './journal-hash.ts';
import { csvCell, escapeHtml } from './journal-render.ts';
import { ChainWalk, checkCheckpoints, contentOfRecord, earlierBreak } from './journal-verify.ts';

const CONTENT: JournalContent = {
  id: '00000000-0000-4000-8000-000000000001',
  orgId: '00000000-0000-4000-8000-0000000000aa',
  event: 'given',
  contactId: '00000000-0000-4000-8000-0000000000c1',
  purposeId: '00000000-0000-4000-8000-0000000000b1',
  purposeVersionId: '00000000-0000-4000-8000-0000000000b2',
  documentId: '00000000-0000-4000-8000-0000000000d1',
  documentSha256: 'a'.repeat(64),
  channel: 'web_form',
  evidenceSha256: 'e'.repeat(64),
  formId: null,
  submissionId: null,
  actorUserId: null,
  expiresAt: '2027-03-02T09:00:00.000Z',
  at: '2026-03-02T09:00:00.000Z',
};

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('content hash', () => {
  it('is SHA-256 of the canonical JSON array of the fields in fixed order', () => {
    // Pinned: a change of canonical form would silently orphan every stored hash.
    const canonical = JSON.stringify([
      CONTENT.id,
      CONTENT.orgId,
      'given',
      CONTENT.contactId,
      CONTENT.purposeId,
      CONTENT.purposeVersionId,
      CONTENT.documentId,
      CONTENT.documentSha256,
      'web_form',
      CONTENT.evidenceSha256,
      null,
      null,
      null,
      CONTENT.expiresAt,
      CONTENT.at,
    ]);
    expect(contentHash(CONTENT)).toBe(sha256(canonical));
  });

  it('does not depend on the order the object was built in', () => {
    const reversed = Object.fromEntries(Object.entries(CONTENT).reverse()) as JournalContent;
    expect(contentHash(reversed)).toBe(contentHash(CONTENT));
  });

  it('changes with any single field, including the evidence ciphertext hash and the time', () => {
    const base = contentHash(CONTENT);
    const changes: Partial<JournalContent>[] = [
      { channel: 'phone' },
      { event: 'withdrawn' },
      { at: '2026-03-02T09:00:00.001Z' },
      { evidenceSha256: 'f'.repeat(64) },
      { evidenceSha256: null },
      { documentSha256: 'b'.repeat(64) },
      { actorUserId: '00000000-0000-4000-8000-0000000000e1' },
    ];
    for (const change of changes) {
      expect(contentHash({ ...CONTENT, ...change })).not.toBe(base);
    }
  });

  it('keeps null and the string "null" apart', () => {
    expect(contentHash({ ...CONTENT, formId: 'null' })).not.toBe(contentHash(CONTENT));
  });
});

describe('link hash', () => {
  it('is SHA-256 of prev_hash, content hash and entry id as concatenated hex text', () => {
    const content = 'c'.repeat(64);
    expect(linkHash(GENESIS_HASH, content, CONTENT.id)).toBe(
      sha256(`${'0'.repeat(64)}${content}${CONTENT.id}`),
    );
  });

  it('depends on every input', () => {
    const base = linkHash(GENESIS_HASH, 'c'.repeat(64), CONTENT.id);
    expect(linkHash('1'.repeat(64), 'c'.repeat(64), CONTENT.id)).not.toBe(base);
    expect(linkHash(GENESIS_HASH, 'd'.repeat(64), CONTENT.id)).not.toBe(base);
    expect(linkHash(GENESIS_HASH, 'c'.repeat(64), CONTENT.orgId)).not.toBe(base);
  });
});

function record(index: number, overrides: Partial<JournalRecord> = {}): JournalRecord {
  const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  const entry: JournalRecord = {
    id,
    seq: index,
    orgId: CONTENT.orgId,
    event: 'given',
    contactId: CONTENT.contactId,
    purposeId: CONTENT.purposeId,
    purposeVersionId: CONTENT.purposeVersionId,
    documentId: CONTENT.documentId,
    documentSha256: sha256('document text'),
    channel: 'web_form',
    evidenceEnc: Buffer.from(`sealed-${index}`),
    formId: null,
    submissionId: null,
    actorUserId: null,
    expiresAt: null,
    at: new Date(Date.UTC(2026, 2, 2, 9, 0, index)),
    contentSha256: '',
  };
  entry.contentSha256 = contentHash(contentOfRecord(entry));
  return { ...entry, ...overrides };
}

function chainOf(entries: JournalRecord[]): ChainedRecord[] {
  let prevHash = GENESIS_HASH;
  return entries.map((entry, index) => {
    const link = linkHash(prevHash, entry.contentSha256, entry.id);
    const chained = { position: index + 1, entryId: entry.id, prevHash, linkHash: link, entry };
    prevHash = link;
    return chained;
  });
}

const DOCUMENTS = new Map([[CONTENT.documentId ?? '', sha256('document text')]]);

function walk(chain: ChainedRecord[], watch: number[] = []): ChainWalk {
  const walker = new ChainWalk({ watchPositions: new Set(watch), documentHashes: DOCUMENTS });
  walker.add(chain.slice(0, 2));
  walker.add(chain.slice(2));
  return walker;
}

describe('chain walk', () => {
  const entries = [1, 2, 3, 4, 5].map((index) => record(index));

  it('accepts an untouched chain fed in batches', () => {
    const walker = walk(chainOf(entries));
    expect(walker.firstBreak).toBeNull();
    expect(walker.entries).toBe(5);
    expect(walker.head?.position).toBe(5);
  });

  it('reports an edited row as the first broken entry, once', () => {
    const chain = chainOf(entries);
    const third = chain[2];
    if (!third?.entry) throw new Error('fixture');
    third.entry = { ...third.entry, channel: 'phone' };
    const walker = walk(chain);
    expect(walker.firstBreak).toEqual({
      entryId: entries[2]?.id,
      position: 3,
      reason: 'content_hash_mismatch',
    });
    expect(walker.entries).toBe(5);
  });

  it('reports a row whose content hash was rewritten to match as a broken link', () => {
    const chain = chainOf(entries);
    const second = chain[1];
    if (!second?.entry) throw new Error('fixture');
    const edited = { ...second.entry, at: new Date('2026-01-01T00:00:00Z') };
    second.entry = { ...edited, contentSha256: contentHash(contentOfRecord(edited)) };
    expect(walk(chain).firstBreak).toMatchObject({ position: 2, reason: 'link_hash_mismatch' });
  });

  it('reports a removed link and a reordered chain', () => {
    const chain = chainOf(entries);
    expect(walk([...chain.slice(0, 1), ...chain.slice(2)]).firstBreak).toEqual({
      entryId: null,
      position: 2,
      reason: 'position_missing',
    });
    const swapped = chainOf(entries);
    const [first, second] = swapped;
    if (!first || !second) throw new Error('fixture');
    const reordered = [{ ...second, position: 1 }, { ...first, position: 2 }, ...swapped.slice(2)];
    expect(walk(reordered).firstBreak).toMatchObject({
      position: 1,
      reason: 'prev_hash_mismatch',
    });
  });

  it('reports a consent document whose text no longer has the recorded hash', () => {
    const chain = chainOf([record(1), record(2, { documentSha256: sha256('other text') })]);
    const second = chain[1];
    if (second?.entry) second.entry.contentSha256 = contentHash(contentOfRecord(second.entry));
    const rechained = chainOf(chain.flatMap((item) => (item.entry ? [item.entry] : [])));
    expect(walk(rechained).firstBreak).toMatchObject({
      position: 2,
      reason: 'document_hash_mismatch',
    });
  });
});

describe('checkpoints', () => {
  const pair = generateKeyPairSync('ed25519');
  const publicKeyDer = pair.publicKey.export({ format: 'der', type: 'spki' });
  const entries = [1, 2, 3].map((index) => record(index));
  const chain = chainOf(entries);

  function signed(position: number, overrides: Partial<CheckpointRecord> = {}): CheckpointRecord {
    const link = chain[position - 1]?.linkHash ?? '';
    const signedAt = new Date('2026-03-03T00:00:00.000Z');
    const message = checkpointMessage({
      orgId: CONTENT.orgId,
      position,
      linkHash: overrides.linkHash ?? link,
      signedAt: signedAt.toISOString(),
    });
    return {
      id: position,
      position,
      linkHash: link,
      signedAt,
      signature: sign(null, Buffer.from(message), pair.privateKey),
      ...overrides,
    };
  }

  function check(checkpoints: CheckpointRecord[]) {
    return checkCheckpoints({
      orgId: CONTENT.orgId,
      checkpoints,
      walk: walk(chain, [1, 2, 3]),
      publicKeyDer,
    });
  }

  it('accepts checkpoints signed over the chain’s links', () => {
    expect(check([signed(2), signed(3)])).toBeNull();
  });

  it('names the checkpoint whose signature was forged', () => {
    const forged = signed(2, { signature: Buffer.alloc(64, 1) });
    expect(check([signed(3), forged])).toEqual({
      entryId: entries[1]?.id,
      position: 2,
      reason: 'checkpoint_signature_invalid',
    });
  });

  it('names a checkpoint whose link the chain no longer has, or that lies beyond its end', () => {
    const rewritten = signed(2, { linkHash: 'f'.repeat(64) });
    expect(check([rewritten])).toMatchObject({ position: 2, reason: 'checkpoint_link_mismatch' });
    expect(check([signed(3, { position: 7 })])).toMatchObject({
      position: 7,
      reason: 'checkpoint_beyond_chain',
    });
  });

  it('signs a message anyone can rebuild from the checkpoint’s fields', () => {
    expect(
      checkpointMessage({
        orgId: 'org',
        position: 12,
        linkHash: 'ab',
        signedAt: '2026-03-03T00:00:00.000Z',
      }),
    ).toBe(
      'soglasie-consent-checkpoint/v1\norg_id=org\nposition=12\nlink_hash=ab\nsigned_at=2026-03-03T00:00:00.000Z',
    );
  });

  it('prefers the lower position, and the chain’s own break on a tie', () => {
    const chainBreak = { entryId: 'a', position: 5, reason: 'content_hash_mismatch' as const };
    const checkpointBreak = {
      entryId: 'b',
      position: 5,
      reason: 'checkpoint_signature_invalid' as const,
    };
    expect(earlierBreak(chainBreak, checkpointBreak)).toBe(chainBreak);
    expect(earlierBreak(chainBreak, { ...checkpointBreak, position: 4 })).toMatchObject({
      position: 4,
    });
    expect(earlierBreak(null, null)).toBeNull();
  });
});

describe('export cells', () => {
  it('quotes separators and quotes, and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(-3)).toBe('-3');
  });

  it('escapes HTML', () => {
    expect(escapeHtml('<script>"x" & \'y\'</script>')).toBe(
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;',
    );
  });
});
