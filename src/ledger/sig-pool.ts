/**
 * Signature checks spread over worker threads (Node only). Each job names its algorithm; the worker holds one
 * verifier per algorithm it knows (today Ed25519 through node:crypto's verify, the same primitive as nodeSuite), so
 * one pool can check the signatures of several suites. Cheap strict-RFC 8032 pre-checks that nodeSuite applies
 * before OpenSSL (lengths, S < L, key acceptance) stay on the main thread: verify.ts vets each key once through
 * `suite.verify` before sending its signatures here.
 *
 * How workers start and fail: src/workers/pool.ts. When no worker can start, the checks run on the calling thread
 * (`nodeSuite.verify`); a worker that dies holding a batch rejects that batch with WorkerError `WORKER_FAILED`.
 */
import { availableParallelism } from 'node:os';
import { concatBytes } from '../bytes';
import {
  DEFAULT_WORKER_ALGORITHM,
  MAIN_VERIFIERS,
  WORKER_VERIFIERS,
  type WorkerAlgorithm,
} from '../crypto/worker-verifiers';
import { WorkerPool } from '../workers/pool';

export type { WorkerAlgorithm } from '../crypto/worker-verifiers';

export interface SigItem {
  readonly publicKey: Uint8Array;
  /** Entry bytes; the worker prepends the context. */
  readonly entryBytes: Uint8Array;
  readonly signature: Uint8Array;
}

/** One batch: every signature in it uses `alg`. Offsets index `data` and `sigs` (n + 1 of each). */
interface SigJob {
  readonly alg: WorkerAlgorithm;
  readonly context: Uint8Array;
  readonly keys: Uint8Array[];
  readonly keyIdx: Uint32Array;
  readonly data: Uint8Array;
  readonly offsets: Uint32Array;
  readonly sigs: Uint8Array;
  readonly sigOffsets: Uint32Array;
  readonly count: number;
}

const SIG_TASK = {
  name: 'signature check',
  builtins: ['worker_threads', 'crypto'],
  source: `(m) => {
    const c = m.crypto;
    const verifiers = ${WORKER_VERIFIERS};
    return (job) => {
      const v = Object.prototype.hasOwnProperty.call(verifiers, job.alg) ? verifiers[job.alg] : undefined;
      if (v === undefined) throw new Error('unknown signature algorithm ' + job.alg);
      const keys = job.keys.map((k) => { try { return v.key(k); } catch { return undefined; } });
      const ctx = Buffer.from(job.context);
      const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
      const sigs = Buffer.from(job.sigs.buffer, job.sigs.byteOffset, job.sigs.byteLength);
      const out = new Uint8Array(job.count);
      // One message buffer for the batch: the context once, each entry's bytes copied after it (no allocation each).
      let longest = 0;
      for (let i = 0; i < job.count; i++) longest = Math.max(longest, job.offsets[i + 1] - job.offsets[i]);
      const msgBuf = Buffer.allocUnsafe(ctx.length + longest);
      ctx.copy(msgBuf, 0);
      for (let i = 0; i < job.count; i++) {
        const key = keys[job.keyIdx[i]];
        const len = data.copy(msgBuf, ctx.length, job.offsets[i], job.offsets[i + 1]);
        const msg = msgBuf.subarray(0, ctx.length + len);
        const sig = sigs.subarray(job.sigOffsets[i], job.sigOffsets[i + 1]);
        try { out[i] = key !== undefined && v.verify(key, msg, sig) ? 1 : 0; } catch { out[i] = 0; }
      }
      return { result: out, transfer: [out.buffer] };
    };
  }`,
  fallback(job: SigJob): Uint8Array {
    const verify = MAIN_VERIFIERS[job.alg];
    const out = new Uint8Array(job.count);
    for (let i = 0; i < job.count; i++) {
      const message = concatBytes(job.context, job.data.subarray(job.offsets[i], job.offsets[i + 1]));
      const sig = job.sigs.subarray(job.sigOffsets[i], job.sigOffsets[i + 1]);
      try {
        out[i] = verify(job.keys[job.keyIdx[i]!]!, message, sig) ? 1 : 0;
      } catch {
        out[i] = 0;
      }
    }
    return out;
  },
} as const;

export class SignaturePool {
  private readonly pool: WorkerPool<SigJob, Uint8Array>;

  constructor(
    private readonly context: Uint8Array,
    size = Math.max(1, availableParallelism()),
    readonly alg: WorkerAlgorithm = DEFAULT_WORKER_ALGORITHM,
  ) {
    if (!Object.hasOwn(MAIN_VERIFIERS, alg)) throw new RangeError(`unknown signature algorithm ${alg}`);
    this.pool = new WorkerPool(SIG_TASK, { size });
  }

  get size(): number {
    return this.pool.size;
  }

  /**
   * Checks a batch; resolves to one boolean per item. Rejects with WorkerError `WORKER_FAILED` when the worker
   * holding it dies.
   */
  check(items: readonly SigItem[]): Promise<boolean[]> {
    const keyIndex = new Map<string, number>();
    const keys: Uint8Array[] = [];
    const keyIdx = new Uint32Array(items.length);
    let total = 0;
    let sigTotal = 0;
    for (const it of items) {
      total += it.entryBytes.length;
      sigTotal += it.signature.length;
    }
    const data = new Uint8Array(total);
    const offsets = new Uint32Array(items.length + 1);
    const sigs = new Uint8Array(sigTotal);
    const sigOffsets = new Uint32Array(items.length + 1);
    let off = 0;
    let sigOff = 0;
    // Callers pass the same key object for every signature by one signer: found by identity first, by value after.
    const byObject = new Map<Uint8Array, number>();
    items.forEach((it, i) => {
      let k = byObject.get(it.publicKey);
      if (k === undefined) {
        let s = '';
        for (let j = 0; j < it.publicKey.length; j++) s += String.fromCharCode(it.publicKey[j]!);
        k = keyIndex.get(s);
        if (k === undefined) {
          k = keys.length;
          keys.push(it.publicKey);
          keyIndex.set(s, k);
        }
        byObject.set(it.publicKey, k);
      }
      keyIdx[i] = k;
      data.set(it.entryBytes, off);
      offsets[i] = off;
      off += it.entryBytes.length;
      sigs.set(it.signature, sigOff);
      sigOffsets[i] = sigOff;
      sigOff += it.signature.length;
    });
    offsets[items.length] = off;
    sigOffsets[items.length] = sigOff;
    const job: SigJob = {
      alg: this.alg,
      context: this.context,
      keys,
      keyIdx,
      data,
      offsets,
      sigs,
      sigOffsets,
      count: items.length,
    };
    return this.pool
      .run(job, [data.buffer, sigs.buffer, offsets.buffer, sigOffsets.buffer, keyIdx.buffer])
      .then((out) => Array.from(out, (b) => b === 1));
  }

  /** Waits for the batches in flight, then stops the workers. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
