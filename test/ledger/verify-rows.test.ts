/**
 * Index rows changed directly in the store (deleted, added, given a value), as a property: verify reports each with its
 * code at its seq, as the row check has (a lookup of every expected row, then a count of the stored rows and, when it
 * differs from the expected rows found, a listing that judges each row), whether the keyspace is counted (`countKeys`) and the
 * rows' presence read without their values (`hasMany`), or neither.
 */
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import { P_INDEX, indexKey, parseIndexKey } from '../../src/ledger/keyspace';
import { LevelStore } from '../../src/ledger/level-store';
import { type KV, memoryStoreOf, noteBody, noteKind, noteLedger, testSigner } from './helpers';

const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;
const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');

describe('index rows changed in the store', () => {
  let pairs: KV[] = [];
  let rows: KV[] = [];
  let size = 0;
  beforeAll(async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>(BIN);
    const officer = testSigner(1);
    const ledger = await noteLedger(db, 'test.example/rows', testSigner(0), officer);
    await ledger.appendBatch(
      Array.from({ length: 40 }, (_, j) => ({ kind: 'test/note', body: noteBody(j) })),
      officer,
    );
    size = ledger.size;
    await ledger.close();
    await db.open();
    pairs = (await db.iterator(BIN).all()) as KV[];
    rows = pairs.filter(([k]) => k[0] === P_INDEX);
  });

  /** A row added: well formed (a seq of the log or past it) or not a row at all. */
  const added = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('test/topic', 'core/kind', 'other'),
        fc.stringMatching(/^[a-z0-9/]{0,6}$/),
        fc.integer({ min: 0, max: 60 }),
      )
      .map(([i, k, s]) => indexKey(i, k, s)),
    fc.uint8Array({ minLength: 1, maxLength: 12 }).map((b) => Uint8Array.of(P_INDEX, ...b)),
  );

  const change = () =>
    fc.record({
      deleted: fc.uniqueArray(fc.nat({ max: 1000 }), { maxLength: 3 }),
      valued: fc.uniqueArray(fc.nat({ max: 1000 }), { maxLength: 2 }),
      added: fc.uniqueArray(added, { maxLength: 3, selector: hex }),
    });

  /** The problems the row check has always given for the change (the model). */
  function expected(c: { deleted: number[]; valued: number[]; added: Uint8Array[] }) {
    const del = new Set(c.deleted.map((i) => hex(rows[i % rows.length]![0])));
    const val = new Set(c.valued.map((i) => hex(rows[i % rows.length]![0])).filter((h) => !del.has(h)));
    const existing = new Set(rows.map(([k]) => hex(k)));
    const add = c.added.filter((k) => !existing.has(hex(k)));
    const out: Array<{ seq: number; code: string }> = [];
    for (const [k] of rows) {
      const seq = parseIndexKey(k)!.seq;
      if (del.has(hex(k))) out.push({ seq, code: 'INDEX_MISSING' });
      else if (val.has(hex(k))) out.push({ seq, code: 'INDEX_CORRUPT' });
    }
    // Stored rows counted: well formed of a seq in the log, and malformed ones; rows past the size are not.
    const counted = (k: Uint8Array) => {
      const p = parseIndexKey(k);
      return !p || p.seq < size;
    };
    // The stored rows are listed when they outnumber the expected rows found: a missing row and an added one do not
    // cancel out (they did until 2026-12-07: the count was compared with every expected row, found or not).
    const stored = rows.length - del.size + add.filter(counted).length;
    if (stored !== rows.length - del.size)
      for (const k of add) out.push({ seq: parseIndexKey(k)?.seq ?? -1, code: 'INDEX_EXTRA' });
    return { add, del, val, problems: out };
  }

  it('a deleted row and an added one are both reported (they do not cancel out in the count)', async () => {
    const [gone] = rows[3]!;
    const seq = parseIndexKey(gone)!.seq;
    const fake = indexKey('test/topic', 'forged', seq);
    for (const countKeys of [true, false]) {
      const db = await memoryStoreOf([
        ...pairs.filter(([k]) => hex(k) !== hex(gone)),
        [fake, new Uint8Array(0)],
      ]);
      const proto = LevelStore.prototype as { countKeys?: unknown };
      const saved = proto.countKeys;
      if (!countKeys) proto.countKeys = undefined;
      try {
        const r = await Ledger.verify(db, { kinds: [noteKind], workers: 0 });
        expect(r.problems.map((p) => [p.code, p.seq])).toEqual([
          ['INDEX_MISSING', seq],
          ['INDEX_EXTRA', seq],
        ]);
        expect(r.ok).toBe(false);
      } finally {
        proto.countKeys = saved;
      }
    }
  });

  const order = (ps: Array<{ seq: number; code: string }>) =>
    [...ps].sort((a, b) => a.seq - b.seq || a.code.localeCompare(b.code));

  for (const counted of [true, false])
    it(`each is reported with its code at its seq, as before (${counted ? 'counted' : 'listed'})`, async () => {
      // Listed: a store that can neither count keys nor tell presence without the values (getMany), as PostgreSQL.
      const proto = LevelStore.prototype as { countKeys?: unknown; hasMany?: unknown };
      const { countKeys, hasMany } = proto;
      if (!counted) {
        proto.countKeys = undefined;
        proto.hasMany = undefined;
      }
      try {
        await fc.assert(
          fc.asyncProperty(change(), async (c) => {
            const { add, del, val, problems } = expected(c);
            const kept = pairs
              .filter(([k]) => !del.has(hex(k)))
              .map(([k, v]): KV => [k, val.has(hex(k)) ? Uint8Array.of(1) : v]);
            const db = await memoryStoreOf([...kept, ...add.map((k): KV => [k, new Uint8Array(0)])]);
            const r = await Ledger.verify(db, { kinds: [noteKind], workers: 0 });
            const got = r.problems.map((p) => ({ seq: p.seq, code: p.code }));
            expect(order(got)).toEqual(order(problems));
            expect(r.ok).toBe(problems.length === 0);
          }),
          { numRuns: 40 },
        );
      } finally {
        proto.countKeys = countKeys;
        proto.hasMany = hasMany;
      }
    });
});
