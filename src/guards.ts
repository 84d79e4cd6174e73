/** Type guards for decoded values, defined once (noble's shared guards are the model). Pure. */

/** A plain object: not null, not an array, not bytes. */
export const isObj = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Uint8Array);

/** Bytes, of exactly `len` bytes when given. */
export const isBytes = (x: unknown, len?: number): x is Uint8Array =>
  x instanceof Uint8Array && (len === undefined || x.length === len);

/** A natural number: a safe integer ≥ 0. */
export const isNat = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** The field `key` of a decoded value, or undefined when the value is not a plain object: reads a body of unknown
 * shape (an untrusted bundle's, an unknown kind's) without a cast. */
export const field = (x: unknown, key: string): unknown => (isObj(x) ? x[key] : undefined);
