/**
 * How verify reads the store, held to the same results: the leaves of a batch of entries are read as one range of the
 * node keyspace (not a lookup per leaf), so a key among them that is no leaf must not be taken for one, and a batch
 * spread wide by missing entries must still find each leaf.
 */
import { MemoryLevel } from 'memory-level';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import { P_ENTRY, nodeKey, readU64 } from '../../src/ledger/keyspace';
import { noteBody, noteKind, noteLedger, testSigner } from './helpers';

const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;
type KV = [Uint8Array, Uint8Array];

describe('verify: the leaves of a batch, read as one range', () => {
  let pairs: KV[] = [];
  let size = 0;
  beforeAll(async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>(BIN);
    const officer = testSigner(1);
    const ledger = await noteLedger(db, 'test.example/reads', testSigner(0), officer);
    for (let i = 0; ledger.size < 1100; i += 100)
      await ledger.appendBatch(
        Array.from({ length: 100 }, (_, j) => ({ kind: 'test/note', body: noteBody(i + j) })),
        officer,
      );
    size = ledger.size;
    expect((await ledger.verify()).problems).toEqual([]);
    pairs = (await db.iterator(BIN).all()) as KV[];
    await ledger.close();
  });

  async function verifyMutated(mutate: (pairs: KV[]) => KV[]) {
    const db = new MemoryLevel<Uint8Array, Uint8Array>(BIN);
    await db.open();
    await db.batch(
      mutate(pairs).map(([key, value]) => ({ type: 'put' as const, key, value })),
      BIN,
    );
    const r = await Ledger.verify(db, { kinds: [noteKind], workers: 0 });
    return { ok: r.ok, problems: r.problems.map((p) => ({ seq: p.seq, code: p.code })) };
  }

  const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

  it('keys among the leaves that are no leaf (other lengths) are not taken for one', async () => {
    const leaf5 = nodeKey(0, 5);
    // Keys that sort between the leaves of seqs 4, 5 and 6, holding another leaf's hash.
    const strays: KV[] = [
      [Uint8Array.of(...leaf5, 1), pairs.find(([k]) => same(k, nodeKey(0, 9)))![1]],
      [leaf5.subarray(0, 9), pairs.find(([k]) => same(k, nodeKey(0, 9)))![1]],
    ];
    expect(await verifyMutated((ps) => [...ps, ...strays])).toEqual({ ok: true, problems: [] });
    // The leaf of seq 5 changed: found there, and only there, with the strays beside it.
    const flipped = await verifyMutated((ps) => [
      ...ps.map(([k, v]): KV => (same(k, leaf5) ? [k, v.map((b, i) => (i === 0 ? b ^ 1 : b))] : [k, v])),
      ...strays,
    ]);
    expect(flipped).toEqual({ ok: false, problems: [{ seq: 5, code: 'TREE_NODE_MISMATCH' }] });
    // Deleted: missing there, not read from a stray.
    const deleted = await verifyMutated((ps) => [...ps.filter(([k]) => !same(k, leaf5)), ...strays]);
    expect(deleted).toEqual({ ok: false, problems: [{ seq: 5, code: 'TREE_NODE_MISSING' }] });
  });

  it('a batch spread over many missing entries finds each leaf (no mismatch after the gap), each missing entry reported', async () => {
    const gone = (k: Uint8Array) => k[0] === P_ENTRY && readU64(k, 1) >= 10 && readU64(k, 1) < 700;
    const report = await verifyMutated((ps) => ps.filter(([k]) => !gone(k)));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      Array.from({ length: 690 }, (_, i) => ({ seq: 10 + i, code: 'ENTRY_MISSING' })),
    );
    expect(size).toBeGreaterThan(1000);
  });
});
