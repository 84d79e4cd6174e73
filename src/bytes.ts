/** Byte helpers that run everywhere (no Buffer, no node: imports). */
import { EncodingError } from './errors';

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

/**
 * The one hex decoder: an even number of hex digits (either case) → bytes. Anything else throws EncodingError
 * ENCODING_BAD_HEX with the offset of the first bad character (or of the lone last digit).
 */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError('hex must be a string');
  const bad = /[^0-9a-fA-F]/.exec(hex);
  if (bad)
    throw new EncodingError('ENCODING_BAD_HEX', `not a hex digit: ${JSON.stringify(bad[0])}`, bad.index);
  if (hex.length % 2 !== 0)
    throw new EncodingError('ENCODING_BAD_HEX', 'hex must have an even number of digits', hex.length - 1);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic byte order (-1, 0, 1). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const encoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is kept as a character, not silently dropped (bytes ↔ text must round-trip exactly).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Strict UTF-8 decode: throws TypeError on invalid sequences. */
export function fromUtf8(b: Uint8Array): string {
  return decoder.decode(b);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Strict standard base64 decode (RFC 4648 §4): padding required, no whitespace, non-zero trailing bits rejected,
 * so every byte string has exactly one accepted text form. Throws RangeError otherwise.
 */
export function fromBase64(text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('base64 text must be a string');
  if (text.length % 4 !== 0) throw new RangeError('base64 length must be a multiple of 4');
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const vals = [0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      if (last && c === 61 /* = */ && j >= 4 - pad) continue;
      const v = c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) throw new RangeError(`invalid base64 character at ${i + j}`);
      vals[j] = v;
    }
    const n = (vals[0]! << 18) | (vals[1]! << 12) | (vals[2]! << 6) | vals[3]!;
    if (last && pad === 2 && (n & 0xffff) !== 0) throw new RangeError('non-canonical base64 (trailing bits)');
    if (last && pad === 1 && (n & 0xff) !== 0) throw new RangeError('non-canonical base64 (trailing bits)');
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
