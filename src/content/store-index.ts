/**
 * The content index in a ledger store's state rows (`LedgerStore.state`): per object, its size and chunk leaf hashes
 * while stored, its purge entry's seq once purged. With it, `FsContentStore` keeps only the bytes on its file system
 * (shared storage in a multi-server deployment) and every server on one PostgreSQL agrees on what is stored and what
 * was purged. Rows are written with compare-and-set: once when an object is stored, once when it is purged.
 *
 *   key    'c' ‖ digest (32 bytes)
 *   value  0x01 ‖ u64(size) ‖ leaf hashes (32 bytes per chunk)     stored
 *          0x02 ‖ u64(purge entry seq)                             purged
 */
import { concatBytes } from '../bytes';
import { StorageError } from '../errors';
import { readU64, u64 } from '../ledger/keyspace';
import type { LedgerStore } from '../ledger/store';
import { LEAF_HASH_LENGTH } from './chunk-format';

export const CONTENT_INDEX_KEY = 0x63; // 'c'
const STORED = 0x01;
const PURGED = 0x02;

export type ContentIndexRow =
  | { readonly state: 'stored'; readonly size: number; readonly chunkHashes: Uint8Array }
  | { readonly state: 'purged'; readonly purgeSeq: number };

export function encodeContentRow(row: ContentIndexRow): Uint8Array {
  return row.state === 'stored'
    ? concatBytes(Uint8Array.of(STORED), u64(row.size), row.chunkHashes)
    : concatBytes(Uint8Array.of(PURGED), u64(row.purgeSeq));
}

export function decodeContentRow(bytes: Uint8Array, hex: string): ContentIndexRow {
  const bad = () => new StorageError('STORAGE_CORRUPT', `content index row of ${hex} is malformed`);
  if (bytes.length < 9) throw bad();
  const n = readU64(bytes, 1);
  if (bytes[0] === STORED && (bytes.length - 9) % LEAF_HASH_LENGTH === 0)
    return { state: 'stored', size: n, chunkHashes: bytes.slice(9) };
  if (bytes[0] === PURGED && bytes.length === 9) return { state: 'purged', purgeSeq: n };
  throw bad();
}

/** The content index of one content store, in `store`'s state rows (the store stays the caller's to close). */
export class StoreContentIndex {
  constructor(readonly store: LedgerStore) {
    if (typeof store !== 'object' || store === null || typeof store.state?.compareAndSet !== 'function')
      throw new TypeError('index must be a LedgerStore');
  }

  #key(digest: Uint8Array): Uint8Array {
    return concatBytes(Uint8Array.of(CONTENT_INDEX_KEY), digest);
  }

  async get(digest: Uint8Array, hex: string): Promise<ContentIndexRow | undefined> {
    const bytes = await this.store.state.get(this.#key(digest));
    return bytes === undefined ? undefined : decodeContentRow(bytes, hex);
  }

  /**
   * Moves the row to `next` from whatever it holds, unless `keep(current)` says the current row already stands
   * (then nothing is written). Returns the row it replaced. Compare-and-set: another server's write in between is
   * read and decided on again, never overwritten unseen.
   */
  async update(
    digest: Uint8Array,
    hex: string,
    next: ContentIndexRow,
    keep: (current: ContentIndexRow | undefined) => boolean,
  ): Promise<ContentIndexRow | undefined> {
    const key = this.#key(digest);
    for (;;) {
      const bytes = await this.store.state.get(key);
      const current = bytes === undefined ? undefined : decodeContentRow(bytes, hex);
      if (keep(current)) return current;
      if (await this.store.state.compareAndSet(key, bytes, encodeContentRow(next))) return current;
    }
  }
}
