/**
 * Strict canonical CBOR decoder for untrusted input. Accepts exactly the bytes `encodeCanonical` produces
 * (RFC 8949 §4.2.1) and names the first rule broken. Canonical form is checked on the bytes as they are read, in one
 * pass, with no re-encoding: every head has the shortest argument; lengths are definite; map keys are text strings
 * whose encodings are strictly increasing bytewise (which is the encoder's length-first, then byte order, and rules
 * out duplicates); text is well-formed UTF-8 (so it encodes back to the same bytes); no floats, tags, undefined or
 * other simple values; nothing after the item. Those are all the ways two encodings of one value can differ, so an
 * accepted input is the one canonical encoding of its value (test/encoding/reject.test.ts checks that by
 * re-encoding, over mutated and random inputs). Every error thrown is an EncodingError, with its byte offset.
 */
import { EncodingError, type EncodingErrorCode } from '../errors';
import type { CborValue } from './value';
import { DEFAULT_MAX_DEPTH } from './encode';

export interface DecodeOptions {
  /** Maximum container nesting (an array or map counts one level). Default 64. */
  readonly maxDepth?: number;
  /**
   * Byte strings as views of the input rather than copies (for a caller that owns the input, never changes it and
   * keeps it as long as the value). Default false.
   */
  readonly views?: boolean;
}

const TWO_32 = 0x1_0000_0000;
/** ignoreBOM: a leading U+FEFF is data, not a marker to strip (stripping would change the value). */
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const KEY_CACHE_SIZE = 512;
const KEY_CACHE_MAX_LEN = 24;
const keyCache = new Array<string | undefined>(KEY_CACHE_SIZE);

function fail(code: EncodingErrorCode, message: string, offset: number): never {
  throw new EncodingError(code, message, offset);
}

class Reader {
  pos = 0;
  constructor(
    readonly b: Uint8Array,
    readonly maxDepth: number,
    readonly views: boolean,
  ) {}

  need(n: number, at: number): void {
    if (this.pos + n > this.b.length) fail('ENCODING_MALFORMED', 'unexpected end of input', at);
  }

  /**
   * Reads the argument of the head whose initial byte was just consumed (§3). Returns a number, or a bigint when
   * above 2^53 − 1. Rejects non-shortest forms (§4.2.1), reserved values and indefinite lengths.
   */
  arg(major: number, ai: number, at: number): number | bigint {
    const b = this.b;
    if (ai < 24) return ai;
    let n: number;
    switch (ai) {
      case 24:
        this.need(1, at);
        n = b[this.pos++]!;
        if (n < 24) fail('ENCODING_NON_SHORTEST_INT', 'argument fits in the initial byte', at);
        return n;
      case 25:
        this.need(2, at);
        n = (b[this.pos]! << 8) | b[this.pos + 1]!;
        this.pos += 2;
        if (n < 0x100) fail('ENCODING_NON_SHORTEST_INT', 'argument fits in 1 byte', at);
        return n;
      case 26:
        this.need(4, at);
        n =
          ((b[this.pos]! << 24) >>> 0) +
          ((b[this.pos + 1]! << 16) | (b[this.pos + 2]! << 8) | b[this.pos + 3]!);
        this.pos += 4;
        if (n < 0x10000) fail('ENCODING_NON_SHORTEST_INT', 'argument fits in 2 bytes', at);
        return n;
      case 27: {
        this.need(8, at);
        const p = this.pos;
        const hi = ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
        const lo = ((b[p + 4]! << 24) >>> 0) + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
        this.pos += 8;
        if (hi === 0) fail('ENCODING_NON_SHORTEST_INT', 'argument fits in 4 bytes', at);
        if (hi < 0x20_0000) return hi * TWO_32 + lo;
        return (BigInt(hi) << 32n) | BigInt(lo);
      }
      case 31:
        if (major >= 2 && major <= 5) fail('ENCODING_INDEFINITE_LENGTH', 'indefinite length', at);
        return fail(
          'ENCODING_MALFORMED',
          major === 7 ? 'unexpected break' : 'invalid additional information',
          at,
        );
      default:
        return fail('ENCODING_MALFORMED', 'reserved additional information', at);
    }
  }

