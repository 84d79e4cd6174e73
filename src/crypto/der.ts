/**
 * The little DER (X.690 §10) the key and signature formats need: read one TLV strictly (definite, minimal lengths),
 * write one TLV, and unsigned INTEGERs as fixed-width big-endian bytes. No node: imports. Errors are `DerError`,
 * turned into the caller's CryptoError code.
 */

export class DerError extends Error {}

export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
  /** Offset just past this TLV in the input. */
  readonly end: number;
}

/** The TLV at `offset`; single-byte tags only, lengths in minimal definite form (at most 2 length bytes). */
export function readTlv(der: Uint8Array, offset: number): Tlv {
  if (offset + 2 > der.length) throw new DerError('truncated');
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tag');
  let len = der[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 2) throw new DerError('indefinite or oversized length');
    if (pos + n > der.length) throw new DerError('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | der[pos + i]!;
    pos += n;
    if (len < 0x80 || (n === 2 && len < 0x100)) throw new DerError('non-minimal length');
  }
  if (pos + len > der.length) throw new DerError('truncated value');
  return { tag, value: der.subarray(pos, pos + len), end: pos + len };
}

/** Reads a TLV that must carry `tag`. */
export function expectTlv(der: Uint8Array, offset: number, tag: number, what: string): Tlv {
  const t = readTlv(der, offset);
  if (t.tag !== tag)
    throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  return t;
}

export function writeTlv(tag: number, value: Uint8Array): Uint8Array {
  const len = value.length;
  const head = len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 0xff];
  const out = new Uint8Array(head.length + len);
  out.set(head);
  out.set(value, head.length);
  return out;
}

/** A non-negative DER INTEGER's content as exactly `width` big-endian bytes; DerError if negative, non-minimal or wider. */
export function integerToFixed(content: Uint8Array, width: number): Uint8Array {
  if (content.length === 0) throw new DerError('empty INTEGER');
  if (content[0]! & 0x80) throw new DerError('negative INTEGER');
  if (content.length > 1 && content[0] === 0 && !(content[1]! & 0x80))
    throw new DerError('non-minimal INTEGER');
  const bytes = content[0] === 0 && content.length > 1 ? content.subarray(1) : content;
  if (bytes.length > width) throw new DerError('INTEGER too large');
  const out = new Uint8Array(width);
  out.set(bytes, width - bytes.length);
  return out;
}

/** The minimal DER INTEGER content of the unsigned big-endian `bytes`. */
export function fixedToInteger(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  if (!(trimmed[0]! & 0x80)) return trimmed.slice();
  const out = new Uint8Array(trimmed.length + 1);
  out.set(trimmed, 1);
  return out;
}
