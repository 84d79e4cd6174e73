/**
 * Issue 13, finding 1: a Signer (custom, HSM, remote) that returns a wrong 64-byte signature must not get its entry
 * committed. Before the fix, append checked only the length: the entry landed, the next checkpoint signed over it,
 * and verify reported BAD_SIGNATURE forever. Every case goes through the public API (append, appendBatch, checkpoint,
 * verify) with real Ed25519 keys.
 */
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { nodeSuite } from '../../src/crypto/node';
import type { Signer } from '../../src/crypto/types';
import { CryptoError } from '../../src/errors';
import { ENTRY_CONTEXT, Ledger, decodeSignedEntry } from '../../src/ledger';
import { checkPlacement, placementCounts } from '../../src/ledger/check-placement';
import { noteBody, stepClock, testSigner, noteLedger } from './helpers';

const root = testSigner(0);
const officer = testSigner(1);
const stranger = testSigner(9);

async function newLedger() {
  return noteLedger(new MemoryLevel<Uint8Array, Uint8Array>(), 'test.example/faulty-signer', root, officer);
}

/** The officer's identity, with a sign() that misbehaves on the calls `when` picks (1-based count, retries included). */
function faulty(
  wrong: (message: Uint8Array) => Promise<Uint8Array>,
  when: (call: number) => boolean,
): Signer {
  let calls = 0;
  return {
    suite: officer.suite,
    keyId: officer.keyId,
    publicKey: officer.publicKey,
    sign: (m) => (when(++calls) ? wrong(m) : officer.sign(m)),
  };
}

const zeros = async () => new Uint8Array(64);
/** A genuine signature by the right key, over another message (the entry with one byte changed). */
const otherMessage = async (m: Uint8Array) => {
  const other = m.slice();
  other[other.length - 1]! ^= 1;
  return officer.sign(other);
};
/** A genuine signature of the right message, by another key. */
const otherKey = (m: Uint8Array) => stranger.sign(m);
/** The right signature with one bit of S flipped. */
const flippedBit = async (m: Uint8Array) => {
  const s = await officer.sign(m);
  s[40]! ^= 0x10;
  return s;
};

function contains(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(needle);
}

async function bodiesFrom(ledger: Ledger, from: number): Promise<number[]> {
  const out: number[] = [];
  for await (const e of ledger.entries({ from })) out.push((e.body as { n: number }).n);
  return out;
}

