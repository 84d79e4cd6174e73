/**
 * Canonical CBOR encoder: RFC 8949 §4.2.1 core deterministic encoding of CborValue.
 * - integers and lengths use the shortest head (§4.2.1, "preferred serialization" §4.1), including |n| ≥ 2^32;
 * - map keys are sorted by their encoded bytes; our keys are text only, so this is UTF-8 length first, then
 *   code-point (= UTF-8 byte) order;
 * - definite lengths only; byte strings untagged (major type 2); no floats, no tags, no undefined.
 * One reusable output buffer; the result is a fresh copy.
 */
import { EncodingError } from '../errors';
import type { CborValue } from './value';

export interface EncodeOptions {
  /** Maximum container nesting (an array or map counts one level). Default 64, as on decode. */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 64;

const MAX_U64 = 0xffff_ffff_ffff_ffffn;
const MIN_N64 = -0x1_0000_0000_0000_0000n;
const TWO_32 = 0x1_0000_0000;
const INITIAL_SIZE = 4096;
/** Buffers grown beyond this are dropped after use instead of being kept for the next call. */
const KEEP_LIMIT = 1 << 20;

/**
 * UTF-8 byte length of a string; throws ENCODING_BAD_TEXT on a lone surrogate (TextEncoder would silently write
 * U+FFFD, so the bytes would not decode back to the same string).
 */
export function utf8Length(s: string): number {
  let len = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) len += 1;
    else if (c < 0x800) len += 2;
    else if (c < 0xd800 || c > 0xdfff) len += 3;
    else {
      const d = c <= 0xdbff && i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff)
        throw new EncodingError('ENCODING_BAD_TEXT', 'string has a lone surrogate');
      i++;
      len += 4;
    }
  }
  return len;
}

/** UTF-16 code unit reordered so that comparing units compares code points (surrogates sort above U+FFFF). */
function cpWeight(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

/** Order of two keys of equal UTF-8 length: code-point order, which is UTF-8 byte order. */
function compareSameLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < 0xd800 && y < 0xd800 ? x - y : cpWeight(x) - cpWeight(y);
  }
  return a.length - b.length;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function typeName(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v !== 'object' || v === null) return typeof v;
  return (v as object).constructor?.name ?? 'object';
}

class Writer {
  buf = new Uint8Array(INITIAL_SIZE);
  view = new DataView(this.buf.buffer);
  pos = 0;
  maxDepth = DEFAULT_MAX_DEPTH;

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Shortest head for a non-negative safe integer argument (§4.2.1). */
  head(major: number, n: number): void {
    this.reserve(9);
    const b = this.buf;
    const m = major << 5;
    let p = this.pos;
    if (n < 24) b[p++] = m | n;
    else if (n < 0x100) {
      b[p++] = m | 24;
      b[p++] = n;
    } else if (n < 0x10000) {
      b[p++] = m | 25;
      b[p++] = n >>> 8;
      b[p++] = n & 0xff;
    } else if (n < TWO_32) {
      b[p++] = m | 26;
      this.view.setUint32(p, n);
      p += 4;
    } else {
      b[p++] = m | 27;
      this.view.setUint32(p, Math.floor(n / TWO_32));
      this.view.setUint32(p + 4, n >>> 0);
      p += 8;
    }
    this.pos = p;
  }

  /** 8-byte head for an argument above 2^53 (a bigint that no shorter head can hold). */
  head64(major: number, n: bigint): void {
    this.reserve(9);
    this.buf[this.pos] = (major << 5) | 27;
    this.view.setBigUint64(this.pos + 1, n);
    this.pos += 9;
  }

  integer(v: number): void {
    if (v >= 0) this.head(0, v);
    else this.head(1, -1 - v);
  }

