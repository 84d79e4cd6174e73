/** Chunk excerpts from a content store (Node): the chunk's bytes with their inclusion proof (excerpt-format.ts). */
import { bytesEqual } from '../bytes';
import { suiteById } from '../crypto/node-registry';
import { StorageError } from '../errors';
import type { ContentRef } from '../ledger/types';
import { SUITE_ID } from '../ledger/registry';
import { hashLeaf } from '../merkle/hash';
import { type ChunkRange, chunkCount, chunkRange } from './chunk-format';
import { chunkRootOf, sidecarMatches, splitLeafHashes } from './chunks';
import { type ChunkExcerpt, chunkProof } from './excerpt-format';
import { runPass } from './pass';
import { type ContentStore, checkRef, digestHex } from './store';

/** Reads a stored object's stream (or a range of it) of `length` bytes; STORAGE_CORRUPT when it is longer or shorter. */
export async function readExactly(stream: AsyncIterable<unknown>, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let at = 0;
  for await (const piece of stream) {
    const p = piece as Uint8Array;
    if (at + p.length > length)
      throw new StorageError('STORAGE_CORRUPT', 'stored object is longer than recorded');
    out.set(p, at);
    at += p.length;
  }
  if (at !== length) throw new StorageError('STORAGE_CORRUPT', 'stored object is shorter than recorded');
  return out;
}

/**
 * Chunk `index` of the stored object recorded as `ref`, with its inclusion proof against `ref.chunkRoot`: hand it to
 * `verifyChunkExcerpt` anywhere (browser included). The leaf hashes come from the object's sidecar when it matches
 * the record, else from re-hashing the object. Throws StorageError `STORAGE_CONTENT_MISSING` when the object is not
 * in the store and `STORAGE_CORRUPT` when it (or that chunk) differs from the record (`verifyContent` locates the
 * change); RangeError for an index beyond the file's chunks.
 */
export async function chunkExcerpt(
  store: ContentStore,
  ref: ContentRef,
  index: number,
): Promise<ChunkExcerpt & ChunkRange> {
  checkRef(ref);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError('index must be a non-negative integer');
  const count = chunkCount(ref.size);
  if (index >= count) throw new RangeError(`index ${index} is not below the chunk count ${count}`);
  const hex = digestHex(ref.digest);
  const suite = suiteById(store.suite ?? SUITE_ID);
  let leaves = await store.chunkHashes(ref.digest);
  if (leaves === undefined || !sidecarMatches(suite.hash, leaves, ref.size, ref.chunkRoot)) {
    const pass = await runPass(store.get(ref.digest), { suite: suite.id });
    leaves = pass.leafHashes;
    if (pass.size !== ref.size || !bytesEqual(chunkRootOf(suite.hash, leaves), ref.chunkRoot))
      throw new StorageError(
        'STORAGE_CORRUPT',
        `stored object ${hex} differs from its record (verifyContent locates the change)`,
      );
  }
  const range = chunkRange(index, ref.size);
  const bytes = await readExactly(store.get(ref.digest, range), range.end - range.start);
  const leafHashes = splitLeafHashes(leaves);
  if (!bytesEqual(hashLeaf(suite.hash, bytes), leafHashes[index]!))
    throw new StorageError(
      'STORAGE_CORRUPT',
      `chunk ${index} (bytes ${range.start}–${range.end}) of stored object ${hex} differs from the recorded chunk`,
    );
  return { ...range, bytes, proof: chunkProof(suite.hash, leafHashes, index) };
}