describe('append checks every signature before the batch commits', () => {
  for (const [name, wrong] of [
    ['64 zero bytes', zeros],
    ['a signature over another message', otherMessage],
    ['a signature by another key', otherKey],
    ['a signature with one bit flipped', flippedBit],
  ] as const) {
    it(`refuses ${name} with CRYPTO_SIGNER_FAILED, writes nothing, and the log still verifies and checkpoints`, async () => {
      const ledger = await newLedger();
      const size = ledger.size;
      const root0 = await ledger.root();
      const err = await ledger
        .append(
          { kind: 'test/note', body: noteBody(1) },
          faulty(wrong, () => true),
        )
        .catch((e) => e);
      expect(err).toBeInstanceOf(CryptoError);
      expect(err.code).toBe('CRYPTO_SIGNER_FAILED');
      expect(ledger.size).toBe(size);
      expect(await ledger.root()).toEqual(root0);
      await expect(ledger.get(size)).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
      // The log goes on: a good append takes the refused entry's seq, a checkpoint signs, and everything verifies.
      const r = await ledger.append({ kind: 'test/note', body: noteBody(2) }, officer);
      expect(r.seq).toBe(size);
      await ledger.checkpoint();
      const report = await ledger.verify();
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    });
  }

  it('in a group commit, only the entry with the bad signature is refused; the others land, in order', async () => {
    const ledger = await newLedger();
    const size = ledger.size;
    // Entries 1 (zeros), 3 (another message) and 5 (throws) are signed wrongly; the rest get real signatures.
    const bad: Signer = {
      ...officer,
      sign: (m) => {
        if (contains(m, 'WRONG-zeros')) return zeros();
        if (contains(m, 'WRONG-other')) return otherMessage(m);
        if (contains(m, 'WRONG-throws')) return Promise.reject(new Error('token removed'));
        return officer.sign(m);
      },
    };
    const topics = ['ok', 'WRONG-zeros', 'ok', 'WRONG-other', 'ok', 'WRONG-throws', 'ok', 'ok'];
    const settled = await Promise.allSettled(
      topics.map((t, i) => ledger.append({ kind: 'test/note', body: noteBody(i, t) }, bad)),
    );
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    for (const i of [1, 3, 5])
      expect((settled[i] as PromiseRejectedResult).reason).toMatchObject({ code: 'CRYPTO_SIGNER_FAILED' });
    expect((settled[5] as PromiseRejectedResult).reason.message).toMatch(/token removed/);
    // The accepted ones got consecutive seqs in call order.
    const seqs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.seq] : []));
    expect(seqs).toEqual([size, size + 1, size + 2, size + 3, size + 4]);
    expect(await bodiesFrom(ledger, size)).toEqual([0, 2, 4, 6, 7]);
    // Every stored signature is the officer's, over its own entry.
    for await (const e of ledger.entries({ from: size })) {
      const { entryBytes, signature } = decodeSignedEntry(e.bytes);
      const msg = new Uint8Array([...ENTRY_CONTEXT, ...entryBytes]);
      expect(nodeSuite.verify(officer.publicKey, msg, signature)).toBe(true);
    }
    await ledger.checkpoint();
    expect((await ledger.verify()).problems).toEqual([]);
  });

  for (const mode of ['workers', 'here'] as const)
    it(`in a large group commit (checks placed: ${mode}), exactly the wrongly signed entries are refused`, async () => {
      const was = checkPlacement.mode;
      const before = { ...placementCounts };
      checkPlacement.mode = mode;
      try {
        await largeGroup();
      } finally {
        checkPlacement.mode = was;
      }
      // The chunk of 100 went where it was placed.
      expect(placementCounts[mode]).toBeGreaterThan(before[mode]);
    });

  async function largeGroup() {
    const ledger = await newLedger();
    await ledger.append({ kind: 'test/note', body: noteBody(0) }, officer); // the next group collects every caller
    const size = ledger.size;
    const wrong = new Set([3, 40, 41, 77, 99]);
    const bad: Signer = {
      ...officer,
      sign: (m) => (contains(m, 'WRONG') ? otherMessage(m) : officer.sign(m)),
    };
    const settled = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        ledger.append({ kind: 'test/note', body: noteBody(i, wrong.has(i) ? 'WRONG' : 'ok') }, bad),
      ),
    );
    const refused = settled.flatMap((s, i) => (s.status === 'rejected' ? [i] : []));
    expect(refused).toEqual([...wrong]);
    for (const i of refused)
      expect((settled[i] as PromiseRejectedResult).reason).toMatchObject({ code: 'CRYPTO_SIGNER_FAILED' });
    expect(ledger.size).toBe(size + 95);
    expect(await bodiesFrom(ledger, size)).toEqual(
      Array.from({ length: 100 }, (_, i) => i).filter((i) => !wrong.has(i)),
    );
    expect((await ledger.verify()).problems).toEqual([]);
  }

  it('appendBatch with one bad signature among 300 entries is refused whole; a concurrent append still lands', async () => {
    const ledger = await newLedger();
    const size = ledger.size;
    // The 200th signature of the batch is wrong: signatures are requested in chunks while later entries are built.
    const bad = faulty(otherMessage, (c) => c === 200);
    const batch = ledger.appendBatch(
      Array.from({ length: 300 }, (_, i) => ({ kind: 'test/note', body: noteBody(i) })),
      bad,
    );
    const after = ledger.append({ kind: 'test/note', body: noteBody(1000) }, officer);
    await expect(batch).rejects.toMatchObject({ code: 'CRYPTO_SIGNER_FAILED' });
    expect((await after).seq).toBe(size);
    expect(ledger.size).toBe(size + 1);
    expect(await bodiesFrom(ledger, size)).toEqual([1000]);
    expect((await ledger.verify()).problems).toEqual([]);
  });

  it('a root signer that signs wrongly cannot create a ledger (the manifest is checked too)', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>();
    const badRoot: Signer = { ...root, sign: zeros };
    await expect(
      Ledger.create(db, { origin: 'test.example/bad-root', signer: badRoot, clock: stepClock() }),
    ).rejects.toMatchObject({ code: 'CRYPTO_SIGNER_FAILED' });
    const keys = await db.keys().all();
    expect(keys).toHaveLength(0);
  });
});
