/**
 * Encoder against an independent implementation (cborg with its deterministic options: length-first bytewise map
 * keys, shortest integers), round trips, key-order independence and every encode-side refusal.
 */
import * as cborg from 'cborg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { decodeCanonical, encodeCanonical } from '../../src/encoding';
import { EncodingError, type EncodingErrorCode } from '../../src/errors';
import type { CborValue } from '../../src/ledger/types';
import { entriesOf, normalised, objectFrom, sameValue, value } from './arbitraries';

function cborgBytes(v: CborValue): Uint8Array {
  // rfc8949EncodeOptions: bytewise order of encoded keys (equal to length-first for text keys).
  return cborg.encode(v, cborg.rfc8949EncodeOptions);
}

function codeOf(f: () => unknown): EncodingErrorCode | 'no error' | 'other error' {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof EncodingError ? e.code : 'other error';
  }
}

describe('encodeCanonical vs cborg', () => {
  it('gives the same bytes as cborg, and decodes back to the same value (property)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const ours = encodeCanonical(v);
        expect(toHex(ours)).toBe(toHex(cborgBytes(v)));
        expect(toHex(ours)).toBe(toHex(cborg.encode(v))); // cborg's default (RFC 7049 length-first) order too
        expect(sameValue(decodeCanonical(ours), normalised(v))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('bytes do not depend on key insertion order (property)', () => {
    fc.assert(
      fc.property(
        entriesOf(value, 12).chain((es) =>
          fc.tuple(fc.constant(es), fc.shuffledSubarray(es, { minLength: es.length })),
        ),
        ([a, b]) => {
          expect(toHex(encodeCanonical(objectFrom(b)))).toBe(toHex(encodeCanonical(objectFrom(a))));
          expect(toHex(encodeCanonical([objectFrom(b)]))).toBe(toHex(encodeCanonical([objectFrom(a)])));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sorts keys length-first then by UTF-8 bytes, not by UTF-16 units', () => {
    // Same UTF-8 length (4): U+FF61 'a' is ef bd a1 61 and sorts before U+10000 (f0 90 80 80), although in UTF-16
    // the surrogate d800 sorts before ff61. Shorter keys come first whatever their bytes ("b" before "10").
    const v = { '\u{10000}': 1, '\uff61a': 2, '10': 3, b: 4 };
    expect(toHex(encodeCanonical(v))).toBe('a461620462313003' + '64efbda16102' + '64f090808001');
    expect(toHex(encodeCanonical(v))).toBe(toHex(cborgBytes(v)));
  });
});

describe('decodeCanonical with views', () => {
  /** Every byte string in a decoded value. */
  const bytesIn = (v: unknown, out: Uint8Array[] = []): Uint8Array[] => {
    if (v instanceof Uint8Array) out.push(v);
    else if (Array.isArray(v)) for (const x of v) bytesIn(x, out);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) bytesIn(x, out);
    return out;
  };

  it('gives the same value, its byte strings plain views of the input (property)', () => {
    fc.assert(
      fc.property(value, fc.nat(16), (v, pad) => {
        const bytes = encodeCanonical(v);
        // The input as a view into a larger buffer, as a stored value may be.
        const host = new Uint8Array(pad + bytes.length + 3);
        host.set(bytes, pad);
        const input = host.subarray(pad, pad + bytes.length);
        const viewed = decodeCanonical(input, { views: true });
        expect(sameValue(viewed, decodeCanonical(bytes))).toBe(true);
        for (const b of bytesIn(viewed)) {
          expect(b.constructor).toBe(Uint8Array);
          expect(b.buffer).toBe(host.buffer);
        }
        for (const b of bytesIn(decodeCanonical(input))) expect(b.buffer).not.toBe(host.buffer);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses exactly what the copying decoder refuses, with the same code (byte flips, property)', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 1, max: 255 }), (v, at, x) => {
        const bytes = encodeCanonical(v).slice();
        bytes[at % bytes.length]! ^= x;
        expect(codeOf(() => decodeCanonical(bytes, { views: true }))).toBe(
          codeOf(() => decodeCanonical(bytes)),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('encodeCanonical specifics', () => {
  it('writes integers beyond 2^32 as major type 0/1 with the shortest head, numbers and bigints alike', () => {
    expect(toHex(encodeCanonical(1_700_000_000_000))).toBe('1b0000018bcfe56800');
    expect(toHex(encodeCanonical(1_700_000_000_000n))).toBe('1b0000018bcfe56800');
    expect(toHex(encodeCanonical(-(2 ** 32) - 1))).toBe('3b0000000100000000');
    expect(toHex(encodeCanonical(5n))).toBe('05');
    expect(toHex(encodeCanonical(-(2n ** 64n)))).toBe('3bffffffffffffffff');
  });

  it('writes Uint8Array and Buffer as an untagged byte string and decodes to a plain Uint8Array', () => {
    expect(toHex(encodeCanonical(new Uint8Array([1, 2])))).toBe('420102');
    expect(toHex(encodeCanonical(Buffer.from([1, 2])))).toBe('420102');
    const out = decodeCanonical(Buffer.from('420102', 'hex'));
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    expect(out).toStrictEqual(new Uint8Array([1, 2]));
  });

  it('encodes and decodes a "__proto__" key as data, leaving prototypes alone', () => {
    const v = JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}') as CborValue;
    const bytes = encodeCanonical(v);
    expect(toHex(bytes)).toBe(toHex(cborgBytes(v)));
    const d = decodeCanonical(bytes) as Record<string, unknown>;
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(Object.keys(d)).toEqual(['a', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(d, '__proto__')?.value).toStrictEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('encodes own enumerable string keys only, as JSON does (symbol keys are not data)', () => {
    const o = { a: 1, [Symbol('k')]: 2 };
    Object.defineProperty(o, 'hidden', { value: 3, enumerable: false });
    expect(toHex(encodeCanonical(o))).toBe('a1616101');
  });

  it('decodes map keys right when many short keys share cache slots', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `k${(i * 7919) % 100_000}`.slice(0, 1 + (i % 8)));
    for (let round = 0; round < 2; round++)
      for (const k of keys)
        expect(Object.keys(decodeCanonical(encodeCanonical({ [k]: 1 })) as object)).toEqual([k]);
  });

  it('accepts null-prototype objects', () => {
    const o = Object.create(null) as Record<string, CborValue>;
    o.b = 1;
    o.a = 2;
    expect(toHex(encodeCanonical(o))).toBe('a2616102616201');
  });

  it('keeps a leading BOM and astral text intact', () => {
    const s = '\ufeff执法😀';
    expect(decodeCanonical(encodeCanonical(s))).toBe(s);
  });

  it('is re-entrant (a getter that encodes does not corrupt the outer result)', () => {
    const inner = { x: [1, 2, 3] };
    const v = {
      get a() {
        return encodeCanonical(inner);
      },
      b: 'text',
    };
    expect(toHex(encodeCanonical(v))).toBe(toHex(encodeCanonical({ a: encodeCanonical(inner), b: 'text' })));
  });

  it('handles values larger than its initial buffer', () => {
    const big = {
      blob: new Uint8Array(100_000).fill(7),
      list: Array.from({ length: 5000 }, (_, i) => i * 1_000_003),
    };
    expect(toHex(encodeCanonical(big))).toBe(toHex(cborgBytes(big)));
    expect(toHex(encodeCanonical({ a: 1 }))).toBe('a1616101');
  });

  class Thing {
    a = 1;
  }
  const sparse: CborValue[] = [];
  sparse[1] = 1;
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const refusals: Array<[string, unknown, EncodingErrorCode]> = [
    ['1.5', 1.5, 'ENCODING_FLOAT'],
    ['NaN', Number.NaN, 'ENCODING_FLOAT'],
    ['Infinity', Number.POSITIVE_INFINITY, 'ENCODING_FLOAT'],
    ['-Infinity', Number.NEGATIVE_INFINITY, 'ENCODING_FLOAT'],
    ['-0', -0, 'ENCODING_FLOAT'],
    ['nested float', { a: [1, 0.5] }, 'ENCODING_FLOAT'],
    ['2^53 as number', 2 ** 53, 'ENCODING_INTEGER_RANGE'],
    ['-(2^53) as number', -(2 ** 53), 'ENCODING_INTEGER_RANGE'],
    ['1e300', 1e300, 'ENCODING_INTEGER_RANGE'],
    ['2^64', 2n ** 64n, 'ENCODING_INTEGER_RANGE'],
    ['-(2^64)-1', -(2n ** 64n) - 1n, 'ENCODING_INTEGER_RANGE'],
    ['undefined', undefined, 'ENCODING_UNSUPPORTED_TYPE'],
    ['undefined value', { a: undefined }, 'ENCODING_UNSUPPORTED_TYPE'],
    ['sparse array', sparse, 'ENCODING_UNSUPPORTED_TYPE'],
    ['function', () => 1, 'ENCODING_UNSUPPORTED_TYPE'],
    ['symbol', Symbol('s'), 'ENCODING_UNSUPPORTED_TYPE'],
    ['Date', new Date(0), 'ENCODING_UNSUPPORTED_TYPE'],
    ['Map', new Map([['a', 1]]), 'ENCODING_UNSUPPORTED_TYPE'],
    ['Set', new Set([1]), 'ENCODING_UNSUPPORTED_TYPE'],
    ['class instance', new Thing(), 'ENCODING_UNSUPPORTED_TYPE'],
    ['Uint16Array', new Uint16Array(2), 'ENCODING_UNSUPPORTED_TYPE'],
    ['Uint8ClampedArray', new Uint8ClampedArray(2), 'ENCODING_UNSUPPORTED_TYPE'],
    ['ArrayBuffer', new ArrayBuffer(2), 'ENCODING_UNSUPPORTED_TYPE'],
    ['DataView', new DataView(new ArrayBuffer(2)), 'ENCODING_UNSUPPORTED_TYPE'],
    ['boxed number', Object(1), 'ENCODING_UNSUPPORTED_TYPE'],
    ['lone high surrogate', 'a\ud800', 'ENCODING_BAD_TEXT'],
    ['lone low surrogate key', { '\udc00': 1 }, 'ENCODING_BAD_TEXT'],
    ['cycle', cyclic, 'ENCODING_TOO_DEEP'],
    ['65 nested arrays', JSON.parse('['.repeat(65) + ']'.repeat(65)), 'ENCODING_TOO_DEEP'],
  ];
  it.each(refusals)('refuses %s', (_name, v, code) => {
    expect(codeOf(() => encodeCanonical(v as CborValue))).toBe(code);
  });

  it('allows exactly maxDepth levels of nesting', () => {
    expect(codeOf(() => encodeCanonical(JSON.parse('['.repeat(64) + ']'.repeat(64))))).toBe('no error');
    expect(codeOf(() => encodeCanonical([[1]], { maxDepth: 2 }))).toBe('no error');
    expect(codeOf(() => encodeCanonical([{ a: [] }], { maxDepth: 2 }))).toBe('ENCODING_TOO_DEEP');
    expect(codeOf(() => encodeCanonical(7, { maxDepth: 0 }))).toBe('no error');
    expect(() => encodeCanonical(7, { maxDepth: -1 })).toThrow(RangeError);
  });
});
