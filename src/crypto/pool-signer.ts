/**
 * A Signer whose signatures are computed on worker threads (Node only). Calls made in the same tick are grouped and
 * split across the workers, so a group commit of n entries costs about n / threads signing times. Signatures are
 * byte-identical to `createNodeSigner` (Ed25519 is deterministic). Call `close()` when done.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CryptoError } from '../errors';
import { checkSeed } from './ed25519-strict';
import { createNodeSigner } from './node';
import type { Signer } from './types';

const PKCS8_PREFIX = '302e020100300506032b657004220420';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const key = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('${PKCS8_PREFIX}', 'hex'), Buffer.from(workerData.seed)]), format: 'der', type: 'pkcs8' });
parentPort.on('message', (job) => {
  const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
  const out = new Uint8Array(job.count * 64);
  try {
    for (let i = 0; i < job.count; i++) out.set(crypto.sign(null, data.subarray(job.offsets[i], job.offsets[i + 1]), key), i * 64);
    parentPort.postMessage({ id: job.id, out }, [out.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String(err && err.message || err) });
  }
});
`;

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
  const workers = Array.from({ length: threads }, () => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { seed: Uint8Array.from(seed) } });
    w.unref();
    return w;
  });
  const jobs = new Map<number, Waiting[]>();
  let nextJob = 0;
  let queue: Waiting[] = [];
  let scheduled = false;
  let closed = false;

  for (const w of workers) {
    w.on('message', (m: { id: number; out?: Uint8Array; error?: string }) => {
      const batch = jobs.get(m.id)!;
      jobs.delete(m.id);
      if (jobs.size === 0) for (const x of workers) x.unref();
      if (m.error !== undefined || !m.out) {
        const err = new CryptoError('CRYPTO_SIGNER_FAILED', `Ed25519 signing failed: ${m.error}`);
        for (const b of batch) b.reject(err);
      } else
        batch.forEach((b, i) => {
          b.resolve(m.out!.slice(i * 64, i * 64 + 64));
        });
    });
    w.on('error', (err) => {
      for (const batch of jobs.values()) for (const b of batch) b.reject(err);
      jobs.clear();
    });
  }

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
      const id = nextJob++;
      jobs.set(id, batch);
      const w = workers[t % threads]!;
      w.ref();
      w.postMessage({ id, data, offsets, count: batch.length }, [data.buffer, offsets.buffer]);
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
      while (jobs.size > 0 || queue.length > 0 || scheduled) await new Promise((r) => setTimeout(r, 2));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  });
}
