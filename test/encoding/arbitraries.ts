/** fast-check arbitraries for CborValue: nested maps/arrays, byte strings, Chinese text, integers at every edge. */
import fc from 'fast-check';
import type { CborValue } from '../../src/ledger/types';

const EDGES = [
  0,
  1,
  23,
  24,
  255,
  256,
  65535,
  65536,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 32 + 1,
  2 ** 53 - 2,
  2 ** 53 - 1,
];

export const safeInt: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...EDGES, ...EDGES.map((n) => -n).filter((n) => n !== 0), -(2 ** 32) - 1),
  fc.integer(),
  fc.integer({ min: -(2 ** 34), max: 2 ** 34 }),
  fc.maxSafeInteger(),
);

const B_EDGES = [2n ** 53n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
/** Bigints up to ±2^64 (including safe ones, which must encode exactly as numbers do). */
export const bigInt: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(...B_EDGES, ...B_EDGES.map((n) => -n), -(2n ** 64n), -(2n ** 53n) - 1n),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
  fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
);

const chineseChar = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c));
export const chinese = fc.string({ unit: chineseChar, maxLength: 30 });

export const text: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 12 }), // any code point, astral included
  chinese,
  fc.string({ unit: chineseChar, minLength: 20, maxLength: 300 }), // 1-, 2- and 3-byte length heads
);

export const key: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    '0',
    '1',
    '10',
    '2',
    'a',
    'aa',
    'b',
    '',
    '案件',
    'é',
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  chinese,
);

/** Builds a plain object from entries; "__proto__" is defined as data, never as the prototype. */
export function objectFrom(entries: ReadonlyArray<readonly [string, CborValue]>): { [k: string]: CborValue } {
  const o: { [k: string]: CborValue } = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const leaf: fc.Arbitrary<CborValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  safeInt,
  bigInt,
  text,
  fc.uint8Array({ maxLength: 40 }),
  fc.uint8Array({ minLength: 24, maxLength: 300 }),
);

export const entriesOf = <T>(v: fc.Arbitrary<T>, maxLength = 6) =>
  fc.uniqueArray(fc.tuple(key, v), { selector: (e) => e[0], maxLength });

export const { value } = fc.letrec<{ value: CborValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 6 }),
    entriesOf(tie('value')).map(objectFrom),
  ),
}));

/** The value decode must return: safe bigints become numbers. */
export function normalised(v: CborValue): CborValue {
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(normalised);
  return objectFrom(Object.entries(v).map(([k, x]) => [k, normalised(x)] as const));
}

/**
 * Strict structural equality for decoded values: same JS types (number vs bigint, plain Uint8Array), plain-object
 * prototypes, same own keys. (vitest's toStrictEqual trips over an own key named "constructor".)
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (a === null || typeof a !== 'object') return Object.is(a, b);
  if (b === null || typeof b !== 'object') return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array)) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  const get = (o: object, k: string) => Object.getOwnPropertyDescriptor(o, k)?.value;
  return ka.every((k) => sameValue(get(a, k), get(b, k)));
}
