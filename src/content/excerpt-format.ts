/**
 * Chunk excerpts: one chunk of a recorded file with an RFC 9162 §2.1.3 inclusion proof against the file's
 * `chunkRoot`. A 1 MiB piece of a body-camera recording can so be shown to be part of the recorded file without the
 * rest of it (docs/FORMAT.md §Chunk excerpt). Pure (no Node module): the browser verification entry uses it.
 */
import { bytesEqual } from '../bytes';
import type { HashFn } from '../crypto/types';
import { CryptoError } from '../errors';
import { hashLeaf, rootFromLeafHashes } from '../merkle/hash';
import { inclusionProofPlan, materialize } from '../merkle/proof-plan';
import { rootFromInclusionProof } from '../merkle/verify';
import { type ChunkRange, chunkCount, chunkRange } from './chunk-format';

export interface ChunkExcerpt {
  /** Chunk index (0-based); the chunk covers bytes [index · 1 MiB, min((index + 1) · 1 MiB, size)). */
  readonly index: number;
  /** The chunk's bytes. */
  readonly bytes: Uint8Array;
  /** RFC 9162 inclusion proof of the chunk's leaf hash SHA-256(0x00 ‖ bytes) in the tree of the file's chunks. */
  readonly proof: readonly Uint8Array[];
}

export type ExcerptCheckCode =
  | 'EXCERPT_OK'
  | 'EXCERPT_OUT_OF_RANGE'
  | 'EXCERPT_WRONG_LENGTH'
  | 'EXCERPT_PROOF_INVALID';

export interface ExcerptCheck {
  readonly ok: boolean;
  readonly code: ExcerptCheckCode;
  readonly message: string;
  /** The byte range of the recorded file the excerpt covers (absent when the index is out of range). */
  readonly range?: ChunkRange;
}

/** The part of a ContentRef an excerpt is checked against. */
export interface ExcerptTarget {
  readonly size: number;
  readonly chunkRoot: Uint8Array;
}

function checkIndex(index: unknown): asserts index is number {
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0)
    throw new RangeError('index must be a non-negative integer');
}

/**
 * The inclusion proof of chunk `index` among `leafHashes` (the file's chunk leaf hashes in order), built from the
 * leaves: each proof node is the Merkle root of the perfect subtree it stands for.
 */
export function chunkProof(hash: HashFn, leafHashes: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Array.isArray(leafHashes)) throw new TypeError('leafHashes must be an array of Uint8Array');
  checkIndex(index);
  if (index >= leafHashes.length)
    throw new RangeError(`index ${index} is not below the chunk count ${leafHashes.length}`);
  return materialize(hash, inclusionProofPlan(index, leafHashes.length), (id) => {
    const first = id.index * 2 ** id.level;
    return rootFromLeafHashes(hash, leafHashes.slice(first, first + 2 ** id.level));
  });
}

/**
 * Checks that `excerpt` is chunk `excerpt.index` of the file recorded as `target` (its size and chunkRoot): the
 * index is within the file, the bytes have the chunk's length, and the proof leads from SHA-256(0x00 ‖ bytes) to
 * the chunkRoot. A failed check is a result with a stable code, never a throw; misuse (wrong argument types) throws
 * TypeError/RangeError.
 */
export function verifyChunkExcerpt(hash: HashFn, target: ExcerptTarget, excerpt: ChunkExcerpt): ExcerptCheck {
  if (typeof hash !== 'function') throw new TypeError('hash must be a function');
  if (typeof target !== 'object' || target === null)
    throw new TypeError('target must be { size, chunkRoot }');
  if (!Number.isSafeInteger(target.size) || target.size < 0)
    throw new RangeError('target.size must be a non-negative integer');
  if (!(target.chunkRoot instanceof Uint8Array) || target.chunkRoot.length !== 32)
    throw new TypeError('target.chunkRoot must be a 32-byte Uint8Array');
  if (typeof excerpt !== 'object' || excerpt === null)
    throw new TypeError('excerpt must be { index, bytes, proof }');
  checkIndex(excerpt.index);
  if (!(excerpt.bytes instanceof Uint8Array)) throw new TypeError('excerpt.bytes must be a Uint8Array');
  if (!Array.isArray(excerpt.proof)) throw new TypeError('excerpt.proof must be an array of Uint8Array');

  const count = chunkCount(target.size);
  if (excerpt.index >= count)
    return {
      ok: false,
      code: 'EXCERPT_OUT_OF_RANGE',
      message: `chunk ${excerpt.index} does not exist: the file has ${count} chunk(s)`,
    };
  const range = chunkRange(excerpt.index, target.size);
  const length = range.end - range.start;
  if (excerpt.bytes.length !== length)
    return {
      ok: false,
      code: 'EXCERPT_WRONG_LENGTH',
      message: `chunk ${excerpt.index} has ${length} bytes, the excerpt ${excerpt.bytes.length}`,
      range,
    };
  let root: Uint8Array;
  try {
    root = rootFromInclusionProof(hash, excerpt.index, count, hashLeaf(hash, excerpt.bytes), excerpt.proof);
  } catch (err) {
    // A proof of the wrong shape (length, element size) for this index and chunk count.
    if (!(err instanceof CryptoError)) throw err;
    return { ok: false, code: 'EXCERPT_PROOF_INVALID', message: err.message, range };
  }
  if (!bytesEqual(root, target.chunkRoot))
    return {
      ok: false,
      code: 'EXCERPT_PROOF_INVALID',
      message: `chunk ${excerpt.index} with its proof does not lead to the recorded chunkRoot`,
      range,
    };
  return {
    ok: true,
    code: 'EXCERPT_OK',
    message: `bytes ${range.start}–${range.end} are chunk ${excerpt.index} of the recorded file`,
    range,
  };
}