  length(major: number, ai: number, at: number): number {
    const n = this.arg(major, ai, at);
    // Every element takes at least one byte, so a length beyond the input is malformed before we allocate.
    if (typeof n !== 'number' || n > this.b.length - this.pos)
      fail('ENCODING_MALFORMED', 'length exceeds remaining input', at);
    return n;
  }

  text(n: number, at: number): string {
    const b = this.b;
    const start = this.pos;
    this.need(n, at);
    this.pos += n;
    if (n <= 32) {
      let s = '';
      let i = start;
      for (; i < start + n; i++) {
        const c = b[i]!;
        if (c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      if (i === start + n) return s;
    }
    try {
      return textDecoder.decode(b.subarray(start, start + n));
    } catch {
      return fail('ENCODING_BAD_TEXT', 'invalid UTF-8 in text string', at);
    }
  }

  /**
   * A map key. Short ASCII keys repeat across entries, so they come from a small cache: re-using one string
   * instance spares building it and V8 re-internalising it as a property name.
   */
  key(n: number, at: number): string {
    if (n > KEY_CACHE_MAX_LEN || this.pos + n > this.b.length) return this.text(n, at);
    const b = this.b;
    const start = this.pos;
    let h = n;
    for (let i = start; i < start + n; i++) {
      const c = b[i]!;
      if (c >= 0x80) return this.text(n, at);
      h = (Math.imul(h, 31) + c) | 0;
    }
    const slot = (h ^ (h >>> 9)) & (KEY_CACHE_SIZE - 1);
    const cached = keyCache[slot];
    this.pos += n;
    if (cached !== undefined && cached.length === n) {
      let i = 0;
      while (i < n && cached.charCodeAt(i) === b[start + i]) i++;
      if (i === n) return cached;
    }
    const s = String.fromCharCode.apply(null, b.subarray(start, start + n) as unknown as number[]);
    keyCache[slot] = s;
    return s;
  }

  value(depth: number): CborValue {
    const at = this.pos;
    this.need(1, at);
    const ib = this.b[this.pos++]!;
    const major = ib >> 5;
    const ai = ib & 31;
    switch (major) {
      case 0: {
        const n = this.arg(0, ai, at);
        return n;
      }
      case 1: {
        const n = this.arg(1, ai, at);
        return typeof n === 'number' && n < Number.MAX_SAFE_INTEGER ? -1 - n : -1n - BigInt(n);
      }
      case 2: {
        const n = this.length(2, ai, at);
        this.need(n, at);
        // A view made by the constructor: what `subarray` gives for this plain Uint8Array, at half its cost.
        const out = this.views
          ? new Uint8Array(this.b.buffer, this.b.byteOffset + this.pos, n)
          : this.b.slice(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      case 3:
        return this.text(this.length(3, ai, at), at);
      case 4: {
        const n = this.length(4, ai, at);
        if (depth >= this.maxDepth) fail('ENCODING_TOO_DEEP', `nesting deeper than ${this.maxDepth}`, at);
        const out = new Array<CborValue>(n);
        for (let i = 0; i < n; i++) out[i] = this.value(depth + 1);
        return out;
      }
      case 5:
        return this.map(this.length(5, ai, at), at, depth);
      case 6:
        // §3.4; additional information 28–31 on a tag is not even well-formed (§3, §3.2.1).
        if (ai >= 28) fail('ENCODING_MALFORMED', 'invalid additional information', at);
        return fail('ENCODING_TAG', 'tags are not allowed', at);
      default:
        return this.simple(ai, at);
    }
  }

  map(n: number, at: number, depth: number): CborValue {
    if (depth >= this.maxDepth) fail('ENCODING_TOO_DEEP', `nesting deeper than ${this.maxDepth}`, at);
    const b = this.b;
    const out: { [key: string]: CborValue } = {};
    let prevStart = -1;
    let prevEnd = -1;
    for (let i = 0; i < n; i++) {
      const keyAt = this.pos;
      this.need(1, keyAt);
      const ib = b[this.pos++]!;
      if (ib >> 5 !== 3) {
        // A float or tag key gets its own code; any other non-text key is a type we do not support.
        if (ib >> 5 === 6) fail('ENCODING_TAG', 'tags are not allowed', keyAt);
        if (ib >= 0xf9 && ib <= 0xfb) fail('ENCODING_FLOAT', 'floating-point value', keyAt);
        fail('ENCODING_UNSUPPORTED_TYPE', 'map key is not a text string', keyAt);
      }
      const key = this.key(this.length(3, ib & 31, keyAt), keyAt);
      // §4.2.1: keys sorted bytewise by their encodings; equal encodings are duplicates.
      if (prevStart >= 0) {
        const c = compareRange(b, prevStart, prevEnd, keyAt, this.pos);
        if (c === 0) fail('ENCODING_DUPLICATE_KEY', `duplicate map key ${JSON.stringify(key)}`, keyAt);
        if (c > 0) fail('ENCODING_UNSORTED_KEYS', `map key ${JSON.stringify(key)} out of order`, keyAt);
      }
      prevStart = keyAt;
      prevEnd = this.pos;
      const v = this.value(depth + 1);
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      else out[key] = v;
    }
    return out;
  }

  simple(ai: number, at: number): CborValue {
    switch (ai) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return fail('ENCODING_UNSUPPORTED_TYPE', 'undefined is not allowed', at);
      case 24:
        this.need(1, at);
        // §3.3: simple values below 32 in the one-byte form are not well-formed.
        if (this.b[this.pos++]! < 32) fail('ENCODING_MALFORMED', 'invalid simple value encoding', at);
        return fail('ENCODING_UNSUPPORTED_TYPE', 'unassigned simple value', at);
      case 25:
      case 26:
      case 27:
        this.need(1 << (ai - 24), at);
        return fail('ENCODING_FLOAT', 'floating-point value', at);
      case 31:
        return fail('ENCODING_MALFORMED', 'unexpected break', at);
      default:
        if (ai < 24) return fail('ENCODING_UNSUPPORTED_TYPE', 'unassigned simple value', at);
        return fail('ENCODING_MALFORMED', 'reserved additional information', at);
    }
  }
}

function compareRange(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): number {
  const n = Math.min(e1 - s1, e2 - s2);
  for (let i = 0; i < n; i++) {
    const d = b[s1 + i]! - b[s2 + i]!;
    if (d !== 0) return d;
  }
  return e1 - s1 - (e2 - s2);
}

/**
 * Decode canonical CBOR. Integers come back as `number` when safe, else `bigint`; byte strings as plain
 * Uint8Array copies (views with `views`); maps as plain objects with text keys. Throws EncodingError on anything else.
 */
export function decodeCanonical(bytes: Uint8Array, opts?: DecodeOptions): CborValue {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  const maxDepth = opts?.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0)
    throw new RangeError('opts.maxDepth must be an integer ≥ 0');
  // A Buffer (or other subclass) is viewed as a plain Uint8Array so that slices are plain Uint8Arrays.
  const b =
    bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  let value: CborValue;
  try {
    const r = new Reader(b, maxDepth, opts?.views === true);
    value = r.value(0);
    if (r.pos !== b.length) fail('ENCODING_TRAILING_BYTES', 'bytes after the data item', r.pos);
  } catch (e) {
    if (e instanceof EncodingError) throw e;
    // Defence in depth (e.g. stack exhaustion with a huge maxDepth): nothing but EncodingError escapes.
    throw new EncodingError('ENCODING_MALFORMED', `cannot decode: ${String(e)}`, undefined, { cause: e });
  }
  return value;
}
