import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../../src/bytes';
import { P_INDEX, indexKey, indexPrefix, parseIndexKey, u64 } from '../../src/ledger/keyspace';

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

  it('keeps each key when many are made in a row', () => {
    const a = indexKey('case', 'JC-1', 1);
    const b = indexKey('case', 'JC-2'.repeat(400), 2);
    expect(a).toEqual(spec('case', 'JC-1', 1));
    expect(b).toEqual(spec('case', 'JC-2'.repeat(400), 2));
  });
});
