/**
 * A Signer whose signatures are computed on worker threads (Node only). Calls made in the same tick are grouped and
 * split across the workers, so a group commit of n entries costs about n / threads signing times. Signatures are
 * byte-identical to `createNodeSigner` (Ed25519 is deterministic). Call `close()` when done.
 *
 * How workers start and fail: src/workers/pool.ts. When no worker can start, signatures are computed on the calling
 * thread; a worker that dies holding a batch rejects those signatures with WorkerError `WORKER_FAILED` (a ledger
 * append then fails with `CRYPTO_SIGNER_FAILED` and writes nothing).
 */
import { availableParallelism } from 'node:os';
import { CryptoError } from '../errors';
import { WorkerPool } from '../workers/pool';
import { checkSeed } from './ed25519-strict';
import { createNodeSigner } from './node';
import type { Signer } from './types';

/** n messages laid end to end: message i is `data[offsets[i] .. offsets[i + 1])`. */
interface SignJob {
  readonly data: Uint8Array;
  readonly offsets: Uint32Array;
  readonly count: number;
}

/**
 * Worker side: the key is built once per worker from `workerData` ({ alg, seed }); signatures are laid end to end
 * (64 bytes each for Ed25519). A key for another algorithm would be one more case here.
 */
const SIGN_SOURCE = `(m, workerData) => {
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

export interface PooledSigner extends Signer {
  /** Stops the worker threads. Pending signatures still complete. */
  close(): Promise<void>;
}

export interface PooledSignerOptions {
  /** Worker threads; default: the number of cores. */
  readonly threads?: number;
}

interface Waiting {
  readonly message: Uint8Array;
  readonly resolve: (sig: Uint8Array) => void;
  readonly reject: (err: unknown) => void;
}

export function createPooledSigner(seed: Uint8Array, options: PooledSignerOptions = {}): PooledSigner {
  checkSeed(seed);
  const threads = options.threads ?? Math.max(1, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new RangeError('options.threads must be 1…64');
  const base = createNodeSigner(seed);
  const pool = new WorkerPool<SignJob, Uint8Array>(
    {
      name: 'signing',
      builtins: ['worker_threads', 'crypto'],
      source: SIGN_SOURCE,
      // No worker can start: the same signatures, one by one on this thread.
      async fallback(job) {
        const out = new Uint8Array(job.count * 64);
        for (let i = 0; i < job.count; i++)
          out.set(await base.sign(job.data.subarray(job.offsets[i], job.offsets[i + 1])), i * 64);
        return out;
      },
    },
    { size: threads, workerData: { alg: 'ed25519', seed: Uint8Array.from(seed) } },
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
      pool
        .run({ data, offsets, count: batch.length }, [data.buffer, offsets.buffer])
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
      await pool.close();
    },
  });
}
