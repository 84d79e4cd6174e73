/**
 * How verify reads the store, held to the same results: entries and leaves are looked up by key in batches, so a batch
 * spread wide by missing entries must still find each, and keys of the entry keyspace that are no entry's (STRAY_KEY)
 * are found after the pass, by a count of the keyspace or, where the store cannot count, a listing; a key among the
 * leaves that is no leaf must not be taken for one.
 */
import { MemoryLevel } from 'memory-level';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import { P_ENTRY, entryKey, nodeKey, readU64 } from '../../src/ledger/keyspace';
import { LevelStore } from '../../src/ledger/level-store';
import { type KV, memoryStoreOf, noteBody, noteKind, noteLedger, testSigner } from './helpers';

const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;

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
    const db = await memoryStoreOf(mutate(pairs));
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

  describe('keys of the entry keyspace that are no entry', () => {
    const strays = (): KV[] => [
      [Uint8Array.of(P_ENTRY), Uint8Array.of(1)], // before every entry
      [Uint8Array.of(...entryKey(5), 1), Uint8Array.of(2)], // between entries 5 and 6
      [entryKey(7).subarray(0, 8), Uint8Array.of(3)], // a cut key, before entry 7
    ];
    const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');

    for (const counted of [true, false])
      it(`are each reported as STRAY_KEY, and nothing else (${counted ? 'counted' : 'listed'})`, async () => {
        // Without a count (a store that cannot count keys cheaply) the keyspace is listed.
        const proto = LevelStore.prototype as { countKeys?: unknown };
        const countKeys = proto.countKeys;
        const calls = { n: 0 };
        proto.countKeys = counted
          ? function (this: LevelStore, ...a: Parameters<LevelStore['countKeys']>) {
              calls.n++;
              return (countKeys as LevelStore['countKeys']).apply(this, a);
            }
          : undefined;
        try {
          const clean = await verifyMutated((ps) => ps);
          expect(clean).toEqual({ ok: true, problems: [] });
          const report = await verifyMutated((ps) => [...ps, ...strays()]);
          expect(report.ok).toBe(false);
          expect(report.problems).toEqual(strays().map(() => ({ seq: -1, code: 'STRAY_KEY' })));
          // One entry gone and one stray key: the count the lookups found does not hide the stray.
          const [, one] = strays();
          const swapped = await verifyMutated((ps) => [
            ...ps.filter(([k]) => hex(k) !== hex(entryKey(9))),
            one!,
          ]);
          expect(swapped.problems).toEqual([
            { seq: 9, code: 'ENTRY_MISSING' },
            { seq: -1, code: 'STRAY_KEY' },
          ]);
          expect(calls.n > 0).toBe(counted);
        } finally {
          proto.countKeys = countKeys;
        }
      });

    it('strays after the last entry do not hide the log: the size is read past them, each stray reported', async () => {
      const last = entryKey(size - 1);
      for (const n of [1, 40]) {
        // One key longer than the last entry's, or many (more than one page of the reverse read that finds the size).
        const after = Array.from(
          { length: n },
          (_, i): KV => [Uint8Array.of(...last, i >> 8, i & 255), Uint8Array.of(1)],
        );
        const report = await verifyMutated((ps) => [...ps, ...after]);
        expect(report.ok).toBe(false);
        expect(report.problems).toEqual(after.map(() => ({ seq: -1, code: 'STRAY_KEY' })));
      }
    });

    it('names the stray key in its message', async () => {
      const [, between] = strays();
      const db = await memoryStoreOf([...pairs, between!]);
      const r = await Ledger.verify(db, { kinds: [noteKind], workers: 0 });
      expect(r.problems.map((p) => p.message)).toEqual([
        `unexpected key in the entry keyspace: ${hex(between![0])}`,
      ]);
      expect(r.checks.find((c) => c.name === 'keyspace')?.status).toBe('failed');
    });
  });
});
