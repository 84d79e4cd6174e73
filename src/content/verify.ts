/**
 * Content verification (docs/ARCHITECTURE.md invariant 3; Art. 17 and Art. 27: recordings must not be edited, originals not
 * altered or deleted). Re-hashes the bytes in one streaming pass and compares with the recorded ContentRef; when they
 * differ, the chunk-hash sidecar (trusted only if its Merkle root equals the recorded chunkRoot) locates the change.
 *
 * Results carry a stable `code`. The content verdict depends only on the digest and size; `sidecar` says whether
 * the stored chunk hashes could be used to locate a change ('ok'), were absent, or no longer match chunkRoot.
 */
import { bytesEqual } from '../bytes';
import type { ContentRef } from '../ledger/types';
import { type ChunkRange, LEAF_HASH_LENGTH, chunkCount, chunkRange, sidecarMatches } from './chunks';
import { suiteById } from '../crypto/node-registry';
import type { SuiteId } from '../crypto/types';
import { SUITE_ID } from '../ledger/registry';
import { openSource, type PassResult, runFilePass, runPass } from './pass';
import type { ContentStore, PassOptions } from './store';
import { checkRef } from './store';

export type SidecarState = 'ok' | 'missing' | 'mismatch';

export type ContentCheckCode =
  | 'CONTENT_OK'
  | 'CONTENT_MISSING'
  | 'CONTENT_TRUNCATED'
  | 'CONTENT_EXTENDED'
  | 'CONTENT_MODIFIED'
  | 'CONTENT_SIDECAR_MISMATCH';

export type ContentCheck =
  /** The bytes are the recorded ones. */
  | {
      readonly status: 'ok';
      readonly code: 'CONTENT_OK';
      readonly size: number;
      readonly sidecar: SidecarState;
    }
  /** No such object (or file). `purgeSeq`: the store's tombstone names a purge entry (check it in the ledger). */
  | { readonly status: 'missing'; readonly code: 'CONTENT_MISSING'; readonly purgeSeq?: number }
  /**
   * Shorter than recorded. When located: `changedChunks` are the differing chunks among those both versions have
   * (ranges in the recorded file), and `firstChangedChunk` the first differing or missing chunk.
   */
  | {
      readonly status: 'truncated';
      readonly code: 'CONTENT_TRUNCATED';
      readonly expectedSize: number;
      readonly actualSize: number;
      readonly sidecar: SidecarState;
      readonly firstChangedChunk?: number;
      readonly changedChunks?: readonly ChunkRange[];
    }
  /** Longer than recorded; `prefixIntact`: the first expectedSize bytes are the recorded ones (bytes appended). */
  | {
      readonly status: 'extended';
      readonly code: 'CONTENT_EXTENDED';
      readonly expectedSize: number;
      readonly actualSize: number;
      readonly prefixIntact: boolean;
      readonly sidecar: SidecarState;
      readonly firstChangedChunk?: number;
      readonly changedChunks?: readonly ChunkRange[];
    }
  /** Same size, different bytes, located: each changed chunk with its byte range [start, end). */
  | {
      readonly status: 'modified';
      readonly code: 'CONTENT_MODIFIED';
      readonly size: number;
      readonly changedChunks: readonly ChunkRange[];
    }
  /** Same size, different bytes, and the chunk hashes are missing or no longer match chunkRoot: location unknown. */
  | {
      readonly status: 'sidecar-mismatch';
      readonly code: 'CONTENT_SIDECAR_MISMATCH';
      readonly size: number;
      readonly sidecar: Exclude<SidecarState, 'ok'>;
    };

export interface VerifyFileOptions extends PassOptions {
  /** The recorded chunk leaf hashes (e.g. `store.chunkHashes(digest)`), to locate a change. */
  readonly chunkHashes?: Uint8Array;
}

/** Verifies the stored object for `ref` against it. */
export async function verifyContent(
  store: ContentStore,
  ref: ContentRef,
  opts: PassOptions = {},
): Promise<ContentCheck> {
  checkRef(ref);
  if (store.suite !== undefined) opts = { ...opts, suite: store.suite };
  if (!(await store.has(ref.digest))) return missing(await store.purgedBy(ref.digest));
  const chunkHashes = await store.chunkHashes(ref.digest);
  if (store.path !== undefined) {
    return verifyFileAgainst(
      store.path(ref.digest),
      ref,
      chunkHashes === undefined ? opts : { ...opts, chunkHashes },
    );
  }
  const sidecar = sidecarState(opts.suite, ref, chunkHashes);
  const pass = await runPass(store.get(ref.digest), {
    ...opts,
    leaves: sidecar === 'ok',
    prefixAt: ref.size,
  });
  return judge(ref, pass, chunkHashes, sidecar);
}

