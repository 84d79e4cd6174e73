/**
 * The decoder faces untrusted bytes: every non-canonical form is refused with its code, and nothing but an
 * EncodingError ever escapes. Hand-made mutations per rule, truncation at every offset, and fuzz properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual, fromHex } from '../../src/bytes';
import { decodeCanonical, encodeCanonical } from '../../src/encoding';
import { EncodingError, type EncodingErrorCode } from '../../src/errors';
import type { CborValue } from '../../src/ledger/types';
import { value } from './arbitraries';

function codeOf(bytes: Uint8Array, maxDepth?: number): EncodingErrorCode | 'accepted' {
  try {
    decodeCanonical(bytes, maxDepth === undefined ? undefined : { maxDepth });
    return 'accepted';
  } catch (e) {
    if (e instanceof EncodingError) return e.code;
    throw new Error(`non-EncodingError escaped: ${String(e)}`, { cause: e });
  }
}

const cases: Record<string, Array<[string, string]>> = {
  ENCODING_NON_SHORTEST_INT: [
    ['0 in 1 byte', '1800'],
    ['23 in 1 byte', '1817'],
    ['0 in 2 bytes', '190000'],
    ['255 in 2 bytes', '1900ff'],
    ['0 in 4 bytes', '1a00000000'],
    ['65535 in 4 bytes', '1a0000ffff'],
    ['0 in 8 bytes', '1b0000000000000000'],
    ['2^32-1 in 8 bytes', '1b00000000ffffffff'],
    ['-1 in 1 byte', '3800'],
    ['-256 in 2 bytes', '3900ff'],
    ['-65536 in 4 bytes', '3a0000ffff'],
    ['-2^32 in 8 bytes', '3b00000000ffffffff'],
    ['byte string length in 1 byte', '58010a'],
    ['text length in 2 bytes', '79000161'],
    ['array length in 4 bytes', '9a0000000100'],
    ['map length in 8 bytes', 'bb0000000000000001616100'],
    ['nested in a map value', 'a161611800'],
  ],
  ENCODING_INDEFINITE_LENGTH: [
    ['byte string', '5f4101ff'],
    ['text string', '7f6161ff'],
    ['array', '9f01ff'],
    ['map', 'bf616101ff'],
    ['empty array inside array', '819fff'],
  ],
  ENCODING_UNSORTED_KEYS: [
    ['bytewise', 'a2616201616102'],
    ['length-first ("aa" before "b")', 'a262616101616202'],
    ['in a nested map', '81a2616201616102'],
  ],
  ENCODING_DUPLICATE_KEY: [
    ['same key twice', 'a2616101616102'],
    ['"__proto__" twice', 'a2695f5f70726f746f5f5f01695f5f70726f746f5f5f02'],
  ],
  ENCODING_FLOAT: [
    ['1.0 as f16', 'f93c00'],
    ['1.0 as f32', 'fa3f800000'],
    ['1.0 as f64', 'fb3ff0000000000000'],
    ['0.5 as f64', 'fb3fe0000000000000'],
    ['2^53 as f64', 'fb4340000000000000'],
    ['NaN as f32', 'fa7fc00000'],
    ['float in an array', '8201f93c00'],
    ['float as map key', 'a1f93c0001'],
  ],
  ENCODING_TAG: [
    ['tag 2 bignum', 'c249010000000000000000'],
    ['tag 3 bignum', 'c349010000000000000000'],
    ['tag 64 uint8 typed array', 'd8404401020304'],
    ['tag 1 epoch time', 'c11a514b67b0'],
    ['self-described CBOR 55799', 'd9d9f700'],
    ['tag 259 map', 'd90103a0'],
    ['tag as map key', 'a1c1016161'],
  ],
  ENCODING_TRAILING_BYTES: [
    ['two items', '0000'],
    ['array then null', '80f6'],
    ['map then break', 'a0ff'],
  ],
  ENCODING_BAD_TEXT: [
    ['lone 0xff', '61ff'],
    ['bad continuation', '62c328'],
    ['overlong "/"', '62c0af'],
    ['CESU surrogate', '63eda080'],
    ['above U+10FFFF', '64f4908080'],
    ['truncated sequence at the end of the string', '62e4b8'],
    ['bad text in a map key', 'a162c32801'],
  ],
  ENCODING_UNSUPPORTED_TYPE: [
    ['undefined', 'f7'],
    ['unassigned simple value', 'e0'],
    ['simple(32)', 'f820'],
    ['integer map key', 'a10102'],
    ['byte-string map key', 'a1410102'],
    ['array map key', 'a18001'],
  ],
  ENCODING_MALFORMED: [
    ['empty input', ''],
    ['reserved additional information 28', '1c'],
    ['reserved additional information 30', '5e'],
    ['lone break', 'ff'],
    ['indefinite integer', '1f'],
    ['indefinite tag', 'df'],
    ['two-byte simple value below 32', 'f801'],
    ['byte string longer than the input', '5bffffffffffffffff'],
    ['array of 2^32 items in a short input', '9b000000010000000001'],
    ['map of 2^31 pairs in a short input', 'ba800000000101'],
    ['text longer than the input', '6561'],
    ['truncated f64', 'fb3ff0'],
    ['break inside a definite array', '82ff01'],
  ],
};

describe('decodeCanonical refuses non-canonical and malformed input', () => {
  for (const [code, list] of Object.entries(cases)) {
    it.each(list)(`${code}: %s`, (_name, hex) => {
      expect(codeOf(fromHex(hex))).toBe(code);
    });
  }

  it('reports the byte offset of the problem', () => {
    try {
      decodeCanonical(fromHex('84010218ff1817'));
      expect.unreachable();
    } catch (e) {
      expect((e as EncodingError).code).toBe('ENCODING_NON_SHORTEST_INT');
      expect((e as EncodingError).offset).toBe(5);
    }
  });

  it('refuses nesting beyond maxDepth (default 64) without exhausting the stack', () => {
    const nested = (n: number, open: string, close: string) => fromHex(open.repeat(n) + close);
    expect(codeOf(nested(63, '81', '80'))).toBe('accepted'); // 64 arrays
    expect(codeOf(nested(64, '81', '80'))).toBe('ENCODING_TOO_DEEP');
    expect(codeOf(nested(63, 'a16161', 'a0'))).toBe('accepted');
    expect(codeOf(nested(64, 'a16161', 'a0'))).toBe('ENCODING_TOO_DEEP');
    expect(codeOf(fromHex('81'.repeat(200_000)))).toBe('ENCODING_TOO_DEEP');
    expect(codeOf(fromHex('818180'), 2)).toBe('ENCODING_TOO_DEEP');
    expect(codeOf(fromHex('8180'), 2)).toBe('accepted');
    expect(codeOf(fromHex('80'), 0)).toBe('ENCODING_TOO_DEEP');
    expect(codeOf(fromHex('01'), 0)).toBe('accepted');
  });

  it('treats misuse as TypeError / RangeError', () => {
    expect(() => decodeCanonical('00' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => decodeCanonical(new Uint8Array([0]), { maxDepth: 1.5 })).toThrow(RangeError);
  });

  const samples: CborValue[] = [
    {
      v: 1,
      l: new Uint8Array(32).fill(1),
      s: 123456,
      t: 1_700_000_000_000,
      k: 'enf/document',
      b: { 案由: '无证行医', amounts: [0, -1, 2n ** 64n - 1n, -(2n ** 64n)], ok: true, none: null },
      c: [[new Uint8Array(32), 5_000_000_000, new Uint8Array(32)]],
    },
    ['x'.repeat(300), new Uint8Array(70_000)],
  ];
  it('refuses every truncation of valid encodings as ENCODING_MALFORMED', () => {
    for (const s of samples) {
      const bytes = encodeCanonical(s);
      expect(codeOf(bytes)).toBe('accepted');
      for (let n = 0; n < bytes.length; n++)
        expect(codeOf(bytes.subarray(0, n)), `prefix ${n}`).toBe('ENCODING_MALFORMED');
    }
  });

  it('refuses every non-shortest re-encoding of every integer head width (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.boolean(), (n, negative) => {
        const major = negative ? 0x20 : 0;
        const widths: Array<[number, number]> = [
          [24, 1],
          [25, 2],
          [26, 4],
          [27, 8],
        ];
        for (const [ai, size] of widths) {
          if (n >= 1n << BigInt(8 * size)) continue;
          const b = new Uint8Array(1 + size);
          b[0] = major | ai;
          for (let i = 0; i < size; i++) b[size - i] = Number((n >> BigInt(8 * i)) & 0xffn);
          const shortest = (ai === 24 && n < 24n) || (ai > 24 && n < 1n << BigInt(4 * size));
          expect(codeOf(b)).toBe(shortest ? 'ENCODING_NON_SHORTEST_INT' : 'accepted');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

/** The invariant for any input: an EncodingError, or a value whose canonical encoding is exactly the input. */
function checkInvariant(bytes: Uint8Array): void {
  let decoded: CborValue;
  try {
    decoded = decodeCanonical(bytes);
  } catch (e) {
    if (e instanceof EncodingError) return;
    throw new Error(`non-EncodingError escaped: ${String(e)}`, { cause: e });
  }
  expect(bytesEqual(encodeCanonical(decoded), bytes)).toBe(true);
}

