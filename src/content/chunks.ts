/**
 * Content reference format, version 1 (copied to docs/FORMAT.md).
 *
 * A file of `size` bytes is referenced by `ContentRef = { digest, size, chunkRoot }`:
 * - `digest` = H(whole file), 32 bytes, where H is the hash of the ledger's crypto suite: SHA-256 (FIPS 180-4) for
 *   `ed25519-sha256`, SM3 (GB/T 32905) for `sm2-sm3`. Below, SHA-256 stands for H.
 * - The file is split into chunks of exactly CHUNK_SIZE = 1,048,576 bytes (1 MiB); the last chunk holds the
 *   remaining 1..CHUNK_SIZE bytes. Chunk i covers bytes [i·CHUNK_SIZE, min((i+1)·CHUNK_SIZE, size)).
 *   A file has ceil(size / CHUNK_SIZE) chunks; a 0-byte file has none.
 * - Leaf hash of chunk i: `L_i = SHA-256(0x00 ‖ chunk_i)` (RFC 9162 §2.1.1 leaf hash, `hashLeaf`).
 * - `chunkRoot` = RFC 9162 §2.1.1 Merkle Tree Hash over the leaves L_0..L_{n-1}: interior nodes are
 *   `SHA-256(0x01 ‖ left ‖ right)` (`hashChildren`), split at the largest power of two smaller than n;
 *   with no chunks (0-byte file) `chunkRoot = SHA-256("")` = e3b0c442…b855.
 * The chunk size is part of the format: v1 fixes it at 1 MiB; a different size is a different format version.
 *
 * Chunk-hash sidecar (content store, `<hex>.chunks`): the leaf hashes L_0‖L_1‖…‖L_{n-1}, 32 bytes each, no header.
 * It is self-checking: it is only trusted when its length is 32·n and its Merkle root equals the recorded chunkRoot.
 */
import type { HashFn } from '../crypto/types';
import { LEAF_HASH_LENGTH, chunkCount } from './chunk-format';
import { bytesEqual } from '../bytes';
import { rootFromLeafHashes } from '../merkle/hash';

export { CHUNK_SIZE, LEAF_HASH_LENGTH, chunkCount, chunkRange } from './chunk-format';
export type { ChunkRange } from './chunk-format';

/** Splits concatenated leaf hashes (sidecar bytes) into 32-byte views. */
export function splitLeafHashes(concatenated: Uint8Array): Uint8Array[] {
  if (concatenated.length % LEAF_HASH_LENGTH !== 0)
    throw new RangeError('chunk hashes must be a multiple of 32 bytes');
  const out: Uint8Array[] = [];
  for (let off = 0; off < concatenated.length; off += LEAF_HASH_LENGTH) {
    out.push(concatenated.subarray(off, off + LEAF_HASH_LENGTH));
  }
  return out;
}

/** RFC 9162 Merkle Tree Hash with the suite's `hash` over chunk leaf hashes (concatenated, 32 bytes each). */
export function chunkRootOf(hash: HashFn, concatenated: Uint8Array): Uint8Array {
  return rootFromLeafHashes(hash, splitLeafHashes(concatenated));
}

/** True when `concatenated` is exactly the leaf hashes of a file of `size` bytes with root `chunkRoot` under `hash`. */
export function sidecarMatches(
  hash: HashFn,
  concatenated: Uint8Array,
  size: number,
  chunkRoot: Uint8Array,
): boolean {
  return (
    concatenated.length === chunkCount(size) * LEAF_HASH_LENGTH &&
    bytesEqual(chunkRootOf(hash, concatenated), chunkRoot)
  );
}
