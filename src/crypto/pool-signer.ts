/**
 * A Signer whose signatures are computed on worker threads (Node only), for either suite. Calls made in the same tick
 * are grouped and split across the workers, so a group commit of n entries costs about n / threads signing times.
 * - ed25519-sha256 (the default): signatures are byte-identical to `createNodeSigner` (Ed25519 is deterministic).
 * - sm2-sm3: each worker evaluates sm-crypto-v2's text (sm2-library.ts) and signs e = SM3(Z_A ‖ M) with node:crypto's
 *   SM3, as the suite's own signer does on the calling thread (sm2.ts); SM2 signatures are randomized, so they differ
 *   from the calling thread's, and all verify (test/crypto/pool-signer.test.ts checks them with OpenSSL).
 * Call `close()` when done.
 *
 * How workers start and fail: src/workers/pool.ts. When no worker can start (or, for sm2-sm3, the library's text
 * cannot be found), signatures are computed on the calling thread and `usesWorkers` is false; a worker that dies
 * holding a batch rejects those signatures with WorkerError `WORKER_FAILED` (a ledger append then fails with
 * `CRYPTO_SIGNER_FAILED` and writes nothing).
 */
import { availableParallelism } from 'node:os';
import { CryptoError } from '../errors';
import { WorkerPool } from '../workers/pool';
import { checkSeed } from './ed25519-strict';
import { createNodeSigner } from './node';
import { nodeSm2Suite } from './node-sm2';
import { isSuiteId } from './registry';
import { sm2LibraryText } from './sm2-library';
import { checkPrivateKey } from './sm2-strict';
import type { Signer, SuiteId } from './types';
import { sm2LibraryExpression } from './worker-verifiers';

/** n messages laid end to end: message i is `data[offsets[i] .. offsets[i + 1])`. */
interface SignJob {
  readonly data: Uint8Array;
  readonly offsets: Uint32Array;
  readonly count: number;
}

/**
 * Worker side, Ed25519: the key is built once per worker from `workerData` ({ alg, seed }); signatures are laid end
 * to end, 64 bytes each.
 */
const ED25519_SIGN_SOURCE = `(m, workerData) => {
  const c = m.crypto;
  if (workerData.alg !== 'ed25519') throw new Error('unknown signature algorithm ' + workerData.alg);
  const key = c.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(workerData.seed)]), format: 'der', type: 'pkcs8' });
  return (job) => {
    const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
    const out = new Uint8Array(job.count * 64);
    for (let i = 0; i < job.count; i++) out.set(c.sign(null, data.subarray(job.offsets[i], job.offsets[i + 1]), key), i * 64);
    return { result: out, transfer: [out.buffer] };
  };
}`;

/**
 * Worker side, SM2 (GB/T 32918.2 with the GM/T 0009 default user id): d from `workerData` ({ alg, key }), Z_A once
 * per worker, then for each message e = SM3(Z_A ‖ M) and the library's signature of e (raw r ‖ s, 64 bytes).
 */
function sm2SignSource(library: string): string {
  return `(m, workerData) => {
  const c = m.crypto;
  if (workerData.alg !== 'sm2') throw new Error('unknown signature algorithm ' + workerData.alg);
  const sm2 = ${sm2LibraryExpression(library)};
  const d = Buffer.from(workerData.key).toString('hex');
  const z = Buffer.from(sm2.getZ(sm2.getPublicKeyFromPrivateKey(d)));
  return (job) => {
    const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
    const out = new Uint8Array(job.count * 64);
    for (let i = 0; i < job.count; i++) {
      const e = new Uint8Array(c.createHash('sm3').update(z).update(data.subarray(job.offsets[i], job.offsets[i + 1])).digest());
      const sig = sm2.doSignature(e, d, { der: false, hash: false });
      if (typeof sig !== 'string' || sig.length !== 128) throw new Error('SM2 signing gave no 64-byte signature');
      out.set(Buffer.from(sig, 'hex'), i * 64);
    }
    return { result: out, transfer: [out.buffer] };
  };
}`;
}

export interface PooledSigner extends Signer {
  /**
   * False when signatures are computed on the calling thread: no worker could start, or (sm2-sm3) the SM2 library's
   * text could not be found for the workers.
   */
  readonly usesWorkers: boolean;
  /** Stops the worker threads. Pending signatures still complete. */
  close(): Promise<void>;
}

export interface PooledSignerOptions {
  /** Worker threads; default: the number of cores. */
  readonly threads?: number;
  /**
   * The key's suite: `ed25519-sha256` (default; the key is a 32-byte Ed25519 seed) or `sm2-sm3` (a 32-byte SM2
   * private key d, as `suite.generatePrivateKey()` gives).
   */
  readonly suite?: SuiteId;
}

