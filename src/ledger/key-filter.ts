/**
 * A complete in-memory filter of the keys of one index (docs/design/append.md §8): it answers "no row has this key"
 * without a storage read, and "maybe" otherwise. It is sound only because it never says "no" for a key that has a
 * row: every key of the index is in it — those stored when it was built (one keys-only scan) and those the ledger
 * writes or catches up with afterwards, added before any check reads past them. A "maybe" goes to storage, as every
 * lookup did before: a false "maybe" costs one read, a false "no" would let a duplicate id in.
 *
 * An index row's key is prefix(index, key) ‖ u64 seq (docs/FORMAT.md §Storage), so "is this id new" is otherwise a
 * range read — a LevelDB iterator per id, 50–125 µs of CPU, where a filter probe costs well under 1 µs.
 *
 * Memory: a 32-bit fingerprint of the key's UTF-8 bytes per distinct key, in an open-addressing table at most 3/4
 * full and at least 3/8 full once grown (power-of-two sizes): 5.3–10.7 bytes per key, twice that for a moment while
 * it grows. False "maybe": about n / 2^32 for n keys (0.02 % at a million). At most MAX_FILTER_KEYS keys (the ledger
 * drops a filter that would grow past it and reads storage for that index again).
 */

/** The most distinct keys one filter holds (a table of 2^24 slots, 64 MiB). */
export const MAX_FILTER_KEYS = 12_582_912;
const MIN_SLOTS = 1024;

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** FNV-1a over bytes, then a 32-bit avalanche so that the low bits (the slot) depend on every byte. Never 0. */
function fingerprint(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return mix(h);
}

/** The avalanche step of `fingerprint`, on its FNV-1a state. Never 0. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0 || 1;
}

/** The fingerprint of a key as the store holds it (UTF-8, as `indexKey` encodes it); undefined for a key with NUL. */
function fingerprintOf(key: string): number | undefined {
  // An ASCII key is its own UTF-8: the same FNV-1a steps over its code units, with no copy.
  let h = 0x811c9dc5;
  let ascii = true;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    if (c === 0) return undefined;
    h = Math.imul(h ^ c, 0x01000193);
  }
  if (ascii) return mix(h);
  if (scratch.length < 3 * key.length) scratch = new Uint8Array(6 * key.length);
  const n = encoder.encodeInto(key, scratch).written;
  // A NUL byte ends the key part of a row: a key containing one is answered by storage, never by the filter.
  if (scratch.subarray(0, n).includes(0)) return undefined;
  return fingerprint(scratch, 0, n);
}

export class KeyFilter {
  private table = new Uint32Array(MIN_SLOTS);
  private count = 0;
  /** Set once the keys stored when the filter was made are all in (until then it must not answer). */
  ready = false;
  /** Set when it would outgrow MAX_FILTER_KEYS: it no longer holds every key, and must not answer. */
  overflowed = false;

  /** Distinct fingerprints held. */
  get size(): number {
    return this.count;
  }

  /** Bytes of its table. */
  get bytes(): number {
    return this.table.byteLength;
  }

  /** Adds a key given as a string (as check hooks and index rows name it). */
  add(key: string): void {
    const f = fingerprintOf(key);
    if (f !== undefined) this.insert(f);
  }

  /**
   * Adds the key of a stored index row: `row` is prefix(index) ‖ key ‖ 0 ‖ u64 seq, and `from` the prefix's length.
   * The key is the bytes up to the first 0 after the prefix (keys hold no NUL), exactly what a lookup's prefix
   * matches; a row with no 0 after its prefix matches no lookup and adds nothing.
   */
  addRow(row: Uint8Array, from: number): void {
    const end = row.indexOf(0, from);
    if (end >= 0) this.insert(fingerprint(row, from, end));
  }

  /** False only when no row of the index has `key` (always true before the filter is ready, or once overflowed). */
  mayHave(key: string): boolean {
    if (!this.ready || this.overflowed) return true;
    const f = fingerprintOf(key);
    if (f === undefined) return true;
    const t = this.table;
    const mask = t.length - 1;
    for (let i = f & mask; ; i = (i + 1) & mask) {
      const x = t[i]!;
      if (x === f) return true;
      if (x === 0) return false;
    }
  }

  private insert(f: number): void {
    if (this.overflowed) return;
    let t = this.table;
    let mask = t.length - 1;
    for (let i = f & mask; ; i = (i + 1) & mask) {
      const x = t[i]!;
      if (x === f) return;
      if (x === 0) {
        t[i] = f;
        break;
      }
    }
    this.count++;
    if (4 * this.count <= 3 * t.length) return;
    if (this.count >= MAX_FILTER_KEYS) {
      this.overflowed = true;
      this.table = new Uint32Array(0);
      return;
    }
    const old = t;
    t = new Uint32Array(old.length * 2);
    mask = t.length - 1;
    for (const x of old) {
      if (x === 0) continue;
      let i = x & mask;
      while (t[i] !== 0) i = (i + 1) & mask;
      t[i] = x;
    }
    this.table = t;
  }
}
