import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../../src/bytes';
import {
  P_INDEX,
  indexKey,
  entryIndexKeys,
  indexKeyRoom,
  indexKeySeq,
  indexKeys,
  indexPrefix,
  leafKeys,
  nodeKey,
  nodeKeys,
  parseIndexKey,
  u64,
  writeIndexKey,
} from '../../src/ledger/keyspace';

/** The index row key as docs/FORMAT.md §Storage writes it: 'x' utf8(index) 0x00 utf8(key) 0x00 u64(seq). */
const spec = (index: string, key: string, seq: number) =>
  concatBytes(Uint8Array.of(P_INDEX), utf8(index), Uint8Array.of(0), utf8(key), Uint8Array.of(0), u64(seq));

describe('index row keys', () => {
  it('are the documented bytes for any text (astral, lone surrogates, long) and any seq', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ minLength: 300, maxLength: 900 })),
        fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER)),
        (index, key, seq) => {
          const k = indexKey(index, key, seq);
          expect(k).toEqual(spec(index, key, seq));
          expect(k.subarray(0, k.length - 8)).toEqual(indexPrefix(index, key));
          // A fresh array each time, not a view of shared scratch.
          expect(k.byteOffset).toBe(0);
          expect(k.buffer.byteLength).toBe(k.length);
          if (!index.includes('\0') && !key.includes('\0')) expect(parseIndexKey(k)?.seq).toBe(seq);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('written in place: the documented bytes within the room reserved, nothing else touched', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ minLength: 300, maxLength: 900 })),
        fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER)),
        fc.nat({ max: 16 }),
        (index, key, seq, off) => {
          const room = indexKeyRoom(index, key);
          const buf = new Uint8Array(off + room + 16).fill(0xa5);
          const end = writeIndexKey(buf, off, index, key, seq);
          expect(end - off).toBeLessThanOrEqual(room);
          expect(buf.subarray(off, end)).toEqual(spec(index, key, seq));
          expect(buf.subarray(0, off).every((b) => b === 0xa5)).toBe(true);
          expect(buf.subarray(end).every((b) => b === 0xa5)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('indexKeySeq takes exactly the keys parseIndexKey takes, with the same seq', () => {
    const wellFormed = fc
      .tuple(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
      )
      .map(([i, k, s]) => indexKey(i, k, s));
    // Keys as stored, then with bytes changed, cut or added: malformed ones among them.
    const mutated = fc
      .tuple(wellFormed, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }))
      .map(([k, flips]) => {
        const m = k.slice();
        for (const [at, b] of flips) m[at % m.length] = b;
        return m;
      });
    const raw = fc.uint8Array({ maxLength: 24 }).map((b) => (b.length ? Uint8Array.of(P_INDEX, ...b) : b));
    fc.assert(
      fc.property(fc.oneof(wellFormed, mutated, raw, fc.uint8Array({ maxLength: 24 })), (k) => {
        expect(indexKeySeq(k)).toBe(parseIndexKey(k)?.seq ?? -1);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps each key when many are made in a row', () => {
    const a = indexKey('case', 'JC-1', 1);
    const b = indexKey('case', 'JC-2'.repeat(400), 2);
    expect(a).toEqual(spec('case', 'JC-1', 1));
    expect(b).toEqual(spec('case', 'JC-2'.repeat(400), 2));
  });
});

describe('keys of a batch (views of one buffer)', () => {
  const seqArb = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER));

  it('index rows: each is the documented key of its row, and the views do not overlap', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            index: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
            key: fc.oneof(
              fc.string({ unit: 'binary', maxLength: 40 }),
              fc.string({ maxLength: 300 }),
              // ASCII, then other code points: written byte by byte up to the first of them.
              fc
                .tuple(
                  fc.string({ maxLength: 20 }),
                  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
                )
                .map(([a, b]) => a + b),
            ),
            seq: seqArb,
          }),
          { maxLength: 40 },
        ),
        seqArb,
        (rows, seq) => {
          const keys = indexKeys(rows);
          expect(keys).toHaveLength(rows.length);
          expect(keys).toEqual(rows.map((r) => spec(r.index, r.key, r.seq)));
          // The rows of one entry: the same keys at its seq.
          expect(entryIndexKeys(rows, seq)).toEqual(rows.map((r) => indexKey(r.index, r.key, seq)));
          // Writing one key changes no other: each view has its own bytes.
          for (let i = 0; i < keys.length; i++) {
            keys[i]!.fill(0xff);
            for (let j = i + 1; j < keys.length; j++)
              expect(keys[j]).toEqual(spec(rows[j]!.index, rows[j]!.key, rows[j]!.seq));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('nodes and leaves: each equals nodeKey of its id', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ level: fc.integer({ min: 0, max: 63 }), index: seqArb }), { maxLength: 40 }),
        fc.array(seqArb, { maxLength: 40 }),
        (ids, seqs) => {
          expect(nodeKeys(ids)).toEqual(ids.map((id) => nodeKey(id.level, id.index)));
          expect(leafKeys(seqs)).toEqual(seqs.map((s) => nodeKey(0, s)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
