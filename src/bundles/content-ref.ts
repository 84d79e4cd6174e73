/** ContentRef of in-memory bytes (docs/FORMAT.md §Content, v1): SHA-256, size, RFC 9162 root over 1 MiB chunks. Pure. */
import type { HashFn } from '../crypto/types';
import type { ContentRef } from '../ledger/types';
import { CHUNK_SIZE } from '../content/chunk-format';
import { hashLeaf, rootFromLeafHashes } from '../merkle/hash';

export function contentRefOfBytes(bytes: Uint8Array, hash: HashFn): ContentRef {
  const leaves: Uint8Array[] = [];
  for (let off = 0; off < bytes.length; off += CHUNK_SIZE)
    leaves.push(hashLeaf(hash, bytes.subarray(off, off + CHUNK_SIZE)));
  return { digest: hash(bytes), size: bytes.length, chunkRoot: rootFromLeafHashes(hash, leaves) };
}
