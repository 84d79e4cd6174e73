/**
 * Chunk leaf hashes (H(0x00 ‖ chunk), H the ledger suite's hash) computed on one worker thread, reading the chunk in
 * place from a SharedArrayBuffer (no copy), while the caller's thread runs the whole-file hash over the same bytes.
 * The job names the hash by its OpenSSL name (`opensslHashName`): the worker source is a string that can only load
 * Node builtins, and node:crypto has both suites' hashes (SHA-256, SM3).
 *
 * Why a worker: SHA-256 is sequential, so the whole-file digest keeps one core busy; a second hash of every byte on
 * the same thread halved ingest throughput here (0.67–0.72 GB/s vs 1.05–1.18 GB/s for one hash, 1 GiB file, 2-core
 * EPYC with SHA-NI). `crypto.subtle.digest` runs off-thread but copies each chunk on the calling thread first.
 * One worker suffices: it hashes the same bytes as the caller's thread, which also orchestrates I/O.
 *
 * How it starts and fails: src/workers/pool.ts. When no worker can start, the leaf hash is computed in place on the
 * calling thread; a worker that dies holding a chunk fails the ingest with WorkerError `WORKER_FAILED`.
 */
import { createStreamingHash, opensslHashName } from '../crypto/node-registry';
import type { SuiteId } from '../crypto/types';
import { REGION_HASH_SOURCE } from '../crypto/worker-sources';
import { WorkerPool } from '../workers/pool';

/** Below this, posting a message costs about as much as hashing in place (tens of µs). */
const OFFLOAD_MIN_BYTES = 64 * 1024;

interface LeafJob {
  /** OpenSSL name of the hash. */
  readonly alg: string;
  readonly suite: SuiteId;
  readonly sab: SharedArrayBuffer;
  readonly offset: number;
  readonly length: number;
}

function hashInPlace(job: LeafJob): Uint8Array {
  return createStreamingHash(job.suite)
    .update(new Uint8Array(job.sab, job.offset, job.length))
    .digest();
}

const LEAF_TASK = {
  name: 'leaf hash',
  builtins: ['worker_threads', 'crypto'],
  source: REGION_HASH_SOURCE,
  fallback: hashInPlace,
} as const;

/** One worker for the process, started on first use; it does not keep the process alive while idle. */
let pool: WorkerPool<LeafJob, Uint8Array> | undefined;

/**
 * The suite's hash of `length` bytes at `offset` in `sab` (the caller puts the 0x00 leaf prefix there). The caller
 * MUST NOT modify those bytes until the promise settles.
 */
export function hashRegion(
  suite: SuiteId,
  sab: SharedArrayBuffer,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const job = { suite, alg: opensslHashName(suite), sab, offset, length };
  if (length < OFFLOAD_MIN_BYTES) return Promise.resolve(hashInPlace(job));
  pool ??= new WorkerPool(LEAF_TASK, { size: 1 });
  return pool.run(job);
}