describe('decodeCanonical fuzz properties', () => {
  it('a single-byte mutation of a valid encoding is refused or is itself canonical', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 0, max: 255 }), (v, at, byte) => {
        const bytes = encodeCanonical(v);
        const i = at % bytes.length;
        if (bytes[i] === byte) return;
        const mutated = bytes.slice();
        mutated[i] = byte;
        checkInvariant(mutated);
      }),
      { numRuns: 5000 },
    );
  });

  it('inserting or deleting one byte is refused or canonical', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (v, at, byte, insert) => {
        const bytes = encodeCanonical(v);
        const i = at % (bytes.length + 1);
        const mutated = insert
          ? new Uint8Array([...bytes.subarray(0, i), byte, ...bytes.subarray(i)])
          : new Uint8Array([...bytes.subarray(0, i), ...bytes.subarray(i + 1)]);
        checkInvariant(mutated);
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes are refused or canonical', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => checkInvariant(bytes)),
      { numRuns: 5000 },
    );
  });
});

/**
 * The decoder checks canonical form on the bytes alone (it does not re-encode). These build encodings by hand, in
 * every order and width the encoder would never write, and ask that exactly the canonical one is accepted.
 */
describe('canonical form from the bytes alone', () => {
  const key = fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
    fc.constantFrom('a', 'b', 'aa', 'é', 'z', '\uffff', '𐀀', '中', '__proto__', ''),
  );

  it('a map is accepted only with its keys in canonical order (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 2, maxLength: 6 }), fc.nat(), (keys, seed) => {
        const pairs = keys.map((k, i) => [encodeCanonical(k), encodeCanonical(i)] as const);
        // A shuffled order of the pairs (Fisher–Yates from the seed).
        const order = keys.map((_, i) => i);
        let s = seed;
        for (let i = order.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        const head = encodeCanonical(Object.fromEntries(keys.map((k, i) => [k, i]))).subarray(0, 1);
        const bytes = new Uint8Array([...head, ...order.flatMap((i) => [...pairs[i]![0], ...pairs[i]![1]])]);
        const canonical = encodeCanonical(Object.fromEntries(keys.map((k, i) => [k, i])));
        const got = codeOf(bytes);
        if (bytesEqual(bytes, canonical)) expect(got).toBe('accepted');
        else expect(got).toBe('ENCODING_UNSORTED_KEYS');
      }),
      { numRuns: 1000 },
    );
  });

  it('every head of every major type is accepted only in its shortest width (property)', () => {
    const widths = [
      [24, 1],
      [25, 2],
      [26, 4],
      [27, 8],
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3, 4, 5),
        fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(23, 24, 255, 256, 65535, 65536)),
        fc.constantFrom(...widths),
        (major, n, [ai, w]) => {
          if (major >= 2 && n > 40) n %= 40; // keep containers small: their items follow
          if (w < 8 && n >= 2 ** (8 * w)) return;
          const arg = new Uint8Array(w);
          let x = n;
          for (let i = w - 1; i >= 0; i--) {
            arg[i] = x & 0xff;
            x = Math.floor(x / 256);
          }
          const item = (i: number) =>
            major === 2 ? [i & 0xff] : major === 3 ? [0x61 + (i % 26)] : major === 4 ? [0] : [];
          let body: number[] = [];
          if (major === 2 || major === 3 || major === 4) for (let i = 0; i < n; i++) body.push(...item(i));
          if (major === 5) {
            // n distinct keys in canonical order: "a".."z" then two-letter keys are longer, so sorted as built.
            const keys = Array.from({ length: n }, (_, i) =>
              i < 26
                ? String.fromCharCode(97 + i)
                : `a${String.fromCharCode(97 + (i % 26))}${'x'.repeat(Math.floor(i / 26) - 1)}`,
            ).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
            body = keys.flatMap((k) => [...encodeCanonical(k), 0]);
          }
          const bytes = new Uint8Array([(major << 5) | ai, ...arg, ...body]);
          const got = codeOf(bytes);
          const shortest = n < 24 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 2 ** 32 ? 4 : 8;
          if (w === shortest) {
            expect(got).toBe('accepted');
            expect(bytesEqual(encodeCanonical(decodeCanonical(bytes)), bytes)).toBe(true);
          } else expect(got).toBe('ENCODING_NON_SHORTEST_INT');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('accepted values (every arbitrary value, with single-byte flips) re-encode to the input', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.nat(7), (v, at, bit) => {
        const bytes = encodeCanonical(v);
        expect(bytesEqual(encodeCanonical(decodeCanonical(bytes)), bytes)).toBe(true);
        const flipped = bytes.slice();
        flipped[at % bytes.length]! ^= 1 << bit;
        checkInvariant(flipped);
      }),
      { numRuns: 1500 },
    );
  });
});
