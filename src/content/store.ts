import type { Readable } from 'node:stream';
import { toHex } from '../bytes';
import type { SuiteId } from '../crypto/types';
import type { ContentRef } from '../ledger/types';

/** A file path, or a byte stream (a Node Readable, or any async iterable of Uint8Array pieces of any size). */
export type ContentSource = string | AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

export interface Progress {
  readonly bytesDone: number;
  /** Known when the source is a file path. */
  readonly totalBytes?: number;
}

/** Options of every streaming pass (ingest, hashing, verification). */
export interface PassOptions {
  /**
   * The crypto suite whose hash addresses the content: the suite of the ledger that records it (default
   * `ed25519-sha256`). A content store fixes its own (`ContentStore.suite`), which takes precedence.
   */
  readonly suite?: SuiteId;
  /** Called after each chunk (1 MiB) is hashed. */
  readonly onProgress?: (p: Progress) => void;
  /** Aborting rejects with `signal.reason`; an aborted ingest leaves nothing in the store. */
  readonly signal?: AbortSignal;
}

/** A content digest: 32 bytes, or its 64-character hex form. */
export type DigestLike = Uint8Array | string;

/** A byte range [start, end) of a stored object; a ChunkRange fits. */
export interface ByteRange {
  readonly start?: number;
  /** Exclusive. */
  readonly end?: number;
}

/**
 * Large files addressed by the suite's hash, SHA-256 or SM3 (see chunks.ts for the ContentRef format). Content is immutable once stored:
 * there is no update, and no delete other than `removeForPurge`.
 */
export interface ContentStore {
  /** The suite whose hash addresses the objects (the ledger's suite); absent means `ed25519-sha256`. */
  readonly suite?: SuiteId;
  /**
   * Stores the source's bytes in one streaming pass and returns their ContentRef. MUST NOT resolve before the object
   * and its chunk-hash sidecar are durable (file and directory fsynced). An interrupted or failed put leaves no object.
   * Storing bytes that are already present keeps the existing object.
   */
  put(source: ContentSource, opts?: PassOptions): Promise<ContentRef>;
  /** The object's bytes; a missing object makes the stream error with StorageError `STORAGE_CONTENT_MISSING`. */
  get(digest: DigestLike, range?: ByteRange): Readable;
  has(digest: DigestLike): Promise<boolean>;
  stat(digest: DigestLike): Promise<{ readonly size: number } | undefined>;
  /** The stored chunk leaf hashes (sidecar bytes, 32 per chunk), unchecked; undefined when absent. */
  chunkHashes(digest: DigestLike): Promise<Uint8Array | undefined>;
  /** Local file path of the object, when the store keeps objects as local files (lets verification read in place). */
  path?(digest: DigestLike): string;
  /**
   * Deletes an object and its sidecar, leaving a tombstone naming `purgeSeq`. Called ONLY by the retention purge
   * path, after the purge entry `purgeSeq` is durable in the ledger. Resolves true when an object was removed.
   */
  removeForPurge(digest: DigestLike, purgeSeq: number): Promise<boolean>;
  /** The purge entry seq recorded by `removeForPurge` for this digest, if any (a hint; the ledger is the authority). */
  purgedBy(digest: DigestLike): Promise<number | undefined>;
}

/** Lowercase hex of a digest argument; TypeError/RangeError naming `name` on misuse. */
export function digestHex(digest: DigestLike, name = 'digest'): string {
  if (typeof digest === 'string') {
    if (!/^[0-9a-fA-F]{64}$/.test(digest)) throw new RangeError(`${name} must be 64 hex characters`);
    return digest.toLowerCase();
  }
  if (!(digest instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array or a hex string`);
  if (digest.length !== 32) throw new RangeError(`${name} must be 32 bytes`);
  return toHex(digest);
}

/** Checks a ContentRef's shape; TypeError/RangeError naming the field. */
export function checkRef(ref: ContentRef, name = 'ref'): void {
  if (typeof ref !== 'object' || ref === null) throw new TypeError(`${name} must be a ContentRef`);
  for (const field of ['digest', 'chunkRoot'] as const) {
    const v: unknown = ref[field];
    if (!(v instanceof Uint8Array)) throw new TypeError(`${name}.${field} must be a Uint8Array`);
    if (v.length !== 32) throw new RangeError(`${name}.${field} must be 32 bytes`);
  }
  if (!Number.isSafeInteger(ref.size) || ref.size < 0)
    throw new RangeError(`${name}.size must be a non-negative integer`);
}
