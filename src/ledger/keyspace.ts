/**
 * LevelDB keyspace (docs/FORMAT.md §Storage). Keys are bytes; every multi-byte integer is big-endian so that
 * LevelDB's byte order is numeric order.
 *
 *   'e' u64(seq)                          → signed entry bytes
 *   'n' u8(level) u64(index)              → 32-byte hash of the perfect subtree (level, index); level 0 = leaf hash
 *   'x' utf8(index) 0x00 utf8(key) 0x00 u64(seq) → empty value (derived index row)
 */

export const P_ENTRY = 0x65; // 'e'
export const P_NODE = 0x6e; // 'n'
export const P_INDEX = 0x78; // 'x'

export function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  writeU64(b, 0, n);
  return b;
}

/** Writes `n` big-endian into `b` at `off` (8 bytes). Keys are built in place: one allocation per key. */
function writeU64(b: Uint8Array, off: number, n: number): void {
  const hi = Math.floor(n / 0x1_0000_0000);
  const lo = n >>> 0;
  b[off] = hi >>> 24;
  b[off + 1] = (hi >>> 16) & 255;
  b[off + 2] = (hi >>> 8) & 255;
  b[off + 3] = hi & 255;
  b[off + 4] = lo >>> 24;
  b[off + 5] = (lo >>> 16) & 255;
  b[off + 6] = (lo >>> 8) & 255;
  b[off + 7] = lo & 255;
}

export function readU64(b: Uint8Array, off: number): number {
  const hi = ((b[off]! << 24) >>> 0) + (b[off + 1]! << 16) + (b[off + 2]! << 8) + b[off + 3]!;
  const lo = ((b[off + 4]! << 24) >>> 0) + (b[off + 5]! << 16) + (b[off + 6]! << 8) + b[off + 7]!;
  return hi * 0x1_0000_0000 + lo;
}

export function entryKey(seq: number): Uint8Array {
  const k = new Uint8Array(9);
  k[0] = P_ENTRY;
  writeU64(k, 1, seq);
  return k;
}

export function nodeKey(level: number, index: number): Uint8Array {
  const k = new Uint8Array(10);
  k[0] = P_NODE;
  k[1] = level;
  writeU64(k, 2, index);
  return k;
}

/**
 * The keys of many nodes, as views of one buffer. A store binding that reads a key's bytes first gives a small array
 * on V8's heap a backing store of its own outside it; one buffer for all the keys of a read spares that per key.
 */
export function nodeKeys(
  ids: ReadonlyArray<{ readonly level: number; readonly index: number }>,
): Uint8Array[] {
  const all = new Uint8Array(10 * ids.length);
  const out = new Array<Uint8Array>(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = nodeKeyAt(all, 10 * i, ids[i]!.level, ids[i]!.index);
  return out;
}

/** The keys of the entries `from` to `to` − 1, as views of one buffer (see nodeKeys). */
export function entryKeys(from: number, to: number): Uint8Array[] {
  const n = Math.max(0, to - from);
  const all = new Uint8Array(9 * n);
  const out = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) {
    all[9 * i] = P_ENTRY;
    writeU64(all, 9 * i + 1, from + i);
    out[i] = new Uint8Array(all.buffer, 9 * i, 9);
  }
  return out;
}

/** The keys of the leaves (level-0 nodes) of `seqs`, as views of one buffer (see nodeKeys). */
export function leafKeys(seqs: readonly number[]): Uint8Array[] {
  const all = new Uint8Array(10 * seqs.length);
  const out = new Array<Uint8Array>(seqs.length);
  for (let i = 0; i < seqs.length; i++) out[i] = nodeKeyAt(all, 10 * i, 0, seqs[i]!);
  return out;
}

function nodeKeyAt(all: Uint8Array, o: number, level: number, index: number): Uint8Array {
  all[o] = P_NODE;
  all[o + 1] = level;
  writeU64(all, o + 2, index);
  return new Uint8Array(all.buffer, all.byteOffset + o, 10); // not subarray: half its cost
}

const encoder = new TextEncoder();
/** Scratch space for the UTF-8 of index keys (grown as needed); each key is copied out of it once. */
let scratch = new Uint8Array(256);

/** 'x' utf8(index) 0x00 [utf8(key) 0x00] followed by `tail` zero bytes (room for a seq), in one allocation. */
function indexBytes(index: string, key: string | undefined, tail: number): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  const most = 3 * (index.length + (key?.length ?? 0)) + 3;
  if (scratch.length < most) scratch = new Uint8Array(most * 2);
  let o = 0;
  scratch[o++] = P_INDEX;
  o += encoder.encodeInto(index, scratch.subarray(o)).written;
  scratch[o++] = 0;
  if (key !== undefined) {
    o += encoder.encodeInto(key, scratch.subarray(o)).written;
    scratch[o++] = 0;
  }
  const out = new Uint8Array(o + tail);
  out.set(scratch.subarray(0, o));
  return out;
}