interface Waiting {
  readonly message: Uint8Array;
  readonly resolve: (sig: Uint8Array) => void;
  readonly reject: (err: unknown) => void;
}

/** `key`: the Ed25519 seed, or for `suite: 'sm2-sm3'` the SM2 private key. */
export function createPooledSigner(key: Uint8Array, options: PooledSignerOptions = {}): PooledSigner {
  return pooledSigner(key, options, sm2LibraryText() ?? null);
}

/**
 * createPooledSigner with the SM2 library's text for the workers given: null for none (then every SM2 signature is
 * computed on the calling thread). Exported for tests of that case.
 */
export function pooledSigner(
  key: Uint8Array,
  options: PooledSignerOptions,
  sm2Library: string | null,
): PooledSigner {
  const suite = options.suite ?? 'ed25519-sha256';
  if (!isSuiteId(suite)) throw new RangeError(`options.suite must be a suite id, got ${String(suite)}`);
  const sm2 = suite === 'sm2-sm3';
  if (sm2) checkPrivateKey(key);
  else checkSeed(key);
  const threads = options.threads ?? Math.max(1, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new RangeError('options.threads must be 1…64');
  const base = sm2 ? nodeSm2Suite.createSigner(key) : createNodeSigner(key);
  // Signatures by the same key, one by one on this thread.
  const signHere = async (job: SignJob): Promise<Uint8Array> => {
    const out = new Uint8Array(job.count * 64);
    for (let i = 0; i < job.count; i++)
      out.set(await base.sign(job.data.subarray(job.offsets[i], job.offsets[i + 1])), i * 64);
    return out;
  };
  const source = sm2 ? (sm2Library === null ? undefined : sm2SignSource(sm2Library)) : ED25519_SIGN_SOURCE;
  const pool =
    source === undefined
      ? undefined
      : new WorkerPool<SignJob, Uint8Array>(
          {
            name: 'signing',
            builtins: ['worker_threads', 'crypto'],
            source,
            fallback: signHere, // no worker can start
          },
          {
            size: threads,
            workerData: sm2
              ? { alg: 'sm2', key: Uint8Array.from(key) }
              : { alg: 'ed25519', seed: Uint8Array.from(key) },
          },
        );
  let queue: Waiting[] = [];
  let scheduled = false;
  let closed = false;
  let inFlight = 0;

  const flush = () => {
    scheduled = false;
    const all = queue;
    queue = [];
    const per = Math.ceil(all.length / threads);
    for (let t = 0; t * per < all.length; t++) {
      const batch = all.slice(t * per, (t + 1) * per);
      let total = 0;
      for (const b of batch) total += b.message.length;
      const data = new Uint8Array(total);
      const offsets = new Uint32Array(batch.length + 1);
      let off = 0;
      batch.forEach((b, i) => {
        offsets[i] = off;
        data.set(b.message, off);
        off += b.message.length;
      });
      offsets[batch.length] = off;
      inFlight++;
      const job: SignJob = { data, offsets, count: batch.length };
      (pool === undefined ? signHere(job) : pool.run(job, [data.buffer, offsets.buffer]))
        .then(
          (out) => {
            for (const [i, b] of batch.entries()) b.resolve(out.slice(i * 64, i * 64 + 64));
          },
          (err) => {
            for (const b of batch) b.reject(err);
          },
        )
        .finally(() => inFlight--);
    }
  };

  return Object.freeze({
    suite: base.suite,
    keyId: base.keyId,
    publicKey: base.publicKey,
    get usesWorkers(): boolean {
      return pool?.usesWorkers ?? false;
    },
    sign(message: Uint8Array): Promise<Uint8Array> {
      if (!(message instanceof Uint8Array))
        return Promise.reject(new TypeError('message must be a Uint8Array'));
      if (closed) return Promise.reject(new CryptoError('CRYPTO_SIGNER_FAILED', 'signer is closed'));
      // A lone message is signed in place: a thread hop costs more than one signature.
      if (queue.length === 0 && !scheduled) {
        scheduled = true;
        queueMicrotask(() => {
          if (queue.length <= 1) {
            scheduled = false;
            const one = queue.splice(0, queue.length);
            for (const w of one) base.sign(w.message).then(w.resolve, w.reject);
            return;
          }
          flush();
        });
      }
      return new Promise((resolve, reject) =>
        queue.push({ message: Uint8Array.from(message), resolve, reject }),
      );
    },
    async close(): Promise<void> {
      closed = true;
      while (inFlight > 0 || queue.length > 0 || scheduled) await new Promise((r) => setTimeout(r, 2));
      await pool?.close();
    },
  });
}