/** Verifies a file (e.g. an external copy) against a recorded ref; pass `chunkHashes` to locate a change. */
export async function verifyFileAgainst(
  path: string,
  ref: ContentRef,
  opts: VerifyFileOptions = {},
): Promise<ContentCheck> {
  checkRef(ref);
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
  const { chunkHashes } = opts;
  if (chunkHashes !== undefined && !(chunkHashes instanceof Uint8Array)) {
    throw new TypeError('opts.chunkHashes must be a Uint8Array');
  }
  let fh: Awaited<ReturnType<typeof openSource>>;
  try {
    fh = await openSource(path);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'STORAGE_NOT_FOUND') return missing(undefined);
    throw err;
  }
  const sidecar = sidecarState(opts.suite, ref, chunkHashes);
  let pass: PassResult;
  try {
    // Leaf hashes are only computed when there are trusted recorded ones to compare them with.
    pass = await runFilePass(fh, path, { ...opts, leaves: sidecar === 'ok', prefixAt: ref.size });
  } finally {
    await fh.close();
  }
  return judge(ref, pass, chunkHashes, sidecar);
}

function missing(purgeSeq: number | undefined): ContentCheck {
  return purgeSeq === undefined
    ? { status: 'missing', code: 'CONTENT_MISSING' }
    : { status: 'missing', code: 'CONTENT_MISSING', purgeSeq };
}

function sidecarState(
  suite: SuiteId | undefined,
  ref: ContentRef,
  chunkHashes: Uint8Array | undefined,
): SidecarState {
  if (chunkHashes === undefined) return 'missing';
  const { hash } = suiteById(suite ?? SUITE_ID);
  return sidecarMatches(hash, chunkHashes, ref.size, ref.chunkRoot) ? 'ok' : 'mismatch';
}

function judge(
  ref: ContentRef,
  pass: PassResult,
  chunkHashes: Uint8Array | undefined,
  sidecar: SidecarState,
): ContentCheck {
  const expectedSize = ref.size;
  const actualSize = pass.size;
  if (actualSize === expectedSize && bytesEqual(pass.digest, ref.digest)) {
    return { status: 'ok', code: 'CONTENT_OK', size: actualSize, sidecar };
  }
  const expectedChunks = chunkCount(expectedSize);
  const actualChunks = chunkCount(actualSize);
  const location = (): { firstChangedChunk: number; changedChunks: ChunkRange[] } => {
    const changedChunks: ChunkRange[] = [];
    const overlap = Math.min(expectedChunks, actualChunks);
    for (let i = 0; i < overlap; i++) {
      const at = i * LEAF_HASH_LENGTH;
      const recorded = chunkHashes!.subarray(at, at + LEAF_HASH_LENGTH);
      if (!bytesEqual(recorded, pass.leafHashes.subarray(at, at + LEAF_HASH_LENGTH))) {
        changedChunks.push(chunkRange(i, expectedSize));
      }
    }
    return { firstChangedChunk: changedChunks[0]?.index ?? overlap, changedChunks };
  };
  if (actualSize < expectedSize) {
    const base = {
      status: 'truncated',
      code: 'CONTENT_TRUNCATED',
      expectedSize,
      actualSize,
      sidecar,
    } as const;
    return sidecar === 'ok' ? { ...base, ...location() } : base;
  }
  if (actualSize > expectedSize) {
    const prefixIntact = pass.prefixDigest !== undefined && bytesEqual(pass.prefixDigest, ref.digest);
    const base = {
      status: 'extended',
      code: 'CONTENT_EXTENDED',
      expectedSize,
      actualSize,
      prefixIntact,
      sidecar,
    } as const;
    return sidecar === 'ok' ? { ...base, ...location() } : base;
  }
  if (sidecar !== 'ok')
    return { status: 'sidecar-mismatch', code: 'CONTENT_SIDECAR_MISMATCH', size: actualSize, sidecar };
  return {
    status: 'modified',
    code: 'CONTENT_MODIFIED',
    size: actualSize,
    changedChunks: location().changedChunks,
  };
}