  bigint(v: bigint): void {
    if (v > MAX_U64 || v < MIN_N64)
      throw new EncodingError('ENCODING_INTEGER_RANGE', `integer ${v} outside CBOR range`);
    if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) this.integer(Number(v));
    else if (v >= 0n) this.head64(0, v);
    else this.head64(1, -1n - v);
  }

  text(s: string): void {
    const n = s.length;
    this.reserve(9 + 3 * n);
    // Optimistic ASCII path: UTF-8 length = string length, head size known up front.
    const start = this.pos;
    const headSize = n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    const b = this.buf;
    let p = start + headSize;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[p++] = c;
    }
    if (i === n) {
      this.head(3, n);
      this.pos = p;
      return;
    }
    this.pos = start;
    this.head(3, utf8Length(s));
    p = this.pos;
    for (i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) b[p++] = c;
      else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 63);
      } else if (c < 0xd800 || c > 0xdfff) {
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 63);
        b[p++] = 0x80 | (c & 63);
      } else {
        c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
        b[p++] = 0xf0 | (c >> 18);
        b[p++] = 0x80 | ((c >> 12) & 63);
        b[p++] = 0x80 | ((c >> 6) & 63);
        b[p++] = 0x80 | (c & 63);
      }
    }
    this.pos = p;
  }

  bytes(v: Uint8Array): void {
    this.head(2, v.length);
    this.reserve(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  map(obj: { readonly [key: string]: CborValue }, depth: number): void {
    // Own enumerable string keys, as JSON: symbol-keyed properties are not data (checking for them cost 25%).
    const keys = Object.keys(obj);
    const n = keys.length;
    const lens = new Array<number>(n);
    for (let i = 0; i < n; i++) lens[i] = utf8Length(keys[i]!);
    // Insertion sort by (UTF-8 length, bytes): maps here are small; the encoded-key order of §4.2.1.
    for (let i = 1; i < n; i++) {
      const k = keys[i]!;
      const l = lens[i]!;
      let j = i - 1;
      while (j >= 0 && (lens[j]! > l || (lens[j] === l && compareSameLength(keys[j]!, k) > 0))) {
        keys[j + 1] = keys[j]!;
        lens[j + 1] = lens[j]!;
        j--;
      }
      keys[j + 1] = k;
      lens[j + 1] = l;
    }
    this.head(5, n);
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      this.text(k);
      // An own "__proto__" data property shadows the accessor, so a plain read gets the data.
      this.value(obj[k] as CborValue, depth);
    }
  }

  value(v: CborValue, depth: number): void {
    switch (typeof v) {
      case 'number':
        if (!Number.isInteger(v) || Object.is(v, -0))
          throw new EncodingError('ENCODING_FLOAT', `${Object.is(v, -0) ? '-0' : v} is not an integer`);
        if (!Number.isSafeInteger(v))
          throw new EncodingError('ENCODING_INTEGER_RANGE', `${v} is not a safe integer; pass a bigint`);
        this.integer(v);
        return;
      case 'string':
        this.text(v);
        return;
      case 'boolean':
        this.reserve(1);
        this.buf[this.pos++] = v ? 0xf5 : 0xf4;
        return;
      case 'bigint':
        this.bigint(v);
        return;
      case 'object': {
        if (v === null) {
          this.reserve(1);
          this.buf[this.pos++] = 0xf6;
          return;
        }
        if (v instanceof Uint8Array) {
          this.bytes(v);
          return;
        }
        if (depth >= this.maxDepth)
          throw new EncodingError('ENCODING_TOO_DEEP', `nesting deeper than ${this.maxDepth}`);
        if (Array.isArray(v)) {
          const a = v as readonly CborValue[];
          this.head(4, a.length);
          for (let i = 0; i < a.length; i++) this.value(a[i] as CborValue, depth + 1);
          return;
        }
        if (isPlainObject(v)) {
          this.map(v as { readonly [key: string]: CborValue }, depth + 1);
          return;
        }
        break;
      }
    }
    throw new EncodingError('ENCODING_UNSUPPORTED_TYPE', `cannot encode ${typeName(v)}`);
  }
}

let idle: Writer | null = null;

/** Encode a value as canonical CBOR (RFC 8949 §4.2.1). Throws EncodingError for anything outside CborValue. */
export function encodeCanonical(value: CborValue, opts?: EncodeOptions): Uint8Array {
  const maxDepth = opts?.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0)
    throw new RangeError('opts.maxDepth must be an integer ≥ 0');
  // A getter could call us re-entrantly: take the idle writer or make a fresh one.
  const w = idle ?? new Writer();
  idle = null;
  w.pos = 0;
  w.maxDepth = maxDepth;
  try {
    w.value(value, 0);
    return w.buf.slice(0, w.pos);
  } catch (e) {
    if (e instanceof EncodingError) throw e;
    // Stack exhaustion on a cycle with a huge maxDepth, or a throwing getter.
    throw new EncodingError('ENCODING_UNSUPPORTED_TYPE', `cannot encode value: ${String(e)}`, undefined, {
      cause: e,
    });
  } finally {
    if (w.buf.length <= KEEP_LIMIT) idle = w;
  }
}