export function indexPrefix(index: string, key?: string): Uint8Array {
  return indexBytes(index, key, 0);
}

export function indexKey(index: string, key: string, seq: number): Uint8Array {
  const k = indexBytes(index, key, 8);
  writeU64(k, k.length - 8, seq);
  return k;
}

/** The keys of many index rows, as views of one buffer (see nodeKeys); each equals `indexKey` of its row. */
export function indexKeys(
  rows: ReadonlyArray<{ readonly index: string; readonly key: string; readonly seq: number }>,
): Uint8Array[] {
  return keysOfRows(rows, undefined);
}

/**
 * The keys of the index rows of the entry `seq`, as views of one buffer; each equals `indexKey(r.index, r.key, seq)`.
 * (An entry's rows go into one write: one buffer instead of one small array per row.)
 */
export function entryIndexKeys(
  rows: ReadonlyArray<{ readonly index: string; readonly key: string }>,
  seq: number,
): Uint8Array[] {
  return keysOfRows(rows, seq);
}

function keysOfRows(
  rows: ReadonlyArray<{ readonly index: string; readonly key: string; readonly seq?: number }>,
  seq: number | undefined,
): Uint8Array[] {
  let most = 0;
  for (const r of rows) most += indexKeyRoom(r.index, r.key);
  const all = new Uint8Array(most);
  const out = new Array<Uint8Array>(rows.length);
  let o = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const start = o;
    o = writeIndexKey(all, o, r.index, r.key, seq ?? r.seq!);
    out[i] = new Uint8Array(all.buffer, start, o - start);
  }
  return out;
}

/**
 * Writes the UTF-8 of `s` into `all` at `o` (room for 3 bytes a UTF-16 code unit) and returns the offset after it: the
 * bytes TextEncoder gives. ASCII (index names, ids, hex, digits) byte by byte; from the first other code unit on,
 * by TextEncoder (a code unit boundary there, since everything before it is ASCII).
 */
function putUtf8(all: Uint8Array, o: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return o + encoder.encodeInto(i === 0 ? s : s.slice(i), all.subarray(o)).written;
    all[o++] = c;
  }
  return o;
}

/**
 * The most bytes the key of a row (index, key) can take: UTF-8 takes at most 3 bytes per UTF-16 code unit; then the
 * prefix, two NULs and the seq.
 */
export function indexKeyRoom(index: string, key: string): number {
  return 3 * (index.length + key.length) + 11;
}

/**
 * Writes the key of row (index, key) → seq, byte for byte `indexKey(index, key, seq)`, into `out` at `off` (which must
 * have `indexKeyRoom(index, key)` bytes there); returns where it ends.
 */
export function writeIndexKey(out: Uint8Array, off: number, index: string, key: string, seq: number): number {
  let o = off;
  out[o++] = P_INDEX;
  o = putUtf8(out, o, index);
  out[o++] = 0;
  o = putUtf8(out, o, key);
  out[o++] = 0;
  writeU64(out, o, seq);
  return o + 8;
}

/** Smallest key greater than every key starting with `prefix`. */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  const end = prefix.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 255) {
      end[i]! += 1;
      return end.slice(0, i + 1);
    }
  }
  return Uint8Array.of(255, 255, 255, 255, 255, 255, 255, 255, 255, 255);
}

/** Parses an index row key; undefined when it is not a well-formed row. */
export function parseIndexKey(
  k: Uint8Array,
): { index: Uint8Array; key: Uint8Array; seq: number } | undefined {
  if (k[0] !== P_INDEX || k.length < 1 + 1 + 1 + 8) return undefined;
  const z1 = k.indexOf(0, 1);
  if (z1 < 0) return undefined;
  const z2 = k.length - 9;
  if (z2 <= z1 || k[z2] !== 0) return undefined;
  return { index: k.subarray(1, z1), key: k.subarray(z1 + 1, z2), seq: readU64(k, z2 + 1) };
}

/** The seq of an index row key that `parseIndexKey` takes, without allocating; −1 for a key it refuses. */
export function indexKeySeq(k: Uint8Array): number {
  const z2 = k.length - 9;
  if (k[0] !== P_INDEX || z2 < 2 || k[z2] !== 0) return -1;
  const z1 = k.indexOf(0, 1);
  return z1 < z2 ? readU64(k, z2 + 1) : -1;
}
